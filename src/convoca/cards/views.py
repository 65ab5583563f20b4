"""The share card images. A URL whose version is the current one is kept for a year by every cache
(`versioned`: core/caching.py); an older or made-up version gets today's card, briefly cacheable."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from convoca.actions import domain as actions
from convoca.campaigns.models import Campaign
from convoca.cards import content
from convoca.statements import domain as statements


def _image(version: content.Version, requested: str) -> HttpResponse:
    response = HttpResponse(version.png(), content_type="image/png")
    response.versioned = requested == version.name
    return response


@require_safe
def statement(request, slug, version):
    found = statements.published_statement(slug)
    if found is None:
        raise Http404
    return _image(content.statement_card(found, get_language()), version)


@require_safe
def action(request, action_id, version):
    found = get_object_or_404(actions.public().select_related("campaign"), pk=action_id)
    return _image(content.action_card(found, get_language()), version)


@require_safe
def campaign(request, campaign, version):
    found = get_object_or_404(Campaign, slug=campaign)
    return _image(content.campaign_card(found, get_language(), actions.public(found).count()), version)
