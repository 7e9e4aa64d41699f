"""Reading printed PDFs back with pypdf: text per page, fonts, outline."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

#: The standard 14 PDF fonts (and their common aliases); none may appear in a form.
STANDARD_14 = (
    "Helvetica",
    "Times",
    "Courier",
    "Symbol",
    "ZapfDingbats",
    "Arial",
)

_WS = re.compile(r"\s+")


def flat(text: str) -> str:
    """Text without any whitespace (line breaks fall anywhere in wrapped CJK text)."""
    return _WS.sub("", text)


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


@dataclass
class Pdf:
    """A PDF read back, with its text extracted lazily."""

    data: bytes

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def text(self, index: int) -> str:
        """Text of page ``index`` (0-based), cached."""
        cache: dict[int, str] = self.__dict__.setdefault("_texts", {})
        if index not in cache:
            cache[index] = self.reader.pages[index].extract_text()
        return cache[index]

    @cached_property
    def texts(self) -> list[str]:
        return [self.text(i) for i in range(self.page_count)]

    @cached_property
    def flat_text(self) -> str:
        return flat("".join(self.texts))

    def fonts(self) -> list[DictionaryObject]:
        """Every font dictionary referenced from a page's resources (deduplicated)."""
        seen: dict[int, DictionaryObject] = {}
        for page in self.reader.pages:
            resources = _resolve(page.get("/Resources")) or {}
            fonts = _resolve(resources.get("/Font")) or {}
            for ref in fonts.values():
                font = _resolve(ref)
                seen[id(font)] = font
        return list(seen.values())

    def outline(self) -> list[tuple[str, int]]:
        """(title, 1-based page number) of the top-level outline entries."""
        return [
            (entry.title, self.reader.get_destination_page_number(entry) + 1)
            for entry in self.reader.outline
            if not isinstance(entry, list)
        ]


def font_problems(pdf: Pdf) -> list[str]:
    """What is wrong with the fonts: not embedded, or a standard-14 font."""
    problems: list[str] = []
    fonts = pdf.fonts()
    if not fonts:
        problems.append("no fonts at all")
    for font in fonts:
        name = str(font.get("/BaseFont", ""))
        if any(std.lower() in name.lower() for std in STANDARD_14):
            problems.append(f"standard font {name}")
        if not re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei\S*", name):
            problems.append(f"font {name} is not a subset of the shipped font")
        descriptor_owner = font
        if font.get("/Subtype") == "/Type0":
            descriptor_owner = _resolve(font["/DescendantFonts"][0])
        descriptor = _resolve(descriptor_owner.get("/FontDescriptor"))
        if descriptor is None or "/FontFile2" not in descriptor:
            problems.append(f"font {name} is not embedded as TrueType (no FontFile2)")
    if re.search(rb"/(Helvetica|Times-Roman|Courier|Symbol|ZapfDingbats)\b", pdf.data):
        problems.append("a standard-14 font name occurs in the file")
    return problems
