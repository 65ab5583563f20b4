"""`{% statement_share statement revision as share %}` and friends: the page's meta tags and share
links come from one `Share`, built once per request (the meta tags and the links sit in two blocks)."""

from django import template
from django.utils.translation import get_language

from convoca.actions import domain as actions
from convoca.cards import share

register = template.Library()


def _once(context, key, build):
    request = context.get("request")
    memo = getattr(request, "_convoca_shares", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._convoca_shares = memo
    if key not in memo:
        memo[key] = build(request)
    return memo[key]


@register.simple_tag(takes_context=True)
def statement_share(context, statement, revision, counts, campaign_text, versions):
    language = get_language()
    return _once(
        context,
        ("s", statement.pk, language),
        lambda r: share.for_statement(r, statement, revision, language, counts.total, campaign_text, versions),
    )


@register.simple_tag(takes_context=True)
def action_share(context, action):
    language = get_language()
    return _once(context, ("a", action.pk, language), lambda r: share.for_action(r, action, language))


@register.simple_tag(takes_context=True)
def campaign_share(context, campaign):
    language = get_language()
    return _once(
        context,
        ("c", campaign.pk, language),
        lambda r: share.for_campaign(r, campaign, language, actions.public(campaign).count()),
    )
