"""Partners' source codes and the embeds (convoca.embeds): what is recorded, who may frame what,
what is cached, and the snippets coordinators copy. The framed form in a real browser, on a page
of another origin: test_partner_pages.py."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convoca.campaigns.models import Partner
from convoca.core import caching
from convoca.embeds import snippets
from convoca.statements import domain
from convoca.statements.models import Endorsement
from tests import factories
from tests.factories import ALICE, BOB, CAROL

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    campaign = factories.campaign(slug="rivers", languages=("en", "ar"))
    Partner.objects.create(campaign=campaign, code="river-friends", name="Friends of Rivers")
    Partner.objects.create(campaign=campaign, code="delta_union", name="Delta Union")
    other = factories.campaign(slug="forests", languages=("en",))
    Partner.objects.create(campaign=other, code="forest-folk", name="Forest Folk")  # another campaign's partner
    return factories.statement(
        slug="open-letter", campaign_=campaign, en=("An open letter", "We **ask**."), ar=("رسالة مفتوحة", "نطلب.")
    )


EMBED_URLS = (
    "/en/embed/s/open-letter/count/",
    "/en/embed/s/open-letter/form/",
    "/en/embed/s/open-letter/check-your-inbox/",
    "/en/embed/c/rivers/map/",
    "/ar/embed/s/open-letter/form/?source=river-friends",
)
OTHER_URLS = (
    "/en/",
    "/en/s/open-letter/",
    "/en/s/open-letter/check-your-inbox/",
    "/en/c/rivers/actions/",
    "/en/links/",
    "/en/staff/embeds/rivers/",
    "/en/embed/s/nope/form/",  # an embed that does not exist: a plain 404, not framable
    "/api/v1/statements/open-letter",
)


def framing(response) -> tuple[str, str | None]:
    csp = response["Content-Security-Policy"]
    ancestors = re.search(r"frame-ancestors ([^;]+)", csp).group(1)
    return ancestors, response.get("X-Frame-Options")


# --- who may frame what -------------------------------------------------------------------------


def test_only_embeds_may_be_framed(client, statement):
    for url in EMBED_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert framing(response) == ("*", None), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url  # the rest of the policy stays
    for url in OTHER_URLS:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert framing(response) == ("'none'", "DENY"), url
    # the form's answers (errors, and the redirect to the thanks page) stay inside the frame
    invalid = client.post("/en/embed/s/open-letter/endorse/", {"name": "x"})
    assert invalid.status_code == 422 and framing(invalid) == ("*", None)
    done = client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE))
    assert done.status_code == 303 and framing(done) == ("*", None)
    main_form = client.post("/en/s/open-letter/endorse/", {"name": "x"})
    assert framing(main_form) == ("'none'", "DENY")


def test_the_ancestors_can_be_limited_to_named_sites(client, statement, settings):
    import dataclasses

    settings.CONVOCA = dataclasses.replace(
        settings.CONVOCA, embed_ancestors=("https://rivers.example.net", "https://*.delta.example")
    )
    response = client.get("/en/embed/s/open-letter/count/")
    assert framing(response) == ("https://rivers.example.net https://*.delta.example", None)
    assert framing(client.get("/en/s/open-letter/")) == ("'none'", "DENY")


def test_the_ancestors_setting_refuses_what_is_not_an_origin():
    from convoca import config

    env = {
        "CONVOCA_DEMO": "1",
        "SECRET_KEY": "x" * 40,
        "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
    }
    assert config.load(env).embed_ancestors == ("*",)
    assert config.load(
        {**env, "CONVOCA_EMBED_ANCESTORS": "https://a.example, http://b.example:8080"}
    ).embed_ancestors == (
        "https://a.example",
        "http://b.example:8080",
    )
    for bad in ("'self'; script-src *", "javascript:alert(1)", "a.example", " , "):
        with pytest.raises(config.ConfigError, match="CONVOCA_EMBED_ANCESTORS"):
            config.load({**env, "CONVOCA_EMBED_ANCESTORS": bad})


# --- what the embeds show -----------------------------------------------------------------------


def test_embeds_have_no_site_chrome_and_carry_the_source(client, statement):
    html = client.get("/en/embed/s/open-letter/form/?source=river-friends").content.decode()
    assert '<header class="site">' not in html and '<footer class="site">' not in html
    assert '<input type="hidden" name="source" value="river-friends"' in html
    assert 'action="/en/embed/s/open-letter/endorse/"' in html
    assert 'name="fax"' in html and 'name="stamp"' in html and "<altcha-widget" in html  # the gate, as on the page
    assert 'href="/en/s/open-letter/?source=river-friends" target="_blank"' in html
    assert "convoca/embedded.js" in html and "convoca/embed.css" in html
    arabic = client.get("/ar/embed/s/open-letter/form/").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic and "convoca/rtl.css" in arabic and "رسالة مفتوحة" in arabic


@pytest.mark.parametrize("source", ["nobody", "forest-folk", "bad code!", "x" * 41, "<script>", ""])
def test_unknown_or_malformed_sources_are_left_out(client, statement, source):
    html = client.get("/en/embed/s/open-letter/form/", {"source": source}).content.decode()
    assert '<input type="hidden" name="source" id="id_source">' in html
    assert "?source=" not in html
    page = client.get("/en/s/open-letter/", {"source": source}).content.decode()
    assert '<input type="hidden" name="source" id="id_source">' in page


def test_the_count_embed_shows_the_count_and_the_progress(client, statement):
    factories.confirm(factories.endorse(statement, ALICE))
    factories.endorse(statement, CAROL)  # never confirmed: not counted
    domain.fold_counts()
    html = client.get("/en/embed/s/open-letter/count/?source=delta_union").content.decode()
    assert "<strong>1</strong> endorsement" in html
    assert '<progress class="progress" max="100" value="1"' in html and "Goal: 100" in html
    assert 'data-refresh="/en/embed/s/open-letter/count/?source=delta_union"' in html
    assert 'href="/en/s/open-letter/?source=delta_union" target="_blank"' in html


def test_the_map_embed_opens_actions_in_a_new_tab(client, statement):
    html = client.get("/en/embed/c/rivers/map/?source=river-friends").content.decode()
    assert 'id="action-map"' in html and 'data-geojson="/api/v1/campaigns/rivers/actions.geojson"' in html
    assert 'data-link-target="_blank"' in html
    assert 'href="/en/c/rivers/actions/new/?source=river-friends" target="_blank"' in html
    assert client.get("/en/embed/c/nowhere/map/").status_code == 404


def test_the_inbox_embed_stays_in_the_frame(client, statement):
    response = client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE, source="river-friends"))
    assert response["Location"] == "/en/embed/s/open-letter/check-your-inbox/?source=river-friends"
    html = client.get(response["Location"]).content.decode()
    assert "Check your inbox" in html and '<header class="site">' not in html


def test_embed_pages_are_public_and_the_post_is_private(client, statement):
    interval = caching.settings.CONVOCA.count_interval
    for url in EMBED_URLS:
        response = client.get(url)
        assert response["Cache-Control"] == caching.public_cache_control(interval), url
        assert not response.cookies, url
    post = client.post("/en/embed/s/open-letter/endorse/", {"name": "x"})
    assert post["Cache-Control"] == "private, no-store"


def test_a_post_from_another_site_is_refused(client, statement):
    response = client.post(
        "/en/embed/s/open-letter/endorse/",
        factories.form_data(ALICE),
        headers={"origin": "https://partner.example", "sec-fetch-site": "cross-site"},
    )
    assert response.status_code == 403
    assert not Endorsement.objects.exists()
    ours = client.post(
        "/en/embed/s/open-letter/endorse/",
        factories.form_data(ALICE),
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )
    assert ours.status_code == 303


def test_a_filled_honeypot_in_the_embed_stores_nothing(client, statement):
    response = client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE, fax="spam"))
    assert response.status_code == 303
    assert not Endorsement.objects.exists()


def test_a_closed_statement_refuses_in_the_embed(client, statement):
    from django.utils import timezone

    statement.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    statement.save()
    html = client.get("/en/embed/s/open-letter/form/").content.decode()
    assert "closed to new endorsements" in html and 'name="email"' not in html
    assert client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE)).status_code == 409


# --- the source recorded ------------------------------------------------------------------------


def source_of(person) -> str:
    from convoca.core import crypto

    return Endorsement.objects.get(email_hash=crypto.email_hash(person["email"])).source


def test_a_valid_code_is_recorded_from_the_page_and_the_embed(client, statement):
    client.post("/en/s/open-letter/endorse/", factories.form_data(ALICE, source="river-friends"))
    client.post("/ar/embed/s/open-letter/endorse/", factories.form_data(BOB, source="delta_union"))
    client.post("/en/embed/s/open-letter/endorse/", factories.form_data(CAROL))
    assert source_of(ALICE) == "river-friends"
    assert source_of(BOB) == "delta_union"
    assert source_of(CAROL) == ""


@pytest.mark.parametrize("source", ["nobody", "forest-folk", "River-Friends", "bad code!", "x" * 41, "a\x00b"])
def test_unknown_or_malformed_codes_are_recorded_as_none(client, statement, source):
    response = client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE, source=source))
    assert response.status_code == 303  # never refused, never told apart
    assert response["Location"] == "/en/embed/s/open-letter/check-your-inbox/"
    assert source_of(ALICE) == ""


def test_a_repeated_address_keeps_its_first_source(client, statement):
    client.post("/en/s/open-letter/endorse/", factories.form_data(ALICE, source="river-friends"))
    client.post("/en/embed/s/open-letter/endorse/", factories.form_data(ALICE, source="delta_union"))
    assert Endorsement.objects.count() == 1 and source_of(ALICE) == "river-friends"


def test_a_sign_up_with_a_source_costs_no_query_once_the_codes_are_known(statement):
    data = {"city": "", "organization": "", "website": "", "role": "", "public": False, "updates": False}
    revision = domain.current_revision(statement, "en")
    domain.endorse(statement, {**data, **CAROL, "source": "river-friends"}, "en", revision)  # reads the codes once

    def queries(person, source):
        with CaptureQueriesContext(connection) as captured:
            domain.endorse(statement, {**data, **person, "source": source}, "en", revision)
        return [query["sql"] for query in captured.captured_queries]

    with_source = queries(ALICE, "river-friends")
    without = queries({**BOB, "email": "bob2@example.net"}, "")
    assert len(with_source) == len(without)
    assert not any("campaigns_partner" in sql for sql in with_source)
    assert (
        sum(sql.lstrip().upper().startswith("INSERT") and "statements_endorsement" in sql for sql in with_source) == 1
    )


def test_per_partner_counts_group_by_source(client, statement):
    """The dashboard's query: confirmed and counted endorsements per source."""
    people = [dict(ALICE, email=f"p{i}@example.org") for i in range(5)]
    for index, person in enumerate(people):
        source = ("river-friends", "river-friends", "delta_union", "", "nobody")[index]
        client.post("/en/embed/s/open-letter/endorse/", factories.form_data(person, source=source))
    for endorsement in Endorsement.objects.exclude(email_hash=Endorsement.objects.order_by("id")[1].email_hash):
        factories.confirm(endorsement)  # everyone but the second river-friends signer confirms
    rows = (
        Endorsement.objects.filter(statement=statement, confirmed_at__isnull=False, counted=True)
        .values("source")
        .annotate(n=Count("id"))
    )
    assert {row["source"]: row["n"] for row in rows} == {"river-friends": 1, "delta_union": 1, "": 2}


# --- the API ------------------------------------------------------------------------------------

PAYLOAD = {"name": "Alice Example", "email": "alice@example.org", "country": "AR"}


def api_post(client, body):
    return client.post("/api/v1/statements/open-letter/endorsements", json.dumps(body), content_type="application/json")


def test_the_api_records_a_known_source(client, statement):
    assert api_post(client, {**PAYLOAD, "source": "delta_union"}).status_code == 202
    assert source_of(ALICE) == "delta_union"
    assert api_post(client, {**PAYLOAD, "email": "bob@example.net", "source": None}).status_code == 202
    assert source_of(BOB) == ""


def test_the_api_accepts_an_unknown_code_and_records_none(client, statement):
    assert api_post(client, {**PAYLOAD, "source": "forest-folk"}).status_code == 202
    assert source_of(ALICE) == ""


@pytest.mark.parametrize("source", ["bad code!", "x" * 41, "", 7, "<b>"])
def test_the_api_refuses_a_malformed_code(client, statement, source):
    response = api_post(client, {**PAYLOAD, "source": source})
    assert response.status_code == 422
    assert "source" in response.json()["errors"]
    assert not Endorsement.objects.exists()


def test_the_api_schema_documents_the_source(client):
    schema = client.get("/api/v1/openapi.json").json()
    field = schema["components"]["schemas"]["EndorsementIn"]["properties"]["source"]
    assert "partner" in field["description"]
    text = json.dumps(field)
    assert "^[-a-zA-Z0-9_]+$" in text and "40" in text
    assert "source" not in schema["components"]["schemas"]["EndorsementIn"].get("required", [])


# --- the snippets -------------------------------------------------------------------------------


def test_snippets_name_the_language_the_partner_and_the_script(statement):
    partner = Partner.objects.get(code="river-friends")
    found = snippets.snippets(statement.campaign, statement, partner, "ar")
    assert set(found) == {"count", "form", "map"}
    assert found["form"].startswith(
        '<iframe src="http://testserver/ar/embed/s/open-letter/form/?source=river-friends" title="'
    )
    assert 'data-convoca-embed width="100%"' in found["count"]
    assert 'src="http://testserver/ar/embed/c/rivers/map/?source=river-friends"' in found["map"]
    assert '<script src="http://testserver/static/convoca/embed.js" async></script>' in found["count"]
    plain = snippets.snippets(statement.campaign, statement, None, "en", base_url="https://convoca.example.org")
    assert 'src="https://convoca.example.org/en/embed/s/open-letter/count/"' in plain["count"]
    assert set(snippets.snippets(statement.campaign, None, "delta_union", "xx")) == {"map"}


def test_the_snippet_page_is_for_staff_only(client, statement):
    url = reverse("embeds:snippets", kwargs={"campaign": "rivers"})
    assert url == "/en/staff/embeds/rivers/"
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = get_user_model().objects.create_user("coordinator", password="x" * 12, is_staff=True)
    client.force_login(user)  # a password, but no second factor
    assert client.get(url).status_code == 302


def test_the_snippet_page_shows_copyable_snippets_and_previews(client, statement):
    user = get_user_model().objects.create_user("coordinator", password="x" * 12, is_staff=True)
    factories.staff_login(client, user)
    response = client.get(
        "/en/staff/embeds/rivers/", {"statement": "open-letter", "language": "ar", "partner": "delta_union"}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert framing(response) == ("'none'", "DENY")
    html = response.content.decode()
    assert html.count('<textarea id="snippet-') == 3
    assert "&lt;iframe src=&quot;http://testserver/ar/embed/s/open-letter/form/?source=delta_union&quot;" in html
    assert '<iframe class="embed-preview" src="/ar/embed/s/open-letter/count/?source=delta_union"' in html
    assert '<option value="delta_union" selected>' in html
    assert "convoca/embed.js" in html
    # defaults: the campaign's first language, no partner
    html = client.get("/en/staff/embeds/rivers/").content.decode()
    assert 'src="/en/embed/s/open-letter/form/"' in html
    assert client.get("/en/staff/embeds/nowhere/").status_code == 404
