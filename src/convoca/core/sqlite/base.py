"""SQLite with writers that queue instead of sleeping.

SQLite lets one writer in at a time. Django's backend opens write transactions with
`BEGIN IMMEDIATE` and waits on SQLite's busy timeout, which polls: a writer that finds the lock
taken sleeps 1, 2, 5, 10… up to 100 ms and tries again, so under load most of a request's time is
spent asleep while the lock is free (measured: 38 % of a sign-up, p99 over a second at 32
clients; docs/benchmarks.md). Here every transaction first takes an exclusive `flock` on a file
beside the database: waiting writers block in the kernel and the next one wakes as soon as the
previous one commits. The busy timeout stays as a fallback for writes outside a transaction.
The lock is per connection (its own open file), so threads and processes queue alike.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd = None
    _writer_locked = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}-writer.lock"

    def _acquire_writer(self) -> None:
        path = self._lock_path()
        if path is None or self._writer_locked:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writer_locked = True

    def _release_writer(self) -> None:
        if self._writer_locked:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._acquire_writer()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
