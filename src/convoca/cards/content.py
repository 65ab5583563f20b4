"""What each share card says, its version, and the rendered PNG kept in the cache.

A card's URL carries a version: the count's bucket and a hash of everything drawn. Social networks
fetch `og:image` once and keep it, so when the count moves to another bucket the page names a new
URL and they fetch again; between buckets the URL, and so every cache's copy, stays the same.
Counts are bucketed to two significant digits (1,234 → 1,200), so a viral statement has a new
card every few percent, not on every signature: each card is drawn once per (object, language,
version) and kept in Django's cache (shared through Redis when REDIS_URL is set).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from convoca.actions.models import Action
from convoca.campaigns.models import Campaign
from convoca.cards import render
from convoca.cards.render import Card, Text
from convoca.core import l10n
from convoca.statements import domain
from convoca.statements.models import Statement

KEEP = 30 * 24 * 3600  # seconds a rendered card stays in the cache; a new version is a new key
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_UNKNOWN = object()


def bucket(count: int) -> int:
    """`count` rounded down to two significant digits: 7 → 7, 57 → 57, 1,234 → 1,200, 98,765 → 98,000."""
    if count < 100:
        return max(0, count)
    scale = 10 ** (len(str(count)) - 2)
    return count // scale * scale


def shown(count: int, language: str) -> str:
    """The bucketed count as the card writes it: exact below 100, "1,200+" above."""
    rounded = bucket(count)
    number = l10n.format_number(rounded, language)
    return number if rounded < 100 else f"{number}+"


def accent(campaign: Campaign) -> str:
    """The campaign's accent colour if the model has one (a `#rrggbb` field), else Convoca's."""
    for name in ("accent_color", "accent_colour", "accent"):
        value = getattr(campaign, name, "")
        if isinstance(value, str) and _COLOUR.fullmatch(value):
            return value
    return render.DEFAULT_ACCENT


def site_name() -> str:
    return urlsplit(settings.CONVOCA.base_url).netloc


@dataclass(frozen=True)
class Version:
    card: Card
    kind: str  # "s", "a" or "c"
    key: str  # the object: a slug or an id
    bucket: int

    @property
    def digest(self) -> str:
        drawn = json.dumps(asdict(self.card), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(drawn.encode()).hexdigest()[:12]

    @property
    def name(self) -> str:
        """The URL's version: `1200-3f2a…`, the bucket first so a person reading logs sees it move."""
        return f"{self.bucket}-{self.digest}"

    def png(self) -> bytes:
        cache_key = f"cards:{self.kind}:{self.key}:{self.card.language}:{self.name}"
        data = cache.get(cache_key)
        if data is None:
            data = render.png(self.card)
            cache.set(cache_key, data, KEEP)
        return data


def statement_card(
    statement: Statement, language: str, revision=_UNKNOWN, total: int | None = None, campaign_text=_UNKNOWN
) -> Version:
    """The statement page passes what it has already read (its revision, count and campaign text)."""
    with translation.override(language):
        if revision is _UNKNOWN:
            revision = domain.latest_revision(statement, language)
        if campaign_text is _UNKNOWN:
            campaign_text = statement.campaign.text(language)
        if total is None:
            total = domain.counts(statement).total
        rounded = bucket(total)
        figure = ngettext("%(shown)s endorsement", "%(shown)s endorsements", rounded) % {
            "shown": shown(total, language)
        }
        goal = statement.goal
        card = Card(
            language=language,
            kicker=Text(campaign_text.title, campaign_text.language) if campaign_text else None,
            title=Text(revision.title if revision else statement.slug, revision.language if revision else language),
            figure=Text(figure, language),
            note=Text(_("Goal: %(goal)s") % {"goal": l10n.format_number(goal, language)}, language) if goal else None,
            progress=min(1.0, rounded / goal) if goal else None,
            site=site_name(),
            accent=accent(statement.campaign),
        )
    return Version(card, "s", statement.slug, rounded)


def when(action: Action, language: str) -> str:
    """The start in the action's own time, as the action page writes it, with the zone."""
    return f"{l10n.format_when(action.starts_at, action.timezone, language)} ({action.timezone})"


def where(action: Action, language: str) -> str:
    with translation.override(language):
        if action.online:
            return _("Online")
        parts = [action.venue, action.city, l10n.country_name(action.country, language) if action.country else ""]
        return l10n.separator(language).join(part for part in parts if part)


def action_card(action: Action, language: str) -> Version:
    with translation.override(language):
        campaign_text = action.campaign.text(language)
        kind = str(action.get_kind_display())
        kicker = f"{kind[:1].upper()}{kind[1:]}"
        if campaign_text:
            kicker = f"{kicker} · {campaign_text.title}"
        going = action.rsvps_confirmed
        rounded = bucket(going)
        figure = None
        if going:
            figure = ngettext("%(counter)s person is coming.", "%(counter)s people are coming.", rounded) % {
                "counter": shown(going, language)
            }
        card = Card(
            language=language,
            kicker=Text(kicker, campaign_text.language if campaign_text else language),
            title=Text(action.title, action.language),
            details=(Text(when(action, language), language), Text(where(action, language), language)),
            figure=Text(figure, language) if figure else None,
            site=site_name(),
            accent=accent(action.campaign),
            title_lines=3,
        )
    return Version(card, "a", str(action.pk), rounded)


def campaign_card(campaign: Campaign, language: str, count: int) -> Version:
    """The actions list page's card: the campaign's name and how many local actions it has."""
    with translation.override(language):
        campaign_text = campaign.text(language)
        rounded = bucket(count)
        title = Text(campaign_text.title, campaign_text.language) if campaign_text else Text(campaign.slug, language)
        details = ()
        if campaign_text and campaign_text.description:
            details = (Text(" ".join(campaign_text.description.split()), campaign_text.language),)
        figure = ngettext("%(count)s local action", "%(count)s local actions", rounded) % {
            "count": shown(count, language)
        }
        card = Card(
            language=language,
            kicker=Text(_("Local actions"), language),
            title=title,
            details=details,
            figure=Text(figure, language),
            site=site_name(),
            accent=accent(campaign),
            title_lines=3,
        )
    return Version(card, "c", campaign.slug, rounded)
