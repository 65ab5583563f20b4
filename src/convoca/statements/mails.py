"""The e-mails about endorsements, one function each, rendered in the signer's language."""

from django.urls import reverse
from django.utils import translation

from convoca.core.mail import builder, render_mail
from convoca.statements import domain
from convoca.statements.models import Endorsement


def _endorsement(message) -> Endorsement | None:
    return (
        Endorsement.objects.select_related("statement__campaign").filter(pk=message.context.get("endorsement")).first()
    )


def _context(endorsement: Endorsement, language: str) -> dict:
    revision = domain.latest_revision(endorsement.statement, language)
    with translation.override(language):
        statement_path = reverse("statements:detail", kwargs={"slug": endorsement.statement.slug})
        withdraw_path = reverse("statements:withdraw", kwargs={"token": domain.withdraw_token(endorsement)})
    return {
        "withdraw_path": withdraw_path,
        "name": endorsement.name,
        "kind": endorsement.kind,
        "organization": endorsement.organization,
        "title": revision.title if revision else endorsement.statement.slug,
        "statement_path": statement_path,
    }


@builder("statements.confirm")
def confirm_mail(message):
    endorsement = _endorsement(message)
    if endorsement is None or endorsement.confirmed_at is not None:
        return None  # erased, or confirmed meanwhile: nothing to ask any more
    context = _context(endorsement, message.language)
    with translation.override(message.language):
        context["confirm_path"] = reverse("statements:confirm", kwargs={"token": domain.confirm_token(endorsement)})
    context["expires_at"] = endorsement.confirm_expires_at
    return render_mail(endorsement.email, "statements/mail/confirm", context, message.language)


@builder("statements.already_counted")
def already_counted_mail(message):
    endorsement = _endorsement(message)
    if endorsement is None:
        return None
    context = _context(endorsement, message.language)
    return render_mail(endorsement.email, "statements/mail/already_counted", context, message.language)
