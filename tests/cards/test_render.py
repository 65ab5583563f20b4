"""The card renderer: shaping with raqm, right-to-left text, wrapping and shortening, the picture's size."""

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat, features

from convoca.cards import render
from convoca.cards.render import Card, Text

REFERENCE = Path(__file__).resolve().parent / "reference"
ARABIC = Text("نداء من أجل أنهار نظيفة وحيّة", "ar")
URDU = Text("صاف اور زندہ دریاؤں کے لیے اپیل", "ur")


def line(piece: Text, layout=ImageFont.Layout.RAQM) -> Image.Image:
    """One line of the card's bold title font at 48 px, right-aligned as on a right-to-left card."""
    typeface = ImageFont.truetype(str(render.FONTS / "ConvocaCardSans-Bold.ttf"), 48, layout_engine=layout)
    image = Image.new("L", (900, 110), 255)
    options = {"direction": piece.direction, "language": piece.language} if layout == ImageFont.Layout.RAQM else {}
    ImageDraw.Draw(image).text((880, 75), piece.text, font=typeface, fill=0, anchor="rs", **options)
    return image


def differs(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ by more than a quarter of the grey scale."""
    diff = ImageChops.difference(a, b).point(lambda value: 255 if value > 64 else 0)
    return ImageStat.Stat(diff).mean[0] / 255


def test_pillow_has_raqm_with_fribidi_and_harfbuzz():
    assert features.check("raqm")
    assert features.version("fribidi") is not None  # Debian's libfribidi0, loaded at run time
    assert features.version("harfbuzz") is not None


def test_arabic_and_urdu_titles_match_their_references_and_are_shaped():
    for piece, name in ((ARABIC, "arabic-title.png"), (URDU, "urdu-title.png")):
        shaped = line(piece)
        reference = Image.open(REFERENCE / name).convert("L")
        assert shaped.size == reference.size
        assert differs(shaped, reference) < 0.005, f"{name}: the rendering moved away from the reference"
        # The same text through Pillow's BASIC layout (no shaping, no bidi: isolated letters, left
        # to right) looks clearly different: the reference is a shaped, right-to-left line.
        assert differs(line(piece, ImageFont.Layout.BASIC), reference) > 0.03, name


def test_direction_follows_the_first_strong_character():
    assert Text("نداء", "en").direction == "rtl"
    assert Text("COP30 في عمّان", "ar").direction == "ltr"  # like dir="auto"
    assert Text("2027", "ur").direction == "rtl"  # no strong character: the language decides
    assert Text("İşçilerle dayanışma", "tr").direction == "ltr"


def ink_columns(image: Image.Image, top: int, bottom: int) -> tuple[int, int]:
    """Leftmost and rightmost columns with dark ink (the title's colour) between two rows."""
    band = image.crop((0, top, render.WIDTH, bottom)).convert("L").point(lambda value: 255 if value < 80 else 0)
    left, _, right, _ = band.getbbox()
    return left, right


def test_an_arabic_card_starts_at_the_right_and_an_english_one_at_the_left():
    arabic = render.draw(Card(language="ar", kicker=Text("تحالف يوم الأنهار", "ar"), title=ARABIC))
    left, right = ink_columns(arabic, 100, 560)
    assert right > render.WIDTH - render.MARGIN_START - 8 and left > render.MARGIN_END + 50
    english = render.draw(Card(language="en", kicker=None, title=Text("A call for clean rivers", "en")))
    left, right = ink_columns(english, 100, 560)
    assert left < render.MARGIN_START + 8 and right < render.WIDTH - render.MARGIN_END - 50


def test_long_titles_wrap_within_the_width_and_end_with_an_ellipsis():
    words = ("River " * 60).strip()
    lines, shortened = render.wrap(Text(words, "en"), 60, True, render.CONTENT, 3)
    assert shortened and len(lines) == 3 and lines[-1].endswith(render.ELLIPSIS)
    arabic = Text(" ".join([ARABIC.text] * 12), "ar")
    lines, shortened = render.wrap(arabic, 60, True, render.CONTENT, 3)
    assert shortened and len(lines) == 3 and lines[-1].endswith(render.ELLIPSIS)
    for piece in (Text(words, "en"), arabic, Text("Ä" * 300, "de")):  # one word longer than a line, too
        lines, _ = render.wrap(piece, 60, True, render.CONTENT, 3)
        typeface = render.font(60, True)
        for text in lines:
            assert typeface.getlength(text, direction=piece.direction, language=piece.language) <= render.CONTENT
    assert render.wrap(Text("Short", "en"), 60, True, render.CONTENT, 3) == (["Short"], False)


def test_a_card_is_a_1200_by_630_png_and_a_huge_title_stays_inside():
    title = Text("Çok uzun bir başlık: " + "dayanışma ve adalet için " * 30, "tr")
    data = render.png(Card(language="tr", kicker=Text("Kampanya", "tr"), title=title, figure=Text("12", "tr")))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630)
    # nothing drawn in the margin at the inline end (the right, for Turkish)
    margin = image.crop((render.WIDTH - render.MARGIN_END + 4, 0, render.WIDTH, 560)).convert("L")
    assert margin.getextrema()[0] > 200


def test_empty_and_blank_texts_draw_nothing_and_do_not_fail():
    card = Card(language="ar", kicker=Text(" ", "ar"), title=Text("", "ar"), details=(Text("", "ar"),),
                figure=Text("", "ar"), note=Text(" ", "ar"), progress=0.0)  # fmt: skip
    assert Image.open(io.BytesIO(render.png(card))).size == (1200, 630)
