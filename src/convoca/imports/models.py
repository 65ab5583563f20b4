from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convoca.core.crypto import EncryptedTextField
from convoca.statements.models import Statement


class ImportJob(models.Model):
    """One CSV file of endorsements collected elsewhere, on its way into a statement.

    The file waits in the data directory (never under public media) until the import ends, or a
    day at most. `convoca worker` checks it, then imports it, in chunks: each chunk's rows and the
    progress counters are committed together, so a worker that dies is picked up, by any worker,
    from the last committed chunk once its lease runs out.
    """

    class State(models.TextChoices):
        NEW = "new", _("to map")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, blank=True, help_text=_("file name in the data directory"))
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    encoding = models.CharField(max_length=20)
    delimiter = models.CharField(max_length=2)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text=_("field → column number, and the fixed values"))
    verified = models.BooleanField(default=False, help_text=_("the original collector verified the addresses"))
    send_confirmation = models.BooleanField(default=False)

    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    present_at_check = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    failed_in = models.CharField(max_length=10, blank=True, help_text=_("the phase to resume after a failure"))
    updated_at = models.DateTimeField(null=True, blank=True, help_text=_("the last chunk committed"))
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "lease_expires_at"], name="importjob_due")]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"import #{self.pk} into {self.statement_id} ({self.state})"

    @property
    def running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)

    @property
    def progress(self) -> tuple[int, int]:
        """(rows done, rows in all) of the phase under way."""
        if self.state == self.State.CHECKING:
            return self.checked_rows, max(self.total_rows, self.checked_rows)
        return self.done_rows, self.total_rows


class BadRow(models.Model):
    """A row that the check refused, with why. The row's cells are encrypted (they are personal
    data) and erased with the file after a day; the row number and the reasons stay."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="bad")
    row = models.PositiveIntegerField(help_text=_("as a spreadsheet numbers it: the header is row 1"))
    cells = EncryptedTextField(blank=True, help_text=_("the row as read, JSON"))
    problems = models.JSONField(help_text=_("[column number, reason, detail], column -1 for the row"))

    class Meta:
        ordering = ["job", "row"]
        constraints = [models.UniqueConstraint(fields=["job", "row"], name="bad_row_once")]

    def __str__(self):
        return f"row {self.row} of import {self.job_id}"
