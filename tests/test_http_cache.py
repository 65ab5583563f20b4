"""Who may keep a copy of an answer (convoca.core.caching): every public URL says `public` with
lifetimes that keep a shown count under a minute old; link-token pages, staff pages, answers to a
POST and errors say `private, no-store`. nginx honouring these headers is rehearsed through the
shipped configuration by tests/test_deploy_rehearsal.py and tests/test_scaleout.py."""

import dataclasses
import ipaddress
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from convoca.actions import domain as actions
from convoca.actions import rsvps
from convoca.actions.models import Rsvp
from convoca.core import caching, checks
from convoca.core.middleware import ForwardedProtoMiddleware
from convoca.statements import domain
from tests import factories
from tests.test_security import patterns, site  # noqa: F401 - `site`: a campaign, statement and approved action

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


def never_stored(response) -> bool:
    """`private, no-store`, or a view's own header with no-store (the admin's, the challenge's)."""
    header = response.get("Cache-Control", "")
    return "no-store" in header and "public" not in header


def public_urls(action_id: int) -> dict[str, str]:
    """One URL for each public route (the keys must be exactly caching.PUBLIC_ROUTES)."""
    return {
        "": "/",
        "<lang>/": "/en/",
        "<lang>/s/<slug:slug>/": "/en/s/open-letter/",
        "<lang>/s/<slug:slug>/check-your-inbox/": "/en/s/open-letter/check-your-inbox/",
        "<lang>/c/<slug:campaign>/actions/": "/en/c/rivers/actions/",
        "<lang>/c/<slug:campaign>/actions/new/": "/en/c/rivers/actions/new/",
        "<lang>/c/<slug:campaign>/actions/thanks/": "/en/c/rivers/actions/thanks/",
        "<lang>/a/<int:action_id>/": f"/en/a/{action_id}/",
        "<lang>/a/<int:action_id>/rsvp/thanks/": f"/en/a/{action_id}/rsvp/thanks/",
        # share cards at an old version: today's card, briefly (the current version: tests/cards/)
        "<lang>/s/<slug:slug>/card-<slug:version>.png": "/en/s/open-letter/card-0-old.png",
        "<lang>/a/<int:action_id>/card-<slug:version>.png": f"/en/a/{action_id}/card-0-old.png",
        "<lang>/c/<slug:campaign>/actions/card-<slug:version>.png": "/en/c/rivers/actions/card-0-old.png",
        "<lang>/links/": "/en/links/",
        "<lang>/links/sent/": "/en/links/sent/",
        "<lang>/embed/s/<slug:slug>/count/": "/en/embed/s/open-letter/count/",
        "<lang>/embed/s/<slug:slug>/form/": "/en/embed/s/open-letter/form/",
        "<lang>/embed/s/<slug:slug>/check-your-inbox/": "/en/embed/s/open-letter/check-your-inbox/",
        "<lang>/embed/c/<slug:campaign>/map/": "/en/embed/c/rivers/map/",
        "api/v1/openapi.json": "/api/v1/openapi.json",
        "api/v1/docs": "/api/v1/docs",
        "api/v1/statements": "/api/v1/statements",
        "api/v1/statements/<slug>": "/api/v1/statements/open-letter",
        "api/v1/statements/<slug>/endorsements": "/api/v1/statements/open-letter/endorsements",
        "api/v1/campaigns/<campaign>/actions": "/api/v1/campaigns/rivers/actions",
        "api/v1/actions/<int:action_id>": f"/api/v1/actions/{action_id}",
        "api/v1/campaigns/<campaign>/actions.geojson": "/api/v1/campaigns/rivers/actions.geojson",
        "api/v1/campaigns/<campaign>/actions.ics": "/api/v1/campaigns/rivers/actions.ics",
        "api/v1/actions/<int:action_id>.ics": f"/api/v1/actions/{action_id}.ics",
        "feeds/<slug:campaign>/actions.atom": "/feeds/rivers/actions.atom",
    }


def lifetimes(header: str) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r"([a-z-]+)=(\d+)", header)}


def test_every_route_is_declared_public_or_private():
    declared = set(caching.PUBLIC_ROUTES) | caching.PRIVATE_ROUTES | caching.IMMUTABLE_ROUTES
    assert not set(caching.PUBLIC_ROUTES) & caching.PRIVATE_ROUTES
    undeclared = set()
    for route, _name in patterns():
        key = caching.route_key(route)
        if key not in declared and not key.startswith("<lang>/admin/"):
            undeclared.add(key)
    assert not undeclared, "add each to PUBLIC_ROUTES or PRIVATE_ROUTES in convoca/core/caching.py"


@pytest.mark.parametrize(
    ("interval", "expected"),
    [(1, (14, 15)), (10, (12, 13)), (30, (7, 8)), (56, (1, 1)), (59, (0, 0)), (600, (0, 0))],
)
def test_a_count_is_never_shown_older_than_a_minute(interval, expected):
    max_age, revalidate = caching.freshness(interval)
    assert (max_age, revalidate) == expected
    # nginx's copy, then the browser's (nginx sends no Age header, so its clock starts afresh)
    assert interval + 2 * (max_age + revalidate) <= 60 or (max_age, revalidate) == (0, 0)
    assert interval + max_age + revalidate <= 60 or (max_age, revalidate) == (0, 0)


def test_every_public_url_is_cacheable_for_anonymous_visitors(client, site):  # noqa: F811
    urls = public_urls(site.pk)
    assert set(urls) == set(caching.PUBLIC_ROUTES)
    interval = settings.CONVOCA.count_interval
    for route, url in urls.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == (302 if url == "/" else 200), url
        lag = caching.PUBLIC_ROUTES[route] * interval
        assert response["Cache-Control"] == caching.public_cache_control(lag), url
        ages = lifetimes(response["Cache-Control"])
        assert set(ages) == {"max-age", "stale-while-revalidate", "stale-if-error"}, url
        assert lag + 2 * (ages["max-age"] + ages["stale-while-revalidate"]) <= caching.BUDGET, url
        assert not response.cookies, url
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        assert ("accept-language" in vary) == (url == "/"), (url, vary)
        assert "cookie" not in vary, (url, vary)


def test_the_count_interval_sets_the_lifetimes(client, site, settings):  # noqa: F811
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, count_interval=10)
    listing = client.get("/en/c/rivers/actions/")  # counts folded once per interval
    assert listing["Cache-Control"] == "public, max-age=12, stale-while-revalidate=13, stale-if-error=300"
    page = client.get("/en/s/open-letter/")  # folded, then memoised by the app process for an interval
    assert page["Cache-Control"] == "public, max-age=10, stale-while-revalidate=10, stale-if-error=300"
    geojson = client.get("/api/v1/campaigns/rivers/actions.geojson")  # served from a copy up to 2 intervals old
    assert geojson["Cache-Control"] == "public, max-age=10, stale-while-revalidate=10, stale-if-error=300"


def test_public_answers_are_the_same_for_every_anonymous_visitor(client, site):  # noqa: F811
    """What may be cached must not vary: not by language header, address or anything else, apart
    from the form's signed time stamp (a cached stamp is only older; it stays valid for 24 h)."""
    for url in public_urls(site.pk).values():
        if url == "/":
            continue
        answers = set()
        for language, address in (("fr", "203.0.113.7"), ("ar, en;q=0.5", "2001:db8::1"), ("", "198.51.100.9")):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
            content = re.sub(rb'name="stamp" value="[^"]*"', b"", response.content)
            answers.add((content, tuple(sorted(response.headers.items()))))
        assert len(answers) == 1, url


def test_link_token_pages_are_never_stored(client, site, mailbox):  # noqa: F811
    site.refresh_from_db()
    endorsement = factories.endorse(site.campaign.statements.get(), factories.ALICE)
    rsvps.respond(site, "dora@example.org", "Dora", "en")
    rsvp_token = rsvps.confirm_token(Rsvp.objects.get())
    manage = actions.manage_token(site)
    urls = [
        f"/en/confirm/{domain.confirm_token(endorsement)}/",
        f"/en/withdraw/{domain.withdraw_token(endorsement)}/",
        f"/en/actions/verify/{actions.verify_token(site)}/",
        f"/en/rsvp/{rsvp_token}/",
        f"/en/actions/manage/{manage}/",
        f"/en/actions/manage/{manage}/edit/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url
    response = client.post(f"/en/confirm/{domain.confirm_token(endorsement)}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_answers_to_a_post_errors_and_other_answers_are_never_stored(client, site):  # noqa: F811
    invalid = client.post("/en/s/open-letter/endorse/", {"name": "Alice", "email": "not-an-address"})
    assert invalid.status_code == 422 and invalid["Cache-Control"] == PRIVATE  # it shows what was typed
    accepted = client.post("/en/s/open-letter/endorse/", factories.form_data(factories.ALICE))
    assert accepted.status_code == 303 and accepted["Cache-Control"] == PRIVATE
    api = client.post(
        "/api/v1/statements/open-letter/endorsements",
        json.dumps({"kind": "person", "name": "Bob", "email": "bob@example.org", "country": "FR"}),
        content_type="application/json",
    )
    assert api.status_code == 202 and api["Cache-Control"] == PRIVATE
    for url in ("/en/s/nope/", "/api/v1/statements/nope", "/api/v1/places", "/nope/", "/healthz"):
        response = client.get(url)
        assert response["Cache-Control"] == PRIVATE, (url, response.status_code)
    assert client.get("/api/v1/challenge")["Cache-Control"] == "no-store"  # its own, kept
    assert client.get("/en/s/open-letter/", {"page": "x"})["Cache-Control"].startswith("public")


def test_what_a_visitor_types_or_where_they_are_is_never_stored(client, site):  # noqa: F811
    """nginx writes each cached answer's key, query string included, to its disk."""
    for url in (
        "/en/s/open-letter/?q=Alice",
        "/en/c/rivers/actions/?city=Rosario",
        "/en/c/rivers/actions/?near_city=Rosario",
        "/en/c/rivers/actions/?near=-34.6,-58.4",
        "/api/v1/campaigns/rivers/actions?near=-34.6,-58.4",
        "/api/v1/places?q=Buenos",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url
    for url in (
        "/en/c/rivers/actions/?country=AR&kind=march",
        "/api/v1/statements?lang=ar",
        "/en/s/open-letter/?page=1",
    ):
        assert client.get(url)["Cache-Control"].startswith("public"), url


def test_staff_pages_are_never_stored(client, site):  # noqa: F811
    assert never_stored(client.get("/en/admin/login/"))
    staff = get_user_model().objects.create_superuser("coordinator", password="a-long-password-1")
    factories.staff_login(client, staff)
    for url in ("/en/admin/", "/en/admin/statements/endorsement/", "/en/moderation/actions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert never_stored(response), url
    # a public page seen by a logged-in staff member: nginx passes requests with a cookie to the app
    # servers and stores nothing (convoca-cache.conf); the answer itself stays the public one
    assert client.get("/en/s/open-letter/")["Cache-Control"].startswith("public")


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, trusted_proxies=caching_networks("127.0.0.1"))
    seen = []
    middleware = ForwardedProtoMiddleware(lambda request: seen.append(request.is_secure()))
    factory = RequestFactory()
    middleware(factory.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1"))
    middleware(factory.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.8"))
    middleware(factory.get("/", REMOTE_ADDR="127.0.0.1"))
    assert seen == [True, False, False]


def caching_networks(*addresses):
    return tuple(ipaddress.ip_network(address) for address in addresses)


def test_check_deploy_asks_for_trusted_proxies_behind_https(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, base_url="https://convoca.example.org")
    [warning] = checks.behind_a_trusted_proxy(None)
    assert warning.id == "convoca.W001"
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, trusted_proxies=caching_networks("127.0.0.1"))
    assert checks.behind_a_trusted_proxy(None) == []


def test_production_links_static_files_under_hashed_names(tmp_path, settings):
    from django.core.management import call_command

    from convoca.core import staticfiles
    from convoca.core.staticfiles import HashedStaticFilesStorage

    assert settings.STORAGES["staticfiles"]["BACKEND"] == "convoca.core.staticfiles.HashedStaticFilesStorage"
    settings.STATIC_ROOT = tmp_path / "static"
    assert staticfiles.unhashed()  # `convoca serve` says so
    plain = HashedStaticFilesStorage()
    assert not plain.has_manifest
    assert plain.url("convoca/convoca.css") == "/static/convoca/convoca.css"  # before collectstatic
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = HashedStaticFilesStorage()
    settings.STATIC_ROOT = tmp_path / "static"  # a fresh storage reads the manifest
    assert not staticfiles.unhashed()
    assert re.fullmatch(r"/static/convoca/convoca\.[0-9a-f]{12}\.css", hashed.url("convoca/convoca.css"))
    css = next((tmp_path / "static" / "vendor" / "leaflet").glob("leaflet.*.css")).read_text()
    assert re.search(r'url\("images/layers\.[0-9a-f]{12}\.png"\)', css)  # references follow the hashes
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        hashed.url("convoca/not-there.css")
