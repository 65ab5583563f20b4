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


# --- people who asked for updates, for a coalition's follow-up (optionally one partner's) -------

SUBSCRIBER_COLUMNS = [
    "statement", "kind", "name", "organization", "email", "country", "language", "partner", "confirmed_on",
    "updates_consented_at",
]  # fmt: skip


def subscribers(statement_id: int, source: str | None = None):
    """Confirmed signers who consented to updates (not those of a rejected wave, nor erased ones).
    `source`: None for everyone, "" for those who came without a partner code, else one code."""
    endorsements = (
        Endorsement.objects.filter(statement_id=statement_id, consent_updates=True, confirmed_at__isnull=False)
        .exclude(hold=Endorsement.Hold.REJECTED)
        .exclude(email="")
        .select_related("statement")
        .order_by("id")
    )
    if source is not None:
        endorsements = endorsements.filter(source=source)
    return endorsements


def subscriber_rows(endorsements):
    for endorsement in endorsements.iterator(chunk_size=2000):
        yield [
            endorsement.statement.slug,
            endorsement.kind,
            endorsement.name,
            endorsement.organization if endorsement.kind == Endorsement.Kind.ORGANIZATION else "",
            endorsement.email,
            endorsement.country,
            endorsement.language,
            endorsement.source,
            endorsement.confirmed_at.date().isoformat(),
            endorsement.consent_updates_at.isoformat() if endorsement.consent_updates_at else "",
        ]


def write_csv(rows, stream, columns=SUBSCRIBER_COLUMNS) -> int:
    """Write `rows` (escaped against CSV injection) to a text stream; returns how many."""
    writer = csv.writer(stream)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        count += 1
    return count


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="export">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_row(cells) -> str:
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        text = escape(_xml_safe("" if value is None else str(value)))
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    return "<table:table-row>" + "".join(cell(value) for value in cells) + "</table:table-row>"


def _xml_safe(text: str) -> str:
    """XML 1.0 forbids most control characters, which a signer's name might hold."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def write_ods(rows, binary_stream, columns=SUBSCRIBER_COLUMNS) -> int:
    """A minimal OpenDocument spreadsheet (one sheet, every cell a string, so no cell is ever a
    formula); returns how many rows. Written as it goes: a large export is never held in memory."""
    import zipfile

    count = 0
    with zipfile.ZipFile(binary_stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The mimetype entry comes first and uncompressed, as OpenDocument requires.
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        with archive.open("content.xml", "w") as content:
            content.write(ODS_HEAD.encode())
            content.write(_ods_row(columns).encode())
            for row in rows:
                content.write(_ods_row(row).encode())
                count += 1
            content.write(ODS_TAIL.encode())
    return count
