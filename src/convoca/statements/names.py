"""Which names may appear on public lists without a moderator's look first.

A name that carries a link or an address, or a word or phrase from the operator's list
(`CONVOCA_NAME_BLOCKLIST`, one entry per line, `#` for comments), is kept off the public list
until a moderator shows it. The person is counted all the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from django.conf import settings

BUILT_IN = ("admin", "administrator", "moderator", "webmaster", "official account")
LINK = re.compile(r"(https?:|www\.|@|\.(com|net|org|info|ru|xyz|top|io)\b)", re.IGNORECASE)


def fold(text: str) -> str:
    """Case, accents and compatibility forms folded; punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", stripped).split())


@cache
def _entries(path) -> tuple[str, ...]:
    words = list(BUILT_IN)
    if path is not None:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.append(line)
    return tuple(filter(None, (fold(word) for word in words)))


def needs_review(name: str) -> bool:
    if LINK.search(name):
        return True
    folded = f" {fold(name)} "
    return any(f" {entry} " in folded for entry in _entries(settings.CONVOCA.name_blocklist))
