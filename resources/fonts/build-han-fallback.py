"""Rebuild ``wushe-han-fallback.ttf``: Noto Sans CJK SC cut down to CJK Extension A and B.

WenQuanYi Micro Hei (the main font) has no Extension A/B hanzi, which occur in names
(䶮, 㛃, 𠮷). This keeps only those blocks of Noto Sans CJK SC (SIL OFL 1.1) and converts
its PostScript (CFF) outlines to TrueType, which reportlab needs; the result is renamed,
as the licence asks of a modified version. Run once by hand (needs ``fonttools`` and the
Debian package ``fonts-noto-cjk``)::

    python resources/fonts/build-han-fallback.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SOURCE_INDEX = 2  # Noto Sans CJK SC in the Debian collection
TARGET = Path(__file__).with_name("wushe-han-fallback.ttf")
FAMILY = "Wushe Han Fallback"
BLOCKS = ((0x3400, 0x4DBF), (0x20000, 0x2A6DF))  # Extension A, Extension B


def main() -> None:
    font = TTFont(SOURCE, fontNumber=SOURCE_INDEX)
    assert "SC" in font["name"].getDebugName(1)
    wanted = [c for c in font.getBestCmap() if any(lo <= c <= hi for lo, hi in BLOCKS)]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)

    # CFF to glyf (quadratic curves), as fontTools' otf2ttf snippet does.
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"

    names = font["name"]
    names.names = [r for r in names.names if r.nameID not in (1, 3, 4, 6, 16, 17, 18)]
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(FAMILY, 16, 3, 1, 0x409)
    names.setName(f"{FAMILY} Regular", 4, 3, 1, 0x409)
    names.setName("WusheHanFallback-Regular", 6, 3, 1, 0x409)
    names.setName(f"{FAMILY}: Noto Sans CJK SC subset (CJK Ext-A, Ext-B), TrueType outlines", 3, 3, 1, 0x409)
    font.save(TARGET)
    print(f"{TARGET}: {len(wanted)} characters, {len(order)} glyphs")


if __name__ == "__main__":
    main()
