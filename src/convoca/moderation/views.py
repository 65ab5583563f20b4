"""The moderators' queue page (staff only; it keeps Django's CSRF protection)."""

from datetime import UTC, datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from convoca.actions import domain as actions
from convoca.actions.models import Action
from convoca.core import languages
from convoca.core.staff import staff_required
from convoca.gate.models import Alert
from convoca.moderation import audit, queue, scopes
from convoca.moderation.models import AuditEntry
from convoca.statements.models import Endorsement

PER_PAGE = 25


def _date(text: str):
    try:
        return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time.min, tzinfo=UTC)
    except ValueError:
        return None


@staff_required
@require_http_methods(["GET", "POST"])
def action_queue(request):
    if request.method == "POST":
        return _decide(request)
    pending = scopes.limit_actions(queue.pending_actions().select_related("campaign"), request.user)
    filters = {
        "country": request.GET.get("country", "").upper()[:2],
        "language": request.GET.get("language", ""),
        "from": request.GET.get("from", "")[:10],
        "to": request.GET.get("to", "")[:10],
        "campaign": request.GET.get("campaign", "")[:80],  # the dashboard links here with its campaign
    }
    applied = []  # the filters in force, for the audit log
    if filters["campaign"]:
        pending = pending.filter(campaign__slug=filters["campaign"])
        applied.append(f"campaign={filters['campaign']}")
    if filters["country"]:
        pending = pending.filter(country=filters["country"])
        applied.append(f"country={filters['country']}")
    if filters["language"] in languages.CODES:
        pending = pending.filter(language=filters["language"])
        applied.append(f"language={filters['language']}")
    if start := _date(filters["from"]):
        pending = pending.filter(starts_at__gte=start)
        applied.append(f"from={start.date()}")
    if end := _date(filters["to"]):
        pending = pending.filter(starts_at__lt=end.replace(hour=23, minute=59, second=59))
        applied.append(f"to={end.date()}")
    page = Paginator(pending, PER_PAGE).get_page(request.GET.get("page"))
    for action in page.object_list:
        action.duplicates = queue.possible_duplicates(action)
    where = " ".join(["moderation queue", f"page={page.number}", *applied])
    audit.record(request.user, AuditEntry.Action.VIEW, Action, where=where, rows=len(page.object_list))
    context = {
        "page": page,
        "filters": filters,
        "languages": languages.REGISTRY,
        "alerts": Alert.objects.filter(seen=False).count(),
        "held": Endorsement.objects.filter(hold=Endorsement.Hold.HELD).values("wave").distinct().count(),
    }
    return render(request, "moderation/queue.html", context)


def _decide(request):
    verdict = request.POST.get("decision")
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        action_id = int(request.POST.get("action", ""))
    except ValueError:
        action_id = 0
    allowed = scopes.limit_actions(Action.objects.filter(pk=action_id), request.user).exists()
    if verdict not in ("approve", "reject") or not allowed:
        messages.error(request, _("That decision could not be made."))
    elif verdict == "reject" and not reason:
        messages.error(request, _("Give a reason to reject: the organizer is told."))
    else:
        try:
            actions.decide(action_id, verdict, request.user, reason)
            messages.success(request, _("Decision recorded."))
        except actions.AlreadyDecided:
            messages.error(request, _("Someone has already decided on this action."))
    return redirect(request.get_full_path())
