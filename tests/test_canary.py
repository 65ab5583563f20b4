"""The canary (issue 5, must show 1): a person with a distinctive name, e-mail and address endorses
without public consent, organizes an action, says they will come, is messaged and asks for their
links, all over HTTP through nginx (the shipped log format) to gunicorn (`convoca serve`) and the
worker. Then every public page, API answer and feed, the export without consent, every log file
(Convoca's, gunicorn's, nginx's) and the raw database are searched for those values: zero hits.

The client connects from 127.77.12.34: all of 127/8 is loopback on Linux, so nginx really sees
that address as the client's, and passes it on to Convoca as a trusted proxy would.
"""

import http.client
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from convoca.core import apitokens
from convoca.gate import clientip
from convoca.gate.models import Hit
from convoca.statements import export
from convoca.statements.models import Statement
from tests import factories, nginx
from tests.conftest import free_port, wait_for_port, wait_until
from tests.test_blackbox import assert_nowhere_in_plain

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Quillon Zarathustrine"
EMAIL = "quillon.zarathustrine@canary.example"
ADDRESS = "127.77.12.34"
STREET = "17 Vexillary Lane"
REPO = Path(__file__).resolve().parent.parent
NEEDLES = (NAME, "Zarathustrine", "zarathustrine", EMAIL, ADDRESS, STREET)


class Client:
    """HTTP from the canary's own address, no redirects followed."""

    def __init__(self, port: int):
        self.port = port

    def __call__(self, method: str, path: str, form: dict | None = None, body: dict | None = None, token=None):
        path = path.removeprefix(f"http://127.0.0.1:{self.port}")
        headers = {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(ADDRESS, 0))
        try:
            connection_.request(method, path, body=data, headers=headers)
            response = connection_.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace"), dict(response.getheaders())
        finally:
            connection_.close()


def mailed_links(smtp_server, fragment: str) -> list[str]:
    return [
        line.strip()
        for message in smtp_server.messages
        for line in message.get_body(("plain",)).get_content().splitlines()
        if fragment in line and line.strip().startswith("http")
    ]


def assert_absent(where: str, text: str):
    for needle in NEEDLES:
        assert needle not in text, f"{needle!r} found in {where}"


def test_the_canary_leaves_no_trace(processes, smtp_server, tmp_path):
    if not nginx.binary():
        pytest.skip("nginx not installed (apt-get install nginx)")
    campaign = factories.campaign(slug="canary")
    statement = factories.statement(slug="canary-letter", campaign_=campaign)
    for n in range(3):  # a few public endorsers, so the public lists are not empty
        factories.confirm(factories.endorse(statement, {**factories.ALICE, "email": f"p{n}@example.org"}, public=True))
    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    token = apitokens.create(moderator)
    smtp_server.clear()

    port, upstream = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "EMAIL_URL": smtp_server.url,
        "CONVOCA_BASE_URL": base,
        "CONVOCA_TRUSTED_PROXIES": "127.0.0.1",
        "CONVOCA_RATE_LIMITS": "on",
        "CONVOCA_COUNT_INTERVAL": "1",
    }
    web = processes.start("serve", PORT=str(upstream), WEB_CONCURRENCY="2", **env)
    worker = processes.start("worker", **env)
    proxy = nginx.start(tmp_path / "nginx", port, [upstream])
    try:
        wait_for_port(upstream)
        wait_for_port(port)
        fetch = Client(port)

        # 1. Endorses, without public consent and without updates.
        form = {"kind": "person", "name": NAME, "email": EMAIL, "country": "NO", "city": "Tromsø", "consent": "on"}
        status, _, headers = fetch("POST", "/en/s/canary-letter/endorse/", form=form)
        assert status == 303, status
        wait_until(lambda: mailed_links(smtp_server, "/confirm/"), timeout=30)
        [confirm] = mailed_links(smtp_server, "/confirm/")
        assert fetch("POST", confirm, form={})[0] == 200

        # 2. Organizes an action (street address, name and e-mail are private).
        action = {
            "title": "Evening vigil by the river", "description": "Bring a candle.", "language": "en",
            "kind": "vigil", "starts_at": "2027-03-08T18:30", "ends_at": None, "timezone": None,
            "online_url": None, "venue": "Riverside steps", "address": STREET, "city": "Tromsø",
            "country": "NO", "latitude": 69.6496, "longitude": 18.956, "approximate_location": False,
            "accessibility": None, "group_name": "River friends", "capacity": None,
            "organizer_name": NAME, "organizer_email": EMAIL,
        }  # fmt: skip
        status, body, _ = fetch("POST", "/api/v1/campaigns/canary/actions", body=action)
        assert status == 202, body
        wait_until(lambda: mailed_links(smtp_server, "/actions/verify/"), timeout=30)
        [verify] = mailed_links(smtp_server, "/actions/verify/")
        assert fetch("POST", verify, form={})[0] == 200
        status, body, _ = fetch("GET", "/api/v1/moderation/queue?type=action", token=token)
        [item] = json.loads(body)["items"]
        status, body, _ = fetch(
            "POST", f"/api/v1/moderation/actions/{item['id']}", body={"decision": "approve"}, token=token
        )
        assert status == 200, body
        action_id = item["id"]

        # 3. Says they will come, and confirms.
        status, body, _ = fetch("POST", f"/api/v1/actions/{action_id}/rsvps", body={"email": EMAIL, "name": NAME})
        assert status == 202, body
        wait_until(lambda: mailed_links(smtp_server, "/rsvp/"), timeout=30)
        [rsvp] = mailed_links(smtp_server, "/rsvp/")
        assert fetch("POST", rsvp, form={})[0] == 200

        # 4. Is messaged, as an attendee, by the organizer (themselves) through the manage page.
        wait_until(lambda: mailed_links(smtp_server, "/actions/manage/"), timeout=30)
        manage = mailed_links(smtp_server, "/actions/manage/")[0]
        before = len(smtp_server.messages)
        status, _, _ = fetch("POST", manage.rstrip("/") + "/message/", form={"body": "See you at the steps."})
        assert status in (200, 303)
        wait_until(lambda: len(smtp_server.messages) > before, timeout=30)

        # 5. Asks for all their links again.
        before = len(smtp_server.messages)
        assert fetch("POST", "/en/links/", form={"email": EMAIL})[0] == 303
        wait_until(lambda: len(smtp_server.messages) > before, timeout=30)

        # The address really reached Convoca, and only as the day's keyed hash.
        assert Hit.objects.filter(key__endswith=clientip.ip_hash(ADDRESS)).exists()
        wait_until(lambda: fetch("GET", "/api/v1/statements/canary-letter")[1].count('"total": 4') == 1, timeout=30)

        # Every public page, API answer and feed.
        public = [
            "/", "/en/", "/ar/", "/en/s/canary-letter/", "/ar/s/canary-letter/",
            f"/en/s/canary-letter/?q={urllib.parse.quote(NAME)}", "/en/s/canary-letter/?q=Zarathustrine",
            "/api/v1/statements", "/api/v1/statements/canary-letter", "/api/v1/statements/canary-letter/endorsements",
            "/api/v1/statements/canary-letter/endorsements?country=NO", "/en/c/canary/actions/",
            f"/en/a/{action_id}/", f"/ar/a/{action_id}/", "/api/v1/campaigns/canary/actions",
            f"/api/v1/actions/{action_id}", "/api/v1/campaigns/canary/actions.geojson",
            "/api/v1/campaigns/canary/actions.ics", f"/api/v1/actions/{action_id}.ics",
            "/feeds/canary/actions.atom", "/api/v1/openapi.json",
        ]  # fmt: skip
        for path in public:
            status, body, headers = fetch("GET", path)
            if status in (301, 302):
                status, body, headers = fetch("GET", headers["Location"])
            assert status == 200, (path, status)
            if "?q=" in path:  # the visitor's own query is echoed in the search box and links: not a leak
                body = re.sub(r'(value="|[?&]q=)[^"&]*', "", body)
            assert_absent(path, body + json.dumps(headers))
        # The canary's action is public (that is what an action is for), the organizer is not.
        assert "Evening vigil by the river" in fetch("GET", f"/en/a/{action_id}/")[1]

        # The export of people who did not ask for updates.
        assert_absent("the CSV export", export.to_csv([Statement.objects.get(slug="canary-letter").pk]))
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        web.terminate()
        worker.terminate()
        web.wait(timeout=10)
        worker.wait(timeout=10)

    # Every log: gunicorn's and Convoca's (the processes' output), nginx's access and error logs.
    logs = [*tmp_path.glob("process-*.log"), *(tmp_path / "nginx").glob("*.log")]
    assert {path.name for path in logs} >= {"process-0.log", "process-1.log", "nginx-access.log"}
    access = (tmp_path / "nginx" / "nginx-access.log").read_text()
    assert "/en/s/canary-letter/endorse/" in access  # the log was written; it just holds nothing personal
    assert "/confirm/..." in access and "?" not in access.replace('"', "")
    for path in logs:
        assert_absent(path.name, path.read_text(errors="replace"))

    # The raw database: every table, and on SQLite the files themselves (database, WAL).
    connection.close()
    for needle in NEEDLES:
        assert_nowhere_in_plain(needle)
