"""The HTML a partner pastes into its site: an iframe per widget and the script that sizes it.

`snippets()` is what the staff page (and the dashboard) show; URLs are absolute, on
CONVOCA_BASE_URL. The script is linked under its plain name (not the hashed one), so a snippet
pasted today keeps working after an upgrade; nginx lets browsers keep it for an hour.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext

from convoca.campaigns.models import Campaign, Partner
from convoca.core import languages
from convoca.statements.models import Statement

SCRIPT = "convoca/embed.js"
KINDS = ("count", "form", "map")
HEIGHTS = {"count": 220, "form": 900, "map": 440}  # before the script sizes the frame to its page


@dataclass(frozen=True)
class Widget:
    kind: str
    path: str  # on Convoca's origin, with the language and the partner's code
    title: str
    snippet: str  # absolute URLs, to paste into the partner's page


def embed_path(kind: str, campaign: Campaign, statement: Statement | None, partner_code: str, language: str) -> str:
    with translation.override(language):
        if kind == "map":
            path = reverse("embeds:map", kwargs={"campaign": campaign.slug})
        else:
            path = reverse(f"embeds:{kind}", kwargs={"slug": statement.slug})
    return f"{path}?{urlencode({'source': partner_code})}" if partner_code else path


def script_url(base_url: str | None = None) -> str:
    return (base_url or settings.CONVOCA.base_url) + settings.STATIC_URL + SCRIPT


def _title(kind: str, language: str) -> str:
    with translation.override(language):
        return {
            "count": gettext("Progress to the goal"),
            "form": gettext("Endorse this statement"),
            "map": gettext("Map of the actions"),
        }[kind]


def snippet(kind: str, src: str, title: str, base_url: str | None = None) -> str:
    return format_html(
        '<iframe src="{}" title="{}" data-convoca-embed width="100%" height="{}" style="border:0;max-width:100%" '
        'loading="lazy"></iframe>\n<script src="{}" async></script>',
        src,
        title,
        HEIGHTS[kind],
        script_url(base_url),
    )


def widgets(
    campaign: Campaign,
    statement: Statement | None,
    partner: Partner | str | None,
    language: str,
    base_url: str | None = None,
) -> list[Widget]:
    """The widgets for a statement (count and form) and its campaign (map), in `language`, with the
    partner's code; without a statement, only the map."""
    base = (base_url or settings.CONVOCA.base_url).rstrip("/")
    code = partner.code if isinstance(partner, Partner) else (partner or "")
    language = language if language in languages.CODES else campaign.default_language
    found = []
    for kind in KINDS:
        if kind != "map" and statement is None:
            continue
        path = embed_path(kind, campaign, statement, code, language)
        title = _title(kind, language)
        found.append(Widget(kind, path, title, snippet(kind, base + path, title, base)))
    return found


def snippets(
    campaign: Campaign,
    statement: Statement | None,
    partner: Partner | str | None,
    language: str,
    base_url: str | None = None,
) -> dict[str, str]:
    """{"count": html, "form": html, "map": html}: what a partner pastes into its page."""
    return {widget.kind: widget.snippet for widget in widgets(campaign, statement, partner, language, base_url)}


def choose(campaign: Campaign, params) -> dict:
    """The staff page's choices (`?statement=slug&language=code&partner=code`), defaults filled in."""
    statements = list(Statement.objects.filter(campaign=campaign, published=True).order_by("-opens_at", "id"))
    partners = list(campaign.partners.all())
    statement = next(
        (s for s in statements if s.slug == params.get("statement")), statements[0] if statements else None
    )
    partner = next((p for p in partners if p.code == params.get("partner")), None)
    language = params.get("language")
    if language not in languages.CODES:
        language = campaign.default_language
    return {
        "statements": statements,
        "partners": partners,
        "languages": languages.REGISTRY,
        "statement": statement,
        "partner": partner,
        "language": language,
    }
