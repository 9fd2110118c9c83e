"""Raw text extractions (.txt): decode them and split them into pages of printed lines."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.errors import BinaryInputError, EmptyInputError, EncodingError
from bulletin_ocr.layout.page_numbers import PAGE_NUMBER
from bulletin_ocr.model import Line, Page

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)



@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    """What had to be forgiven: a byte-order mark that lied, sequences replaced."""


# Invalid sequences replaced with U+FFFD are forgiven up to this share of the characters
# (a stray surrogate or a damaged block); beyond it the file is not in its encoding at all.
MAX_REPLACED_SHARE = 0.01


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a raw extraction; return the text and the encoding that was used."""
    decoded = decode_text(data, name)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, name: str) -> DecodedText:
    """Decode a raw extraction, saying what had to be forgiven on the way.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as they are; UTF-16/32
    without a BOM are recognised by where their zero bytes fall; anything else is handed to
    charset-normalizer, which recognises GB18030/GBK and Big5. A BOM followed by another
    encoding, and a few invalid sequences (a lone surrogate, a code point past U+10FFFF),
    are read with a warning; a file that is mostly invalid is refused with EncodingError.
    """
    if not data.strip():
        raise EmptyInputError(name, "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_declared(data, encoding, name)
    if b"\x00" in data:
        wide = _bomless_wide_encoding(data)
        if wide is None:
            raise BinaryInputError(name, "binary file, not a text extraction")
        decoded = _decode_declared(data, wide, name)
        if _looks_binary(decoded.text):
            raise BinaryInputError(name, "binary file, not a text extraction")
        return decoded
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _mostly_utf8(data) or _detect(data, name)


def _decode_declared(data: bytes, encoding: str, name: str) -> DecodedText:
    """Decode in the encoding a BOM (or the zero-byte pattern) declares."""
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        first = error
    if encoding == "utf-8-sig":
        # A UTF-8 BOM pasted in front of a GBK file: the rest tells its own encoding.
        body = data[len(codecs.BOM_UTF8) :]
        try:
            text = body.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            warning = "starts with a UTF-8 byte-order mark but is GB18030; read as GB18030"
            return DecodedText(text, "gb18030", (warning,))
    text = data.decode(encoding, errors="replace")
    replaced = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    where = f"{first.reason} at byte {first.start}"
    if replaced > max(1, len(text) * MAX_REPLACED_SHARE):
        problem = f"not valid {_label(encoding)} ({replaced} bad sequences; {where})"
        raise EncodingError(name, problem)
    warning = f"{replaced} invalid {_label(encoding)} sequence(s) replaced with U+FFFD ({where})"
    return DecodedText(text, encoding, (warning,))


# A file is UTF-8 with a few stray bytes when its valid multi-byte characters outnumber its
# invalid sequences this many times: GBK's two-byte characters are almost never valid UTF-8,
# so a GBK file has at least as many invalid sequences as Chinese characters.
UTF8_EVIDENCE = 10
# Offsets of invalid sequences a warning names; the rest are counted.
OFFSETS_NAMED = 5


def _mostly_utf8(data: bytes) -> DecodedText | None:
    """UTF-8 without a BOM spoilt by a few invalid bytes, read with a warning naming where.

    >>> _mostly_utf8("区委组织部".encode() * 4 + bytes([0xFF])).warnings
    ('1 invalid UTF-8 byte(s) replaced with U+FFFD (at byte 60)',)
    >>> _mostly_utf8("区委".encode("gbk")) is None
    True
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    matches = list(_ESCAPED_BYTES.finditer(escaped))
    runs = [match.start() for match in matches]
    bad = sum(len(match.group()) for match in matches)
    wide = sum(1 for char in escaped if ord(char) > 0x7F) - bad
    if wide < UTF8_EVIDENCE * len(runs) or bad > max(1, len(escaped) * MAX_REPLACED_SHARE):
        return None
    offsets = [len(escaped[:at].encode("utf-8", "surrogateescape")) for at in runs[:OFFSETS_NAMED]]
    named = ", ".join(map(str, offsets))
    more = f" and {len(runs) - OFFSETS_NAMED} more places" if len(runs) > OFFSETS_NAMED else ""
    warning = f"{bad} invalid UTF-8 byte(s) replaced with U+FFFD (at byte {named}{more})"
    return DecodedText(_ESCAPED_BYTES.sub(lambda m: "\ufffd" * len(m.group()), escaped),
                       "utf-8", (warning,))


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def _label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}.get(
        encoding, encoding.upper()
    )


def _bomless_wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM, told by where their zero bytes fall.

    ASCII characters (newlines, digits, spaces: every extraction has them) are one code unit
    with zero high bytes, so in UTF-16LE zeros fall on odd offsets, and on even ones only for
    the few characters at U+xx00 (一 is U+4E00); in UTF-32LE the two top bytes are zero.

    >>> _bomless_wide_encoding("第1期\\n2021年".encode("utf-16-le"))
    'utf-16-le'
    >>> _bomless_wide_encoding("第1期\\n2021年".encode("utf-32-be"))
    'utf-32-be'
    >>> _bomless_wide_encoding(bytes(range(256))) is None
    True
    """

    def zeros(width: int, lane: int) -> float:
        units = data[lane : len(data) - len(data) % width : width]
        return units.count(0) / max(1, len(units))

    if zeros(4, 2) > 0.99 and zeros(4, 3) > 0.99 and zeros(4, 0) < 0.25:
        return "utf-32-le"
    if zeros(4, 0) > 0.99 and zeros(4, 1) > 0.99 and zeros(4, 3) < 0.25:
        return "utf-32-be"
    if zeros(2, 1) >= 0.05 and zeros(2, 0) < zeros(2, 1) / 4:
        return "utf-16-le"
    if zeros(2, 0) >= 0.05 and zeros(2, 1) < zeros(2, 0) / 4:
        return "utf-16-be"
    return None


def _detect(data: bytes, name: str) -> DecodedText:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise EncodingError(name, "cannot determine the text encoding (tried UTF-8, GB18030)")
    text = str(best)
    if _looks_binary(text):
        raise BinaryInputError(name, "binary file, not a text extraction")
    return DecodedText(text, str(best.encoding))


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
    joined = bool(page.lines) and previous is not None and bool(previous.strip())
    line = Line(id=line_id, text=raw.strip(), page=page.number, source="text", joined=joined)
    indent = raw[: len(raw) - len(raw.lstrip())]
    if len(indent) > 1:
        line.indent = sum(1.0 if c == "\u3000" else 0.5 for c in indent if c != "\t")
    if PAGE_NUMBER.match(raw):
        page.furniture.append(line)
        pages.append(Page(number=page.number + 1))
        return
    page.lines.append(line)
