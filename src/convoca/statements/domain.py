"""What can happen to a statement: endorse, confirm, approve or reject, count.

HTML views, the API and the worker all call these functions; they hold the rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from convoca.core import crypto, mail
from convoca.core.memo import Memo
from convoca.statements import intake, names
from convoca.statements.models import Counter, CountEvent, Endorsement, Revision, Statement

TOKEN_LIFETIME = timedelta(days=7)
CONFIRM_PURPOSE = "confirm"
WITHDRAW_PURPOSE = "withdraw"


class StatementClosed(Exception):
    pass


@dataclass(frozen=True)
class Counts:
    people: int = 0
    organizations: int = 0

    @property
    def total(self) -> int:
        return self.people + self.organizations


def latest_revision(statement: Statement, language: str) -> Revision | None:
    """The newest revision in `language`, else in the campaign's default language, else any."""
    wanted = [language, statement.campaign.default_language]
    revisions = Revision.objects.filter(statement=statement, language__in=wanted).order_by("-created_at", "-id")
    by_language = {}
    for revision in revisions:
        by_language.setdefault(revision.language, revision)
    for code in wanted:
        if code in by_language:
            return by_language[code]
    return Revision.objects.filter(statement=statement).order_by("-created_at", "-id").first()


# The sign-up path reads the statement and its latest revision on every request; both change
# rarely, so each app process keeps them for one count interval (a closed or unpublished statement
# may take that long to refuse sign-ups; closing times themselves are checked on every request).
_statements = Memo(lambda: settings.CONVOCA.count_interval)
_revisions = Memo(lambda: settings.CONVOCA.count_interval)


def published_statement(slug: str) -> Statement | None:
    return _statements.get(
        slug, lambda: Statement.objects.select_related("campaign").filter(slug=slug, published=True).first()
    )


def current_revision(statement: Statement, language: str) -> Revision | None:
    return _revisions.get((statement.pk, language), lambda: latest_revision(statement, language))


def revision_seen(statement: Statement, revision_id: int | None, language: str) -> Revision | None:
    """The revision a signer read: the one the form carried, if it is this statement's, else the latest."""
    if revision_id:
        revision = Revision.objects.filter(pk=revision_id, statement=statement).first()
        if revision is not None:
            return revision
    return latest_revision(statement, language)


# Partner codes (campaigns.Partner) a sign-up may carry as `?source=`: read once per count interval
# per campaign, so attributing a sign-up adds no query to the intake path.
_partner_codes = Memo(lambda: settings.CONVOCA.count_interval)
SOURCE_MAX_LENGTH = 40


def partner_codes(campaign_id: int) -> frozenset[str]:
    from convoca.campaigns.models import Partner

    return _partner_codes.get(
        campaign_id,
        lambda: frozenset(Partner.objects.filter(campaign_id=campaign_id).values_list("code", flat=True)),
    )


def partner_source(campaign_id: int, value) -> str:
    """`value` if it is one of the campaign's partner codes, else "" (unknown or malformed codes are
    ignored: a sign-up is never refused or told apart because of where its link came from)."""
    if not isinstance(value, str) or not value or len(value) > SOURCE_MAX_LENGTH:
        return ""
    return value if value in partner_codes(campaign_id) else ""


def available_languages(statement: Statement) -> list[str]:
    present = set(Revision.objects.filter(statement=statement).values_list("language", flat=True))
    ordered = [code for code in statement.campaign.languages if code in present]
    return ordered + sorted(present - set(ordered))


# Tokens are derived from the statement and a random nonce, not from the row's id, so that an
# endorsement is written with a single INSERT (the intake's hot path; docs/benchmarks.md).
def confirm_token(endorsement: Endorsement) -> str:
    return crypto.derived_token(CONFIRM_PURPOSE, endorsement.statement_id, endorsement.token_nonce)


def withdraw_token(endorsement: Endorsement) -> str:
    return crypto.derived_token(WITHDRAW_PURPOSE, endorsement.statement_id, endorsement.token_nonce)


def _set_token(endorsement: Endorsement, now) -> None:
    endorsement.token_nonce = crypto.new_nonce()
    endorsement.confirm_expires_at = now + TOKEN_LIFETIME
    endorsement.confirm_token_hash = crypto.token_hash(confirm_token(endorsement))
    endorsement.withdraw_token_hash = crypto.token_hash(withdraw_token(endorsement))


def _scope(endorsement: Endorsement) -> str:
    return intake.mail_scope(endorsement.statement_id)


def _enqueue(endorsement: Endorsement, kind: str) -> None:
    mail.enqueue(
        kind,
        recipient_hash=endorsement.email_hash,
        scope=_scope(endorsement),
        language=endorsement.language,
        context={"endorsement": endorsement.pk},
    )


def endorse(statement: Statement, data: dict, language: str, revision: Revision | None, verdict=None) -> None:
    """Record an endorsement (or recognise a repeated one) and queue the right mail.

    The answer is the same either way, so nobody can test whether an address has signed. A
    repeat never changes the stored data: only the holder of the mailbox can act on it.
    `verdict` is the gate's (convoca.gate.lanes): the lane taken and whether the sign-up is held.
    `data["source"]`, a partner code, is recorded only if it is one of the campaign's; a repeat keeps
    the source of the first sign-up.
    """
    from convoca.gate import disposable, lanes

    if not statement.is_open():
        raise StatementClosed
    now = timezone.now()
    verdict = verdict or lanes.Verdict()
    email_hash = crypto.email_hash(data["email"])
    kind = data["kind"]
    shown_name = data.get("organization") if kind == Endorsement.Kind.ORGANIZATION else data["name"]
    endorsement = Endorsement(
        statement=statement,
        kind=kind,
        name=data["name"],
        role=data.get("role") or "",
        email=data["email"],
        email_hash=email_hash,
        city=data.get("city") or "",
        country=data["country"],
        organization=data.get("organization") or "",
        website=data.get("website") or "",
        language=language,
        revision=revision,
        consent_count_at=now,
        consent_public=bool(data.get("public")),
        consent_public_at=now if data.get("public") else None,
        consent_updates=bool(data.get("updates")),
        consent_updates_at=now if data.get("updates") else None,
        review=Endorsement.Review.PENDING if kind == Endorsement.Kind.ORGANIZATION else Endorsement.Review.NOT_NEEDED,
        lane=verdict.lane,
        hold=Endorsement.Hold.HELD if verdict.held else Endorsement.Hold.NONE,
        wave=verdict.wave,
        disposable=disposable.is_disposable(data["email"]),
        name_hidden=names.needs_review(shown_name or ""),
        source=partner_source(statement.campaign_id, data.get("source")),
    )
    _set_token(endorsement, now)
    alerts = [
        ("domain", disposable.domain_of(data["email"]), settings.CONVOCA.domain_alert_rate),
        ("statement", statement.slug, settings.CONVOCA.statement_alert_rate),
    ]
    if intake.record(endorsement, alerts):
        return
    # The same address has endorsed this statement in this capacity before.
    with transaction.atomic():
        # The row lock serialises concurrent repeats, so the daily mail cap holds under load.
        existing = (
            Endorsement.objects.select_for_update()
            .filter(statement=statement, kind=kind, email_hash=email_hash)
            .first()
        )
        if existing is None:  # erased between our insert and now; rare enough to just retry once
            return endorse(statement, data, language, revision, verdict)
        if existing.confirmed_at is not None:
            _enqueue(existing, "statements.already_counted")
            return
        if existing.confirm_expires_at <= now:
            _set_token(existing, now)
            existing.save(
                update_fields=["token_nonce", "confirm_expires_at", "confirm_token_hash", "withdraw_token_hash"]
            )
        _enqueue(existing, "statements.confirm")


def imported_endorsement(statement: Statement, data: dict, *, confirmed: bool, now=None) -> Endorsement:
    """An endorsement collected elsewhere (convoca.imports), built as `endorse` builds one but not saved.

    `data` holds the fields of `endorse` plus `language` and `source`. Consents are what the file
    says (the importer defaults them to no). When `confirmed` (the coordinator vouches that the
    original collector verified the address), it is confirmed now, with its public fields and
    `counted` set as a confirmation sets them; `add_imported` writes its count event.
    """
    from convoca.gate import disposable

    now = now or timezone.now()
    kind = data["kind"]
    shown_name = data.get("organization") if kind == Endorsement.Kind.ORGANIZATION else data["name"]
    endorsement = Endorsement(
        statement=statement,
        kind=kind,
        name=data["name"],
        email=data["email"],
        email_hash=crypto.email_hash(data["email"]),
        city=data.get("city") or "",
        country=data["country"],
        organization=data.get("organization") or "",
        language=data["language"],
        consent_count_at=now,
        consent_public=bool(data.get("public")),
        consent_public_at=now if data.get("public") else None,
        consent_updates=bool(data.get("updates")),
        consent_updates_at=now if data.get("updates") else None,
        review=Endorsement.Review.PENDING if kind == Endorsement.Kind.ORGANIZATION else Endorsement.Review.NOT_NEEDED,
        disposable=disposable.is_disposable(data["email"]),
        name_hidden=names.needs_review(shown_name or ""),
        source=data.get("source") or "",
        origin=Endorsement.Origin.IMPORT,
        confirmed_at=now if confirmed else None,
    )
    _set_token(endorsement, now)
    _public_fields(endorsement)
    endorsement.counted = endorsement.should_count
    return endorsement


def add_imported(endorsements: list[Endorsement], *, send_confirmation: bool = False) -> list[Endorsement]:
    """Insert endorsements built by `imported_endorsement`, inside the caller's transaction.

    An address already present for the same statement and kind is left alone: the unique
    constraint decides (ON CONFLICT DO NOTHING on both databases), so a sign-up racing with the
    import is never doubled. Each inserted endorsement that counts gets its +1 count event, as a
    confirmation writes; unconfirmed ones get a confirmation mail only if `send_confirmation`.
    Returns the endorsements actually inserted, with their ids.
    """
    if not endorsements:
        return []
    # Duplicates within the list would make one insert conflict with itself: keep the first.
    unique = list({(e.statement_id, e.kind, e.email_hash): e for e in reversed(endorsements)}.values())[::-1]
    created = [unique[index] for index in sorted(intake.insert_new(unique))]
    created.sort(key=lambda endorsement: endorsement.pk)
    _count_once_each([endorsement for endorsement in created if endorsement.counted])
    if send_confirmation:
        for endorsement in created:
            if endorsement.confirmed_at is None:
                _enqueue(endorsement, "statements.confirm")
    return created


def _insert(connection, head: str, rows: list, tail: str = "") -> None:
    """One prepared statement for many rows (executemany: pipelined by psycopg on PostgreSQL).
    `head` and `tail` hold names from the models only; every value is a bound parameter."""
    slots = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    with connection.cursor() as cursor:
        cursor.executemany(f"{head} {slots}{tail}", rows)


def _count_once_each(endorsements: list[Endorsement]) -> None:
    """A +1 count event per endorsement, as `_sync_count` writes for one, in one executemany."""
    if not endorsements:
        return
    connection = connections[router.db_for_write(CountEvent)]
    quote = connection.ops.quote_name
    created_at = CountEvent._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    columns = "statement_id, kind, country, delta, created_at, folded"
    head = f"INSERT INTO {quote(CountEvent._meta.db_table)} ({columns}) VALUES"
    _insert(connection, head, [(e.statement_id, e.kind, e.country, 1, created_at, False) for e in endorsements])


def find_by_token(token: str) -> Endorsement | None:
    if not token or len(token) > 100:
        return None
    endorsement = (
        Endorsement.objects.select_related("statement__campaign")
        .filter(confirm_token_hash=crypto.token_hash(token))
        .first()
    )
    if endorsement is None:
        return None
    if endorsement.confirmed_at is None and endorsement.confirm_expires_at <= timezone.now():
        return None
    return endorsement


def _sync_count(endorsement: Endorsement) -> None:
    """Write the count event that brings `counted` in line with the endorsement's state."""
    should = endorsement.should_count
    if should == endorsement.counted:
        return
    CountEvent.objects.create(
        statement_id=endorsement.statement_id,
        kind=endorsement.kind,
        country=endorsement.country,
        delta=1 if should else -1,
    )
    endorsement.counted = should


def _public_fields(endorsement: Endorsement) -> None:
    if endorsement.confirmed_at is None:
        endorsement.public_name = endorsement.public_city = ""
    elif endorsement.hold == Endorsement.Hold.REJECTED:
        endorsement.public_name = endorsement.public_city = ""
    elif endorsement.kind == Endorsement.Kind.PERSON:
        listed = endorsement.consent_public and not endorsement.name_hidden
        endorsement.public_name = endorsement.name if listed else ""
        endorsement.public_city = endorsement.city if listed else ""
    else:
        approved = endorsement.review == Endorsement.Review.APPROVED
        endorsement.public_name = endorsement.organization if approved and not endorsement.name_hidden else ""
        endorsement.public_city = ""


def settle(endorsement: Endorsement, *changed: str) -> None:
    """Bring public fields and the count in line with the endorsement's state, and save."""
    _public_fields(endorsement)
    _sync_count(endorsement)
    endorsement.save(update_fields=[*changed, "public_name", "public_city", "counted"])


def confirm(token: str) -> Endorsement | None:
    """Confirm the endorsement behind `token`. Idempotent: confirming twice changes nothing.

    One locking read finds and locks the row (only the endorsement's: `of`), where a lookup and
    then a second locked read cost twice the query work on every confirmation."""
    if not token or len(token) > 100:
        return None
    with transaction.atomic():
        endorsement = (
            Endorsement.objects.select_for_update(of=("self",))
            .select_related("statement__campaign")
            .filter(confirm_token_hash=crypto.token_hash(token))
            .first()
        )
        if endorsement is None:
            return None
        if endorsement.confirmed_at is None:
            now = timezone.now()
            if endorsement.confirm_expires_at <= now:
                return None
            endorsement.confirmed_at = now
            settle(endorsement, "confirmed_at")
        return endorsement


def review(endorsement_ids, verdict: str, user, reason: str = "") -> int:
    """Approve or reject organizations; each decision is recorded. Returns how many changed."""
    from convoca.moderation.domain import record_decision

    target = Endorsement.Review.APPROVED if verdict == "approve" else Endorsement.Review.REJECTED
    changed = 0
    with transaction.atomic():
        for endorsement in Endorsement.objects.select_for_update().filter(
            pk__in=list(endorsement_ids), kind=Endorsement.Kind.ORGANIZATION
        ):
            record_decision(endorsement, verdict, user, reason)
            if endorsement.review == target:
                continue
            endorsement.review = target
            settle(endorsement, "review")
            changed += 1
    return changed


class AlreadyDecided(Exception):
    pass


def decide_organization(endorsement_id: int, verdict: str, user, reason: str = "") -> Endorsement:
    """One moderator's decision on one organization; a second decision is refused."""
    from convoca.moderation.domain import record_decision

    with transaction.atomic():
        endorsement = Endorsement.objects.select_for_update().get(pk=endorsement_id, kind=Endorsement.Kind.ORGANIZATION)
        if endorsement.review != Endorsement.Review.PENDING:
            raise AlreadyDecided(endorsement.review)
        record_decision(endorsement, verdict, user, reason)
        endorsement.review = Endorsement.Review.APPROVED if verdict == "approve" else Endorsement.Review.REJECTED
        settle(endorsement, "review")
    return endorsement


def find_by_withdraw_token(token: str) -> Endorsement | None:
    if not token or len(token) > 100:
        return None
    return (
        Endorsement.objects.select_related("statement__campaign")
        .filter(withdraw_token_hash=crypto.token_hash(token))
        .first()
    )


def withdraw(token: str) -> Statement | None:
    """The signer withdraws: their data is erased at once, and the count corrected."""
    endorsement = find_by_withdraw_token(token)
    if endorsement is None:
        return None
    statement = endorsement.statement
    erase(endorsement)
    return statement


def erase(endorsement: Endorsement) -> None:
    """Erase an endorsement's personal data: the row goes, a −1 event keeps the count right."""
    with transaction.atomic():
        locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
        if locked.counted:
            locked.confirmed_at = None
            _sync_count(locked)
        locked.delete()


def fold_counts(batch: int = 5000) -> int:
    """Add unfolded count events into the counters; return how many events were folded.

    Rows are locked with SKIP LOCKED (PostgreSQL) or under SQLite's single writer, so two folders
    never fold the same event, and writers only ever insert events: none waits on a hot row.
    """
    folded = 0
    while True:
        with transaction.atomic():
            events = list(
                CountEvent.objects.select_for_update(skip_locked=True)
                .filter(folded=False)
                .order_by("id")
                .values_list("id", "statement_id", "country", "kind", "delta")[:batch]
            )
            if not events:
                return folded
            sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
            for _id, statement_id, country, kind, delta in events:
                slot = 0 if kind == Endorsement.Kind.PERSON else 1
                sums[(statement_id, country)][slot] += delta
                sums[(statement_id, "")][slot] += delta
            for (statement_id, country), (people, organizations) in sorted(sums.items()):
                counter, _created = Counter.objects.get_or_create(statement_id=statement_id, country=country)
                Counter.objects.filter(pk=counter.pk).update(
                    people=F("people") + people, organizations=F("organizations") + organizations
                )
            CountEvent.objects.filter(id__in=[event[0] for event in events]).update(folded=True)
            folded += len(events)
        if len(events) < batch:
            return folded


def counts(statement: Statement) -> Counts:
    counter = Counter.objects.filter(statement=statement, country="").first()
    return Counts(counter.people, counter.organizations) if counter else Counts()


def counts_for(statement_ids) -> dict[int, Counts]:
    rows = Counter.objects.filter(statement_id__in=list(statement_ids), country="")
    return {row.statement_id: Counts(row.people, row.organizations) for row in rows}


SMALL_COUNTRY = 3  # fewer visible endorsers than this: shown under "other countries"


def listed_countries(statement: Statement) -> set[str]:
    """Countries with enough visible endorsers to be named on public lists; the rest are merged,
    so that a handful of people from one country cannot be singled out."""
    from django.core.cache import cache
    from django.db.models import Count

    key = f"listed-countries:{statement.pk}"
    listed = cache.get(key)
    if listed is None:  # a GROUP BY over the public list: at most once per count interval, not per view
        listed = set(
            public_endorsements(statement)
            .order_by()
            .values("country")
            .annotate(n=Count("id"))
            .filter(n__gte=SMALL_COUNTRY)
            .values_list("country", flat=True)
        )
        cache.set(key, listed, settings.CONVOCA.count_interval)
    return listed


def public_endorsements(statement: Statement, query: str = ""):
    """Confirmed people who consented to be listed and approved organizations."""
    endorsements = (
        Endorsement.objects.filter(statement=statement, confirmed_at__isnull=False)
        .exclude(public_name="")
        .only("kind", "public_name", "public_city", "country", "organization", "confirmed_at")
        .order_by("country", "kind", "public_name", "id")
    )
    if query:
        endorsements = endorsements.filter(public_name__icontains=query[:100])
    return endorsements


def forget_unconfirmed(days: int) -> int:
    """Unconfirmed endorsements older than `days` are deleted (they were never counted)."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Endorsement.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def forget_after_closing(days: int) -> int:
    """`days` after a statement closes, its endorsers' personal data goes; counts and the public names
    people consented to remain. Returns how many endorsements were cleared."""
    cutoff = timezone.now() - timedelta(days=days)
    cleared = 0
    closed = Endorsement.objects.filter(statement__closes_at__lt=cutoff).exclude(email="")
    for endorsement in closed.iterator(chunk_size=500):
        endorsement.name = endorsement.email = endorsement.city = endorsement.role = ""
        endorsement.email_hash = f"erased-{endorsement.pk}"  # no longer says whether an address signed
        endorsement.consent_updates = False
        endorsement.save(update_fields=["name", "email", "email_hash", "city", "role", "consent_updates"])
        cleared += 1
    return cleared


def decide_wave(wave: str, verdict: str, user, reason: str = "") -> int:
    """A moderator releases or rejects a held wave (sign-ups over one address's limits on one day).
    Rejected sign-ups stop counting, confirmed or not; released ones count once confirmed, as they
    would have anyway. Returns how many endorsements changed."""
    from convoca.moderation.domain import record_decision

    assert verdict in ("reject", "release")
    target = Endorsement.Hold.REJECTED if verdict == "reject" else Endorsement.Hold.RELEASED
    changed = 0
    with transaction.atomic():
        for endorsement in Endorsement.objects.select_for_update().filter(wave=wave).exclude(wave=""):
            if endorsement.hold == target:
                continue
            record_decision(endorsement, verdict, user, reason or f"wave {wave}")
            endorsement.hold = target
            settle(endorsement, "hold")
            changed += 1
    return changed


def hide_names(endorsement_ids, hidden: bool, user, reason: str = "") -> int:
    """Keep names off (or put them back on) public lists. Never changes the count."""
    from convoca.moderation.domain import record_decision

    changed = 0
    with transaction.atomic():
        for endorsement in Endorsement.objects.select_for_update().filter(pk__in=list(endorsement_ids)):
            if endorsement.name_hidden == hidden:
                continue
            record_decision(endorsement, "hide" if hidden else "show", user, reason)
            endorsement.name_hidden = hidden
            settle(endorsement, "name_hidden")
            changed += 1
    return changed
