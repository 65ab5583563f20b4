"""Reading a CSV file exported by a form service or a spreadsheet: its encoding, its delimiter,
and its rows numbered as the spreadsheet shows them (the header is row 1; a quoted cell that
spans several lines is still one row)."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_CELL = 100_000  # characters; a longer cell stops the reading with a clear message

csv.field_size_limit(MAX_CELL)


class Unreadable(Exception):
    """The file cannot be read as CSV; the message says where and why."""


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 (BOM, or NUL bytes in every other position); else
    Windows-1252, which spreadsheets on Windows write, or Latin-1 when bytes undefined in 1252 occur."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8"
        sample = head[:2048]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
            return "utf-16-le"
        if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
            return "utf-16-be"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        undefined = set(b"\x81\x8d\x8f\x90\x9d")
        while block := handle.read(1 << 20):
            if undefined.intersection(block):
                return "latin-1"
    return "cp1252"


def python_encoding(encoding: str) -> str:
    """The codec to read with: UTF-8 drops its BOM; UTF-16 without a BOM needs its byte order."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _opened(path: Path, encoding: str):
    return open(path, encoding=python_encoding(encoding), newline="", errors="strict")


def sniff_delimiter(path: Path, encoding: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first rows most consistently."""
    try:
        with _opened(path, encoding) as handle:
            sample = handle.read(65536)
    except UnicodeDecodeError:
        return ","
    lines = sample.splitlines()[:-1] or sample.splitlines()
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines[:50], delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(1 for row in rows if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for every row after the header; blank rows are skipped but numbered."""
    with _opened(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        number = 1
        try:
            next(reader, None)
            for cells in reader:
                number += 1
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except UnicodeDecodeError as error:
            raise Unreadable(
                f"row {number + 1}: not {ENCODINGS.get(encoding, encoding)} text ({error.reason})"
            ) from None
        except csv.Error as error:
            raise Unreadable(f"row {number + 1}: {error}") from None


def header(path: Path, encoding: str, delimiter: str) -> list[str]:
    try:
        with _opened(path, encoding) as handle:
            first = next(csv.reader(handle, delimiter=delimiter), None)
    except UnicodeDecodeError as error:
        raise Unreadable(f"row 1: not {ENCODINGS.get(encoding, encoding)} text ({error.reason})") from None
    except csv.Error as error:
        raise Unreadable(f"row 1: {error}") from None
    if not first or not any(cell.strip() for cell in first):
        raise Unreadable("row 1: the first row should name the columns, and it is empty")
    return [" ".join(cell.split()) for cell in first]


def first_rows(path: Path, encoding: str, delimiter: str, count: int) -> list[tuple[int, list[str]]]:
    found = []
    for item in rows(path, encoding, delimiter):
        found.append(item)
        if len(found) >= count:
            break
    return found
