from django.contrib import admin

from convoca.gate.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Surges for moderators to look at; they never hold anyone by themselves."""

    list_display = ["created_at", "kind", "subject", "detail", "seen"]
    list_filter = ["kind", "seen"]
    readonly_fields = ["created_at", "kind", "subject", "detail"]
    actions = ["mark_seen"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Mark as seen", permissions=["change"])
    def mark_seen(self, request, queryset):
        queryset.update(seen=True)
