import ipaddress
import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

PUBLIC_BODY_LIMIT = 64 * 1024
LOOK_BODY_LIMIT = 200 * 1024 + PUBLIC_BODY_LIMIT  # a campaign's logo (campaigns/theme.LOGO_LIMIT) and its form


class ForwardedProtoMiddleware:
    """Believe `X-Forwarded-Proto` (TLS ended at nginx) only from CONVOCA_TRUSTED_PROXIES.

    Django's SECURE_PROXY_SSL_HEADER trusts the header from anyone who reaches gunicorn; behind
    a private network with several app servers that is more than nginx.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not _from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


def _from_trusted_proxy(request) -> bool:
    try:
        remote = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").split("%", 1)[0])
    except ValueError:
        return False
    return any(remote in network for network in settings.CONVOCA.trusted_proxies)


class BodySizeLimitMiddleware:
    """Public endpoints take at most 64 KiB; refuse larger bodies with 413 before reading them.

    Staff pages (the admin, the import upload) are exempt: coordinators upload larger files there,
    and the import's upload view checks who sends it and its size before reading the body. A
    campaign's colours and logo page takes a logo's worth (campaigns/theme.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = _body_limit(request.path_info)
        if request.method in ("POST", "PUT", "PATCH") and limit is not None:
            too_large = False
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _answer(request, 400, "The Content-Length header is not a number.")
            if length > limit:
                too_large = True
            elif not length and request.META.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
                too_large = len(request.read(limit + 1)) > limit
            if too_large:
                return _answer(request, 413, f"The request body is larger than {limit // 1024} KiB.")
        return self.get_response(request)


def _body_limit(path: str) -> int | None:
    """The largest body a POST to `path` may carry; None where the view itself checks."""
    parts = path.split("/", 4)
    if len(parts) > 2 and (parts[2] == "admin" or parts[2:4] == ["staff", "import"]):
        return None
    if parts[2:4] == ["staff", "c"] and path.endswith("/look/"):
        return LOOK_BODY_LIMIT
    return PUBLIC_BODY_LIMIT


def _answer(request, status: int, message: str):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class DatabaseDownMiddleware:
    """The database is unreachable: answer 503 with Retry-After, never a stack trace.

    Django opens connections per request, so service resumes by itself once the database is back.
    """

    RETRY_AFTER = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)) or not _unreachable(exception):
            return None
        log.error("database unreachable: %s", type(exception).__name__)
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": "The service is briefly unavailable; try again shortly."}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", request=None), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER)
        return response


def _unreachable(exception: DatabaseError) -> bool:
    """Connection failures, not errors in a query (those are bugs and should surface)."""
    text = str(exception).lower()
    return any(
        part in text
        for part in ("connection", "could not connect", "server closed", "unable to open database", "terminating")
    )
