"""An export of the people who asked for updates, prepared by the worker when it is large."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One requested export file. The file lives under the data directory, never under static or
    media, and is deleted after `exports.KEEP`; this row keeps who asked for what (no personal data)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("deleted")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        ODS = "ods", "ODS"

    statement = models.ForeignKey("statements.Statement", on_delete=models.CASCADE, related_name="+")
    # None: everyone; "": those who came with no partner code; otherwise a partner's code.
    source = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001 - None means "all"
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.CSV)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "id"], name="export_state")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"export #{self.pk} of {self.statement_id} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
