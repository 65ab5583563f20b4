from django import forms
from django.utils.translation import gettext_lazy as _

from convoca.campaigns.models import Partner
from convoca.core import l10n, languages
from convoca.imports import csvfile, mapping
from convoca.statements.models import Endorsement, Statement


class UploadForm(forms.Form):
    statement = forms.ModelChoiceField(
        label=_("Statement"), queryset=Statement.objects.select_related("campaign").order_by("slug")
    )
    file = forms.FileField(label=_("CSV file"), help_text=_("Exported from a form service or a spreadsheet."))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[("", _("Detect")), *csvfile.ENCODINGS.items()],
        help_text=_("Leave “Detect” unless the preview shows garbled letters."),
    )
    delimiter = forms.ChoiceField(
        label=_("Delimiter"),
        required=False,
        choices=[("", _("Detect")), (",", _("comma")), (";", _("semicolon")), ("tab", _("tab"))],
    )

    def clean_delimiter(self):
        value = self.cleaned_data["delimiter"]
        return "\t" if value == "tab" else value


class MappingForm(forms.Form):
    """Field → column, plus the values that hold for the whole file."""

    def __init__(self, *args, header: list[str], statement: Statement, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        columns = [("", "—")] + [
            (str(index), f"{mapping.column_letter(index)}: {name or '…'}") for index, name in enumerate(header)
        ]
        for name, label in mapping.FIELDS.items():
            self.fields[f"column_{name}"] = forms.ChoiceField(
                label=label, choices=columns, required=name in mapping.REQUIRED
            )
        campaign = statement.campaign
        self.fields["fixed_kind"] = forms.ChoiceField(
            label=_("Otherwise, every row is"), choices=Endorsement.Kind.choices, initial=Endorsement.Kind.PERSON
        )
        self.fields["fixed_country"] = forms.ChoiceField(
            label=_("Otherwise, the country is"),
            required=False,
            choices=lambda: [("", "—"), *l10n.country_choices(l10n.current_language())],
        )
        self.fields["fixed_source"] = forms.ChoiceField(
            label=_("Otherwise, the partner is"),
            required=False,
            choices=[("", "—")]
            + [(p.code, f"{p.name} ({p.code})") for p in Partner.objects.filter(campaign=campaign).order_by("name")],
        )
        self.fields["fixed_language"] = forms.ChoiceField(
            label=_("Otherwise, the language is"),
            choices=[(code, languages.get(code).native_name) for code in campaign.languages]
            or languages.DJANGO_LANGUAGES,
            initial=campaign.default_language,
        )

    def column_fields(self):
        return [self[f"column_{name}"] for name in mapping.FIELDS]

    def clean(self):
        data = super().clean()
        chosen: dict[str, str] = {}
        for name in mapping.FIELDS:
            value = data.get(f"column_{name}")
            if not value:
                continue
            if value in chosen:
                self.add_error(
                    f"column_{name}",
                    _("Column %(column)s is already chosen for “%(field)s”.")
                    % {"column": mapping.column_letter(int(value)), "field": mapping.FIELDS[chosen[value]]},
                )
            else:
                chosen[value] = name
        return data

    def to_mapping(self) -> dict:
        data = self.cleaned_data
        columns = {name: int(data[f"column_{name}"]) for name in mapping.FIELDS if data.get(f"column_{name}")}
        fixed = {
            "kind": data["fixed_kind"],
            "country": data.get("fixed_country") or "",
            "source": data.get("fixed_source") or "",
            "language": data["fixed_language"],
        }
        return {"columns": columns, "fixed": fixed}

    @classmethod
    def initial_from(cls, stored: dict) -> dict:
        initial = {f"column_{name}": str(index) for name, index in stored.get("columns", {}).items()}
        initial.update({f"fixed_{name}": value for name, value in stored.get("fixed", {}).items()})
        return initial


class RunForm(forms.Form):
    verified = forms.BooleanField(
        label=_("These addresses were verified by the original collector"),
        required=False,
        help_text=_(
            "Only then are the imported endorsements confirmed and counted. Otherwise they are stored "
            "unconfirmed: not counted, not listed."
        ),
    )
    send_confirmation = forms.BooleanField(
        label=_("Send each unverified address a confirmation e-mail"),
        required=False,
        help_text=_("Those who confirm are counted. Unconfirmed endorsements are erased after %(days)s days."),
    )

    def __init__(self, *args, retention_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send_confirmation"].help_text = self.fields["send_confirmation"].help_text % {
            "days": retention_days
        }

    def clean(self):
        data = super().clean()
        if data.get("verified") and data.get("send_confirmation"):
            self.add_error(
                "send_confirmation", _("Verified addresses are confirmed already: no confirmation e-mail is sent.")
            )
        return data
