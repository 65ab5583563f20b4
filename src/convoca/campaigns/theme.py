"""A campaign's own colours and logo, checked so that no campaign can make the site unreadable.

Colours: the accent (buttons with white text, links on the page's paper) must reach WCAG AA's
4.5:1 against both; the soft colour (behind notes and the progress bar, under the ink) too. A
colour that fails is refused with a suggestion of the nearest one that passes.

Logo: PNG, JPEG or WebP up to 200 KB, recognised by its bytes, not its name. No SVG: an SVG is a
document that can carry script, styles and requests to other sites, and cleaning one safely is a
project of its own; a raster image is only pixels. Logos live in the database, so every app server
behind nginx serves the same bytes, under a URL with their hash, cached for a year.
"""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE, PAPER, INK = "#ffffff", "#fbfaf7", "#1d1d27"  # as in convoca.css: --card, --paper, --ink
AA = 4.5
LOGO_LIMIT = 200 * 1024
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


def _channels(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def luminance(color: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mix(color: str, toward: tuple[int, int, int], share: float) -> str:
    channels = (round(c + (t - c) * share) for c, t in zip(_channels(color), toward, strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def _nearest(color: str, toward: tuple[int, int, int], against: tuple[str, ...]) -> str:
    for step in range(1, 101):
        candidate = _mix(color, toward, step / 100)
        if all(contrast(candidate, other) >= AA for other in against):
            return candidate
    return "#000000" if toward == (0, 0, 0) else "#ffffff"


def _check_hex(value: str) -> str:
    if not HEX.match(value or ""):
        raise ValidationError(_("Give a colour as # and six hexadecimal digits, like #0b5c4f."), code="format")
    return value.lower()


def validate_accent(value: str) -> None:
    """Buttons carry white text on the accent, and links are the accent on the page's paper."""
    value = _check_hex(value)
    worst = min(contrast(value, WHITE), contrast(value, PAPER))
    if worst < AA:
        raise ValidationError(
            _("This colour is too light for text: its contrast with white and with the page background is %(ratio)s:1, "
              "and 4.5:1 is needed. "
              "A darker one such as %(suggestion)s passes."),
            code="contrast",
            params={"ratio": f"{worst:.1f}", "suggestion": _nearest(value, (0, 0, 0), (WHITE, PAPER))},
        )  # fmt: skip


def validate_soft(value: str) -> None:
    """The soft colour sits behind text in the ink colour (notes, the progress bar's track)."""
    value = _check_hex(value)
    ratio = contrast(value, INK)
    if ratio < AA:
        raise ValidationError(
            _("This colour is too dark behind text: its contrast with the text colour is %(ratio)s:1, and 4.5:1 "
              "is needed. A lighter one such as %(suggestion)s passes."),
            code="contrast",
            params={"ratio": f"{ratio:.1f}", "suggestion": _nearest(value, (255, 255, 255), (INK,))},
        )  # fmt: skip


def check_logo_size(size: int) -> None:
    if size > LOGO_LIMIT:
        raise ValidationError(
            _("The logo is %(size)s KB; at most 200 KB is accepted."),
            code="size",
            params={"size": (size + 1023) // 1024},
        )


def logo_type(data: bytes) -> str:
    """The logo's media type, from its first bytes; refuses anything but PNG, JPEG and WebP."""
    check_logo_size(len(data))
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) > 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ValidationError(_("The logo must be a PNG, JPEG or WebP image (SVG is not accepted)."), code="type")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def stylesheet(campaign) -> str:
    """The campaign's colours as CSS custom properties, overriding convoca.css's defaults."""
    rules = []
    if campaign.accent_color:
        rules.append(f"--accent: {campaign.accent_color};")
    if campaign.soft_color:
        rules.append(f"--accent-soft: {campaign.soft_color};")
    return ":root { " + " ".join(rules) + " }\n" if rules else ""


def stylesheet_version(campaign) -> str:
    return digest(stylesheet(campaign).encode())
