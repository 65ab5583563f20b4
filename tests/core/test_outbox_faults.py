"""The outbox under faults, with real `convoca worker` processes and short configured delays.

SMTP down: sign-ups are still accepted, mail waits and is retried with back-off, and arrives when
the server returns; after the last try it is parked until staff send it again (same Message-ID).
A worker killed while the server holds its message loses nothing: the lease expires and another
worker sends it again with the same Message-ID (delivery is at least once, counted by Message-ID).
"""

import asyncio
import json
import signal
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from convoca.core import mail
from convoca.core.models import OutboxMessage
from tests import factories
from tests.conftest import Mailbox, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

RETRY = 0.2  # CONVOCA_MAIL_RETRY_SECONDS for these workers: tries at +0.2, +0.4, +0.8 … seconds
POLL = "0.05"  # seconds an idle worker waits between rounds


class SmtpPort:
    """A loopback port for an SMTP server that is down until the test brings it up.

    While down the port stays bound but not listening: connections are refused, and no other
    socket can take it (not even as the local end of the worker's own connection attempt).
    """

    def __init__(self):
        self.reserved = socket.socket()
        self.reserved.bind(("127.0.0.1", 0))
        self.port = self.reserved.getsockname()[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.controller = None

    def up(self, handler: Mailbox | None = None) -> Mailbox:
        self.reserved.close()
        self.handler = handler or Mailbox()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self.handler

    def close(self):
        self.reserved.close()
        if self.controller:
            if isinstance(self.handler, StallingMailbox):
                self.handler.release.set()
            self.controller.stop()


@pytest.fixture
def smtp():
    port = SmtpPort()
    yield port
    port.close()


def sign_up(client, slug: str, email: str) -> int:
    body = {"name": "Outage Signer", "email": email, "country": "AR"}
    return client.post(
        f"/api/v1/statements/{slug}/endorsements", json.dumps(body), content_type="application/json"
    ).status_code


def outbox() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.order_by("id"))


def test_sign_ups_are_accepted_while_smtp_is_down_and_delivered_when_it_returns(client, processes, smtp):
    factories.statement(slug="outage")
    signers = [f"outage{index}@example.org" for index in range(5)]
    assert [sign_up(client, "outage", email) for email in signers] == [202] * 5
    assert [(row.state, row.attempts) for row in outbox()] == [("pending", 0)] * 5

    processes.start("worker", "--poll", POLL, EMAIL_URL=smtp.url, CONVOCA_MAIL_RETRY_SECONDS=str(RETRY))
    wait_until(lambda: all(row.attempts >= 3 for row in outbox()), timeout=30)
    assert {(row.state, row.last_error) for row in outbox()} == {("pending", "ConnectionRefusedError")}

    mailbox = smtp.up()
    wait_until(lambda: all(row.state == "sent" for row in outbox()), timeout=30)
    rows = outbox()
    received = mailbox.wait_for(5)
    assert sorted(str(message["To"]) for message in received) == signers
    assert sorted(message["Message-ID"] for message in received) == sorted(row.message_id for row in rows)
    for row in rows:
        failures = row.attempts - 1
        assert 3 <= failures < mail.MAX_ATTEMPTS and row.last_error == ""
        # each failure pushed the next try back by RETRY·2^(n-1): the whole wait is at least their sum
        assert (row.sent_at - row.created_at).total_seconds() >= RETRY * (2**failures - 1)


def test_after_the_last_try_a_mail_is_parked_until_staff_send_it_again(client, admin_user, processes, smtp):
    retry = 0.05  # eight tries: 0.05 · (1 + 2 + … + 64) = 6.35 s of back-off before the last one
    factories.statement(slug="parked")
    assert sign_up(client, "parked", "parked@example.org") == 202
    processes.start("worker", "--poll", POLL, EMAIL_URL=smtp.url, CONVOCA_MAIL_RETRY_SECONDS=str(retry))
    wait_until(lambda: outbox()[0].state == "parked", timeout=45)
    [parked] = outbox()
    assert (parked.attempts, parked.last_error, parked.sent_at) == (mail.MAX_ATTEMPTS, "ConnectionRefusedError", None)
    assert (parked.next_attempt_at - parked.created_at).total_seconds() >= retry * (2**mail.MAX_ATTEMPTS - 1)

    mailbox = smtp.up()  # the server is back, but a parked mail waits for staff
    assert sign_up(client, "parked", "sentinel@example.org") == 202
    [sentinel] = mailbox.wait_for(1)  # the worker has run rounds with the server up
    assert str(sentinel["To"]) == "sentinel@example.org"
    assert OutboxMessage.objects.get(pk=parked.pk).state == "parked"

    factories.staff_login(client, admin_user)
    response = client.post(
        "/en/admin/core/outboxmessage/", {"action": "resend", "_selected_action": [parked.pk]}, follow=True
    )
    assert "1 message queued again." in response.content.decode()
    wait_until(lambda: OutboxMessage.objects.get(pk=parked.pk).state == "sent", timeout=30)
    messages = mailbox.wait_for(2)
    assert [(str(m["To"]), m["Message-ID"]) for m in messages] == [
        ("sentinel@example.org", sentinel["Message-ID"]),
        ("parked@example.org", parked.message_id),
    ]
    assert OutboxMessage.objects.get(pk=parked.pk).attempts == 1  # counted afresh after the resend


class StallingMailbox(Mailbox):
    """Stores the first message it is given, then holds back the "250 OK" until released.

    The sender is caught after the server has the message but before it knows: killed there, it
    leaves a message that was delivered and is still pending, the case that makes delivery at
    least once rather than exactly once.
    """

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
            stall = not self.stalled.is_set()
            self.stalled.set()
        while stall and not self.release.is_set():
            await asyncio.sleep(0.01)
        return "250 OK"


def test_a_worker_killed_mid_send_loses_nothing(processes, smtp):
    statement = factories.statement(slug="killed")
    for index in range(5):
        factories.endorse(statement, {**factories.ALICE, "email": f"killed{index}@example.org"})
    expected = {row.message_id for row in outbox()}
    server = smtp.up(StallingMailbox())
    env = {"EMAIL_URL": smtp.url, "CONVOCA_MAIL_LEASE_SECONDS": "2"}

    first = processes.start("worker", "--poll", POLL, "--batch", "5", **env)
    assert server.stalled.wait(timeout=30), "the first worker never reached the SMTP server"
    first.send_signal(signal.SIGKILL)
    first.wait()
    server.release.set()
    [caught] = server.messages  # the server kept the message; the worker died before hearing so
    rows = outbox()
    assert {(row.state, row.attempts, row.lease_owner) for row in rows} == {
        ("pending", 0, f"{socket.gethostname()}:{first.pid}")
    }
    leases_end = max(row.lease_expires_at for row in rows)

    processes.start("worker", "--poll", POLL, **env)
    wait_until(lambda: all(row.state == "sent" for row in outbox()), timeout=30)
    rows = outbox()
    assert all(row.sent_at >= leases_end for row in rows)  # nobody took them while the lease held
    received = Counter(message["Message-ID"] for message in server.wait_for(6))
    assert set(received) == expected  # every message arrived
    assert received == {message_id: 1 + (message_id == caught["Message-ID"]) for message_id in expected}
    assert len(server.messages) == 6  # the one caught mid-send twice, under the same Message-ID
