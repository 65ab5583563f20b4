"""Drawing a share card: a 1200×630 PNG with Pillow, text shaped by raqm (HarfBuzz + FriBiDi).

Arabic and Urdu need shaping (joined letter forms, lam-alef) and the bidirectional algorithm (right
to left, with Latin words and numbers inside running left to right): Pillow's BASIC layout does
neither, so every text goes through `ImageFont.Layout.RAQM` with its direction and language set,
and a missing raqm is an error at start-up (`checks.py`), not a card of disconnected letters.

One font, Convoca Card Sans (Noto Sans merged with Noto Sans Arabic, `fonts/`), holds Latin,
Greek, Cyrillic and Arabic script, because Pillow draws each line with a single font.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from convoca.core import languages

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
ELLIPSIS = "…"

PAPER = "#fbfaf7"
INK = "#1d1d27"
MUTED = "#55566a"
TRACK = "#e4e1da"
DEFAULT_ACCENT = "#0b5c4f"  # the site's --accent

EDGE = 22  # the accent band along the inline-start edge
MARGIN_START = 84  # from the card's inline-start edge
MARGIN_END = 72
CONTENT = WIDTH - MARGIN_START - MARGIN_END


class RaqmMissing(RuntimeError):
    """Pillow was built without raqm, or libfribidi (Debian: libfribidi0) cannot be loaded."""


def require_raqm() -> None:
    if not features.check("raqm"):
        raise RaqmMissing(
            "Pillow cannot shape text: raqm is unavailable (install Debian's libfribidi0; "
            "PyPI's Pillow wheels carry raqm and HarfBuzz but load libfribidi at run time)"
        )


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    require_raqm()
    name = "ConvocaCardSans-Bold.ttf" if bold else "ConvocaCardSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def direction(text: str, language: str = "") -> str:
    """The direction of the first strong character (HTML's `dir="auto"`), else the language's."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return languages.get(language).direction if language in languages.CODES else "ltr"


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is written in (for shaping and direction)."""

    text: str
    language: str

    @property
    def direction(self) -> str:
        return direction(self.text, self.language)


def _measure(text: str, size: int, bold: bool, piece: Text) -> float:
    return font(size, bold).getlength(text, direction=piece.direction, language=piece.language)


def _shorten(words: list[str], size: int, bold: bool, piece: Text, width: float) -> str:
    """The words that fit in `width` with an ellipsis after them (characters cut if one word is too long)."""
    while words:
        candidate = " ".join(words).rstrip(" ,.;:،؛-–—") + ELLIPSIS
        if _measure(candidate, size, bold, piece) <= width:
            return candidate
        if len(words) == 1:
            word = words[0][:-1]
            words = [word] if word else []
        else:
            words = words[:-1]
    return ELLIPSIS


def wrap(piece: Text, size: int, bold: bool, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Lines of at most `width` pixels, in logical order, and whether the text was shortened."""
    words = piece.text.split()
    lines: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        trial = [*current, word]
        if _measure(" ".join(trial), size, bold, piece) <= width:
            current = trial
            continue
        if current:
            lines.append(" ".join(current))
            current = [word]
        else:
            current = [word]
        if len(lines) == max_lines:
            break
        if _measure(word, size, bold, piece) > width:  # one word longer than a line: shortened where it stands
            rest_fits = len(lines) + 1 >= max_lines or index == len(words) - 1
            lines.append(_shorten([word], size, bold, piece, width))
            current = []
            if rest_fits:
                return lines[:max_lines], True
    else:
        if current:
            lines.append(" ".join(current))
        if len(lines) <= max_lines:
            return lines, False
    kept = lines[: max_lines - 1]
    used = sum(len(line.split()) for line in kept)
    last = _shorten(words[used:], size, bold, piece, width)
    return [*kept, last], True


def one_line(piece: Text, size: int, bold: bool, width: float) -> str:
    """The text on one line, shortened with an ellipsis if it does not fit ("" for no text)."""
    lines, _ = wrap(piece, size, bold, width, 1)
    return lines[0] if lines else ""


def line_height(size: int, piece: Text) -> int:
    """Arabic script needs more room above and below its lines than Latin."""
    arabic = any("\u0600" <= character <= "\u06ff" or "\u0750" <= character <= "\u077f" for character in piece.text)
    return round(size * (1.55 if arabic else 1.22))


@dataclass(frozen=True)
class Card:
    """What one card says. Everything drawn comes from here, so its hash names the picture."""

    language: str  # the interface language: the side the layout starts from
    kicker: Text | None  # the campaign's name, or a kind of action above the title
    title: Text
    details: tuple[Text, ...] = ()  # a date, a place, a description: one line each
    figure: Text | None = None  # "1,200 endorsements", "12 people are coming."
    note: Text | None = None  # "Goal: 5,000", at the end of the figure's line
    progress: float | None = None  # 0..1 toward the goal
    site: str = ""  # the host name, at the bottom
    accent: str = DEFAULT_ACCENT
    title_sizes: tuple[int, ...] = field(default=(76, 68, 60, 52, 46))
    title_lines: int = 4


class Canvas:
    """Coordinates measured from the inline-start edge, mirrored for a right-to-left card."""

    def __init__(self, card: Card):
        self.card = card
        self.rtl = languages.get(card.language).rtl
        self.image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def x(self, inline: float) -> float:
        return WIDTH - inline if self.rtl else inline

    def rectangle(self, start: float, top: float, end: float, bottom: float, fill: str, radius: int = 0) -> None:
        left, right = sorted((self.x(start), self.x(end)))
        self.draw.rounded_rectangle((left, top, right, bottom), radius=radius, fill=fill)

    def text(self, line: str, piece: Text, baseline: float, size: int, bold: bool, fill: str, end: bool = False):
        """One line at the card's inline start (or end), shaped in the text's own direction: a
        left-to-right title on a right-to-left card still starts at the right, as the card does."""
        at_start = not end
        if self.rtl:
            x, anchor = (WIDTH - MARGIN_START, "rs") if at_start else (MARGIN_END, "ls")
        else:
            x, anchor = (MARGIN_START, "ls") if at_start else (WIDTH - MARGIN_END, "rs")
        typeface = font(size, bold)
        self.draw.text(
            (x, baseline), line, font=typeface, fill=fill, anchor=anchor, direction=piece.direction,
            language=piece.language,
        )  # fmt: skip
        return typeface.getlength(line, direction=piece.direction, language=piece.language)


def draw(card: Card) -> Image.Image:
    canvas = Canvas(card)
    canvas.rectangle(0, 0, EDGE, HEIGHT, card.accent)
    y = 58
    if card.kicker:
        y += 30
        canvas.text(one_line(card.kicker, 30, True, CONTENT), card.kicker, y, 30, True, MUTED)
        y += 22

    bottom = _bottom_block_top(card)
    detail_room = sum(line_height(32, piece) for piece in card.details)
    size, lines = _fit_title(card, bottom - y - detail_room - 24)
    step = line_height(size, card.title)
    block = step * len(lines) + 10 + detail_room
    y += max(0, round((bottom - y - block) * 0.4))  # a short title sits a little above the middle
    for line in lines:
        y += step
        canvas.text(line, card.title, y - round(step * 0.24), size, True, INK)
    y += 10
    for piece in card.details:
        y += line_height(32, piece)
        canvas.text(one_line(piece, 32, False, CONTENT), piece, y - 10, 32, False, MUTED)

    if card.figure:
        baseline = bottom + 48
        figure = one_line(card.figure, 44, True, CONTENT * 0.66)
        figure_width = canvas.text(figure, card.figure, baseline, 44, True, card.accent)
        if card.note:
            note = one_line(card.note, 30, False, CONTENT - figure_width - 24)
            canvas.text(note, card.note, baseline, 30, False, MUTED, end=True)
        if card.progress is not None:
            top = baseline + 24
            canvas.rectangle(MARGIN_START, top, WIDTH - MARGIN_END, top + 16, TRACK, radius=8)
            filled = max(0.0, min(1.0, card.progress))
            if filled > 0:
                end = MARGIN_START + max(16, round(CONTENT * filled))
                canvas.rectangle(MARGIN_START, top, end, top + 16, card.accent, radius=8)
    if card.site:
        site = Text(card.site, "en")
        canvas.text(site.text, site, HEIGHT - 30, 24, True, MUTED, end=True)
    return canvas.image


def _bottom_block_top(card: Card) -> int:
    if card.figure is None:
        return HEIGHT - 70
    return HEIGHT - 70 - (48 + 24 + 16 if card.progress is not None else 60)


def _fit_title(card: Card, room: float) -> tuple[int, list[str]]:
    """The largest size at which the whole title fits in its lines and the room; else the
    smallest, shortened with an ellipsis."""
    for size in card.title_sizes:
        for count in range(card.title_lines, 0, -1):
            if count * line_height(size, card.title) <= room:
                break
        lines, shortened = wrap(card.title, size, True, CONTENT, count)
        if not shortened:
            return size, lines
    return size, lines


def png(card: Card) -> bytes:
    buffer = io.BytesIO()
    draw(card).save(buffer, "PNG")  # `optimize` saves 5% for three times the time
    return buffer.getvalue()
