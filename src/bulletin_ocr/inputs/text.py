"""Raw text extractions (.txt): decode them and split them into pages of printed lines."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from bulletin_ocr.errors import BinaryInputError, EmptyInputError, EncodingError
from bulletin_ocr.model import Line, Page

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Page furniture a text extraction keeps: "— 2 —", "-2-", "第2页", "第 2 页 共 9 页", "2 / 9".
PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－一]+\s*\d{1,4}\s*[—–\-－一]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a raw extraction; return the text and the encoding that was used.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as they are; anything
    else is handed to charset-normalizer, which recognises GB18030/GBK and Big5.
    """
    if not data.strip():
        raise EmptyInputError(name, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data:
        raise BinaryInputError(name, "binary file, not a text extraction")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError(name, "cannot determine the text encoding (tried UTF-8, GB18030)")
    text = str(best)
    if _looks_binary(text):
        raise BinaryInputError(name, "binary file, not a text extraction")
    return text, str(best.encoding)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    return controls > max(2, len(text) // 100)


def read_text_file(path: Path) -> tuple[str, str]:
    return decode_bytes(path.read_bytes(), str(path))


def _is_page_break_marker(line: str, previous: str | None) -> bool:
    """A single leading space on a line glued to the one before it marks a new page.

    That is how the seeds' extractor shows page breaks; a first-line indent is written with
    two or more spaces or ideographic spaces and is not a break.
    """
    if not line.startswith(" ") or line.startswith("  "):
        return False
    return previous is None or previous.strip() != ""


def split_pages(text: str) -> list[Page]:
    """Split a raw extraction into pages of non-blank lines.

    Page breaks are form feeds, the seeds' leading-space marker, and page-number furniture
    (which ends its page and is kept aside as furniture, not as text).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [Page(number=1)]
    previous: str | None = None
    for physical in text.split("\n"):
        parts = physical.split("\f")
        for index, raw in enumerate(parts):
            if index > 0 and pages[-1].lines:
                pages.append(Page(number=len(pages) + 1))
            _take_line(pages, raw, previous)
            previous = raw
    while len(pages) > 1 and not pages[-1].lines and not pages[-1].furniture:
        pages.pop()
    return pages


def _take_line(pages: list[Page], raw: str, previous: str | None) -> None:
    page = pages[-1]
    if _is_page_break_marker(raw, previous) and (page.lines or page.furniture):
        page = Page(number=len(pages) + 1)
        pages.append(page)
    if not raw.strip():
        return
    line_id = f"p{page.number}l{len(page.lines) + len(page.furniture) + 1}"
    line = Line(id=line_id, text=raw.strip(), page=page.number, source="text")
    indent = raw[: len(raw) - len(raw.lstrip())]
    if len(indent) > 1:
        line.indent = sum(1.0 if c == "\u3000" else 0.5 for c in indent if c != "\t")
    if PAGE_NUMBER.match(raw):
        page.furniture.append(line)
        pages.append(Page(number=page.number + 1))
        return
    page.lines.append(line)
