from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from convoca.core import languages, mail
from convoca.core.models import OutboxMessage


def root(request):
    """`/` sends the visitor to their language's home page, chosen from Accept-Language."""
    code = translation.get_language_from_request(request, check_path=False)
    if code not in languages.CODES:
        code = languages.DEFAULT
    response = HttpResponseRedirect(f"/{code}/")
    patch_vary_headers(response, ("Accept-Language",))
    return response


def healthz(request):
    """For load balancers and the benchmarks' ceiling: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


def demo_outbox(request):
    """Demo only, when no EMAIL_URL is set: the mail the worker would have sent, rendered live.

    Nothing is stored in plain: each message is rebuilt from the encrypted records on display.
    """
    if not (settings.CONVOCA.demo and settings.CONVOCA.email is None):
        raise Http404
    messages = []
    for message in OutboxMessage.objects.order_by("-created_at")[:30]:
        email = mail.build_email(message)
        if email is not None:
            messages.append({"record": message, "email": email})
    return render(request, "core/demo_outbox.html", {"messages": messages})
