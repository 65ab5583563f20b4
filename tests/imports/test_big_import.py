"""Must show (issue 7): a 50,000-row CSV import completes with a progress bar, reports bad rows
precisely, and a second import of the same file adds nothing — over HTTP to a real `convoca
runserver` and a real `convoca worker`, both separate processes sharing the test database."""

import os
import re
import time

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from convoca.campaigns.models import Partner
from convoca.imports.models import ImportJob
from convoca.statements import domain
from convoca.statements.models import CountEvent, Endorsement
from tests import factories
from tests.conftest import free_port, wait_for_port, wait_until
from tests.imports.helpers import HEADER, csv_text, mapping_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROWS = int(os.environ.get("IMPORT_TEST_ROWS", 50_000))
COUNTRIES = ["AR", "Brasil", "Deutschland", "France", "Türkiye", "Pakistan", "مصر", "JO", "es", "Italia"]
# row number (header = 1) → (the row, the column and the reason the report must name)
BAD = {
    1_001: (
        ["Person bad mail", "not-an-address", "person", "", "AR", "", "", ""],
        "B (Email address)",
        "not a valid e-mail address",
    ),
    20_002: (
        ["Nowhere", "nowhere@example.org", "person", "", "Atlantis", "", "", ""],
        "E (Country)",
        "unknown country",
    ),
    30_003: (["", "noname@example.org", "person", "", "AR", "", "", ""], "A (Full name)", "missing"),
    40_004: (
        ["Twin", "SIGNER1@example.org", "person", "", "AR", "", "", ""],
        "B (Email address)",
        "the same address as row 3",
    ),
    50_001: (
        ["Unsure", "unsure@example.org", "person", "", "AR", "", "maybe", ""],
        "G (List my name)",
        "not a clear yes or no",
    ),
}


def big_file() -> bytes:
    rows = []
    for number in range(2, ROWS + 2):
        if number in BAD:
            rows.append(BAD[number][0])
            continue
        n = number - 2
        rows.append([
            f"Signer {n} Ñandú", f"signer{n}@example.org", "organization" if n % 50 == 0 else "person",
            f"Group {n}" if n % 50 == 0 else "", COUNTRIES[n % len(COUNTRIES)], "Córdoba",
            "yes" if n % 3 == 0 else "no", "x" if n % 4 == 0 else "",
        ])  # fmt: skip
    return ("\ufeff" + csv_text(rows, header=HEADER, delimiter=";")).encode()


class Staff:
    """A coordinator's browser, without the browser: a session cookie and the CSRF token."""

    def __init__(self, base: str, session_cookie: str):
        self.base = base
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session_cookie)

    def get(self, path: str, **kwargs):
        response = self.http.get(self.base + path, allow_redirects=False, timeout=60, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response

    def post(self, path: str, data: dict, files=None) -> str:
        self.get(path if not path.endswith(("/map/", "/run/")) else path.rsplit("/", 2)[0] + "/")
        token = self.http.cookies.get("csrftoken")
        response = self.http.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            allow_redirects=False,
            timeout=120,
        )
        assert response.status_code == 302, (path, response.status_code, response.text[:2000])
        return response.headers["Location"]

    def follow(self, job_id: int, until: str, seen: list[int]) -> dict:
        """Poll the JSON status as the page's script does; note every progress value on the way."""
        deadline = time.monotonic() + float(os.environ.get("IMPORT_TEST_WAIT", 600))
        while time.monotonic() < deadline:
            status = self.get(f"/en/staff/import/{job_id}/status.json").json()
            seen.append(status["done"])
            if status["state"] == until:
                return status
            assert status["state"] in ("checking", "importing"), status
            time.sleep(0.2)
        raise AssertionError(f"import {job_id} not {until} in time")


def import_file(staff: Staff, statement, data: bytes) -> tuple[ImportJob, list[int], list[int], float]:
    location = staff.post(
        "/en/staff/import/", {"statement": statement.pk}, files={"file": ("signers.csv", data, "text/csv")}
    )
    job = ImportJob.objects.get(pk=int(re.search(r"/staff/import/(\d+)/", location).group(1)))
    assert (job.encoding, job.delimiter, job.header) == ("utf-8", ";", HEADER)
    assert "Map the columns" in staff.get(f"/en/staff/import/{job.pk}/").text
    checked, imported = [], []
    staff.post(f"/en/staff/import/{job.pk}/map/", mapping_post(job))
    assert "Checking the file" in staff.get(f"/en/staff/import/{job.pk}/").text
    staff.follow(job.pk, "checked", checked)
    review = staff.get(f"/en/staff/import/{job.pk}/").text
    started = time.monotonic()
    staff.post(f"/en/staff/import/{job.pk}/run/", {"verified": "on"})
    page = staff.get(f"/en/staff/import/{job.pk}/").text
    assert "<progress" in page and 'http-equiv="refresh"' in page and "import-progress.js" in page
    staff.follow(job.pk, "done", imported)
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    return job, checked, imported, elapsed, review


def test_fifty_thousand_rows_with_a_progress_bar_precise_bad_rows_and_an_idempotent_second_run(processes, tmp_path):
    campaign = factories.campaign(slug="rivers", languages=("en", "es", "ar"))
    Partner.objects.create(campaign=campaign, code="rivers", name="Friends of Rivers")
    statement = factories.statement(slug="open-letter", campaign_=campaign)
    coordinator = get_user_model().objects.create_user("coordinator", is_staff=True)
    client = Client()
    factories.staff_login(client, coordinator)
    data = big_file()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {"CONVOCA_BASE_URL": base, "CONVOCA_COUNT_INTERVAL": "1", "CONVOCA_DATA_DIR": str(tmp_path / "data")}
    processes.start("runserver", "--noreload", "--insecure", f"127.0.0.1:{port}", **env)
    processes.start("worker", **env)
    wait_for_port(port)
    staff = Staff(base, client.cookies["sessionid"].value)

    began = time.monotonic()
    job, _checked, imported, elapsed, review = import_file(staff, statement, data)
    total = time.monotonic() - began
    valid = ROWS - len(BAD)
    assert (job.state, job.total_rows, job.valid_rows, job.bad_rows) == ("done", ROWS, valid, len(BAD))
    assert (job.created, job.present) == (valid, 0)
    rising = [value for value in imported if 0 < value < ROWS]
    assert len(set(rising)) >= 2, f"the progress bar moved through too few values: {imported}"
    assert rising == sorted(rising), "progress never goes back"
    assert imported[-1] == ROWS
    # the bad rows, precisely: row number as the spreadsheet shows it, column, reason
    for number, (_row, column, reason) in BAD.items():
        assert re.search(
            rf"<td class=\"num\">{number}</td><td><bdi>{re.escape(column)}</bdi></td>.*?<td>{reason}</td>", review, re.S
        ), number
    report = staff.get(f"/en/staff/import/{job.pk}/").text
    assert "Import finished" in report and "49,995" in report
    assert Endorsement.objects.filter(statement=statement, origin="import").count() == valid
    assert CountEvent.objects.filter(statement=statement).count() == valid - 999  # organizations wait for review
    wait_until(lambda: domain.counts(statement).people == valid - 999, timeout=60)
    print(f"\n50,000 rows: check and import in {total:.1f} s over HTTP; the import itself {elapsed:.1f} s "
          f"({ROWS / elapsed:,.0f} rows/s); progress values seen while importing: {len(set(rising))}")  # fmt: skip

    again, _checked, _imported, elapsed_again, review_again = import_file(staff, statement, data)
    assert "This same file was imported into this statement before" in review_again
    assert (again.state, again.valid_rows, again.present_at_check) == ("done", valid, valid)
    assert (again.created, again.present, again.bad_rows) == (0, valid, len(BAD))
    assert "Nothing was added" in staff.get(f"/en/staff/import/{again.pk}/").text
    assert Endorsement.objects.filter(statement=statement).count() == valid
    assert CountEvent.objects.filter(statement=statement).count() == valid - 999
    print(f"the same file again: {elapsed_again:.1f} s, 0 added")
