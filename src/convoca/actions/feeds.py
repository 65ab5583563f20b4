"""Machine-readable views of public actions: GeoJSON for maps, iCalendar for calendars."""

import gzip
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from convoca.actions import domain
from convoca.actions.models import Action, PreparedFeed
from convoca.campaigns.models import Campaign


def geojson_key(campaign) -> str:
    return f"geojson:{campaign.pk}"  # domain._public_changed deletes this key


def prepare_geojson(campaign) -> PreparedFeed:
    """Build the campaign's GeoJSON and store it, raw and gzipped, for every app server to serve."""
    body = _geojson(campaign)
    feed, _ = PreparedFeed.objects.update_or_create(
        key=geojson_key(campaign),
        defaults={"body": body, "gzipped": gzip.compress(body, 6), "built_at": timezone.now()},
    )
    return feed


# The gzipped feed as this process last read it, per campaign: (built_at, bytes). Nearly every
# request asks for it, and reading its ~0.5 MB (and not the 3.5 MB raw body beside it) from the
# database on each one cost most of the request (measured on PostgreSQL: docs/benchmarks.md).
_held: dict[str, tuple] = {}


def geojson(campaign, *, gzipped: bool) -> bytes:
    """The prepared feed's bytes, gzipped or raw, if it is fresh enough; else built now (the first
    request after a quiet spell). One small query tells whether the copy this process holds is
    still the current one."""
    key = geojson_key(campaign)
    found = PreparedFeed.objects.filter(key=key).values_list("pk", "built_at").first()
    if found is None or found[1] < timezone.now() - timedelta(seconds=max_age()):
        feed = prepare_geojson(campaign)
        _held[key] = (feed.built_at, bytes(feed.gzipped))
        return _held[key][1] if gzipped else bytes(feed.body)
    if not gzipped:  # rare (clients without gzip): read, not kept
        return bytes(PreparedFeed.objects.filter(pk=found[0]).values_list("body", flat=True).first() or b"")
    held = _held.get(key)
    if held is None or held[0] != found[1]:
        data = PreparedFeed.objects.filter(pk=found[0]).values_list("gzipped", flat=True).first()
        if data is None:  # dropped meanwhile by an approval: build it
            return geojson(campaign, gzipped=True)
        held = _held[key] = (found[1], bytes(data))
    return held[1]


def max_age() -> int:
    """How stale a prepared feed may be: twice the worker's rebuild period."""
    return 2 * settings.CONVOCA.count_interval


def prepare_all() -> int:
    campaigns = Campaign.objects.filter(actions__state=Action.State.APPROVED).distinct()
    for campaign in campaigns:
        prepare_geojson(campaign)
    return len(campaigns)


def _geojson(campaign) -> bytes:
    base = settings.CONVOCA.base_url
    rows = (
        domain.public(campaign)
        .order_by("starts_at", "id")
        .values_list(
            "id",
            "title",
            "kind",
            "starts_at",
            "timezone",
            "city",
            "country",
            "latitude",
            "longitude",
            "online",
            "rsvps_confirmed",
            "approximate_location",
            "language",
        )
    )
    zones_cache: dict[str, ZoneInfo] = {}
    features = []
    for pk, title, kind, starts_at, zone, city, country, lat, lon, online, rsvps, approximate, language in rows:
        tz = zones_cache.get(zone) or zones_cache.setdefault(zone, ZoneInfo(zone))
        features.append(
            {
                "type": "Feature",
                "geometry": None if online or lat is None else {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": pk, "title": title, "kind": kind, "starts_at": starts_at.astimezone(tz).isoformat(),
                    "timezone": zone, "city": city or None, "country": country or None,
                    "url": f"{base}/{language}/a/{pk}/", "rsvps": rsvps, "approximate": approximate,
                },
            }
        )  # fmt: skip
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def ics(actions, url_for) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Convoca//Day of action//EN")
    calendar.add("version", "2.0")
    for action in actions:
        tz = ZoneInfo(action.timezone)
        event = Event()
        event.add("uid", f"action-{action.pk}@convoca")
        event.add("summary", action.title)
        event.add("description", f"{action.description}\n\n{url_for(action)}")
        event.add("dtstart", action.starts_at.astimezone(tz))
        if action.ends_at:
            event.add("dtend", action.ends_at.astimezone(tz))
        event.add("dtstamp", action.created_at)
        event.add("url", url_for(action))
        where = action.online_url if action.online else ", ".join(p for p in (action.venue, action.city) if p)
        if where:
            event.add("location", where)
        if action.latitude is not None and not action.online:
            event.add("geo", (action.latitude, action.longitude))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
