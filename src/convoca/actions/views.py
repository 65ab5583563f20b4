from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from convoca.actions import domain, zones
from convoca.actions.forms import ActionForm
from convoca.actions.models import Action
from convoca.campaigns.models import Campaign
from convoca.core.origin import same_origin_post

PER_PAGE = 50


def campaign_actions(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    actions = domain.public(campaign).order_by("starts_at", "id")
    country = request.GET.get("country", "").upper()[:2]
    kind = request.GET.get("kind", "")
    if country:
        actions = actions.filter(country=country)
    if kind in Action.Kind.values:
        actions = actions.filter(kind=kind)
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    for action in page.object_list:
        action.local_start = zones.local(action.starts_at, action.timezone)
    context = {
        "campaign": campaign,
        "campaign_text": campaign.text(get_language()),
        "actions": page,
        "kinds": Action.Kind.choices,
        "country": country,
        "kind": kind,
    }
    return render(request, "actions/list.html", context)


def detail(request, action_id):
    action = get_object_or_404(domain.public(), pk=action_id)
    action.local_start = zones.local(action.starts_at, action.timezone)
    action.local_end = zones.local(action.ends_at, action.timezone) if action.ends_at else None
    return render(request, "actions/detail.html", {"action": action})


@same_origin_post
@require_http_methods(["GET", "POST"])
def submit(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            domain.submit(campaign, form.cleaned_data)
            response = redirect("actions:submitted", campaign=campaign.slug)
            response.status_code = 303
            return response
        status = 422
    else:
        form = ActionForm(initial={"language": get_language(), "kind": Action.Kind.RALLY})
        status = 200
    context = {"campaign": campaign, "campaign_text": campaign.text(get_language()), "form": form}
    return render(request, "actions/submit.html", context, status=status)


def submitted(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    return render(request, "actions/submitted.html", {"campaign": campaign})


@same_origin_post
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """GET shows a button (mail scanners open links); only the POST verifies."""
    action = domain.verify(token) if request.method == "POST" else domain.find_by_verify_token(token)
    if action is None:
        raise Http404
    return render(request, "actions/verify.html", {"action": action, "done": request.method == "POST"})


@same_origin_post
@require_http_methods(["GET", "POST"])
def manage(request, token):
    action = domain.cancel(token) if request.method == "POST" else domain.find_by_manage_token(token)
    if action is None:
        raise Http404
    action.local_start = zones.local(action.starts_at, action.timezone)
    return render(request, "actions/manage.html", {"action": action})
