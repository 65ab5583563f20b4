"""The campaign's stylesheet link and logo in base.html, for any page about one campaign.

The page's context names its campaign directly (`campaign`) or through what it shows (`statement`,
`action`); pages about no campaign keep Convoca's own colours.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language

from convoca.campaigns import theme

register = template.Library()


def _campaign(context):
    for key in ("campaign", "statement", "action"):
        found = context.get(key)
        campaign = getattr(found, "campaign", found) if key != "campaign" else found
        if campaign is not None and hasattr(campaign, "accent_color"):
            return campaign
    return None


@register.simple_tag(takes_context=True)
def campaign_stylesheet(context):
    campaign = _campaign(context)
    if campaign is None or not (campaign.accent_color or campaign.soft_color):
        return ""
    url = reverse(
        "campaigns:stylesheet", kwargs={"campaign": campaign.slug, "version": theme.stylesheet_version(campaign)}
    )
    return format_html('<link rel="stylesheet" href="{}">', url)


@register.simple_tag(takes_context=True)
def campaign_logo(context):
    campaign = _campaign(context)
    if campaign is None or not campaign.logo_hash:
        return ""
    text = campaign.text(get_language())
    alt = (text.logo_alt or text.title) if text else campaign.slug
    url = reverse("campaigns:logo", kwargs={"campaign": campaign.slug, "version": campaign.logo_hash})
    return format_html('<img class="campaign-logo" src="{}" alt="{}" height="48">', url, alt)
