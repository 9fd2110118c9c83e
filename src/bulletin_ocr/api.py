"""The Python API: convert one input into a Document, raising typed errors."""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import (
    EmptyInputError,
    InputError,
    MissingInputError,
    UnsupportedInputError,
    UsageError,
)
from bulletin_ocr.inputs.image import IMAGE_SUFFIXES
from bulletin_ocr.inputs.text import decode_text
from bulletin_ocr.model import Document
from bulletin_ocr.page_selection import END, PageSelection
from bulletin_ocr.pipeline import (
    ConvertOptions,
    PageRun,
    assemble,
    document_from_text,
    image_pages,
    pdf_pages,
)
from bulletin_ocr.regular_files import read_regular

TEXT_SUFFIXES = frozenset({".txt", ".text"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES


def read_input(path: Path) -> bytes:
    if not path.exists():
        if path.is_symlink() and _loops(path):
            raise InputError(str(path), "symbolic link loop (the link points back to itself)")
        raise MissingInputError(str(path), "no such file")
    if path.is_dir():
        raise UnsupportedInputError(str(path), "is a directory, not a file")
    try:
        return read_regular(path)  # never blocks: a FIFO or a device is refused, not read
    except OSError as error:
        raise InputError(str(path), f"cannot read file ({error.strerror or error})") from error


def source_name(path: Path) -> str:
    """The file name as outputs record it: bytes that are not UTF-8 shown as ``\\xNN``.

    >>> source_name(Path(os.fsdecode(b"\\xc7\\xe0.txt")))
    '\\\\xc7\\\\xe0.txt'
    """
    return os.fsencode(path.name).decode("utf-8", "backslashreplace")


def _loops(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def convert(
    path: str | Path,
    options: ConvertOptions | None = None,
    *,
    source: str | None = None,
    **overrides: Any,
) -> Document:
    """Convert one input file (PDF, image, or raw ``.txt`` extraction) into a Document.

    ``options`` holds every setting (see ``ConvertOptions``); keyword ``overrides`` replace
    single fields, e.g. ``convert("scan.pdf", password="secret", force_ocr=True)``.
    ``source`` is what the outputs call the input (a batch passes its path relative to the
    batch root); by default its file name. Raises ``BulletinOcrError`` subclasses carrying
    the CLI's exit codes.
    """
    options = replace(options or ConvertOptions(), **overrides)
    path = Path(path)
    source = source if source is not None else source_name(path)
    if path.suffix.lower() in TEXT_SUFFIXES:
        data = read_input(path)
        decoded = decode_text(data, str(path))
        return document_from_text(
            decoded.text, source=source, sha256=hashlib.sha256(data).hexdigest(),
            warnings=decoded.warnings,
        )
    digest = check_input(path)
    if options.pages is None:
        return assemble([convert_pages(path, options)], source, digest, options)
    document = assemble(selected_pages(path, options, options.pages), source, digest, options)
    document.page_selection = options.pages.spec
    return document


def selected_pages(path: Path, options: ConvertOptions, selection: PageSelection) -> list[PageRun]:
    """The runs of ``selection``'s ranges, in page order; UsageError when it asks for a page
    beyond the document's end (as OCRmyPDF does), before any other range is recognised: the
    last range is read first."""
    runs = []
    for numbers in reversed(selection.ranges):
        run = convert_pages(path, options, numbers)
        read = {page.number for page in run.pages}
        needed = numbers.start if numbers.stop == END else numbers.stop - 1
        if needed not in read:
            from bulletin_ocr.batch.parts import count_pages

            count = count_pages(path, options.password)
            raise UsageError(str(path), f"--pages {selection.spec}: page {needed} is beyond "
                             f"the end of the document ({count} page(s))")
        runs.append(run)
    return runs[::-1]


def check_input(path: Path) -> str:
    """The sha256 of a PDF or image input, after refusing what cannot be one.

    The bytes are not kept: a scanned PDF can be hundreds of megabytes.
    """
    data = read_input(path)
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        if not data.strip():
            raise EmptyInputError(str(path), "file is empty")
        if b"%PDF-" not in data[:1024]:
            raise InputError(str(path), "not a PDF (no %PDF header)")
    elif suffix in IMAGE_SUFFIXES:
        if not data:
            raise EmptyInputError(str(path), "file is empty")
    else:
        expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedInputError(str(path), f"unsupported file type '{suffix}' ({expected})")
    return hashlib.sha256(data).hexdigest()


def convert_pages(path: Path, options: ConvertOptions, numbers: range | None = None) -> PageRun:
    """A PDF's or image file's pages (all, or those ``numbers``), read and recognised; join
    the runs of an input's ranges with ``pipeline.assemble``."""
    if path.suffix.lower() in PDF_SUFFIXES:
        return pdf_pages(path, options, numbers)
    return image_pages(path, options, numbers)


def convert_text(text: str, source: str = "<text>") -> Document:
    """Convert raw extracted text already in memory."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return document_from_text(text, source=source, sha256=digest)


def convert_bytes(data: bytes, source: str = "<bytes>") -> Document:
    """Convert a raw extraction's bytes (UTF-8, GB18030, Big5...; the encoding is detected)."""
    decoded = decode_text(data, source)
    digest = hashlib.sha256(data).hexdigest()
    return document_from_text(decoded.text, source=source, sha256=digest, warnings=decoded.warnings)
