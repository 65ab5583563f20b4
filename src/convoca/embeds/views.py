"""Widgets that partner sites frame: a statement's live count, its endorsement form, a campaign's
map of actions. Each is a small page in its own chrome (no site header or footer), framable by
CONVOCA_EMBED_ANCESTORS only here (framing.py), and carries the partner's `?source=` code.

The form posts to Convoca's own origin from inside the frame, so the cookie-free origin check
(core/origin.py) holds: the frame's document is ours. Count, form and map pages are the same for
every visitor of one language and source, like the statement page: each app process renders one
at most once per count interval (the form's gate stamp may be that old; it only has to be old
enough), and nginx may keep them (core/caching.py).
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from convoca.campaigns.models import Campaign
from convoca.core.http import see_other
from convoca.core.memo import Memo
from convoca.core.origin import same_origin_post
from convoca.core.staff import staff_required
from convoca.embeds import snippets
from convoca.embeds.framing import framable
from convoca.statements import domain
from convoca.statements.forms import EndorsementForm, clean_source
from convoca.statements.models import Statement
from convoca.statements.views import endorsement_form, request_source, submit_endorsement

_pages = Memo(lambda: settings.CONVOCA.count_interval, size=512)


def _published(slug: str) -> Statement:
    statement = domain.published_statement(slug)
    if statement is None:
        raise Http404
    return statement


def _with_source(url: str, source: str) -> str:
    return f"{url}?{urlencode({'source': source})}" if source else url


def _statement_context(request, statement: Statement, source: str) -> dict:
    language = get_language()
    counts = domain.counts(statement)
    return {
        "statement": statement,
        "revision": domain.current_revision(statement, language),
        "campaign_text": statement.campaign.text(language),
        "counts": counts,
        "progress": min(100, round(100 * counts.total / statement.goal)) if statement.goal else None,
        "source": source,
        "statement_url": _with_source(reverse("statements:detail", kwargs={"slug": statement.slug}), source),
        "is_open": statement.is_open(),
    }


def _memoised(request, kind: str, slug: str, source: str, build) -> HttpResponse:
    key = (kind, slug, get_language(), source)
    return HttpResponse(_pages.get(key, lambda: build().content))


@framable
@require_GET
def count(request, slug):
    statement = _published(slug)
    source = request_source(request, statement)

    def build():
        context = _statement_context(request, statement, source)
        context["refresh_url"] = _with_source(reverse("embeds:count", kwargs={"slug": statement.slug}), source)
        return render(request, "embeds/count.html", context)

    return _memoised(request, "count", slug, source, build)


def _form_context(request, statement: Statement, source: str, form: EndorsementForm | None = None) -> dict:
    context = _statement_context(request, statement, source)
    context["form"] = form or endorsement_form(context["revision"], source)
    context["form_action"] = reverse("embeds:endorse", kwargs={"slug": statement.slug})
    return context


@framable
@require_GET
def form(request, slug):
    statement = _published(slug)
    source = request_source(request, statement)

    def build():
        return render(request, "embeds/form.html", _form_context(request, statement, source))

    return _memoised(request, "form", slug, source, build)


@framable
@same_origin_post
@require_http_methods(["POST"])
def endorse(request, slug):
    statement = _published(slug)
    source = domain.partner_source(statement.campaign_id, clean_source(request.POST.get("source")))

    def page(form, status):
        return render(request, "embeds/form.html", _form_context(request, statement, source, form), status=status)

    done = see_other(_with_source(reverse("embeds:inbox", kwargs={"slug": statement.slug}), source))
    return submit_endorsement(request, statement, page, done)


@framable
@require_GET
def inbox(request, slug):
    statement = _published(slug)
    source = request_source(request, statement)
    context = _statement_context(request, statement, source)
    context["form_url"] = _with_source(reverse("embeds:form", kwargs={"slug": statement.slug}), source)
    return render(request, "embeds/inbox.html", context)


@framable
@require_GET
def actions_map(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    language = get_language()
    source = domain.partner_source(campaign.pk, clean_source(request.GET.get("source")))

    def build():
        context = {
            "campaign": campaign,
            "campaign_text": campaign.text(language),
            "source": source,
            "list_url": _with_source(reverse("actions:list", kwargs={"campaign": campaign.slug}), source),
            "submit_url": _with_source(reverse("actions:submit", kwargs={"campaign": campaign.slug}), source),
            "map_tiles": settings.CONVOCA.map_tiles,
            "map_attribution": settings.CONVOCA.map_attribution,
        }
        return render(request, "embeds/map.html", context)

    return _memoised(request, "map", campaign.slug, source, build)


@staff_required
@require_GET
def snippet_page(request, campaign):
    """A coordinator picks a statement, a language and a partner, and copies the snippets."""
    campaign = get_object_or_404(Campaign, slug=campaign)
    choice = snippets.choose(campaign, request.GET)
    context = {"campaign": campaign, "campaign_text": campaign.text(get_language()), **choice}
    context["widgets"] = snippets.widgets(campaign, choice["statement"], choice["partner"], choice["language"])
    return render(request, "embeds/snippets.html", context)
