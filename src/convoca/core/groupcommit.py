"""Group commit: many request threads, one writer thread per process, one durable commit per batch.

A durable commit costs an fsync (SQLite's WAL, PostgreSQL's WAL) and, on SQLite, the database's
single write lock. Taken once per sign-up, those two dominate the intake path under load
(docs/benchmarks.md). With gunicorn's threaded workers (`CONVOCA_WEB_THREADS` > 1) a request
thread hands its prepared work to this process's writer thread and waits; the writer takes
everything queued meanwhile, runs it in ONE transaction and wakes each waiter with its own
result. So while one batch is being made durable the next one gathers, and a sign-up is
acknowledged only after the commit that holds it — as durable as before, for a fraction of the
fsyncs and lock hand-overs.

If a batch fails, its items are retried one by one, so one bad item (or a database fault) is
reported to its own request only. Without threads, or inside a caller's transaction (tests, a
management command), `submit` runs the work inline in the caller's thread.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction

log = logging.getLogger(__name__)

WAIT_SECONDS = 30  # a request waits at most this long for its batch; then it gets a 503


class _Slot:
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item):
        self.item = item
        self.done = threading.Event()
        self.result = None
        self.error: BaseException | None = None


class GroupCommit:
    """`run(items) -> results` is called inside a transaction with a batch of submitted items and
    returns one result per item, in order."""

    def __init__(self, name: str, run: Callable[[Sequence[Any]], list[Any]], max_batch: int = 256):
        self.name = name
        self.run = run
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Slot] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self.batches = 0  # committed batches and items in them, in this process (tests, debugging)
        self.items = 0

    def submit(self, item) -> Any:
        if settings.CONVOCA.web_threads <= 1 or connection.in_atomic_block:
            with transaction.atomic():
                return self.run([item])[0]
        slot = _Slot(item)
        self._ensure_writer()
        self._queue.put(slot)
        if not slot.done.wait(WAIT_SECONDS):
            raise DatabaseError(f"{self.name}: no commit within {WAIT_SECONDS} s")
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _ensure_writer(self) -> None:
        pid = os.getpid()
        if self._pid == pid and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid != pid or self._thread is None or not self._thread.is_alive():
                if self._pid != pid:  # forked: the parent's queue and thread are not ours
                    self._queue = queue.SimpleQueue()
                self._pid = pid
                self._thread = threading.Thread(target=self._loop, name=f"group-commit-{self.name}", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            slots = [self._queue.get()]
            while len(slots) < self.max_batch:
                try:
                    slots.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._commit(slots)
            except BaseException as error:  # never let the writer die with waiters behind it
                log.exception("%s: writer failed", self.name)
                for slot in slots:
                    if not slot.done.is_set():
                        slot.error = error
                        slot.done.set()
            finally:
                # Give a pooled connection back, drop a broken one; SQLite's persistent one stays.
                close_old_connections()

    def _commit(self, slots: list[_Slot]) -> None:
        try:
            with transaction.atomic():
                results = self.run([slot.item for slot in slots])
        except Exception as error:
            if len(slots) == 1:
                slots[0].error = error
                slots[0].done.set()
                return
            log.warning("%s: a batch of %d failed (%s); retrying one by one", self.name, len(slots), error)
            close_old_connections()
            for slot in slots:
                self._commit([slot])
            return
        self.batches += 1
        self.items += len(slots)
        for slot, result in zip(slots, results, strict=True):
            slot.result = result
            slot.done.set()
