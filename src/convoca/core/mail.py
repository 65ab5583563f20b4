"""The mail outbox: enqueue inside the caller's transaction, deliver from `convoca worker`.

Delivery is at least once: a row is leased before sending; a worker killed mid-send leaves the
lease to expire and another worker sends it again with the same Message-ID, so receivers (and
tests) can count distinct messages. Failed sends back off exponentially and, after
`MAX_ATTEMPTS`, the row is parked where staff can see it and send it again.
"""

from __future__ import annotations

import logging
import re
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from convoca.core import bulk, languages
from convoca.core.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@dataclass
class Mail:
    """What a builder returns: the message, rendered in the recipient's language."""

    to: str
    subject: str
    text: str
    html: str | None = None


Builder = Callable[[OutboxMessage], Mail | None]
_BUILDERS: dict[str, Builder] = {}


def builder(kind: str):
    """Register the function that renders mails of `kind` (return None to cancel the mail)."""

    def register(function: Builder) -> Builder:
        _BUILDERS[kind] = function
        return function

    return register


def render_mail(to: str, template: str, context: dict, language: str) -> Mail:
    """Render `<template>_subject.txt`, `.txt` and `.html` in `language`."""
    with translation.override(language):
        context = {
            **context,
            "base_url": settings.CONVOCA.base_url,
            "language": language,
            "direction": languages.get(language).direction,
        }
        # one line, but keep no-break spaces (French puts one before a colon)
        subject = re.sub(r"[ \t\r\n]+", " ", render_to_string(f"{template}_subject.txt", context)).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return Mail(to=to, subject=subject, text=text, html=html)


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{settings.MAIL_DOMAIN}>"


def enqueue(kind: str, *, recipient_hash: str, scope: str, language: str, context: dict) -> int | None:
    """Write a mail to the outbox unless the address has had its share for `scope` today.

    Must run inside the transaction that causes the mail. Returns the outbox row's id, or None
    when capped.
    """
    return enqueue_many([Request(kind, recipient_hash, scope, language, context)])[0]


@dataclass(frozen=True, slots=True)
class Request:
    kind: str
    recipient_hash: str
    scope: str
    language: str
    context: dict


_GIVEN = ("kind", "context", "language", "message_id", "recipient_hash", "scope", "next_attempt_at", "created_at")


def _outbox_fields():
    """The columns a new outbox row is written with: those given per mail, then every other with
    its model default (a model's defaults are Python's, not the database's)."""
    fields = [field for field in OutboxMessage._meta.local_concrete_fields if not field.primary_key]
    given = [OutboxMessage._meta.get_field(name) for name in _GIVEN]
    rest = [field for field in fields if field not in given]
    return given + rest, tuple(field.get_default() for field in rest)


def _sent_today(requests: list[Request], since) -> dict[tuple[str, str], int]:
    """Mails written per (recipient, scope) since `since`, for the daily cap: one indexed query."""
    quote = connection.ops.quote_name
    table = quote(OutboxMessage._meta.db_table)
    recipients = sorted({request.recipient_hash for request in requests})
    created_at = OutboxMessage._meta.get_field("created_at").get_db_prep_value(since, connection)
    # Only quoted names and placeholders are interpolated; every value is a parameter.
    sql = (
        f"SELECT {quote('recipient_hash')}, {quote('scope')}, COUNT(*) FROM {table} "  # noqa: S608
        f"WHERE {quote('recipient_hash')} IN ({', '.join(['%s'] * len(recipients))}) AND {quote('created_at')} >= %s "
        f"GROUP BY {quote('recipient_hash')}, {quote('scope')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*recipients, created_at])
        return {(recipient, scope): n for recipient, scope, n in cursor.fetchall()}


def enqueue_many(requests: list[Request]) -> list[int | None]:
    """`enqueue` for several mails at once: one query for the caps, one insert (core/bulk.py),
    whatever their number. The group commit of sign-ups (statements/intake.py) writes a whole
    batch's mails this way, and a single sign-up its one mail. Returns each request's outbox id,
    or None where the cap held it back."""
    for request in requests:
        if request.kind not in _BUILDERS:
            raise LookupError(f"no mail builder registered for {request.kind!r}")
    if not requests:
        return []
    now = timezone.now()
    cap = settings.CONVOCA.mails_per_address_per_day
    recent = _sent_today(requests, now - timedelta(days=1))
    fields, defaults = _outbox_fields()
    rows, message_ids = [], []
    for request in requests:
        key = (request.recipient_hash, request.scope)
        if recent.get(key, 0) >= cap:
            log.info("mail %s capped for scope %s", request.kind, request.scope)
            message_ids.append(None)
            continue
        recent[key] = recent.get(key, 0) + 1
        message_id = new_message_id()
        message_ids.append(message_id)
        given = (request.kind, request.context, request.language, message_id, request.recipient_hash, request.scope)
        rows.append((*given, now, now, *defaults))
    ids = dict(bulk.insert(OutboxMessage, fields, rows, returning=("message_id", "id")))
    return [ids[message_id] if message_id else None for message_id in message_ids]


def claim(worker: str, limit: int = 20, lease_seconds: float | None = None) -> list[OutboxMessage]:
    """Lease up to `limit` due messages for `worker`. A lease that expired is claimable again.

    The lease (`CONVOCA_MAIL_LEASE_SECONDS` unless given) should outlast a batch's sends: a worker
    killed mid-send is covered by the next one to claim after it expires, with the same Message-ID.
    """
    if lease_seconds is None:
        lease_seconds = settings.CONVOCA.mail_lease_seconds
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now)
            .exclude(lease_expires_at__gt=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        ids = list(due)
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids).update(
            lease_owner=worker, lease_expires_at=now + timedelta(seconds=lease_seconds)
        )
    return list(OutboxMessage.objects.filter(id__in=ids, lease_owner=worker).order_by("id"))


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.CONVOCA.mail_retry_seconds * 2 ** (attempts - 1), 6 * 3600))


def _describe(error: Exception) -> str:
    """An error summary fit to store: class and SMTP code, never the server's text (it may quote the address)."""
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"


def build_email(message: OutboxMessage) -> EmailMultiAlternatives | None:
    mail = _BUILDERS[message.kind](message)
    if mail is None:
        return None
    email = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        to=[mail.to],
        headers={"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"},
    )
    if mail.html:
        email.attach_alternative(mail.html, "text/html")
    return email


def _record_failure(message: OutboxMessage, worker: str, error: Exception) -> None:
    """Back off (exponentially, from `CONVOCA_MAIL_RETRY_SECONDS`), or park after the last try."""
    attempts = message.attempts + 1
    parked = attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk, lease_owner=worker).update(
        attempts=attempts,
        state=OutboxMessage.State.PARKED if parked else OutboxMessage.State.PENDING,
        next_attempt_at=timezone.now() + _backoff(attempts),
        lease_owner="",
        lease_expires_at=None,
        last_error=_describe(error),
    )
    log.warning("mail #%s attempt %s failed: %s", message.pk, attempts, _describe(error))


def deliver(messages: list[OutboxMessage], worker: str) -> dict[str, int]:
    """Send leased messages over one SMTP connection; record each outcome under the lease.

    Any error while building or sending one message counts as a failed try of that message
    only: a message that cannot be built (a template error, a key no longer configured) backs
    off and is parked like one the server refuses, instead of stalling the rest of its batch
    at every lease.
    """
    outcome = {"sent": 0, "failed": 0, "cancelled": 0}
    if not messages:
        return outcome
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        pass  # counted as a failure of the first message below, which retries the connection
    try:
        for message in messages:
            if message.lease_expires_at is not None and timezone.now() >= message.lease_expires_at:
                break  # a slow server ate our lease: what is left may already be another worker's
            mine = OutboxMessage.objects.filter(pk=message.pk, lease_owner=worker)
            try:
                email = build_email(message)
            except DatabaseError:
                raise  # not this message's fault: the round fails and the lease lets it be tried again
            except Exception as error:
                _record_failure(message, worker, error)
                outcome["failed"] += 1
                continue
            if email is None:
                mine.update(state=OutboxMessage.State.CANCELLED, lease_owner="", lease_expires_at=None)
                outcome["cancelled"] += 1
                continue
            try:
                email.connection = connection
                email.send()
            except Exception as error:
                _record_failure(message, worker, error)
                outcome["failed"] += 1
                try:
                    connection.close()
                except Exception:
                    log.debug("closing a failed SMTP connection failed too")
                connection = get_connection(fail_silently=False)
                continue
            mine.update(
                state=OutboxMessage.State.SENT,
                attempts=message.attempts + 1,
                sent_at=timezone.now(),
                lease_owner="",
                lease_expires_at=None,
                last_error="",
            )
            outcome["sent"] += 1
    finally:
        try:
            connection.close()
        except Exception:
            log.debug("closing the SMTP connection failed")
    return outcome


def resend(message_ids) -> int:
    """Staff action: put parked (or sent) messages back in the queue, keeping their Message-ID."""
    return OutboxMessage.objects.filter(pk__in=message_ids).update(
        state=OutboxMessage.State.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_owner="",
        lease_expires_at=None,
    )
