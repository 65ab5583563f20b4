"""Hostile input to the API: whatever arrives, the answer is a clear 2xx/4xx, never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
