from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convoca.core import mail
from convoca.core.models import OutboxMessage, PeriodicJob


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    """Staff see the queue and parked mail (no addresses: they are resolved at send time)."""

    list_display = [
        "id",
        "kind",
        "language",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
    ]
    list_filter = ["state", "kind"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (keeps the Message-ID)"))
    def resend(self, request, queryset):
        count = mail.resend(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", count) % count,
            messages.SUCCESS,
        )


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "next_run_at", "last_started_at", "last_finished_at", "last_error"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False
