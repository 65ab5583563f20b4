"""Security headers on every URL pattern, `check --deploy`, and a database that is down."""

import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from convoca.actions import domain as actions
from convoca.actions.models import Action
from tests import factories
from tests.actions.test_actions import BUENOS_AIRES
from tests.conftest import free_port, wait_for_port
from tests.test_blackbox import request

pytestmark = pytest.mark.django_db

SAMPLE = {"slug": "open-letter", "campaign": "rivers", "token": "not-a-token", "action_id": None, "path": "x"}


def patterns(resolver=None, prefix=""):
    """Every URL pattern of the project as (route text, name)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def concrete(route: str, action_id: int) -> str | None:
    path = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    if "(?P" in path or path.startswith("admin/") or "/admin/" in path:
        return None  # Django admin's own regex routes: covered by the admin login page below
    values = {**SAMPLE, "action_id": str(action_id), "endorsement_id": "1", "int:action_id": str(action_id)}

    def fill(match):
        name = match.group(1).split(":")[-1]
        return values.get(name, "x")

    return "/" + re.sub(r"<([^>]+)>", fill, path).replace("en/", "en/", 1)


@pytest.fixture
def site(client):
    campaign = factories.campaign(slug="rivers")
    factories.statement(campaign_=campaign)
    client.post("/api/v1/campaigns/rivers/actions", __import__("json").dumps(BUENOS_AIRES),
                content_type="application/json")  # fmt: skip
    action = Action.objects.get()
    actions.verify(actions.verify_token(action))
    actions.decide(action.pk, "approve", get_user_model().objects.create_user("m", is_staff=True))
    return action


def assert_secure(response, url, framable=False):
    """`framable`: an embed for partner sites (convoca.embeds), the only pages others may frame."""
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, url
    assert ("frame-ancestors *" if framable else "frame-ancestors 'none'") in csp, url
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp, url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    assert response.headers.get("X-Frame-Options") == (None if framable else "DENY"), url


def test_every_url_pattern_answers_with_the_security_headers(client, site):
    seen = 0
    for route, _name in patterns():
        for language in ("en/", ""):
            url = concrete(route.replace("en/", language, 1) if route.startswith("en/") else route, site.pk)
            if url is None:
                continue
            response = client.get(url)
            assert response.status_code < 500, url
            assert_secure(response, url, framable=url.startswith("/en/embed/"))  # the embeds: tests/embeds/
            seen += 1
    for url in ("/en/admin/login/", "/nope/", "/en/nope/", "/api/v1/nope", "/api/v1/openapi.json"):
        assert_secure(client.get(url), url)
    post = client.post("/en/s/open-letter/endorse/", {"name": "x"})
    assert post.status_code == 422
    assert_secure(post, "endorse POST")
    assert seen >= 30


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "a-real-secret-key-for-the-deploy-check-0123456789abcdef-XYZ!@#",
        "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
        "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
        "CONVOCA_BASE_URL": "https://convoca.example.org",
        "CONVOCA_DATA_DIR": str(tmp_path),
        "CONVOCA_TRUSTED_PROXIES": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "convoca", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_database_that_is_down_gets_503_with_retry_after(processes):
    port = free_port()
    dead = f"postgres://nobody:nothing@127.0.0.1:{free_port()}/convoca"
    processes.start("serve", PORT=str(port), DATABASE_URL=dead, CONVOCA_BASE_URL=f"http://127.0.0.1:{port}")
    wait_for_port(port)
    for path in ("/en/", "/api/v1/statements"):
        # The pool waits its 5 s for a connection, after opening: slow on a loaded machine.
        status, body, headers = request(f"http://127.0.0.1:{port}{path}", timeout=30)
        assert status == 503 and headers.get("Retry-After") == "30", (path, status, body[:300])
        assert "Traceback" not in body and "psycopg" not in body
