"""Infrastructure tables every app uses: the mail outbox and the periodic-job clock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail to send, written in the same transaction as what caused it.

    It holds no address and no text: `kind` names the function that builds the message and
    `context` holds ids only, so the recipient is read from the encrypted record at send time
    (and a record erased meanwhile simply cancels its mail).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        PARKED = "parked", _("parked (gave up)")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(max_length=64)
    context = models.JSONField(default=dict)
    language = models.CharField(max_length=10)
    message_id = models.CharField(max_length=255, unique=True)
    recipient_hash = models.CharField(max_length=64, db_index=True)
    scope = models.CharField(max_length=64, help_text=_("what the per-address daily cap counts against"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["recipient_hash", "scope", "created_at"], name="outbox_cap"),
        ]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"


class PeriodicJob(models.Model):
    """When each periodic job may next run. Claiming a period is one conditional UPDATE, so
    however many workers run, each period is claimed by exactly one of them."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A bearer token for the staff parts of the API; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} until {self.expires_at:%Y-%m-%d}"
