"""Every language is complete, compiles, and every user-visible template text is translatable."""

import gettext
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from convoca.core import languages

SRC = Path(__file__).resolve().parent.parent / "src" / "convoca"
LOCALE = SRC / "locale"
TEMPLATES = SRC / "templates"
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sd]|%[sd]|\{[a-zA-Z_]+\}")


def catalogue(code):
    with open(LOCALE / code / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle, locale=code.replace("-", "_"))


@pytest.mark.parametrize("code", languages.CODES)
def test_catalogue_is_complete_and_keeps_placeholders(code):
    problems = []
    messages = [message for message in catalogue(code) if message.id]
    assert len(messages) > 50
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            # a plural form for exactly one thing may spell the number out ("un", "bir")
            found = set(PLACEHOLDER.findall(string))
            if found - expected or (expected - found and len(strings) == 1):
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert problems == []


@pytest.mark.parametrize("code", languages.CODES)
def test_catalogue_compiles_and_the_shipped_mo_is_current(code):
    po = catalogue(code)
    buffer = io.BytesIO()
    write_mo(buffer, po)
    assert buffer.getvalue()
    mo_path = LOCALE / code / "LC_MESSAGES" / "django.mo"
    with open(mo_path, "rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    for message in po:
        if message.id and not message.fuzzy:
            if isinstance(message.id, tuple):
                assert shipped.ngettext(message.id[0], message.id[1], 1) == message.string[shipped.plural(1)]
            else:
                key = f"{message.context}\x04{message.id}" if message.context else message.id
                assert shipped._catalog.get(key) == message.string, f"{code}: run `make messages` ({message.id!r})"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed (apt-get install gettext)")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh from a copy of the source and compare with what is shipped."""
    copy = tmp_path / "convoca"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (tmp_path / "extract_settings.py").write_text(
        f"from convoca.settings import *\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "extract_settings", "PYTHONPATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--all", "--no-obsolete", "--add-location=file"],
        cwd=copy, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with open(copy / "locale" / "en" / "LC_MESSAGES" / "django.po", "rb") as handle:
        fresh = {m.id for m in read_po(handle) if m.id}
    shipped = {m.id for m in catalogue("en") if m.id}
    assert fresh - shipped == set(), "new strings: run `make messages` and translate them"
    assert shipped - fresh == set(), "obsolete strings: run `make messages`"


# --- templates: no user-visible text outside translation tags --------------------------------

ALLOWED = {"Convoca"}
VISIBLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "content")
_BUTTON_INPUT = re.compile(r'<input\b[^>]*type="(submit|button|reset)"[^>]*value="([^"]*)"', re.I)
_BLOCKS = re.compile(r"{%\s*(blocktranslate|blocktrans|comment)\b.*?{%\s*end\1\s*%}", re.S)
_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ATTRIBUTE = re.compile(r"\b(" + "|".join(VISIBLE_ATTRIBUTES) + r')\s*=\s*"([^"]*)"', re.I)
_ELEMENT = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_text(source: str) -> list[str]:
    """The pieces of visible text in a template that no translation tag covers."""
    source = _BLOCKS.sub(" ", source)
    source = _SCRIPT.sub(" ", source)
    source = _HTML_COMMENT.sub(" ", source)
    source = re.sub(r'<meta\s+(charset|name="(viewport|robots)")[^>]*>', " ", source, flags=re.I)
    source = _TAGS.sub("\n", source)
    found = []
    for element in _ELEMENT.findall(source):
        values = [value for _name, value in _ATTRIBUTE.findall(element)]
        values += [value for _type, value in _BUTTON_INPUT.findall(element)]  # a button's value is its label
        found.extend(value.strip() for value in values if _WORD.search(value))
    text = _ELEMENT.sub("\n", source)
    for piece in text.split("\n"):
        piece = piece.strip()
        if _WORD.search(" ".join(word for word in piece.split() if word not in ALLOWED)):
            found.append(piece)
    return found


def scan(directory: Path) -> dict[str, list[str]]:
    report = {}
    for path in sorted(directory.rglob("*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            pieces = untranslated_text(path.read_text())
            if pieces:
                report[str(path.relative_to(directory))] = pieces
    return report


def test_templates_have_no_text_outside_translation_tags():
    assert scan(TEMPLATES) == {}


def test_the_scanner_catches_a_planted_string(tmp_path):
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    planted = tmp_path / "templates" / "statements" / "inbox.html"
    planted.write_text(planted.read_text().replace("{% endblock %}", "<p>Thanks for nothing</p>{% endblock %}", 1))
    assert scan(tmp_path / "templates") == {"statements/inbox.html": ["Thanks for nothing"]}
    assert untranslated_text('<img alt="A river">') == ["A river"]
    assert untranslated_text('<input type="submit" value="Go now">') == ["Go now"]
    assert untranslated_text('<button name="decision" value="approve">{% translate "Approve" %}</button>') == []
    assert untranslated_text('<a title="{% translate "ok" %}">{% translate "Fine" %}</a>') == []
    assert untranslated_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []


@pytest.mark.parametrize(
    "path",
    [
        "/en/s/letter/", "/fr/a/12/", "/en/c/rivers/actions/?near=Paris&page=2", "/ar/staff/c/rivers/look/",
        "/en/confirm/abc-DEF_123/", "/es/embed/s/letter/form/?source=keepers", "/api/v1/statements", "/healthz", "/",
    ],
)  # fmt: skip
def test_the_language_switcher_links_are_what_translate_url_gives(path):
    from django.urls import translate_url
    from django.utils import translation

    from convoca.core.context_processors import in_language

    shown = path.split("/")[1] if path.split("/")[1] in languages.CODES else "en"
    with translation.override(shown):  # as LocaleMiddleware activates it for the page
        for code in ("en", "ar", "ur", "pt"):
            assert in_language(path, code) == translate_url(path, code), (path, code)
