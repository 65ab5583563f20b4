"""Local wall time at a place, its IANA zone, and the instant they mean.

An action is stored as the wall time people will read on their watches there plus the zone,
because zone rules change; the UTC instant is derived. A wall time inside a daylight-saving gap
does not exist and is refused; an ambiguous one (the repeated hour) takes its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class NonexistentTime(ValueError):
    pass


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in _zones()


FIRST_YEAR, LAST_YEAR = 1900, 2999  # the API's schema says the same


def parse_wall_time(text: str) -> datetime:
    """`YYYY-MM-DDTHH:MM` (seconds allowed, no offset) → a naive datetime, minutes precision.

    Years stay within 1900–2999: at the ends of Python's calendar (year 1, year 9999) converting to
    UTC overflows.
    """
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        raise ValueError("give the local time without an offset")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"give a year from {FIRST_YEAR} to {LAST_YEAR}")
    return value.replace(second=0, microsecond=0)


def to_utc(wall: datetime, zone: str) -> datetime:
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
    local = wall.replace(tzinfo=tz, fold=0)  # fold=0: the first of two occurrences
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        raise NonexistentTime(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks skip it)")
    return instant


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


@cache
def _finder():
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    return _finder().timezone_at(lng=longitude, lat=latitude)
