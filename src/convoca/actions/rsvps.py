"""RSVPs: "I'll be there" without an account, confirmed by e-mail, counted once per address.

Attendees' addresses never reach the organizer: messages and notices go through the outbox,
one mail per attendee, built at send time from the encrypted record.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from convoca.actions.models import Action, OrganizerMessage, Rsvp
from convoca.core import crypto, mail

PURPOSE = "rsvp-confirm"
TOKEN_LIFETIME = timedelta(days=7)


class Closed(Exception):
    """The action is full, cancelled or not public."""


def confirm_token(rsvp: Rsvp) -> str:
    return crypto.derived_token(PURPOSE, rsvp.pk, rsvp.token_nonce)


def _mail(rsvp: Rsvp, kind: str, **context) -> None:
    mail.enqueue(
        kind,
        recipient_hash=rsvp.email_hash,
        scope=f"rsvp:{rsvp.action_id}",
        language=rsvp.language,
        context={"rsvp": rsvp.pk, **context},
    )


def is_full(action: Action) -> bool:
    return action.capacity is not None and action.rsvps_confirmed >= action.capacity


def respond(action: Action, email: str, name: str, language: str) -> None:
    """Record an RSVP (or recognise a repeat) and mail a confirmation link; same answer either way."""
    if action.state != Action.State.APPROVED:
        raise Closed("not open")
    if is_full(action):
        raise Closed("full")
    now = timezone.now()
    email_hash = crypto.email_hash(email)
    rsvp = Rsvp(
        action=action, email=email, email_hash=email_hash, name=name or "", language=language,
        token_nonce=crypto.new_nonce(), confirm_token_hash=crypto.token_hash(crypto.new_token()),
        confirm_expires_at=now + TOKEN_LIFETIME, admitted=not action.approximate_location,
    )  # fmt: skip
    try:
        with transaction.atomic():
            rsvp.save()
            rsvp.confirm_token_hash = crypto.token_hash(confirm_token(rsvp))
            rsvp.save(update_fields=["confirm_token_hash"])
            _mail(rsvp, "actions.rsvp_confirm")
        return
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = Rsvp.objects.select_for_update().filter(action=action, email_hash=email_hash).first()
        if existing is not None and existing.confirmed_at is None:
            _mail(existing, "actions.rsvp_confirm")


def find(token: str) -> Rsvp | None:
    if not token or len(token) > 100:
        return None
    rsvp = Rsvp.objects.select_related("action").filter(confirm_token_hash=crypto.token_hash(token)).first()
    if rsvp is None or (rsvp.confirmed_at is None and rsvp.confirm_expires_at <= timezone.now()):
        return None
    return rsvp


def confirm(token: str) -> Rsvp | None:
    """Idempotent: the first POST counts the attendee once."""
    with transaction.atomic():
        found = find(token)
        if found is None:
            return None
        rsvp = Rsvp.objects.select_for_update().get(pk=found.pk)
        if rsvp.confirmed_at is None:
            rsvp.confirmed_at = timezone.now()
            rsvp.save(update_fields=["confirmed_at"])
            Action.objects.filter(pk=rsvp.action_id).update(rsvps_confirmed=F("rsvps_confirmed") + 1)
            if rsvp.admitted and rsvp.action.approximate_location:
                _mail(rsvp, "actions.exact_place")
        rsvp.action = Action.objects.get(pk=rsvp.action_id)
        return rsvp


def attendees(action: Action):
    return action.rsvps.filter(confirmed_at__isnull=False).order_by("confirmed_at", "id")


def admit(action: Action, rsvp_id: int) -> bool:
    """The organizer lets one attendee of an approximate-location action have the exact place."""
    with transaction.atomic():
        rsvp = attendees(action).select_for_update().filter(pk=rsvp_id, admitted=False).first()
        if rsvp is None:
            return False
        rsvp.admitted = True
        rsvp.save(update_fields=["admitted"])
        _mail(rsvp, "actions.exact_place")
        return True


def message_attendees(action: Action, body: str) -> int:
    """Queue the organizer's message to every confirmed attendee; returns how many."""
    with transaction.atomic():
        message = OrganizerMessage.objects.create(action=action, body=body)
        count = 0
        for rsvp in attendees(action).only("id", "email_hash", "language", "action_id"):
            _mail(rsvp, "actions.organizer_message", message=message.pk)
            count += 1
        return count


def _notify(action: Action, kind: str) -> int:
    count = 0
    for rsvp in attendees(action).only("id", "email_hash", "language", "action_id"):
        _mail(rsvp, kind)
        count += 1
    return count


def notify_cancelled(action: Action) -> int:
    return _notify(action, "actions.cancelled")


def notify_changed(action: Action) -> int:
    return _notify(action, "actions.changed")


def forget_unconfirmed(days: int) -> int:
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Rsvp.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def erase_past(days: int) -> int:
    """Erase attendee data `days` after the action (the count stays on the action)."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Rsvp.objects.filter(action__starts_at__lt=cutoff).delete()
    return deleted
