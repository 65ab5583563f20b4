"""What every endpoint shares: the list envelope, page links, the declared error statuses, OpenAPI links."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator

from convoca.api import schemas

PER_PAGE = 50
# 503: the database is unreachable (core.middleware), with Retry-After.
ERRORS = {400: schemas.Detail, 404: schemas.Detail, 413: schemas.Detail, 422: schemas.FieldErrors, 503: schemas.Detail}


def links(**operations: dict[str, str]) -> dict:
    """`openapi_extra` with OpenAPI links: from the 200 answer to each operation (its operationId without
    "convoca_api_"), with its parameters as runtime expressions. Clients, and the stateful test, follow them."""
    targets = {
        name: {"operationId": f"convoca_api_{name}", "parameters": values} for name, values in operations.items()
    }
    return {"responses": {"200": {"links": targets}}}


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"{settings.CONVOCA.base_url}{request.path}?{urlencode(sorted(params.items()))}"


def paginate(request, items, page: int):
    """`({"count", "next", "previous"}, the page's items)`; a page past the end is empty, not an error."""
    paginator = Paginator(items, PER_PAGE)
    number = min(page, max(paginator.num_pages, 1))
    rows = list(paginator.page(number).object_list) if page <= paginator.num_pages else []
    return {
        "count": paginator.count,
        "next": _page_url(request, page + 1) if page < paginator.num_pages else None,
        "previous": _page_url(request, min(page - 1, paginator.num_pages)) if page > 1 else None,
    }, rows
