"""What can happen to an action: submit, verify, decide, cancel; and how the public finds it."""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from convoca.actions.models import Action
from convoca.campaigns.models import Campaign
from convoca.core import crypto, mail

VERIFY = "action-verify"
MANAGE = "action-manage"
TOKEN_LIFETIME = timedelta(days=7)
EARTH_KM = 6371.0088


class AlreadyDecided(Exception):
    pass


def verify_token(action: Action) -> str:
    return crypto.derived_token(VERIFY, action.pk, action.token_nonce)


def manage_token(action: Action) -> str:
    return crypto.derived_token(MANAGE, action.pk, action.token_nonce)


def _mail(action: Action, kind: str, **context) -> None:
    mail.enqueue(
        kind,
        recipient_hash=action.organizer_email_hash,
        scope=f"action:{action.pk}",
        language=action.language,
        context={"action": action.pk, **context},
    )


def submit(campaign: Campaign, data: dict) -> Action:
    """Store a submitted action, unverified, and mail its organizer a verification link."""
    now = timezone.now()
    exact = data.get("exact")
    action = Action(
        campaign=campaign,
        kind=data["kind"],
        language=data["language"],
        title=data["title"],
        description=data["description"],
        starts_local=data["starts_local"],
        ends_local=data.get("ends_local") or "",
        timezone=data["timezone"],
        starts_at=data["starts_utc"],
        ends_at=data.get("ends_utc"),
        online=data["online"],
        online_url=data.get("online_url") or "",
        venue=data.get("venue") or "",
        address=data.get("address") or "",
        city=data.get("city") or "",
        country=data.get("country") or "",
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        approximate_location=bool(data.get("approximate_location")),
        exact_location=f"{exact[0]},{exact[1]}" if exact and data.get("approximate_location") else "",
        accessibility=data.get("accessibility") or "",
        group_name=data.get("group_name") or "",
        capacity=data.get("capacity"),
        organizer_name=data["organizer_name"],
        organizer_email=data["organizer_email"],
        organizer_email_hash=crypto.email_hash(data["organizer_email"]),
        token_nonce=crypto.new_nonce(),
        verify_token_hash=crypto.token_hash(crypto.new_token()),
        manage_token_hash=crypto.token_hash(crypto.new_token()),
        verify_expires_at=now + TOKEN_LIFETIME,
    )
    with transaction.atomic():
        action.save()
        action.verify_token_hash = crypto.token_hash(verify_token(action))
        action.manage_token_hash = crypto.token_hash(manage_token(action))
        action.save(update_fields=["verify_token_hash", "manage_token_hash"])
        _mail(action, "actions.verify")
    return action


WHEN_AND_WHERE = ("starts_local", "ends_local", "timezone", "online", "online_url", "venue", "address", "city",
                  "country", "latitude", "longitude", "exact_location", "approximate_location")  # fmt: skip
EDITABLE = (*WHEN_AND_WHERE, "kind", "language", "title", "description", "starts_at", "ends_at", "accessibility",
            "group_name", "capacity")  # fmt: skip


def _fields(data: dict) -> dict:
    exact = data.get("exact")
    return {
        "kind": data["kind"], "language": data["language"], "title": data["title"],
        "description": data["description"], "starts_local": data["starts_local"],
        "ends_local": data.get("ends_local") or "", "timezone": data["timezone"], "starts_at": data["starts_utc"],
        "ends_at": data.get("ends_utc"), "online": data["online"], "online_url": data.get("online_url") or "",
        "venue": data.get("venue") or "", "address": data.get("address") or "", "city": data.get("city") or "",
        "country": data.get("country") or "", "latitude": data.get("latitude"), "longitude": data.get("longitude"),
        "approximate_location": bool(data.get("approximate_location")),
        "exact_location": f"{exact[0]},{exact[1]}" if exact and data.get("approximate_location") else "",
        "accessibility": data.get("accessibility") or "", "group_name": data.get("group_name") or "",
        "capacity": data.get("capacity"),
    }  # fmt: skip


def edit(token: str, data: dict) -> Action | None:
    """The organizer changes their action. A published action goes back to the moderators; if its
    time or place changed, everyone who said they would come is told."""
    from convoca.actions import rsvps

    with transaction.atomic():
        found = find_by_manage_token(token)
        if found is None:
            return None
        action = Action.objects.select_for_update().get(pk=found.pk)
        if action.state in (Action.State.CANCELLED, Action.State.REJECTED):
            return action
        new = _fields(data)
        changed = [field for field in EDITABLE if getattr(action, field) != new[field]]
        if not changed:
            return action
        for field in changed:
            setattr(action, field, new[field])
        moved = any(field in WHEN_AND_WHERE for field in changed)
        if action.state == Action.State.APPROVED:
            action.state = Action.State.PENDING
            changed.append("state")
            _public_changed(action)
        action.save(update_fields=changed)
        if moved:
            rsvps.notify_changed(action)
        return action


def find_by_verify_token(token: str) -> Action | None:
    if not token or len(token) > 100:
        return None
    action = Action.objects.select_related("campaign").filter(verify_token_hash=crypto.token_hash(token)).first()
    if action is None or (action.verified_at is None and action.verify_expires_at <= timezone.now()):
        return None
    return action


def find_by_manage_token(token: str) -> Action | None:
    if not token or len(token) > 100:
        return None
    return Action.objects.select_related("campaign").filter(manage_token_hash=crypto.token_hash(token)).first()


def verify(token: str) -> Action | None:
    """The organizer's address is confirmed: the action enters moderation, the manage link is mailed."""
    with transaction.atomic():
        found = find_by_verify_token(token)
        if found is None:
            return None
        action = Action.objects.select_for_update().get(pk=found.pk)
        if action.state == Action.State.UNVERIFIED:
            action.state = Action.State.PENDING
            action.verified_at = timezone.now()
            action.save(update_fields=["state", "verified_at"])
            _mail(action, "actions.manage")
        action.campaign = found.campaign
        return action


def decide(action_id: int, verdict: str, user, reason: str = "") -> Action:
    """Approve or reject a pending action; the organizer is told, with the reason."""
    from convoca.moderation.domain import record_decision

    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action_id)  # Action.DoesNotExist: unknown id
        if action.state != Action.State.PENDING:
            raise AlreadyDecided(action.state)
        record_decision(action, verdict, user, reason)
        action.state = Action.State.APPROVED if verdict == "approve" else Action.State.REJECTED
        action.save(update_fields=["state"])
        _public_changed(action)
        _mail(action, "actions.decision", reason=reason[:500])
    return action


def renew_links(token: str) -> Action | None:
    """Revoke the action's links (verification and manage) and mail the organizer a new manage link."""
    with transaction.atomic():
        found = find_by_manage_token(token)
        if found is None:
            return None
        action = Action.objects.select_for_update().get(pk=found.pk)
        action.token_nonce = crypto.new_nonce()
        action.verify_token_hash = crypto.token_hash(verify_token(action))
        action.manage_token_hash = crypto.token_hash(manage_token(action))
        action.save(update_fields=["token_nonce", "verify_token_hash", "manage_token_hash"])
        _mail(action, "actions.manage")
        return action


def _public_changed(action: Action) -> None:
    """The public set of actions changed: drop the prepared feed so the next request rebuilds it."""
    from convoca.actions.models import PreparedFeed

    PreparedFeed.objects.filter(key=f"geojson:{action.campaign_id}").delete()


def cancel(token: str) -> Action | None:
    with transaction.atomic():
        found = find_by_manage_token(token)
        if found is None:
            return None
        action = Action.objects.select_for_update().get(pk=found.pk)
        if action.state not in (Action.State.CANCELLED, Action.State.REJECTED):
            action.state = Action.State.CANCELLED
            action.save(update_fields=["state"])
            _public_changed(action)
            from convoca.actions import rsvps

            rsvps.notify_cancelled(action)
        return action


def public(campaign: Campaign | None = None):
    actions = Action.objects.filter(state=Action.State.APPROVED).select_related("campaign")
    return actions.filter(campaign=campaign) if campaign is not None else actions


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def near(actions, latitude: float, longitude: float, radius_km: float):
    """Actions within `radius_km`, nearest first, each with `distance_km`.

    An indexed bounding box narrows the rows in the database; the exact distance is computed
    only for those.
    """
    dlat = radius_km / 111.32
    dlon = radius_km / max(1e-6, 111.32 * math.cos(math.radians(latitude)))
    boxed = actions.filter(latitude__range=(latitude - dlat, latitude + dlat))
    if dlon < 180:
        low, high = longitude - dlon, longitude + dlon
        if low < -180 or high > 180:  # the box crosses the antimeridian
            from django.db.models import Q

            boxed = boxed.filter(
                Q(longitude__gte=(low + 360) if low < -180 else low)
                | Q(longitude__lte=(high - 360) if high > 180 else high)
            )
        else:
            boxed = boxed.filter(longitude__range=(low, high))
    found = []
    for action in boxed:
        action.distance_km = distance_km(latitude, longitude, action.latitude, action.longitude)
        if action.distance_km <= radius_km:
            found.append(action)
    return sorted(found, key=lambda action: action.distance_km)
