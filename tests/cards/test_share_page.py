"""Debian's Chromium on a phone: the share links fit the page in English and Arabic, open nothing by
themselves, and the copy button copies the link. The card images are saved beside the screenshots."""

import os

import pytest

from convoca.campaigns.models import CampaignText
from tests import factories
from tests.conftest import free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def site(processes):
    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    CampaignText.objects.create(campaign=campaign, language="ar", title="تحالف الأنهار", privacy_notice="نحفظ القليل.")
    factories.statement(
        slug="letter",
        goal=1000,
        campaign_=campaign,
        en=("An open letter for clean rivers", "Rivers give **water and life**."),
        ar=("رسالة مفتوحة من أجل أنهار نظيفة", "تمنح الأنهار **الماء والحياة**."),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", CONVOCA_BASE_URL=base)
    wait_for_port(port)
    return base


@pytest.mark.parametrize("code", ["en", "ar"])
def test_share_links_on_a_phone(site, chromium, artifacts, code):
    shots = artifacts / "screenshots"
    shots.mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site}/{code}/s/letter/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing overflows the phone's width"
    links = page.locator("section.share .share-links a")
    assert links.count() == 6
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 360
    assert all(url.startswith(site) for url in requests), "the page loads nothing from another site"
    copy = page.locator("button[data-copy]")
    assert copy.is_visible()  # revealed by share.js
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{site}/{code}/s/letter/"
    page.locator("section.share").scroll_into_view_if_needed()
    page.screenshot(path=shots / f"share-links-{code}-phone.png")
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    response = page.request.get(image)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    (shots / f"card-statement-{code}.png").write_bytes(response.body())
    context.close()
