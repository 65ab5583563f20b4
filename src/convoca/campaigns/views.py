"""A campaign's stylesheet and logo, each under a URL with a hash of its content.

The answers never change for a URL (a new colour or logo gets a new hash), so nginx and browsers
keep them for a year (core/caching.py, IMMUTABLE_ROUTES). A page cached with an older hash gets a
redirect to the current one, which nobody stores. Unprefixed: they hold no language.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from convoca.campaigns import theme
from convoca.campaigns.models import Campaign, CampaignLogo


def stylesheet(request, campaign, version):
    campaign = get_object_or_404(Campaign, slug=campaign)
    css = theme.stylesheet(campaign)
    if not css:
        raise Http404
    current = theme.stylesheet_version(campaign)
    if version != current:
        return redirect("campaigns:stylesheet", campaign=campaign.slug, version=current)
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def logo(request, campaign, version):
    campaign = get_object_or_404(Campaign, slug=campaign)
    if not campaign.logo_hash:
        raise Http404
    if version != campaign.logo_hash:
        return redirect("campaigns:logo", campaign=campaign.slug, version=campaign.logo_hash)
    logo = get_object_or_404(CampaignLogo, campaign=campaign)
    response = HttpResponse(bytes(logo.data), content_type=campaign.logo_type)
    # An image, never a document: even opened on its own, it may load and run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Content-Disposition"] = f'inline; filename="{campaign.slug}-logo.{theme.LOGO_TYPES[campaign.logo_type]}"'
    return response
