"""Staff log in with a password and a TOTP code outside demo mode; passwords are hashed with Argon2;
API tokens come from the server or from a two-factor session."""

import dataclasses
import io
import json
import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from convoca.core import apitokens, crypto
from convoca.core.models import ApiToken
from convoca.moderation.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-123"
NOON = datetime(2027, 3, 8, 12, 0, 0, tzinfo=UTC)
LOGIN = "/en/admin/login/"
STAFF_PAGES = ["/en/admin/", "/en/admin/statements/endorsement/", "/en/admin/core/apitoken/add/",
               "/en/moderation/actions/"]  # fmt: skip


@pytest.fixture
def coordinator(django_user_model):
    return django_user_model.objects.create_superuser("coordinator", password=PASSWORD)


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_user("mod", password=PASSWORD, is_staff=True)


@pytest.fixture
def frozen():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def demo(settings):
    settings.CONVOCA = dataclasses.replace(settings.CONVOCA, demo=True)


def code(device) -> str:
    """The code an authenticator app shows for this device now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def log_in(client, username, token=None, next_url="/en/admin/"):
    data = {"username": username, "password": PASSWORD, "next": next_url}
    if token is not None:
        data["otp_token"] = token
    return client.post(f"{LOGIN}?next={next_url}", data)


def errors(response) -> str:
    return " ".join(re.findall(r'class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S))


def test_a_password_alone_opens_no_staff_page(client, coordinator, frozen):
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = log_in(client, "coordinator")
    assert response.status_code == 200
    assert errors(response) == "Enter the code from your authenticator app."
    assert "_auth_user_id" not in client.session
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url


def test_a_session_opened_without_a_code_is_refused_everywhere_staff_go(client, coordinator, moderator):
    for user in (coordinator, moderator):
        client.force_login(user)  # as a password-only login would (or a session from before two factors)
        for url in STAFF_PAGES:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(LOGIN), (user, url)
        page = client.get(LOGIN).content.decode()
        assert "needs a login with a code from your authenticator app" in page
    posted = client.post("/en/admin/core/apitoken/add/", {"days": "30"})
    assert posted.status_code == 302 and ApiToken.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_staff_member_without_a_device_is_told_how_to_get_one(client, moderator, frozen):
    response = log_in(client, "mod", "123456")
    assert errors(response) == (
        "Your account has no second factor yet. Ask an operator to run “convoca add-totp mod” on the server "
        "and add the key it prints to an authenticator app."
    )
    assert "_auth_user_id" not in client.session
    wrong_password = client.post(LOGIN, {"username": "mod", "password": "wrong-password-0", "otp_token": "1"})
    assert "add-totp" not in errors(wrong_password)  # nothing is said about devices before the password is right


def test_a_valid_code_opens_the_admin_and_the_moderation_queue(client, moderator, coordinator, frozen):
    for user in (coordinator, moderator):
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        response = log_in(client, user.username, code(device), next_url="/en/moderation/actions/")
        assert response.status_code == 302 and response["Location"] == "/en/moderation/actions/"
        assert client.get("/en/moderation/actions/").status_code == 200
        assert client.get("/en/admin/").status_code == 200
        client.logout()
    assert client.get("/en/moderation/actions/").status_code == 302


def test_a_replayed_code_is_refused(client, coordinator, frozen):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    used = code(device)
    assert log_in(client, "coordinator", used).status_code == 302
    client.logout()
    frozen.shift(10)  # still the same 30-second step: the app shows the same code
    replayed = log_in(client, "coordinator", used)
    assert replayed.status_code == 200
    assert errors(replayed) == "That code is wrong or has already been used; wait for the next one."
    assert "_auth_user_id" not in client.session
    assert client.get("/en/admin/").status_code == 302
    frozen.shift(60)  # a later step, after the throttle's wait
    assert log_in(client, "coordinator", code(device)).status_code == 302


def test_wrong_codes_are_refused_and_slow_down_guessing(client, coordinator, frozen):
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert errors(log_in(client, "coordinator", wrong)).startswith("That code is wrong")
    throttled = log_in(client, "coordinator", right)  # the right code, but within a second of a wrong one
    assert errors(throttled) == "Too many wrong codes (1): wait a little and try again."
    frozen.shift(2)
    assert log_in(client, "coordinator", right).status_code == 302


def test_several_devices_let_the_user_choose(client, coordinator, frozen):
    phone = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=coordinator, name="spare phone", confirmed=True)
    first = log_in(client, "coordinator", code(phone))
    assert errors(first) == "Choose the authenticator you used."
    assert "spare phone" in first.content.decode()
    chosen = client.post(
        LOGIN,
        {"username": "coordinator", "password": PASSWORD, "otp_device": phone.persistent_id, "otp_token": code(phone)},
    )
    assert chosen.status_code == 302


def test_the_login_page_never_sends_the_password_back(client, coordinator, frozen):
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    assert PASSWORD not in log_in(client, "coordinator", "000000").content.decode()


def test_in_demo_mode_a_password_is_enough(client, coordinator, demo):
    response = log_in(client, "coordinator")
    assert response.status_code == 302
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/moderation/actions/").status_code == 200


# --- enrolment: `convoca add-totp` --------------------------------------------------------------


def test_add_totp_prints_a_key_that_logs_in(client, coordinator, frozen):
    out, err = io.StringIO(), io.StringIO()
    call_command("add-totp", "coordinator", stdout=out, stderr=err)
    uri, secret = out.getvalue().split()
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/Convoca%3Acoordinator")
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {"secret": secret, "algorithm": "SHA1", "digits": "6", "period": "30", "issuer": "Convoca"}
    assert "shown once" in err.getvalue()
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed and b32decode(secret) == device.bin_key
    # what the phone computes from the printed key
    token = f"{totp(b32decode(secret)):06d}"
    assert log_in(client, "coordinator", token).status_code == 302


def test_add_totp_replaces_and_removes_devices_and_needs_staff(moderator, django_user_model):
    call_command("add-totp", "mod", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("add-totp", "mod", "--name", "second", stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(TOTPDevice.objects.values_list("name", flat=True)) == ["authenticator", "second"]
    call_command("add-totp", "mod", "--replace", "--name", "new phone", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(TOTPDevice.objects.values_list("name", flat=True)) == ["new phone"]
    call_command("add-totp", "mod", "--remove", stdout=io.StringIO(), stderr=io.StringIO())
    assert TOTPDevice.objects.count() == 0
    django_user_model.objects.create_user("visitor", password=PASSWORD)
    for username in ("visitor", "nobody"):
        with pytest.raises(CommandError, match=username):
            call_command("add-totp", username, stdout=io.StringIO(), stderr=io.StringIO())
    assert TOTPDevice.objects.count() == 0


# --- Argon2 -------------------------------------------------------------------------------------


@pytest.fixture
def production_hashers(settings):
    from convoca import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2(production_hashers, django_user_model):
    assert make_password(PASSWORD).startswith("argon2$argon2id$")
    user = django_user_model.objects.create_user("new", password=PASSWORD, is_staff=True)
    assert user.password.startswith("argon2$argon2id$") and user.check_password(PASSWORD)


def test_an_older_pbkdf2_hash_still_works_and_is_upgraded(production_hashers, client, django_user_model, demo):
    user = django_user_model.objects.create_user("old", is_staff=True)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert client.post(LOGIN, {"username": "old", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


# --- API tokens -------------------------------------------------------------------------------


def test_the_moderation_api_needs_a_token_not_a_device(client, moderator):
    """Bearer tokens are made on the server or after a two-factor login, so the API asks for no code."""
    token = apitokens.create(moderator)
    response = client.get("/api/v1/moderation/queue", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200 and TOTPDevice.objects.count() == 0


def test_a_two_factor_session_creates_a_token_shown_once(client, moderator, coordinator):
    factories.staff_login(client, moderator)
    form = client.get("/en/admin/core/apitoken/add/")
    assert form.status_code == 200
    response = client.post("/en/admin/core/apitoken/add/", {"days": "30"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = re.search(r'<code id="api-token">(cvk_[\w-]+)</code>', response.content.decode()).group(1)
    stored = ApiToken.objects.get()
    assert stored.user == moderator and stored.token_hash == crypto.token_hash(secret)
    assert stored.expires_at - stored.created_at == pytest.approx(timedelta(days=30), abs=timedelta(seconds=5))
    assert client.get(f"/en/admin/core/apitoken/{stored.pk}/change/").content.decode().count("cvk_") == 0
    queue = client.get("/api/v1/moderation/queue", headers={"authorization": f"Bearer {secret}"})
    assert queue.status_code == 200
    entry = AuditEntry.objects.get(action="token")
    assert (entry.user, entry.subject, entry.object_id, entry.where) == (moderator, "core.apitoken", stored.pk, "admin")
    assert secret not in json.dumps(list(AuditEntry.objects.values()), default=str)

    # the list shows a moderator their own tokens; they revoke them, not edit or delete them
    apitokens.create(coordinator)
    listing = client.get("/en/admin/core/apitoken/")
    assert listing.content.decode().count('class="action-select"') == 1
    assert client.post(f"/en/admin/core/apitoken/{stored.pk}/change/", {"days": "3650"}).status_code == 403
    assert client.get(f"/en/admin/core/apitoken/{stored.pk}/delete/").status_code == 403
    client.post("/en/admin/core/apitoken/", {"action": "revoke", "_selected_action": [stored.pk]})
    assert client.get("/api/v1/moderation/queue", headers={"authorization": f"Bearer {secret}"}).status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 1


@pytest.mark.parametrize("days", ["0", "366", "x", ""])
def test_a_token_needs_a_sensible_lifetime(client, moderator, days):
    factories.staff_login(client, moderator)
    response = client.post("/en/admin/core/apitoken/add/", {"days": days})
    assert response.status_code == 200 and ApiToken.objects.count() == 0


def test_the_admin_shows_a_devices_key_only_when_it_is_added(client, coordinator):
    device = factories.staff_login(client, coordinator)
    page = client.get(f"/en/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert client.get(f"/en/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403


def test_a_user_deleted_keeps_their_audit_entries(client, moderator):
    factories.staff_login(client, moderator)
    client.post("/en/admin/core/apitoken/add/", {"days": "30"})
    get_user_model().objects.filter(pk=moderator.pk).delete()
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.username, entry.action) == (None, "mod", "token")


# --- over HTTP, against the production settings in a real server process --------------------------


@pytest.mark.django_db(transaction=True)
def test_two_factor_login_over_http(processes, production_hashers, django_user_model):
    import http.cookiejar
    import urllib.error
    import urllib.parse
    import urllib.request

    from tests.conftest import free_port, wait_for_port

    user = django_user_model.objects.create_superuser("coordinator")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # as stored before Argon2
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes.start("serve", PORT=str(port), CONVOCA_BASE_URL=base)
    wait_for_port(port)

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def fetch(path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(urllib.request.Request(base + path, data=body), timeout=20) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def login(token):
        _, _, page = fetch(f"{LOGIN}?next=/en/moderation/actions/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": csrf, "username": "coordinator", "password": PASSWORD,
                "next": "/en/moderation/actions/", "otp_token": token}  # fmt: skip
        return fetch(f"{LOGIN}?next=/en/moderation/actions/", form)

    status, url, page = login("")
    assert (status, urlsplit(url).path) == (200, LOGIN) and "Enter the code from your authenticator app." in page
    assert fetch("/en/admin/")[1].startswith(f"{base}{LOGIN}")
    status, url, page = login(code(device))
    assert (status, urlsplit(url).path) == (200, "/en/moderation/actions/"), page[:2000]
    assert fetch("/en/admin/")[:2] == (200, f"{base}/en/admin/")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")  # rehashed by the server at login
