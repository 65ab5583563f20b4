"""schemathesis against /api/v1's own OpenAPI schema, with every check it has.

The schema is loaded from the application in process (WSGI). Every operation is called with generated
valid and invalid input (examples, coverage and fuzzing phases), and a state machine follows the schema's
OpenAPI links; every answer goes through all of schemathesis's checks, none disabled: not_a_server_error,
status_code_conformance, content_type_conformance, response_headers_conformance,
response_schema_conformance, negative_data_rejection, positive_data_acceptance, missing_required_header,
unsupported_method, allow_header_conformance, ignored_auth, use_after_free, ensure_resource_availability and
object_level_authorization. (The last three find nothing to do here: nothing is deleted, a POST answers 202
without creating a readable resource, and there is one kind of API identity.) One narrow exception for
positive_data_acceptance is below, with its reason.

The database holds realistic data and fuzz dictionaries feed its slugs and ids to the generator, so that
calls reach real rows and not only 404s: every operation must succeed at least once.

Deterministic (fixed seed, derandomized Hypothesis, no example database) and bounded. For a deeper run:
CONVOCA_SCHEMATHESIS_EXAMPLES=200 CONVOCA_SCHEMATHESIS_SEED=7 pytest tests/api/test_schemathesis.py
"""

import gzip
import os
from datetime import timedelta

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.openapi.checks import RejectedPositiveData

from convoca.actions import domain as actions
from convoca.actions.forms import ActionForm
from convoca.actions.models import Action, Place, PlaceName
from convoca.actions.places import fold
from convoca.core import crypto
from convoca.core.models import ApiToken
from convoca.statements import domain as statements
from convoca.statements.models import Endorsement, Statement
from tests import factories

TOKEN = "cvk_schemathesis-moderator-token-0123456789"
FIRST_ACTION_ID = 501
FIRST_ENDORSEMENT_ID = 701
SLUGS = ["open-letter", "closed-letter"]
CAMPAIGNS = ["water"]
ACTION_IDS = list(range(FIRST_ACTION_ID, FIRST_ACTION_ID + 8))  # seven actions, and one that does not exist
ENDORSEMENT_IDS = list(range(FIRST_ENDORSEMENT_ID, FIRST_ENDORSEMENT_ID + 12))  # eleven endorsements, and one more

# Strings that databases, encoders and case mappings trip on: NUL (PostgreSQL refuses it in text),
# bidirectional overrides, letters whose upper case is longer, quotes, markup.
HOSTILE = ["\x00", "a\x00", "\x00\x00", "%00", "\u202e", "İ", "ßa", "ﬁ", "' OR '1'='1", "<script>", "../..", "٣"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": int(os.environ.get("CONVOCA_SCHEMATHESIS_SEED", 20270308)),
        "suppress-health-check": ["all"],  # they time data generation: on a busy CI machine, flaky
        "generation": {
            "deterministic": True,
            "database": "none",
            "max-examples": int(os.environ.get("CONVOCA_SCHEMATHESIS_EXAMPLES", 25)),
            # now and then, wherever the schema allows them (or, for invalid input, refuses them)
            "dictionaries": {
                "string": {"dictionary": "hostile", "probability": 0.15},
                "integer": {"dictionary": "huge", "probability": 0.15},
            },
        },
        "auth": {"openapi": {"StaffToken": {"bearer": TOKEN}}},
        "dictionaries": {
            "hostile": {"values": HOSTILE},
            "huge": {"values": [0, -1, 2**31, 2**63, 10**30]},
            "slugs": {"values": SLUGS},
            "campaigns": {"values": CAMPAIGNS},
            "actions": {"values": ACTION_IDS},
            "endorsements": {"values": ENDORSEMENT_IDS},
            "kinds": {"values": ["march", "rally", "vigil"]},
            "countries": {"values": ["AR"]},
            "cities": {"values": ["Buenos Aires", "Rosario"]},
            "late": {"values": ["2999-12-31T23:59"]},
        },
        "operations": [
            {  # an in-person action in a city the places table knows, ending after it starts, now and then
                "include-path": "/api/v1/campaigns/{campaign}/actions",
                "include-method": "POST",
                "parameters": {
                    "body.kind": {"dictionary": "kinds", "probability": 0.7},
                    "body.country": {"dictionary": "countries", "probability": 0.7},
                    "body.city": {"dictionary": "cities", "probability": 0.7},
                    "body.ends_at": {"dictionary": "late", "probability": 0.7},
                },
            }
        ],
        "parameters": {
            "path.slug": {"dictionary": "slugs", "probability": 0.8},
            "path.campaign": {"dictionary": "campaigns", "probability": 0.8},
            "path.action_id": {"dictionary": "actions", "probability": 0.8},
            "path.endorsement_id": {"dictionary": "endorsements", "probability": 0.8},
        },
    }
)


def as_http_clients_see_it(app):
    """The WSGI application with `Content-Encoding: gzip` undone, as an HTTP client does.

    schemathesis's in-process transport sends requests' default `Accept-Encoding: gzip, deflate`
    but, unlike requests over the network, hands the checks the compressed bytes.
    """

    def wrapped(environ, start_response):
        answer = {}

        def capture(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        iterable = app(environ, capture)
        try:
            body = b"".join(iterable)
        finally:
            iterable.close()  # Django's request_finished
        headers = answer["headers"]
        if ("Content-Encoding", "gzip") in headers:
            body = gzip.decompress(body)
            headers = [(name, value) for name, value in headers if name != "Content-Length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(answer["status"], headers)
        return [body]

    return wrapped


schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", as_http_clients_see_it(get_wsgi_application()), config=CONFIG
)

# Whether an action is accepted also depends on rules that no JSON Schema can state: the end after the
# start, a wall time the clocks do not skip there, an online action's link and time zone, an in-person
# one's country and city (found in GeoNames when no coordinates are given) and the time zone at its
# place. A schema-valid action refused on those grounds, and only those, is the API at work.
CROSS_FIELD_RULES = {"starts_at", "ends_at", "online_url", "timezone", "country", "city", "latitude"}


def _refused_only_for_its_proof_of_work(context, failure, case, response) -> bool:
    """Keep the failure unless it is the 400 for an `altcha` value that is not a solved challenge.
    A proof of work is valid by its cryptography, which no schema can state: any string the schema
    allows is refused unless it is a solution to one of our challenges, unused and unexpired
    (tests/gate/ tests the field and its 400s)."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    return not (isinstance(case.body, dict) and case.body.get("altcha") and "proof of work" in response.text)


@schema.hook("filter_failure").apply_to(method="POST", path="/api/v1/statements/{slug}/endorsements")
def endorsement_refused_only_for_its_proof_of_work(context, failure, case, response) -> bool:
    return _refused_only_for_its_proof_of_work(context, failure, case, response)


@schema.hook("filter_failure").apply_to(method="POST", path="/api/v1/actions/{action_id}/rsvps")
def rsvp_refused_only_for_its_proof_of_work(context, failure, case, response) -> bool:
    return _refused_only_for_its_proof_of_work(context, failure, case, response)


@schema.hook("filter_failure").apply_to(method="POST", path="/api/v1/campaigns/{campaign}/actions")
def refused_only_by_cross_field_rules(context, failure, case, response) -> bool:
    """Keep the failure unless it is a 422 whose every error is a cross-field rule above (or a 400
    for a proof of work, as below)."""
    if not _refused_only_for_its_proof_of_work(context, failure, case, response):
        return False
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return True
    return not set(response.json()["errors"]) <= CROSS_FIELD_RULES


def _ids_from(model, first: int) -> None:
    """Make the next id of `model` be `first`, so the dictionary above names real rows on both databases."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, first])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, first - 1])


def _action(campaign, **fields) -> Action:
    data = {
        "title": "Marcha por los ríos", "description": "Caminamos juntos hasta el río.", "language": "es",
        "kind": "march", "starts_at": "2027-03-08T18:30", "ends_at": "2027-03-08T21:00", "venue": "Plaza de Mayo",
        "city": "Buenos Aires", "country": "AR", "latitude": "-34.6083", "longitude": "-58.3712",
        "organizer_name": "Dana Organizer", "organizer_email": "dana@example.org",
    }  # fmt: skip
    data.update(fields)
    form = ActionForm(data=data)
    assert form.is_valid(), form.errors
    return actions.submit(campaign, form.cleaned_data)


@pytest.fixture
def seeded(db):
    """A campaign with an open and a closed statement, endorsers, actions in every state, places, a token."""
    campaign = factories.campaign(slug="water", languages=("en", "es", "ar"))
    open_letter = factories.statement(
        slug="open-letter", campaign_=campaign, en=("An open letter", "We **ask**."), es=("Carta", "Pedimos.")
    )
    closed = factories.statement(slug="closed-letter", campaign_=campaign, closes_at=timezone.now() - timedelta(days=1))
    Statement.objects.filter(pk=closed.pk).update(opens_at=timezone.now() - timedelta(days=30))  # listed second

    _ids_from(Endorsement, FIRST_ENDORSEMENT_ID)
    for index, country in enumerate(["AR", "AR", "AR", "FR"]):
        person = {"kind": "person", "name": f"Signer {index}", "email": f"s{index}@example.org", "country": country}
        factories.confirm(factories.endorse(open_letter, person, public=True, city="Rosario"))
    for index in range(6):  # organizations awaiting review
        organization = {**factories.BOB, "email": f"o{index}@example.net", "organization": f"Friends of Rivers {index}"}
        factories.confirm(factories.endorse(open_letter, organization))
    factories.endorse(open_letter, factories.CAROL)  # never confirms
    statements.fold_counts()

    moderator = get_user_model().objects.create_user("moderator", is_staff=True)
    ApiToken.objects.create(
        user=moderator, token_hash=crypto.token_hash(TOKEN), expires_at=timezone.now() + timedelta(days=1)
    )

    _ids_from(Action, FIRST_ACTION_ID)
    approved = _action(campaign)
    online = _action(campaign, kind="online", city="", country="", latitude="", longitude="",
                     online_url="https://meet.example.org/r", timezone="America/Sao_Paulo")  # fmt: skip
    pending = [_action(campaign, title=f"Marcha {hour}", starts_at=f"2027-03-08T{hour}:30", ends_at="")
               for hour in (17, 19, 20, 21)]  # fmt: skip
    _action(campaign, title="Never verified")
    for action in (approved, online, *pending):
        actions.verify(actions.verify_token(action))
    for action in (approved, online):
        actions.decide(action.pk, "approve", moderator)

    for geonameid, name, country, latitude, longitude, zone, population in (
        (3435910, "Buenos Aires", "AR", -34.61315, -58.37723, "America/Argentina/Buenos_Aires", 13076300),
        (3838583, "Rosario", "AR", -32.94682, -60.63932, "America/Argentina/Cordoba", 1173533),
        (3448439, "São Paulo", "BR", -23.5475, -46.63611, "America/Sao_Paulo", 10021295),
    ):
        Place.objects.create(geonameid=geonameid, name=name, country=country, latitude=latitude,
                             longitude=longitude, timezone=zone, population=population)  # fmt: skip
        PlaceName.objects.create(place_id=geonameid, folded=fold(name), population=population)

    # The WSGI handler closes the connection around each request, as in production; here that
    # connection holds the test's transaction (Django's test client disconnects it the same way).
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def answers():
    """The statuses one operation answered: at least one must be a success, or the data above missed it."""
    statuses = []
    yield statuses
    assert any(200 <= status < 300 for status in statuses), f"no call succeeded: {sorted(set(statuses))}"


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation(case, seeded, answers):
    answers.append(case.call_and_validate().status_code)


# The stateful run leaves out GET /challenge (each answer is a fresh random challenge, and the state
# machine feeds what it saw in answers back into generation, which must be repeatable) and the three
# POSTs that take a proof of work (their answers to a generated `altcha` are judged by the filter
# above, which the state machine's replay does not see the same way). All four run, with every
# check, in test_every_operation.
Workflow = (
    schema.exclude(path="/api/v1/challenge")
    .exclude(
        method="POST",
        path_regex=r"^/api/v1/(statements/\{slug\}/endorsements|campaigns/\{campaign\}/actions|actions/\{action_id\}/rsvps)$",
    )
    .as_state_machine()
)


def test_following_links(seeded):
    """Sequences of calls along the schema's OpenAPI links, every check on every answer."""
    Workflow.run(
        settings=settings(
            Workflow.TestCase.settings, max_examples=20, stateful_step_count=6, derandomize=True, database=None
        )
    )
