"""`convoca add-totp USERNAME`: give a staff user an authenticator (TOTP) and print its key once."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a confirmed TOTP device for a staff user and print its otpauth:// URI and base32 key once. "
        "--replace removes the user's other TOTP devices first (a lost phone); --remove only removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="a name for the device (default: authenticator)")
        parser.add_argument("--replace", action="store_true", help="remove the user's other TOTP devices first")
        parser.add_argument("--remove", action="store_true", help="remove every TOTP device of the user, add none")

    def handle(self, *args, username, name="authenticator", replace=False, remove=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_staff:
            raise CommandError(f"no staff user called {username!r}")
        if not 1 <= len(name) <= 64:
            raise CommandError("--name must be 1 to 64 characters")
        with transaction.atomic():
            if replace or remove:
                removed, _ = TOTPDevice.objects.filter(user=user).delete()
                self.stderr.write(f"Removed {removed} TOTP device(s) of {username}.")
            if remove:
                return
            device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stderr.write(
            f"Add this key to {username}'s authenticator app (shown once; scan the URI as a QR code "
            "or type the key), then log in at /en/admin/ with the password and a code."
        )
        self.stdout.write(device.config_url)
        self.stdout.write(b32encode(device.bin_key).decode())
