"""Damaged PDFs rebuilt by qpdf (through pikepdf), for when pdfminer cannot read the original.

qpdf reconstructs a lost or looping cross-reference table by scanning the file for objects,
recomputes stream lengths, and drops reference cycles; the copy it writes is a plain PDF
that pdfminer and PDFium both read. A truncated file, a broken xref, an xref ``/Prev``
loop, a ``/Length`` that refers to itself and a ``/MediaBox`` that is a reference cycle are
all repaired this way (``tests/test_hostile_pdf.py``).
"""

from __future__ import annotations

import io
from pathlib import Path

from bulletin_ocr.errors import InputError, MalformedInputError


def repair_pdf(path: Path, password: str | None = None) -> bytes:
    """The PDF at ``path`` rewritten by qpdf, decrypted; raise if qpdf cannot read it either."""
    import pikepdf

    try:
        with pikepdf.open(path, password=password or "") as pdf:
            if len(pdf.pages) == 0:
                raise MalformedInputError(str(path), "PDF has no pages")
            out = io.BytesIO()
            # Decrypted: the copy is read in memory, and the password has done its job.
            pdf.save(out, encryption=False)
    except pikepdf.PasswordError as error:
        raise InputError(str(path), "encrypted PDF: wrong or missing password") from error
    except pikepdf.PdfError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        problem = message.removeprefix(f"{path}: ")  # qpdf names the file; so does our error
        problem = f"damaged PDF that qpdf cannot repair ({problem})"
        raise MalformedInputError(str(path), problem) from error
    return out.getvalue()
