"""An input read from standard input (``-``): its kind told from its first bytes, kept in a file.

The readers (pdfminer, pdfium, Pillow) and the batch's report all work on files, so the bytes
are written to one whose suffix names the kind the magic bytes show.
"""

from __future__ import annotations

import os
from pathlib import Path

from bulletin_ocr.errors import UsageError

STDIN = "-"
DEFAULT_NAME = "stdin"

# The first bytes of each image kind an input can be (WebP: RIFF, a length, then WEBP).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
    (b"BM", ".bmp"),
)
PDF_WINDOW = 1024
"""A PDF's header may follow up to 1 KiB of junk (as Acrobat accepts, and ``api.check_input``)."""


def suffix_for(data: bytes) -> str:
    """The input kind of ``data`` as a file suffix: a PDF, an image, else a raw text extraction.

    >>> suffix_for(b"%PDF-1.7\\n...")
    '.pdf'
    >>> suffix_for(b"RIFF\\x10\\x00\\x00\\x00WEBPVP8 ")
    '.webp'
    >>> suffix_for("工作动态".encode("gb18030"))
    '.txt'
    """
    if b"%PDF-" in data[:PDF_WINDOW]:
        return ".pdf"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    for prefix, suffix in _SIGNATURES:
        if data.startswith(prefix):
            return suffix
    return ".txt"


def check_name(name: str) -> str:
    """``name`` when it can be the stem of the outputs in OUTDIR, else UsageError.

    >>> check_name("公报-2024")
    '公报-2024'
    """
    if not name or name in (".", "..") or "/" in name or os.sep in name or name.startswith("."):
        raise UsageError("--stdin-name", f"'{name}' is not a file name (no folders, no "
                         "leading dot)")
    return name


def read_stdin() -> bytes:
    """Every byte of standard input; UsageError when there are none."""
    import sys

    data = sys.stdin.buffer.read()
    if not data:
        raise UsageError(STDIN, "standard input is empty")
    return data


def spool(data: bytes, folder: Path, name: str) -> Path:
    """``data`` written to ``folder/<name><suffix>`` (replacing an earlier one whole)."""
    path = folder / f"{name}{suffix_for(data)}"
    partial = folder / f".{name}.partial"
    partial.write_bytes(data)
    os.replace(partial, path)
    return path
