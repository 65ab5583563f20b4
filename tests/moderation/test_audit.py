"""Each staff page or export that shows personal data writes exactly one audit entry: who, when, what,
and never the data itself."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from convoca.actions import domain as actions
from convoca.actions.models import Action
from convoca.core import apitokens
from convoca.core.models import OutboxMessage
from convoca.moderation.models import AuditEntry, Scope
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES
from tests.factories import ALICE, BOB, CAROL
from tests.moderation.test_queue import LYON

pytestmark = pytest.mark.django_db

WHEN = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
PERSONAL = [
    ALICE["name"], ALICE["email"], ALICE["city"], BOB["name"], BOB["email"], BOB["role"], CAROL["name"],
    CAROL["email"], BUENOS_AIRES["organizer_name"], BUENOS_AIRES["organizer_email"], BUENOS_AIRES["address"],
    "Lou Lyonnais", "lou@example.fr",
]  # fmt: skip


@pytest.fixture
def site(client):
    """A statement with alice, bob and carol; two actions awaiting moderation (Buenos Aires, Lyon)."""
    campaign = factories.campaign(slug="rivers")
    statement = factories.statement(campaign_=campaign)
    for person in (ALICE, BOB, CAROL):
        factories.confirm(factories.endorse(statement, person, public=True, updates=True))
    for body in (BUENOS_AIRES, {**LYON, "organizer_name": "Lou Lyonnais", "organizer_email": "lou@example.fr"}):
        client.post("/api/v1/campaigns/rivers/actions", json.dumps(body), content_type="application/json")
        actions.verify(actions.verify_token(Action.objects.latest("id")))
    return statement


@pytest.fixture
def coordinator(client):
    user = get_user_model().objects.create_superuser("coordinator", password="a-long-password-123")
    factories.staff_login(client, user)
    return user


@pytest.fixture
def clock():
    with time_machine.travel(WHEN, tick=False):
        yield


def only_entry() -> AuditEntry:
    entry = AuditEntry.objects.get()  # exactly one
    values = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in values
    assert entry.at == WHEN
    return entry


def what(entry: AuditEntry) -> tuple:
    return (entry.user.username, entry.username, entry.action, entry.subject, entry.object_id, entry.where, entry.rows)


def test_an_endorsements_page_in_the_admin(clock, client, site, coordinator):
    alice = site.endorsements.get(kind="person", public_name="Alice Example")
    page = client.get(f"/en/admin/statements/endorsement/{alice.pk}/change/").content.decode()
    assert "Alice Example" in page  # the page does show personal data …
    assert what(only_entry()) == (
        "coordinator", "coordinator", "view", "statements.endorsement", alice.pk, "admin", None,
    )  # fmt: skip


def test_an_actions_page_in_the_admin(clock, client, site, coordinator):
    action = Action.objects.get(city="Buenos Aires")
    assert client.get(f"/en/admin/actions/action/{action.pk}/change/").status_code == 200
    assert what(only_entry()) == ("coordinator", "coordinator", "view", "actions.action", action.pk, "admin", None)


def test_an_outbox_messages_page_in_the_admin(clock, client, site, coordinator):
    message = OutboxMessage.objects.order_by("id").first()
    assert client.get(f"/en/admin/core/outboxmessage/{message.pk}/change/").status_code == 200
    assert what(only_entry()) == (
        "coordinator", "coordinator", "view", "core.outboxmessage", message.pk, "admin", None,
    )  # fmt: skip


def test_lists_and_missing_records_write_nothing(client, site, coordinator):
    for url in ("/en/admin/statements/endorsement/", "/en/admin/actions/action/", "/en/admin/core/outboxmessage/",
                "/en/admin/statements/endorsement/999999/change/", "/en/admin/actions/action/x/change/"):  # fmt: skip
        assert client.get(url).status_code in (200, 302), url
    assert AuditEntry.objects.count() == 0


def test_the_csv_export(clock, client, site, coordinator):
    response = client.post("/en/admin/statements/statement/", {"action": "export_csv", "_selected_action": [site.pk]})
    assert response["Content-Type"] == "text/csv" and response.content.decode().count("\n") == 4
    assert what(only_entry()) == (
        "coordinator", "coordinator", "export", "statements.endorsement", None, "CSV export of open-letter", 3,
    )  # fmt: skip


def test_the_moderation_queue_page(clock, client, site, coordinator):
    assert client.get("/en/moderation/actions/").status_code == 200
    assert what(only_entry()) == ("coordinator", "coordinator", "view", "actions.action", None,
                                  "moderation queue page=1", 2)  # fmt: skip
    AuditEntry.objects.all().delete()
    client.get("/en/moderation/actions/?country=fr&language=xx&from=2027-03-01&to=garbage")
    assert what(only_entry())[5:] == ("moderation queue page=1 country=FR from=2027-03-01", 1)


def test_a_decision_then_the_queue_again(clock, client, site, coordinator):
    lyon = Action.objects.get(city="Lyon")
    client.post("/en/moderation/actions/", {"action": lyon.pk, "decision": "approve"}, follow=True)
    assert what(only_entry())[2:] == ("view", "actions.action", None, "moderation queue page=1", 1)


def test_the_moderation_api_queue(clock, client, site):
    moderator = get_user_model().objects.create_user("api-mod", is_staff=True)
    Scope.objects.create(user=moderator, country="FR")
    headers = {"authorization": f"Bearer {apitokens.create(moderator)}"}
    assert client.get("/api/v1/moderation/queue?type=action", headers=headers).json()["count"] == 1
    assert what(only_entry()) == ("api-mod", "api-mod", "view", "actions.action", None,
                                  "moderation API queue page=1", 1)  # fmt: skip
    AuditEntry.objects.all().delete()
    site.endorsements.filter(kind="organization").update(review="pending")
    Scope.objects.all().delete()
    body = client.get("/api/v1/moderation/queue?type=endorsement", headers=headers).json()
    assert [item["organization"] for item in body["items"]] == ["Friends of Rivers"]
    assert what(only_entry())[2:] == ("view", "statements.endorsement", None, "moderation API queue page=1", 1)
    assert client.get("/api/v1/moderation/queue", headers={"authorization": "Bearer nope"}).status_code == 401
    assert AuditEntry.objects.count() == 1


def test_only_superusers_read_the_log_and_no_one_changes_it(client, site, coordinator):
    client.get("/en/moderation/actions/")
    entry = AuditEntry.objects.get()
    listing = client.get("/en/admin/moderation/auditentry/").content.decode()
    assert "moderation queue page=1" in listing
    assert client.get(f"/en/admin/moderation/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/en/admin/moderation/auditentry/{entry.pk}/change/", {"rows": "0"}).status_code == 403
    assert client.get(f"/en/admin/moderation/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/en/admin/moderation/auditentry/add/").status_code == 403
    client.post("/en/admin/moderation/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert AuditEntry.objects.count() == 1

    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    client.logout()
    factories.staff_login(client, moderator)
    assert client.get("/en/admin/moderation/auditentry/").status_code == 403
    assert "auditentry" not in client.get("/en/admin/").content.decode()
