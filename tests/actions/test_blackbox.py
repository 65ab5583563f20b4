"""Must show 1 of the day of action, over HTTP against real processes (web, worker, SMTP)."""

import json
import re
import urllib.request
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from convoca.core import apitokens
from tests import factories
from tests.conftest import free_port, wait_for_port, wait_until
from tests.test_blackbox import request

pytestmark = pytest.mark.django_db(transaction=True)


def post_json(url, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def parse_ics(text: str) -> list[dict]:
    """A small, independent RFC 5545 reader: unfold lines, collect VEVENT properties."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name_params, value = line.split(":", 1)
            name, *params = name_params.split(";")
            current[name] = (value, dict(p.split("=", 1) for p in params if "=" in p))
    return events


def test_submit_verify_moderate_and_find_over_http(processes, smtp_server):
    from convoca.actions.places import import_places

    import_places({"AR"})
    factories.campaign(slug="rivers")
    token = apitokens.create(get_user_model().objects.create_user("mod", is_staff=True))
    smtp_server.clear()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"EMAIL_URL": smtp_server.url, "CONVOCA_BASE_URL": base}
    processes.start("runserver", "--noreload", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)

    common = {
        "description": "Juntos.", "language": "es", "kind": "rally", "ends_at": None, "timezone": None,
        "online_url": None, "address": None, "country": "AR", "approximate_location": False, "accessibility": None,
        "group_name": None, "capacity": None, "organizer_name": "Dana",
    }  # fmt: skip
    local_time = {**common, "title": "Concentración en el Obelisco", "starts_at": "2027-03-08T18:30",
                  "venue": "Obelisco", "city": "Buenos Aires", "latitude": -34.6037, "longitude": -58.3816,
                  "organizer_email": "dana@example.org"}  # fmt: skip
    no_coordinates = {**common, "title": "Ronda en Rosario", "starts_at": "2027-03-08T17:00",
                      "venue": "Monumento", "city": "Rosario", "latitude": None, "longitude": None,
                      "organizer_email": "eli@example.org"}  # fmt: skip
    for body in (local_time, no_coordinates):
        assert post_json(f"{base}/api/v1/campaigns/rivers/actions", body) == (202, {"status": "pending_verification"})

    wait_until(lambda: len(smtp_server.messages) >= 2, timeout=30)
    verify_links = [
        line.strip() for m in smtp_server.messages
        for line in m.get_body(("plain",)).get_content().splitlines() if "/actions/verify/" in line
    ]  # fmt: skip
    assert len(verify_links) == 2
    for link in verify_links:
        assert request(link)[0] == 200
        assert request(link, data={}, method="POST")[0] == 200

    status, body, _ = request(f"{base}/api/v1/moderation/queue?type=action")
    assert status == 401
    req = urllib.request.Request(f"{base}/api/v1/moderation/queue?type=action",
                                 headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=20) as response:
        queue = json.loads(response.read())
    assert queue["count"] == 2
    for item in queue["items"]:
        status, decided = post_json(f"{base}/api/v1/moderation/actions/{item['id']}", {"decision": "approve"}, token)
        assert (status, decided["state"]) == (200, "approved")

    status, body, _ = request(f"{base}/api/v1/campaigns/rivers/actions")
    listed = {item["title"]: item for item in json.loads(body)["items"]}
    assert set(listed) == {"Concentración en el Obelisco", "Ronda en Rosario"}
    assert listed["Concentración en el Obelisco"]["starts_at"] == "2027-03-08T18:30:00-03:00"
    assert listed["Ronda en Rosario"]["latitude"] is not None  # placed at its city

    status, body, headers = request(f"{base}/api/v1/campaigns/rivers/actions.geojson")
    assert headers["Content-Type"] == "application/geo+json"
    features = {f["properties"]["title"]: f for f in json.loads(body)["features"]}
    obelisco = features["Concentración en el Obelisco"]
    assert obelisco["geometry"]["coordinates"] == [-58.3816, -34.6037]
    instant = datetime.fromisoformat(obelisco["properties"]["starts_at"])
    assert instant.astimezone(UTC) == datetime(2027, 3, 8, 21, 30, tzinfo=UTC)
    assert obelisco["properties"]["timezone"] == "America/Argentina/Buenos_Aires"

    status, body, headers = request(f"{base}/api/v1/campaigns/rivers/actions.ics")
    assert headers["Content-Type"].startswith("text/calendar")
    events = {event["SUMMARY"][0]: event for event in parse_ics(body)}
    value, params = events["Concentración en el Obelisco"]["DTSTART"]
    assert params["TZID"] == "America/Argentina/Buenos_Aires" and value == "20270308T183000"
    start = datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(params["TZID"]))
    assert start.astimezone(UTC) == datetime(2027, 3, 8, 21, 30, tzinfo=UTC)
    assert "BEGIN:VTIMEZONE" in body and "TZID:America/Argentina/Buenos_Aires" in body

    status, body, _ = request(f"{base}/api/v1/campaigns/rivers/actions?near=-32.95,-60.64&radius_km=500")
    nearest = json.loads(body)["items"]
    assert [item["title"] for item in nearest] == ["Ronda en Rosario", "Concentración en el Obelisco"]
    assert nearest[0]["distance_km"] < nearest[1]["distance_km"]
