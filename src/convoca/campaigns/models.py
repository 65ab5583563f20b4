from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.utils.translation import gettext_lazy as _

from convoca.campaigns import theme
from convoca.core import languages


def validate_languages(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("List at least one language."))
    unknown = [code for code in value if code not in languages.CODES]
    if unknown:
        raise ValidationError(_("Unknown language codes: %(codes)s"), params={"codes": ", ".join(map(str, unknown))})
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is listed twice."))


class Campaign(models.Model):
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_slug])
    languages = models.JSONField(
        default=list,
        validators=[validate_languages],
        help_text=_('Language codes, the default first: ["en", "es"]'),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Branding (campaigns/theme.py checks that text stays readable on these colours).
    accent_color = models.CharField(
        _("accent colour"), max_length=7, blank=True, validators=[theme.validate_accent],
        help_text=_("Buttons and links, as #rrggbb; white text must be readable on it. Empty: the default."),
    )  # fmt: skip
    soft_color = models.CharField(
        _("soft colour"), max_length=7, blank=True, validators=[theme.validate_soft],
        help_text=_("Behind notes and the progress bar, as #rrggbb; dark text must be readable on it."),
    )  # fmt: skip
    # The logo's bytes live in CampaignLogo, so that loading a campaign (on every page) stays light.
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_hash = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.slug

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else languages.DEFAULT

    def set_logo(self, data: bytes | None) -> None:
        """Check and store a logo (ValidationError otherwise); None removes it. Saves the campaign."""
        if not data:
            CampaignLogo.objects.filter(campaign=self).delete()
            self.logo_type, self.logo_hash = "", ""
        else:
            self.logo_type, self.logo_hash = theme.logo_type(data), theme.digest(data)
        self.save()
        if data:
            CampaignLogo.objects.update_or_create(campaign=self, defaults={"data": bytes(data)})

    def text(self, language: str):
        """The campaign's text in `language`, else in its default language, else any."""
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts.get(self.default_language) or next(iter(texts.values()), None)


class CampaignLogo(models.Model):
    """A campaign's logo (PNG, JPEG or WebP, at most 200 KB): in the database, so that every app
    server behind nginx serves the same bytes."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, primary_key=True, related_name="logo")
    data = models.BinaryField()

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self):
        return f"{self.campaign_id}: {len(self.data)} bytes"


class CampaignText(models.Model):
    """A campaign's title, description and privacy notice in one language."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=languages.DJANGO_LANGUAGES)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    privacy_notice = models.TextField(help_text=_("Markdown. Linked from every endorsement form."))
    logo_alt = models.CharField(
        _("logo description"), max_length=200, blank=True,
        help_text=_("What the logo says or shows, for people who cannot see it. Empty: the title."),
    )  # fmt: skip

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "language"], name="campaign_text_once")]
        verbose_name = _("campaign text")
        verbose_name_plural = _("campaign texts")

    def __str__(self):
        return f"{self.campaign.slug} [{self.language}]"


class Partner(models.Model):
    """A partner organization of a campaign's coalition. Its `code` travels in links and embeds
    (`?source=code`); each endorsement records the code it came with, so the dashboard can show
    how many people each partner brought."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="partners")
    code = models.SlugField(
        max_length=40, help_text=_("Lower-case letters, digits and hyphens; appears in links as ?source=code")
    )
    name = models.CharField(max_length=200)
    website = models.URLField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="partner_code_once")]
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return f"{self.name} ({self.code})"
