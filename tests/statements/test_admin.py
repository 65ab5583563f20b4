"""Staff work in Django's admin: moderation with decision records, the CSV export, the outbox."""

import csv
import io

import pytest

from convoca.core.models import OutboxMessage
from convoca.moderation.models import Decision
from convoca.statements import domain
from convoca.statements.models import Endorsement
from tests import factories
from tests.factories import ALICE, BOB, CAROL

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return factories.statement()


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_superuser("coordinator", password="a-long-password-123")
    factories.staff_login(client, user)
    return user


def test_staff_pages_need_a_login(client, statement):
    response = client.get("/en/admin/statements/endorsement/")
    assert response.status_code == 302 and "/en/admin/login/" in response["Location"]


def test_staff_pages_keep_csrf_protection(coordinator, statement):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    factories.staff_login(strict, coordinator)
    response = strict.post("/en/admin/statements/endorsement/", {"action": "approve", "_selected_action": [1]})
    assert response.status_code == 403


def test_bulk_approval_records_decisions_and_counts(client, coordinator, statement):
    orgs = []
    for index in range(3):
        org = factories.endorse(statement, {**BOB, "email": f"org{index}@example.net", "organization": f"Org {index}"})
        factories.confirm(org)
        orgs.append(org)
    response = client.post(
        "/en/admin/statements/endorsement/",
        {"action": "approve", "_selected_action": [org.pk for org in orgs[:2]]},
        follow=True,
    )
    assert response.status_code == 200 and "2 endorsements changed" in response.content.decode()
    client.post("/en/admin/statements/endorsement/", {"action": "reject", "_selected_action": [orgs[2].pk]})
    domain.fold_counts()
    assert domain.counts(statement).organizations == 2
    assert sorted(Decision.objects.values_list("verdict", flat=True)) == ["approve", "approve", "reject"]
    assert set(Decision.objects.values_list("decided_by", flat=True)) == {coordinator.pk}


def test_the_list_of_endorsements_shows_no_personal_data(client, coordinator, statement):
    factories.endorse(statement, ALICE)
    html = client.get("/en/admin/statements/endorsement/").content.decode()
    assert "alice@example.org" not in html and "Alice Example" not in html


def test_csv_export_holds_only_what_signers_consented_to_share(client, coordinator, statement):
    factories.confirm(factories.endorse(statement, ALICE, public=True, updates=True))
    factories.confirm(factories.endorse(statement, CAROL))  # neither public nor updates
    factories.confirm(
        factories.endorse(statement, {**ALICE, "email": "evil@example.org", "name": "=HYPERLINK(1)"}, public=True)
    )
    response = client.post(
        "/en/admin/statements/statement/", {"action": "export_csv", "_selected_action": [statement.pk]}
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    alice, carol, evil = rows
    assert (alice["public_name"], alice["updates_email"], alice["updates_name"]) == (
        "Alice Example", "alice@example.org", "Alice Example",
    )  # fmt: skip
    assert alice["revision"] and alice["language"] == "en" and alice["confirmed_on"]
    assert "Carol" not in repr(carol) and "carol@" not in repr(carol)
    assert evil["public_name"] == "'=HYPERLINK(1)"


def test_parked_mail_can_be_sent_again(client, coordinator, statement):
    factories.endorse(statement, ALICE)
    OutboxMessage.objects.update(state=OutboxMessage.State.PARKED, attempts=8)
    message = OutboxMessage.objects.get()
    client.post("/en/admin/core/outboxmessage/", {"action": "resend", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("pending", 0)


def test_revisions_are_added_not_edited(client, coordinator, statement):
    revision = statement.revisions.get()
    data = {
        "campaign": statement.campaign_id, "slug": statement.slug, "published": "on", "goal": "100",
        "opens_at_0": "2026-01-01", "opens_at_1": "00:00:00",
        "revisions-TOTAL_FORMS": "2", "revisions-INITIAL_FORMS": "1", "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
        "revisions-0-id": str(revision.pk), "revisions-0-statement": str(statement.pk),
        "revisions-1-language": "en", "revisions-1-title": "An open letter, amended", "revisions-1-body": "v2",
        "revisions-1-statement": str(statement.pk),
    }  # fmt: skip
    response = client.post(f"/en/admin/statements/statement/{statement.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert statement.revisions.count() == 2
    revision.refresh_from_db()
    assert revision.title == "An open letter"
    latest = domain.latest_revision(statement, "en")
    assert latest.title == "An open letter, amended" and latest.created_by == coordinator


def test_moderation_queue_filters_pending_organizations(client, coordinator, statement):
    factories.endorse(statement, BOB)
    factories.endorse(statement, ALICE)
    html = client.get("/en/admin/statements/endorsement/?review__exact=pending").content.decode()
    assert "Friends of Rivers" in html
    assert Endorsement.objects.filter(review="pending").count() == 1
