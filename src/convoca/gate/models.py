"""What the gate remembers, briefly: hits per hashed address (forgotten within a day) and spent
proof-of-work challenges (forgotten when they expire)."""

from django.db import models


class Hit(models.Model):
    """One submission seen under `key`: a lane and the day's keyed hash of an address, or an
    alert scope (a hashed e-mail domain, a statement). No raw address is ever stored."""

    key = models.CharField(max_length=80)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="hit_key_at")]

    def __str__(self):
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"


class SpentChallenge(models.Model):
    """A proof-of-work challenge that was used once; a second use is a replay."""

    nonce = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.nonce


class Alert(models.Model):
    """A surge moderators should look at: many sign-ups from one e-mail domain, or on one statement.
    Alerts never hold or refuse anyone."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", "many sign-ups from one e-mail domain"
        STATEMENT = "statement", "a surge of sign-ups on one statement"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=255, help_text="the domain, or the statement")
    detail = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
