"""One validation for endorsements, used by the HTML form and the JSON API alike."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from convoca.core import l10n
from convoca.statements.models import Endorsement


def _clean_text(value: str) -> str:
    """Accept any script and emoji; refuse what cannot be stored or shown safely."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(_("This text contains characters that are not valid Unicode.")) from None
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(_("This text contains control characters."))
    return unicodedata.normalize("NFC", " ".join(value.split()))


ERRORS = {
    "required": _("This field is required."),
    "max_length": _("Use at most %(limit_value)d characters."),
    "invalid_choice": _("Select a valid choice."),
    "null_characters_not_allowed": _("Null characters are not allowed."),
}


class TextField(forms.CharField):
    default_error_messages = ERRORS

    def clean(self, value):
        value = super().clean(value)
        return _clean_text(value) if value else value


def _country_choices():
    """Called when the choices are used, in the language of that moment. A callable keeps Django
    from copying and normalising 250 choices for every form, rendered or not."""
    return [("", "—"), *l10n.country_choices(l10n.current_language())]


class CountryField(forms.ChoiceField):
    def valid_value(self, value):
        return value in l10n.COUNTRY_CODES  # a set: no walk through 250 localised choices


class SourceField(forms.CharField):
    """The partner code a sign-up came with (`?source=`), carried in a hidden field. Never an error:
    a malformed code is dropped here, an unknown one by `domain.partner_source`."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return clean_source(value)


def clean_source(value) -> str:
    """A partner code's shape (a slug of at most 40 characters), or ""."""
    if not isinstance(value, str) or len(value) > 40 or not SOURCE_PATTERN.fullmatch(value):
        return ""
    return value


SOURCE_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")


class EndorsementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I endorse as"), choices=Endorsement.Kind.choices, initial=Endorsement.Kind.PERSON,
        widget=forms.RadioSelect, error_messages=ERRORS,
    )  # fmt: skip
    name = TextField(label=_("Your name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Only to confirm your endorsement. Never shown."),
        error_messages={**ERRORS, "invalid": _("Enter a valid email address.")},
    )
    country = CountryField(label=_("Country"), choices=_country_choices, error_messages=ERRORS)
    city = TextField(label=_("City"), max_length=100, required=False)
    organization = TextField(label=_("Organization"), max_length=200, required=False)
    website = forms.URLField(
        label=_("Organization's website"),
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={**ERRORS, "invalid": _("Enter a valid web address.")},
    )
    role = TextField(label=_("Your role in the organization"), max_length=100, required=False)
    public = forms.BooleanField(label=_("List my name publicly"), required=False)
    updates = forms.BooleanField(label=_("Send me updates from the coalition"), required=False)
    consent = forms.BooleanField(
        label=_("Count my endorsement"),
        required=True,
        error_messages={"required": _("Tick this box so that we can count your endorsement.")},
    )

    revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    source = SourceField()

    def clean_email(self):
        email = self.cleaned_data["email"]
        _clean_text(email)
        return email.strip()

    def clean(self):
        data = super().clean()
        if data.get("kind") == Endorsement.Kind.ORGANIZATION:
            if not data.get("organization"):
                self.add_error("organization", _("Give the organization's name."))
        else:
            for field in ("organization", "website", "role"):
                data[field] = ""
        return data


class _SharedFields(dict):
    """A form's fields, handed to each instance as they are instead of deep-copied."""

    def __deepcopy__(self, memo):
        return dict(self)


class EndorsementCheck(EndorsementForm):
    """`EndorsementForm`'s rules and messages for the JSON API, which only validates with them.

    Django deep-copies every field for each form so that a view may change them; copying twelve
    fields and their widgets was a large part of a sign-up's CPU time (docs/benchmarks.md). The API
    never renders nor changes them, so its instances share the class's fields.
    """


EndorsementCheck.base_fields = _SharedFields(EndorsementForm.base_fields)
