"""Card images over HTTP, their versions and cache headers, and the pages' meta tags and share links."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from convoca.actions.models import Action
from convoca.campaigns.models import Partner
from convoca.cards import content
from convoca.core import caching, memo
from convoca.statements.models import Counter
from tests import factories
from tests.test_security import site  # noqa: F401 - a campaign "rivers", statement "open-letter", approved action

pytestmark = pytest.mark.django_db


class Meta(HTMLParser):
    """Every <meta property|name content> of a page, and every <script> and <img> in it."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: dict[str, list[str]] = {}
        self.scripts: list[str] = []
        self.images: list[str] = []
        self.links: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.tags.setdefault(attrs.get("property") or attrs.get("name"), []).append(attrs["content"])
        elif tag == "script":
            self.scripts.append(attrs.get("src") or "")
        elif tag == "img":
            self.images.append(attrs.get("src") or "")
        elif tag == "a" and "share-" in (attrs.get("class") or ""):
            self.links.append(attrs)

    def one(self, key: str) -> str:
        [value] = self.tags[key]
        return value


def count(statement, people: int) -> None:
    """Sets the folded count, as the worker's fold job leaves it, and forgets the memoised pages."""
    Counter.objects.update_or_create(statement=statement, country="", defaults={"people": people})
    memo.clear_all()


def card_url(meta: Meta) -> str:
    return urlsplit(meta.one("og:image")).path


def test_the_statement_card_is_a_png_kept_for_a_year_at_its_current_version(client, site):  # noqa: F811
    statement = site.campaign.statements.get()
    meta = Meta(client.get("/en/s/open-letter/").content.decode())
    url = card_url(meta)
    assert re.fullmatch(r"/en/s/open-letter/card-0-[0-9a-f]{12}\.png", url)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == caching.VERSIONED
    assert "Vary" not in response or "accept-language" not in response["Vary"].lower()
    assert not response.cookies
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    # An old or made-up version gets today's card, cacheable only briefly.
    stale = client.get("/en/s/open-letter/card-5-000000000000.png")
    assert stale.status_code == 200 and stale.content == response.content
    assert stale["Cache-Control"] == caching.public_cache_control(caching.PUBLIC_ROUTES[
        "<lang>/s/<slug:slug>/card-<slug:version>.png"] * 1)  # fmt: skip
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"] == "image/png"
    assert client.post(url).status_code == 405
    assert statement.published


def test_unknown_unpublished_and_unlisted_objects_have_no_card(client, site):  # noqa: F811
    factories.statement(slug="draft", published=False, campaign_=site.campaign)
    for url in (
        "/en/s/no-such-statement/card-0-x.png",
        "/en/s/draft/card-0-x.png",
        "/xx/s/open-letter/card-0-x.png",  # not a language
        "/en/a/999999/card-0-x.png",
        "/en/c/no-such-campaign/actions/card-0-x.png",
        "/en/s/open-letter/card-.png",
        "/en/s/open-letter/card-0-x.jpg",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "no-store" in response["Cache-Control"], url
    site.state = "rejected"
    site.save()
    assert client.get(f"/en/a/{site.pk}/card-0-x.png").status_code == 404


def test_the_image_url_changes_when_the_count_crosses_a_bucket(client, site):  # noqa: F811
    statement = site.campaign.statements.get()
    seen = {}
    for people in (57, 58, 1234, 1250, 1299, 1300):
        count(statement, people)
        seen[people] = card_url(Meta(client.get("/en/s/open-letter/").content.decode()))
    assert seen[57] != seen[58]  # below 100, every signature counts
    assert seen[1234] == seen[1250] == seen[1299]  # 1,200+: one card
    assert seen[1299] != seen[1300]
    assert "/card-1200-" in seen[1250] and "/card-1300-" in seen[1300]
    assert client.get(seen[1300])["Cache-Control"] == caching.VERSIONED
    assert client.get(seen[1250])["Cache-Control"] != caching.VERSIONED  # no longer current


def test_each_card_is_drawn_once_per_version(client, site, monkeypatch):  # noqa: F811
    from convoca.cards import render

    drawn = []
    real = render.png
    monkeypatch.setattr(render, "png", lambda card: drawn.append(card) or real(card))  # counts, still draws
    statement = site.campaign.statements.get()
    count(statement, 1210)
    url = card_url(Meta(client.get("/ar/s/open-letter/").content.decode()))
    for _ in range(3):
        assert client.get(url).status_code == 200
    count(statement, 1290)  # same bucket: same card, nothing drawn
    assert client.get(url).status_code == 200
    assert len(drawn) == 1
    assert drawn[0].language == "ar" and drawn[0].figure.text.startswith("1,200+")


def test_bucket_keeps_two_significant_digits():
    assert [content.bucket(n) for n in (0, 7, 99, 100, 101, 1234, 98765, 1_234_567)] == [
        0, 7, 99, 100, 100, 1200, 98000, 1_200_000,
    ]  # fmt: skip


def test_meta_tags_on_the_statement_page(client, site):  # noqa: F811
    meta = Meta(client.get("/en/s/open-letter/").content.decode())
    assert meta.one("og:title") == meta.one("twitter:title") == "An open letter"
    assert meta.one("og:description") == "We ask for clean water."  # plain text, no markdown or tags
    assert meta.one("og:type") == "article"
    assert meta.one("og:url") == "http://testserver/en/s/open-letter/"
    assert meta.one("og:image").startswith("http://testserver/en/s/open-letter/card-")
    assert meta.one("twitter:image") == meta.one("og:image")
    assert meta.one("twitter:card") == "summary_large_image"
    assert (meta.one("og:image:width"), meta.one("og:image:height")) == ("1200", "630")
    assert "An open letter" in meta.one("og:image:alt") and "0 endorsements" in meta.one("og:image:alt")
    assert meta.one("og:locale") == "en_US"
    arabic = Meta(client.get("/ar/s/open-letter/").content.decode())
    assert arabic.one("og:locale") == "ar_AR" and "/ar/s/open-letter/card-" in arabic.one("og:image")


def test_meta_tags_on_the_action_and_campaign_pages(client, site):  # noqa: F811
    action = Meta(client.get(f"/en/a/{site.pk}/").content.decode())
    assert action.one("og:title") == site.title
    assert re.fullmatch(rf"http://testserver/en/a/{site.pk}/card-0-[0-9a-f]{{12}}\.png", action.one("og:image"))
    assert "Buenos Aires" in action.one("og:description")
    response = client.get(urlsplit(action.one("og:image")).path)
    assert response.status_code == 200 and response["Cache-Control"] == caching.VERSIONED
    campaign = Meta(client.get("/en/c/rivers/actions/").content.decode())
    assert campaign.one("og:title").startswith("Local actions · ")
    assert re.fullmatch(r"http://testserver/en/c/rivers/actions/card-1-[0-9a-f]{12}\.png", campaign.one("og:image"))
    response = client.get(urlsplit(campaign.one("og:image")).path)
    assert response.status_code == 200 and response["Cache-Control"] == caching.VERSIONED


def test_a_hostile_title_cannot_break_out_of_the_meta_tags(client):
    title = '"><script>alert(1)</script> It\'s "quoted" & <b>bold</b>'
    factories.statement(slug="hostile", en=(title, 'Body with "quotes" and <script>x()</script> & more'))
    page = client.get("/en/s/hostile/").content.decode()
    assert "<script>alert(1)" not in page and "<script>x()" not in page
    meta = Meta(page)
    assert meta.one("og:title") == title  # the parser gives back exactly the text, unbroken
    assert meta.one("twitter:title") == title
    # what the author wrote comes back as text (markdown escaped it; the attribute escapes it again)
    assert meta.one("og:description") == 'Body with "quotes" and <script>x()</script> & more'
    assert re.search(r'<meta property="og:title" content="&quot;&gt;&lt;script&gt;alert\(1\)', page)
    assert all(src.startswith("/static/") for src in meta.scripts), meta.scripts


def test_share_links_are_plain_links_with_no_third_party_script(client, site):  # noqa: F811
    for url in ("/en/s/open-letter/", f"/en/a/{site.pk}/", "/en/c/rivers/actions/", "/ar/s/open-letter/"):
        meta = Meta(client.get(url).content.decode())
        assert all(src.startswith("/static/") for src in meta.scripts), (url, meta.scripts)  # only our own
        assert not [src for src in meta.images if "://" in src], url  # no tracking pixel
        networks = {link["class"].removeprefix("share-") for link in meta.links}
        assert networks == {"whatsapp", "telegram", "x", "facebook", "bluesky", "email"}, url
        for link in meta.links:
            assert link["aria-label"], url
            if link["class"] != "share-email":
                assert link["rel"] == "noopener noreferrer" and link["target"] == "_blank"
                assert link["href"].startswith("https://")
        shared = "http://testserver" + url
        hrefs = {link["class"]: link["href"] for link in meta.links}
        assert parse_qs(urlsplit(hrefs["share-telegram"]).query)["url"] == [shared]
        assert parse_qs(urlsplit(hrefs["share-facebook"]).query)["u"] == [shared]
        assert parse_qs(urlsplit(hrefs["share-whatsapp"]).query)["text"][0].endswith(shared)
        assert hrefs["share-email"].startswith("mailto:?subject=")


def test_a_partners_source_code_stays_on_the_shared_link(client, site):  # noqa: F811
    Partner.objects.create(campaign=site.campaign, code="river-friends", name="River Friends")
    page = Meta(client.get("/en/s/open-letter/?source=river-friends").content.decode())
    assert page.one("og:url") == "http://testserver/en/s/open-letter/?source=river-friends"
    telegram = next(link["href"] for link in page.links if link["class"] == "share-telegram")
    assert parse_qs(urlsplit(telegram).query)["url"] == ["http://testserver/en/s/open-letter/?source=river-friends"]
    # An unknown code is not carried on, and the page memo does not mix the two.
    other = Meta(client.get("/en/s/open-letter/?source=made-up").content.decode())
    assert other.one("og:url") == "http://testserver/en/s/open-letter/"
    plain = Meta(client.get("/en/s/open-letter/").content.decode())
    assert plain.one("og:url") == "http://testserver/en/s/open-letter/"
    action = Meta(client.get(f"/en/a/{site.pk}/?source=river-friends").content.decode())
    assert action.one("og:url").endswith("?source=river-friends")


def test_the_action_card_says_when_where_and_how_many_are_going(client, site):  # noqa: F811
    site.refresh_from_db()  # the fixture's object predates its approval
    Action.objects.filter(pk=site.pk).update(rsvps_confirmed=1234)
    site.refresh_from_db()
    card = content.action_card(site, "en").card
    assert card.title.text == site.title
    assert card.figure.text == "1,200+ people are coming."
    when, where = (piece.text for piece in card.details)
    assert "(America/Argentina/Buenos_Aires)" in when and "Argentina" in where
    arabic = content.action_card(site, "ar")
    assert arabic.name.startswith("1200-") and "، " in arabic.card.details[1].text  # Arabic comma
    meta = Meta(client.get(f"/ar/a/{site.pk}/").content.decode())
    assert f"/ar/a/{site.pk}/card-1200-" in meta.one("og:image")
    Action.objects.filter(pk=site.pk).update(rsvps_confirmed=1300)
    assert f"/ar/a/{site.pk}/card-1300-" in Meta(client.get(f"/ar/a/{site.pk}/").content.decode()).one("og:image")
