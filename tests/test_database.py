import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_is_set_up_for_durability_and_erasure():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        values = {}
        for pragma in ("journal_mode", "synchronous", "secure_delete", "busy_timeout", "foreign_keys"):
            cursor.execute(f"PRAGMA {pragma}")
            values[pragma] = cursor.fetchone()[0]
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "secure_delete": 1,
        "busy_timeout": 30000,
        "foreign_keys": 1,
    }
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
