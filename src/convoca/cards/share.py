"""What a page tells link previews (Open Graph and Twitter meta tags) and its share links.

Share links are plain links to each network's own "share this" address: no script of theirs is
loaded, no pixel, nothing is sent to them unless the visitor clicks. A partner's `?source=` code
stays on the shared link when it names a partner of the page's campaign, so people who come
through the shared link are counted for that partner.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from convoca.actions.models import Action
from convoca.campaigns.models import Campaign, Partner
from convoca.cards import content, render
from convoca.statements.models import Revision, Statement

DESCRIPTION_CHARS = 200

# og:locale wants language_TERRITORY; these are the forms the big networks know.
OG_LOCALES = {
    "en": "en_US",
    "es": "es_ES",
    "fr": "fr_FR",
    "pt": "pt_BR",
    "de": "de_DE",
    "it": "it_IT",
    "tr": "tr_TR",
    "ar": "ar_AR",
    "ur": "ur_PK",
}


@dataclass(frozen=True)
class Link:
    network: str  # a stable name, for CSS and tests
    name: str  # what the link shows: the network's own name
    label: str  # its accessible name, translated
    href: str


@dataclass
class Share:
    url: str  # the page's absolute address, with the partner's ?source= if any
    title: str
    description: str
    image: str
    image_alt: str
    locale: str
    alternates: list[str] = field(default_factory=list)
    type: str = "website"
    twitter_card: str = "summary_large_image"
    image_type: str = "image/png"
    width: int = render.WIDTH
    height: int = render.HEIGHT

    @property
    def links(self) -> list[Link]:
        both = f"{self.title} {self.url}"
        targets = [
            ("whatsapp", "WhatsApp", "https://wa.me/?" + _query(text=both)),
            ("telegram", "Telegram", "https://t.me/share/url?" + _query(url=self.url, text=self.title)),
            ("x", "X", "https://twitter.com/intent/tweet?" + _query(text=self.title, url=self.url)),
            ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + _query(u=self.url)),
            ("bluesky", "Bluesky", "https://bsky.app/intent/compose?" + _query(text=both)),
        ]
        links = [
            Link(network, name, _("Share on %(network)s (opens in a new tab)") % {"network": name}, href)
            for network, name, href in targets
        ]
        mail = "mailto:?" + _query(subject=self.title, body=f"{self.title}\n\n{self.url}")
        links.append(Link("email", pgettext("share link", "E-mail"), _("Share by e-mail"), mail))
        return links


def _query(**params: str) -> str:
    return urlencode(params, quote_via=quote)


def absolute(path: str) -> str:
    return settings.CONVOCA.base_url + path


def partner_source(request, campaign: Campaign) -> str:
    """The `?source=` code of the request when it is a partner of this campaign, else ""."""
    code = request.GET.get("source", "") if request is not None else ""
    if not code or len(code) > 40:
        return ""
    return code if Partner.objects.filter(campaign=campaign, code=code).exists() else ""


def _page_url(path: str, source: str) -> str:
    return absolute(path) + (f"?{_query(source=source)}" if source else "")


def excerpt(text: str) -> str:
    """Plain text of at most DESCRIPTION_CHARS characters, cut at a word."""
    plain = " ".join(html.unescape(strip_tags(text)).split())
    return Truncator(plain).chars(DESCRIPTION_CHARS)


def _alt(version: content.Version) -> str:
    card = version.card
    parts = [piece.text for piece in (card.kicker, card.title, *card.details, card.figure, card.note) if piece]
    return " · ".join(parts)


def for_statement(
    request, statement: Statement, revision: Revision | None, language: str, total: int, campaign_text, versions
) -> Share:
    """`total`, `campaign_text` and `versions` (the languages it is written in): as the page has them."""
    version = content.statement_card(statement, language, revision, total, campaign_text)
    path = reverse("statements:detail", kwargs={"slug": statement.slug})
    image = reverse("cards:statement", kwargs={"slug": statement.slug, "version": version.name})
    description = excerpt(revision.body_html) if revision else ""
    return Share(
        url=_page_url(path, partner_source(request, statement.campaign)),
        title=version.card.title.text,
        description=description or (campaign_text.title if campaign_text else ""),
        image=absolute(image),
        image_alt=_alt(version),
        locale=OG_LOCALES.get(language, language),
        alternates=[OG_LOCALES.get(item.code, item.code) for item in versions if item.code != language],
        type="article",
    )


def for_action(request, action: Action, language: str) -> Share:
    version = content.action_card(action, language)
    path = reverse("actions:detail", kwargs={"action_id": action.pk})
    image = reverse("cards:action", kwargs={"action_id": action.pk, "version": version.name})
    description = excerpt(action.description)
    summary = f"{content.when(action, language)} · {content.where(action, language)}"
    return Share(
        url=_page_url(path, partner_source(request, action.campaign)),
        title=action.title,
        description=Truncator(f"{summary}. {description}").chars(DESCRIPTION_CHARS),
        image=absolute(image),
        image_alt=_alt(version),
        locale=OG_LOCALES.get(language, language),
    )


def for_campaign(request, campaign: Campaign, language: str, count: int) -> Share:
    version = content.campaign_card(campaign, language, count)
    path = reverse("actions:list", kwargs={"campaign": campaign.slug})
    image = reverse("cards:campaign", kwargs={"campaign": campaign.slug, "version": version.name})
    campaign_text = campaign.text(language)
    return Share(
        url=_page_url(path, partner_source(request, campaign)),
        title=f"{_('Local actions')} · {version.card.title.text}",
        description=excerpt(campaign_text.description) if campaign_text else "",
        image=absolute(image),
        image_alt=_alt(version),
        locale=OG_LOCALES.get(language, language),
    )
