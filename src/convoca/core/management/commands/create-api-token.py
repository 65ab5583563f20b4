"""`convoca create-api-token USERNAME`: print a new bearer token for a staff user (shown once)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from convoca.core import apitokens


class Command(BaseCommand):
    help = "Create an API token for a staff user and print it once. --revoke revokes all of theirs."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="days until it expires (default 90)")
        parser.add_argument("--revoke", action="store_true", help="revoke every token of this user instead")

    def handle(self, *args, username, days=90, revoke=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_staff:
            raise CommandError(f"no staff user called {username!r}")
        if revoke:
            self.stdout.write(f"Revoked {apitokens.revoke(user)} token(s).")
            return
        if not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650")
        self.stdout.write(apitokens.create(user, days))
