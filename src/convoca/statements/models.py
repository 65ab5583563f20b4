from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convoca.campaigns.models import Campaign
from convoca.core import languages, markdown
from convoca.core.crypto import EncryptedTextField


class Statement(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="statements")
    slug = models.SlugField(max_length=80, unique=True)
    published = models.BooleanField(default=False)
    goal = models.PositiveIntegerField(null=True, blank=True)
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self):
        return self.slug

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now and (self.closes_at is None or now < self.closes_at)


class Revision(models.Model):
    """One version of a statement's title and body in one language. Revisions are never edited:
    changing a text adds a revision, and the page shows the latest one per language."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="revisions")
    language = models.CharField(max_length=10, choices=languages.DJANGO_LANGUAGES)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["statement", "language", "-created_at"], name="revision_latest")]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return f"{self.statement.slug} [{self.language}] {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body_html = markdown.render(self.body)
        super().save(*args, **kwargs)


class Endorsement(models.Model):
    """One person or organization endorsing one statement.

    Personal fields are encrypted; `email_hash` (a keyed hash) de-duplicates; `public_name` is
    filled only for a confirmed person who consented to be listed, or a confirmed and approved
    organization. `counted` says whether a +1 count event stands for this endorsement.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANIZATION = "organization", _("organization")

    class Review(models.TextChoices):
        NOT_NEEDED = "none", _("no review needed")
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="endorsements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = EncryptedTextField(help_text=_("a person's name, or the contact person of an organization"))
    role = EncryptedTextField(blank=True)
    email = EncryptedTextField()
    email_hash = models.CharField(max_length=64)
    city = EncryptedTextField(blank=True)
    # A plain code: django-countries' model field looked the code up again on every save (~2 ms).
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    organization = models.CharField(max_length=200, blank=True)
    website = models.URLField(max_length=300, blank=True)
    public_name = models.CharField(max_length=200, blank=True)
    public_city = models.CharField(max_length=100, blank=True)

    language = models.CharField(max_length=10, choices=languages.DJANGO_LANGUAGES)
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    consent_count_at = models.DateTimeField()
    consent_public = models.BooleanField(default=False)
    consent_public_at = models.DateTimeField(null=True, blank=True)
    consent_updates = models.BooleanField(default=False)
    consent_updates_at = models.DateTimeField(null=True, blank=True)

    class Hold(models.TextChoices):
        NONE = "", _("not held")
        HELD = "held", _("held")
        RELEASED = "released", _("released")
        REJECTED = "rejected", _("rejected")

    review = models.CharField(max_length=10, choices=Review.choices, default=Review.NOT_NEEDED)
    # The gate (convoca.gate): the lane a submission took, whether it came over its address's limits
    # (held, in a wave of the same address and day), and whether its domain is a disposable one.
    lane = models.CharField(max_length=8, blank=True)
    hold = models.CharField(max_length=10, choices=Hold.choices, default=Hold.NONE, blank=True)
    wave = models.CharField(max_length=40, blank=True, db_index=True)
    disposable = models.BooleanField(default=False, help_text=_("the e-mail domain hands out throwaway addresses"))
    name_hidden = models.BooleanField(
        default=False, help_text=_("kept off public lists (word list or a moderator); still counted")
    )

    class Origin(models.TextChoices):
        FORM = "form", _("form or API")
        IMPORT = "import", _("imported")

    # Attribution: the partner code (campaigns.Partner.code) the sign-up came with, if any, and
    # whether it came through Convoca's own form/API or was imported by a coordinator.
    source = models.CharField(max_length=40, blank=True)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.FORM)
    counted = models.BooleanField(default=False)
    token_nonce = models.CharField(max_length=32)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    withdraw_token_hash = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001 - unique, so NULL
    confirm_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "kind", "email_hash"], name="endorse_once"),
        ]
        indexes = [
            models.Index(fields=["statement", "review"], name="endorsement_review"),
            models.Index(fields=["statement", "country", "public_name"], name="endorsement_public"),
            models.Index(fields=["statement", "source"], name="endorsement_source"),
        ]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} on {self.statement_id}"

    @property
    def should_count(self) -> bool:
        if self.confirmed_at is None or self.hold == self.Hold.REJECTED:
            return False
        return self.kind == self.Kind.PERSON or self.review == self.Review.APPROVED


class CountEvent(models.Model):
    """+1 or −1 to a statement's count. Events are never deleted; erasing an endorsement leaves
    them in place, so counts survive. `fold_counts` adds them into `Counter` rows."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Endorsement.Kind.choices)
    country = models.CharField(max_length=2)
    delta = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    folded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["id"], name="countevent_unfolded", condition=models.Q(folded=False))]

    def __str__(self):
        return f"{self.delta:+d} {self.kind} {self.country} on {self.statement_id}"


class Counter(models.Model):
    """Folded counts per statement and country; the row with country "" holds the totals."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="counters")
    country = models.CharField(max_length=2, blank=True)
    people = models.IntegerField(default=0)
    organizations = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "country"], name="counter_once")]

    def __str__(self):
        return f"{self.statement_id} {self.country or 'all'}: {self.people}+{self.organizations}"

    @property
    def total(self) -> int:
        return self.people + self.organizations
