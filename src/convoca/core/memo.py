"""A per-process memo with a time to live, for what the hot paths read on every request but
changes rarely (a statement, its latest revision). Stale by at most `seconds`."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


_ALL: list[Memo] = []


def clear_all() -> None:
    """Tests change what memos hold; they start from empty memos."""
    for memo in _ALL:
        memo.clear()


class Memo:
    def __init__(self, seconds: Callable[[], float], size: int = 1024):
        self.seconds = seconds
        self.size = size
        self._values: dict[Hashable, tuple[float, Any]] = {}
        _ALL.append(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        now = time.monotonic()
        found = self._values.get(key, _MISSING)
        if found is not _MISSING and found[0] > now:
            return found[1]
        value = compute()
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = (now + self.seconds(), value)
        return value

    def clear(self) -> None:
        self._values.clear()
