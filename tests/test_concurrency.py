"""Concurrent sign-ups over HTTP against the production server (gunicorn), a worker and SMTP."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from convoca.core.models import OutboxMessage
from convoca.statements.models import Endorsement
from tests import factories
from tests.conftest import free_port, wait_for_port, wait_until
from tests.test_blackbox import api_total, request

pytestmark = pytest.mark.django_db(transaction=True)

# These tests check exact counts under concurrency, not latency: on a loaded 2-core machine a request
# may queue behind many others, so the client waits generously instead of failing the run.
TIMEOUT = 60


@pytest.fixture
def server(processes, smtp_server):
    smtp_server.clear()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base, "CONVOCA_COUNT_INTERVAL": "1"}
    processes.web = processes.start("serve", PORT=str(port), WEB_CONCURRENCY="4", **env)
    processes.start("worker", "--batch", "100", **env)
    wait_for_port(port)
    return base


def confirm_links(mailbox):
    return {
        line.strip()
        for message in mailbox.messages
        for line in message.get_body(("plain",)).get_content().splitlines()
        if "/confirm/" in line
    }


def test_fifty_concurrent_submissions_of_one_address_count_once(server, smtp_server, processes):
    factories.statement(slug="concurrent")
    form = factories.form_data(factories.ALICE)
    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(
            pool.map(
                lambda _: request(f"{server}/en/s/concurrent/endorse/", form, follow=False, timeout=TIMEOUT)[0],
                range(50),
            )
        )
    assert statuses == [303] * 50
    assert Endorsement.objects.count() == 1
    assert OutboxMessage.objects.count() == 3  # the daily cap held under concurrency
    wait_until(lambda: OutboxMessage.objects.filter(state="sent").count() == 3, timeout=30)
    [link] = confirm_links(smtp_server)
    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(lambda _: request(link, data={}, method="POST", timeout=TIMEOUT)[0], range(20))) == {200}
    wait_until(lambda: api_total(server, "concurrent") == 1, timeout=10)

    access_log = [line for line in processes.output(processes.web).splitlines() if '"POST ' in line]
    assert len(access_log) >= 70
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not [line for line in access_log if "127.0.0.1" in line or token in line]
    assert '"POST /en/confirm/…/ HTTP/1.1" 200' in "\n".join(access_log)


def test_five_hundred_distinct_signers_all_confirmed_count_five_hundred(server, smtp_server):
    factories.statement(slug="crowd", goal=1000)
    forms = [factories.form_data({**factories.ALICE, "email": f"signer{i}@example.org"}) for i in range(500)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(
            pool.map(lambda f: request(f"{server}/en/s/crowd/endorse/", f, follow=False, timeout=TIMEOUT)[0], forms)
        )
    assert statuses.count(303) == 500
    wait_until(lambda: len(smtp_server.messages) >= 500, timeout=120)
    links = confirm_links(smtp_server)
    assert len(links) == 500
    with ThreadPoolExecutor(max_workers=32) as pool:
        assert set(pool.map(lambda link: request(link, data={}, method="POST", timeout=TIMEOUT)[0], links)) == {200}
    wait_until(lambda: api_total(server, "crowd") == 500, timeout=15)
    assert Endorsement.objects.filter(confirmed_at__isnull=False, counted=True).count() == 500
