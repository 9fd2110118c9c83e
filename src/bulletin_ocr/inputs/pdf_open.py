"""Opening a PDF with pdfminer (through pdfplumber), and with qpdf's repair of it when pdfminer
cannot read the original: a truncated file, a lost or looping xref, a reference cycle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import InputError, MalformedInputError

NO_PAGES = "PDF has no pages"

@dataclass
class PdfFile:
    """The bytes a PDF's pages are read and rendered from: the file, or qpdf's repaired copy."""

    path: Path
    password: str | None = None
    repaired: bytes | None = None
    damage: str = ""
    """What pdfminer found wrong with the original, when it had to be repaired."""

    @property
    def source(self) -> Path | bytes:
        return self.path if self.repaired is None else self.repaired

    def repair(self, damage: str) -> None:
        """Read from now on from qpdf's repair of the file, which pdfminer found ``damage`` in."""
        from bulletin_ocr.inputs.pdf_repair import repair_pdf

        try:
            self.repaired = repair_pdf(self.path, self.password)
        except MalformedInputError as error:
            # A file pdfminer read whole but found no pages in is just that, whatever qpdf says.
            both = damage if damage in (error.problem, NO_PAGES) else f"{damage}; {error.problem}"
            raise MalformedInputError(str(self.path), both) from error
        self.password = None  # qpdf's copy is decrypted
        self.damage = damage

    def repair_warning(self) -> str:
        return f"damaged PDF ({self.damage}); read from a copy repaired by qpdf"


def open_pdf(pdf_file: PdfFile) -> Any:
    """pdfplumber's PDF with all its pages enumerated; InputError when it cannot be opened,
    MalformedInputError when that is because the file is damaged."""
    import io

    import pdfplumber

    from bulletin_ocr.inputs import pdfminer_guards

    pdfminer_guards.install()
    source = pdf_file.source
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        pdf = pdfplumber.open(handle, password=pdf_file.password or "")
    except Exception as wrapped:  # pdfminer raises many kinds on damaged files
        raise _open_error(str(pdf_file.path), wrapped) from wrapped
    try:
        # Building the page list resolves every page's boxes: damage there shows now.
        count = len(pdf.pages)
    except Exception as error:
        close_pdf(pdf)
        problem = f"cannot read its page tree ({describe(error)})"
        raise MalformedInputError(str(pdf_file.path), problem) from error
    if count == 0:
        close_pdf(pdf)
        raise MalformedInputError(str(pdf_file.path), NO_PAGES)
    return pdf


def close_pdf(pdf: Any) -> None:
    """Close a PDF whose page tree may be damaged: pdfplumber's ``close`` walks it again."""
    try:
        pdf.close()
    except Exception:  # the same damage that made us close it
        pdf.stream.close()


def _open_error(path: str, wrapped: Exception) -> InputError:
    """A password problem as such; anything else as damage that qpdf may repair."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    # pdfplumber wraps pdfminer's exception; the wrapped one says what went wrong.
    inner = wrapped.args[0] if wrapped.args else None
    error = inner if isinstance(inner, Exception) else wrapped
    if isinstance(error, PDFPasswordIncorrect):
        return InputError(path, "encrypted PDF: wrong or missing password (use --password)")
    if isinstance(error, PDFEncryptionError):
        return InputError(path, f"encrypted PDF that cannot be opened ({error})")
    if isinstance(error, PDFSyntaxError):
        return MalformedInputError(path, f"not a valid PDF ({error})")
    return MalformedInputError(path, f"cannot open PDF ({describe(error)})")


def describe(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def open_or_repair(pdf_file: PdfFile) -> Any:
    """Open the PDF; when pdfminer cannot, open the copy qpdf repairs instead."""
    try:
        return open_pdf(pdf_file)
    except MalformedInputError as error:
        damage = error.problem
    pdf_file.repair(damage)
    return open_pdf(pdf_file)
