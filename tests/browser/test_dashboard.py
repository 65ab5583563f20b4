"""Debian's Chromium on the coordinators' dashboard: the chart and the map are drawn, a new
confirmation shows up at the next refresh, nothing is logged to the console; screenshots for docs/."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from convoca.statements import domain
from tests import factories
from tests.conftest import free_port, wait_for_port
from tests.dashboard.seed import seed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def site(processes):
    data = seed()
    user = get_user_model().objects.create_superuser("coordinator", password="a-long-password-123")
    client = Client()
    factories.staff_login(client, user)  # a session opened with a TOTP device, as the real login does
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", CONVOCA_BASE_URL=base)
    wait_for_port(port)
    return {"base": base, "session": client.cookies["sessionid"].value, **data}


def staff_page(chromium, site, viewport, scale=1):
    context = chromium.new_context(viewport=viewport, device_scale_factor=scale)
    context.add_cookies([{"name": "sessionid", "value": site["session"], "url": site["base"]}])
    page = context.new_page()
    problems = []
    # A failed request is caught by its response (below); Chromium's own favicon request is none of ours.
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning")
            and "Failed to load resource" not in message.text
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )
    return page, problems


def test_dashboard_draws_refreshes_and_logs_nothing(site, chromium, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    page, problems = staff_page(chromium, site, {"width": 1280, "height": 900})
    page.goto(f"{site['base']}/en/staff/c/rivers/")
    page.wait_for_selector(".map-svg path.country")
    assert page.locator("[data-chart=hours] svg rect").count() > 10
    assert page.locator("[data-chart=days] svg rect").count() >= 8
    assert page.locator(".map-svg path.country").count() > 150
    # Brazil, the largest country in the seed, takes the darkest class; a country without sign-ups the grey
    fill = "[...document.querySelectorAll('.map-svg *')].find(p => p.textContent.startsWith(%r)).getAttribute('fill')"
    assert page.evaluate(fill % "Brazil:") == "#0b4a3f"
    assert page.evaluate(fill % "Mongolia:") == "#ecebe6"
    assert page.locator("#map-legend .item").count() >= 3
    # sorting by clicking a column heading, with aria-sort following
    page.click("#country-table th[data-sort=country] a")
    assert page.locator("#country-table th[data-sort=country]").get_attribute("aria-sort") == "ascending"
    assert page.locator("#country-table th[data-sort=total]").get_attribute("aria-sort") is None
    assert page.locator("#country-table tbody th").first.inner_text() == "Argentina"
    page.click("#country-table th[data-sort=total] a")
    assert page.locator("#country-table th[data-sort=total]").get_attribute("aria-sort") == "descending"
    assert page.locator("#country-table tbody th").first.inner_text() == "Brazil"
    page.screenshot(path=shots / "dashboard-en.png", full_page=True)
    page.locator("#partners").screenshot(path=shots / "dashboard-partners-en.png")

    total = int(page.locator("[data-figure='totals.total']").inner_text().replace(",", ""))
    statement = site["statement"]
    endorsement = factories.endorse(statement, {"kind": "person", "name": "Zoe New", "email": "zoe@example.org",
                                                "country": "NZ"})  # fmt: skip
    factories.confirm(endorsement)
    domain.fold_counts()
    connections.close_all()  # opened inside Playwright's loop: close it (see the chromium fixture)
    page.evaluate("window.convocaDashboardRefresh()")
    page.wait_for_function(
        f"document.querySelector(\"[data-figure='totals.total']\").textContent.replace(/,/g, '') === '{total + 1}'"
    )
    assert f"{total + 1:,}" in page.locator("#live").inner_text()
    assert "New Zealand" in page.locator("#country-table").inner_text()
    assert problems == []


def test_dashboard_in_arabic_and_on_a_phone(site, chromium, artifacts):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    page, problems = staff_page(chromium, site, {"width": 1280, "height": 900})
    page.goto(f"{site['base']}/ar/staff/c/rivers/")
    page.wait_for_selector(".map-svg path.country")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.screenshot(path=shots / "dashboard-ar.png", full_page=True)
    phone, phone_problems = staff_page(chromium, site, {"width": 360, "height": 740}, scale=2)
    phone.goto(f"{site['base']}/en/staff/c/rivers/")
    phone.wait_for_selector(".map-svg path.country")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "nothing overflows the phone's width"
    phone.screenshot(path=shots / "dashboard-phone-en.png", full_page=True)
    assert problems == [] and phone_problems == []
