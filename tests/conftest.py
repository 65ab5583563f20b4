import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.net import free_port, wait_for_port  # noqa: F401 - the tests import them from here

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd narrates every SMTP command

REQUIRE_ALL = os.environ.get("CONVOCA_REQUIRE_ALL") == "1"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests run in the PostgreSQL pass of `make test`; the SQLite pass skips them,
    and that skip is expected even under CONVOCA_REQUIRE_ALL, because the other pass runs them."""
    if on_postgres():
        return
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="postgres_only: runs in the PostgreSQL pass of `make test`"))
            item.user_properties.append(("postgres_only_skip", True))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CONVOCA_REQUIRE_ALL=1 (CI), a skipped test is a failed test (except `postgres_only`
    tests in the SQLite pass: the PostgreSQL pass, which REQUIRE_ALL makes mandatory, runs them)."""
    outcome = yield
    report = outcome.get_result()
    expected = ("postgres_only_skip", True) in item.user_properties
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail") and not expected:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but CONVOCA_REQUIRE_ALL=1 forbids skips: {reason}"


# --- a real SMTP server on loopback ----------------------------------------------------------


class Mailbox:
    """Collects every message the SMTP server receives; `fail_next` makes it refuse some."""

    def __init__(self):
        self.messages = []
        self.fail_next = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return "451 Try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 OK"

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.fail_next = 0
            self.delay = 0.0

    def wait_for(self, count: int, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} mails, got {len(self.messages)} in {timeout}s")
                self.arrived.wait(remaining)
            return list(self.messages)

    def to(self, address: str):
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    mailbox.url = f"smtp://127.0.0.1:{port}"
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """The loopback SMTP server, emptied, with Django's SMTP settings pointed at it."""
    smtp_server.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    return smtp_server


# --- real processes: the worker and the web server --------------------------------------------


def process_env(**extra) -> dict:
    """The environment for a Convoca process that shares the test database."""
    env = dict(os.environ)
    db = connection.settings_dict
    if db["ENGINE"] == "convoca.core.sqlite":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    env["DJANGO_SETTINGS_MODULE"] = "convoca.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class Processes:
    def __init__(self, tmp_path):
        self.running = []
        self.tmp_path = tmp_path

    def start(self, *args, **env) -> subprocess.Popen:
        log_path = self.tmp_path / f"process-{len(self.running)}.log"
        with open(log_path, "wb") as log:  # the child keeps its own descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "convoca", *args],
                env=process_env(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        self.running.append(process)
        return process

    def output(self, process) -> str:
        return Path(process.log_path).read_text(errors="replace")

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def processes(tmp_path):
    manager = Processes(tmp_path)
    yield manager
    manager.stop_all()


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@pytest.fixture
def chromium():
    """Debian's Chromium through Playwright (never a downloaded browser).

    Request it after any fixture that writes to the database: Playwright's sync API runs an event
    loop, and a database connection opened inside it is a separate one that nothing closes (on
    PostgreSQL it then blocks dropping the test database).
    """
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = Path(settings.CONVOCA.data_dir) / "chromium"
    os.environ.setdefault("XDG_CONFIG_HOME", str(profile / "config"))
    os.environ.setdefault("XDG_CACHE_HOME", str(profile / "cache"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (public feeds are cached for a few seconds)."""
    from django.core.cache import cache

    from convoca.actions import feeds
    from convoca.core import memo

    cache.clear()
    memo.clear_all()
    feeds._held.clear()
