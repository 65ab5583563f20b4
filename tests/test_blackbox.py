"""The whole flow over HTTP against real processes: web server, worker, SMTP server.

This is the issue's black-box check: endorse, receive the mail, GET the link (count unchanged),
POST the confirmation, and the count rises by exactly one within the count interval plus a few
seconds, however often the same person submits or confirms. Then the data directory and every
table are searched for the address in plain text.
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import factories
from tests.conftest import free_port, wait_for_port, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

INTERVAL = 2
EMAIL = "canary.blackbox@example.org"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, data=None, method=None, follow=True, timeout=10):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def api_total(base, slug):
    status, body, _ = request(f"{base}/api/v1/statements/{slug}")
    assert status == 200
    return json.loads(body)["counts"]["total"]


def test_endorse_mail_confirm_count_over_http(processes, smtp_server):
    smtp_server.clear()
    factories.statement(slug="blackbox")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base, "CONVOCA_COUNT_INTERVAL": str(INTERVAL)}
    web = processes.start("runserver", "--noreload", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    before = api_total(base, "blackbox")

    form = factories.form_data({**factories.ALICE, "email": EMAIL, "name": "Canary Blackbox"}, public=False)
    answers = set()
    for _ in range(4):  # the same person, again and again
        status, body, headers = request(f"{base}/en/s/blackbox/endorse/", form, follow=False)
        assert status == 303, body
        assert "Set-Cookie" not in headers
        answers.add(headers["Location"])
    assert answers == {"/en/s/blackbox/check-your-inbox/"}
    status, body, _ = request(base + answers.pop())
    assert status == 200 and "Check your inbox" in body

    mails = smtp_server.wait_for(1, timeout=30)
    time.sleep(INTERVAL)
    mails = smtp_server.to(EMAIL)
    assert 1 <= len(mails) <= settings.CONVOCA.mails_per_address_per_day
    links = {
        line.strip()
        for message in mails
        for line in message.get_body(("plain",)).get_content().splitlines()
        if "/confirm/" in line
    }
    assert len(links) == 1, "every mail carries the same, still valid link"
    link = links.pop()
    assert link.startswith(f"{base}/en/confirm/")

    for _ in range(3):  # a mail scanner opening the link changes nothing
        status, body, headers = request(link)
        assert status == 200 and "Yes, count my endorsement" in body
    time.sleep(INTERVAL + 1)
    assert api_total(base, "blackbox") == before

    for _ in range(3):
        status, body, _ = request(link, data={}, method="POST")
        assert status == 200, body
    started = time.monotonic()
    wait_until(lambda: api_total(base, "blackbox") == before + 1, timeout=INTERVAL + 5)
    assert time.monotonic() - started <= INTERVAL + 5

    for _ in range(2):  # and later submissions or confirmations do not move it again
        assert request(f"{base}/en/s/blackbox/endorse/", form, follow=False)[0] == 303
        assert request(link, data={}, method="POST")[0] == 200
    time.sleep(2 * INTERVAL + 1)
    assert api_total(base, "blackbox") == before + 1
    status, page, _ = request(f"{base}/en/s/blackbox/")
    assert "<strong>1</strong> endorsement" in page

    web.terminate()
    web.wait()
    assert_nowhere_in_plain(EMAIL)
    assert_nowhere_in_plain("Canary Blackbox")


def assert_nowhere_in_plain(value: str):
    """Neither any table nor the files of the data directory hold `value` in plain text."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                assert value not in repr(row), f"{value!r} found in table {table}"
    # Read the files from another process: closing a file releases every POSIX lock this process
    # holds on it, SQLite's included, which would break the test database for the tests after this.
    found = subprocess.run(
        [sys.executable, "-c", SCAN, str(settings.CONVOCA.data_dir), value],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert found == [], f"{value!r} found in {found}"


SCAN = """
import pathlib, sys
root, needle = pathlib.Path(sys.argv[1]), sys.argv[2].encode()
for path in root.rglob("*"):
    if path.is_file() and "chromium" not in path.parts and needle in path.read_bytes():
        print(path)
"""


def test_the_plain_text_search_finds_what_it_looks_for(tmp_path, settings):
    (Path(settings.CONVOCA.data_dir) / "planted.txt").write_text("x canary.planted@example.org x")
    try:
        with pytest.raises(AssertionError, match=r"planted\.txt"):
            assert_nowhere_in_plain("canary.planted@example.org")
    finally:
        (Path(settings.CONVOCA.data_dir) / "planted.txt").unlink()
