from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from convoca.actions import domain
from convoca.actions.models import Action
from convoca.moderation.audit import AuditedChangeView


@admin.register(Action)
class ActionAdmin(AuditedChangeView, admin.ModelAdmin):
    """Moderation of actions; organizers' names and addresses stay out of the list."""

    list_display = ["id", "title", "kind", "city", "country", "starts_local", "timezone", "state"]
    list_filter = ["state", "kind", "country", "language", "campaign"]
    search_fields = ["title", "city", "group_name"]
    actions = ["approve", "reject"]
    exclude = ["organizer_name", "organizer_email", "organizer_email_hash", "token_nonce", "verify_token_hash",
               "manage_token_hash", "exact_location", "address"]  # fmt: skip
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, verdict):
        for action in queryset.filter(state=Action.State.PENDING):
            domain.decide(action.pk, verdict, request.user)
        self.message_user(request, "✓", messages.SUCCESS)

    @admin.action(description=_("approve"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description=_("reject"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, "reject")
