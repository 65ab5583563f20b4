"""API v1 for the day of action: submit, list, detail, GeoJSON, iCalendar, place search."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router
from ninja.responses import Status

from convoca.actions import domain, feeds, places, rsvps, zones
from convoca.actions.forms import ActionForm, RsvpForm
from convoca.actions.models import Action
from convoca.api import schemas
from convoca.api.paging import ERRORS, links, paginate
from convoca.campaigns.models import Campaign
from convoca.core import languages
from convoca.gate import lanes

router = Router(tags=["actions"])


def action_url(action: Action) -> str:
    with translation.override(action.language):
        return settings.CONVOCA.base_url + reverse("actions:detail", kwargs={"action_id": action.pk})


def action_out(action: Action) -> dict:
    starts = zones.local(action.starts_at, action.timezone)
    ends = zones.local(action.ends_at, action.timezone) if action.ends_at else None
    out = {
        "id": action.pk,
        "title": action.title,
        "description": action.description,
        "kind": action.kind,
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat() if ends else None,
        "timezone": action.timezone,
        "venue": action.venue or None,
        "city": action.city or None,
        "country": action.country or None,
        "latitude": action.latitude,
        "longitude": action.longitude,
        "approximate": action.approximate_location,
        "online": action.online,
        "group_name": action.group_name or None,
        "rsvps": action.rsvps_confirmed,
        "capacity": action.capacity,
        "url": action_url(action),
    }
    if hasattr(action, "distance_km"):
        out["distance_km"] = round(action.distance_km, 2)
    return out


@router.post(
    "/campaigns/{campaign}/actions",
    response={202: schemas.Accepted, 429: schemas.Detail, **ERRORS},
    summary="Submit a local action (no account; the organizer verifies by e-mail)",
    description="`altcha`: a solved proof of work (GET /api/v1/challenge); 400 when malformed or replayed.",
)
def submit(request, payload: schemas.ActionIn, campaign: schemas.Slug):
    campaign = get_object_or_404(Campaign, slug=campaign)
    data = {
        key: ("on" if value is True else "" if value is None or value is False else value)
        for key, value in payload.model_dump(exclude={"altcha"}).items()
    }
    form = ActionForm(data=data)
    if not form.is_valid():
        return Status(422, {"errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}})
    lanes.assess(request, altcha=payload.altcha)  # 400 on a bad proof, 429 far over the limits
    domain.submit(campaign, form.cleaned_data)
    return Status(202, {"status": "pending_verification"})


def _action_links(action_id: str, detail: bool = False) -> dict:
    action = {"action_id": action_id}
    return links(**({} if detail else {"actions_get_action": action}), actions_action_ics=action, actions_rsvp=action)


@router.get(
    "/campaigns/{campaign}/actions",
    response={200: schemas.ActionPage, **ERRORS},
    openapi_extra=_action_links("$response.body#/items/0/id"),
)
def list_actions(
    request,
    campaign: schemas.Slug,
    page: int = Query(1, ge=1, le=1_000_000),
    country: str | None = Query(None, pattern=schemas.COUNTRY_CODE),
    kind: Action.Kind | None = None,
    from_: str | None = Query(None, alias="from", pattern=schemas.INSTANT, description="a day or an instant, ISO 8601"),
    to: str | None = Query(None, pattern=schemas.INSTANT, description="a day or an instant, ISO 8601"),
    near: str | None = Query(None, max_length=60, pattern=schemas.NEAR, description="lat,lon"),
    radius_km: float = Query(50, gt=0, le=20000),
):
    campaign = get_object_or_404(Campaign, slug=campaign)
    actions = domain.public(campaign).order_by("starts_at", "id")
    if country:
        actions = actions.filter(country=country.upper())
    if kind:
        actions = actions.filter(kind=kind)
    for bound, lookup in ((from_, "starts_at__gte"), (to, "starts_at__lte")):
        if bound:
            try:
                actions = actions.filter(**{lookup: _instant(bound)})
            except ValueError:
                return Status(422, {"errors": {"from" if lookup.endswith("gte") else "to": ["Use ISO 8601."]}})
    if near:
        try:
            latitude, longitude = (float(part) for part in near.split(","))
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                raise ValueError
        except ValueError:
            return Status(422, {"errors": {"near": ["Use near=latitude,longitude."]}})
        actions = domain.near(actions.exclude(latitude=None), latitude, longitude, radius_km)
    meta, items = paginate(request, actions, page)
    meta["items"] = [action_out(action) for action in items]
    return meta


def _instant(text: str):
    from datetime import UTC, datetime

    value = datetime.fromisoformat(text)
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)  # PostgreSQL refuses UTC offsets beyond ±15:59
    except OverflowError as error:  # the first or last day of the calendar, moved past its edge
        raise ValueError(str(error)) from error


@router.get(
    "/actions/{int:action_id}",
    response={200: schemas.ActionOut, **ERRORS},
    openapi_extra=_action_links("$response.body#/id", detail=True),
)
def get_action(request, action_id: int):
    return action_out(get_object_or_404(domain.public(), pk=action_id))


@router.get(
    "/campaigns/{campaign}/actions.geojson",
    response={200: dict, **ERRORS},
    openapi_extra={"responses": {"200": {"content": {"application/geo+json": {"schema": {"type": "object"}}}}}},
)
def geojson(request, campaign: schemas.Slug):
    campaign = get_object_or_404(Campaign, slug=campaign)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(feeds.geojson(campaign, gzipped=gzipped), content_type="application/geo+json")
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = f"public, max-age={settings.CONVOCA.count_interval}"
    return response


@router.get(
    "/campaigns/{campaign}/actions.ics",
    response={200: str, **ERRORS},
    openapi_extra={"responses": {"200": {"content": {"text/calendar": {"schema": {"type": "string"}}}}}},
)
def campaign_ics(request, campaign: schemas.Slug):
    campaign = get_object_or_404(Campaign, slug=campaign)
    return HttpResponse(feeds.ics(domain.public(campaign), action_url), content_type="text/calendar; charset=utf-8")


@router.get(
    "/actions/{int:action_id}.ics",
    response={200: str, **ERRORS},
    openapi_extra={"responses": {"200": {"content": {"text/calendar": {"schema": {"type": "string"}}}}}},
)
def action_ics(request, action_id: int):
    actions = domain.public().filter(pk=action_id)
    if not actions:
        raise Http404
    return HttpResponse(feeds.ics(actions, action_url), content_type="text/calendar; charset=utf-8")


@router.post(
    "/actions/{int:action_id}/rsvps",
    response={202: schemas.Accepted, 409: schemas.Detail, 429: schemas.Detail, **ERRORS},
    summary="Say you will come (confirmed by e-mail; counted once per address)",
    description="`altcha`: a solved proof of work (GET /api/v1/challenge); 400 when malformed or replayed.",
)
def rsvp(request, action_id: int, payload: schemas.RsvpIn):
    action = get_object_or_404(domain.public(), pk=action_id)
    form = RsvpForm(data={"email": payload.email, "name": payload.name or ""})
    if not form.is_valid():
        return Status(422, {"errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}})
    language = payload.language if payload.language in languages.CODES else action.language
    lanes.assess(request, altcha=payload.altcha)
    try:
        rsvps.respond(action, form.cleaned_data["email"], form.cleaned_data["name"], language)
    except rsvps.Closed:
        return Status(409, {"detail": "This action is full or no longer takes RSVPs."})
    return Status(202, {"status": "pending_confirmation"})


@router.get("/places", response={200: schemas.PlaceList, **ERRORS}, tags=["places"])
def search_places(
    request,
    q: str = Query(..., min_length=1, max_length=100, pattern=schemas.OPTIONAL_TEXT),
    country: str | None = Query(None, pattern=schemas.COUNTRY_CODE),
):
    found = places.search(q, country, limit=10)
    return {
        "items": [
            {
                "name": place.name,
                "country": place.country,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "timezone": place.timezone,
                "population": place.population,
            }
            for place in found
        ]
    }
