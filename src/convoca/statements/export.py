"""CSV export of endorsements: only what signers consented to share, safe to open in a spreadsheet."""

import csv
import io

from convoca.statements.models import Endorsement

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "statement", "kind", "public_name", "organization", "website", "country", "public_city", "language",
    "revision", "revision_created_at", "confirmed_on", "review", "counted", "updates_name", "updates_email",
]  # fmt: skip


def neutralise(value) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(statement_ids):
    endorsements = (
        Endorsement.objects.filter(statement_id__in=list(statement_ids))
        .select_related("statement", "revision")
        .order_by("statement_id", "id")
    )
    for endorsement in endorsements.iterator(chunk_size=2000):
        updates = endorsement.consent_updates and endorsement.confirmed_at is not None
        yield [
            endorsement.statement.slug,
            endorsement.kind,
            endorsement.public_name,
            endorsement.organization if endorsement.kind == Endorsement.Kind.ORGANIZATION else "",
            endorsement.website,
            endorsement.country,
            endorsement.public_city,
            endorsement.language,
            endorsement.revision_id or "",
            endorsement.revision.created_at.isoformat() if endorsement.revision else "",
            endorsement.confirmed_at.date().isoformat() if endorsement.confirmed_at else "",
            endorsement.review,
            "yes" if endorsement.counted else "no",
            endorsement.name if updates else "",
            endorsement.email if updates else "",
        ]


def to_csv(statement_ids) -> tuple[str, int]:
    """The CSV text and how many endorsements it holds (for the audit log)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows(statement_ids):
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return buffer.getvalue(), count
