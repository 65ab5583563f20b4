"""Debian's Chromium walks the page flow: endorse, read the mail, confirm, see the count."""

import os

import pytest

from tests import factories
from tests.conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def site(processes, smtp_server):
    smtp_server.clear()
    campaign = factories.campaign(languages=("en", "ar"))
    factories.statement(
        slug="letter",
        goal=50,
        campaign_=campaign,
        en=(
            "An open letter for clean rivers",
            "Rivers give **water and life**.\n\n1. Stop waste.\n2. Share data.",
        ),
        ar=(
            "رسالة مفتوحة من أجل أنهار نظيفة",
            "تمنح الأنهار **الماء والحياة**.\n\n1. أوقفوا النفايات.\n2. انشروا البيانات.",
        ),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base, "CONVOCA_COUNT_INTERVAL": "1"}
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    return base


def test_endorse_confirm_and_see_the_count(site, chromium, smtp_server, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/en/s/letter/")
    assert page.locator("h1").inner_text() == "An open letter for clean rivers"
    assert "0 endorsements" in page.locator(".count-number").inner_text()
    page.screenshot(path=shots / "statement-en.png", full_page=True)

    page.fill("#id_name", "Alice Example")
    page.fill("#id_email", "not an address")
    page.click("button[type=submit]:has-text('Endorse')")
    assert page.locator("#id_email_error").is_visible()
    assert page.locator("#id_country_error").is_visible()
    assert page.locator("#id_consent_error").is_visible()
    page.screenshot(path=shots / "form-errors-en.png", full_page=True)

    page.fill("#id_email", "alice.browser@example.org")
    page.select_option("#id_country", "AR")
    page.fill("#id_city", "Rosario")
    page.check("#id_public")
    page.check("#id_consent")
    page.click("button[type=submit]:has-text('Endorse')")
    page.wait_for_url("**/check-your-inbox/")
    assert page.locator("h1").inner_text() == "Check your inbox"
    page.screenshot(path=shots / "inbox-en.png", full_page=True)
    assert page.context.cookies() == []

    [message] = smtp_server.wait_for(1, timeout=30)
    text = message.get_body(("plain",)).get_content()
    link = next(line.strip() for line in text.splitlines() if "/confirm/" in line)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Confirm your endorsement"
    page.screenshot(path=shots / "confirm-en.png", full_page=True)
    page.click("button:has-text('Yes, count my endorsement')")
    assert "confirmed" in page.locator("h1").inner_text()
    page.screenshot(path=shots / "confirmed-en.png", full_page=True)

    page.click("text=Back to the statement")
    for _ in range(20):
        if "1 endorsement" in page.locator(".count-number").inner_text():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert "1 endorsement" in page.locator(".count-number").inner_text()
    assert page.locator(".endorser-list").inner_text().startswith("Alice Example")
    page.screenshot(path=shots / "counted-en.png", full_page=True)


def test_arabic_page_on_a_phone(site, chromium, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(f"{site}/ar/s/letter/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "رسالة مفتوحة من أجل أنهار نظيفة"
    # right to left: the heading's text starts at the right edge of its box
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing overflows the phone's width"
    page.screenshot(path=shots / "statement-ar-phone.png", full_page=True)
    page.click("button[type=submit]")
    assert page.locator("#id_email_error").is_visible()
    page.screenshot(path=shots / "form-errors-ar-phone.png", full_page=True)


@pytest.mark.parametrize("code", ["en", "ar", "ur"])
def test_statement_page_in_three_scripts_on_desktop_and_phone(site, chromium, artifacts, code):
    """Screenshots for docs/: English, Arabic (its own text) and Urdu (falls back, with the note)."""
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 360, "height": 780})):
        page = chromium.new_page(viewport=viewport, device_scale_factor=1 if name == "desktop" else 2)
        page.goto(f"{site}/{code}/s/letter/")
        direction = page.evaluate("document.documentElement.dir")
        assert direction == ("ltr" if code == "en" else "rtl")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if code == "ur":
            assert page.locator(".note").is_visible()
        if direction == "rtl":
            # mirrored: the text takes the inline start (the right), the form the inline end (the left)
            box = page.locator("aside.sign").bounding_box()
            body = page.locator(".body").bounding_box()
            assert name == "phone" or box["x"] < body["x"]
        page.screenshot(path=shots / f"statement-{code}-{name}.png", full_page=True)
        page.close()


def test_the_widget_solves_the_proof_of_work_and_no_javascript_still_works(site, chromium, artifacts):
    """With JavaScript, the ALTCHA widget solves a challenge while the visitor types: normal lane.
    Without it, the same form still works and takes the strict lane."""
    import time

    from django.db import connections

    from convoca.statements.models import Endorsement

    def fill(page, email):
        page.goto(f"{site}/en/s/letter/")
        shown.append(time.monotonic())  # the server stamped the form before this
        page.fill("#id_name", "Widget Tester")
        page.fill("#id_email", email)
        page.select_option("#id_country", "FR")
        page.check("#id_consent")

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    shown = []
    fill(page, "with.js@example.org")
    field = page.locator("input[name=altcha]")
    deadline = time.monotonic() + 30
    while not field.input_value() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert field.input_value(), "the widget did not solve its challenge within 30 s"
    page.locator("form.endorse").screenshot(path=artifacts / "form-verified-en.png")
    page.wait_for_timeout(max(0, 3.5 - (time.monotonic() - shown[0])) * 1000)  # a person takes longer than 3 s
    page.click("button[type=submit]:has-text('Endorse')")
    page.wait_for_url("**/check-your-inbox/")

    context = chromium.new_context(java_script_enabled=False)
    plain = context.new_page()
    fill(plain, "without.js@example.org")
    assert plain.locator("altcha-widget").count() == 1  # inert without JavaScript
    plain.click("button[type=submit]:has-text('Endorse')")
    plain.wait_for_url("**/check-your-inbox/")
    context.close()

    lanes = {endorsement.email: endorsement.lane for endorsement in Endorsement.objects.all()}
    connections.close_all()  # opened inside Playwright's loop: close it (see the chromium fixture)
    assert lanes == {"with.js@example.org": "normal", "without.js@example.org": "strict"}
