"""`convoca worker` as real processes: periodic jobs once per period, mail survives a killed worker."""

import signal

import pytest

from convoca.core.models import OutboxMessage, PeriodicJob
from convoca.statements import domain
from tests import factories
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_send_is_covered_by_another(processes, smtp_server):
    smtp_server.clear()
    statement = factories.statement()
    for index in range(12):
        factories.endorse(statement, {**factories.ALICE, "email": f"k{index}@example.org"})
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(expected) == 12

    smtp_server.delay = 0.5  # each message takes a while: the first worker is caught mid-batch
    first = processes.start("worker", "--lease", "3", "--batch", "12", EMAIL_URL=smtp_server.url)
    wait_until(lambda: len(smtp_server.messages) >= 2, timeout=30)
    first.send_signal(signal.SIGKILL)
    first.wait()
    delivered_by_first = len(smtp_server.messages)
    assert delivered_by_first < 12, "the first worker should have been killed before finishing"
    assert OutboxMessage.objects.filter(state="pending").exclude(lease_owner="").exists()

    smtp_server.delay = 0
    processes.start("worker", "--lease", "3", EMAIL_URL=smtp_server.url)
    wait_until(lambda: OutboxMessage.objects.filter(state="sent").count() == 12, timeout=60)
    received = {message["Message-ID"] for message in smtp_server.messages}
    assert received == expected  # every message arrived; duplicates (at least once) share an ID


def test_two_workers_fold_counts_once_per_period(processes, smtp_server):
    statement = factories.statement()
    alice = factories.endorse(statement, factories.ALICE)
    factories.confirm(alice)
    processes.start("worker", EMAIL_URL=smtp_server.url, CONVOCA_COUNT_INTERVAL="1")
    processes.start("worker", EMAIL_URL=smtp_server.url, CONVOCA_COUNT_INTERVAL="1")
    wait_until(lambda: domain.counts(statement).total == 1, timeout=20)
    for index in range(5):
        factories.confirm(factories.endorse(statement, {**factories.ALICE, "email": f"f{index}@example.org"}))
    wait_until(lambda: domain.counts(statement).total == 6, timeout=20)
    job = PeriodicJob.objects.get(name="statements.fold_counts")
    assert job.last_error == ""
