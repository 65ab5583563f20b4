"""The weight budget: a statement page (a few hundred endorsers, the list paginated), in English
and Arabic, and the actions page transfer under 150 KB on a first visit (empty cache, map tiles
left out), and make no request to any other origin.

Two figures per page: the bytes the browser received from the test server, which compresses
nothing, and the bytes nginx sends for them in production (deploy/nginx/convoca.conf: gzip, at
nginx's default level 1, for HTML, CSS, JavaScript, JSON and SVG), measured by compressing each
body the way nginx does. The budget applies to what a visitor receives: the second figure.
"""

import gzip
import json
import os
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests import factories
from tests.conftest import ARTIFACTS, free_port, wait_for_port, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BUDGET = 150 * 1024
TILES = "tiles.example.net"  # the tile host these tests configure: requests to it are map tiles
COMPRESSED_TYPES = ("text/html", "text/css", "application/javascript", "text/javascript", "application/json",
                    "image/svg+xml")  # fmt: skip


@pytest.fixture
def site(processes, smtp_server):
    from convoca.actions import domain as actions
    from convoca.statements import domain
    from tests.browser.test_a11y import action_data

    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    statement = factories.statement(
        slug="letter",
        goal=1000,
        campaign_=campaign,
        en=(
            "An open letter for clean rivers",
            "Rivers give **water and life**.\n\n" + "We ask for clean rivers. " * 40,
        ),
        ar=("رسالة مفتوحة من أجل أنهار نظيفة", "تمنح الأنهار **الماء والحياة**.\n\n" + "نطالب بأنهار نظيفة. " * 40),
    )
    countries = ["AR", "JO", "FR", "BR", "PK", "TR", "DE", "EG"]
    for n in range(300):
        person = {"kind": "person", "name": f"Signer Number {n}", "email": f"s{n}@example.org",
                  "country": countries[n % len(countries)], "city": "Somewhere"}  # fmt: skip
        factories.confirm(factories.endorse(statement, person, public=True))
    domain.fold_counts()
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    for n in range(20):
        action = actions.submit(campaign, action_data(title=f"Vigil {n}", latitude=str(-34 + n / 10)))
        actions.verify(actions.verify_token(action))
        actions.decide(action.pk, "approve", moderator)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "EMAIL_URL": smtp_server.url,
        "CONVOCA_BASE_URL": base,
        "CONVOCA_MAP_TILES": f"https://{TILES}/{{z}}/{{x}}/{{y}}.png",
    }
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    connections.close_all()

    def mapped():  # the worker prepares the GeoJSON every count interval
        with urllib.request.urlopen(f"{base}/api/v1/campaigns/rivers/actions.geojson") as answer:
            return len(json.loads(answer.read())["features"]) == 20

    wait_until(mapped, timeout=30, interval=0.5)
    return base


def nginx_size(body: bytes, content_type: str) -> int:
    if content_type.split(";")[0].strip() in COMPRESSED_TYPES and len(body) >= 20:
        return len(gzip.compress(body, compresslevel=1))
    return len(body)


def weigh(chromium, site: str, path: str, ready: str) -> dict:
    """Load `path` in a fresh context with the cache off; every response, its origin and size."""
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    elsewhere, tiles = [], []

    def route(route):
        url = urlsplit(route.request.url)
        if url.hostname == TILES:
            tiles.append(route.request.url)
            route.abort()  # map tiles are outside the budget (and there is no network here)
        elif f"{url.scheme}://{url.netloc}" != site and url.scheme != "data":
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(site + path)
    try:
        page.wait_for_selector(ready, state="attached", timeout=45000)
    except Exception:
        page.screenshot(path=ARTIFACTS / "page-weight-failed.png")
        raise AssertionError(f"{path}: {ready} never showed; console: {console}") from None
    page.wait_for_load_state("networkidle")
    rows = []
    for request in responses:
        response = request.response()
        if response is None:
            continue
        sizes = request.sizes()
        body = response.body()
        headers = sizes["responseHeadersSize"]
        rows.append({
            "url": request.url.removeprefix(site), "status": response.status,
            "received": sizes["responseBodySize"] + headers,
            "nginx": nginx_size(body, response.headers.get("content-type", "")) + headers,
        })  # fmt: skip
    context.close()
    return {
        "path": path,
        "received": sum(row["received"] for row in rows),
        "nginx": sum(row["nginx"] for row in rows),
        "responses": rows,
        "elsewhere": elsewhere,
        "tiles": len(tiles),
    }


def test_pages_stay_under_150_kb_and_on_our_own_origin(site, chromium, artifacts):
    pages = [
        weigh(chromium, site, "/en/s/letter/", ".endorser-list"),
        weigh(chromium, site, "/ar/s/letter/", ".endorser-list"),
        weigh(chromium, site, "/en/c/rivers/actions/", "#action-map[data-loaded='20'] .leaflet-marker-icon"),
    ]
    (artifacts / "page-weight.json").write_text(json.dumps(pages, indent=1))
    for page in pages:
        print(f"{page['path']}: {page['nginx'] / 1024:.1f} KB through nginx, {page['received'] / 1024:.1f} KB "
              f"uncompressed, {len(page['responses'])} responses, {page['tiles']} tile requests left out")  # fmt: skip
    for page in pages:
        assert page["elsewhere"] == [], f"{page['path']} asked another origin"
        assert all(row["status"] < 400 for row in page["responses"]), page["responses"]
        assert page["nginx"] < BUDGET, (page["path"], page["nginx"], page["responses"])
    statement = pages[0]
    assert statement["received"] < BUDGET, "even uncompressed, the statement page keeps to the budget"
    assert not any("leaflet" in row["url"] for row in statement["responses"]), "no map library without a map"
    assert pages[2]["tiles"] > 0, "the map asked for tiles (left out of the budget)"


def test_the_font_stack_covers_arabic_script(site, chromium, artifacts):
    """System fonts only (no font file is downloaded): Noto's Arabic fonts render the Arabic and
    Urdu pages (fonts-noto-core in CI), not a fallback box."""
    (artifacts / "a11y").mkdir(exist_ok=True)
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    for code in ("ar", "ur"):
        page.goto(f"{site}/{code}/s/letter/")
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main p.note" if code == "ur" else "h1"})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        names = {font["familyName"] for font in fonts}
        assert any("Arabic" in name or "Urdu" in name or "Naskh" in name for name in names), (code, names)
        page.screenshot(path=artifacts / "a11y" / f"font-{code}-phone.png")
    context.close()
