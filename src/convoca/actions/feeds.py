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


def geojson(campaign) -> PreparedFeed:
    """The prepared feed if it is fresh enough, else built now (the first request after a quiet spell)."""
    feed = PreparedFeed.objects.filter(key=geojson_key(campaign)).first()
    if feed is None or feed.built_at < timezone.now() - timedelta(seconds=max_age()):
        feed = prepare_geojson(campaign)
    return feed


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
