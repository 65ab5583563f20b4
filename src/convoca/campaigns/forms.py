from django import forms
from django.utils.translation import gettext_lazy as _

from convoca.campaigns import theme
from convoca.campaigns.models import Campaign


class ThemeForm(forms.ModelForm):
    """A campaign's colours as #rrggbb (checked for contrast by the model's validators) and its
    logo, uploaded here and stored in the database (campaigns/theme.py). The coordinators' page
    (dashboard) and the admin share it."""

    logo_file = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, at most 200 KB. SVG is not accepted.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Campaign
        fields = ["accent_color", "soft_color"]

    def clean_accent_color(self):
        return (self.cleaned_data.get("accent_color") or "").strip().lower()

    def clean_soft_color(self):
        return (self.cleaned_data.get("soft_color") or "").strip().lower()

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        theme.check_logo_size(upload.size)
        data = upload.read(theme.LOGO_LIMIT + 1)
        theme.logo_type(data)
        return data

    def save(self, commit=True):
        campaign = super().save(commit=commit)
        if self.cleaned_data.get("remove_logo"):
            campaign.set_logo(None)  # saves the campaign, so the admin must save it first (it does)
        elif self.cleaned_data.get("logo_file"):
            campaign.set_logo(self.cleaned_data["logo_file"])
        return campaign
