"""The moderators' queue page and moderation scopes."""

import json

import pytest
from django.contrib.auth import get_user_model

from convoca.actions import domain
from convoca.actions.models import Action
from convoca.core import apitokens
from convoca.moderation.models import Decision, Scope
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES

pytestmark = pytest.mark.django_db

LYON = {**BUENOS_AIRES, "title": "Veillée à Lyon", "language": "fr", "city": "Lyon", "country": "FR",
        "latitude": 45.76, "longitude": 4.83}  # fmt: skip


@pytest.fixture
def pending(client):
    campaign = factories.campaign(slug="rivers")
    for body in (BUENOS_AIRES, LYON):
        client.post("/api/v1/campaigns/rivers/actions", json.dumps(body), content_type="application/json")
        domain.verify(domain.verify_token(Action.objects.latest("id")))
    return campaign


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_user("mod", password="a-long-password-123", is_staff=True)
    factories.staff_login(client, user)
    return user


def test_the_page_needs_staff(client, pending):
    response = client.get("/en/moderation/actions/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_queue_filters_and_decides(client, pending, moderator):
    html = client.get("/en/moderation/actions/").content.decode()
    assert "Marcha por los ríos" in html and "Veillée à Lyon" in html
    html = client.get("/en/moderation/actions/?country=fr").content.decode()
    assert "Veillée à Lyon" in html and "Marcha por los ríos" not in html
    html = client.get("/en/moderation/actions/?language=es&from=2027-03-08&to=2027-03-08").content.decode()
    assert "Marcha por los ríos" in html and "Veillée à Lyon" not in html
    assert "Veillée" not in client.get("/en/moderation/actions/?from=2027-03-09").content.decode()
    assert client.get("/en/moderation/actions/?from=garbage&page=x").status_code == 200

    lyon = Action.objects.get(title="Veillée à Lyon")
    response = client.post("/en/moderation/actions/", {"action": lyon.pk, "decision": "reject"}, follow=True)
    assert "Give a reason" in response.content.decode()
    client.post("/en/moderation/actions/", {"action": lyon.pk, "decision": "reject", "reason": "Wrong date."})
    lyon.refresh_from_db()
    assert lyon.state == "rejected" and Decision.objects.get().reason == "Wrong date."
    response = client.post("/en/moderation/actions/", {"action": lyon.pk, "decision": "approve"}, follow=True)
    assert "already decided" in response.content.decode()


def test_the_page_keeps_csrf_protection(pending, moderator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    factories.staff_login(strict, moderator)
    action = Action.objects.first()
    assert strict.post("/en/moderation/actions/", {"action": action.pk, "decision": "approve"}).status_code == 403


def test_scopes_limit_what_a_moderator_sees_and_decides(client, pending, moderator):
    Scope.objects.create(user=moderator, campaign=pending, country="AR")
    html = client.get("/en/moderation/actions/").content.decode()
    assert "Marcha por los ríos" in html and "Veillée à Lyon" not in html
    lyon = Action.objects.get(title="Veillée à Lyon")
    client.post("/en/moderation/actions/", {"action": lyon.pk, "decision": "approve"})
    lyon.refresh_from_db()
    assert lyon.state == "pending"

    token = apitokens.create(moderator)
    headers = {"authorization": f"Bearer {token}"}
    queue = client.get("/api/v1/moderation/queue", headers=headers).json()
    assert [item["title"] for item in queue["items"]] == ["Marcha por los ríos"]
    refused = client.post(f"/api/v1/moderation/actions/{lyon.pk}", json.dumps({"decision": "approve"}),
                          content_type="application/json", headers=headers)  # fmt: skip
    assert refused.status_code == 404
