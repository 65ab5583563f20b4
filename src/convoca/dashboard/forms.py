"""The dashboard's forms: model forms, so the rules are the models' (the admin uses the same)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from convoca.campaigns.models import Partner
from convoca.core import languages
from convoca.dashboard.models import Export
from convoca.statements.models import Revision, Statement

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "code", "website"]

    website = forms.URLField(required=False, max_length=300, assume_scheme="https", label=_("Website"))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.campaign = campaign

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower()
        taken = Partner.objects.filter(campaign=self.campaign, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another partner of this campaign already has this code."))
        return code


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = ["slug", "published", "goal", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens; the statement's address. It cannot change later."),
            "closes_at": _("Optional. No sign-ups are taken after this time (UTC)."),
            "opens_at": _("Time in UTC."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must come after the opening time."))
        return cleaned


class RevisionForm(forms.ModelForm):
    class Meta:
        model = Revision
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"body": _("Markdown: **bold**, *italic*, lists, links. Saving adds a new version.")}


class ExportForm(forms.Form):
    source = forms.ChoiceField(label=_("Whose sign-ups"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=Export.Format.choices, initial=Export.Format.CSV)

    ALL = "*"
    NONE = "-"

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (self.ALL, _("Everyone")),
            *[(partner.code, partner.name) for partner in partners],
            (self.NONE, _("No partner")),
        ]
        self.fields["source"].initial = self.ALL

    def clean_source(self) -> str | None:
        value = self.cleaned_data.get("source") or self.ALL
        return None if value == self.ALL else "" if value == self.NONE else value


def language_choices(campaign):
    return [(code, languages.get(code).native_name) for code in campaign.languages]
