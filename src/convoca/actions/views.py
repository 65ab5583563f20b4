from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from convoca.actions import domain, places, rsvps
from convoca.actions.forms import ActionEditForm, ActionForm, MessageForm, RsvpForm
from convoca.actions.models import Action
from convoca.campaigns.models import Campaign
from convoca.core import l10n
from convoca.core.http import see_other
from convoca.core.origin import same_origin_post
from convoca.gate import forms as gate_forms
from convoca.gate.responses import guard

PER_PAGE = 50


def campaign_actions(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    public = domain.public(campaign)
    actions = public.order_by("starts_at", "id")
    country = request.GET.get("country", "").upper()[:2]
    kind = request.GET.get("kind", "")
    city = request.GET.get("city", "").strip()[:100]
    day = request.GET.get("date", "")[:10]
    online = request.GET.get("online") == "1"
    if country:
        actions = actions.filter(country=country)
    if kind in Action.Kind.values:
        actions = actions.filter(kind=kind)
    if city:
        actions = actions.filter(city__iexact=city)
    if len(day) == 10 and day[4] == day[7] == "-" and day.replace("-", "").isdigit():
        actions = actions.filter(starts_local__startswith=day)  # the day at the place
    else:
        day = ""
    if online:
        actions = actions.filter(online=True)
    near_city = request.GET.get("near_city", "").strip()[:100]
    origin, near_label = _origin(request.GET.get("near", ""), near_city, country)
    if origin:
        actions = domain.near(actions.exclude(latitude=None), *origin, NEAR_RADIUS_KM)
    page = Paginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "near_city": near_city,
        "near_label": near_label,
        "near_failed": bool(near_city) and origin is None,
        "sorted_by_distance": origin is not None,
        "campaign": campaign,
        "campaign_text": campaign.text(get_language()),
        "actions": page,
        "kinds": Action.Kind.choices,
        "countries": sorted(
            (
                (code, l10n.country_name(code))
                for code in set(public.exclude(country="").values_list("country", flat=True))
            ),
            key=lambda item: l10n.sort_key(item[1]),
        ),
        "country": country,
        "kind": kind,
        "city": city,
        "day": day,
        "online": online,
        **_map(),
    }
    return render(request, "actions/list.html", context)


def _map() -> dict:
    return {"map_tiles": settings.CONVOCA.map_tiles, "map_attribution": settings.CONVOCA.map_attribution}


NEAR_RADIUS_KM = 300


def _origin(near: str, city: str, country: str):
    """Where "near me" starts: the browser's position (`near=lat,lon`) or a typed city."""
    if near:
        try:
            latitude, longitude = (float(part) for part in near.split(",")[:2])
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                return (latitude, longitude), ""
        except ValueError:
            pass
    if city:
        found = places.search(city, country or None, limit=1)
        if found:
            return (found[0].latitude, found[0].longitude), found[0].name
    return None, ""


def _detail_context(action, form=None):
    return {"action": action, "form": form or RsvpForm(), "full": rsvps.is_full(action), **_map()}


def detail(request, action_id):
    action = get_object_or_404(domain.public(), pk=action_id)
    return render(request, "actions/detail.html", _detail_context(action))


@same_origin_post
@require_http_methods(["POST"])
def rsvp(request, action_id):
    action = get_object_or_404(domain.public(), pk=action_id)
    if gate_forms.is_bot(request):
        return see_other("actions:rsvp-thanks", action_id=action.pk)  # the answer a person gets; nothing stored
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return render(request, "actions/detail.html", _detail_context(action, form), status=422)
    verdict = guard(
        request,
        form,
        lambda status: render(request, "actions/detail.html", _detail_context(action, form), status=status),
    )
    if isinstance(verdict, HttpResponse):
        return verdict
    try:
        rsvps.respond(action, form.cleaned_data["email"], form.cleaned_data["name"], get_language())
    except rsvps.Closed:
        return render(request, "actions/detail.html", _detail_context(action, form), status=409)
    return see_other("actions:rsvp-thanks", action_id=action.pk)


def rsvp_thanks(request, action_id):
    action = get_object_or_404(domain.public(), pk=action_id)
    return render(request, "actions/rsvp_thanks.html", {"action": action})


@same_origin_post
@require_http_methods(["GET", "POST"])
def rsvp_confirm(request, token):
    found = rsvps.confirm(token) if request.method == "POST" else rsvps.find(token)
    if found is None:
        raise Http404
    return render(request, "actions/rsvp_confirm.html", {"rsvp": found, "action": found.action})


@same_origin_post
@require_http_methods(["GET", "POST"])
def submit(request, campaign):
    campaign = get_object_or_404(Campaign, slug=campaign)
    if request.method == "POST" and gate_forms.is_bot(request):
        return see_other("actions:submitted", campaign=campaign.slug)  # the answer a person gets; nothing stored
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            verdict = guard(request, form, lambda status: _submit_page(request, campaign, form, status))
            if isinstance(verdict, HttpResponse):
                return verdict
            domain.submit(campaign, form.cleaned_data)
            return see_other("actions:submitted", campaign=campaign.slug)
        status = 422
    else:
        form = ActionForm(initial={"language": get_language(), "kind": Action.Kind.RALLY})
        status = 200
    return _submit_page(request, campaign, form, status)


def _submit_page(request, campaign, form, status):
    context = {"campaign": campaign, "campaign_text": campaign.text(get_language()), "form": form, **_map()}
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


def _manage_page(request, action, status=200, message_form=None, sent=None):
    context = {
        "action": action,
        "attendees": list(rsvps.attendees(action).only("id", "name", "admitted", "action_id")),
        "message_form": message_form or MessageForm(),
        "sent": sent,
    }
    return render(request, "actions/manage.html", context, status=status)


def _managed(token: str) -> Action:
    action = domain.find_by_manage_token(token)
    if action is None:
        raise Http404
    return action


def manage(request, token):
    return _manage_page(request, _managed(token))


@same_origin_post
@require_http_methods(["POST"])
def manage_cancel(request, token):
    action = domain.cancel(token)
    if action is None:
        raise Http404
    return _manage_page(request, action)


@same_origin_post
@require_http_methods(["POST"])
def manage_renew(request, token):
    """Revoke this link (it may have been seen by someone else) and mail a new one."""
    action = domain.renew_links(token)
    if action is None:
        raise Http404
    return render(request, "actions/renewed.html", {"action": action})


@same_origin_post
@require_http_methods(["POST"])
def manage_message(request, token):
    action = _managed(token)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, action, status=422, message_form=form)
    return _manage_page(request, action, sent=rsvps.message_attendees(action, form.cleaned_data["body"]))


@same_origin_post
@require_http_methods(["POST"])
def manage_admit(request, token):
    action = _managed(token)
    try:
        rsvp_id = int(request.POST.get("rsvp", ""))
    except ValueError:
        rsvp_id = 0
    rsvps.admit(action, rsvp_id)
    return _manage_page(request, action)


@same_origin_post
@require_http_methods(["GET", "POST"])
def manage_edit(request, token):
    action = _managed(token)
    if action.state in (Action.State.CANCELLED, Action.State.REJECTED):
        raise Http404
    if request.method == "POST":
        form = ActionEditForm(request.POST)
        if form.is_valid():
            domain.edit(token, form.cleaned_data)
            return see_other("actions:manage", token=token)
        status = 422
    else:
        form = ActionEditForm(initial=ActionEditForm.initial_for(action))
        status = 200
    return render(request, "actions/edit.html", {"action": action, "form": form, **_map()}, status=status)
