"""Cookie-free protection against cross-site form posts.

Public forms carry no CSRF cookie (so their pages can be cached and, later, framed by partners).
A browser tells us where a POST comes from with `Sec-Fetch-Site` and `Origin`; we accept it only
from our own origin. A client that sends neither (curl, a server) cannot ride a visitor's browser,
and e-mail confirmation is the real gate in any case.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def _own_origins(request) -> set[str]:
    base = urlsplit(settings.CONVOCA.base_url)
    origins = {f"{base.scheme}://{base.netloc}"}
    origins.add(f"{request.scheme}://{request.get_host()}")
    return origins


def is_same_origin(request) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None and origin != "null":
        return origin in _own_origins(request)
    if origin == "null":
        return False
    return True


def same_origin_post(view):
    """Exempt a public form from cookie-based CSRF and check the request's origin instead."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not is_same_origin(request):
            return render(request, "core/forbidden_origin.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
