"""The moderation queue: what waits for a decision, with hints of probable duplicates."""

from datetime import timedelta

from django.db.models import Q

from convoca.actions.models import Action
from convoca.statements.models import Endorsement

DUPLICATE_WINDOW = timedelta(hours=2)


def pending_actions():
    return Action.objects.filter(state=Action.State.PENDING).order_by("verified_at", "id")


def pending_organizations():
    """Organizations that confirmed their address and wait for review."""
    return (
        Endorsement.objects.filter(
            kind=Endorsement.Kind.ORGANIZATION, review=Endorsement.Review.PENDING, confirmed_at__isnull=False
        )
        .defer("name", "role", "email", "city")
        .order_by("confirmed_at", "id")
    )


def possible_duplicates(action: Action) -> list[int]:
    """Other live actions of the campaign in the same city starting within two hours."""
    if action.online or not action.city:
        return []
    similar = (
        Action.objects.filter(
            campaign_id=action.campaign_id,
            country=action.country,
            city__iexact=action.city,
            starts_at__range=(action.starts_at - DUPLICATE_WINDOW, action.starts_at + DUPLICATE_WINDOW),
        )
        .exclude(pk=action.pk)
        .exclude(Q(state=Action.State.REJECTED) | Q(state=Action.State.CANCELLED) | Q(state=Action.State.UNVERIFIED))
    )
    return list(similar.order_by("id").values_list("id", flat=True)[:20])
