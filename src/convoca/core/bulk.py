"""One multi-row INSERT for the hot write paths (sign-ups, their mails, imports), without the ORM's
per-object and per-field work.

`insert(model, fields, rows)` writes `rows` (each a sequence of Python values in `fields`' order)
in a single `INSERT … VALUES (…), (…) [ON CONFLICT DO NOTHING] RETURNING …` (SQLite ≥ 3.35 and
PostgreSQL alike). Values go through each field's own `get_db_prep_save` wherever that does real
work (encrypted text, JSON, date-times), so what lands in the database is what `save()` would
have written; plain strings, numbers, booleans and ids go as they are. Measured on the intake
path: the ORM's `bulk_create` and `count()` were about a third of a sign-up's CPU
(docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models

from convoca.core import crypto

_PLAIN = (models.CharField, models.BooleanField, models.IntegerField, models.ForeignKey)


def needs_preparing(field: models.Field) -> bool:
    """Whether a value must go through the field's `get_db_prep_save` before it reaches the driver."""
    return not isinstance(field, _PLAIN) or isinstance(field, crypto.EncryptedTextField)


def insert(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Sequence[Sequence],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = ("id",),
) -> list[tuple]:
    """Insert `rows` and return the `returning` columns of the rows inserted (a conflicting row,
    with `ignore_conflicts`, returns nothing; the order of what is returned is not promised)."""
    if not rows:
        return []
    prepared = [needs_preparing(field) for field in fields]
    moments: dict = {}  # a batch shares a few instants (now, now + 7 days): adapt each once

    def prepare(field, value):
        if isinstance(field, models.DateTimeField):
            if value not in moments:
                moments[value] = field.get_db_prep_save(value, connection)
            return moments[value]
        return field.get_db_prep_save(value, connection)

    params = []
    for row in rows:
        params.extend(
            prepare(field, value) if needed else value
            for field, needed, value in zip(fields, prepared, row, strict=True)
        )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = "(" + ", ".join(["%s"] * len(fields)) + ")"
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    # Only quoted names from the model and placeholders are interpolated; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES {', '.join([values] * len(rows))}{conflict} "
        f"RETURNING {', '.join(quote(column) for column in returning)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
