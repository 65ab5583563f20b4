"""The sign-up intake's write: new endorsements and their confirmation mails, group-committed.

`record(endorsement, alerts)` inserts a prepared endorsement (tokens set, nothing saved yet) with
`INSERT … ON CONFLICT DO NOTHING`, queues its confirmation mail in the same transaction and counts
it for the gate's surge alerts. It returns False when the address has endorsed the statement in
this capacity before (the unique constraint), leaving the repeat to the caller. Under threaded
workers many sign-ups share one insert, one mail insert and one commit (core/groupcommit.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from convoca.core import bulk, mail
from convoca.core.groupcommit import GroupCommit
from convoca.statements.models import Endorsement

CONFIRM_MAIL = "statements.confirm"


def mail_scope(statement_id: int) -> str:
    """What the daily per-address mail cap counts against: one statement."""
    return f"statement:{statement_id}"


def insert_new(endorsements: Sequence[Endorsement]) -> set[int]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING, in one statement for the whole batch
    (core/bulk.py). An address already present for the statement and kind is left alone. Sets each
    inserted object's pk and returns the indexes of those inserted. Personal fields are encrypted
    exactly as `save()` encrypts them.
    """
    if not endorsements:
        return set()
    fields = [field for field in Endorsement._meta.local_concrete_fields if not field.primary_key]
    now = timezone.now()
    rows = []
    for endorsement in endorsements:
        endorsement.created_at = endorsement.created_at or now  # auto_now_add, which save() would set
        rows.append([getattr(endorsement, field.attname) for field in fields])
    returned = bulk.insert(
        Endorsement, fields, rows, ignore_conflicts=True, returning=("id", "statement_id", "kind", "email_hash")
    )
    # RETURNING's order is not promised to follow VALUES': match rows by their unique key.
    position = {(e.statement_id, e.kind, e.email_hash): index for index, e in enumerate(endorsements)}
    inserted = set()
    for pk, statement_id, kind, email_hash in returned:
        index = position[(statement_id, kind, email_hash)]
        endorsements[index].pk = pk
        endorsements[index]._state.adding = False
        inserted.add(index)
    return inserted


def _run(items: Sequence[tuple[Endorsement, list[tuple[str, str, tuple]]]]) -> list[bool]:
    from convoca.gate import lanes

    endorsements = [endorsement for endorsement, _alerts in items]
    # Two sign-ups of one address in one batch: the second is a repeat, as it would be one by one.
    seen, unique = set(), []
    for index, endorsement in enumerate(endorsements):
        key = (endorsement.statement_id, endorsement.kind, endorsement.email_hash)
        if key not in seen:
            seen.add(key)
            unique.append(index)
    inserted = {unique[index] for index in insert_new([endorsements[index] for index in unique])}
    mail.enqueue_many(
        [
            mail.Request(
                CONFIRM_MAIL,
                recipient_hash=endorsements[index].email_hash,
                scope=mail_scope(endorsements[index].statement_id),
                language=endorsements[index].language,
                context={"endorsement": endorsements[index].pk},
            )
            for index in sorted(inserted)
        ]
    )
    for index in sorted(inserted):
        for kind, subject, rates in items[index][1]:
            lanes.watch(kind, subject, rates)
    return [index in inserted for index in range(len(items))]


_writer = GroupCommit("intake", _run)


def record(endorsement: Endorsement, alerts: list[tuple[str, str, tuple]]) -> bool:
    """Insert a new endorsement with its confirmation mail; False if it is a repeat."""
    return _writer.submit((endorsement, alerts))
