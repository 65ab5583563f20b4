from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from convoca.campaigns.forms import ThemeForm
from convoca.campaigns.models import Campaign, CampaignText, Partner


class CampaignTextInline(admin.StackedInline):
    model = CampaignText
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class CampaignForm(ThemeForm):
    """The campaign with its branding (campaigns/forms.py)."""

    class Meta(ThemeForm.Meta):
        fields = ["slug", "languages", "accent_color", "soft_color"]


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
