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
