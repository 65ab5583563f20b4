from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convoca.core import apitokens, mail, staff
from convoca.core.models import ApiToken, OutboxMessage, PeriodicJob
from convoca.moderation import audit
from convoca.moderation.audit import AuditedChangeView
from convoca.moderation.models import AuditEntry


@admin.register(OutboxMessage)
class OutboxAdmin(AuditedChangeView, admin.ModelAdmin):
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


class ApiTokenForm(forms.ModelForm):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)

    class Meta:
        model = ApiToken
        fields = []


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff create bearer tokens for themselves, only in a session opened with two factors (outside
    demo mode), and see each token once. Superusers see and revoke everyone's; nobody edits one."""

    form = ApiTokenForm
    list_display = ["user", "created_at", "expires_at", "revoked_at", "last_used_on"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "created_at", "expires_at", "revoked_at", "last_used_on"]
    actions = ["revoke"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        return ["days"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_module_permission(self, request):
        return staff.staff_passed(request)

    def has_view_permission(self, request, obj=None):
        return staff.staff_passed(request) and (
            obj is None or obj.user_id == request.user.pk or request.user.is_superuser
        )

    def has_add_permission(self, request):
        return staff.staff_passed(request)

    def has_revoke_permission(self, request):
        return staff.staff_passed(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change or not staff.staff_passed(request):
            raise PermissionDenied
        obj.user = request.user
        obj.secret = apitokens.issue(obj, form.cleaned_data["days"])
        audit.record(request.user, AuditEntry.Action.TOKEN, ApiToken, where="admin", object_id=obj.pk)

    def response_add(self, request, obj, post_url_continue=None):
        """Show the token once (admin pages are never cached); only its hash is stored."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API token created"),
            "token": obj,
            "secret": obj.secret,
        }
        return TemplateResponse(request, "admin/core/apitoken/created.html", context)

    @admin.action(description=_("Revoke selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = apitokens.revoke_tokens(queryset)
        self.message_user(request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count, messages.SUCCESS)
