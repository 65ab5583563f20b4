"""`kill -9` of gunicorn workers during a load of sign-ups: every 202 has its row, none twice.

The production server (`convoca serve`: gunicorn, sync workers, then threaded ones whose
sign-ups are group-committed) takes API sign-ups from client threads while the test kills one
worker at a time with SIGKILL; the master respawns it. Each kill loses at most the requests the
worker was serving or had accepted (one for a sync worker; up to every client's for a threaded
one): each such client sees a broken connection, and its sign-up may or may not have been
committed; when it tries again it is answered 202 and still has one row. Then every stored sign-up is confirmed
through the link in its mail and the public count must equal the number of confirmed rows exactly.
"""

import http.client
import json
import os
import signal
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from convoca.core import crypto
from convoca.core.models import OutboxMessage
from convoca.statements.models import Endorsement
from tests import factories
from tests.conftest import free_port, wait_for_port, wait_until
from tests.test_blackbox import api_total, request
from tests.test_concurrency import confirm_links

pytestmark = pytest.mark.django_db(transaction=True)

WEB_WORKERS = 3
KILLS = 5
CLIENTS = 8
BETWEEN_KILLS = 8  # sign-ups answered before each kill, so every kill lands under load
MAX_SIGN_UPS = 2000  # a bound on the load, far above what the kills need
TIMEOUT = 60  # a request may queue long behind others on a loaded 2-core machine
BROKEN = "broken connection"


def children(pid: int) -> dict[int, int]:
    """Live child processes of `pid` (zombies excluded), each with its start time in clock ticks."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state, ppid, … starttime is 20th
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = int(fields[19])
    return found


def sign_up(base: str, slug: str, email: str) -> int | str:
    body = json.dumps({"name": "Load Signer", "email": email, "country": "AR"}).encode()
    req = urllib.request.Request(
        f"{base}/api/v1/statements/{slug}/endorsements",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
        return BROKEN  # the worker serving it was killed (reset, or closed before a full answer)


@pytest.mark.parametrize("threads", [1, 4], ids=["sync", "threaded"])
def test_kill_9_of_web_workers_during_sign_ups_loses_no_answered_one_and_doubles_none(processes, smtp_server, threads):
    smtp_server.clear()
    statement = factories.statement(slug="under-fire", goal=10_000)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base, "CONVOCA_COUNT_INTERVAL": "1"}
    master = processes.start(
        "serve", PORT=str(port), WEB_CONCURRENCY=str(WEB_WORKERS), CONVOCA_WEB_THREADS=str(threads), **env
    )
    worker = processes.start("worker", "--batch", "100", "--poll", "0.2", **env)
    wait_for_port(port)
    wait_until(lambda: len(children(master.pid)) == WEB_WORKERS, timeout=30)

    outcomes: dict[str, int | str] = {}
    lock = threading.Lock()
    answered = threading.Condition(lock)
    stop = threading.Event()

    def client(number: int):
        index = number
        while not stop.is_set() and index < MAX_SIGN_UPS:
            email = f"load{index}@example.org"
            outcome = sign_up(base, "under-fire", email)
            with lock:
                outcomes[email] = outcome
                answered.notify_all()
            index += CLIENTS

    def wait_for_answers(count: int):
        with lock:
            assert answered.wait_for(lambda: len(outcomes) >= count, timeout=TIMEOUT), "the load stalled"

    killed = []
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for number in range(CLIENTS):
            pool.submit(client, number)
        try:
            for _ in range(KILLS):
                wait_for_answers(len(outcomes) + BETWEEN_KILLS)
                workers = children(master.pid)
                victim = min(workers, key=workers.get)  # the oldest: surely booted and serving
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
                wait_until(lambda v=victim: v not in children(master.pid), timeout=10)
        finally:
            stop.set()
    wait_until(lambda: len(children(master.pid)) == WEB_WORKERS, timeout=30)
    assert master.poll() is None and not set(killed) & set(children(master.pid))

    accepted = {email for email, outcome in outcomes.items() if outcome == 202}
    broken = {email for email, outcome in outcomes.items() if outcome == BROKEN}
    assert accepted | broken == set(outcomes), {outcome for outcome in outcomes.values()} - {202, BROKEN}
    # The requests in flight in the killed worker, at most: one for a sync worker; a threaded one
    # also holds connections it has accepted but not yet started on, up to every client's.
    assert len(broken) <= KILLS * (1 if threads == 1 else CLIENTS)
    assert len(outcomes) >= KILLS * BETWEEN_KILLS and accepted  # every kill landed under load

    def rows(emails) -> dict[str, int]:
        return {
            email: Endorsement.objects.filter(statement=statement, email_hash=crypto.email_hash(email)).count()
            for email in emails
        }

    assert rows(accepted) == dict.fromkeys(accepted, 1)  # every 202 has its row, once
    assert set(rows(broken).values()) <= {0, 1}  # a broken one may have been committed, never twice
    committed_broken = sum(rows(broken).values())
    stored = len(accepted) + committed_broken
    assert Endorsement.objects.filter(statement=statement).count() == stored
    assert OutboxMessage.objects.count() == stored  # each row's mail was committed with it

    # The people whose connection broke try again, as a person would: one row each, still.
    assert [sign_up(base, "under-fire", email) for email in sorted(broken)] == [202] * len(broken)
    assert rows(outcomes) == dict.fromkeys(outcomes, 1)
    signers = len(outcomes)
    assert Endorsement.objects.filter(statement=statement).count() == signers
    mails_queued = signers + committed_broken  # a repeat asks again to confirm (same link)
    assert OutboxMessage.objects.count() == mails_queued

    def all_sent():
        assert worker.poll() is None, f"the mail worker ended:\n{processes.output(worker)}"
        return OutboxMessage.objects.filter(state="sent").count() == mails_queued

    wait_until(all_sent, timeout=60)
    mails = smtp_server.wait_for(mails_queued)
    assert len(mails) == mails_queued
    assert {m["Message-ID"] for m in mails} == set(OutboxMessage.objects.values_list("message_id", flat=True))
    links = confirm_links(smtp_server)
    assert len(links) == signers
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(lambda link: request(link, data={}, method="POST", timeout=TIMEOUT)[0], links))
    assert statuses == [200] * signers
    confirmed = Endorsement.objects.filter(statement=statement, confirmed_at__isnull=False, counted=True).count()
    assert confirmed == signers
    wait_until(lambda: api_total(base, "under-fire") == confirmed, timeout=20)
    print(
        f"\n{signers} sign-ups, {len(killed)} web workers killed: {len(accepted)} answered 202, "
        f"{len(broken)} broken connections ({committed_broken} of them committed), retried: 202; "
        f"{signers} rows, {mails_queued} mails, {signers} confirmations; public count {confirmed}"
    )
