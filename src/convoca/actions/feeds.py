"""Machine-readable views of public actions: GeoJSON for maps, iCalendar for calendars."""

import json
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from convoca.actions import domain, zones


def geojson(campaign, url_for) -> bytes:
    """One FeatureCollection, built as plain dicts (no per-item validation: this must stay cheap at 10,000)."""
    features = []
    for action in domain.public(campaign).order_by("starts_at", "id"):
        geometry = None
        if action.latitude is not None and not action.online:
            geometry = {"type": "Point", "coordinates": [action.longitude, action.latitude]}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id": action.pk,
                    "title": action.title,
                    "kind": action.kind,
                    "starts_at": zones.local(action.starts_at, action.timezone).isoformat(),
                    "timezone": action.timezone,
                    "city": action.city or None,
                    "country": action.country or None,
                    "url": url_for(action),
                    "rsvps": action.rsvps_confirmed,
                    "approximate": action.approximate_location,
                },
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


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
