"""Who may keep a copy of an answer, and for how long: one table for the whole site.

Public pages and public API answers are the same for every anonymous visitor, so nginx (and the
browser) may keep them briefly: that is what carries a viral campaign, where most requests are
people reloading a statement to watch its count. Everything else — answers to a POST, pages with
a link token in their path, staff pages, errors, searches (a name, a city, a position), anything
not listed here — is `private, no-store`.

Freshness is computed from the configuration so that a count is never shown older than
`BUDGET` seconds: the worker folds counts every `CONVOCA_COUNT_INTERVAL` seconds (the lag), and
then two caches in a row may each hold a copy for `max-age` plus the `stale-while-revalidate`
window — nginx, then the browser, whose clock starts afresh because nginx sends no `Age` header.
So `lag + 2 × (max-age + stale-while-revalidate) ≤ BUDGET`. `stale-if-error` is separate: when
the app servers fail, a stale page is better than an error page (docs/deploy.md).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_vary_headers

from convoca.core import languages

BUDGET = 60  # seconds: the oldest a count shown to anyone may be while the app servers answer
STALE_IF_ERROR = 300
PRIVATE = "private, no-store"
# A public answer whose URL names its content's version (a share card: convoca.cards) and whose view
# says the version is current (`response.versioned = True`): a new content gets a new URL.
VERSIONED = "public, max-age=31536000, immutable"

# Routes (Django's pattern text, without the language prefix) whose GET answers are public.
# The value names the lag of the data behind them, in multiples of the count interval: counts are
# folded every interval (one); an answer an app process memoises for an interval (the statement
# page, the embeds, the API's statement) adds one; the GeoJSON is served from a copy the worker
# rebuilds every interval and may keep for two.
PUBLIC_ROUTES: dict[str, int] = {
    "": 1,  # `/`: a redirect to the visitor's language (Vary: Accept-Language)
    # pages, under /<language>/
    "<lang>/": 1,
    "<lang>/s/<slug:slug>/": 2,
    "<lang>/s/<slug:slug>/check-your-inbox/": 1,
    "<lang>/c/<slug:campaign>/actions/": 1,
    "<lang>/c/<slug:campaign>/actions/new/": 1,
    "<lang>/c/<slug:campaign>/actions/thanks/": 1,
    "<lang>/a/<int:action_id>/": 1,
    "<lang>/a/<int:action_id>/rsvp/thanks/": 1,
    # share card images: a URL with the current version is kept for a year (`versioned`, below)
    "<lang>/s/<slug:slug>/card-<slug:version>.png": 1,
    "<lang>/a/<int:action_id>/card-<slug:version>.png": 1,
    "<lang>/c/<slug:campaign>/actions/card-<slug:version>.png": 1,
    "<lang>/links/": 1,
    "<lang>/links/sent/": 1,
    # embeds for partner sites (convoca.embeds): the same for every visitor of one language and source
    "<lang>/embed/s/<slug:slug>/count/": 2,
    "<lang>/embed/s/<slug:slug>/form/": 2,
    "<lang>/embed/s/<slug:slug>/check-your-inbox/": 1,
    "<lang>/embed/c/<slug:campaign>/map/": 2,
    # the API and feeds, unprefixed
    "api/v1/openapi.json": 1,
    "api/v1/docs": 1,
    "api/v1/statements": 1,
    "api/v1/statements/<slug>": 2,
    "api/v1/statements/<slug>/endorsements": 1,
    "api/v1/campaigns/<campaign>/actions": 1,
    "api/v1/actions/<int:action_id>": 1,
    "api/v1/campaigns/<campaign>/actions.geojson": 2,
    "api/v1/campaigns/<campaign>/actions.ics": 1,
    "api/v1/actions/<int:action_id>.ics": 1,
    "feeds/<slug:campaign>/actions.atom": 1,
}

# Routes whose URL holds a hash of the answer (a campaign's stylesheet and logo): a changed
# answer gets a new URL, so any cache may keep one for a year.
IMMUTABLE_ROUTES: frozenset[str] = frozenset(
    {
        "theme/<slug:campaign>/<str:version>.css",
        "theme/<slug:campaign>/logo-<str:version>",
    }
)
IMMUTABLE = "public, max-age=31536000, immutable"

# Query parameters that carry what a visitor typed or where they are (a name searched among the
# endorsers, a city, the browser's position): answers to them are not kept, because nginx writes
# each cached answer's key, query included, to its disk — and Convoca logs no query string either.
PERSONAL_PARAMETERS = frozenset({"q", "city", "near", "near_city"})

# Routes that are never public, named so that every route of the project is a decision
# (tests/test_http_cache.py fails on a route in neither table).
PRIVATE_ROUTES: frozenset[str] = frozenset(
    {
        "healthz",  # a load balancer's probe must reach the app server
        "api/v1/",
        "api/v1/challenge",  # a fresh, single-use proof-of-work challenge
        "^api/",  # the JSON 404 for any other URL under /api/
        "api/v1/actions/<int:action_id>/rsvps",  # POST only
        "api/v1/places",  # what a visitor types, letter by letter (PERSONAL_PARAMETERS)
        "api/v1/moderation/queue",
        "api/v1/moderation/actions/<int:action_id>",
        "api/v1/moderation/endorsements/<int:endorsement_id>",
        "<lang>/s/<slug:slug>/endorse/",  # POST only
        "<lang>/embed/s/<slug:slug>/endorse/",  # POST only
        "<lang>/staff/embeds/<slug:campaign>/",
        "<lang>/a/<int:action_id>/rsvp/",  # POST only
        "<lang>/confirm/<str:token>/",
        "<lang>/withdraw/<str:token>/",
        "<lang>/actions/verify/<str:token>/",
        "<lang>/rsvp/<str:token>/",
        "<lang>/actions/manage/<str:token>/",
        "<lang>/actions/manage/<str:token>/cancel/",
        "<lang>/actions/manage/<str:token>/edit/",
        "<lang>/actions/manage/<str:token>/renew/",
        "<lang>/actions/manage/<str:token>/message/",
        "<lang>/actions/manage/<str:token>/admit/",
        "<lang>/moderation/actions/",
        "<lang>/demo/outbox/",
        "<lang>/admin/",  # and everything under it
        # the coordinators' dashboard (convoca.dashboard)
        "<lang>/staff/",
        "<lang>/staff/c/<slug:campaign>/",
        "<lang>/staff/c/<slug:campaign>/figures.json",
        "<lang>/staff/c/<slug:campaign>/organizations/",
        "<lang>/staff/c/<slug:campaign>/look/",
        "<lang>/staff/c/<slug:campaign>/partners/new/",
        "<lang>/staff/c/<slug:campaign>/partners/<int:partner_id>/",
        "<lang>/staff/c/<slug:campaign>/partners/<int:partner_id>/delete/",
        "<lang>/staff/c/<slug:campaign>/statements/new/",
        "<lang>/staff/s/<slug:slug>/",
        "<lang>/staff/s/<slug:slug>/text/<str:language>/",
        "<lang>/staff/s/<slug:slug>/exports/",
        "<lang>/staff/exports/<int:export_id>/",
        "<lang>/staff/exports/<int:export_id>/download/",
        "<lang>/staff/import/",
        "<lang>/staff/import/<int:pk>/",
        "<lang>/staff/import/<int:pk>/map/",
        "<lang>/staff/import/<int:pk>/run/",
        "<lang>/staff/import/<int:pk>/resume/",
        "<lang>/staff/import/<int:pk>/cancel/",
        "<lang>/staff/import/<int:pk>/status.json",
        "<lang>/staff/import/<int:pk>/bad-rows.csv",
    }
)


def route_key(route: str) -> str:
    """`fr/s/<slug:slug>/` → `<lang>/s/<slug:slug>/`; unprefixed routes stay as they are."""
    first, slash, rest = route.partition("/")
    if slash and first in languages.CODES:
        return f"<lang>/{rest}"
    return route


def freshness(lag: int) -> tuple[int, int]:
    """(max-age, stale-while-revalidate) such that `lag + 2 × (max-age + swr) ≤ BUDGET`."""
    per_cache = max(0, (BUDGET - lag) // 2)
    max_age = per_cache // 2
    return max_age, per_cache - max_age


def public_cache_control(lag: int) -> str:
    max_age, revalidate = freshness(lag)
    return f"public, max-age={max_age}, stale-while-revalidate={revalidate}, stale-if-error={STALE_IF_ERROR}"


def public_lag(request, response) -> int | None:
    """The lag of the data behind a public answer, or None when the answer is private."""
    if request.method not in ("GET", "HEAD") or response.cookies:
        return None
    if PERSONAL_PARAMETERS.intersection(request.GET):
        return None
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    multiple = PUBLIC_ROUTES.get(route_key(match.route))
    if multiple is None:
        return None
    if response.status_code != 200 and not (match.route == "" and response.status_code == 302):
        return None
    return multiple * settings.CONVOCA.count_interval


class CacheControlMiddleware:
    """Sets Cache-Control on every answer (outermost, so it sees what the others added)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.route in IMMUTABLE_ROUTES
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
        ):
            response["Cache-Control"] = IMMUTABLE
            return response
        lag = public_lag(request, response)
        if lag is None:
            if "no-store" not in response.get("Cache-Control", ""):  # a view's own no-store stays as it is
                response["Cache-Control"] = PRIVATE
            return response
        response["Cache-Control"] = VERSIONED if getattr(response, "versioned", False) else public_cache_control(lag)
        if request.path_info == "/":
            patch_vary_headers(response, ("Accept-Language",))
        else:
            # Only `/` depends on Accept-Language (the language is in every other URL, and the API
            # and feeds do not translate): a Vary on it would split nginx's copy per browser, and a
            # Content-Language guessed from it would be served to everyone.
            _drop_vary(response, "accept-language")
            if not route_key(request.resolver_match.route).startswith("<lang>/"):
                del response["Content-Language"]
        return response


def _drop_vary(response, header: str) -> None:
    if not response.has_header("Vary"):
        return
    kept = [part.strip() for part in response["Vary"].split(",") if part.strip() and part.strip().lower() != header]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]
