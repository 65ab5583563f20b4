"""`convoca serve`: the web application under gunicorn, as in production: sync workers, or threaded
ones (`CONVOCA_WEB_THREADS` > 1) whose sign-ups are group-committed (core/groupcommit.py)."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from convoca.core import staticfiles
from convoca.core.serving import ACCESS_LOG_FORMAT


class Command(BaseCommand):
    help = "Serve Convoca with gunicorn (sync or threaded workers, an access log without client addresses)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="address:port (default 127.0.0.1:$PORT)")

    def handle(self, *args, bind=None, **options):
        arguments = [
            "gunicorn",
            "convoca.wsgi:application",
            "--bind", bind or f"127.0.0.1:{settings.CONVOCA.port}",
            "--workers", str(settings.CONVOCA.web_concurrency),
            *(["--worker-class", "gthread", "--threads", str(settings.CONVOCA.web_threads)]
              if settings.CONVOCA.web_threads > 1 else ["--worker-class", "sync"]),
            "--backlog", "2048",
            "--access-logfile", "-",
            "--access-logformat", ACCESS_LOG_FORMAT,
            "--logger-class", "convoca.core.serving.PrivateLogger",
            "--forwarded-allow-ips", "",
            "--no-control-socket",  # one per user otherwise: two servers on a machine would share it
        ]  # fmt: skip
        if staticfiles.unhashed():
            self.stderr.write(
                f"No static files manifest in {settings.STATIC_ROOT}: pages link plain file names until "
                "`convoca collectstatic` has run (nginx serves the hashed names; docs/deploy.md)."
            )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convoca.settings")
        os.execv(sys.executable, [sys.executable, "-m", "gunicorn", *arguments[1:]])  # noqa: S606 - our own interpreter
