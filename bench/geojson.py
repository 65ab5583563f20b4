"""Benchmark: the GeoJSON of 10,000 approved actions, side by side with a per-item-model reference.

Run with `make bench`. It prints figures; it does not pass or fail. Both paths run in the same
process on the same database, in alternation, so machine noise hits them alike:

* build:     what the worker does every CONVOCA_COUNT_INTERVAL seconds (`feeds._geojson`): plain
             rows → dicts → json bytes;
* reference: the same rows loaded as model instances and validated through a pydantic
             FeatureCollection model (what a ninja response schema would do), then dumped;
* serve:     the request: the full view through Django's test client, serving the prepared bytes
             (gzipped, as a browser asks), and the worst case where the request must build them.

Figures: median and best of N runs (milliseconds of server time, no network), body sizes.
"""

import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
data_dir = os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="convoca-bench-")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "convoca.settings",
        "CONVOCA_DATA_DIR": data_dir,
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
        "EMAIL_URL": "smtp://127.0.0.1:1",
        "CONVOCA_BASE_URL": "http://127.0.0.1:8000",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
    }
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("CONVOCA_DEMO", None)

import django  # noqa: E402

django.setup()

from datetime import UTC, datetime, timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from ninja import Schema  # noqa: E402

from convoca.actions import feeds, zones  # noqa: E402
from convoca.actions.models import Action, PreparedFeed  # noqa: E402
from convoca.campaigns.models import Campaign  # noqa: E402
from convoca.core import crypto  # noqa: E402

COUNT = int(os.environ.get("BENCH_ACTIONS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))


class Properties(Schema):
    id: int
    title: str
    kind: str
    starts_at: str
    timezone: str
    city: str | None
    country: str | None
    url: str
    rsvps: int
    approximate: bool


class Geometry(Schema):
    type: str
    coordinates: list[float]


class Feature(Schema):
    type: str
    geometry: Geometry | None
    properties: Properties


class FeatureCollection(Schema):
    type: str
    features: list[Feature]


def reference(campaign) -> bytes:
    features = []
    for action in Action.objects.filter(campaign=campaign, state="approved").order_by("starts_at", "id"):
        features.append(
            {
                "type": "Feature",
                "geometry": None if action.online else {"type": "Point", "coordinates": [action.longitude, action.latitude]},
                "properties": {
                    "id": action.pk, "title": action.title, "kind": action.kind,
                    "starts_at": zones.local(action.starts_at, action.timezone).isoformat(),
                    "timezone": action.timezone, "city": action.city, "country": action.country,
                    "url": f"http://127.0.0.1:8000/{action.language}/a/{action.pk}/", "rsvps": action.rsvps_confirmed,
                    "approximate": action.approximate_location,
                },
            }
        )  # fmt: skip
    return (
        FeatureCollection.model_validate({"type": "FeatureCollection", "features": features}).model_dump_json().encode()
    )


def populate() -> Campaign:
    call_command("migrate", verbosity=0)
    campaign = Campaign.objects.create(slug="bench", languages=["en", "es", "ar"])
    rng = random.Random(42)
    zone_points = [
        ("America/Argentina/Buenos_Aires", -34.6, -58.4, "AR"), ("Europe/Paris", 48.9, 2.35, "FR"),
        ("Asia/Karachi", 31.5, 74.3, "PK"), ("Africa/Dakar", 14.7, -17.4, "SN"), ("Asia/Tokyo", 35.7, 139.7, "JP"),
        ("America/New_York", 40.7, -74.0, "US"), ("Europe/Istanbul", 41.0, 29.0, "TR"), ("Asia/Amman", 31.9, 35.9, "JO"),
    ]  # fmt: skip
    secret = crypto.encrypt("organizer@example.org")
    start = datetime(2027, 3, 22, 12, tzinfo=UTC)
    actions = []
    for index in range(COUNT):
        zone, lat, lon, country = rng.choice(zone_points)
        actions.append(
            Action(
                campaign=campaign, state="approved", kind=rng.choice(Action.Kind.values[:6]),
                language=rng.choice(["en", "es", "ar"]), title=f"Action {index} for clean rivers", description="-",
                starts_local="2027-03-22T18:00", timezone=zone,
                starts_at=start + timedelta(minutes=rng.randrange(0, 24 * 60)),
                city=f"City {index % 500}", country=country, latitude=lat + rng.uniform(-3, 3),
                longitude=lon + rng.uniform(-3, 3), organizer_name=secret, organizer_email=secret,
                organizer_email_hash=f"{index:064d}", token_nonce="n", verify_token_hash=f"v{index:063d}",
                manage_token_hash=f"m{index:063d}", verify_expires_at=start, rsvps_confirmed=rng.randrange(0, 80),
            )
        )  # fmt: skip
    Action.objects.bulk_create(actions, batch_size=2000)
    return campaign


def timed(function, *args, **kwargs):
    began = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - began) * 1000, result


def main():
    campaign = populate()
    ours, refs, cold, warm = [], [], [], []
    body = ref_body = b""
    client = Client()
    url = "/api/v1/campaigns/bench/actions.geojson"
    for _ in range(RUNS):
        elapsed, body = timed(feeds._geojson, campaign)
        ours.append(elapsed)
        elapsed, ref_body = timed(reference, campaign)
        refs.append(elapsed)
        PreparedFeed.objects.all().delete()
        elapsed, response = timed(client.get, url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        cold.append(elapsed)
        elapsed, response = timed(client.get, url, headers={"accept-encoding": "gzip"})
        warm.append(elapsed)
    gzipped = response.content

    print(f"GeoJSON of {COUNT:,} approved actions, SQLite, {RUNS} runs each, Python {sys.version.split()[0]}")
    print(f"{'path':<44}{'median ms':>10}{'best ms':>10}{'bytes':>11}{'gzipped':>10}")
    rows = [
        ("build: rows -> dicts -> json (worker)", ours, body),
        ("reference: instances -> pydantic -> json", refs, ref_body),
        ("serve: request, prepared bytes (gzip)", warm, body),
        ("serve: request that must build first", cold, body),
    ]
    for name, runs, payload in rows:
        print(
            f"{name:<44}{statistics.median(runs):>10.1f}{min(runs):>10.1f}"
            f"{len(payload):>11,}{len(gzip.compress(payload, 6)):>10,}"
        )
    print(f"bytes on the wire for the gzip request: {len(gzipped):,}")


if __name__ == "__main__":
    if "--populate-only" in sys.argv:
        populate()
    else:
        main()
