import json

import pytest
from django.utils import timezone

from convoca.core.models import OutboxMessage
from convoca.statements import domain
from convoca.statements.models import Endorsement, Revision
from tests import factories
from tests.factories import ALICE, BOB

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "kind": "person", "name": "Alice Example", "email": "alice@example.org", "country": "AR", "city": None,
    "organization": None, "website": None, "role": None, "public": False, "updates": False, "language": "en",
}  # fmt: skip


@pytest.fixture
def statement():
    return factories.statement(es=("Carta abierta", "Pedimos **agua**."), en=("An open letter", "We **ask**."))


def post(client, slug, body, **kwargs):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(f"/api/v1/statements/{slug}/endorsements", data, content_type="application/json", **kwargs)


def test_statement_list_shape(client, statement):
    factories.confirm(factories.endorse(statement, ALICE))
    domain.fold_counts()
    body = client.get("/api/v1/statements").json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert body["items"] == [
        {
            "slug": "open-letter",
            "title": "An open letter",
            "campaign": "open-letter-campaign",
            "language": "en",
            "languages": ["en", "es"],
            "url": "http://testserver/en/s/open-letter/",
            "counts": {"people": 1, "organizations": 0, "total": 1},
            "goal": 100,
            "closes_at": None,
        }
    ]


def test_statement_detail_in_a_language_and_fallback(client, statement):
    spanish = client.get("/api/v1/statements/open-letter?lang=es").json()
    assert spanish["language"] == "es" and spanish["title"] == "Carta abierta"
    assert spanish["body_html"] == "<p>Pedimos <strong>agua</strong>.</p>\n"
    assert spanish["url"].endswith("/es/s/open-letter/")
    arabic = client.get("/api/v1/statements/open-letter?lang=ar").json()
    assert arabic["language"] == "en"
    assert client.get("/api/v1/statements/nope").status_code == 404


def test_body_html_is_sanitised(client, statement):
    Revision.objects.create(
        statement=statement, language="en", title="t",
        body="<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )  # fmt: skip
    html = client.get("/api/v1/statements/open-letter").json()["body_html"]
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html


def test_pagination_links(client):
    campaign = factories.campaign()
    for index in range(55):
        factories.statement(slug=f"s{index:02d}", campaign_=campaign)
    first = client.get("/api/v1/statements").json()
    assert first["count"] == 55 and len(first["items"]) == 50
    assert first["next"] == "http://testserver/api/v1/statements?page=2"
    second = client.get("/api/v1/statements?page=2").json()
    assert len(second["items"]) == 5 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/statements?page=1"
    assert client.get("/api/v1/statements?page=9").json()["items"] == []
    assert client.get("/api/v1/statements?page=0").status_code == 422
    assert client.get("/api/v1/statements?page=abc").status_code == 422


def test_endorse_new_and_repeated_alike(client, statement):
    first = post(client, "open-letter", PAYLOAD)
    again = post(client, "open-letter", PAYLOAD)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json() == {"status": "pending_confirmation"}
    assert Endorsement.objects.count() == 1
    assert OutboxMessage.objects.count() == 2


def test_endorse_as_organization(client, statement):
    payload = {**PAYLOAD, **{k: v for k, v in BOB.items()}, "language": "es", "public": True}
    assert post(client, "open-letter", payload).status_code == 202
    bob = Endorsement.objects.get()
    assert (bob.kind, bob.organization, bob.role, bob.language) == (
        "organization",
        "Friends of Rivers",
        "Secretary",
        "es",
    )
    assert bob.revision.language == "es"


def test_minimal_payload_uses_defaults(client, statement):
    minimal = {"name": "Zoë", "email": "zoe@example.org", "country": "BR"}
    assert post(client, "open-letter", minimal).status_code == 202
    assert Endorsement.objects.get().language == "en"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": "a" * 250 + "@example.org"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"name": "\u0000"}, "name"),
        ({"name": 42}, "name"),
        ({"country": "XX"}, "country"),
        ({"kind": "robot"}, "kind"),
        ({"kind": "organization"}, "organization"),
        ({"public": "yes"}, "public"),
        ({"language": "xx"}, "language"),
        ({"website": "javascript:alert(1)", "kind": "organization", "organization": "O"}, "website"),
        ({"surprise": 1}, "surprise"),
        ({"city": ["a"]}, "city"),
    ],
)
def test_bad_fields_get_422_per_field(client, statement, changes, field):
    response = post(client, "open-letter", {**PAYLOAD, **changes})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors and all(isinstance(m, str) and m for m in errors[field])
    assert not Endorsement.objects.exists()


def test_missing_fields_are_named(client, statement):
    response = post(client, "open-letter", {})
    assert response.status_code == 422
    assert {"name", "email", "country"} <= set(response.json()["errors"])


def test_lone_surrogate_is_refused_not_crashing(client, statement):
    response = post(client, "open-letter", '{"name": "\\ud800", "email": "a@example.org", "country": "AR"}')
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


@pytest.mark.parametrize("body", [b"{not json", b'{"name": "\xff\xfe"}', b"\xff", b"[1, 2]", b'"text"'])
def test_malformed_bodies(client, statement, body):
    response = post(client, "open-letter", body)
    assert response.status_code in (400, 422)
    if body in (b"{not json", b'{"name": "\xff\xfe"}', b"\xff"):
        assert response.status_code == 400
    assert not Endorsement.objects.exists()


def test_body_over_64_kib_is_413(client, statement):
    response = post(client, "open-letter", {**PAYLOAD, "name": "x" * 70_000})
    assert response.status_code == 413
    assert "64 KiB" in response.json()["detail"]


def test_unknown_and_closed_statements(client, statement):
    assert post(client, "nope", PAYLOAD).status_code == 404
    statement.closes_at = timezone.now()
    statement.save()
    response = post(client, "open-letter", PAYLOAD)
    assert response.status_code == 409 and "closed" in response.json()["detail"]


def test_public_endorsers_list_only_consenting_and_approved(client, statement, django_user_model):
    factories.confirm(factories.endorse(statement, ALICE, public=True))
    factories.confirm(factories.endorse(statement, {**ALICE, "email": "hidden@example.org", "name": "Hidden"}))
    bob = factories.endorse(statement, BOB)
    factories.confirm(bob)
    domain.review([bob.pk], "approve", django_user_model.objects.create(username="mod"))
    body = client.get("/api/v1/statements/open-letter/endorsements").json()
    today = timezone.now().date().isoformat()
    assert body["count"] == 2
    assert body["items"] == [
        {"kind": "person", "name": "Alice Example", "organization": None, "country": None, "city": "Rosario",
         "date": today},
        {"kind": "organization", "name": "Friends of Rivers", "organization": "Friends of Rivers", "country": None,
         "city": None, "date": today},
    ]  # fmt: skip
    raw = json.dumps(body)
    assert "example.org" not in raw and "example.net" not in raw and "Hidden" not in raw and "Bob" not in raw


def test_page_and_api_counts_agree(client, statement):
    for index in range(3):
        factories.confirm(factories.endorse(statement, {**ALICE, "email": f"c{index}@example.org"}))
    domain.fold_counts()
    api_total = client.get("/api/v1/statements/open-letter").json()["counts"]["total"]
    html = client.get("/en/s/open-letter/").content.decode()
    assert api_total == 3 and "<strong>3</strong> endorsements" in html


def test_openapi_declares_every_status(client):
    schema = client.get("/api/v1/openapi.json").json()
    endorse = schema["paths"]["/api/v1/statements/{slug}/endorsements"]["post"]["responses"]
    assert {"202", "400", "404", "409", "413", "422"} <= set(endorse)
    for path in ("/api/v1/statements", "/api/v1/statements/{slug}"):
        assert {"200", "400", "404", "422"} <= set(schema["paths"][path]["get"]["responses"])
    assert client.get("/api/v1/docs").status_code == 200


def test_countries_with_fewer_than_three_listed_endorsers_are_not_named(client, statement):
    for index in range(3):
        factories.confirm(factories.endorse(statement, {**ALICE, "email": f"ar{index}@example.org"}, public=True))
    for index in range(2):
        person = {**ALICE, "email": f"jo{index}@example.org", "country": "JO", "name": f"Jo {index}"}
        factories.confirm(factories.endorse(statement, person, public=True))
    items = client.get("/api/v1/statements/open-letter/endorsements").json()["items"]
    assert sorted((i["country"] or "-") for i in items) == ["-", "-", "AR", "AR", "AR"]
    assert client.get("/api/v1/statements/open-letter/endorsements?country=AR").json()["count"] == 3
    assert client.get("/api/v1/statements/open-letter/endorsements?country=JO").json()["count"] == 0
    html = client.get("/en/s/open-letter/").content.decode()
    assert "<h3>Argentina</h3>" in html and "<h3>Jordan</h3>" not in html and "<h3>Other countries</h3>" in html
    assert html.index("<h3>Argentina</h3>") < html.index("<h3>Other countries</h3>")
