"""Exports of the people who asked for updates: small ones answer at once, large ones are written
by `convoca worker` into the data directory, with progress the page polls, and deleted after `KEEP`.

Every export request and every download writes an audit entry. The files hold decrypted personal
data: they live outside anything served as static, and only staff download them (private, no-store).
"""

from __future__ import annotations

import io
import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from convoca.dashboard.models import Export
from convoca.moderation import audit
from convoca.moderation.models import AuditEntry
from convoca.statements import export
from convoca.statements.models import Endorsement, Statement

log = logging.getLogger(__name__)

INLINE_LIMIT = 2000  # rows; above this the worker writes the file
KEEP = timedelta(hours=24)
STUCK = timedelta(hours=1)  # a running export older than this lost its worker
PROGRESS_EVERY = 500
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "ods": "application/vnd.oasis.opendocument.spreadsheet"}


def directory() -> Path:
    path = Path(settings.CONVOCA.data_dir) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def describe(statement: Statement, source: str | None, fmt: str) -> str:
    partner = "all" if source is None else (source or "none")
    return f"updates export of {statement.slug} partner={partner} format={fmt}"


def write(rows, stream, fmt: str) -> int:
    if fmt == Export.Format.ODS:
        return export.write_ods(rows, stream)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        return export.write_csv(rows, text)
    finally:
        text.flush()
        text.detach()


def inline(statement: Statement, source: str | None, fmt: str, user) -> tuple[bytes, int]:
    """A small export, built in the request. Audited with its row count."""
    buffer = io.BytesIO()
    count = write(export.subscriber_rows(export.subscribers(statement.pk, source)), buffer, fmt)
    audit.record(user, AuditEntry.Action.EXPORT, Endorsement, where=describe(statement, source, fmt), rows=count)
    return buffer.getvalue(), count


def request(statement: Statement, source: str | None, fmt: str, user) -> Export:
    """Queue a large export for the worker. Audited now (who asked for what, how many rows)."""
    total = export.subscribers(statement.pk, source).count()
    job = Export.objects.create(statement=statement, source=source, format=fmt, total=total, requested_by=user)
    audit.record(
        user, AuditEntry.Action.EXPORT, Endorsement, where=f"#{job.pk} {describe(statement, source, fmt)}", rows=total
    )
    return job


def path_of(job: Export) -> Path:
    return directory() / job.file_name


def _claim() -> Export | None:
    for pk in Export.objects.filter(state=Export.State.PENDING).order_by("id").values_list("pk", flat=True)[:5]:
        # A conditional UPDATE: of several workers, exactly one takes each export.
        if Export.objects.filter(pk=pk, state=Export.State.PENDING).update(state=Export.State.RUNNING):
            return Export.objects.select_related("statement").get(pk=pk)
    return None


def _counting(rows, job: Export):
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=job.pk).update(done=done)


def run(job: Export) -> None:
    name = f"export-{job.pk}-{secrets.token_hex(8)}.{job.format}"
    final = directory() / name
    partial = final.with_suffix(".part")
    try:
        rows = export.subscriber_rows(export.subscribers(job.statement_id, job.source))
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            count = write(_counting(rows, job), stream, job.format)
        partial.rename(final)
    except Exception as exc:  # the page says it failed; the worker goes on
        log.exception("export %s failed", job.pk)
        partial.unlink(missing_ok=True)
        Export.objects.filter(pk=job.pk).update(
            state=Export.State.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        return
    Export.objects.filter(pk=job.pk).update(
        state=Export.State.DONE, done=count, total=count, file_name=name, finished_at=timezone.now()
    )


def run_pending(limit: int = 3) -> int:
    """Write up to `limit` queued exports; returns how many were taken."""
    taken = 0
    while taken < limit and (job := _claim()) is not None:
        run(job)
        taken += 1
    return taken


def forget_old(now=None) -> int:
    """Delete files older than KEEP; give up on exports whose worker died. Returns files deleted."""
    now = now or timezone.now()
    Export.objects.filter(state=Export.State.RUNNING, requested_at__lt=now - STUCK).update(
        state=Export.State.FAILED, error="stopped", finished_at=now
    )
    deleted = 0
    for job in Export.objects.filter(state=Export.State.DONE, finished_at__lt=now - KEEP):
        with transaction.atomic():
            if Export.objects.filter(pk=job.pk, state=Export.State.DONE).update(state=Export.State.EXPIRED):
                path_of(job).unlink(missing_ok=True)
                deleted += 1
    return deleted
