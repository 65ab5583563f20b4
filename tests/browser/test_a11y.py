"""WCAG 2.2 AA, checked by axe-core (vendored from npm, injected by the test only) on every public
page and the moderators' queue, in English and Arabic, on a phone (360 × 740) and a desktop
(1280 × 800); keyboard-only use; announced form errors; and every public flow without JavaScript.

One seeded site and one browser serve the whole matrix. To check another page, add one `Visit` to
`PAGES` (its path is formatted with `lang` and the seeded values of `seed()`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests import factories
from tests.conftest import ROOT, free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = ROOT / "src" / "convoca" / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
LANGUAGES = ("en", "ar")
BLOCKING = {"serious", "critical"}


# --- what a person does on a page before it is checked ------------------------------------------


def press(selector: str) -> Callable:
    def act(page, site):
        page.locator(selector).first.click()
        page.wait_for_load_state()

    return act


def wait_for(selector: str) -> Callable:
    def act(page, site):
        page.wait_for_selector(selector, state="attached", timeout=15000)
        page.wait_for_timeout(300)  # markers and popups settle

    return act


def endorse_with_errors(page, site):
    page.fill("#id_email", "not an address")
    page.locator("form.endorse button[type=submit]").click()
    page.wait_for_selector("#error-summary")


def submit_empty(form: str) -> Callable:
    def act(page, site):
        page.locator(f"{form} button[type=submit]").first.click()
        page.wait_for_selector("#error-summary")

    return act


def flooded(page, site):
    """Past ten times the strict lane's limit from one address, the gate answers 429."""
    for _ in range(60):
        answer = page.request.post(
            f"{site}/en/links/",
            form={"email": "flood@example.org", "stamp": "0"},
            headers={"Origin": site},
        )
        if answer.status == 429:
            break
    else:
        raise AssertionError("the gate never answered 429")
    page.fill("#id_email", "flood@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@dataclass(frozen=True)
class Visit:
    name: str
    path: str  # formatted with `lang` and the values of `seed()` (a dict there: its value for "<lang>-<size>")
    then: Callable | None = None
    status: int = 200  # of the page as finally shown
    staff: bool = False


PAGES = [
    Visit("home", "/{lang}/"),
    Visit("statement", "/{lang}/s/letter/"),
    Visit("statement-page-2", "/{lang}/s/letter/?page=2"),
    Visit("statement-search", "/{lang}/s/letter/?q=Alice"),
    Visit("statement-form-errors", "/{lang}/s/letter/", then=endorse_with_errors, status=422),
    Visit("check-your-inbox", "/{lang}/s/letter/check-your-inbox/"),
    Visit("confirm", "/{lang}/confirm/{confirm}/"),
    Visit("confirmed", "/{lang}/confirm/{confirm_post}/", then=press("main form button[type=submit]")),
    Visit("withdraw", "/{lang}/withdraw/{withdraw}/"),
    Visit("actions", "/{lang}/c/rivers/actions/", then=wait_for("#action-map[data-loaded='1'] .leaflet-marker-icon")),
    Visit("action", "/{lang}/a/{action}/", then=wait_for("#action-point .leaflet-marker-icon")),
    Visit("action-rsvp-errors", "/{lang}/a/{action}/", then=submit_empty("section.rsvp form"), status=422),
    Visit("action-submit", "/{lang}/c/rivers/actions/new/"),
    Visit("action-submit-errors", "/{lang}/c/rivers/actions/new/", then=submit_empty("main form"), status=422),
    Visit("action-submitted", "/{lang}/c/rivers/actions/thanks/"),
    Visit("action-verify", "/{lang}/actions/verify/{verify}/"),
    Visit("action-manage", "/{lang}/actions/manage/{manage}/"),
    Visit("action-edit", "/{lang}/actions/manage/{manage}/edit/"),
    Visit("rsvp-thanks", "/{lang}/a/{action}/rsvp/thanks/"),
    Visit("rsvp-confirm", "/{lang}/rsvp/{rsvp}/"),
    Visit("links", "/{lang}/links/"),
    Visit("links-errors", "/{lang}/links/", then=submit_empty("main form"), status=422),
    Visit("links-sent", "/{lang}/links/sent/"),
    Visit("not-found", "/{lang}/s/no-such-statement/", status=404),
    Visit("moderation-queue", "/{lang}/moderation/actions/", staff=True),
    Visit("dashboard-index", "/{lang}/staff/", staff=True),
    Visit("dashboard", "/{lang}/staff/c/rivers/", then=wait_for("#worldmap svg path"), staff=True),
    Visit("dashboard-partner-new", "/{lang}/staff/c/rivers/partners/new/", staff=True),
    Visit("dashboard-look", "/{lang}/staff/c/rivers/look/", staff=True),
    Visit("dashboard-statement", "/{lang}/staff/s/letter/", staff=True),
    Visit("dashboard-statement-text", "/{lang}/staff/s/letter/text/{lang}/", staff=True),
    Visit("dashboard-exports", "/{lang}/staff/s/letter/exports/", staff=True),
    Visit("embed-snippets", "/{lang}/staff/embeds/rivers/", staff=True),
    Visit("import", "/{lang}/staff/import/", staff=True),
    Visit("embed-count", "/{lang}/embed/s/letter/count/"),
    Visit("embed-form", "/{lang}/embed/s/letter/form/"),
    Visit("embed-map", "/{lang}/embed/c/rivers/map/"),
    Visit("flooded", "/{lang}/links/", then=flooded, status=429),  # last: it floods the address
]


# --- the seeded site ----------------------------------------------------------------------------

NAMES = [
    ("Alice Example", "AR", "Rosario"), ("Amira Haddad", "JO", "عمّان"), ("Bruno Costa", "BR", "Recife"),
    ("Chen Wei", "FR", "Lyon"), ("Dalia Mansour", "JO", "إربد"), ("Emeka Obi", "AR", ""),
]  # fmt: skip


def action_data(**changes) -> dict:
    from convoca.actions.forms import ActionForm

    data = {
        "title": "River vigil at the Obelisco", "description": "Candles and songs for clean rivers.",
        "language": "en", "kind": "vigil", "starts_at": "2027-03-08T18:30", "venue": "Plaza de la República",
        "city": "Buenos Aires", "country": "AR", "latitude": "-34.6037", "longitude": "-58.3816",
        "organizer_name": "Dana Organizer", "organizer_email": "dana@example.org", "accessibility": "Step-free.",
        **changes,
    }  # fmt: skip
    form = ActionForm(data={key: value for key, value in data.items() if value is not None})
    assert form.is_valid(), form.errors
    return form.cleaned_data


def seed() -> dict:
    """A campaign in English and Arabic, a statement with a paginated list of public endorsers,
    approved, pending and unverified actions, and a token of every kind a person gets by mail."""
    from convoca.actions import domain as actions
    from convoca.actions import rsvps
    from convoca.actions.models import Rsvp
    from convoca.campaigns.models import CampaignText
    from convoca.statements import domain
    from convoca.statements.views import ENDORSERS_PER_PAGE

    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    campaign.texts.update(title="Rivers coalition")
    CampaignText.objects.create(
        campaign=campaign, language="ar", title="تحالف الأنهار", privacy_notice="نحتفظ بالقليل."
    )
    statement = factories.statement(
        slug="letter",
        goal=100,
        campaign_=campaign,
        en=("An open letter for clean rivers", "Rivers give **water and life**.\n\n1. Stop waste.\n2. Share data."),
        ar=(
            "رسالة مفتوحة من أجل أنهار نظيفة",
            "تمنح الأنهار **الماء والحياة**.\n\n1. أوقفوا النفايات.\n2. انشروا البيانات.",
        ),
    )
    people = [
        {"kind": "person", "name": f"{name} {n}" if n else name, "email": f"p{n}-{i}@example.org", "country": country,
         "city": city}
        for n in range(ENDORSERS_PER_PAGE // len(NAMES) + 2) for i, (name, country, city) in enumerate(NAMES)
    ]  # fmt: skip
    for person in people:
        factories.confirm(factories.endorse(statement, person, public=True))
    organization = factories.endorse(statement, factories.BOB, public=True)
    factories.confirm(organization)
    staff = get_user_model().objects.create_user("mod", is_staff=True)
    domain.decide_organization(organization.pk, "approve", staff)
    domain.fold_counts()
    carol = factories.endorse(statement, factories.CAROL)
    # one token per language and size: a confirmation's POST shows the button only once
    combos = [f"{lang}-{size}" for lang in LANGUAGES for size in VIEWPORTS]
    posted = {
        combo: factories.endorse(statement, {**factories.CAROL, "email": f"{combo}@example.org"}) for combo in combos
    }
    approved = actions.submit(campaign, action_data(capacity=30))
    actions.verify(actions.verify_token(approved))
    actions.decide(approved.pk, "approve", staff)
    pending = actions.submit(campaign, action_data(title="Clean-up of the Riachuelo", kind="march"))
    actions.verify(actions.verify_token(pending))
    unverified = actions.submit(campaign, action_data(title="Teach-in on water"))
    approved.refresh_from_db()
    rsvps.respond(approved, "erin@example.org", "Erin", "en")
    rsvp = Rsvp.objects.get(action=approved)
    client = Client()
    factories.staff_login(client, staff)
    return {
        "confirm": domain.confirm_token(carol),
        "confirm_post": {combo: domain.confirm_token(endorsement) for combo, endorsement in posted.items()},
        "withdraw": domain.withdraw_token(statement.endorsements.order_by("pk").first()),
        "action": approved.pk,
        "verify": actions.verify_token(unverified),
        "manage": actions.manage_token(approved),
        "rsvp": rsvps.confirm_token(rsvp),
        "session": client.cookies["sessionid"].value,
    }


@pytest.fixture
def site(request, processes, smtp_server):
    """The seeded site; `site` parametrized with "flood" makes the strict lane refuse (429) from
    the 11th submission of an address in five minutes (rate limits are otherwise off in tests)."""
    smtp_server.clear()
    values = seed()
    flood = getattr(request, "param", "") == "flood"
    limits = {"CONVOCA_RATE_LIMITS": "on", "CONVOCA_RATE_LIMIT_STRICT": "1/300"} if flood else {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "EMAIL_URL": smtp_server.url,
        "CONVOCA_BASE_URL": base,
        "CONVOCA_COUNT_INTERVAL": "1",
        **limits,
    }
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    connections.close_all()
    return base, values


def own_origin_only(context, site):
    """Nothing leaves the machine: a request to another origin (map tiles) is refused on the spot."""
    origin = urlsplit(site)

    def route(route):
        url = urlsplit(route.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc) or url.scheme == "data":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)


def axe(page) -> list[dict]:
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 300),
                                          summary: n.failureSummary}))}));
        }""",
        TAGS,
    )


def check_page(page, shown, site, visit, url, key, viewport) -> dict:
    """Load one page, do what a person does there, and run axe on what is shown."""
    started = time.monotonic()
    page.goto(url)
    if visit.then:
        visit.then(page, site)
    loaded = time.monotonic()
    problems = []
    if shown["status"] != visit.status:
        problems.append(f"status {shown['status']}, expected {visit.status}")
    lang = key.split("-")[-2]
    if page.evaluate("[document.documentElement.lang, document.documentElement.dir]") != [
        lang,
        "rtl" if lang == "ar" else "ltr",
    ]:
        problems.append("wrong lang or dir on <html>")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        problems.append(f"{width}px wide: wider than the screen")
    violations = axe(page)
    seconds = {"load": round(loaded - started, 2), "axe": round(time.monotonic() - loaded, 2)}
    return {"page": key, "url": url, "problems": problems, "violations": violations, "seconds": seconds}


@pytest.mark.parametrize("site", ["flood"], indirect=True)
def test_every_public_page_passes_axe_in_two_languages_and_two_sizes(site, chromium, artifacts):
    site, values = site
    shots = artifacts / "a11y"
    shots.mkdir(exist_ok=True)
    report = []
    try:
        for viewport_name, viewport in VIEWPORTS.items():
            context = chromium.new_context(viewport=viewport, locale="en-GB")
            own_origin_only(context, site)
            context.add_init_script(path=str(AXE))  # the test's own script: no page links axe-core
            page = context.new_page()
            shown = {}  # the status of the document the page shows, after whatever a person did
            page.on("response", lambda r: r.frame == page.main_frame and r.request.resource_type == "document"
                    and shown.update(status=r.status))  # fmt: skip
            for lang in LANGUAGES:
                combo = f"{lang}-{viewport_name}"
                known = {key: value[combo] if isinstance(value, dict) else value for key, value in values.items()}
                for visit in PAGES:
                    context.clear_cookies()
                    if visit.staff:
                        context.add_cookies([{"name": "sessionid", "value": values["session"], "url": site}])
                    key = f"{visit.name}-{combo}"
                    url = site + visit.path.format(lang=lang, **known)
                    report.append(check_page(page, shown, site, visit, url, key, viewport))
                    started = time.monotonic()
                    page.screenshot(path=shots / f"{key}.png", full_page=True)
                    report[-1]["seconds"]["screenshot"] = round(time.monotonic() - started, 2)
            context.close()
    finally:
        (shots / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"axe: {len(report)} pages checked; every violation, of any impact, in {shots / 'report.json'}")
    problems = [(entry["page"], entry["problems"]) for entry in report if entry["problems"]]
    blocking = [
        (entry["page"], found["id"], found["impact"], found["help"], found["nodes"][:3])
        for entry in report
        for found in entry["violations"]
        if found["impact"] in BLOCKING
    ]
    assert problems == []
    assert blocking == [], json.dumps(blocking, indent=1, ensure_ascii=False)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {id: e.id, tag: e.tagName.toLowerCase(), cls: String(e.className), type: e.type || "",
                           inMain: !!e.closest("main")}; }"""
    )


def assert_focus_moves_to(page, element_id: str, timeout: float = 5000) -> None:
    """`autofocus` is applied at the browser's next rendering update, not at load: wait for it, bounded."""
    try:
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id", arg=element_id, timeout=timeout
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the focus should move to #{element_id}; it is on {focused(page)}") from None


def tab_to(page, element_id: str, limit: int = 60) -> list[dict]:
    """Press Tab until the element with `element_id` has the focus; return every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1]["id"] == element_id:
            return stops
    raise AssertionError(f"Tab never reached #{element_id}: {stops}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_keyboard_only_skip_link_then_endorse(site, chromium, artifacts, lang):
    """Tab from the top reaches the skip link first, which leads into the main content; a person
    with only a keyboard fills the form in reading order and sends it."""
    site, _values = site
    (artifacts / "a11y").mkdir(exist_ok=True)
    context = chromium.new_context(viewport=VIEWPORTS["phone"])
    own_origin_only(context, site)
    page = context.new_page()
    page.goto(f"{site}/{lang}/s/letter/")
    page.keyboard.press("Tab")
    assert "skip" in focused(page)["cls"], focused(page)
    skip = page.locator("a.skip").bounding_box()
    assert skip["width"] > 24 and skip["height"] >= 24, "the skip link shows when it has the focus"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid", "a visible focus ring"
    page.screenshot(path=artifacts / "a11y" / f"keyboard-skip-{lang}.png")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["inMain"], "after the skip link, Tab goes on inside the main content"

    stops = tab_to(page, "id_name")
    page.keyboard.type("Kim Keyboard")
    stops += tab_to(page, "id_email", limit=3)
    page.keyboard.type("kim.keys@example.org")
    stops += tab_to(page, "id_country", limit=3)
    if lang == "en":
        page.keyboard.type("Jordan")  # a select's type-ahead
    else:  # (type-ahead takes no Arabic through the test's keyboard: arrow down to it instead)
        for _ in range(300):
            page.keyboard.press("ArrowDown")
            if page.input_value("#id_country") == "JO":
                break
    assert page.input_value("#id_country") == "JO"
    stops += tab_to(page, "id_public", limit=12)
    page.keyboard.press("Space")
    stops += tab_to(page, "id_consent", limit=4)
    page.keyboard.press("Space")
    fields = [
        stop["id"]
        for stop in stops
        if stop["id"] in ("id_name", "id_email", "id_country", "id_city", "id_public", "id_consent")
    ]
    assert fields == ["id_name", "id_email", "id_country", "id_city", "id_public", "id_consent"], "reading order"
    page.screenshot(path=artifacts / "a11y" / f"keyboard-form-{lang}.png")
    for _ in range(8):  # on to the button (the proof-of-work checkbox comes before it)
        page.keyboard.press("Tab")
        if focused(page)["tag"] == "button" and focused(page)["type"] == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/check-your-inbox/")
    context.close()


def test_form_errors_are_summarised_linked_and_announced(site, chromium, artifacts):
    site, _values = site
    (artifacts / "a11y").mkdir(exist_ok=True)
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    own_origin_only(context, site)
    page = context.new_page()
    page.goto(f"{site}/en/s/letter/")
    page.fill("#id_email", "not an address")
    page.locator("form.endorse button[type=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    assert_focus_moves_to(page, "error-summary")  # so it is read out
    targets = [link.get_attribute("href") for link in summary.locator("a").all()]
    assert targets == ["#id_name", "#id_email", "#id_country", "#id_consent"], targets
    assert "valid email" in summary.inner_text()
    for target in targets:
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true", target
        described = (field.get_attribute("aria-describedby") or "").split()
        assert f"{target[1:]}_error" in described, (target, described)
        assert page.locator(f"{target}_error").inner_text().strip(), target
        for ref in described:
            assert page.locator(f"#{ref}").count() == 1, f"{target} points at #{ref}, which must exist once"
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "no id twice on the page"
    page.locator("#error-summary a[href='#id_email']").click()
    assert focused(page)["id"] == "id_email", "a link in the summary takes the focus to its field"
    page.locator("form.endorse").screenshot(path=artifacts / "a11y" / "form-errors-en.png")

    page.goto(f"{site}/ar/links/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary a[href='#id_email']")).to_be_visible()
    assert_focus_moves_to(page, "error-summary")
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    context.close()


def mailed_link(mailbox, address: str, fragment: str) -> str:
    """The first line with `fragment` in a mail to `address`, waiting for it to arrive."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in mailbox.to(address):
            for line in message.get_body(("plain",)).get_content().splitlines():
                if fragment in line:
                    return line.strip()
        time.sleep(0.2)
    raise AssertionError(f"no {fragment} link mailed to {address} within 30 s")


def test_every_public_flow_works_without_javascript(site, chromium, smtp_server, artifacts):
    """JavaScript only enhances: with it switched off, a person endorses (strict lane), confirms
    and withdraws; submits and verifies an action; says they will come and confirms; asks for
    their links; and finds the actions in the list under the (empty) map."""
    from convoca.actions import domain as actions
    from convoca.actions.models import Action, Rsvp

    site, _values = site
    (artifacts / "a11y").mkdir(exist_ok=True)
    context = chromium.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    own_origin_only(context, site)
    page = context.new_page()

    page.goto(f"{site}/en/s/letter/")
    page.fill("#id_name", "Nora Nojs")
    page.fill("#id_email", "nora@example.org")
    page.select_option("#id_country", "JO")
    page.check("#id_consent")
    page.locator("form.endorse button[type=submit]").click()
    page.wait_for_url("**/check-your-inbox/")
    page.goto(mailed_link(smtp_server, "nora@example.org", "/confirm/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Thank you, your endorsement is confirmed")
    page.goto(mailed_link(smtp_server, "nora@example.org", "/withdraw/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Your endorsement is withdrawn")

    page.goto(f"{site}/en/c/rivers/actions/new/")
    page.fill("#id_title", "Walk along the river")
    page.fill("#id_description", "Bring water.")
    page.select_option("#id_kind", "march")
    page.fill("#id_starts_at", "2027-03-08T10:00")
    page.fill("#id_city", "Amman")
    page.select_option("#id_country", "JO")
    page.fill("#id_latitude", "31.95")
    page.fill("#id_longitude", "35.93")
    page.fill("#id_organizer_name", "Omar Organizer")
    page.fill("#id_organizer_email", "omar@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/actions/thanks/")
    page.goto(mailed_link(smtp_server, "omar@example.org", "/verify/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Thank you, your address is confirmed")

    walk = Action.objects.get(title="Walk along the river")
    actions.decide(walk.pk, "approve", get_user_model().objects.get(username="mod"))
    connections.close_all()  # opened inside Playwright's loop (see the chromium fixture)
    page.goto(f"{site}/en/c/rivers/actions/")
    listed = page.locator("article.action h2 a")
    assert {"Walk along the river", "River vigil at the Obelisco"} <= set(listed.all_inner_texts())
    assert page.locator("#locate").is_hidden(), "locating needs JavaScript: its button stays hidden"
    page.screenshot(path=artifacts / "a11y" / "nojs-actions-en-phone.png", full_page=True)

    listed.filter(has_text="Walk along the river").click()
    page.fill("#id_email", "rita@example.org")
    page.locator("section.rsvp form button[type=submit]").click()
    page.wait_for_url("**/rsvp/thanks/")
    page.goto(mailed_link(smtp_server, "rita@example.org", "/rsvp/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("See you there!")

    page.goto(f"{site}/en/links/")
    page.fill("#id_email", "omar@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/links/sent/")
    assert "/actions/manage/" in mailed_link(smtp_server, "omar@example.org", "/actions/manage/")
    context.close()
    confirmed = Rsvp.objects.filter(action=walk, confirmed_at__isnull=False).count()
    connections.close_all()
    assert confirmed == 1


def test_a_campaigns_colours_and_logo_show_under_the_strict_csp_and_pass_axe(site, chromium, artifacts):
    from convoca.campaigns.models import Campaign
    from tests.campaigns.test_theme import png

    site, _values = site
    campaign = Campaign.objects.get(slug="rivers")
    campaign.accent_color, campaign.soft_color = "#8a1538", "#fbe9ee"
    campaign.set_logo(png(width=96, height=48))
    campaign.texts.filter(language="ar").update(logo_alt="شعار تحالف الأنهار")
    connections.close_all()  # opened inside Playwright's loop (see the chromium fixture)

    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    own_origin_only(context, site)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    for lang, alt in (("en", "Rivers coalition"), ("ar", "شعار تحالف الأنهار")):
        page.goto(f"{site}/{lang}/s/letter/")
        button = page.locator("form.endorse button[type=submit]")
        assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(138, 21, 56)"
        soft = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent-soft')")
        assert soft.strip() == "#fbe9ee"
        logo = page.locator("header img.campaign-logo")
        assert logo.get_attribute("alt") == alt
        assert logo.evaluate("e => e.complete && e.naturalWidth") == 96
        blocking = [(v["id"], v["nodes"][:2]) for v in axe(page) if v["impact"] in BLOCKING]
        assert blocking == []
        page.screenshot(path=artifacts / "a11y" / f"themed-statement-{lang}-desktop.png")
    assert refused == [], refused
    context.close()
