"""The e-mails to organizers of actions, rendered in the language they submitted in."""

from django.urls import reverse
from django.utils import translation

from convoca.actions import domain
from convoca.actions.models import Action
from convoca.core.mail import builder, render_mail


def _action(message) -> Action | None:
    return Action.objects.filter(pk=message.context.get("action")).first()


def _path(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"token": token})


@builder("actions.verify")
def verify_mail(message):
    action = _action(message)
    if action is None or action.state != Action.State.UNVERIFIED:
        return None
    context = {
        "name": action.organizer_name,
        "title": action.title,
        "link_path": _path("actions:verify", domain.verify_token(action), message.language),
    }
    return render_mail(action.organizer_email, "actions/mail/verify", context, message.language)


@builder("actions.manage")
def manage_mail(message):
    action = _action(message)
    if action is None:
        return None
    context = {
        "name": action.organizer_name,
        "title": action.title,
        "link_path": _path("actions:manage", domain.manage_token(action), message.language),
    }
    return render_mail(action.organizer_email, "actions/mail/manage", context, message.language)


@builder("actions.decision")
def decision_mail(message):
    action = _action(message)
    if action is None or action.state not in (Action.State.APPROVED, Action.State.REJECTED):
        return None
    context = {
        "name": action.organizer_name,
        "title": action.title,
        "approved": action.state == Action.State.APPROVED,
        "reason": message.context.get("reason", ""),
        "link_path": _path("actions:manage", domain.manage_token(action), message.language),
    }
    return render_mail(action.organizer_email, "actions/mail/decision", context, message.language)


def _rsvp(message):
    from convoca.actions.models import Rsvp

    return Rsvp.objects.select_related("action").filter(pk=message.context.get("rsvp")).first()


def _action_context(action, language):
    from convoca.actions import zones

    with translation.override(language):
        path = reverse("actions:detail", kwargs={"action_id": action.pk})
    return {
        "title": action.title,
        "when": zones.local(action.starts_at, action.timezone),
        "timezone": action.timezone,
        "action_path": path,
    }


@builder("actions.rsvp_confirm")
def rsvp_confirm_mail(message):
    from convoca.actions import rsvps

    rsvp = _rsvp(message)
    if rsvp is None or rsvp.confirmed_at is not None:
        return None
    context = _action_context(rsvp.action, message.language)
    context["link_path"] = _path("actions:rsvp-confirm", rsvps.confirm_token(rsvp), message.language)
    return render_mail(rsvp.email, "actions/mail/rsvp_confirm", context, message.language)


@builder("actions.exact_place")
def exact_place_mail(message):
    rsvp = _rsvp(message)
    if rsvp is None or not rsvp.admitted or rsvp.action.state != Action.State.APPROVED:
        return None
    context = _action_context(rsvp.action, message.language)
    context["address"] = rsvp.action.address
    context["exact"] = rsvp.action.exact_location
    context["venue"] = rsvp.action.venue
    return render_mail(rsvp.email, "actions/mail/exact_place", context, message.language)


@builder("actions.organizer_message")
def organizer_message_mail(message):
    from convoca.actions.models import OrganizerMessage

    rsvp = _rsvp(message)
    note = OrganizerMessage.objects.filter(pk=message.context.get("message")).first()
    if rsvp is None or note is None:
        return None
    context = _action_context(rsvp.action, message.language)
    context["body"] = note.body
    return render_mail(rsvp.email, "actions/mail/organizer_message", context, message.language)


@builder("actions.cancelled")
def cancelled_mail(message):
    rsvp = _rsvp(message)
    if rsvp is None:
        return None
    context = _action_context(rsvp.action, message.language)
    return render_mail(rsvp.email, "actions/mail/cancelled", context, message.language)


@builder("actions.changed")
def changed_mail(message):
    rsvp = _rsvp(message)
    if rsvp is None or rsvp.action.state == Action.State.CANCELLED:
        return None
    context = _action_context(rsvp.action, message.language)
    context["venue"], context["city"] = rsvp.action.venue, rsvp.action.city
    return render_mail(rsvp.email, "actions/mail/changed", context, message.language)
