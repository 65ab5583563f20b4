from django.db import models
from django.utils.translation import gettext_lazy as _

from convoca.campaigns.models import Campaign
from convoca.core import languages
from convoca.core.crypto import EncryptedTextField


class Place(models.Model):
    """A populated place from GeoNames (loaded once by `convoca import-places`)."""

    geonameid = models.PositiveBigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    timezone = models.CharField(max_length=64)
    population = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return f"{self.name} ({self.country})"


class PlaceName(models.Model):
    """Every name of a place (all scripts), folded for search: accents, case and Arabic letter variants."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    folded = models.CharField(max_length=200)
    population = models.PositiveBigIntegerField(default=0, help_text=_("copied from the place, to rank in the index"))

    class Meta:
        indexes = [models.Index(fields=["folded", "-population"], name="placename_search")]
        constraints = [models.UniqueConstraint(fields=["place", "folded"], name="placename_once")]

    def __str__(self):
        return self.folded


class Action(models.Model):
    """A local action of a day of action. Time is the wall time at the place plus its IANA zone;
    `starts_at`/`ends_at` (UTC) are derived from them and recomputed if zone rules change."""

    class Kind(models.TextChoices):
        RALLY = "rally", _("rally")
        MARCH = "march", _("march")
        VIGIL = "vigil", _("vigil")
        MEETING = "meeting", _("meeting")
        WORKPLACE = "workplace", _("workplace action")
        CULTURAL = "cultural", _("cultural event")
        ONLINE = "online", _("online action")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("e-mail not yet verified")
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="actions")
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNVERIFIED)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    language = models.CharField(max_length=10, choices=languages.DJANGO_LANGUAGES)
    title = models.CharField(max_length=200)
    description = models.TextField()
    starts_local = models.CharField(max_length=16, help_text=_("wall time at the place, YYYY-MM-DDTHH:MM"))
    ends_local = models.CharField(max_length=16, blank=True)
    timezone = models.CharField(max_length=64)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    online = models.BooleanField(default=False)
    online_url = models.URLField(max_length=500, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    address = EncryptedTextField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True, help_text=_("public point; rounded when approximate"))
    longitude = models.FloatField(null=True, blank=True)
    exact_location = EncryptedTextField(blank=True, help_text=_("exact point of an approximate action"))
    approximate_location = models.BooleanField(default=False)
    accessibility = models.TextField(blank=True)
    group_name = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    organizer_name = EncryptedTextField()
    organizer_email = EncryptedTextField()
    organizer_email_hash = models.CharField(max_length=64, db_index=True)
    token_nonce = models.CharField(max_length=32)
    verify_token_hash = models.CharField(max_length=64, unique=True)
    manage_token_hash = models.CharField(max_length=64, unique=True)
    verify_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    rsvps_confirmed = models.PositiveIntegerField(default=0, help_text=_("kept when attendee data is erased"))

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "state", "starts_at"], name="action_listing"),
            models.Index(fields=["state", "latitude", "longitude"], name="action_bbox"),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return f"{self.title} ({self.city or 'online'}, {self.starts_local})"


class Rsvp(models.Model):
    """Someone who said they will come. Only Convoca knows their address; the organizer never does."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rsvps")
    email = EncryptedTextField()
    email_hash = models.CharField(max_length=64)
    name = EncryptedTextField(blank=True)
    language = models.CharField(max_length=10, choices=languages.DJANGO_LANGUAGES)
    token_nonce = models.CharField(max_length=32)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    confirm_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    admitted = models.BooleanField(default=False, help_text=_("the organizer let them have the exact place"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "email_hash"], name="rsvp_once")]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")

    def __str__(self):
        return f"RSVP #{self.pk} to {self.action_id}"


class OrganizerMessage(models.Model):
    """A message an organizer sent to the confirmed attendees, through Convoca's outbox."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="messages")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"message #{self.pk} for {self.action_id}"


class PreparedFeed(models.Model):
    """A public feed's bytes, built by the worker every few seconds and served as they are."""

    key = models.CharField(max_length=100, primary_key=True)
    body = models.BinaryField()
    gzipped = models.BinaryField()
    built_at = models.DateTimeField()

    def __str__(self):
        return self.key
