from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from convoca.campaigns import theme
from convoca.campaigns.models import Campaign, CampaignText, Partner


class CampaignTextInline(admin.StackedInline):
    model = CampaignText
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class CampaignForm(forms.ModelForm):
    """The campaign with its branding: colours as #rrggbb (checked for contrast by the model's
    validators) and a logo uploaded here, stored in the database (campaigns/theme.py)."""

    logo_file = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, at most 200 KB. SVG is not accepted.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Campaign
        fields = ["slug", "languages", "accent_color", "soft_color"]

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


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["slug", "languages", "created_at"]
    search_fields = ["slug", "texts__title"]
    readonly_fields = ["current_logo"]
    fields = ["slug", "languages", "accent_color", "soft_color", "current_logo", "logo_file", "remove_logo"]
    inlines = [CampaignTextInline, PartnerInline]

    @admin.display(description=_("Current logo"))
    def current_logo(self, campaign):
        if not campaign.logo_hash:
            return "—"
        from django.urls import reverse

        url = reverse("campaigns:logo", kwargs={"campaign": campaign.slug, "version": campaign.logo_hash})
        return format_html('<img src="{}" alt="" height="48">', url)
