from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from convoca.core import l10n, languages
from convoca.core.http import see_other
from convoca.core.memo import Memo
from convoca.core.origin import same_origin_post
from convoca.gate import forms as gate_forms
from convoca.gate.responses import guard
from convoca.statements import domain
from convoca.statements.forms import EndorsementForm, clean_source
from convoca.statements.models import Statement

ENDORSERS_PER_PAGE = 50


def _statement(slug: str) -> Statement:
    return get_object_or_404(Statement.objects.select_related("campaign"), slug=slug, published=True)


def home(request):
    language = get_language()
    statements = list(Statement.objects.filter(published=True).select_related("campaign").order_by("-opens_at"))
    counts = domain.counts_for(statement.pk for statement in statements)
    items = [
        {
            "statement": statement,
            "revision": domain.latest_revision(statement, language),
            "counts": counts.get(statement.pk, domain.Counts()),
        }
        for statement in statements
    ]
    return render(request, "statements/home.html", {"items": items})


def request_source(request, statement: Statement) -> str:
    """The partner code in `?source=`, if it is one of the statement's campaign's, else ""."""
    return domain.partner_source(statement.campaign_id, clean_source(request.GET.get("source")))


def endorsement_form(revision, source: str) -> EndorsementForm:
    return EndorsementForm(initial={"revision": revision.pk if revision else None, "source": source or None})


def _page_context(request, statement: Statement, form: EndorsementForm | None = None) -> dict:
    language = get_language()
    revision = domain.latest_revision(statement, language)
    counts = domain.counts(statement)
    query = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(domain.public_endorsements(statement, query), ENDORSERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    campaign_text = statement.campaign.text(language)
    listed = domain.listed_countries(statement)
    groups: dict[str, list] = {}
    for endorsement in page.object_list:
        code = endorsement.country
        groups.setdefault(code if code in listed else "", []).append(endorsement)
    endorser_groups = sorted(
        ({"name": l10n.country_name(code, language), "endorsements": items} for code, items in groups.items() if code),
        key=lambda group: l10n.sort_key(group["name"]),
    )
    if "" in groups:
        endorser_groups.append({"name": _("Other countries"), "endorsements": groups[""]})
    return {
        "statement": statement,
        "revision": revision,
        "campaign_text": campaign_text,
        "counts": counts,
        "progress": min(100, round(100 * counts.total / statement.goal)) if statement.goal else None,
        "form": form or endorsement_form(revision, request_source(request, statement)),
        "endorsers": page,
        "endorser_groups": endorser_groups,
        "query": query,
        "versions": [languages.get(code) for code in domain.available_languages(statement)],
        "is_open": statement.is_open(),
    }


# The statement page is the same for every visitor of one language, page and search, and its
# count moves once per count interval: each app process renders it at most that often.
_pages = Memo(lambda: settings.CONVOCA.count_interval, size=512)


def detail(request, slug):
    statement = domain.published_statement(slug)
    if statement is None:
        raise Http404
    source = request_source(request, statement)  # only known codes make a page of their own
    key = (slug, get_language(), request.GET.get("page", "")[:10], request.GET.get("q", "").strip()[:100], source)

    def page() -> bytes:
        return render(request, "statements/detail.html", _page_context(request, statement)).content

    return HttpResponse(_pages.get(key, page))


@same_origin_post
@require_http_methods(["POST"])
def endorse(request, slug):
    statement = _statement(slug)

    def page(form, status):
        return render(request, "statements/detail.html", _page_context(request, statement, form), status=status)

    return submit_endorsement(request, statement, page, see_other("statements:inbox", slug=statement.slug))


def submit_endorsement(request, statement: Statement, page, done: HttpResponse) -> HttpResponse:
    """The endorsement form's POST, for the statement page and its embed alike: `page(form, status)`
    renders the form again with its errors; `done` is the answer to a sign-up (or a bot's)."""
    if gate_forms.is_bot(request):
        return done  # the answer a person gets; nothing stored
    form = EndorsementForm(request.POST)
    if not statement.is_open():
        return page(form, 409)
    if not form.is_valid():
        return page(form, 422)
    language = get_language()
    revision = domain.revision_seen(statement, form.cleaned_data.get("revision"), language)
    verdict = guard(request, form, lambda status: page(form, status))
    if isinstance(verdict, HttpResponse):
        return verdict
    try:
        domain.endorse(statement, form.cleaned_data, language, revision, verdict)
    except domain.StatementClosed:
        return page(form, 409)
    return done


def inbox(request, slug):
    statement = _statement(slug)
    revision = domain.latest_revision(statement, get_language())
    return render(request, "statements/inbox.html", {"statement": statement, "revision": revision})


@same_origin_post
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners open links); only the POST confirms."""
    if request.method == "POST":
        endorsement = domain.confirm(token)
        if endorsement is None:
            raise Http404
        template = "statements/confirmed.html"
    else:
        endorsement = domain.find_by_token(token)
        if endorsement is None:
            raise Http404
        template = "statements/confirm.html"
    statement = endorsement.statement
    context = {
        "statement": statement,
        "revision": domain.current_revision(statement, get_language()),
        "endorsement": endorsement,
        "counts": domain.counts(statement),
    }
    return render(request, template, context)


@same_origin_post
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """GET asks (mail scanners open links); the POST erases the signer's data."""
    if request.method == "POST":
        statement = domain.withdraw(token)
        if statement is None:
            raise Http404
        return render(request, "statements/withdrawn.html", {"statement": statement})
    endorsement = domain.find_by_withdraw_token(token)
    if endorsement is None:
        raise Http404
    revision = domain.latest_revision(endorsement.statement, get_language())
    return render(request, "statements/withdraw.html", {"statement": endorsement.statement, "revision": revision})
