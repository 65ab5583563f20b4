"""One row of the file → the data of one endorsement, or the precise reasons it is refused."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from convoca.core import crypto
from convoca.imports import mapping

# Reason codes, stored with each bad row and shown in the reader's language.
REASONS = {
    "missing": _("missing"),
    "too_long": _("too long (at most %(detail)s characters)"),
    "invalid_email": _("not a valid e-mail address"),
    "unknown_country": _("unknown country"),
    "unknown_kind": _("neither a person nor an organization"),
    "missing_organization": _("an organization needs its name"),
    "unclear_consent": _("not a clear yes or no"),
    "unknown_partner": _("no partner of this campaign has this code"),
    "unknown_language": _("unknown language"),
    "control_characters": _("contains control characters"),
    "duplicate": _("the same address as row %(detail)s"),
}
ROW = -1  # a problem of the whole row rather than of one column
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tabs and line breaks are only spaces


@dataclass
class Outcome:
    data: dict | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str] | None:
        """What makes two rows the same endorsement: the kind and the normalised address."""
        return (self.data["kind"], crypto.normalise_email(self.data["email"])) if self.data else None


class RowReader:
    """Reads rows with one mapping: `columns` (field → column number) and the fixed values
    for the whole file (`kind`, `source`, `language`, `country`) used where no column or an
    empty cell gives one."""

    def __init__(self, columns: dict[str, int], fixed: dict[str, str], partner_codes: set[str]):
        self.columns = {name: int(index) for name, index in columns.items() if name in mapping.FIELDS}
        self.fixed = fixed
        self.partners = {code.casefold(): code for code in partner_codes}

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def read(self, cells: list[str]) -> Outcome:
        problems: list[tuple[int, str, str]] = []
        data: dict = {}

        def refuse(name: str, reason: str, detail="") -> None:
            problems.append((self.columns.get(name, ROW), reason, str(detail)))

        for name in ("name", "email", "organization", "city"):
            value = self.cell(cells, name)
            if CONTROL.search(value):
                refuse(name, "control_characters")
                continue
            value = unicodedata.normalize("NFC", " ".join(value.split()))
            if not value and name in mapping.REQUIRED:
                refuse(name, "missing")
            elif len(value) > mapping.LIMITS[name]:
                refuse(name, "too_long", mapping.LIMITS[name])
            data[name] = value
        if data.get("email"):
            try:
                validate_email(data["email"])
            except ValidationError:
                refuse("email", "invalid_email")

        text = self.cell(cells, "kind").strip()
        data["kind"] = mapping.kind(text) if text else self.fixed.get("kind", "person")
        if data["kind"] is None:
            refuse("kind", "unknown_kind")
        elif data["kind"] == "organization" and data.get("organization") == "":
            refuse("organization", "missing_organization")
        elif data["kind"] == "person":
            data["organization"] = ""  # as the form does: a person signs for themself

        text = self.cell(cells, "country").strip()
        data["country"] = mapping.country(text) if text else self.fixed.get("country", "")
        if not data["country"]:
            refuse("country", "unknown_country" if text else "missing")

        for name in ("public", "updates"):
            data[name] = mapping.consent(self.cell(cells, name))
            if data[name] is None:
                refuse(name, "unclear_consent")

        text = self.cell(cells, "source").strip()
        if text:
            data["source"] = self.partners.get(text.casefold())
            if data["source"] is None:
                refuse("source", "unknown_partner")
        else:
            data["source"] = self.fixed.get("source", "")

        text = self.cell(cells, "language").strip()
        data["language"] = mapping.language(text) if text else self.fixed.get("language", "en")
        if data["language"] is None:
            refuse("language", "unknown_language")

        if problems:
            return Outcome(problems=problems)
        return Outcome(data=data)


def reason_text(reason: str, detail: str = "") -> str:
    message = REASONS.get(reason, reason)
    return str(message) % {"detail": detail} if "%(detail)s" in str(message) else str(message)
