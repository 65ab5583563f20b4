"""Numbers and country names in the visitor's language, from Babel's CLDR data.

django-countries has no Urdu, Turkish or plain Portuguese catalogue, so country names come from
CLDR for every language alike; countries are still stored as ISO 3166-1 alpha-2 codes.
"""

import unicodedata
from functools import cache

from babel import Locale
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
