"""Debian's Chromium: submit an action through the page, approve it, find its pin on the map."""

import os

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site(processes, smtp_server):
    from convoca.actions.places import import_places

    import_places({"AR", "JO"})
    smtp_server.clear()
    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    campaign.texts.update(title="Rivers Day coalition")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base}
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    get_user_model().objects.create_user("mod", is_staff=True)
    return base


def approve_all():
    """Runs while Playwright's event loop is alive: the connection opened here is not the test's
    own, so close it, or PostgreSQL refuses to drop the test database at the end."""
    from django.db import connections

    from convoca.actions import domain
    from convoca.actions.models import Action

    moderator = get_user_model().objects.get(username="mod")
    for action in Action.objects.filter(state="pending"):
        domain.decide(action.pk, "approve", moderator)
    connections.close_all()


def test_submit_approve_and_open_the_pin(site, chromium, smtp_server, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/en/c/rivers/actions/new/")
    page.fill("#id_title", "River vigil at the Obelisco")
    page.fill("#id_description", "Candles and songs for clean rivers.")
    page.select_option("#id_kind", "vigil")
    page.fill("#id_starts_at", "2027-03-08T18:30")
    page.fill("#id_venue", "Plaza de la República")
    page.fill("#id_city", "Buenos Aires")
    page.select_option("#id_country", "AR")
    page.fill("#id_organizer_name", "Dana Organizer")
    page.fill("#id_organizer_email", "dana.browser@example.org")
    page.screenshot(path=shots / "action-form-en.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/actions/thanks/")

    [message] = smtp_server.wait_for(1, timeout=30)
    link = next(line.strip() for line in message.get_body(("plain",)).get_content().splitlines() if "/verify/" in line)
    page.goto(link)
    page.click("button[type=submit]")
    assert page.locator("h1").count() == 1
    page.close()
    approve_all()

    for code in ("en", "ar"):
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        violations = []
        page.on(
            "console", lambda message: "Content Security Policy" in message.text and violations.append(message.text)
        )
        page.goto(f"{site}/{code}/c/rivers/actions/")
        page.wait_for_selector("#action-map[data-loaded='1']", timeout=15000)
        page.wait_for_timeout(500)
        marker = page.locator(".leaflet-marker-icon").first
        assert marker.is_visible()
        page.screenshot(path=shots / f"actions-map-list-{code}.png", full_page=True)
        marker.click()
        popup = page.locator(".leaflet-popup-content a")
        assert popup.inner_text() == "River vigil at the Obelisco"
        assert "6:30" in page.locator(".leaflet-popup-content p").inner_text() or code == "ar"
        popup.click()
        page.wait_for_url("**/a/*/")
        assert page.locator("h1").inner_text() == "River vigil at the Obelisco"
        assert "America/Argentina/Buenos_Aires" in page.content()
        page.wait_for_selector("#action-point .leaflet-marker-icon", timeout=10000)
        assert violations == [], violations  # the pages and the map run under the strict CSP
        page.screenshot(path=shots / f"action-page-{code}.png", full_page=True)
        page.close()

    phone = chromium.new_page(viewport={"width": 360, "height": 780}, device_scale_factor=2)
    phone.goto(f"{site}/ar/c/rivers/actions/new/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=shots / "action-form-ar-phone.png", full_page=True)
    phone.close()


def test_the_form_suggests_cities_and_the_pin_sets_coordinates(site, chromium, artifacts):
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, timezone_id="Asia/Tokyo")
    page.goto(f"{site}/en/c/rivers/actions/new/")
    page.select_option("#id_country", "AR")
    page.fill("#id_city", "Buenos")
    # (wait_for_function evaluates strings, which the pages' CSP rightly forbids: use locators)
    page.wait_for_selector("#city-options option", state="attached", timeout=10000)
    assert page.locator("#city-options option").first.get_attribute("value") == "Buenos Aires"
    page.fill("#id_city", "Buenos Aires")
    expect(page.locator("#id_latitude")).not_to_have_value("", timeout=5000)
    assert round(float(page.input_value("#id_latitude"))) == -35
    assert page.locator("#pin-map").is_visible()
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5)
    moved = float(page.input_value("#id_longitude"))
    assert moved != -58.37727 and -60 < moved < -57
    page.screenshot(path=artifacts / "screenshots" / "action-form-pin-en.png", full_page=True)
