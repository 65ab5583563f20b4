"""Importing endorsements collected elsewhere: mapping, check, preview, import, re-import."""

import codecs
import csv
import dataclasses
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from convoca.campaigns.models import Partner
from convoca.core import crypto
from convoca.core.models import OutboxMessage
from convoca.imports import csvfile, mapping, runner
from convoca.imports.models import BadRow, ImportJob
from convoca.moderation.models import AuditEntry
from convoca.statements import domain
from convoca.statements.models import CountEvent
from tests import factories
from tests.imports.helpers import HEADER, check, csv_text, drain, mapping_post, people, run, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    campaign = factories.campaign(slug="rivers", languages=("en", "es", "ar"))
    Partner.objects.create(campaign=campaign, code="rivers", name="Friends of Rivers")
    return factories.statement(slug="open-letter", campaign_=campaign)


@pytest.fixture
def coordinator(client):
    user = get_user_model().objects.create_user("coordinator", is_staff=True)
    factories.staff_login(client, user)
    return user


# --- the mapping guess ------------------------------------------------------------------------


def test_the_mapping_is_guessed_from_header_names_in_several_languages():
    assert mapping.guess(HEADER) == {
        "name": 0, "email": 1, "kind": 2, "organization": 3, "country": 4, "city": 5, "public": 6, "updates": 7,
    }  # fmt: skip
    spanish = ["Nombre completo", "Correo electrónico", "País", "Ciudad", "Idioma", "Fuente"]
    assert mapping.guess(spanish) == {"name": 0, "email": 1, "country": 2, "city": 3, "language": 4, "source": 5}
    german = ["Zeitstempel", "E-Mail-Adresse", "Name", "Land", "Stadt", "Organisation"]
    assert mapping.guess(german) == {"email": 1, "name": 2, "country": 3, "city": 4, "organization": 5}
    arabic = ["الاسم", "البريد الإلكتروني", "البلد", "المدينة"]
    assert mapping.guess(arabic) == {"name": 0, "email": 1, "country": 2, "city": 3}
    # a form service's long labels: contained names, each column used once
    typeform = ["What is your e-mail address?", "Your name", "Your organization name", "Timestamp"]
    assert mapping.guess(typeform) == {"email": 0, "name": 1, "organization": 2}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", True), ("Sí", True), ("oui", True), ("X", True), ("1", True), ("TRUE", True), ("نعم", True),
     ("evet", True), ("no", False), ("", False), ("0", False), ("nein", False), ("false", False), ("maybe", None)],
)  # fmt: skip
def test_consents_are_no_unless_the_cell_says_yes(cell, expected):
    assert mapping.consent(cell) is expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [("AR", "AR"), ("ar", "AR"), ("ARG", "AR"), ("Argentina", "AR"), ("Allemagne", "DE"), ("Alemanha", "DE"),
     ("Deutschland", "DE"), ("الأرجنتين", "AR"), ("Türkiye", "TR"), ("côte d’ivoire", "CI"), ("USA", "US"),
     ("Atlantis", None)],
)  # fmt: skip
def test_countries_by_code_or_by_name_in_any_interface_language(cell, code):
    assert mapping.country(cell) == code


# --- the check: every kind of bad row, reported precisely -------------------------------------

CRAFTED_HEADER = [*HEADER, "Partner", "Language"]
CRAFTED = [
    ["Ana García", "ana@example.org", "person", "", "Argentina", "Rosario", "sí", "no", "", ""],  # 2 valid
    ["Bad Mail", "not-an-address", "person", "", "AR", "", "", "", "", ""],  # 3
    ["Zed", "zed@example.org", "person", "", "Atlantis", "", "", "", "", ""],  # 4
    ["", "noname@example.org", "person", "", "AR", "", "", "", "", ""],  # 5
    ["Ana G.", " ANA@example.org ", "person", "", "AR", "", "", "", "", ""],  # 6 duplicate of 2
    ["x" * 101, "long@example.org", "person", "", "AR", "", "", "", "", ""],  # 7
    ["Maybe", "maybe@example.org", "person", "", "AR", "", "maybe", "", "", ""],  # 8
    ["Robot", "robot@example.org", "robot", "", "AR", "", "", "", "", ""],  # 9
    ["Olga", "olga@example.org", "organization", "", "AR", "", "", "", "", ""],  # 10
    ["Pat", "pat@example.org", "person", "", "AR", "", "", "", "nobody", ""],  # 11
    ["Kai", "kai@example.org", "person", "", "AR", "", "", "", "", "klingon"],  # 12
    ["Eve\x07", "eve@example.org", "person", "", "AR", "", "", "", "", ""],  # 13
    ["Lía", "lia@example.org", "person", "", "Brasil", "Porto\nAlegre", "x", "yes", "", "pt-BR"],  # 14 valid
    ["Injected", "=cmd|' /C calc'!A0", "person", "", "Narnia", "", "", "", "", ""],  # 15 two problems
    ["", "", "", "", "", "", "", "", "", ""],  # 16 blank: skipped, still numbered
    ["Olaf", "olaf@example.net", "Organisation", "Flussfreunde", "DEU", "Köln", "x", "", "RIVERS", "Deutsch"],  # 17
    ["Amal", "amal@example.org", "person", "", "الأرجنتين", "", "نعم", "", "", "ar"],  # 18 valid
]
EXPECTED_PROBLEMS = [
    (3, "B (Email address)", "not-an-address", "not a valid e-mail address"),
    (4, "E (Country)", "Atlantis", "unknown country"),
    (5, "A (Full name)", "", "missing"),
    (6, "B (Email address)", " ANA@example.org ", "the same address as row 2"),
    (7, "A (Full name)", "x" * 39 + "…", "too long (at most 100 characters)"),
    (8, "G (List my name)", "maybe", "not a clear yes or no"),
    (9, "C (Type)", "robot", "neither a person nor an organization"),
    (10, "D (Organisation)", "", "an organization needs its name"),
    (11, "I (Partner)", "nobody", "no partner of this campaign has this code"),
    (12, "J (Language)", "klingon", "unknown language"),
    (13, "A (Full name)", "Eve\x07", "contains control characters"),
    (15, "B (Email address)", "=cmd|' /C calc'!A0", "not a valid e-mail address"),
    (15, "E (Country)", "Narnia", "unknown country"),
]


def crafted_job(client, statement):
    data = csv_text(CRAFTED, header=CRAFTED_HEADER).encode()
    job = upload(client, statement, data)
    assert job.mapping["columns"] == {
        "name": 0, "email": 1, "kind": 2, "organization": 3, "country": 4, "city": 5, "public": 6, "updates": 7,
        "source": 8, "language": 9,
    }  # fmt: skip
    return check(client, job)


def test_the_check_lists_every_bad_row_with_row_column_value_and_reason(client, coordinator, statement):
    job = crafted_job(client, statement)
    assert job.state == ImportJob.State.CHECKED
    assert (job.total_rows, job.valid_rows, job.bad_rows, job.present_at_check) == (16, 4, 12, 0)
    from convoca.imports.views import _problems

    found = [(p["row"], p["column"], p["value"], p["reason"]) for p in _problems(job)]
    assert found == EXPECTED_PROBLEMS

    page = client.get(f"/en/staff/import/{job.pk}/").content.decode()
    assert "Check and import" in page
    assert "the same address as row 2" in page and "not-an-address" in page
    assert "Import 4 endorsements" in page
    # the preview shows rows as they will be imported: the country named, the multi-line city in one line
    assert "Porto Alegre" in page and "Brazil" in page and "Germany" in page
    assert "Skipped:" in page
    assert AuditEntry.objects.filter(subject="imports.importjob", object_id=job.pk, action="view").exists()


def test_bad_rows_are_never_written_and_the_good_ones_are(client, coordinator, statement):
    job = run(client, crafted_job(client, statement), verified=True)
    assert (job.state, job.created, job.present, job.bad_rows) == (ImportJob.State.DONE, 4, 0, 12)
    stored = {(e.name, e.country, e.kind) for e in statement.endorsements.all()}
    assert stored == {
        ("Ana García", "AR", "person"),
        ("Lía", "BR", "person"),
        ("Olaf", "DE", "organization"),
        ("Amal", "AR", "person"),
    }
    olaf = statement.endorsements.get(kind="organization")
    assert (olaf.organization, olaf.source, olaf.language, olaf.consent_public) == (
        "Flussfreunde",
        "rivers",
        "de",
        True,
    )
    lia = statement.endorsements.get(email_hash=crypto.email_hash("lia@example.org"))
    assert (lia.name, lia.city, lia.language, lia.consent_public, lia.consent_updates) == (
        "Lía", "Porto Alegre", "pt", True, True,
    )  # fmt: skip
    assert not runner.path_of(job).exists(), "the file is deleted when the import ends"


def test_the_bad_rows_download_cannot_inject_formulas(client, coordinator, statement):
    job = crafted_job(client, statement)
    response = client.get(f"/en/staff/import/{job.pk}/bad-rows.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", *CRAFTED_HEADER, "reason"]
    assert [row[0] for row in rows[1:]] == ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "15"]
    injected = rows[-1]
    assert injected[2] == "'=cmd|' /C calc'!A0"
    assert injected[-1] == "B (Email address): not a valid e-mail address; E (Country): unknown country"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert AuditEntry.objects.filter(subject="imports.importjob", action="export", rows=12).exists()


def test_a_mapping_without_name_or_email_or_with_a_column_twice_is_refused(client, coordinator, statement):
    job = upload(client, statement, csv_text(people(3)).encode())
    response = client.post(f"/en/staff/import/{job.pk}/map/", mapping_post(job, column_email=""))
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    response = client.post(f"/en/staff/import/{job.pk}/map/", mapping_post(job, column_city="0"))
    assert response.status_code == 422
    assert "Column A is already chosen for “Name”." in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.NEW


# --- encodings and delimiters -----------------------------------------------------------------

ROWS = [["Zoë Ørsted", "zoe@example.org", "person", "", "Dänemark", "Århus", "ja", "nein"]]


@pytest.mark.parametrize(
    ("encoded", "encoding", "delimiter"),
    [
        (codecs.BOM_UTF8 + csv_text(ROWS).encode(), "utf-8", ","),
        (csv_text(ROWS, delimiter=";").encode(), "utf-8", ";"),
        (codecs.BOM_UTF16_LE + csv_text(ROWS, delimiter="\t").encode("utf-16-le"), "utf-16", "\t"),
        (csv_text(ROWS, delimiter="\t").encode("utf-16-le"), "utf-16-le", "\t"),
        (csv_text(ROWS, delimiter=";").encode("cp1252"), "cp1252", ";"),
    ],
    ids=["utf8-bom-comma", "utf8-semicolon", "utf16-bom-tab", "utf16le-no-bom", "windows1252"],
)
def test_encoding_and_delimiter_are_detected(client, coordinator, statement, encoded, encoding, delimiter):
    job = upload(client, statement, encoded)
    assert (job.encoding, job.delimiter) == (encoding, delimiter)
    assert job.header == HEADER
    job = run(client, check(client, job), verified=True)
    assert job.created == 1
    zoe = statement.endorsements.get()
    assert (zoe.name, zoe.country, zoe.city[:5], zoe.consent_public, zoe.consent_updates) == (
        "Zoë Ørsted", "DK", "Århus", True, False,
    )  # fmt: skip


def test_staff_may_choose_the_encoding_and_delimiter(client, coordinator, statement):
    data = csv_text(ROWS, delimiter=";").encode("cp1252")
    job = upload(client, statement, data, encoding="latin-1", delimiter=";")
    assert (job.encoding, job.delimiter) == ("latin-1", ";")


def test_a_file_that_is_not_csv_text_is_refused_with_a_reason(client, coordinator, statement):
    response = client.post(
        "/en/staff/import/", {"statement": statement.pk, "file": SimpleUploadedFile("x.csv", b"", "text/csv")}
    )
    assert response.status_code == 422
    response = client.post(
        "/en/staff/import/",
        {"statement": statement.pk, "file": SimpleUploadedFile("x.csv", b"\n\n", "text/csv"), "encoding": "utf-8"},
    )
    assert response.status_code == 422
    assert "the first row should name the columns" in response.content.decode()
    assert list(runner.directory().glob("*.csv")) == [] or not ImportJob.objects.exists()


def test_sniffing_helpers_directly(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'name;email\n"Smith, Jo";jo@example.org\n')
    assert csvfile.detect_encoding(path) == "utf-8"
    assert csvfile.sniff_delimiter(path, "utf-8") == ";"
    path.write_bytes(b"name\temail\nJo\tjo@example.org\n")
    assert csvfile.sniff_delimiter(path, "utf-8") == "\t"
    path.write_bytes("name,note\nZoë,€\n".encode("cp1252"))
    assert csvfile.detect_encoding(path) == "cp1252"
    path.write_bytes("name,note\nZoë,".encode("latin-1") + b"\x81\n")  # undefined in Windows-1252
    assert csvfile.detect_encoding(path) == "latin-1"


# --- limits and access ------------------------------------------------------------------------


def test_a_file_over_the_limit_gets_413_with_a_clear_message(client, coordinator, statement, settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, import_max_bytes=100_000)
    big = csv_text(people(3000)).encode()
    assert len(big) > 100_000 + 64 * 1024  # refused from its Content-Length, before reading
    response = client.post("/en/staff/import/", {"statement": statement.pk, "file": SimpleUploadedFile("a.csv", big)})
    assert response.status_code == 413
    assert "larger than 97.7" in response.content.decode() and "CONVOCA_IMPORT_MAX_BYTES" in response.content.decode()
    a_bit_over = csv_text(people(1700)).encode()
    assert 100_000 < len(a_bit_over) < 100_000 + 64 * 1024  # refused while streaming to disk
    response = client.post(
        "/en/staff/import/", {"statement": statement.pk, "file": SimpleUploadedFile("a.csv", a_bit_over)}
    )
    assert response.status_code == 413
    assert ImportJob.objects.count() == 0
    assert not list(runner.directory().glob("*.csv")), "nothing of a refused upload stays on disk"
    under = csv_text(people(1500)).encode()
    assert 64 * 1024 < len(under) < 100_000  # larger than a public endpoint takes: staff are not bound by it
    upload(client, statement, under)
    assert client.post("/en/s/open-letter/endorse/", {"x": "y" * 70_000}).status_code == 413


def test_non_staff_are_refused_everywhere(client, statement, django_user_model):
    job = ImportJob.objects.create(
        statement=statement, file_name="a.csv", sha256="0", encoding="utf-8", delimiter=",", header=["a"]
    )
    urls = [f"/en/staff/import/{job.pk}/{suffix}" for suffix in ("", "status.json", "bad-rows.csv")]
    posts = [f"/en/staff/import/{job.pk}/{suffix}/" for suffix in ("map", "run", "resume", "cancel")]

    def refused():
        for url in ["/en/staff/import/", *urls]:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        for url in ["/en/staff/import/", *posts]:
            response = client.post(url, {"statement": statement.pk, "file": SimpleUploadedFile("a.csv", b"a\n1\n")})
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url

    refused()  # anonymous
    client.force_login(django_user_model.objects.create_user("supporter"))
    refused()  # not staff
    client.force_login(django_user_model.objects.create_user("no-code", is_staff=True))
    refused()  # staff, but no second factor
    assert ImportJob.objects.get() == job and job.state == ImportJob.State.NEW


def test_pages_are_private_and_the_upload_needs_csrf(statement, django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    factories.staff_login(client, django_user_model.objects.create_user("c", is_staff=True))
    response = client.get("/en/staff/import/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    response = client.post(
        "/en/staff/import/", {"statement": statement.pk, "file": SimpleUploadedFile("a.csv", b"a\n")}
    )
    assert response.status_code == 403
    assert not list(runner.directory().glob("*.csv"))


# --- verified or not --------------------------------------------------------------------------


def test_verified_rows_are_confirmed_counted_and_listed_as_consented(client, coordinator, statement):
    job = run(client, check(client, upload(client, statement, csv_text(people(10)).encode())), verified=True)
    assert (job.created, job.present) == (10, 0)
    endorsements = statement.endorsements.all()
    assert all(e.origin == "import" and e.confirmed_at and e.counted for e in endorsements)
    assert CountEvent.objects.filter(statement=statement, delta=1).count() == 10
    listed = sorted(e.public_name for e in endorsements if e.public_name)
    assert listed == ["Person 1", "Person 3", "Person 5", "Person 7", "Person 9"]  # only those who said yes
    assert OutboxMessage.objects.count() == 0, "nobody is mailed"
    domain.fold_counts()
    assert domain.counts(statement).people == 10
    page = client.get("/en/s/open-letter/").content.decode()
    assert "Person 1" in page and "Person 2" not in page
    assert "Import finished" in client.get(f"/en/staff/import/{job.pk}/").content.decode()


def test_unverified_rows_are_stored_but_not_counted_listed_or_mailed(client, coordinator, statement):
    job = run(client, check(client, upload(client, statement, csv_text(people(6)).encode())))
    assert job.created == 6
    assert all(e.confirmed_at is None and not e.counted and not e.public_name for e in statement.endorsements.all())
    assert CountEvent.objects.count() == 0 and OutboxMessage.objects.count() == 0
    domain.fold_counts()
    assert domain.counts(statement).total == 0
    assert "stored unconfirmed" in client.get(f"/en/staff/import/{job.pk}/").content.decode()


def test_unverified_rows_may_be_sent_a_confirmation_that_counts_them(client, coordinator, statement):
    job = run(client, check(client, upload(client, statement, csv_text(people(3)).encode())), send_confirmation=True)
    assert job.created == 3
    messages = OutboxMessage.objects.filter(kind="statements.confirm")
    assert messages.count() == 3
    one = statement.endorsements.get(email_hash=crypto.email_hash("person1@example.org"))
    assert messages.filter(context__endorsement=one.pk).exists()
    domain.confirm(domain.confirm_token(one))
    domain.fold_counts()
    assert domain.counts(statement).people == 1


def test_verified_and_mails_together_are_refused(client, coordinator, statement):
    job = check(client, upload(client, statement, csv_text(people(2)).encode()))
    response = client.post(f"/en/staff/import/{job.pk}/run/", {"verified": "on", "send_confirmation": "on"})
    assert response.status_code == 422
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED


def test_imported_organizations_wait_for_review_before_they_count(client, coordinator, statement):
    rows = [["Olga", "olga@example.org", "organization", "Rio Vivo", "AR", "", "yes", ""]]
    run(client, check(client, upload(client, statement, csv_text(rows).encode())), verified=True)
    olga = statement.endorsements.get()
    assert olga.confirmed_at and olga.review == "pending" and not olga.counted and not olga.public_name
    domain.review([olga.pk], "approve", coordinator)
    domain.fold_counts()
    assert domain.counts(statement).organizations == 1


# --- idempotence ------------------------------------------------------------------------------


def test_the_same_file_imported_again_adds_nothing_and_says_so(client, coordinator, statement):
    data = csv_text(people(20)).encode()
    factories.confirm(factories.endorse(statement, {**factories.ALICE, "email": "person3@example.org"}))
    first = run(client, check(client, upload(client, statement, data)), verified=True)
    assert (first.created, first.present) == (19, 1)
    form_signer = statement.endorsements.get(email_hash=crypto.email_hash("person3@example.org"))
    assert form_signer.origin == "form" and form_signer.name == "Alice Example", "an existing signer is left alone"
    second = check(client, upload(client, statement, data))
    assert (second.valid_rows, second.present_at_check) == (20, 20)
    page = client.get(f"/en/staff/import/{second.pk}/").content.decode()
    assert "This same file was imported into this statement before" in page
    assert "Import 0 endorsements" in page
    second = run(client, second, verified=True)
    assert (second.created, second.present) == (0, 20)
    assert "Nothing was added" in client.get(f"/en/staff/import/{second.pk}/").content.decode()
    assert statement.endorsements.count() == 20
    assert CountEvent.objects.filter(statement=statement).count() == 20


def test_a_sign_up_racing_with_the_import_is_not_doubled(client, coordinator, statement):
    """An address that signs between the pre-filter and the insert: the unique constraint wins."""
    built = domain.imported_endorsement(
        statement,
        {"kind": "person", "name": "Late", "email": "late@example.org", "country": "AR", "language": "en"},
        confirmed=True,
    )
    factories.endorse(statement, {**factories.ALICE, "email": "late@example.org"})
    assert domain.add_imported([built]) == []
    assert CountEvent.objects.count() == 0 and statement.endorsements.count() == 1


# --- resumable --------------------------------------------------------------------------------


def test_an_import_whose_worker_died_is_resumed_from_its_last_chunk(client, coordinator, statement, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 50)
    job = check(client, upload(client, statement, csv_text(people(180)).encode()))
    client.post(f"/en/staff/import/{job.pk}/run/", {"verified": "on"})
    first = runner.claim("worker-a")
    chunks = runner.import_chunks(first, "worker-a")
    next(chunks), next(chunks)  # two chunks committed, then the worker dies holding its lease
    job.refresh_from_db()
    assert (job.done_rows, job.created, job.lease_owner) == (100, 100, "worker-a")
    assert runner.claim("worker-b") is None, "a live lease is respected"
    ImportJob.objects.filter(pk=job.pk).update(lease_expires_at=job.lease_expires_at - runner.LEASE * 2)
    assert runner.work("worker-b", budget=30) == 80
    job.refresh_from_db()
    assert (job.state, job.done_rows, job.created, job.present) == (ImportJob.State.DONE, 180, 180, 0)
    assert statement.endorsements.count() == 180
    assert CountEvent.objects.count() == 180
    with pytest.raises(runner.LeaseLost):  # the dead worker, were it to wake up, writes nothing
        next(chunks)


def test_a_failed_import_can_be_resumed_by_staff(client, coordinator, statement, monkeypatch):
    job = check(client, upload(client, statement, csv_text(people(5)).encode()))
    client.post(f"/en/staff/import/{job.pk}/run/", {"verified": "on"})

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(runner.domain, "add_imported", broken)
    for _ in range(runner.MAX_ATTEMPTS):
        runner.work("w")
    job.refresh_from_db()
    assert (job.state, job.error, job.failed_in) == ("failed", "RuntimeError", "importing")
    assert "Import stopped by an error" in client.get(f"/en/staff/import/{job.pk}/").content.decode()
    monkeypatch.undo()
    assert client.post(f"/en/staff/import/{job.pk}/resume/").status_code == 302
    job = drain(job)
    assert (job.state, job.created) == ("done", 5)
    assert client.post(f"/en/staff/import/{job.pk}/resume/").status_code == 409


def test_cancelling_stops_the_worker_and_deletes_the_file(client, coordinator, statement, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 10)
    job = check(client, upload(client, statement, csv_text(people(40)).encode()))
    client.post(f"/en/staff/import/{job.pk}/run/", {"verified": "on"})
    claimed = runner.claim("w")
    chunks = runner.import_chunks(claimed, "w")
    next(chunks)
    assert client.post(f"/en/staff/import/{job.pk}/cancel/").status_code == 302
    with pytest.raises(runner.LeaseLost):
        next(chunks)
    job.refresh_from_db()
    assert (job.state, job.created) == ("cancelled", 10)
    assert statement.endorsements.count() == 10, "what was committed stays, whole rows only"
    assert not runner.path_of(job).exists()


def test_files_and_bad_row_cells_are_erased_after_a_day(client, coordinator, statement):
    import time_machine
    from django.utils import timezone

    job = crafted_job(client, statement)
    waiting = upload(client, statement, csv_text(people(2)).encode())
    assert runner.path_of(job).exists()
    with time_machine.travel(timezone.now() + runner.KEEP + timezone.timedelta(hours=1)):
        runner.clean()
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert (job.state, job.stored_name, waiting.state) == ("cancelled", "", "cancelled")
    assert not list(runner.directory().glob("*.csv"))
    assert BadRow.objects.filter(job=job).count() == 12 and not BadRow.objects.exclude(cells="").exists()
    page = client.get(f"/en/staff/import/{job.pk}/").content.decode()
    assert "(erased)" in page and "unknown country" in page


def test_status_json_reports_progress(client, coordinator, statement):
    job = check(client, upload(client, statement, csv_text(people(3)).encode()))
    status = client.get(f"/en/staff/import/{job.pk}/status.json").json()
    assert status | {"text": ""} == {
        "state": "checked", "done": 3, "total": 3, "percent": 100, "text": "", "stalled": False, "valid": 3,
        "bad": 0, "present_at_check": 0, "created": 0, "present": 0,
    }  # fmt: skip
    assert json.dumps(status)
