"""The coordinators' dashboard (staff, two-factor outside demo mode; every answer private, no-store).

Views are thin: figures come from `figures`, decisions from `statements.domain` (the functions the
admin actions call), exports from `exports`.
"""

from __future__ import annotations

from datetime import UTC

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convoca.actions.models import Action
from convoca.campaigns.forms import ThemeForm
from convoca.campaigns.models import Campaign, Partner
from convoca.core import l10n, languages
from convoca.core.staff import staff_required
from convoca.dashboard import exports, figures
from convoca.dashboard.forms import ExportForm, PartnerForm, RevisionForm, StatementForm
from convoca.dashboard.models import Export
from convoca.moderation import audit, queue, scopes
from convoca.moderation.models import AuditEntry, Scope
from convoca.statements import domain, export
from convoca.statements.models import Endorsement, Revision, Statement


def _posted(request):
    """The POST data of a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def visible_campaigns(user):
    """Every campaign, unless the user's moderation scopes name some campaigns and none is open-ended."""
    if user.is_superuser:
        return Campaign.objects.all()
    limits = list(Scope.objects.filter(user=user).values_list("campaign_id", flat=True))
    if not limits or None in limits:
        return Campaign.objects.all()
    return Campaign.objects.filter(pk__in=limits)


def _campaign(request, slug: str) -> Campaign:
    return get_object_or_404(visible_campaigns(request.user), slug=slug)


def _statement(request, slug: str) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("campaign").filter(campaign__in=visible_campaigns(request.user)), slug=slug
    )


def _title(campaign: Campaign) -> str:
    text = campaign.text(get_language())
    return text.title if text else campaign.slug


@staff_required
@require_GET
def index(request):
    campaigns = list(visible_campaigns(request.user).prefetch_related("texts").order_by("slug"))
    rows = [
        {"campaign": campaign, "title": _title(campaign), "totals": figures.totals(campaign)} for campaign in campaigns
    ]
    return render(request, "dashboard/index.html", {"rows": rows})


def _sort(request) -> tuple[str, bool]:
    sort = request.GET.get("sort", "total")
    sort = sort if sort in figures.SORTS else "total"
    default_descending = sort != "country"
    direction = request.GET.get("dir", "")
    descending = default_descending if direction not in ("asc", "desc") else direction == "desc"
    return sort, descending


def snapshot(campaign: Campaign, sort: str = "total", descending: bool = True) -> dict:
    """Everything the page shows that changes: the JSON endpoint's answer and the page's first data."""
    language = get_language()
    recent = []
    for item in figures.recent(campaign):
        extra = {
            "at": item["at"].astimezone(UTC).isoformat(),
            "country_name": l10n.country_name(item["country"], language),
        }
        if item["type"] == "action":
            extra["state_label"] = str(Action.State(item["state"]).label)
        recent.append({**item, **extra})
    return {
        "generated_at": timezone.now().isoformat(),
        "totals": figures.totals(campaign),
        "hours": figures.by_hour(campaign),
        "days": figures.by_day(campaign),
        "countries": figures.by_country(campaign, sort, descending, language),
        "partners": figures.by_partner(campaign),
        "backlog": figures.backlog(campaign),
        "recent": recent,
    }


@staff_required
@require_GET
def campaign(request, campaign):
    campaign = _campaign(request, campaign)
    sort, descending = _sort(request)
    data = snapshot(campaign, sort, descending)
    slugs = list(campaign.statements.values_list("slug", flat=True))
    pending = scopes.limit_endorsements(
        queue.pending_organizations().filter(statement__campaign=campaign).select_related("statement"), request.user
    )[:50]
    context = {
        "campaign": campaign,
        "title": _title(campaign),
        "data": data,
        "sort": sort,
        "descending": descending,
        "statements": figures.statements(campaign),
        "pending": pending,
        "alerts": figures.alerts(slugs)[:10],
        "partner_form": PartnerForm(campaign=campaign),
        "snippets_url": reverse("embeds:snippets", args=[campaign.slug]),
        "import_url": reverse("imports:index"),
        "queue_url": reverse("moderation:actions") + f"?campaign={campaign.slug}",
        "sort_columns": [
            ("country", _("Country")),
            ("people", _("People")),
            ("organizations", _("Organizations")),
            ("total", _("Total")),
            ("actions", _("Actions")),
        ],
    }
    return render(request, "dashboard/campaign.html", context)


@staff_required
@require_GET
def figures_json(request, campaign):
    campaign = _campaign(request, campaign)
    sort, descending = _sort(request)
    response = JsonResponse(snapshot(campaign, sort, descending))
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def review_organizations(request, campaign):
    """Approve or reject pending organizations, through the same domain function as the admin's
    actions (each decision recorded as a moderation.Decision)."""
    campaign = _campaign(request, campaign)
    verdict = request.POST.get("decision")
    ids = [int(value) for value in request.POST.getlist("endorsement") if value.isdigit()]
    allowed = scopes.limit_endorsements(
        queue.pending_organizations().filter(statement__campaign=campaign, pk__in=ids), request.user
    ).values_list("pk", flat=True)
    if verdict not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or to reject."))
    elif not ids:
        messages.error(request, _("Select at least one organization."))
    else:
        changed = domain.review(list(allowed), verdict, request.user, request.POST.get("reason", "").strip()[:500])
        if changed:
            messages.success(
                request, ngettext("%d organization decided.", "%d organizations decided.", changed) % changed
            )
        else:
            messages.error(request, _("Nothing changed: those organizations were already decided."))
    return redirect(reverse("dashboard:campaign", args=[campaign.slug]) + "#backlog")


# --- partners -----------------------------------------------------------------------------------


def _partner_used(partner: Partner) -> int:
    return Endorsement.objects.filter(statement__campaign=partner.campaign, source=partner.code).count()


@staff_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, campaign, partner_id=None):
    campaign = _campaign(request, campaign)
    partner = get_object_or_404(Partner, pk=partner_id, campaign=campaign) if partner_id else None
    used = _partner_used(partner) if partner else 0
    form = PartnerForm(_posted(request), instance=partner, campaign=campaign)
    if used and "code" in form.fields:
        form.fields["code"].disabled = True  # sign-ups carry the code: changing it would orphan them
        form.fields["code"].help_text = _("The code is in use by sign-ups and cannot change.")
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Partner “%(name)s” saved.") % {"name": saved.name})
        return redirect(reverse("dashboard:campaign", args=[campaign.slug]) + "#partners")
    status = 422 if request.method == "POST" else 200
    context = {
        "campaign": campaign,
        "title": _title(campaign),
        "form": form,
        "partner": partner,
        "used": used,
        "snippets_url": reverse("embeds:snippets", args=[campaign.slug]),
    }
    return render(request, "dashboard/partner.html", context, status=status)


@staff_required
@require_POST
def partner_delete(request, campaign, partner_id):
    campaign = _campaign(request, campaign)
    partner = get_object_or_404(Partner, pk=partner_id, campaign=campaign)
    if _partner_used(partner):
        messages.error(request, _("This partner brought sign-ups: it is kept, so their attribution stays."))
    else:
        partner.delete()
        messages.success(request, _("Partner deleted."))
    return redirect(reverse("dashboard:campaign", args=[campaign.slug]) + "#partners")


@staff_required
@require_http_methods(["GET", "POST"])
def look(request, campaign):
    """The campaign's colours and logo (campaigns/theme.py checks them), shown on its public pages."""
    campaign = _campaign(request, campaign)
    # the form gets its own copy: a refused colour must not show as the saved one
    form = ThemeForm(_posted(request), request.FILES or None, instance=Campaign.objects.get(pk=campaign.pk))
    if not campaign.logo_hash:
        del form.fields["remove_logo"]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Colours and logo saved."))
        return redirect("dashboard:look", campaign=campaign.slug)
    context = {
        "campaign": campaign,
        "title": _title(campaign),
        "form": form,
        "logo_url": (
            reverse("campaigns:logo", kwargs={"campaign": campaign.slug, "version": campaign.logo_hash})
            if campaign.logo_hash
            else ""
        ),
        "page_url": _first_page(campaign),
    }
    return render(request, "dashboard/look.html", context, status=422 if request.method == "POST" else 200)


def _first_page(campaign: Campaign) -> str:
    """A public page that shows the campaign's look: its first published statement, else its actions."""
    statement = campaign.statements.filter(published=True).order_by("opens_at", "id").first()
    if statement:
        return reverse("statements:detail", kwargs={"slug": statement.slug})
    return reverse("actions:list", kwargs={"campaign": campaign.slug})


# --- statements and their texts -----------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def statement_new(request, campaign):
    campaign = _campaign(request, campaign)
    form = StatementForm(_posted(request), initial={"opens_at": timezone.now().replace(second=0, microsecond=0)})
    form.instance.campaign = campaign
    if request.method == "POST" and form.is_valid():
        statement = form.save()
        messages.success(request, _("Statement created. Now add its text in each language."))
        return redirect("dashboard:statement", statement.slug)
    status = 422 if request.method == "POST" else 200
    context = {"campaign": campaign, "title": _title(campaign), "form": form}
    return render(request, "dashboard/statement_new.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def statement(request, slug):
    statement = _statement(request, slug)
    campaign = statement.campaign
    form = StatementForm(_posted(request), instance=statement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Statement saved."))
        return redirect("dashboard:statement", statement.slug)
    latest = {}
    for revision in Revision.objects.filter(statement=statement).order_by("-created_at", "-id"):
        latest.setdefault(revision.language, revision)
    texts = [
        {"language": languages.get(code), "revision": latest.get(code)}
        for code in dict.fromkeys([*campaign.languages, *latest])
        if code in languages.CODES
    ]
    context = {
        "campaign": campaign,
        "title": _title(campaign),
        "statement": statement,
        "form": form,
        "texts": texts,
        "counts": domain.counts(statement),
    }
    return render(request, "dashboard/statement.html", context, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def revision(request, slug, language):
    statement = _statement(request, slug)
    if language not in languages.CODES:
        raise Http404
    latest = Revision.objects.filter(statement=statement, language=language).order_by("-created_at", "-id").first()
    initial = {"title": latest.title, "body": latest.body} if latest else {}
    form = RevisionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if latest and (latest.title, latest.body) == (form.cleaned_data["title"], form.cleaned_data["body"]):
            messages.info(request, _("Nothing changed."))
        else:
            revision = form.save(commit=False)
            revision.statement, revision.language = statement, language
            revision.created_by, revision.created_at = request.user, timezone.now()
            revision.save()
            messages.success(request, _("Text saved as a new version."))
        return redirect("dashboard:statement", statement.slug)
    context = {
        "campaign": statement.campaign,
        "title": _title(statement.campaign),
        "statement": statement,
        "language": languages.get(language),
        "form": form,
        "latest": latest,
        "versions": Revision.objects.filter(statement=statement, language=language).count(),
    }
    return render(request, "dashboard/revision.html", context, status=422 if form.errors else 200)


# --- exports ------------------------------------------------------------------------------------


def _attachment(content, fmt: str, name: str):
    response = (
        FileResponse(content, as_attachment=True, filename=name, content_type=exports.CONTENT_TYPES[fmt])
        if not isinstance(content, bytes)
        else HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    )
    if isinstance(content, bytes):
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _file_name(statement: Statement, source: str | None, fmt: str) -> str:
    partner = "" if source is None else f"-{source or 'no-partner'}"
    return f"{statement.slug}-updates{partner}.{fmt}"


@staff_required
@require_http_methods(["GET", "POST"])
def statement_exports(request, slug):
    statement = _statement(request, slug)
    partners = list(Partner.objects.filter(campaign=statement.campaign).order_by("name"))
    form = ExportForm(_posted(request), partners=partners)
    if request.method == "POST" and form.is_valid():
        source, fmt = form.cleaned_data["source"], form.cleaned_data["format"]
        size = export.subscribers(statement.pk, source).count()
        if size <= exports.INLINE_LIMIT:
            content, _count = exports.inline(statement, source, fmt, request.user)
            return _attachment(content, fmt, _file_name(statement, source, fmt))
        job = exports.request(statement, source, fmt, request.user)
        return redirect("dashboard:export", job.pk)
    jobs = Export.objects.filter(statement=statement).select_related("requested_by")[:10]
    counts = {row["source"]: row["n"] for row in _subscriber_counts(statement)}
    context = {
        "campaign": statement.campaign,
        "title": _title(statement.campaign),
        "statement": statement,
        "form": form,
        "jobs": jobs,
        "partners": [(partner, counts.get(partner.code, 0)) for partner in partners],
        "no_partner": counts.get("", 0),
        "everyone": sum(counts.values()),
        "inline_limit": exports.INLINE_LIMIT,
    }
    return render(request, "dashboard/exports.html", context, status=422 if form.errors else 200)


def _subscriber_counts(statement: Statement):
    return export.subscribers(statement.pk).values("source").annotate(n=Count("id")).order_by()


def _export(request, export_id: int) -> Export:
    return get_object_or_404(
        Export.objects.select_related("statement__campaign").filter(
            statement__campaign__in=visible_campaigns(request.user)
        ),
        pk=export_id,
    )


def _progress(job: Export) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "download": reverse("dashboard:export-download", args=[job.pk]) if job.state == Export.State.DONE else "",
    }


@staff_required
@require_GET
def export_detail(request, export_id):
    job = _export(request, export_id)
    if request.GET.get("format") == "json":
        response = JsonResponse(_progress(job))
        response["Cache-Control"] = "private, no-store"
        return response
    context = {"job": job, "statement": job.statement, "campaign": job.statement.campaign,
               "title": _title(job.statement.campaign), "progress": _progress(job)}  # fmt: skip
    return render(request, "dashboard/export.html", context)


@staff_required
@require_GET
def export_download(request, export_id):
    job = _export(request, export_id)
    if job.state != Export.State.DONE or not job.file_name:
        raise Http404
    path = exports.path_of(job)
    if not path.exists():
        raise Http404
    audit.record(
        request.user, AuditEntry.Action.EXPORT, Endorsement,
        where=f"#{job.pk} download {exports.describe(job.statement, job.source, job.format)}", rows=job.total,
    )  # fmt: skip
    return _attachment(path.open("rb"), job.format, _file_name(job.statement, job.source, job.format))
