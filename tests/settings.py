"""Test settings: Convoca's settings with fixed test keys and a file-backed test database.

The test database is a file (not SQLite's in-memory default) so that the real worker and web
processes started by some tests share it with the test process.
"""

import os
import tempfile
from pathlib import Path

_data_dir = Path(os.environ.get("CONVOCA_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="convoca-test-"))
os.environ["CONVOCA_TEST_DATA_DIR"] = str(_data_dir)  # inherited by subprocesses started by tests
os.environ.setdefault("CONVOCA_DATA_DIR", str(_data_dir))
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-0123456789")
os.environ.setdefault("CONVOCA_DATA_KEY", "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=")
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:1")  # tests point it at their own SMTP server
os.environ.setdefault("CONVOCA_BASE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("CONVOCA_COUNT_INTERVAL", "1")
os.environ.setdefault("CONVOCA_RATE_LIMITS", "off")  # tests of the gate switch them on

from convoca.settings import *  # noqa: E402, F403

DATABASES["default"]["TEST"] = {"NAME": str(_data_dir / "test.sqlite3")}  # noqa: F405
if DATABASES["default"]["ENGINE"] != "convoca.core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
