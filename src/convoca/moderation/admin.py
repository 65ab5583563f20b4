from django.contrib import admin

from convoca.moderation.models import Decision, Scope


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
