"""Benchmark: drawing a share card (Pillow + raqm), and serving one from the cache.

Run with `.venv/bin/python bench/cards.py`. It prints figures; it does not pass
or fail. A card is drawn once per (object, language, count bucket) and then served from Django's
cache, so the drawing time is paid a few times per statement and language, not per request.

* 200ch:  a title of 200 characters, the longest a revision or an action may have;
* first:  the first card of a process (loads the two fonts, ~470 KB each);
* draw:   laying out and drawing the picture (shaping, wrapping, fitting the title);
* encode: PNG encoding (zlib level 6; `optimize` would save ~5% for three times the time);
* cached: `Version.png()` when the bytes are already in the cache (process memory here).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "convoca.settings",
        "CONVOCA_DATA_DIR": tempfile.mkdtemp(prefix="convoca-bench-"),
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
        "EMAIL_URL": "smtp://127.0.0.1:1",
        "CONVOCA_BASE_URL": "https://convoca.example.org",
    }
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.pop("CONVOCA_DEMO", None)

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from convoca.cards import content, render  # noqa: E402
from convoca.cards.render import Card, Text  # noqa: E402

RUNS = 30
CARDS = {
    "en": Card(
        language="en", kicker=Text("Rivers Day coalition", "en"),
        title=Text("A call for clean and living rivers", "en"), figure=Text("1,200+ endorsements", "en"),
        note=Text("Goal: 5,000", "en"), progress=0.24, site="convoca.example.org",
    ),
    "ar": Card(
        language="ar", kicker=Text("تحالف يوم الأنهار", "ar"), title=Text("نداء من أجل أنهار نظيفة وحيّة", "ar"),
        figure=Text("1,200+ توقيع", "ar"), note=Text("الهدف: 5,000", "ar"), progress=0.24, site="convoca.example.org",
    ),
    "ur 200ch": Card(
        language="ur", kicker=Text("دریاؤں کا اتحاد", "ur"),
        title=Text(("صاف اور زندہ دریاؤں کے لیے اپیل، " * 8)[:200], "ur"), figure=Text("57 دستخط", "ur"),
        site="convoca.example.org",
    ),
    "tr 200ch": Card(
        language="tr", kicker=Text("Kampanya", "tr"), title=Text(("Dayanışma ve adalet için büyük çağrı " * 10)[:200], "tr"),
        details=(Text("22 Mart 2027 18:30 (Europe/Istanbul)", "tr"), Text("Kadıköy, İstanbul, Türkiye", "tr")),
        site="convoca.example.org",
    ),
}  # fmt: skip


def ms(samples):
    return f"median {statistics.median(samples) * 1000:6.1f} ms  best {min(samples) * 1000:6.1f} ms"


start = time.perf_counter()
render.png(CARDS["en"])
print(f"first card of the process (fonts loaded): {(time.perf_counter() - start) * 1000:.0f} ms")
for name, card in CARDS.items():
    draws, encodes, sizes = [], [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        image = render.draw(card)
        t1 = time.perf_counter()
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        encodes.append(time.perf_counter() - t1)
        draws.append(t1 - t0)
        sizes.append(buffer.tell())
    total = [d + e for d, e in zip(draws, encodes, strict=True)]
    print(f"{name:10} draw {ms(draws)} | encode {ms(encodes)} | total {ms(total)} | {sizes[0] // 1024} KiB")

version = content.Version(CARDS["ar"], "s", "bench", 1200)
version.png()
hits = []
for _ in range(RUNS * 10):
    t0 = time.perf_counter()
    version.png()
    hits.append(time.perf_counter() - t0)
print(f"cached     {ms(hits)}")
