"""Builds the card fonts from Debian's fonts-noto-core (not run by the app; the .ttf files are committed).

Pillow draws one line with one font, so a title that mixes scripts ("COP30 في عمّان") needs one font
holding both: Noto Sans (Latin, Greek, Cyrillic) merged with Noto Sans Arabic (Arabic, Urdu,
Persian), hinting dropped (the cards are drawn at 30-70 px, where FreeType's own rendering is fine).
Both are under the SIL Open Font License 1.1 (OFL.txt); the merged font takes another name.

    apt-get install fonts-noto-core
    uv run --with fonttools~=4.68 python src/convoca/cards/fonts/build.py
"""

import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/noto")
HERE = Path(__file__).resolve().parent
FAMILY = "Convoca Card Sans"


def unhinted(source: Path, target: Path) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    font.save(target)


def build(weight: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        latin, arabic = Path(tmp, "latin.ttf"), Path(tmp, "arabic.ttf")
        unhinted(SOURCE / f"NotoSans-{weight}.ttf", latin)
        unhinted(SOURCE / f"NotoSansArabic-{weight}.ttf", arabic)
        # Latin first: where both fonts have a character (digits, space, punctuation) Noto Sans's is kept.
        font = Merger().merge([str(latin), str(arabic)])
    # Room for Arabic marks above and below: the taller of the two fonts' line metrics.
    font["hhea"].ascent, font["hhea"].descent = 1374, -738
    font["OS/2"].usWinAscent, font["OS/2"].usWinDescent = 1374, 738
    font["OS/2"].sTypoAscender, font["OS/2"].sTypoDescender = 1374, -738
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=record.nameID)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName(weight, 2, 3, 1, 0x409)
    name.setName(f"{FAMILY} {weight}", 4, 3, 1, 0x409)
    name.setName(f"{FAMILY} {weight}; merged from Noto Sans and Noto Sans Arabic", 3, 3, 1, 0x409)
    name.setName(f"ConvocaCardSans-{weight}", 6, 3, 1, 0x409)
    target = HERE / f"ConvocaCardSans-{weight}.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        print(build(weight))
