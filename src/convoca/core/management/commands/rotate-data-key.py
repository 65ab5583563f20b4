"""`convoca rotate-data-key`: re-encrypt personal data under the first key of CONVOCA_DATA_KEY.

Rotation: put the new key first in CONVOCA_DATA_KEY (old keys after it), restart, run this, then
remove the old keys. Rows already under the first key are skipped, so it can be rerun safely.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from convoca.core import crypto
from convoca.core.crypto import EncryptedTextField

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of CONVOCA_DATA_KEY."

    def handle(self, *args, **options):
        current = crypto.current_key_id()
        total = 0
        for model in apps.get_models():
            fields = [field for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
            if not fields:
                continue
            table, columns = model._meta.db_table, [field.column for field in fields]
            changed = self._rotate(model, table, columns, current)
            total += changed
            self.stdout.write(f"{model._meta.label}: {changed} row(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) now under key {current}."))

    def _rotate(self, model, table, columns, current) -> int:
        """Read raw ciphertexts; rewrite only those under another key (decrypt, encrypt anew)."""
        quote = connection.ops.quote_name
        pk = model._meta.pk.column
        changed = 0
        last = None
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    where = f"WHERE {quote(pk)} > %s " if last is not None else ""
                    cursor.execute(
                        f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
                        f"{where}ORDER BY {quote(pk)} LIMIT {BATCH}",
                        [last] if last is not None else [],
                    )
                    rows = cursor.fetchall()
                    for row in rows:
                        updates = {}
                        for column, value in zip(columns, row[1:], strict=True):
                            if value and value.split(".", 2)[1] != current:
                                updates[column] = crypto.encrypt(crypto.decrypt(value))
                        if updates:
                            assignments = ", ".join(f"{quote(column)} = %s" for column in updates)
                            cursor.execute(
                                f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                                [*updates.values(), row[0]],
                            )
                            changed += 1
            if len(rows) < BATCH:
                return changed
            last = rows[-1][0]
