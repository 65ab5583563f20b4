"""The import's two passes, run by `convoca worker` in chunks: check the whole file, then import it.

Each chunk is one transaction that writes its rows (bad rows in the check, endorsements in the
import) together with the job's progress, under the job's lease; a lost lease or a cancelled job
rolls the chunk back. A worker that dies leaves a lease that runs out, and the next worker starts
again after the last committed chunk. Nothing is ever half-written: a row is in or it is not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import time
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from convoca.campaigns.models import Partner
from convoca.core import crypto
from convoca.imports import csvfile
from convoca.imports.models import BadRow, ImportJob
from convoca.imports.rows import RowReader
from convoca.statements import domain
from convoca.statements.models import Endorsement

log = logging.getLogger(__name__)

CHUNK = 500  # rows per transaction
LEASE = timedelta(seconds=60)  # a worker renews it with every chunk
BUDGET = 10.0  # seconds of work per worker round, so the outbox and the counts keep moving
MAX_ATTEMPTS = 3
KEEP = timedelta(days=1)  # files and the cells of bad rows are erased after this
State = ImportJob.State


class LeaseLost(Exception):
    """Another worker holds the job now, or staff cancelled it: this chunk is rolled back."""


def directory() -> Path:
    return Path(settings.CONVOCA.data_dir) / "imports"


def path_of(job: ImportJob) -> Path:
    return directory() / job.stored_name


def new_stored_name() -> str:
    return f"{secrets.token_hex(16)}.csv"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def estimate_rows(path: Path) -> int:
    """Lines after the header: the check's progress bar needs a total before it has read the file."""
    lines = 0
    last = b""
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block
    if last and not last.rstrip(b"\x00").endswith(b"\n"):
        lines += 1
    return max(lines - 1, 0)


def delete_file(job: ImportJob) -> None:
    if job.stored_name:
        path_of(job).unlink(missing_ok=True)


def reader_for(job: ImportJob) -> RowReader:
    codes = set(Partner.objects.filter(campaign_id=job.statement.campaign_id).values_list("code", flat=True))
    return RowReader(job.mapping.get("columns", {}), job.mapping.get("fixed", {}), codes)


def _rows(job: ImportJob):
    return csvfile.rows(path_of(job), job.encoding, job.delimiter)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _runnable(now) -> Q:
    return Q(state__in=[State.CHECKING, State.IMPORTING]) & (
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    )


def claim(worker: str) -> ImportJob | None:
    """Lease the oldest check or import that no live worker holds, or that this worker holds
    already (a conditional UPDATE: one winner)."""
    now = timezone.now()
    mine_or_free = _runnable(now) | (Q(state__in=[State.CHECKING, State.IMPORTING]) & Q(lease_owner=worker))
    for pk in ImportJob.objects.filter(mine_or_free).order_by("id").values_list("id", flat=True)[:10]:
        if ImportJob.objects.filter(mine_or_free, pk=pk).update(lease_owner=worker, lease_expires_at=now + LEASE):
            return ImportJob.objects.select_related("statement__campaign").get(pk=pk)
    return None


def _advance(job: ImportJob, worker: str, **changes) -> None:
    """Write the progress under the lease, inside the chunk's transaction; refuse if it was lost."""
    now = timezone.now()
    changes.setdefault("lease_expires_at", now + LEASE)
    updated = ImportJob.objects.filter(pk=job.pk, lease_owner=worker, state=job.state).update(updated_at=now, **changes)
    if not updated:
        raise LeaseLost


# What this worker process was doing, kept between its rounds: job id → (phase, rows committed,
# the running pass). Going on from memory spares re-reading the file up to the last chunk (and,
# for the check, re-reading it to know the addresses seen); after a restart, or when another
# worker has moved the job on meanwhile, the pass starts afresh from the database's position.
_passes: dict[int, tuple[str, int, object]] = {}


def _position(job: ImportJob) -> int:
    return job.checked_rows if job.state == State.CHECKING else job.done_rows


def work(worker: str | None = None, budget: float = BUDGET) -> int:
    """Run one leased job for about `budget` seconds; return how many rows were done.

    The lease is kept between rounds (each chunk renews it), so this worker goes on with the job
    next round; if it dies, another takes over once the lease runs out.
    """
    worker = worker or worker_name()
    job = claim(worker)
    for pk in [pk for pk in _passes if job is None or pk != job.pk]:
        _passes.pop(pk)[2].close()
    if job is None:
        return 0
    deadline = time.monotonic() + budget
    position = _position(job)
    kept = _passes.pop(job.pk, None)
    if kept is not None and kept[:2] == (job.state, position):
        chunks = kept[2]
    else:
        if kept is not None:
            kept[2].close()
        chunks = (check_chunks if job.state == State.CHECKING else import_chunks)(job, worker)
    done = 0
    try:
        for rows in chunks:
            done += rows
            position += rows
            if time.monotonic() >= deadline:
                _passes[job.pk] = (job.state, position, chunks)
                break
    except LeaseLost:
        return done
    except Exception as error:
        log.exception("import #%s failed", job.pk)
        _failed(job, worker, error)
    return done


def _failed(job: ImportJob, worker: str, error: Exception) -> None:
    """Retry (the next round picks it up again) until MAX_ATTEMPTS, then stop and say why."""
    message = str(error) if isinstance(error, csvfile.Unreadable) else type(error).__name__
    attempts = job.attempts + 1
    final = attempts >= MAX_ATTEMPTS or isinstance(error, (csvfile.Unreadable, FileNotFoundError))
    changes = {"attempts": attempts, "error": message[:300], "lease_owner": "", "lease_expires_at": None}
    if final:
        changes.update(state=State.FAILED, failed_in=job.state)
    ImportJob.objects.filter(pk=job.pk, lease_owner=worker).update(**changes)


def _bad_row(job: ImportJob, number: int, cells: list[str], problems) -> BadRow:
    return BadRow(
        job=job, row=number, cells=json.dumps(cells, ensure_ascii=False), problems=[list(p) for p in problems]
    )


def _present(job: ImportJob, entries: list[dict]) -> set[tuple[str, str]]:
    """(kind, email hash) of the entries whose address has already endorsed the statement in that
    capacity. One query per kind, so that it is a lookup in the unique index (statement, kind, hash)."""
    found = set()
    for kind in {entry["kind"] for entry in entries}:
        hashes = [entry["email_hash"] for entry in entries if entry["kind"] == kind]
        found.update(
            Endorsement.objects.filter(statement_id=job.statement_id, kind=kind, email_hash__in=hashes).values_list(
                "kind", "email_hash"
            )
        )
    return found


def check_chunks(job: ImportJob, worker: str):
    """The check: every row read with the mapping, bad rows recorded with their reasons, duplicates
    within the file and addresses already present counted. Yields the rows done per chunk."""
    reader = reader_for(job)
    rows = _rows(job)
    seen: dict[tuple[str, str], int] = {}
    for number, cells in islice(rows, job.checked_rows):  # resuming: the duplicates seen so far
        outcome = reader.read(cells)
        if outcome.data is not None:
            seen.setdefault(outcome.key, number)
    while True:
        chunk = list(islice(rows, CHUNK))
        bad, valid = [], []
        for number, cells in chunk:
            outcome = reader.read(cells)
            if outcome.data is not None and outcome.key in seen:
                outcome.problems.append((reader.columns.get("email", -1), "duplicate", str(seen[outcome.key])))
                outcome.data = None
            if outcome.data is None:
                bad.append(_bad_row(job, number, cells, outcome.problems))
                continue
            seen[outcome.key] = number
            valid.append({"kind": outcome.data["kind"], "email_hash": crypto.email_hash(outcome.data["email"])})
        present = _present(job, valid)
        with transaction.atomic():
            BadRow.objects.bulk_create(bad, ignore_conflicts=True)
            changes = {
                "checked_rows": F("checked_rows") + len(chunk),
                "valid_rows": F("valid_rows") + len(valid),
                "bad_rows": F("bad_rows") + len(bad),
                "present_at_check": F("present_at_check")
                + sum((entry["kind"], entry["email_hash"]) in present for entry in valid),
            }
            if len(chunk) < CHUNK:
                job.refresh_from_db(fields=["checked_rows"])
                changes.update(
                    state=State.CHECKED, total_rows=job.checked_rows + len(chunk), lease_owner="", lease_expires_at=None
                )
            _advance(job, worker, **changes)
        yield len(chunk)
        if len(chunk) < CHUNK:
            return


def import_chunks(job: ImportJob, worker: str):
    """The import: rows the check refused are skipped, addresses already present are left alone,
    the rest are inserted (confirmed and counted only if the coordinator said they were verified)."""
    reader = reader_for(job)
    bad_numbers = set(BadRow.objects.filter(job=job).values_list("row", flat=True))
    rows = _rows(job)
    for _ in islice(rows, job.done_rows):
        pass
    if job.started_at is None:
        ImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    statement = job.statement
    while True:
        chunk = list(islice(rows, CHUNK))
        entries, late_bad = [], []
        for number, cells in chunk:
            if number in bad_numbers:
                continue
            outcome = reader.read(cells)
            if outcome.data is None:  # e.g. a partner deleted since the check
                late_bad.append(_bad_row(job, number, cells, outcome.problems))
                continue
            outcome.data["email_hash"] = crypto.email_hash(outcome.data["email"])
            entries.append(outcome.data)
        present = _present(job, entries)
        now = timezone.now()
        fresh = [
            domain.imported_endorsement(statement, entry, confirmed=job.verified, now=now)
            for entry in entries
            if (entry["kind"], entry["email_hash"]) not in present
        ]
        with transaction.atomic():
            BadRow.objects.bulk_create(late_bad, ignore_conflicts=True)
            created = domain.add_imported(fresh, send_confirmation=job.send_confirmation and not job.verified)
            changes = {
                "done_rows": F("done_rows") + len(chunk),
                "created": F("created") + len(created),
                "present": F("present") + len(entries) - len(created),
                "bad_rows": F("bad_rows") + len(late_bad),
            }
            finished = len(chunk) < CHUNK
            if finished:
                changes.update(state=State.DONE, finished_at=timezone.now(), lease_owner="", lease_expires_at=None)
            _advance(job, worker, **changes)
        yield len(chunk)
        if finished:
            delete_file(job)
            return


def clean() -> int:
    """Hourly: files and bad rows' cells older than a day go; imports never run by then are cancelled."""
    cutoff = timezone.now() - KEEP
    old = ImportJob.objects.filter(created_at__lt=cutoff)
    old.filter(state__in=[State.NEW, State.CHECKED]).update(state=State.CANCELLED, error="expired")
    old.filter(state__in=[State.CHECKING, State.IMPORTING], lease_expires_at__isnull=True).exclude(
        updated_at__gte=cutoff
    ).update(state=State.FAILED, error="expired")
    for job in old.exclude(stored_name="").exclude(state__in=[State.CHECKING, State.IMPORTING]):
        delete_file(job)
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
    erased = BadRow.objects.filter(job__created_at__lt=cutoff).exclude(cells="").update(cells="")
    known = set(ImportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    if directory().is_dir():
        for path in directory().iterdir():  # uploads that never became a job (a failed request)
            if path.name not in known and path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
    return erased
