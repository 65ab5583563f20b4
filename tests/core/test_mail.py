"""The outbox against a real SMTP server on loopback."""

import dataclasses
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from convoca.core import mail
from convoca.core.models import OutboxMessage
from convoca.statements import domain
from tests import factories
from tests.factories import ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return factories.statement(es=("Carta abierta", "Texto"), en=("An open letter", "Text"))


def send_all(worker="w1"):
    return mail.deliver(mail.claim(worker), worker)


def test_confirmation_mail_is_sent_in_the_signers_language_with_a_working_link(client, statement, mailbox):
    factories.endorse(statement, ALICE, language="es")
    assert send_all() == {"sent": 1, "failed": 0, "cancelled": 0}
    [message] = mailbox.wait_for(1)
    assert message["To"] == "alice@example.org"
    assert "Carta abierta" in message["Subject"]
    assert message["Message-ID"] == OutboxMessage.objects.get().message_id
    text = message.get_body(("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/confirm/" in line).strip()
    assert link.startswith("http://testserver/es/confirm/")
    html = message.get_body(("html",)).get_content()
    assert link in html
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert statement.endorsements.get().confirmed_at is not None


def test_the_outbox_holds_no_address_or_name(statement):
    factories.endorse(statement, ALICE)
    row = OutboxMessage.objects.values().get()
    flat = repr(row)
    assert "alice" not in flat.lower() and "Alice" not in flat


def test_a_refused_send_backs_off_and_is_parked_after_the_last_try(statement, mailbox, time_machine):
    time_machine.move_to(timezone.now())
    factories.endorse(statement, ALICE)
    mailbox.fail_next = mail.MAX_ATTEMPTS
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        outcome = send_all()
        assert outcome["failed"] == 1, attempt
        message = OutboxMessage.objects.get()
        assert message.attempts == attempt and message.last_error == "SMTPDataError 451"
        assert send_all() == {"sent": 0, "failed": 0, "cancelled": 0}  # not due yet
        time_machine.move_to(message.next_attempt_at + timedelta(seconds=1))
    assert OutboxMessage.objects.get().state == OutboxMessage.State.PARKED
    assert send_all()["sent"] == 0

    mail.resend([OutboxMessage.objects.get().pk])
    assert send_all()["sent"] == 1
    message = OutboxMessage.objects.get()
    assert message.state == OutboxMessage.State.SENT
    assert mailbox.wait_for(1)[0]["Message-ID"] == message.message_id


def test_a_lease_keeps_others_off_until_it_expires(statement, time_machine):
    time_machine.move_to(timezone.now())
    factories.endorse(statement, ALICE)
    assert len(mail.claim("w1", lease_seconds=60)) == 1
    assert mail.claim("w2") == []
    time_machine.move_to(timezone.now() + timedelta(seconds=61))
    assert [m.lease_owner for m in mail.claim("w2")] == ["w2"]


def test_mail_for_an_erased_endorsement_is_cancelled(statement, mailbox):
    alice = factories.endorse(statement, ALICE)
    domain.erase(alice)
    assert send_all() == {"sent": 0, "failed": 0, "cancelled": 1}
    assert OutboxMessage.objects.get().state == OutboxMessage.State.CANCELLED


def test_confirming_before_the_mail_goes_cancels_the_reminder(statement, mailbox):
    alice = factories.endorse(statement, ALICE)
    factories.endorse(statement, ALICE)
    factories.confirm(alice)
    assert send_all()["cancelled"] == 2


def test_the_daily_cap_is_per_address_and_statement(statement, settings):
    other = factories.statement(slug="second")
    for _ in range(5):
        factories.endorse(statement, ALICE)
        factories.endorse(other, ALICE)
    cap = settings.CONVOCA.mails_per_address_per_day
    assert OutboxMessage.objects.filter(scope=f"statement:{statement.pk}").count() == cap
    assert OutboxMessage.objects.filter(scope=f"statement:{other.pk}").count() == cap


def test_already_counted_mail(statement, mailbox):
    factories.confirm(factories.endorse(statement, ALICE))
    factories.endorse(statement, ALICE)
    send_all()
    [message] = mailbox.wait_for(1)
    assert "already" in message["Subject"].lower()
    assert "counted once" in message.get_body(("plain",)).get_content()


def test_every_confirmation_mail_carries_a_withdrawal_link_that_erases(client, statement, mailbox):
    factories.endorse(statement, ALICE, language="es", public=True)
    send_all()
    [message] = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    lines = [line.strip().removeprefix("http://testserver") for line in text.splitlines()]
    confirm = next(line for line in lines if "/confirm/" in line)
    withdraw = next(line for line in lines if "/withdraw/" in line)
    assert withdraw.startswith("/es/withdraw/") and withdraw in message.get_body(("html",)).get_content()
    client.post(confirm)
    domain.fold_counts()
    assert domain.counts(statement).total == 1

    assert client.get(withdraw).status_code == 200  # a GET only asks
    assert statement.endorsements.count() == 1
    assert client.post(withdraw).status_code == 200
    domain.fold_counts()
    assert statement.endorsements.count() == 0 and domain.counts(statement).total == 0
    assert "Alice Example" not in client.get("/en/s/open-letter/").content.decode()
    assert client.post(withdraw).status_code == 404 and client.get(withdraw).status_code == 404


def test_the_back_off_doubles_from_the_configured_delay(statement, mailbox, settings, time_machine):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, mail_retry_seconds=2.5)
    time_machine.move_to(timezone.now(), tick=False)
    factories.endorse(statement, ALICE)
    mailbox.fail_next = 3
    delays = []
    for _ in range(3):
        failed_at = timezone.now()
        assert send_all()["failed"] == 1
        delays.append((OutboxMessage.objects.get().next_attempt_at - failed_at).total_seconds())
        time_machine.move_to(OutboxMessage.objects.get().next_attempt_at, tick=False)
    assert delays == [2.5, 5.0, 10.0]
    assert send_all()["sent"] == 1


def test_a_mail_that_cannot_be_built_backs_off_without_holding_up_the_rest(statement, mailbox, monkeypatch):
    def broken(message):
        raise KeyError("no such template")

    monkeypatch.setitem(mail._BUILDERS, "tests.broken", broken)
    with transaction.atomic():
        poison = OutboxMessage.objects.get(
            pk=mail.enqueue("tests.broken", recipient_hash="x", scope="test", language="en", context={})
        )
    factories.endorse(statement, ALICE)
    assert [m.kind for m in mail.claim("w1")] == ["tests.broken", "statements.confirm"]
    OutboxMessage.objects.update(lease_owner="", lease_expires_at=None)  # released: the round below claims both

    assert send_all() == {"sent": 1, "failed": 1, "cancelled": 0}
    assert mailbox.wait_for(1)[0]["To"] == ALICE["email"]
    poison.refresh_from_db()
    assert (poison.state, poison.attempts, poison.last_error, poison.lease_owner) == ("pending", 1, "KeyError", "")


def test_a_worker_whose_lease_ran_out_leaves_the_rest_of_its_batch(statement, mailbox, time_machine):
    time_machine.move_to(timezone.now())
    factories.endorse(statement, ALICE)
    factories.endorse(statement, {**ALICE, "email": "alice2@example.org"})
    claimed = mail.claim("w1", lease_seconds=60)
    time_machine.move_to(timezone.now() + timedelta(seconds=60))
    assert mail.deliver(claimed, "w1") == {"sent": 0, "failed": 0, "cancelled": 0}
    assert [m.lease_owner for m in mail.claim("w2")] == ["w2", "w2"]
    assert mailbox.messages == []
