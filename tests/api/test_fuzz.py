"""Hostile input to the API: whatever arrives, the answer is a clear 2xx/4xx, never a 500."""

import json

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convoca.core import apitokens
from convoca.statements.models import Statement
from tests import factories

FIELDS = [
    "kind",
    "name",
    "email",
    "country",
    "city",
    "organization",
    "website",
    "role",
    "public",
    "updates",
    "language",
]
values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=300),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.sampled_from(["person", "organization", "AR", "en", "ar", "a@example.org", "https://example.org", ""]),
)  # fmt: skip


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.dictionaries(st.sampled_from([*FIELDS, "extra"]), values, max_size=12))
def test_no_payload_causes_a_server_error(client, payload):
    if not Statement.objects.filter(slug="fuzz").exists():  # examples share the test's transaction
        factories.statement(slug="fuzz")
    response = client.post("/api/v1/statements/fuzz/endorsements", json.dumps(payload), content_type="application/json")
    assert response.status_code in (202, 400, 422), (payload, response.content)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200))
def test_no_body_causes_a_server_error(client, body):
    response = client.post("/api/v1/statements/anything/endorsements", body, content_type="application/json")
    assert response.status_code in (400, 404, 422)


# NUL (PostgreSQL refuses it in text), an invalid UTF-8 sequence, a bidirectional override, numbers past
# 64 bits and below zero: as every path and query parameter of every operation.
ODD_VALUES = ["%00", "a%00", "%00%00", "AR%00", "%ED%B3%BF", "%E2%80%AE", "9223372036854775808", "1" + "0" * 30, "-1"]


@pytest.mark.django_db
def test_no_parameter_value_causes_a_server_error(client):
    campaign = factories.campaign(slug="water")
    factories.statement(slug="open-letter", campaign_=campaign)
    moderator = get_user_model().objects.create_user("moderator", is_staff=True)
    headers = {"authorization": f"Bearer {apitokens.create(moderator)}"}
    valid = {"slug": "open-letter", "campaign": "water", "action_id": "1", "endorsement_id": "1"}
    spec = client.get("/api/v1/openapi.json").json()
    tried = 0
    for template, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for value in ODD_VALUES:
                    path = template
                    for name, default in valid.items():
                        path = path.replace(f"{{{name}}}", value if name == parameter["name"] else default)
                    if parameter["in"] == "query":
                        path += f"?{parameter['name']}={value}"
                    if method == "get":
                        response = client.get(path, headers=headers)
                    else:
                        response = client.post(path, "{}", content_type="application/json", headers=headers)
                    assert response.status_code < 500, (method, path, response.content)
                    assert response["Content-Type"].startswith("application/json"), (method, path)
                    tried += 1
    assert tried == len(ODD_VALUES) * 28  # every parameter of the 15 operations
