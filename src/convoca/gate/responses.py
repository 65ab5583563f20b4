"""How HTML views pass a submitted form through the gate, and answer a flood."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from convoca.gate import forms, lanes, proof


def flooded(request, exc: lanes.Flooded) -> HttpResponse:
    response = render(request, "gate/flooded.html", {"retry_minutes": max(1, exc.retry_after // 60)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def guard(request, form, render_form: Callable[[int], HttpResponse]) -> lanes.Verdict | HttpResponse:
    """The gate's verdict for a valid form, or the page to answer with: the form again with 400
    when the proof of work is bad, or 429 far over the limits."""
    try:
        return lanes.assess(request, altcha=request.POST.get("altcha"), too_fast=forms.too_fast(request))
    except proof.InvalidProof:
        form.add_error(None, _("The check that you are not a robot failed. Please send the form again."))
        return render_form(400)
    except lanes.Flooded as exc:
        return flooded(request, exc)
