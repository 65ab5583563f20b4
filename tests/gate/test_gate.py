"""The gate: proof of work (replay, expiry, forgery), two lanes, held waves, floods, honeypot.

The story of must-show 2: a bot floods the strict lane from one address and never confirms;
a person behind the same address signs, confirms by e-mail and is counted.
"""

import base64
import dataclasses
import json
import os
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from convoca.core import crypto
from convoca.gate import clientip, lanes, proof
from convoca.gate.models import Alert, Hit, SpentChallenge
from convoca.statements import domain
from convoca.statements.models import Endorsement
from tests import factories

pytestmark = pytest.mark.django_db

BOT_ADDRESS = "203.0.113.7"


@pytest.fixture(params=["database", "redis"])
def limits(request, settings):
    """The limits on, their counters in the database (no REDIS_URL) or in Redis."""
    redis_url = None
    if request.param == "redis":
        redis_url = os.environ.get("CONVOCA_TEST_REDIS_URL")
        if not redis_url:
            pytest.skip("no Redis to test against (set CONVOCA_TEST_REDIS_URL=redis://127.0.0.1:6379/15)")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
        from django.core.cache import cache

        cache.clear()
    settings.CONVOCA = dataclasses.replace(
        settings.CONVOCA, rate_limits=True, proof_of_work_difficulty=400, redis_url=redis_url
    )
    yield settings.CONVOCA
    if redis_url:
        from django.core.cache import cache

        cache.clear()


def body(person, **extra):
    return {key: value for key, value in {**person, **extra}.items() if value is not None}


def post(client, statement, payload, address=BOT_ADDRESS, **headers):
    return client.post(
        f"/api/v1/statements/{statement.slug}/endorsements",
        data=json.dumps(payload),
        content_type="application/json",
        REMOTE_ADDR=address,
        **headers,
    )


def solved(client, address=BOT_ADDRESS) -> str:
    response = client.get("/api/v1/challenge", REMOTE_ADDR=address)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return proof.solve(response.json())


def counted(statement) -> int:
    domain.fold_counts()
    return domain.counts(statement).total


def test_a_solved_challenge_takes_the_normal_lane_once(client, limits):
    statement = factories.statement()
    payload = solved(client)
    response = post(client, statement, body(factories.ALICE, altcha=payload))
    assert response.status_code == 202, response.content
    assert Endorsement.objects.get().lane == "normal"
    replay = post(client, statement, body(factories.CAROL, altcha=payload))
    assert replay.status_code == 400
    assert "used already" in replay.json()["detail"]
    assert Endorsement.objects.count() == 1  # the replay stored nothing


def test_expired_forged_and_malformed_solutions_are_refused_with_400(client, limits):
    statement = factories.statement()
    payload = solved(client)
    with time_machine.travel(timezone.now() + proof.LIFETIME + timedelta(minutes=1)):
        expired = post(client, statement, body(factories.ALICE, altcha=payload))
    assert expired.status_code == 400 and "expired" in expired.json()["detail"]

    decoded = json.loads(base64.b64decode(payload))
    decoded["challenge"]["parameters"]["data"]["difficulty"] = 10_000_000  # claim more work than was done
    forged = base64.b64encode(json.dumps(decoded).encode()).decode()
    assert post(client, statement, body(factories.ALICE, altcha=forged)).status_code == 400

    decoded = json.loads(base64.b64decode(payload))
    decoded["solution"]["derivedKey"] = "00" * 32  # a solution never computed
    wrong = base64.b64encode(json.dumps(decoded).encode()).decode()
    assert post(client, statement, body(factories.ALICE, altcha=wrong)).status_code == 400

    for junk in (
        "abc",
        "%%%",
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(b"\xff\xfe").decode(),
        "A" * 5000,
    ):
        response = post(client, statement, body(factories.ALICE, altcha=junk))
        assert response.status_code in (400, 422), junk
        assert response.status_code != 500
    assert Endorsement.objects.count() == 0
    assert SpentChallenge.objects.count() == 0


def test_a_bot_flooding_the_strict_lane_gets_nothing_counted_a_person_behind_it_does(client, limits):
    statement = factories.statement()
    answers = [
        post(client, statement, body({**factories.CAROL, "email": f"bot{n}@example.net", "name": f"Bot {n}"}))
        for n in range(20)
    ]
    assert [answer.status_code for answer in answers] == [202] * 20  # held, not refused: same answer
    bots = Endorsement.objects.filter(email_hash__in=[crypto.email_hash(f"bot{n}@example.net") for n in range(20)])
    assert bots.filter(lane="strict").count() == 20
    assert bots.filter(hold="held").count() == 19  # the first one was within 1 a minute
    waves = set(bots.exclude(wave="").values_list("wave", flat=True))
    assert len(waves) == 1 and BOT_ADDRESS not in next(iter(waves))

    # A person behind the same address (a carrier's shared NAT), with no JavaScript either.
    assert post(client, statement, body(factories.ALICE)).status_code == 202
    alice = Endorsement.objects.get(email_hash=crypto.email_hash(factories.ALICE["email"]))
    assert alice.hold == "held"
    factories.confirm(alice)
    assert counted(statement) == 1  # the held person who confirmed counts; twenty bots count nothing

    # Far over the limit the address is refused outright, nothing stored.
    before = Endorsement.objects.count()
    for n in range(40):
        last = post(client, statement, body({**factories.CAROL, "email": f"late{n}@example.net"}))
    assert last.status_code == 429
    assert int(last["Retry-After"]) == 300
    assert Endorsement.objects.count() < before + 40

    # Another address is not affected.
    assert post(client, statement, body(factories.BOB), address="198.51.100.9").status_code == 202
    assert Endorsement.objects.get(email_hash=crypto.email_hash(factories.BOB["email"])).hold == ""


def test_rejecting_a_held_wave_uncounts_it_and_releasing_keeps_it(client, limits, django_user_model):
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    statement = factories.statement()
    for n in range(3):
        post(client, statement, body({**factories.CAROL, "email": f"p{n}@example.net"}))
    held = list(Endorsement.objects.filter(hold="held"))
    assert len(held) == 2
    for endorsement in Endorsement.objects.all():
        factories.confirm(endorsement)
    assert counted(statement) == 3
    assert domain.decide_wave(held[0].wave, "reject", moderator) == 2
    assert counted(statement) == 1
    assert domain.decide_wave(held[0].wave, "reject", moderator) == 0  # idempotent
    assert domain.decide_wave(held[0].wave, "release", moderator) == 2
    assert counted(statement) == 3


def test_an_address_over_its_limits_is_asked_for_harder_work(client, limits):
    statement = factories.statement()
    easy = client.get("/api/v1/challenge", REMOTE_ADDR=BOT_ADDRESS).json()
    assert easy["parameters"]["data"]["difficulty"] == 400
    for n in range(6):  # over 5 a minute in the normal lane
        post(client, statement, body({**factories.CAROL, "email": f"n{n}@example.net"}, altcha=solved(client)))
    assert Endorsement.objects.filter(lane="normal").count() == 6
    assert Endorsement.objects.filter(hold="held").count() == 1
    hard = client.get("/api/v1/challenge", REMOTE_ADDR=BOT_ADDRESS).json()
    assert hard["parameters"]["data"]["difficulty"] == 400 * lanes.HARDER
    # A solution to an easy challenge no longer buys the normal lane.
    post(client, statement, body(factories.ALICE, altcha=proof.solve(easy)))
    assert Endorsement.objects.get(email_hash=crypto.email_hash(factories.ALICE["email"])).lane == "strict"


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(rf, settings):
    import ipaddress

    request = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20")
    assert clientip.client_ip(request) == "10.0.0.5"
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, trusted_proxies=(ipaddress.ip_network("10.0.0.0/8"),))
    assert clientip.client_ip(request) == "198.51.100.20"  # the right-most hop our proxy saw, not the client's claim
    chained = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.20, 10.0.0.9")
    assert clientip.client_ip(chained) == "198.51.100.20"
    garbled = rf.post("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert clientip.client_ip(garbled) == "10.0.0.5"


def test_address_hashes_rotate_daily_and_group_an_ipv6_64():
    today = timezone.now().date()
    assert clientip.ip_hash("198.51.100.20", today) != clientip.ip_hash("198.51.100.20", today + timedelta(days=1))
    assert clientip.ip_hash("2001:db8::1", today) == clientip.ip_hash("2001:db8::ffff:1", today)
    assert clientip.ip_hash("2001:db8::1", today) != clientip.ip_hash("2001:db8:0:1::1", today)
    assert "198.51.100.20" not in clientip.ip_hash("198.51.100.20")


def test_hits_are_forgotten_within_a_day(client, limits):
    statement = factories.statement()
    if limits.redis_url:  # Redis forgets by itself: every counter carries an expiry of two windows at most
        from django.core.cache import cache

        post(client, statement, body(factories.ALICE))
        redis = cache._cache.get_client()
        keys = redis.keys("*gate:*")
        assert keys and all(0 < redis.ttl(key) <= 2 * 3600 for key in keys)  # the longest window: an hour
        assert not Hit.objects.exists()
        return
    post(client, statement, body(factories.ALICE))
    assert Hit.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        lanes.purge()
    assert not Hit.objects.exists()


def test_honeypot_answers_as_usual_and_stores_nothing(client, limits):
    statement = factories.statement()
    data = factories.form_data(factories.ALICE) | {"fax": "+1 555 0100"}
    response = client.post(f"/en/s/{statement.slug}/endorse/", data, REMOTE_ADDR=BOT_ADDRESS)
    assert response.status_code == 303
    assert Endorsement.objects.count() == 0


def test_a_form_sent_faster_than_a_person_can_takes_the_strict_lane(client, limits):
    from convoca.gate import forms

    statement = factories.statement()
    data = factories.form_data(factories.ALICE) | {"stamp": forms.stamp()}
    assert client.post(f"/en/s/{statement.slug}/endorse/", data).status_code == 303
    alice = Endorsement.objects.get()
    assert alice.lane == "strict"
    with time_machine.travel(timezone.now() - timedelta(seconds=10)):
        early = forms.stamp()
    data = factories.form_data(factories.CAROL) | {"stamp": early, "altcha": solved(client, "127.0.0.1")}
    assert client.post(f"/en/s/{statement.slug}/endorse/", data).status_code == 303
    assert Endorsement.objects.get(email_hash=crypto.email_hash(factories.CAROL["email"])).lane == "normal"


def test_a_bad_proof_on_the_form_says_so_beside_the_form(client, limits):
    statement = factories.statement()
    data = factories.form_data(factories.ALICE) | {"altcha": "garbage"}
    response = client.post(f"/en/s/{statement.slug}/endorse/", data)
    assert response.status_code == 400
    assert b"not a robot" in response.content
    assert Endorsement.objects.count() == 0


def test_disposable_domains_are_flagged_not_refused():
    statement = factories.statement()
    endorsement = factories.endorse(statement, {**factories.CAROL, "email": "someone@mailinator.com"})
    assert endorsement.disposable
    assert not factories.endorse(statement, factories.ALICE).disposable


@pytest.mark.parametrize(
    ("name", "hidden"),
    [
        ("Alice Example", False),
        ("Visit www.spam.example", True),
        ("http://x.example", True),
        ("Site ADMIN", True),
        ("Ádmín", True),
        ("Badminton Club", False),
        ("ليلى", False),
    ],
)
def test_public_names_pass_the_word_list(name, hidden):
    statement = factories.statement()
    endorsement = factories.endorse(statement, {**factories.ALICE, "name": name}, public=True)
    factories.confirm(endorsement)
    endorsement.refresh_from_db()
    assert endorsement.name_hidden is hidden
    assert (endorsement.public_name == "") is hidden
    assert counted(statement) == 1  # hidden or not, counted


def test_the_operators_word_list_is_read_from_a_file(settings, tmp_path):
    from convoca.statements import names

    wordlist = tmp_path / "words.txt"
    wordlist.write_text("# one per line\nRotten Fish\n", encoding="utf-8")
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, name_blocklist=wordlist)
    assert names.needs_review("the rotten   FISH society")
    assert not names.needs_review("Fish Market")


def test_moderators_hide_names_in_bulk_without_uncounting(django_user_model):
    moderator = django_user_model.objects.create_user("mod", is_staff=True)
    statement = factories.statement()
    people = [
        factories.endorse(statement, {**factories.CAROL, "email": f"c{n}@example.org"}, public=True) for n in range(3)
    ]
    for person in people:
        factories.confirm(person)
    assert counted(statement) == 3
    assert domain.hide_names([p.pk for p in people], True, moderator, "a wave of slurs") == 3
    assert not domain.public_endorsements(statement).exists()
    assert counted(statement) == 3
    assert domain.hide_names([people[0].pk], False, moderator) == 1
    assert domain.public_endorsements(statement).count() == 1


def test_a_surge_from_one_domain_raises_one_alert_and_holds_no_one(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, rate_limits=True, domain_alert_rate=((3, 3600),))
    statement = factories.statement()
    for n in range(6):
        factories.endorse(statement, {**factories.CAROL, "email": f"s{n}@surge.example"})
    alerts = list(Alert.objects.filter(kind="domain"))
    assert [alert.subject for alert in alerts] == ["surge.example"]
    assert not Endorsement.objects.exclude(hold="").exists()


def test_the_schema_declares_the_challenge_and_the_gate_statuses(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/challenge" in schema["paths"]
    post_op = schema["paths"]["/api/v1/statements/{slug}/endorsements"]["post"]
    assert {"400", "429"} <= set(post_op["responses"])
    assert "altcha" in json.dumps(schema["components"]["schemas"]["EndorsementIn"])


def test_with_proof_of_work_off_everyone_takes_the_normal_lane(client, settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, proof_of_work=False, rate_limits=True)
    statement = factories.statement()
    assert post(client, statement, body(factories.ALICE)).status_code == 202
    assert Endorsement.objects.get().lane == "normal"


def test_moderators_reject_a_held_wave_and_hide_names_from_the_admin(client, limits, django_user_model):
    from django.test import Client

    admin_client = Client()
    factories.staff_login(admin_client, django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    statement = factories.statement()
    for n in range(3):
        post(client, statement, body({**factories.CAROL, "email": f"w{n}@example.net"}, public=True))
    for endorsement in Endorsement.objects.all():
        factories.confirm(endorsement)
    assert counted(statement) == 3
    page = admin_client.get("/en/admin/statements/endorsement/?hold__exact=held")
    assert page.status_code == 200
    held = list(Endorsement.objects.filter(hold="held").values_list("pk", flat=True))
    response = admin_client.post(
        "/en/admin/statements/endorsement/", {"action": "reject_waves", "_selected_action": held[:1]}
    )
    assert response.status_code == 302
    assert counted(statement) == 1
    first = Endorsement.objects.exclude(hold="rejected").get()
    admin_client.post("/en/admin/statements/endorsement/", {"action": "hide_names", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.name_hidden and first.public_name == "" and counted(statement) == 1
    queue = admin_client.get("/en/moderation/actions/")
    assert b"held wave" not in queue.content  # the only wave was rejected
