"""The figures a coordinator watches, per campaign. Counts follow the public count's rules: an
endorsement counts when `counted` is set (confirmed; an organization approved; not in a rejected
wave), which is what the count events fold into the public counters; withdrawn ones are gone."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone
from django_countries import countries

from convoca.actions.models import Action
from convoca.campaigns.models import Campaign, Partner
from convoca.core import l10n
from convoca.gate.models import Alert
from convoca.moderation import queue
from convoca.statements import domain
from convoca.statements.models import Endorsement, Statement

HOURS = 48
RECENT = 12
PERSON, ORGANIZATION = Endorsement.Kind.PERSON, Endorsement.Kind.ORGANIZATION
SORTS = ("country", "people", "organizations", "total", "actions")


def counted(campaign: Campaign):
    return Endorsement.objects.filter(statement__campaign=campaign, counted=True)


def _series(rows, key: str) -> dict:
    series: dict = defaultdict(lambda: {"people": 0, "organizations": 0})
    for row in rows:
        slot = "people" if row["kind"] == PERSON else "organizations"
        series[row[key]][slot] += row["n"]
    return series


def by_hour(campaign: Campaign, now: datetime | None = None) -> list[dict]:
    """The last 48 hours, one entry per hour (UTC), empty hours included."""
    now = (now or timezone.now()).astimezone(UTC)
    last = now.replace(minute=0, second=0, microsecond=0)
    first = last - timedelta(hours=HOURS - 1)
    rows = (
        counted(campaign)
        .filter(confirmed_at__gte=first)
        .annotate(hour=TruncHour("confirmed_at", tzinfo=UTC))
        .values("hour", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    series = _series(rows, "hour")
    hours = [first + timedelta(hours=i) for i in range(HOURS)]
    return [{"t": hour.isoformat(), **series.get(hour, {"people": 0, "organizations": 0})} for hour in hours]


def by_day(campaign: Campaign, now: datetime | None = None) -> list[dict]:
    """Every day (UTC) from the first confirmation to today, empty days included."""
    now = (now or timezone.now()).astimezone(UTC)
    rows = (
        counted(campaign)
        .annotate(day=TruncDate("confirmed_at", tzinfo=UTC))
        .values("day", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    series = _series(rows, "day")
    if not series:
        return []
    day, today = min(series), max(max(series), now.date())
    days = []
    while day <= today:
        days.append({"t": day.isoformat(), **series.get(day, {"people": 0, "organizations": 0})})
        day += timedelta(days=1)
    return days


def by_country(campaign: Campaign, sort: str = "total", descending: bool = True, language: str | None = None):
    """Counted endorsements and approved actions per country, sorted."""
    table: dict = defaultdict(lambda: {"people": 0, "organizations": 0, "actions": 0})
    for row in counted(campaign).values("country", "kind").annotate(n=Count("id")).order_by():
        table[row["country"]]["people" if row["kind"] == PERSON else "organizations"] += row["n"]
    actions = (
        Action.objects.filter(campaign=campaign, state=Action.State.APPROVED)
        .exclude(country="")
        .values("country")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in actions:
        table[row["country"]]["actions"] += row["n"]
    rows = [
        {
            "code": code,
            "numeric": f"{countries.numeric(code) or 0:03d}",
            "name": l10n.country_name(code, language),
            **values,
            "total": values["people"] + values["organizations"],
        }
        for code, values in table.items()
        if code
    ]
    sort = sort if sort in SORTS else "total"
    if sort == "country":
        rows.sort(key=lambda row: l10n.sort_key(row["name"]), reverse=descending)
    else:  # ties by name, always A→Z
        rows.sort(key=lambda row: l10n.sort_key(row["name"]))
        rows.sort(key=lambda row: row[sort], reverse=descending)
    return rows


def by_partner(campaign: Campaign) -> list[dict]:
    """Sign-ups per partner code: all of them (confirmed or not) and those counted; then "no
    partner", then codes that match no partner of the campaign (a typo in a link, a deleted partner)."""
    rows = (
        Endorsement.objects.filter(statement__campaign=campaign)
        .values("source")
        .annotate(all=Count("id"), counted=Count("id", filter=Q(counted=True)))
        .order_by()
    )
    found = {row["source"]: row for row in rows}
    empty = {"all": 0, "counted": 0}

    def entry(pk, code, name, kind, row):
        return {"id": pk, "code": code, "name": name, "kind": kind, "all": row["all"], "counted": row["counted"]}

    result = [
        entry(partner.pk, partner.code, partner.name, "partner", found.pop(partner.code, empty))
        for partner in Partner.objects.filter(campaign=campaign).order_by("name")
    ]
    result.append(entry(None, "", "", "none", found.pop("", empty)))
    result.extend(entry(None, code, "", "unknown", found[code]) for code in sorted(found))
    return result


def backlog(campaign: Campaign) -> dict:
    statements = Statement.objects.filter(campaign=campaign)
    slugs = list(statements.values_list("slug", flat=True))
    return {
        "organizations": queue.pending_organizations().filter(statement__campaign=campaign).count(),
        "actions": queue.pending_actions().filter(campaign=campaign).count(),
        "held_waves": Endorsement.objects.filter(statement__campaign=campaign, hold=Endorsement.Hold.HELD)
        .exclude(wave="")
        .values("wave")
        .distinct()
        .count(),
        "alerts": alerts(slugs).count(),
    }


def alerts(statement_slugs):
    """Unseen alerts about the campaign's statements, and every unseen e-mail-domain alert (a
    domain surge is not tied to one campaign)."""
    return Alert.objects.filter(seen=False).filter(
        Q(kind=Alert.Kind.DOMAIN) | Q(kind=Alert.Kind.STATEMENT, subject__in=list(statement_slugs))
    )


def recent(campaign: Campaign, limit: int = RECENT) -> list[dict]:
    """The latest confirmations and actions, with what moderators already see on public lists and
    in the queue: kind, country, the public name if any, the partner code. Never an address."""
    items = []
    confirmations = (
        Endorsement.objects.filter(statement__campaign=campaign, confirmed_at__isnull=False)
        .select_related("statement")
        .only("kind", "country", "public_name", "source", "confirmed_at", "counted", "review", "statement__slug")
        .order_by("-confirmed_at", "-id")[:limit]
    )
    for endorsement in confirmations:
        items.append({
            "at": endorsement.confirmed_at, "type": "endorsement", "kind": endorsement.kind,
            "country": endorsement.country, "name": endorsement.public_name, "statement": endorsement.statement.slug,
            "source": endorsement.source, "counted": endorsement.counted, "review": endorsement.review,
        })  # fmt: skip
    actions = (
        Action.objects.filter(campaign=campaign)
        .exclude(state=Action.State.UNVERIFIED)
        .only("title", "country", "city", "state", "created_at", "verified_at", "language")
        .order_by("-created_at", "-id")[:limit]
    )
    for action in actions:
        items.append({
            "at": action.verified_at or action.created_at, "type": "action", "title": action.title,
            "country": action.country, "city": action.city, "state": action.state, "id": action.pk,
            "language": action.language,
        })  # fmt: skip
    items.sort(key=lambda item: item["at"], reverse=True)
    return items[:limit]


def statements(campaign: Campaign) -> list[dict]:
    rows = list(Statement.objects.filter(campaign=campaign).order_by("-opens_at", "slug"))
    public = domain.counts_for([statement.pk for statement in rows])
    live = {
        row["statement"]: row
        for row in Endorsement.objects.filter(statement__campaign=campaign)
        .values("statement")
        .annotate(
            people=Count("id", filter=Q(counted=True, kind=PERSON)),
            organizations=Count("id", filter=Q(counted=True, kind=ORGANIZATION)),
            unconfirmed=Count("id", filter=Q(confirmed_at__isnull=True)),
        )
        .order_by()
    }
    result = []
    for statement in rows:
        row = live.get(statement.pk, {"people": 0, "organizations": 0, "unconfirmed": 0})
        result.append({
            "statement": statement, "people": row["people"], "organizations": row["organizations"],
            "total": row["people"] + row["organizations"], "unconfirmed": row["unconfirmed"],
            "public": public.get(statement.pk, domain.Counts()).total,
        })  # fmt: skip
    return result


def totals(campaign: Campaign) -> dict:
    row = counted(campaign).aggregate(
        people=Count("id", filter=Q(kind=PERSON)), organizations=Count("id", filter=Q(kind=ORGANIZATION))
    )
    public = sum(count.total for count in domain.counts_for(campaign.statements.values_list("pk", flat=True)).values())
    return {**row, "total": row["people"] + row["organizations"], "public": public}
