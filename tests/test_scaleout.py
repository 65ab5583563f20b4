"""Scale-out (issue 6, must show 1): PostgreSQL, two app servers (`convoca serve`) on different
loopback ports behind one nginx built from the shipped snippets, two workers and an SMTP server.
400 people sign from 32 threads through nginx and confirm through nginx; both app servers take
a share; the count is exact; every sign-up gets exactly one confirmation mail, with distinct
Message-IDs, and the mail received is the outbox, no more and no less.

PostgreSQL only: two app servers sharing one SQLite file would work, but it is not the
deployment this test stands for. The SQLite pass of `make test` skips it; the PostgreSQL pass
(mandatory in CI) runs it.
"""

import http.client
import re
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from convoca.core.models import OutboxMessage
from convoca.statements import domain
from convoca.statements.models import Endorsement
from tests import factories, nginx
from tests.conftest import free_port, wait_for_port, wait_until

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parent.parent
SIGNERS = 400
THREADS = 32
TIMEOUT = 60  # per request: on a loaded 2-core machine a request may queue behind many others


def fetch(port: int, method: str, path: str, form: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(), {key.lower(): value for key, value in response.getheaders()}
    finally:
        connection.close()


def confirm_links(messages) -> list[str]:
    return [
        line.strip()
        for message in messages
        for line in message.get_body(("plain",)).get_content().splitlines()
        if "/confirm/" in line and line.strip().startswith("http")
    ]


def test_two_app_servers_and_two_workers_behind_nginx(processes, smtp_server, tmp_path):
    if not nginx.binary():
        pytest.skip("nginx not installed (apt-get install nginx)")
    statement = factories.statement(slug="viral", goal=10_000)
    smtp_server.clear()
    port, apps = free_port(), [free_port(), free_port()]
    env = {
        "EMAIL_URL": smtp_server.url,
        "CONVOCA_BASE_URL": f"http://127.0.0.1:{port}",
        "CONVOCA_TRUSTED_PROXIES": "127.0.0.1",
        "CONVOCA_RATE_LIMITS": "off",
        "CONVOCA_PROOF_OF_WORK": "off",
        "CONVOCA_COUNT_INTERVAL": "1",
    }
    # One app server with threaded workers (sign-ups group-committed), one with sync workers.
    servers = [
        processes.start("serve", PORT=str(app), WEB_CONCURRENCY="2", CONVOCA_WEB_THREADS=threads, **env)
        for app, threads in zip(apps, ["4", "1"], strict=True)
    ]
    workers = [processes.start("worker", "--batch", "50", "--poll", "0.2", **env) for _ in range(2)]
    proxy = nginx.start(tmp_path / "nginx", port, apps, cache=True, workers=2)
    started = time.monotonic()
    try:
        for app in [*apps, port]:
            wait_for_port(app)

        # 400 people sign through nginx, 32 at a time.
        emails = [f"signer{n:03d}@example.org" for n in range(SIGNERS)]
        forms = [factories.form_data({**factories.ALICE, "email": email, "name": f"Signer {n}"}) for n, email in
                 enumerate(emails)]  # fmt: skip
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            answers = list(pool.map(lambda form: fetch(port, "POST", "/en/s/viral/endorse/", form), forms))
        assert [status for status, _, _ in answers] == [303] * SIGNERS
        assert {headers["location"] for _, _, headers in answers} == {"/en/s/viral/check-your-inbox/"}
        signed = time.monotonic()

        # Two workers send the outbox: one confirmation per sign-up, no more.
        messages = smtp_server.wait_for(SIGNERS, timeout=60)
        wait_until(lambda: OutboxMessage.objects.filter(state="sent").count() == SIGNERS, timeout=30)
        mailed = time.monotonic()
        messages = list(smtp_server.messages)
        assert len(messages) == SIGNERS
        assert sorted(str(message["To"]) for message in messages) == emails
        message_ids = [message["Message-ID"] for message in messages]
        assert len(set(message_ids)) == SIGNERS
        assert set(message_ids) == set(OutboxMessage.objects.values_list("message_id", flat=True))
        assert OutboxMessage.objects.count() == SIGNERS
        links = confirm_links(messages)
        assert len(links) == len(set(links)) == SIGNERS

        # Each confirms through nginx.
        paths = [link.removeprefix(f"http://127.0.0.1:{port}") for link in links]
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            statuses = list(pool.map(lambda path: fetch(port, "POST", path, {})[0], paths))
        assert statuses == [200] * SIGNERS
        confirmed = time.monotonic()

        # Exact counts: in the database, folded by a worker, and as the public sees it through nginx.
        assert Endorsement.objects.filter(statement=statement).count() == SIGNERS
        assert Endorsement.objects.filter(statement=statement, confirmed_at__isnull=False).count() == SIGNERS
        wait_until(lambda: domain.counts(statement).total == SIGNERS, timeout=15)
        status, body, headers = fetch(port, "GET", "/api/v1/statements/viral")
        assert status == 200 and '"total": 400' in body and headers["x-cache-status"] == "MISS"
        status, body, headers = fetch(port, "GET", "/api/v1/statements/viral")
        assert '"total": 400' in body and headers["x-cache-status"] == "HIT"
        status, page, _ = fetch(port, "GET", "/en/s/viral/")
        assert "<strong>400</strong> endorsements" in page
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        processes.stop_all()

    # Both app servers took a share of the sign-ups and of the confirmations (their access logs).
    signups, confirmations = [], []
    for server in servers:
        log = processes.output(server)
        signups.append(log.count('"POST /en/s/viral/endorse/ HTTP/1.0" 303') + log.count(
            '"POST /en/s/viral/endorse/ HTTP/1.1" 303'))  # fmt: skip
        confirmations.append(len(re.findall(r'"POST /en/confirm/…/ HTTP/1\.[01]" 200', log)))
    assert sum(signups) == sum(confirmations) == SIGNERS
    assert min(signups) >= SIGNERS // 4 and min(confirmations) >= SIGNERS // 4, (signups, confirmations)
    for worker in workers:
        assert " started" in processes.output(worker) and " stopped" in processes.output(worker)
    print(
        f"\nscale-out: {SIGNERS} sign-ups in {signed - started:.1f} s (per app server {signups}), "
        f"mailed after {mailed - signed:.1f} s, {SIGNERS} confirmations in {confirmed - mailed:.1f} s "
        f"(per app server {confirmations})"
    )
