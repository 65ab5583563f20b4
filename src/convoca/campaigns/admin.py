from django.contrib import admin

from convoca.campaigns.models import Campaign, CampaignText, Partner


class CampaignTextInline(admin.StackedInline):
    model = CampaignText
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["slug", "languages", "created_at"]
    search_fields = ["slug", "texts__title"]
    inlines = [CampaignTextInline, PartnerInline]
