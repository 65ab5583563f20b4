"""'Send me my links again': everything an address holds, in one mail, to that address only.

The page answers the same whether or not the address is known, and nothing is looked up or
decided at request time beyond whether to queue a mail: the links themselves are derived when
the worker renders the mail (tokens are never stored in the clear), from the records whose keyed
e-mail hash matches. The per-recipient daily mail cap applies (scope `links`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from convoca.actions import domain as actions
from convoca.actions import rsvps
from convoca.actions.models import Action, Rsvp
from convoca.core import crypto, mail
from convoca.statements import domain as statements
from convoca.statements.models import Endorsement

SCOPE = "links"


@dataclass
class Link:
    label: str  # what the link is about: a statement's or an action's title
    kind: str  # "withdraw", "confirm", "rsvp", "rsvp-confirm", "manage", "verify"
    path: str


def _records(email_hash: str):
    endorsements = Endorsement.objects.filter(email_hash=email_hash).select_related("statement__campaign")
    attending = Rsvp.objects.filter(email_hash=email_hash).select_related("action")
    organizing = Action.objects.filter(organizer_email_hash=email_hash).exclude(state=Action.State.CANCELLED)
    return endorsements, attending, organizing


def request_links(email: str, language: str) -> None:
    """Queue the links mail if the address holds anything; otherwise do nothing, silently."""
    email_hash = crypto.email_hash(email)
    endorsements, attending, organizing = _records(email_hash)
    if not (endorsements.exists() or attending.exists() or organizing.exists()):
        return
    with transaction.atomic():
        mail.enqueue(
            "links.all", recipient_hash=email_hash, scope=SCOPE, language=language, context={"email_hash": email_hash}
        )


def links_for(email_hash: str, language: str) -> tuple[str | None, list[Link]]:
    """The address to write to (decrypted from any record) and every link it holds, at send time."""
    endorsements, attending, organizing = _records(email_hash)
    address = None
    links: list[Link] = []
    now = timezone.now()
    with translation.override(language):
        for endorsement in endorsements:
            address = address or endorsement.email
            revision = statements.latest_revision(endorsement.statement, language)
            title = revision.title if revision else endorsement.statement.slug
            if endorsement.confirmed_at is None and endorsement.confirm_expires_at > now:
                token = statements.confirm_token(endorsement)
                links.append(Link(title, "confirm", reverse("statements:confirm", kwargs={"token": token})))
            token = statements.withdraw_token(endorsement)
            links.append(Link(title, "withdraw", reverse("statements:withdraw", kwargs={"token": token})))
        for rsvp in attending:
            address = address or rsvp.email
            action = rsvp.action
            if action.state != Action.State.APPROVED:
                continue
            if rsvp.confirmed_at is None:
                if rsvp.confirm_expires_at <= now:
                    continue
                token = rsvps.confirm_token(rsvp)
                links.append(
                    Link(action.title, "rsvp-confirm", reverse("actions:rsvp-confirm", kwargs={"token": token}))
                )
            else:
                links.append(Link(action.title, "rsvp", reverse("actions:detail", kwargs={"action_id": action.pk})))
        for action in organizing:
            address = address or action.organizer_email
            if action.verified_at is None:
                if action.verify_expires_at > now:
                    token = actions.verify_token(action)
                    links.append(Link(action.title, "verify", reverse("actions:verify", kwargs={"token": token})))
            else:
                token = actions.manage_token(action)
                links.append(Link(action.title, "manage", reverse("actions:manage", kwargs={"token": token})))
    return address, links
