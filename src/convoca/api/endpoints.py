"""JSON API v1. Endpoints translate between HTTP and the apps' domain functions, nothing more."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status

from convoca.api import schemas
from convoca.api.actions import router as actions_router
from convoca.api.moderation import router as moderation_router
from convoca.api.paging import ERRORS, links, paginate
from convoca.core import languages
from convoca.core.memo import Memo
from convoca.gate import lanes, proof
from convoca.statements import domain
from convoca.statements.forms import EndorsementCheck
from convoca.statements.models import Statement

api = NinjaAPI(
    title="Convoca API",
    version="1",
    description="Statements, their counts and public endorsers; endorsing without an account.",
    urls_namespace="api-v1",
)


api.add_router("/", actions_router)
api.add_router("/moderation", moderation_router)


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other URL under /api/ (an id that is not a number, a typo): JSON like every API answer, not a page."""
    return JsonResponse({"detail": "Not Found"}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        field = location[0] if location else "body"
        message = error.get("msg", "invalid")
        if error.get("type") == "extra_forbidden":
            message = "Unknown field."
        elif error.get("type") == "string_pattern_mismatch":
            message = str(schemas.PATTERN_MESSAGES.get(error["ctx"]["pattern"], message))
        if message not in errors.setdefault(field, []):  # a union (a web address) fails once per member
            errors[field].append(message)
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(proof.InvalidProof)
def invalid_proof(request: HttpRequest, exc: proof.InvalidProof):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(lanes.Flooded)
def flooded(request: HttpRequest, exc: lanes.Flooded):
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _statement_out(statement: Statement, language: str | None, counts: domain.Counts, detail=False) -> dict:
    language = language if language in languages.CODES else statement.campaign.default_language
    revision = domain.latest_revision(statement, language)
    shown = revision.language if revision else language
    with translation.override(shown):
        path = reverse("statements:detail", kwargs={"slug": statement.slug})
    out = {
        "slug": statement.slug,
        "title": revision.title if revision else statement.slug,
        "campaign": statement.campaign.slug,
        "language": shown,
        "languages": domain.available_languages(statement),
        "url": settings.CONVOCA.base_url + path,
        "counts": {"people": counts.people, "organizations": counts.organizations, "total": counts.total},
        "goal": statement.goal,
        "closes_at": statement.closes_at,
    }
    if detail:
        out["body_html"] = revision.body_html if revision else ""
    return out


def _published(slug: str) -> Statement:
    return get_object_or_404(Statement.objects.select_related("campaign"), slug=slug, published=True)


@api.get(
    "/challenge",
    response={200: schemas.Challenge, **ERRORS},
    tags=["proof of work"],
    summary="A proof-of-work challenge",
    description=(
        "An ALTCHA (protocol v2) challenge, valid for 30 minutes and usable once. Solve it and send the "
        "base64 payload `{challenge, solution}` in the `altcha` field of a POST: the submission then takes "
        "the normal lane. Without it a submission takes the strict lane, with tighter limits. An address "
        "over its limits is given harder challenges."
    ),
)
def challenge(request, response: HttpResponse):
    response["Cache-Control"] = "no-store"
    return proof.new_challenge(lanes.required_difficulty(request))


def _statement_links(slug: str, campaign: str, detail: bool = False) -> dict:
    slug, campaign = {"slug": slug}, {"campaign": campaign}
    return links(
        **({} if detail else {"endpoints_get_statement": slug}),
        endpoints_list_endorsements=slug,
        endpoints_endorse=slug,
        actions_list_actions=campaign,
        actions_submit=campaign,
        actions_geojson=campaign,
        actions_campaign_ics=campaign,
    )


@api.get(
    "/statements",
    response={200: schemas.StatementPage, **ERRORS},
    tags=["statements"],
    openapi_extra=_statement_links("$response.body#/items/0/slug", "$response.body#/items/0/campaign"),
)
def list_statements(request, page: int = Query(1, ge=1, le=1_000_000), lang: str | None = Query(None, max_length=10)):
    statements = Statement.objects.filter(published=True).select_related("campaign").order_by("-opens_at", "id")
    meta, items = paginate(request, statements, page)
    counts = domain.counts_for(statement.pk for statement in items)
    meta["items"] = [_statement_out(s, lang, counts.get(s.pk, domain.Counts())) for s in items]
    return meta


# The statement with its count, which widgets poll: the count moves once per count interval, so each
# app process builds an answer at most that often (core/caching.py counts the memo in its lag).
_statements = Memo(lambda: settings.CONVOCA.count_interval, size=512)


@api.get(
    "/statements/{slug}",
    response={200: schemas.StatementDetailOut, **ERRORS},
    tags=["statements"],
    openapi_extra=_statement_links("$response.body#/slug", "$response.body#/campaign", detail=True),
)
def get_statement(request, slug: schemas.Slug, lang: str | None = Query(None, max_length=10)):
    def build() -> dict:
        statement = _published(slug)  # a 404 is not memoised
        return _statement_out(statement, lang, domain.counts(statement), detail=True)

    return _statements.get((slug, lang), build)


@api.get("/statements/{slug}/endorsements", response={200: schemas.EndorserPage, **ERRORS}, tags=["endorsements"])
def list_endorsements(
    request,
    slug: schemas.Slug,
    page: int = Query(1, ge=1, le=1_000_000),
    country: str | None = Query(None, pattern=schemas.COUNTRY_CODE, description="only countries with 3+ endorsers"),
):
    statement = _published(slug)
    listed = domain.listed_countries(statement)
    endorsements = domain.public_endorsements(statement)
    if country:
        code = country.upper()
        endorsements = endorsements.filter(country=code) if code in listed else endorsements.none()
    meta, items = paginate(request, endorsements, page)
    meta["items"] = [
        {
            "kind": endorsement.kind,
            "name": endorsement.public_name,
            "organization": endorsement.public_name if endorsement.kind == "organization" else None,
            "country": endorsement.country if endorsement.country in listed else None,
            "city": endorsement.public_city or None,
            "date": endorsement.confirmed_at.date().isoformat(),
        }
        for endorsement in items
    ]
    return meta


@api.post(
    "/statements/{slug}/endorsements",
    response={202: schemas.Accepted, 409: schemas.Detail, 429: schemas.Detail, **ERRORS},
    tags=["endorsements"],
    summary="Endorse a statement",
    description=(
        "Answers 202 for a new and a repeated address alike; a confirmation e-mail is the gate. "
        "The caller must have collected the signer's consent to be counted. With a solved proof of work "
        "in `altcha` the normal lane applies; without one, the strict lane. Over its limits a sign-up is "
        "held for review (still 202; counted once confirmed unless moderators reject its wave); far over "
        "them, 429 with Retry-After. A malformed, forged, expired or replayed `altcha` gets 400."
    ),
)
def endorse(request, payload: schemas.EndorsementIn, slug: schemas.Slug):
    statement = domain.published_statement(slug)
    if statement is None:
        return Status(404, {"detail": "Not Found"})
    language = payload.language or statement.campaign.default_language
    if language not in languages.CODES:
        return Status(422, {"errors": {"language": [f"Unknown language; use one of: {', '.join(languages.CODES)}."]}})
    if not statement.is_open():
        return Status(409, {"detail": "This statement is closed to endorsements."})
    data = payload.model_dump(exclude={"altcha"})
    form = EndorsementCheck(
        data={
            key: ("on" if value is True else "" if value is None or value is False else value)
            for key, value in data.items()
        }
        | {"consent": "on"}
    )
    if not form.is_valid():
        return Status(422, {"errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}})
    verdict = lanes.assess(request, altcha=payload.altcha)  # 400 on a bad proof, 429 far over the limits
    try:
        domain.endorse(statement, form.cleaned_data, language, domain.current_revision(statement, language), verdict)
    except domain.StatementClosed:
        raise HttpError(409, "This statement is closed to endorsements.") from None
    return Status(202, {"status": "pending_confirmation"})
