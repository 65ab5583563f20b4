"""An Atom feed of a campaign's newly published actions (unprefixed, like the API)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from convoca.actions import domain
from convoca.campaigns.models import Campaign

ITEMS = 50


class NewActions(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, campaign):
        return get_object_or_404(Campaign, slug=campaign)

    def get_feed(self, obj, request):
        """In the campaign's language, whatever the reader's Accept-Language: the feed is cached."""
        with translation.override(obj.default_language):
            return super().get_feed(obj, request)

    def title(self, campaign):
        text = campaign.text(campaign.default_language)
        return text.title if text else campaign.slug

    def link(self, campaign):
        return f"/{campaign.default_language}/c/{campaign.slug}/actions/"

    def subtitle(self, campaign):
        with translation.override(campaign.default_language):
            return translation.gettext("Local actions")

    def items(self, campaign):
        return domain.public(campaign).order_by("-verified_at", "-id")[:ITEMS]

    def item_title(self, action):
        return action.title

    def item_description(self, action):
        return action.description

    def item_link(self, action):
        return f"{settings.CONVOCA.base_url}/{action.language}/a/{action.pk}/"

    def item_pubdate(self, action):
        return action.verified_at or action.created_at

    def item_updateddate(self, action):
        return action.verified_at or action.created_at
