from django.contrib import admin

from convoca.moderation.models import AuditEntry, Decision, Scope


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_at", "verdict", "content_type", "object_id", "decided_by", "reason"]
    list_filter = ["verdict", "content_type"]
    readonly_fields = ["content_type", "object_id", "verdict", "reason", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scope)
class ScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "campaign", "country"]
    list_filter = ["campaign", "country"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Superusers read the audit log; no one edits or deletes it here."""

    list_display = ["at", "username", "action", "subject", "object_id", "where", "rows"]
    list_filter = ["action", "subject"]
    search_fields = ["username"]
    readonly_fields = ["at", "user", "username", "action", "subject", "object_id", "where", "rows"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
