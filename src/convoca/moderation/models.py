"""Moderation decisions are records: who decided what, when, and why."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    class Verdict(models.TextChoices):
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")
        RELEASE = "release", _("release a held wave")
        HIDE = "hide", _("hide the public name")
        SHOW = "show", _("show the public name")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"], name="decision_subject")]
        ordering = ["-decided_at"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self):
        return f"{self.verdict} {self.content_type.model} #{self.object_id}"


class Scope(models.Model):
    """Limits a moderator to a campaign and/or a country. A staff user without any scope, and
    every superuser, moderates everything."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_scopes")
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE)
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO code; empty for every country"))

    class Meta:
        verbose_name = _("moderation scope")
        verbose_name_plural = _("moderation scopes")

    def __str__(self):
        return f"{self.user} · {self.campaign or '*'} · {self.country or '*'}"


class AuditEntry(models.Model):
    """A staff member saw or exported personal data: who, when, what. Never the data itself.

    `username` is kept as text so that the entry outlives the account.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        TOKEN = "token", _("created an API token")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    subject = models.CharField(max_length=64, help_text=_("the kind of record, e.g. statements.endorsement"))
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    where = models.CharField(max_length=200, help_text=_("the page or export, with its filters"))
    rows = models.PositiveIntegerField(null=True, blank=True, help_text=_("records shown or exported"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.username} {self.action} {self.subject} #{self.object_id or '-'}"
