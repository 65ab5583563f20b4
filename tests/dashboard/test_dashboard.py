"""The coordinators' dashboard: who may see it, whether its figures match the data, its forms,
and exports of the people who asked for updates (split by partner, audited, large ones by the worker)."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from convoca.actions.models import Action
from convoca.campaigns.models import Partner
from convoca.dashboard import exports
from convoca.dashboard.models import Export
from convoca.gate.models import Alert
from convoca.moderation.models import AuditEntry, Decision, Scope
from convoca.statements import domain
from convoca.statements.models import Endorsement, Revision, Statement
from tests import factories
from tests.dashboard.seed import _action

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 8, 12, 30, tzinfo=UTC)
PASSWORD = "a-long-password-123"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def signed(statement, email, country, when=None, *, kind="person", source="", updates=False, name="Someone", **extra):
    """An endorsement made (and, with `when`, confirmed) at a given time, with a partner code."""
    person = {"kind": kind, "name": name, "email": email, "country": country, **extra}
    with time_machine.travel(when or NOW - timedelta(days=1), tick=False):
        endorsement = factories.endorse(statement, person, updates=updates)
        Endorsement.objects.filter(pk=endorsement.pk).update(source=source)
        if when:
            factories.confirm(endorsement)
    return Endorsement.objects.get(pk=endorsement.pk)


@pytest.fixture
def world():
    """A campaign whose every figure is known (see each test for the sums)."""
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        campaign = factories.campaign(slug="rivers")
        statement = factories.statement(slug="clean-rivers", campaign_=campaign)
    Partner.objects.create(campaign=campaign, code="keepers", name="River Keepers")
    Partner.objects.create(campaign=campaign, code="towns", name="Coastal Towns")
    people = {
        "p1": signed(statement, "p1@example.org", "AR", at("2027-03-08T11:10"), source="keepers", updates=True,
                     name="=HYPERLINK(1)"),
        "p2": signed(statement, "p2@example.org", "AR", at("2027-03-08T11:50"), source="keepers"),
        "p3": signed(statement, "p3@example.org", "FR", at("2027-03-07T09:00"), updates=True),
        "p4": signed(statement, "p4@example.org", "BR", at("2027-03-05T10:00"), source="towns", updates=True),
        "p5": signed(statement, "p5@example.org", "BR", None, source="towns", updates=True),  # never confirms
        "p6": signed(statement, "p6@example.org", "DE", at("2027-03-08T10:00"), updates=True),  # withdraws
        "p7": signed(statement, "p7@example.org", "US", at("2027-03-08T12:10"), source="ghost", updates=True),
        "org1": signed(statement, "org1@example.net", "FR", at("2027-03-08T12:00"), kind="organization",
                       source="keepers", updates=True, organization="Friends of Rivers"),
        "org2": signed(statement, "org2@example.net", "NG", at("2027-03-06T08:00"), kind="organization",
                       organization="Lagoon Watch"),
    }  # fmt: skip
    moderator = get_user_model().objects.create_user("seed", is_staff=True)
    domain.review([people["org1"].pk], "approve", moderator)
    domain.withdraw(domain.withdraw_token(people["p6"]))
    Endorsement.objects.filter(pk=people["p7"].pk).update(hold=Endorsement.Hold.HELD, wave="w1")
    domain.decide_wave("w1", "reject", moderator)
    _action(campaign, "Rally", "Rosario", "AR", -32.9, -60.6, Action.State.APPROVED)
    _action(campaign, "Vigil", "Lyon", "FR", 45.7, 4.8, Action.State.PENDING, "fr")
    Alert.objects.create(kind=Alert.Kind.STATEMENT, subject="clean-rivers", detail="surge")
    Alert.objects.create(kind=Alert.Kind.STATEMENT, subject="another-campaigns-statement", detail="surge")
    domain.fold_counts()
    return {"campaign": campaign, "statement": statement, **people}


@pytest.fixture
def coordinator(client):
    user = get_user_model().objects.create_user("coordinator", password=PASSWORD, is_staff=True)
    factories.staff_login(client, user)
    return user


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- who may see it -------------------------------------------------------------------------------

PAGES = [
    "/en/staff/", "/en/staff/c/rivers/", "/en/staff/c/rivers/figures.json", "/en/staff/s/clean-rivers/",
    "/en/staff/s/clean-rivers/exports/", "/en/staff/s/clean-rivers/text/es/", "/en/staff/c/rivers/partners/new/",
    "/en/staff/c/rivers/look/",
]  # fmt: skip


def test_anonymous_and_non_staff_are_sent_to_the_login(client, world):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/en/admin/login/?next=")
    user = get_user_model().objects.create_user("visitor", password=PASSWORD)
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 302
    response = client.post(
        "/en/staff/c/rivers/organizations/", {"decision": "approve", "endorsement": world["org2"].pk}
    )
    assert response.status_code == 302
    assert Endorsement.objects.get(pk=world["org2"].pk).review == "pending"


def test_staff_need_the_second_factor_outside_demo_mode(client, world, settings):
    import dataclasses

    user = get_user_model().objects.create_user("mod", password=PASSWORD, is_staff=True)
    client.force_login(user)  # a password, no TOTP code
    assert client.get("/en/staff/c/rivers/").status_code == 302
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, demo=True)
    assert client.get("/en/staff/c/rivers/").status_code == 200


def test_every_page_answers_staff_privately(client, world, coordinator):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
    assert client.get("/en/staff/c/nowhere/").status_code == 404
    assert client.get("/en/staff/s/clean-rivers/text/xx/").status_code == 404
    assert client.get("/en/staff/c/rivers/organizations/").status_code == 405


def test_a_moderator_scoped_to_another_campaign_does_not_see_this_one(client, world, coordinator):
    other = factories.campaign(slug="forests")
    Scope.objects.create(user=coordinator, campaign=other)
    assert client.get("/en/staff/c/rivers/").status_code == 404
    assert client.get("/en/staff/s/clean-rivers/exports/").status_code == 404
    assert "forests" in client.get("/en/staff/").content.decode()


# --- the figures ----------------------------------------------------------------------------------


def test_the_json_figures_match_the_data(client, frozen, world, coordinator):
    response = client.get("/en/staff/c/rivers/figures.json")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert set(data) == {"generated_at", "totals", "hours", "days", "countries", "partners", "backlog", "recent"}
    # counted: p1 p2 p3 p4 and org1; not p5 (unconfirmed), p6 (withdrawn), p7 (rejected wave), org2 (pending)
    assert data["totals"] == {"people": 4, "organizations": 1, "total": 5, "public": 5}

    hours = data["hours"]
    assert len(hours) == 48 and hours[-1]["t"] == "2027-03-08T12:00:00+00:00"
    assert hours[0]["t"] == "2027-03-06T13:00:00+00:00"
    by_hour = {
        row["t"][:13]: (row["people"], row["organizations"]) for row in hours if row["people"] or row["organizations"]
    }
    assert by_hour == {"2027-03-08T12": (0, 1), "2027-03-08T11": (2, 0), "2027-03-07T09": (1, 0)}

    days = [(row["t"], row["people"], row["organizations"]) for row in data["days"]]
    assert days == [("2027-03-05", 1, 0), ("2027-03-06", 0, 0), ("2027-03-07", 1, 0), ("2027-03-08", 2, 1)]

    countries = {row["code"]: row for row in data["countries"]}
    assert set(countries) == {"AR", "FR", "BR"}
    assert countries["AR"] | {} == {"code": "AR", "numeric": "032", "name": "Argentina", "people": 2,
                                    "organizations": 0, "actions": 1, "total": 2}  # fmt: skip
    assert (countries["FR"]["people"], countries["FR"]["organizations"], countries["FR"]["actions"]) == (1, 1, 0)
    assert [row["code"] for row in data["countries"]] == ["AR", "FR", "BR"]  # total, then name

    partners = {(row["kind"], row["code"]): (row["all"], row["counted"]) for row in data["partners"]}
    assert partners == {
        ("partner", "keepers"): (3, 3),  # p1, p2, org1
        ("partner", "towns"): (2, 1),  # p4 counted, p5 unconfirmed
        ("none", ""): (2, 1),  # p3 counted, org2 pending (p6 withdrew: gone)
        ("unknown", "ghost"): (1, 0),  # p7, rejected wave
    }
    assert data["backlog"] == {"organizations": 1, "actions": 1, "held_waves": 0, "alerts": 1}

    recent = data["recent"]
    assert recent[0]["type"] == "endorsement" and recent[0]["at"] == "2027-03-08T12:10:00+00:00"
    text = json.dumps(recent)
    assert "@example" not in text and "p1@" not in text, "no address in the recent activity"
    assert any(item["type"] == "action" and item["title"] == "Vigil" for item in recent)


def test_the_public_count_agrees_with_the_dashboard(client, world, coordinator):
    data = client.get("/en/staff/c/rivers/figures.json").json()
    assert data["totals"]["total"] == domain.counts(world["statement"]).total == 5


def test_the_country_table_sorts_on_the_server_too(client, world, coordinator):
    def order(query):
        data = client.get(f"/en/staff/c/rivers/figures.json?{query}").json()
        return [row["code"] for row in data["countries"]]

    assert order("sort=country&dir=asc") == ["AR", "BR", "FR"]
    assert order("sort=country&dir=desc") == ["FR", "BR", "AR"]
    assert order("sort=people") == ["AR", "BR", "FR"]  # 2, then 1 and 1 by name
    assert order("sort=organizations") == ["FR", "AR", "BR"]
    assert order("sort=actions") == ["AR", "BR", "FR"]
    assert order("sort=total&dir=asc") == ["BR", "AR", "FR"]
    assert order("sort=nonsense&dir=sideways") == ["AR", "FR", "BR"]
    html = client.get("/en/staff/c/rivers/?sort=country&dir=asc").content.decode()
    assert 'data-sort="country" aria-sort="ascending"' in html
    assert html.index(">Argentina<") < html.index(">Brazil<") < html.index(">France<")
    arabic = client.get("/ar/staff/c/rivers/").content.decode()
    assert 'dir="rtl"' in arabic and "الأرجنتين" in arabic


def test_the_page_shows_every_panel_without_javascript(client, world, coordinator):
    html = client.get("/en/staff/c/rivers/").content.decode()
    panels = ("Endorsements over time", "By country", "Moderation backlog", "Recent activity", "Partners", "Statements")
    for text in (*panels, "River Keepers", "Coastal Towns", "No partner", "Lagoon Watch", "clean-rivers"):
        assert text in html, text
    assert "<caption>" in html and 'scope="col"' in html and 'aria-live="polite"' in html
    assert "/en/moderation/actions/?campaign=rivers" in html
    assert "@example" not in html


def test_the_moderation_queue_filters_by_campaign(client, world, coordinator):
    other = factories.campaign(slug="forests")
    _action(other, "Tree walk", "Quito", "EC", -0.2, -78.5, Action.State.PENDING, "es")
    html = client.get("/en/moderation/actions/?campaign=rivers").content.decode()
    assert "Vigil" in html and "Tree walk" not in html
    assert "Tree walk" in client.get("/en/moderation/actions/").content.decode()


# --- moderation from the dashboard ----------------------------------------------------------------


def test_organizations_are_approved_through_the_domain_with_a_decision(client, world, coordinator):
    org2 = world["org2"]
    response = client.post("/en/staff/c/rivers/organizations/", {"decision": "approve", "endorsement": [org2.pk]})
    assert response.status_code == 302 and response["Location"].endswith("#backlog")
    org2.refresh_from_db()
    assert org2.review == "approved" and org2.counted and org2.public_name == "Lagoon Watch"
    decision = Decision.objects.get(object_id=org2.pk, decided_by=coordinator)
    assert decision.verdict == "approve"
    again = client.post("/en/staff/c/rivers/organizations/", {"decision": "reject", "endorsement": [org2.pk]},
                        follow=True)  # fmt: skip
    assert "already decided" in again.content.decode()
    assert Endorsement.objects.get(pk=org2.pk).review == "approved"
    for data in ({"decision": "maybe", "endorsement": org2.pk}, {"decision": "approve"},
                 {"decision": "approve", "endorsement": "x"}):  # fmt: skip
        assert client.post("/en/staff/c/rivers/organizations/", data, follow=True).status_code == 200


def test_review_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    user = get_user_model().objects.create_user("mod", password=PASSWORD, is_staff=True)
    factories.staff_login(client, user)
    response = client.post(
        "/en/staff/c/rivers/organizations/", {"decision": "approve", "endorsement": world["org2"].pk}
    )
    assert response.status_code == 403
    assert Endorsement.objects.get(pk=world["org2"].pk).review == "pending"


# --- partners ------------------------------------------------------------------------------------


def test_partners_are_added_validated_and_kept_when_used(client, world, coordinator):
    url = "/en/staff/c/rivers/partners/new/"
    response = client.post(url, {"name": "Students for Water", "code": "students", "website": "students.example.org"})
    assert response.status_code == 302
    students = Partner.objects.get(code="students")
    assert students.website == "https://students.example.org"

    bad = client.post(url, {"name": "X", "code": "Not a slug!", "website": ""})
    assert bad.status_code == 422 and "letters, numbers, underscores or hyphens" in bad.content.decode()
    taken = client.post(url, {"name": "Again", "code": "keepers"})
    assert taken.status_code == 422 and "already has this code" in taken.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    assert Partner.objects.filter(campaign=world["campaign"]).count() == 3

    keepers = Partner.objects.get(code="keepers")
    page = client.get(f"/en/staff/c/rivers/partners/{keepers.pk}/").content.decode()
    assert "cannot change" in page and "3 sign-ups came with this partner" in page
    client.post(f"/en/staff/c/rivers/partners/{keepers.pk}/", {"name": "River Keepers Network", "code": "other"})
    keepers.refresh_from_db()
    assert keepers.name == "River Keepers Network" and keepers.code == "keepers", "a used code never changes"
    response = client.post(f"/en/staff/c/rivers/partners/{keepers.pk}/delete/", follow=True)
    assert "it is kept" in response.content.decode() and Partner.objects.filter(pk=keepers.pk).exists()
    client.post(f"/en/staff/c/rivers/partners/{students.pk}/delete/")
    assert not Partner.objects.filter(pk=students.pk).exists()
    assert client.get("/en/staff/c/rivers/partners/999999/").status_code == 404


def test_colours_and_logo_are_set_from_the_dashboard_and_checked(client, world, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.campaigns.test_theme import png

    url = "/en/staff/c/rivers/look/"
    assert 'href="/en/staff/c/rivers/look/"' in client.get("/en/staff/c/rivers/").content.decode()
    too_light = client.post(url, {"accent_color": "#ffcc00", "soft_color": ""})
    assert too_light.status_code == 422
    assert "darker one such as" in too_light.content.decode() and 'id="error-summary"' in too_light.content.decode()
    assert "<code>#ffcc00</code>" not in too_light.content.decode(), "what is shown as saved is what is saved"
    assert "id_remove_logo" not in too_light.content.decode(), "nothing to remove yet"
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    refused = client.post(url, {"accent_color": "", "soft_color": "", "logo_file": svg})
    assert refused.status_code == 422 and "SVG is not accepted" in refused.content.decode()
    campaign = world["campaign"]
    campaign.refresh_from_db()
    assert (campaign.accent_color, campaign.logo_hash) == ("", ""), "nothing is saved from a refused form"

    image = png()
    saved = client.post(
        url, {"accent_color": "#8A1538", "soft_color": "#fbe9ee", "logo_file": SimpleUploadedFile("l.png", image)}
    )
    assert saved.status_code == 302 and saved["Location"] == url
    campaign.refresh_from_db()
    assert (campaign.accent_color, campaign.soft_color) == ("#8a1538", "#fbe9ee")
    assert bytes(campaign.logo.data) == image
    page = client.get(url).content.decode()
    assert f"/theme/rivers/logo-{campaign.logo_hash}" in page and "Colours and logo saved." in page
    assert "/en/s/clean-rivers/" in page, "a link to a public page that shows the look"

    # the body limit of this page lets a 200 KB logo through, and stops far larger bodies with 413
    big = SimpleUploadedFile("big.png", png(padding=190 * 1024))
    assert client.post(url, {"accent_color": "#8a1538", "soft_color": "", "logo_file": big}).status_code == 302
    huge = SimpleUploadedFile("huge.png", png(padding=400 * 1024))
    assert client.post(url, {"accent_color": "", "soft_color": "", "logo_file": huge}).status_code == 413
    removed = client.post(url, {"accent_color": "", "soft_color": "", "remove_logo": "on"})
    assert removed.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.accent_color, campaign.logo_hash) == ("", "")


# --- statements and texts ------------------------------------------------------------------------


def test_a_statement_is_created_published_and_given_texts(client, world, coordinator):
    url = "/en/staff/c/rivers/statements/new/"
    response = client.post(url, {"slug": "second-letter", "goal": "500", "opens_at": "2027-03-01T10:00"})
    assert response.status_code == 302
    statement = Statement.objects.get(slug="second-letter")
    assert statement.campaign == world["campaign"] and not statement.published and statement.goal == 500

    invalid = client.post(url, {"slug": "clean-rivers", "goal": "-3", "opens_at": "2027-03-01T10:00",
                                "closes_at": "2027-02-01T10:00"})  # fmt: skip
    html = invalid.content.decode()
    assert invalid.status_code == 422
    assert "Statement with this Slug already exists." in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert "The closing time must come after the opening time." in html
    assert client.post(url, {"slug": "x y", "opens_at": "not a date"}).status_code == 422

    edit = "/en/staff/s/second-letter/"
    response = client.post(edit, {"published": "on", "goal": "800", "opens_at": "2027-03-01T10:00",
                                  "closes_at": "2027-06-01T10:00"})  # fmt: skip
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.published and statement.goal == 800 and statement.closes_at == at("2027-06-01T10:00")
    client.post(edit, {"goal": "800", "opens_at": "2027-03-01T10:00"})
    statement.refresh_from_db()
    assert not statement.published and statement.closes_at is None

    text = "/en/staff/s/second-letter/text/es/"
    body = "Los ríos dan **vida**.\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    assert client.post(text, {"title": "Carta", "body": body}).status_code == 302
    revision = Revision.objects.get(statement=statement, language="es")
    assert revision.created_by == coordinator
    assert "<strong>vida</strong>" in revision.body_html
    assert "<script" not in revision.body_html and 'href="javascript' not in revision.body_html
    client.post(text, {"title": "Carta", "body": body}, follow=True)
    assert Revision.objects.filter(statement=statement, language="es").count() == 1, "no change, no version"
    client.post(text, {"title": "Carta abierta", "body": body})
    assert Revision.objects.filter(statement=statement, language="es").count() == 2
    empty = client.post(text, {"title": "", "body": ""})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    page = client.get(edit).content.decode()
    assert "Carta abierta" in page and "missing: the default language is shown" in page


# --- exports -------------------------------------------------------------------------------------


def export(client, source, fmt="csv"):
    return client.post("/en/staff/s/clean-rivers/exports/", {"source": source, "format": fmt})


def rows_of(response) -> list[dict]:
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_exports_hold_only_those_who_asked_for_updates_split_by_partner(client, world, coordinator):
    everyone = rows_of(export(client, "*"))
    # p1, p3, p4 and org1 asked and count; p5 never confirmed, p6 withdrew, p7's wave was rejected
    assert sorted(row["email"] for row in everyone) == [
        "org1@example.net", "p1@example.org", "p3@example.org", "p4@example.org"
    ]  # fmt: skip
    keepers = rows_of(export(client, "keepers"))
    assert sorted(row["email"] for row in keepers) == ["org1@example.net", "p1@example.org"]
    assert {row["partner"] for row in keepers} == {"keepers"}
    assert [row["email"] for row in rows_of(export(client, "towns"))] == ["p4@example.org"]
    assert [row["email"] for row in rows_of(export(client, "-"))] == ["p3@example.org"]
    p1 = next(row for row in keepers if row["email"] == "p1@example.org")
    assert p1["name"] == "'=HYPERLINK(1)", "a formula is neutralised"
    entries = list(AuditEntry.objects.filter(action="export").order_by("id"))
    assert [(entry.username, entry.rows) for entry in entries] == [("coordinator", n) for n in (4, 2, 1, 1)]
    assert entries[1].where == "updates export of clean-rivers partner=keepers format=csv"
    assert "example" not in " ".join(entry.where for entry in entries)
    bad = export(client, "nobody")
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()


def test_the_ods_export_is_a_spreadsheet(client, world, coordinator):
    response = export(client, "keepers", "ods")
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist()[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    content = archive.read("content.xml").decode()
    assert content.count("<table:table-row>") == 3  # the heading and two people
    assert "p1@example.org" in content and "p3@example.org" not in content
    assert 'office:value-type="string"><text:p>=HYPERLINK(1)' in content, "a string cell, never a formula"


@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_written_by_a_real_worker_with_progress(world, processes, monkeypatch, settings):
    client = Client()
    user = get_user_model().objects.create_user("coordinator", password=PASSWORD, is_staff=True)
    factories.staff_login(client, user)
    monkeypatch.setattr(exports, "INLINE_LIMIT", 1)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    response = export(client, "keepers")
    assert response.status_code == 302
    job = Export.objects.get()
    assert response["Location"] == f"/en/staff/exports/{job.pk}/"
    assert (job.state, job.total, job.source) == ("pending", 2, "keepers")
    progress = client.get(f"/en/staff/exports/{job.pk}/?format=json").json()
    assert progress == {"id": job.pk, "state": "pending", "state_label": "waiting", "done": 0, "total": 2,
                        "percent": 0, "download": ""}  # fmt: skip
    assert "<progress" in client.get(f"/en/staff/exports/{job.pk}/").content.decode()
    assert client.get(f"/en/staff/exports/{job.pk}/download/").status_code == 404

    worker = processes.start("worker", "--poll", "0.2")
    from tests.conftest import wait_until

    done = wait_until(
        lambda: (p := client.get(f"/en/staff/exports/{job.pk}/?format=json").json())["state"] == "done" and p,
        timeout=60,
    )
    assert done["percent"] == 100 and done["done"] == 2 and done["download"].endswith("/download/")
    job.refresh_from_db()
    path = exports.path_of(job)
    assert path.parent == settings.CONVOCA.data_dir / "exports" and oct(path.stat().st_mode)[-3:] == "600"
    download = client.get(done["download"])
    body = b"".join(download.streaming_content).decode()
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"] == 'attachment; filename="clean-rivers-updates-keepers.csv"'
    emails = sorted(row["email"] for row in csv.DictReader(io.StringIO(body)))
    assert emails == ["org1@example.net", "p1@example.org"]
    wheres = list(AuditEntry.objects.filter(action="export").order_by("id").values_list("where", "rows"))
    assert wheres == [
        (f"#{job.pk} updates export of clean-rivers partner=keepers format=csv", 2),
        (f"#{job.pk} download updates export of clean-rivers partner=keepers format=csv", 2),
    ]
    assert worker.poll() is None, processes.output(worker)

    # a day later the file is gone, and the page says so
    with time_machine.travel(datetime.now(UTC) + exports.KEEP + timedelta(minutes=1)):
        assert exports.forget_old() == 1
    assert not path.exists()
    assert Export.objects.get(pk=job.pk).state == "expired"
    assert client.get(done["download"]).status_code == 404


def test_an_export_page_of_another_campaign_is_hidden(client, world, coordinator):
    job = Export.objects.create(statement=world["statement"], source=None, requested_by=coordinator)
    assert client.get(f"/en/staff/exports/{job.pk}/").status_code == 200
    other = factories.campaign(slug="forests")
    Scope.objects.create(user=coordinator, campaign=other)
    assert client.get(f"/en/staff/exports/{job.pk}/").status_code == 404
    assert client.get("/en/staff/exports/999999/").status_code == 404


def test_the_page_costs_the_same_queries_with_more_statements_partners_and_countries(client, world, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/staff/c/rivers/").status_code == 200
        return len(captured)

    before = queries()
    for slug in ("second", "third"):
        extra = factories.statement(slug=slug, campaign_=world["campaign"])
        signed(extra, f"{slug}@example.org", "KE", at("2027-03-08T09:00"), source="towns")
    Partner.objects.create(campaign=world["campaign"], code="more", name="More")
    assert queries() == before
