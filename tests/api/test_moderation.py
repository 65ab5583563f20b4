"""The moderation API behind bearer tokens."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from convoca.actions import domain as actions
from convoca.actions.models import Action
from convoca.core import apitokens
from convoca.core.models import ApiToken
from convoca.statements.models import Endorsement
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user("moderator", is_staff=True)


@pytest.fixture
def token(moderator):
    return apitokens.create(moderator)


@pytest.fixture
def pending(client):
    factories.campaign(slug="rivers")
    ids = []
    for title, hour in (("Marcha", "18:30"), ("Marcha bis", "19:30"), ("Far later", "23:59")):
        client.post(
            "/api/v1/campaigns/rivers/actions",
            json.dumps({**BUENOS_AIRES, "title": title, "starts_at": f"2027-03-08T{hour}", "ends_at": None}),
            content_type="application/json",
        )
        action = Action.objects.latest("id")
        actions.verify(actions.verify_token(action))
        ids.append(action.pk)
    return ids


def call(client, method, path, token, body=None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, headers=headers)
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_the_queue_lists_pending_actions_with_duplicate_hints(client, token, pending):
    body = call(client, "get", "/api/v1/moderation/queue?type=action", token).json()
    assert body["count"] == 3
    first, second, third = body["items"]
    assert set(first) == {"type", "id", "title", "organization", "country", "language", "submitted_at",
                          "possible_duplicates"}  # fmt: skip
    assert (first["type"], first["title"], first["country"], first["language"]) == ("action", "Marcha", "AR", "es")
    assert first["possible_duplicates"] == [second["id"]] and third["possible_duplicates"] == []


def test_decisions_and_a_second_decision_is_409(client, token, pending, mailbox):
    url = f"/api/v1/moderation/actions/{pending[0]}"
    response = call(client, "post", url, token, {"decision": "approve"})
    assert response.status_code == 200 and response.json() == {"id": pending[0], "state": "approved"}
    assert call(client, "post", url, token, {"decision": "reject", "reason": "late"}).status_code == 409
    no_reason = call(client, "post", f"/api/v1/moderation/actions/{pending[1]}", token, {"decision": "reject"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    invisible = call(client, "post", f"/api/v1/moderation/actions/{pending[1]}", token,
                     {"decision": "reject", "reason": " \u0011\t"})  # fmt: skip
    assert invisible.status_code == 422 and "reason" in invisible.json()["errors"]
    rejected = call(client, "post", f"/api/v1/moderation/actions/{pending[1]}", token,
                    {"decision": "reject", "reason": "Duplicate of the march at 18:30."})  # fmt: skip
    assert rejected.json()["state"] == "rejected"
    assert call(client, "post", "/api/v1/moderation/actions/999999", token, {"decision": "approve"}).status_code == 404
    assert call(client, "post", url, token, {"decision": "maybe"}).status_code == 422
    assert client.get("/api/v1/campaigns/rivers/actions").json()["count"] == 1

    from convoca.core import mail

    mail.deliver(mail.claim("w"), "w")
    texts = [m.get_body(("plain",)).get_content() for m in mailbox.messages]
    assert any("Duplicate of the march at 18:30." in text for text in texts)


def test_organizations_are_moderated_through_the_api(client, token):
    statement = factories.statement()
    bob = factories.endorse(statement, factories.BOB)
    queue = call(client, "get", "/api/v1/moderation/queue?type=endorsement", token).json()
    assert queue["count"] == 0  # not yet confirmed by e-mail
    factories.confirm(bob)
    queue = call(client, "get", "/api/v1/moderation/queue?type=endorsement", token).json()
    assert [(i["type"], i["id"], i["organization"]) for i in queue["items"]] == [
        ("endorsement", bob.pk, "Friends of Rivers")
    ]
    url = f"/api/v1/moderation/endorsements/{bob.pk}"
    assert call(client, "post", url, token, {"decision": "approve"}).json() == {"id": bob.pk, "state": "approved"}
    assert call(client, "post", url, token, {"decision": "approve"}).status_code == 409
    assert Endorsement.objects.get().counted


@pytest.mark.parametrize("bad", [None, "nope", "cvk_" + "x" * 43])
def test_no_valid_token_no_entry(client, pending, bad):
    assert call(client, "get", "/api/v1/moderation/queue", bad).status_code == 401
    assert (
        call(client, "post", f"/api/v1/moderation/actions/{pending[0]}", bad, {"decision": "approve"}).status_code
        == 401
    )


def test_tokens_expire_are_revocable_and_need_staff(client, moderator, token, pending):
    assert call(client, "get", "/api/v1/moderation/queue", token).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert call(client, "get", "/api/v1/moderation/queue", token).status_code == 401
    fresh = apitokens.create(moderator)
    apitokens.revoke(moderator)
    assert call(client, "get", "/api/v1/moderation/queue", fresh).status_code == 401
    other = apitokens.create(moderator)
    moderator.is_staff = False
    moderator.save()
    assert call(client, "get", "/api/v1/moderation/queue", other).status_code == 401
    assert ApiToken.objects.filter(token_hash__contains="cvk_").count() == 0  # only hashes are stored


@pytest.mark.django_db(transaction=True)
def test_the_command_prints_a_working_token(client):
    from tests.conftest import process_env

    get_user_model().objects.create_user("operator", is_staff=True)
    result = subprocess.run(
        [sys.executable, "-m", "convoca", "create-api-token", "operator", "--days", "30"],
        env=process_env(), capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    token = result.stdout.strip()
    assert token.startswith("cvk_")
    assert call(client, "get", "/api/v1/moderation/queue", token).status_code == 200
    refused = subprocess.run(
        [sys.executable, "-m", "convoca", "create-api-token", "nobody"],
        env=process_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode != 0 and "nobody" in refused.stderr


def test_the_schema_declares_the_statuses(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/moderation/actions/{action_id}"]["post"]["responses"]
    assert {"200", "401", "404", "409", "422"} <= set(post)
