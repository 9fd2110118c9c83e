"""Damaged PDFs rebuilt by qpdf (through pikepdf), for when pdfminer cannot read the original.

qpdf reconstructs a lost or looping cross-reference table by scanning the file for objects,
recomputes stream lengths, and drops reference cycles; the copy it writes is a plain PDF
that pdfminer and PDFium both read. A truncated file, a broken xref, an xref ``/Prev``
loop, a ``/Length`` that refers to itself and a ``/MediaBox`` that is a reference cycle are
all repaired this way (``tests/test_hostile_pdf.py``).
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError, MalformedInputError


def repair_pdf(path: Path, password: str | None = None) -> bytes:
    """The PDF at ``path`` rewritten by qpdf, decrypted; raise if qpdf cannot read it either."""
    with open_qpdf(path, password, "qpdf cannot repair") as pdf:
        if len(pdf.pages) == 0:
            raise MalformedInputError(str(path), "PDF has no pages")
        out = io.BytesIO()
        # Decrypted: the copy is read in memory, and the password has done its job.
        pdf.save(out, encryption=False)
    return out.getvalue()


@contextmanager
def open_qpdf(path: Path, password: str | None, failing: str) -> Iterator[Any]:
    """The PDF opened by qpdf (pikepdf); its errors, also those raised while the block reads
    it, become one line: "damaged PDF that ``failing`` (qpdf's message)".

    The file is handed over open: pikepdf cannot take a file name that is not UTF-8.
    """
    import pikepdf

    try:
        with open(path, "rb") as handle, pikepdf.open(handle, password=password or "") as pdf:
            yield pdf
    except pikepdf.PasswordError as error:
        raise InputError(str(path), "encrypted PDF: wrong or missing password") from error
    except pikepdf.PdfError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        # qpdf names the stream it read ("stream <_io.BufferedReader name=...>"); so does our
        # error, with the file's own name.
        if message.startswith("stream <"):
            message = message.split(">", 1)[-1].lstrip(": ")
        raise MalformedInputError(str(path), f"damaged PDF that {failing} ({message})") from error


def readable_pdf(path: Path, password: str | None) -> tuple[Path | bytes, str | None]:
    """The PDF and its password as PDFium can open them: the file itself, or, when PDFium
    cannot, qpdf's decrypted repair of it (what the text and OCR were read from then)."""
    import pypdfium2 as pdfium

    try:
        pdfium.PdfDocument(path, password=password).close()
    except pdfium.PdfiumError:
        stat = os.stat(path)
        return _repaired_copy(path, password, stat.st_size, stat.st_mtime_ns), None
    return path, password


@functools.lru_cache(maxsize=1)  # the export renders page after page from the same copy
def _repaired_copy(path: Path, password: str | None, _size: int, _mtime_ns: int) -> bytes:
    return repair_pdf(path, password)
