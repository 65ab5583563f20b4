"""`convoca demo`: set up the demo (migrate, load, coordinator) and serve it with a worker."""

import os
import secrets
import signal
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from convoca.core import apitokens


class Command(BaseCommand):
    help = "Prepare and run the demo: web server and worker together (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--setup-only", action="store_true", help="prepare the data, do not serve")

    def handle(self, *args, setup_only=False, **options):
        if not settings.CONVOCA.demo:
            raise CommandError("convoca demo runs only with CONVOCA_DEMO=1 (use `make demo`).")
        call_command("migrate", interactive=False, verbosity=0)
        from convoca.actions.models import Place

        if not Place.objects.exists():
            self.stdout.write("Loading GeoNames places for place search (once, about half a minute)…")
            call_command("import-places")
        call_command("load_demo")
        self._coordinator()
        if setup_only:
            return
        self._serve()

    def _coordinator(self):
        User = get_user_model()
        if User.objects.filter(username="coordinator").exists():
            self.stdout.write(
                "Staff user 'coordinator' exists (password and API token were printed when it was created; "
                "`.venv/bin/convoca create-api-token coordinator` makes another token)."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser("coordinator", email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Staff user: coordinator  password: {password}  (shown once)"))
        token = apitokens.create(user)
        self.stdout.write(self.style.SUCCESS(f"API token for coordinator (moderation API, shown once): {token}"))

    def _serve(self):
        port = str(settings.CONVOCA.port)
        base = [sys.executable, "-m", "convoca"]
        env = dict(os.environ)
        worker = subprocess.Popen([*base, "worker"], env=env)
        web = subprocess.Popen([*base, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"], env=env)
        self.stdout.write(
            self.style.SUCCESS(f"Convoca demo on {settings.CONVOCA.base_url}/  (staff: /en/admin/)  Ctrl-C stops.")
        )
        try:
            while web.poll() is None and worker.poll() is None:
                try:
                    web.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    pass
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
