"""deploy/: the rehearsal runs the systemd units' commands and the nginx site on loopback (issue 6,
must show 3), and docs/deploy.md, the env file, the units and README name the same things."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

from tests.conftest import on_postgres, process_env

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
GUIDE = (REPO / "docs" / "deploy.md").read_text()
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def env_file() -> dict[str, str]:
    lines = (DEPLOY / "convoca.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.mark.django_db(transaction=True)
def test_the_rehearsal_brings_up_the_site_through_nginx():
    for tool in ("nginx", "openssl"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            pytest.skip(f"{tool} not installed (apt-get install {tool})")
    command = [sys.executable, str(DEPLOY / "rehearse")]
    if on_postgres():  # the test database; on SQLite the rehearsal migrates a new file from nothing
        command += ["--database-url", process_env()["DATABASE_URL"]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for step in (
        "convoca-web ExecStartPre #1: ",  # migrate
        "convoca-web ExecStartPre #2: ",  # collectstatic
        "ok  nginx -t accepts the site",
        "ok  GET /en/s/",
        "ok  HSTS: Django sees https behind nginx",
        "ok  the second view is nginx's copy",
        "ok  a sign-up through nginx: 303",
        "ok  a worker mailed the confirm link",
        "ok  the count rose from",
        "ok  every service stopped cleanly",
        "ok  no log holds the visitor's address",
        "rehearsal passed",
    ):
        assert step in output, step
    assert "FAILED" not in output


def test_the_units_run_convoca_hardened_with_the_env_file():
    assert [unit.name for unit in UNITS] == ["convoca-web.service", "convoca-worker@.service"]
    for unit in UNITS:
        text = unit.read_text()
        for line in (
            "User=convoca",
            "EnvironmentFile=/etc/convoca/convoca.env",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/var/lib/convoca",
            "PrivateTmp=yes",
            "ProtectHome=yes",
            "CapabilityBoundingSet=\n",
            "Restart=on-failure",
        ):
            assert line in text, (unit.name, line)
    web, worker = (unit.read_text() for unit in UNITS)
    assert "ExecStart=/opt/convoca/venv/bin/convoca serve\n" in web
    assert "ExecStart=/opt/convoca/venv/bin/convoca worker\n" in worker


def test_the_env_file_holds_every_variable_a_production_start_needs():
    variables = env_file()
    for name in ("SECRET_KEY", "CONVOCA_DATA_KEY", "EMAIL_URL", "CONVOCA_BASE_URL", "DATABASE_URL"):
        assert name in variables, name
    assert variables["SECRET_KEY"] == variables["CONVOCA_DATA_KEY"] == ""  # nothing starts until they are set
    assert variables["CONVOCA_TRUSTED_PROXIES"] == "127.0.0.1"
    assert variables["CONVOCA_DATA_DIR"] == "/var/lib/convoca"
    readme = (REPO / "README.md").read_text()
    for name in variables:
        assert f"| `{name}` |" in readme, f"{name} is not in README's configuration table"


def test_the_guide_names_the_shipped_files_and_real_commands():
    shipped = [
        *(f"deploy/systemd/{unit.name}" for unit in UNITS),
        *(f"deploy/nginx/{conf.name}" for conf in sorted((DEPLOY / "nginx").glob("*.conf"))),
        "deploy/convoca.env",
        "deploy/rehearse",
        "deploy/bin/convoca",
    ]
    for path in shipped:
        assert path in GUIDE, f"docs/deploy.md does not mention {path}"
    commands = set(get_commands())
    code = "\n".join(re.findall(r"(?s)```[a-z]*\n(.*?)```", GUIDE))
    used = set(re.findall(r"(?m)^convoca ([a-z][a-z_-]+)", code)) | set(re.findall(r"`convoca ([a-z][a-z_-]+)", GUIDE))
    used -= {"serve", "worker"}  # in the units; the rehearsal runs them
    assert {"migrate", "collectstatic", "createsuperuser", "add-totp", "import-places", "check"} <= used
    assert used <= commands | {"serve", "worker"}, used - commands
    for variable in env_file():
        assert variable in GUIDE, f"docs/deploy.md does not explain {variable}"
