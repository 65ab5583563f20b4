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
