"""The audit log of staff access to personal data: each page or export that shows it writes one entry.

An entry names the kind of record and its id, or the list's filters and how many rows it held;
never a name, an address or any other value of the record.
"""

from django.db import models

from convoca.moderation.models import AuditEntry


def record(user, action: str, subject, *, where: str, object_id=None, rows: int | None = None) -> AuditEntry:
    """`subject` is a model (or its label, e.g. "statements.endorsement")."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    label = subject._meta.label_lower if isinstance(subject, type) and issubclass(subject, models.Model) else subject
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        subject=label,
        object_id=object_id,
        where=where[:200],
        rows=rows,
    )


class AuditedChangeView:
    """A ModelAdmin mixin: showing one record's page writes a `view` entry."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            try:
                pk = int(object_id)
            except ValueError:
                pk = None
            record(request.user, AuditEntry.Action.VIEW, self.model, where="admin", object_id=pk)
        return response
