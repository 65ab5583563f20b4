"""Numbers, dates and country names in the visitor's language, from Babel's CLDR data.

django-countries has no Urdu, Turkish or plain Portuguese catalogue, so country names come from
CLDR for every language alike; countries are still stored as ISO 3166-1 alpha-2 codes.
"""

import unicodedata
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal
from django.utils import translation
from django_countries import countries

from convoca.core import languages


def current_language() -> str:
    return _language(None)


def _language(language: str | None) -> str:
    code = language or translation.get_language() or languages.DEFAULT
    return code if code in languages.CODES else languages.DEFAULT


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def format_number(value, language: str | None = None) -> str:
    return format_decimal(value, locale=_locale(_language(language)))


def _zone(zone: str | None):
    return ZoneInfo(zone) if zone else UTC


def format_when(value: datetime, zone: str | None = None, language: str | None = None) -> str:
    """A moment as a reader of `language` expects it, in `zone` (an action's own time zone):
    weekday, date and time in CLDR's order and punctuation ("Mon, Mar 22, 2027, 6:00 PM";
    "الاثنين، 22 مارس 2027، 6:00 م"), where Django's formats mix English order and commas into Arabic."""
    locale = _locale(_language(language))
    tzinfo = _zone(zone)
    date = format_skeleton("yMMMEd", value, tzinfo=tzinfo, fuzzy=True, locale=locale)
    time = format_time(value, "short", tzinfo=tzinfo, locale=locale)
    return locale.datetime_formats["medium"].replace("'", "").replace("{1}", date).replace("{0}", time)


def format_clock(value: datetime, zone: str | None = None, language: str | None = None) -> str:
    """A time of day alone (an action's end), as `format_when` writes it."""
    return format_time(value, "short", tzinfo=_zone(zone), locale=_locale(_language(language)))


def separator(language: str | None = None) -> str:
    """Between the parts of a place (venue, city, country): Arabic script's own comma where it is
    written, else the Latin one."""
    return "، " if languages.get(_language(language)).rtl else ", "


def country_name(code, language: str | None = None) -> str:
    code = str(getattr(code, "code", code) or "")
    return _locale(_language(language)).territories.get(code) or countries.name(code) or code


def sort_key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


COUNTRY_CODES = frozenset(code for code, _name in countries)


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every country as (code, name), sorted by its name in `language`."""
    named = [(code, country_name(code, language)) for code, _name in countries]
    return tuple(sorted(named, key=lambda item: sort_key(item[1])))
