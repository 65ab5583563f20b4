from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from convoca.core.http import see_other
from convoca.core.origin import same_origin_post
from convoca.gate import forms as gate_forms
from convoca.gate.responses import guard
from convoca.links import domain
from convoca.statements.forms import ERRORS


class LinksForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, error_messages={**ERRORS, "invalid": _("Enter a valid email address.")}
    )


@same_origin_post
@require_http_methods(["GET", "POST"])
def request_links(request):
    if request.method == "GET":
        return render(request, "links/request.html", {"form": LinksForm()})
    if gate_forms.is_bot(request):
        return see_other("links:sent")
    form = LinksForm(request.POST)
    if not form.is_valid():
        return render(request, "links/request.html", {"form": form}, status=422)
    verdict = guard(request, form, lambda status: render(request, "links/request.html", {"form": form}, status=status))
    if isinstance(verdict, HttpResponse):
        return verdict
    domain.request_links(form.cleaned_data["email"].strip(), get_language())
    return see_other("links:sent")


def sent(request):
    return render(request, "links/sent.html")
