"""Key rotation: after `convoca rotate-data-key`, every ciphertext is under the new key and old keys can go."""

import base64
import subprocess
import sys

import pytest
from django.db import connection

from convoca import config
from convoca.core.crypto import key_id
from tests import factories
from tests.conftest import process_env

pytestmark = pytest.mark.django_db(transaction=True)


def key_ids() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, city FROM statements_endorsement")
        return {value.split(".")[1] for row in cursor.fetchall() for value in row if value}


def convoca(*args, key: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "convoca", *args], env=process_env(CONVOCA_DATA_KEY=key),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return result.stdout


def test_rotation_re_encrypts_everything_and_old_keys_can_go(settings):
    statement = factories.statement()
    for index in range(3):
        factories.endorse(statement, {**factories.ALICE, "email": f"r{index}@example.org"})
    old = base64.urlsafe_b64encode(settings.CONVOCA.data_keys[0]).decode()
    new = config.new_data_key()
    assert key_ids() == {key_id(settings.CONVOCA.data_keys[0])}

    out = convoca("rotate-data-key", key=f"{new},{old}")
    assert "statements.Endorsement: 3 row(s) re-encrypted" in out
    assert key_ids() == {key_id(config.parse_data_keys(new)[0])}
    assert "Done: 0 row(s)" in convoca("rotate-data-key", key=f"{new},{old}")  # rerunnable

    code = (
        "from convoca.statements.models import Endorsement; print(sorted(e.email for e in Endorsement.objects.all()))"
    )
    shown = convoca("shell", "-c", code, key=new)  # the old key is gone: everything still opens
    assert "'r0@example.org'" in shown and "'r2@example.org'" in shown
