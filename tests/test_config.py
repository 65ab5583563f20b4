import subprocess
import sys

import pytest

from convoca import config

GOOD = {
    "SECRET_KEY": "s" * 40,
    "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
    "EMAIL_URL": "smtp://user:p%40ss@mail.example.org:587?tls=1",
    "CONVOCA_BASE_URL": "https://convoca.example.org/",
}


def test_a_complete_production_environment():
    loaded = config.load(GOOD)
    assert not loaded.demo and not loaded.debug
    assert loaded.email == config.EmailConfig("mail.example.org", 587, "user", "p@ss", True, False)
    assert loaded.base_url == "https://convoca.example.org"
    assert loaded.allowed_hosts == ["convoca.example.org"]
    assert loaded.database["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded.count_interval == 10 and loaded.port == 8000
    assert (loaded.mail_retry_seconds, loaded.mail_lease_seconds) == (30.0, 60)


def test_mail_delays_can_be_short_for_tests():
    loaded = config.load({**GOOD, "CONVOCA_MAIL_RETRY_SECONDS": "0.05", "CONVOCA_MAIL_LEASE_SECONDS": "2"})
    assert (loaded.mail_retry_seconds, loaded.mail_lease_seconds) == (0.05, 2)


def test_database_urls():
    pg = config.parse_database_url("postgres://u:p%2Fw@db.local:5433/convoca?sslmode=require")
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "convoca",
        "u",
        "p/w",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert config.parse_database_url("sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert config.parse_database_url("sqlite:////abs/x.sqlite3")["NAME"] == "/abs/x.sqlite3"


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"CONVOCA_DATA_KEY": ""}, "CONVOCA_DATA_KEY"),
        ({"CONVOCA_DATA_KEY": "dG9vIHNob3J0"}, "CONVOCA_DATA_KEY"),
        ({"CONVOCA_DATA_KEY": "***"}, "CONVOCA_DATA_KEY"),
        ({"EMAIL_URL": ""}, "EMAIL_URL"),
        ({"EMAIL_URL": "http://mail"}, "EMAIL_URL"),
        ({"EMAIL_URL": "smtp://h:port"}, "EMAIL_URL"),
        ({"EMAIL_URL": "smtp://h:25?tls=1&ssl=1"}, "EMAIL_URL"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://h:5432/"}, "DATABASE_URL"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"CONVOCA_COUNT_INTERVAL": "0"}, "CONVOCA_COUNT_INTERVAL"),
        ({"CONVOCA_MAIL_RETRY_SECONDS": "soon"}, "CONVOCA_MAIL_RETRY_SECONDS"),
        ({"CONVOCA_MAIL_RETRY_SECONDS": "0"}, "CONVOCA_MAIL_RETRY_SECONDS"),
        ({"CONVOCA_MAIL_RETRY_SECONDS": "nan"}, "CONVOCA_MAIL_RETRY_SECONDS"),
        ({"CONVOCA_MAIL_RETRY_SECONDS": "inf"}, "CONVOCA_MAIL_RETRY_SECONDS"),
        ({"CONVOCA_MAIL_LEASE_SECONDS": "0"}, "CONVOCA_MAIL_LEASE_SECONDS"),
        ({"CONVOCA_MAIL_LEASE_SECONDS": "1.5"}, "CONVOCA_MAIL_LEASE_SECONDS"),
        ({"CONVOCA_BASE_URL": "convoca.example.org"}, "CONVOCA_BASE_URL"),
        ({"CONVOCA_BASE_URL": ""}, "CONVOCA_BASE_URL"),
    ],
)
def test_a_bad_value_names_its_variable(changes, variable):
    with pytest.raises(config.ConfigError, match=f"^{variable}:"):
        config.load({**GOOD, **changes})


def test_demo_mode_generates_and_keeps_keys(tmp_path):
    env = {"CONVOCA_DEMO": "1", "CONVOCA_DATA_DIR": str(tmp_path)}
    with pytest.raises(config.ConfigError, match="make demo"):
        config.load(env)
    config.ensure_demo_keys(env)
    first = config.load(env)
    config.ensure_demo_keys(env)
    second = config.load(env)
    assert first.secret_key == second.secret_key and first.data_keys == second.data_keys
    assert first.email is None and first.base_url == "http://127.0.0.1:8000"
    assert first.allowed_hosts == ["127.0.0.1", "localhost"]
    assert (tmp_path / "demo-data-key").stat().st_mode & 0o777 == 0o600


def test_the_convoca_command_stops_naming_the_variable(tmp_path):
    env = {"PATH": "/usr/bin:/bin", **GOOD, "PORT": "eighty", "CONVOCA_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "convoca", "check"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "PORT" in result.stderr and "Traceback" not in result.stderr


def test_the_gate_settings():
    import ipaddress

    loaded = config.load(GOOD)
    assert loaded.proof_of_work and loaded.rate_limits and loaded.trusted_proxies == ()
    assert loaded.strict_rates == ((1, 60), (5, 300)) and loaded.normal_rates == ((5, 60), (20, 300))
    tuned = config.load(
        GOOD
        | {
            "CONVOCA_TRUSTED_PROXIES": "10.0.0.0/8, ::1",
            "CONVOCA_RATE_LIMIT_STRICT": "2/60",
            "CONVOCA_PROOF_OF_WORK": "off",
            "CONVOCA_RATE_LIMITS": "off",
        }
    )
    assert tuned.trusted_proxies == (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1"))
    assert tuned.strict_rates == ((2, 60),) and not tuned.proof_of_work and not tuned.rate_limits


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONVOCA_RATE_LIMIT_STRICT", "often"),
        ("CONVOCA_RATE_LIMIT_NORMAL", "0/60"),
        ("CONVOCA_ALERT_DOMAIN", "5/0"),
        ("CONVOCA_TRUSTED_PROXIES", "proxy.example.org"),
        ("CONVOCA_PROOF_OF_WORK_DIFFICULTY", "1"),
        ("CONVOCA_NAME_BLOCKLIST", "/nonexistent/words.txt"),
        ("REDIS_URL", "memcached://127.0.0.1"),
        ("CONVOCA_DB_POOL_SIZE", "0"),
    ],
)
def test_bad_gate_settings_name_the_variable(name, value):
    with pytest.raises(config.ConfigError, match=name):
        config.load(GOOD | {name: value})
