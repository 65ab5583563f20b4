"""The coordinators' import pages: upload, map the columns, review the check, import, follow it.

Every page is staff-only; forms that change something are POSTs under Django's CSRF protection.
The upload is checked for staff and size *before* the body is read, so an anonymous request
never gets a large body parsed (the 64 KiB limit of public endpoints does not apply here).
"""

from __future__ import annotations

import csv
import io
import json
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from convoca.core import l10n
from convoca.core.staff import staff_passed, staff_required
from convoca.imports import csvfile, mapping, runner
from convoca.imports.forms import MappingForm, RunForm, UploadForm
from convoca.imports.models import BadRow, ImportJob
from convoca.imports.rows import ROW, reason_text
from convoca.imports.uploads import FileTooLarge, StoreInDataDir
from convoca.moderation import audit
from convoca.moderation.models import AuditEntry

log = logging.getLogger(__name__)
State = ImportJob.State
PREVIEW_ROWS = 20
SHOWN_PROBLEMS = 200
VALUE_SHOWN = 40
MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and the part headers


def _job(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("statement__campaign"), pk=pk)


# --- upload ---------------------------------------------------------------------------------


@csrf_exempt  # checked below, once the user is known to be staff and the size acceptable
def index(request):
    if not staff_passed(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if request.method == "POST":
        limit = settings.CONVOCA.import_max_bytes
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("The Content-Length header is not a number."), status=400, content_type="text/plain")
        if length > limit + MULTIPART_OVERHEAD:
            return _too_large(request)
        handler = StoreInDataDir(limit, request)
        request.upload_handlers = [handler]
        try:
            response = csrf_protect(_upload)(request)
        except FileTooLarge:
            return _too_large(request)
        if response.status_code != 302:  # refused (CSRF, a bad form): nothing of it stays on disk
            handler.discard()
        return response
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return csrf_protect(_index)(request, UploadForm())


def _too_large(request):
    limit = filesizeformat(settings.CONVOCA.import_max_bytes)
    return render(request, "imports/too_large.html", {"limit": limit}, status=413)


def _index(request, form, status=200):
    jobs = ImportJob.objects.select_related("statement").order_by("-created_at", "-id")[:30]
    context = {"form": form, "jobs": jobs, "limit": filesizeformat(settings.CONVOCA.import_max_bytes)}
    return render(request, "imports/index.html", context, status=status)


def _upload(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, form, status=422)
    upload = form.cleaned_data["file"]
    path = upload.path
    encoding = form.cleaned_data["encoding"] or csvfile.detect_encoding(path)
    delimiter = form.cleaned_data["delimiter"] or csvfile.sniff_delimiter(path, encoding)
    try:
        header = csvfile.header(path, encoding, delimiter)
    except csvfile.Unreadable as error:
        form.add_error("file", _("This file cannot be read as CSV: %(reason)s") % {"reason": error})
        return _index(request, form, status=422)
    job = ImportJob.objects.create(
        statement=form.cleaned_data["statement"],
        created_by=request.user,
        file_name=(upload.name or "upload.csv")[:200],
        stored_name=path.name,
        size=upload.size,
        sha256=runner.sha256_of(path),
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        mapping={"columns": mapping.guess(header), "fixed": {}},
        total_rows=runner.estimate_rows(path),
    )
    return redirect("imports:detail", pk=job.pk)


# --- one import -----------------------------------------------------------------------------


@staff_required
@require_GET
def detail(request, pk: int):
    job = _job(request, pk)
    if job.state == State.NEW:
        form = MappingForm(initial=_initial(job), header=job.header, statement=job.statement)
        return _mapping_page(request, job, form)
    if job.running:
        return render(request, "imports/progress.html", {"job": job, **_progress(job)})
    if job.state == State.CHECKED:
        form = MappingForm(initial=_initial(job), header=job.header, statement=job.statement)
        return _review_page(request, job, form, RunForm(retention_days=_retention()))
    return _report_page(request, job)


def _retention() -> int:
    return settings.CONVOCA.unconfirmed_retention_days


def _initial(job: ImportJob) -> dict:
    initial = MappingForm.initial_from(job.mapping)
    initial.setdefault("fixed_language", job.statement.campaign.default_language)
    return initial


def _sample(job: ImportJob, count: int):
    try:
        return csvfile.first_rows(runner.path_of(job), job.encoding, job.delimiter, count), ""
    except (csvfile.Unreadable, FileNotFoundError) as error:
        return [], str(error)


def _mapping_page(request, job, form, status=200):
    sample, problem = _sample(job, 5)
    width = len(job.header)
    context = {
        "job": job,
        "form": form,
        "sample": [(number, (cells + [""] * width)[:width]) for number, cells in sample],
        "problem": problem,
        "columns": [(mapping.column_letter(i), name) for i, name in enumerate(job.header)],
        "guessed": len(job.mapping.get("columns", {})),
        "encoding": csvfile.ENCODINGS.get(job.encoding, job.encoding),
        "delimiter": csvfile.DELIMITERS.get(job.delimiter, job.delimiter),
    }
    if sample:
        audit.record(request.user, AuditEntry.Action.VIEW, ImportJob, where="import mapping", object_id=job.pk)
    return render(request, "imports/mapping.html", context, status=status)


@staff_required
@require_POST
def map_columns(request, pk: int):
    """Save the mapping and start the check of the whole file (again, if the mapping changed)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("statement__campaign").get(pk=pk)
        if job.state not in (State.NEW, State.CHECKED):
            return _conflict(request, job)
        form = MappingForm(request.POST, header=job.header, statement=job.statement)
        if not form.is_valid():
            if job.state == State.CHECKED:
                return _review_page(request, job, form, RunForm(retention_days=_retention()), status=422)
            return _mapping_page(request, job, form, status=422)
        BadRow.objects.filter(job=job).delete()
        job.mapping = form.to_mapping()
        job.state = State.CHECKING
        job.checked_rows = job.valid_rows = job.bad_rows = job.present_at_check = job.attempts = 0
        job.error = ""
        job.save()
    return redirect("imports:detail", pk=job.pk)


def _preview(job: ImportJob):
    """The first rows as they will be imported, or with the reasons they will not."""
    reader = runner.reader_for(job)
    sample, _problem = _sample(job, PREVIEW_ROWS)
    bad = {row.row: row for row in BadRow.objects.filter(job=job, row__in=[number for number, _c in sample])}
    preview = []
    for number, cells in sample:
        outcome = reader.read(cells)
        reasons = [_problem_text(job, p) for p in bad[number].problems] if number in bad else []
        if reasons:  # the check's verdict, which also knows the rows before this one (duplicates)
            outcome.data = None
        if outcome.data:
            outcome.data["country_name"] = l10n.country_name(outcome.data["country"])
        preview.append({"row": number, "data": outcome.data, "reasons": reasons})
    return preview


def _problem_text(job: ImportJob, problem) -> str:
    column, reason, detail = problem
    where = _column_label(job, column)
    text = reason_text(reason, detail)
    return f"{where}: {text}" if where else text


def _column_label(job: ImportJob, column: int) -> str:
    if column == ROW or column is None:
        return ""
    name = job.header[column] if column < len(job.header) else ""
    return f"{mapping.column_letter(column)} ({name})" if name else mapping.column_letter(column)


def _problems(job: ImportJob, limit: int | None = SHOWN_PROBLEMS):
    """One line per problem: row, column, value (shortened), reason."""
    lines = []
    for bad in BadRow.objects.filter(job=job).order_by("row").iterator(chunk_size=500):
        cells = json.loads(bad.cells) if bad.cells else None
        for column, reason, detail in bad.problems:
            value = None
            if cells is not None and column != ROW:
                value = cells[column] if column < len(cells) else ""
                value = value if len(value) <= VALUE_SHOWN else value[: VALUE_SHOWN - 1] + "…"
            lines.append(
                {
                    "row": bad.row,
                    "column": _column_label(job, column),
                    "value": value,
                    "reason": reason_text(reason, detail),
                }
            )
            if limit and len(lines) >= limit:
                return lines
    return lines


def _review_page(request, job, form, run_form, status=200):
    preview = _preview(job)
    problems = _problems(job)
    audit.record(
        request.user, AuditEntry.Action.VIEW, ImportJob, where="import review", object_id=job.pk, rows=len(preview)
    )
    context = {
        "job": job,
        "form": form,
        "run_form": run_form,
        "preview": preview,
        "problems": problems,
        "more_problems": len(problems) >= SHOWN_PROBLEMS,
        "shown": SHOWN_PROBLEMS,
        "new_rows": max(job.valid_rows - job.present_at_check, 0),
        "same_file": ImportJob.objects.filter(sha256=job.sha256, statement=job.statement, state=State.DONE)
        .exclude(pk=job.pk)
        .order_by("-finished_at")
        .first(),
    }
    return render(request, "imports/review.html", context, status=status)


@staff_required
@require_POST
def run(request, pk: int):
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("statement__campaign").get(pk=pk)
        if job.state != State.CHECKED:
            return _conflict(request, job)
        form = RunForm(request.POST, retention_days=_retention())
        if not form.is_valid():
            mapping_form = MappingForm(initial=_initial(job), header=job.header, statement=job.statement)
            return _review_page(request, job, mapping_form, form, status=422)
        job.verified = form.cleaned_data["verified"]
        job.send_confirmation = form.cleaned_data["send_confirmation"]
        job.state = State.IMPORTING
        job.done_rows = job.created = job.present = job.attempts = 0
        job.error = ""
        job.save()
    return redirect("imports:detail", pk=job.pk)


@staff_required
@require_POST
def resume(request, pk: int):
    """Take up a failed check or import again, from its last committed chunk."""
    updated = ImportJob.objects.filter(pk=pk, state=State.FAILED).exclude(failed_in="").exclude(stored_name="")
    job = _job(request, pk)
    if not updated.update(state=job.failed_in, attempts=0, error="", lease_owner="", lease_expires_at=None):
        return _conflict(request, job)
    return redirect("imports:detail", pk=pk)


@staff_required
@require_POST
def cancel(request, pk: int):
    job = _job(request, pk)
    cancellable = [State.NEW, State.CHECKING, State.CHECKED, State.IMPORTING, State.FAILED]
    if not ImportJob.objects.filter(pk=pk, state__in=cancellable).update(
        state=State.CANCELLED, lease_owner="", lease_expires_at=None, finished_at=timezone.now()
    ):
        return _conflict(request, job)
    runner.delete_file(job)
    return redirect("imports:detail", pk=pk)


def _conflict(request, job):
    return render(request, "imports/conflict.html", {"job": job}, status=409)


def _report_page(request, job):
    problems = _problems(job)
    if problems:
        audit.record(
            request.user, AuditEntry.Action.VIEW, ImportJob, where="import report", object_id=job.pk, rows=len(problems)
        )
    context = {
        "job": job,
        "problems": problems,
        "more_problems": len(problems) >= SHOWN_PROBLEMS,
        "shown": SHOWN_PROBLEMS,
        **_progress(job),
    }
    return render(request, "imports/report.html", context)


# --- progress -------------------------------------------------------------------------------

STALLED_AFTER = 30  # seconds without a committed chunk


def _progress(job: ImportJob) -> dict:
    done, total = job.progress
    if job.state in (State.CHECKED, State.DONE):
        done = total
    percent = min(100, done * 100 // total) if total else (100 if job.state == State.DONE else 0)
    if job.state == State.CHECKING:
        text = _("%(done)s of about %(total)s rows checked (%(percent)s %%)")
    else:
        text = _("%(done)s of %(total)s rows imported (%(percent)s %%)")
    since = job.updated_at or job.created_at
    stalled = job.running and (timezone.now() - since).total_seconds() > STALLED_AFTER
    return {
        "done": done,
        "total": total,
        "percent": percent,
        "text": text % {"done": l10n.format_number(done), "total": l10n.format_number(total), "percent": percent},
        "stalled": stalled,
    }


@staff_required
@require_GET
def status(request, pk: int):
    job = _job(request, pk)
    progress = _progress(job)
    return JsonResponse(
        {
            "state": job.state,
            "done": progress["done"],
            "total": progress["total"],
            "percent": progress["percent"],
            "text": progress["text"],
            "stalled": progress["stalled"],
            "valid": job.valid_rows,
            "bad": job.bad_rows,
            "present_at_check": job.present_at_check,
            "created": job.created,
            "present": job.present,
        }
    )


# --- the bad rows as CSV ----------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading quote disarms it."""
    return "'" + value if value.startswith(FORMULA_START) else value


@staff_required
@require_GET
def bad_rows_csv(request, pk: int):
    job = _job(request, pk)
    rows = list(BadRow.objects.filter(job=job).order_by("row"))
    if not rows:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(cell) for cell in [_("row"), *job.header, _("reason")]])
    for bad in rows:
        cells = json.loads(bad.cells) if bad.cells else [""] * len(job.header)
        reasons = "; ".join(_problem_text(job, problem) for problem in bad.problems)
        writer.writerow([str(bad.row), *(spreadsheet_safe(cell) for cell in cells), spreadsheet_safe(reasons)])
    audit.record(
        request.user, AuditEntry.Action.EXPORT, ImportJob, where="import bad rows", object_id=job.pk, rows=len(rows)
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-bad-rows.csv"'
    return response
