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

    list_display = [
        "id", "kind", "public_name", "organization", "website", "country", "review", "confirmed_at", "counted",
        "lane", "hold", "wave", "disposable", "name_hidden",
    ]  # fmt: skip
    list_filter = ["review", "kind", "statement", "counted", "hold", "lane", "disposable", "name_hidden"]
    search_fields = ["organization", "public_name", "=wave"]
    actions = ["approve", "reject", "hide_names", "show_names", "reject_waves", "release_waves"]
    fields = [
        "statement", "kind", "organization", "website", "name", "role", "country", "language", "revision",
        "consent_public", "consent_updates", "review", "counted", "created_at", "confirmed_at",
        "lane", "hold", "wave", "disposable", "name_hidden",
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
        self._done(request, domain.review(queryset.values_list("pk", flat=True), verdict, request.user))

    @admin.action(description=_("Approve selected organizations"), permissions=["view"])
    def approve(self, request, queryset):
        self._review(request, queryset, "approve")

    @admin.action(description=_("Reject selected organizations"), permissions=["view"])
    def reject(self, request, queryset):
        self._review(request, queryset, "reject")

    def _done(self, request, changed):
        self.message_user(
            request,
            ngettext("%d endorsement changed.", "%d endorsements changed.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Hide the public names of the selected (they stay counted)"), permissions=["view"])
    def hide_names(self, request, queryset):
        self._done(request, domain.hide_names(queryset.values_list("pk", flat=True), True, request.user))

    @admin.action(description=_("Show the public names of the selected again"), permissions=["view"])
    def show_names(self, request, queryset):
        self._done(request, domain.hide_names(queryset.values_list("pk", flat=True), False, request.user))

    def _waves(self, request, queryset, verdict):
        waves = set(queryset.exclude(wave="").values_list("wave", flat=True))
        self._done(request, sum(domain.decide_wave(wave, verdict, request.user) for wave in waves))

    @admin.action(description=_("Reject the held waves of the selected (uncounts them)"), permissions=["view"])
    def reject_waves(self, request, queryset):
        self._waves(request, queryset, "reject")

    @admin.action(description=_("Release the held waves of the selected"), permissions=["view"])
    def release_waves(self, request, queryset):
        self._waves(request, queryset, "release")
