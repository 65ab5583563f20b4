"""Which items a moderator may see and decide: the union of their scopes."""

from django.db.models import Q

from convoca.moderation.models import Scope


def _filter(user, campaign_field: str, country_field: str) -> Q | None:
    """None: no limit. Otherwise a Q matching any of the user's scopes."""
    if user.is_superuser:
        return None
    scopes = list(Scope.objects.filter(user=user))
    if not scopes:
        return None
    condition = Q(pk__in=[])
    for scope in scopes:
        part = Q()
        if scope.campaign_id:
            part &= Q(**{campaign_field: scope.campaign_id})
        if scope.country:
            part &= Q(**{country_field: scope.country})
        condition |= part
    return condition


def limit_actions(queryset, user):
    condition = _filter(user, "campaign_id", "country")
    return queryset if condition is None else queryset.filter(condition)


def limit_endorsements(queryset, user):
    condition = _filter(user, "statement__campaign_id", "country")
    return queryset if condition is None else queryset.filter(condition)
