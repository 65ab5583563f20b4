"""The embeds on plain external pages: two partner sites, on another origin (another host name
and port, so another site), frame Convoca's widgets with the snippets coordinators copy. In
Debian's Chromium, people sign inside the frames, confirm through the real mail, and each
endorsement carries its partner's code; embed.js sizes the frames; nothing is fetched from a
third party. The screenshots in docs/screenshots/embed-*.png come from here."""

import dataclasses
import functools
import json
import os
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count
from django.test import Client

from convoca.actions import domain as actions
from convoca.actions.models import Action
from convoca.campaigns.models import Partner
from convoca.embeds import snippets
from convoca.statements.models import Endorsement
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES
from tests.conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

TILES = "https://tiles.example.net/{z}/{x}/{y}.png"  # answered by the test (page.route), never fetched
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4530000000049454e44ae426082"
)

PAGE = """<!doctype html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<link rel="stylesheet" href="partner.css">
</head><body>
<header><strong>{name}</strong> <span>· a partner's own site (test page)</span></header>
<main>
<h1>{heading}</h1>
<p>{intro}</p>
{snippet}
<p class="after">Text of the partner's page after the widget.</p>
</main>
</body></html>
"""
CSS = """body { font-family: Georgia, serif; margin: 0; background: #f3efe6; color: #222; }
header { background: #7a2e1d; color: #fff; padding: .8rem 1.5rem; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.after { color: #555; font-style: italic; }
"""


@pytest.fixture
def partner_site(tmp_path):
    """The plain external test page: static files from a second HTTP server, on `localhost` (Convoca
    runs on 127.0.0.1, so the two are different sites, not only different origins)."""
    root = tmp_path / "partner"
    root.mkdir()
    (root / "partner.css").write_text(CSS)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.root = root
    server.base = f"http://localhost:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(processes, smtp_server):
    smtp_server.clear()
    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    Partner.objects.create(campaign=campaign, code="river-friends", name="Friends of Rivers")
    Partner.objects.create(campaign=campaign, code="delta_union", name="Delta Union")
    statement = factories.statement(
        slug="letter",
        goal=10,
        campaign_=campaign,
        en=("An open letter for clean rivers", "Rivers give **water and life**."),
        ar=("رسالة مفتوحة من أجل أنهار نظيفة", "تمنح الأنهار **الماء والحياة**."),
    )
    Client().post("/api/v1/campaigns/rivers/actions", json.dumps(BUENOS_AIRES), content_type="application/json")
    action = Action.objects.get()
    actions.verify(actions.verify_token(action))
    actions.decide(action.pk, "approve", get_user_model().objects.create_user("moderator", is_staff=True))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "EMAIL_URL": smtp_server.url,
        "CONVOCA_BASE_URL": base,
        "CONVOCA_COUNT_INTERVAL": "1",
        "CONVOCA_MAP_TILES": TILES,
        "CONVOCA_MIN_FORM_SECONDS": "1",
    }
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    return {"base": base, "campaign": campaign, "statement": statement}


def write_page(partner_site, site, name, *, kind, partner, language, heading):
    html = snippets.snippets(site["campaign"], site["statement"], partner, language, base_url=site["base"])[kind]
    intro = {
        ("form", "en"): "We support this campaign. Sign below: your endorsement is counted by Convoca.",
        ("form", "ar"): "ندعم هذه الحملة. وقّعوا أدناه.",
    }.get((kind, language), "Our coalition's campaign, live.")
    (partner_site.root / f"{name}.html").write_text(
        PAGE.format(
            lang=language,
            direction="rtl" if language == "ar" else "ltr",
            name=heading.split(" —")[0],
            heading=heading,
            intro=intro,
            snippet=html,
        )
    )
    return f"{partner_site.base}/{name}.html"


class Watch:
    """Every request the page and its frames make; tiles (the operator's configured host) answered here."""

    def __init__(self, page):
        self.urls = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.route("https://tiles.example.net/**", lambda route: route.fulfill(body=PNG, content_type="image/png"))

    def hosts(self):
        return {urlsplit(url).netloc for url in self.urls if urlsplit(url).scheme in ("http", "https")}


def shoot(page, path):
    """A screenshot of the whole partner page. The viewport is made as tall as the page first: a
    full-page capture paints an out-of-process frame only as far as the viewport reached."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(300)
    page.screenshot(path=path)
    page.set_viewport_size(size)


def frame_of(page):
    handle = page.wait_for_selector("iframe[data-convoca-embed]")
    frame = handle.content_frame()
    frame.wait_for_load_state()
    return handle, frame


def wait_for_size(handle, initial: int, timeout: float = 15.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sized = handle.get_attribute("data-convoca-sized")
        if sized and int(sized) != initial:
            return int(sized)
        time.sleep(0.1)
    raise AssertionError("embed.js did not size the frame")


def sign_in_frame(page, frame, person: dict, submit_text: str):
    frame.fill("#id_name", person["name"])
    frame.fill("#id_email", person["email"])
    frame.select_option("#id_country", person["country"])
    frame.check("#id_consent")
    field = frame.locator("input[name=altcha]")
    deadline = time.monotonic() + 30
    while not field.input_value() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert field.input_value(), "the proof-of-work widget did not solve its challenge inside the frame"
    page.wait_for_timeout(1200)  # a person takes longer than CONVOCA_MIN_FORM_SECONDS
    frame.click(f"button[type=submit]:has-text('{submit_text}')")
    frame.wait_for_url("**/embed/s/letter/check-your-inbox/**")


def confirm_by_mail(chromium, smtp_server, address: str):
    deadline = time.monotonic() + 30
    while not smtp_server.to(address) and time.monotonic() < deadline:
        time.sleep(0.2)
    [message] = smtp_server.to(address)
    text = message.get_body(("plain",)).get_content()
    link = next(line.strip() for line in text.splitlines() if "/confirm/" in line)
    page = chromium.new_page()
    page.goto(link)
    with page.expect_navigation():
        page.click("form button[type=submit]")  # the POST that confirms (in the mail's language)
    page.close()


def test_two_partners_forms_bring_attributed_sign_ups(site, partner_site, chromium, smtp_server, artifacts, settings):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    convoca = urlsplit(site["base"]).netloc
    rivers = write_page(
        partner_site, site, "rivers", kind="form", partner="river-friends", language="en",
        heading="Friends of Rivers — sign the open letter",
    )  # fmt: skip
    delta = write_page(
        partner_site, site, "delta", kind="form", partner="delta_union", language="ar",
        heading="Delta Union — وقّعوا الرسالة",
    )  # fmt: skip

    # Friends of Rivers' page, in English: Alice signs (and confirms), Dan signs (and never confirms)
    for person in (factories.ALICE, {**factories.ALICE, "name": "Dan Later", "email": "dan@example.org"}):
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        watch = Watch(page)
        page.goto(rivers)
        handle, frame = frame_of(page)
        assert f'height="{snippets.HEIGHTS["form"]}"' in (partner_site.root / "rivers.html").read_text()
        height = wait_for_size(handle, snippets.HEIGHTS["form"])
        assert height > 900, "the form is taller than the snippet's first guess"
        assert frame.evaluate("document.documentElement.dir") == "ltr"
        assert frame.locator("input[name=source]").get_attribute("value") == "river-friends"
        if person is factories.ALICE:
            shoot(page, shots / "embed-form-en.png")
        sign_in_frame(page, frame, person, "Endorse")
        assert page.url == rivers, "the partner's page stays; only the frame moved on"
        assert frame.locator("h1").inner_text() == "Check your inbox"
        assert frame.locator("header.site").count() == 0
        wait_for_size(handle, height)  # the thanks page is shorter: embed.js follows it
        assert watch.hosts() <= {convoca, urlsplit(partner_site.base).netloc}, watch.hosts()
        assert page.context.cookies() == []
        page.close()

    # Delta Union's page, in Arabic: Bob signs and confirms
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto(delta)
    handle, frame = frame_of(page)
    wait_for_size(handle, snippets.HEIGHTS["form"])
    assert frame.evaluate("document.documentElement.dir") == "rtl"
    assert frame.evaluate("getComputedStyle(document.querySelector('form.endorse')).direction") == "rtl"
    shoot(page, shots / "embed-form-ar.png")
    desktop = int(handle.get_attribute("data-convoca-sized"))
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the frame narrows, embed.js follows
    phone = wait_for_size(handle, desktop)
    assert phone > desktop
    assert frame.evaluate("document.documentElement.scrollWidth") <= frame.evaluate("window.innerWidth")
    assert handle.bounding_box()["width"] <= 360 and abs(handle.bounding_box()["height"] - phone) <= 1
    shoot(page, shots / "embed-form-ar-phone.png")
    sign_in_frame(page, frame, {**factories.CAROL, "name": "Bob Delta", "email": "bob.delta@example.net"}, "")
    assert watch.hosts() <= {convoca, urlsplit(partner_site.base).netloc}, watch.hosts()
    page.close()

    confirm_by_mail(chromium, smtp_server, "alice@example.org")
    confirm_by_mail(chromium, smtp_server, "bob.delta@example.net")

    sources = dict(Endorsement.objects.values_list("email", "source"))
    per_partner = dict(
        Endorsement.objects.filter(confirmed_at__isnull=False, counted=True)
        .values("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    connections.close_all()  # opened inside Playwright's loop (see the chromium fixture)
    assert sources == {
        "alice@example.org": "river-friends",
        "dan@example.org": "river-friends",
        "bob.delta@example.net": "delta_union",
    }
    assert per_partner == {"river-friends": 1, "delta_union": 1}

    # The coordinators' dashboard attributes them the same way (its figures endpoint, which the
    # page polls): Alice and Dan came with Friends of Rivers, Bob with Delta Union; counted only
    # once confirmed (Dan has not confirmed).
    coordinator = get_user_model().objects.create_user("coordinator", is_staff=True)
    staff = Client()
    staff.force_login(coordinator)
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, demo=True)  # no TOTP device here
    partners = {row["code"]: row for row in staff.get("/en/staff/c/rivers/figures.json").json()["partners"]}
    assert {code: (row["name"], row["all"], row["counted"]) for code, row in partners.items()} == {
        "river-friends": ("Friends of Rivers", 2, 1),
        "delta_union": ("Delta Union", 1, 1),
        "": ("", 0, 0),
    }
    page = staff.get("/en/staff/c/rivers/").content.decode()
    assert "Friends of Rivers" in page and "Delta Union" in page


def test_count_and_map_embeds_render_on_a_partner_page(site, partner_site, chromium, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    convoca = urlsplit(site["base"]).netloc
    count = write_page(
        partner_site, site, "count", kind="count", partner="river-friends", language="en",
        heading="Friends of Rivers — where the open letter stands",
    )  # fmt: skip
    the_map = write_page(
        partner_site, site, "map", kind="map", partner="delta_union", language="en",
        heading="Delta Union — actions near you",
    )  # fmt: skip

    for index in range(3):
        person = {**factories.ALICE, "email": f"signer{index}@example.org"}
        factories.confirm(factories.endorse(site["statement"], person, source="river-friends"))
    connections.close_all()  # opened inside Playwright's loop (see the chromium fixture)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    for _ in range(40):  # the worker folds the count events every second
        page.goto(count)
        handle, frame = frame_of(page)
        if "3 endorsements" in frame.locator(".count-number").inner_text():
            break
        page.wait_for_timeout(500)
    height = wait_for_size(handle, snippets.HEIGHTS["count"])
    assert "3 endorsements" in frame.locator(".count-number").inner_text()
    assert frame.locator("progress.progress").get_attribute("value") == "30"
    assert frame.locator("progress.progress").count() == 1
    link = frame.locator("a.button")
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("href") == "/en/s/letter/?source=river-friends"
    box = handle.bounding_box()
    assert abs(box["height"] - height) <= 1
    shoot(page, shots / "embed-count-en.png")
    assert watch.hosts() <= {convoca, urlsplit(partner_site.base).netloc}, watch.hosts()
    page.close()

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    page.goto(the_map)
    handle, frame = frame_of(page)
    wait_for_size(handle, snippets.HEIGHTS["map"])
    frame.wait_for_selector("#action-map[data-loaded='1']", timeout=30000)  # the worker prepared the GeoJSON
    frame.click(".leaflet-marker-icon")
    popup = frame.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.get_attribute("target") == "_blank"
    assert popup.inner_text() == "Marcha por los ríos"
    page.wait_for_timeout(500)  # tiles drawn
    shoot(page, shots / "embed-map-en.png")
    # Convoca, the partner's page and the operator's tile host (CONVOCA_MAP_TILES): nothing else
    assert watch.hosts() <= {convoca, urlsplit(partner_site.base).netloc, "tiles.example.net"}, watch.hosts()
    assert "tiles.example.net" in watch.hosts()
    page.close()


def test_a_page_that_is_not_an_embed_refuses_to_be_framed(site, partner_site, chromium):
    (partner_site.root / "steal.html").write_text(
        f'<!doctype html><iframe id="x" src="{site["base"]}/en/s/letter/" width="600" height="400"></iframe>'
    )
    page = chromium.new_page()
    page.goto(f"{partner_site.base}/steal.html")
    page.wait_for_timeout(1500)
    child = page.query_selector("#x").content_frame()
    assert "An open letter" not in child.content(), "the statement page must not render inside another site's frame"
    assert not child.url.startswith(site["base"]), child.url  # Chromium shows its own error page instead
