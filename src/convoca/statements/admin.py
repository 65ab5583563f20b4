from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convoca.moderation import audit
from convoca.moderation.audit import AuditedChangeView
from convoca.moderation.models import AuditEntry
from convoca.statements import domain, export
from convoca.statements.models import Endorsement, Revision, Statement


class RevisionInline(admin.StackedInline):
    """Existing revisions are read-only: to change a text, add a revision."""

    model = Revision
    extra = 0
    fields = ["language", "title", "body", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    ordering = ["language", "-created_at"]
    verbose_name_plural = _("texts (add a revision to change a text; the newest per language is shown)")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["slug", "campaign", "published", "goal", "opens_at", "closes_at", "total"]
    list_filter = ["published", "campaign"]
    search_fields = ["slug", "revisions__title"]
    inlines = [RevisionInline]
    actions = ["export_csv"]

    @admin.display(description=_("count"))
    def total(self, obj):
        return domain.counts(obj).total

    def save_formset(self, request, form, formset, change):
        for revision in formset.save(commit=False):
            revision.created_by = request.user
            revision.created_at = timezone.now()
            revision.save()

    @admin.action(description=_("Export endorsements (CSV)"))
    def export_csv(self, request, queryset):
        statements = list(queryset.order_by("pk").values_list("pk", "slug"))
        text, rows = export.to_csv([pk for pk, _slug in statements])
        where = "CSV export of " + ", ".join(slug for _pk, slug in statements)
        audit.record(request.user, AuditEntry.Action.EXPORT, Endorsement, where=where, rows=rows)
        response = HttpResponse(text, content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="endorsements.csv"'
        return response


@admin.register(Endorsement)
class EndorsementAdmin(AuditedChangeView, admin.ModelAdmin):
    """Moderation of organizations. Personal fields are shown only on an endorsement's own page."""

    list_display = ["id", "kind", "organization", "website", "country", "review", "confirmed_at", "counted"]
    list_filter = ["review", "kind", "statement", "counted"]
    search_fields = ["organization", "public_name"]
    actions = ["approve", "reject"]
    fields = [
        "statement", "kind", "organization", "website", "name", "role", "country", "language", "revision",
        "consent_public", "consent_updates", "review", "counted", "created_at", "confirmed_at",
    ]  # fmt: skip
    readonly_fields = fields
    list_select_related = ["statement"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("name", "role", "email", "city")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def _review(self, request, queryset, verdict):
        changed = domain.review(queryset.values_list("pk", flat=True), verdict, request.user)
        self.message_user(
            request,
            ngettext("%d endorsement changed.", "%d endorsements changed.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected organizations"), permissions=["view"])
    def approve(self, request, queryset):
        self._review(request, queryset, "approve")

    @admin.action(description=_("Reject selected organizations"), permissions=["view"])
    def reject(self, request, queryset):
        self._review(request, queryset, "reject")
