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
)
from bulletin_ocr.inputs.kinds import (
    PDF_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    InputKind,
    input_kind,
)
from bulletin_ocr.inputs.text import decode_text
from bulletin_ocr.model import Document
from bulletin_ocr.pipeline import (
    READERS,
    ConvertOptions,
    PageRun,
    convert_input,
    document_from_text,
)
from bulletin_ocr.regular_files import read_regular

__all__ = [  # the suffix sets moved to inputs.kinds; callers still find them here
    "PDF_SUFFIXES", "SUPPORTED_SUFFIXES", "TEXT_SUFFIXES", "check_input", "convert",
    "convert_bytes", "convert_pages", "convert_text", "read_input", "source_name",
]


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
    kind = input_kind(path)
    if kind == "text":
        data = read_input(path)
        decoded = decode_text(data, str(path))
        return document_from_text(
            decoded.text, source=source, sha256=hashlib.sha256(data).hexdigest(),
            warnings=decoded.warnings, decider=options.decider,
        )
    digest = check_input(path, kind)
    return convert_input(path, kind or "image", options, source, digest)


def check_input(path: Path, kind: InputKind | None = None) -> str:
    """The sha256 of a PDF or image input, after refusing what cannot be one.

    The bytes are not kept: a scanned PDF can be hundreds of megabytes.
    """
    data = read_input(path)
    kind = kind or input_kind(path)
    suffix = path.suffix.lower()
    if kind == "pdf":
        if not data.strip():
            raise EmptyInputError(str(path), "file is empty")
        if b"%PDF-" not in data[:1024]:
            raise InputError(str(path), "not a PDF (no %PDF header)")
    elif kind == "image":
        if not data:
            raise EmptyInputError(str(path), "file is empty")
    else:
        expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedInputError(str(path), f"unsupported file type '{suffix}' ({expected})")
    return hashlib.sha256(data).hexdigest()


def convert_pages(
    path: Path,
    options: ConvertOptions,
    numbers: range | None = None,
    kind: InputKind | None = None,
) -> PageRun:
    """A PDF's or image file's pages (all, or those ``numbers``), read and recognised by the
    page source ``pipeline.READERS`` names for its kind; join the runs of an input's ranges
    with ``pipeline.assemble``."""
    return READERS[kind or input_kind(path) or "image"](path, options, numbers)


def convert_text(text: str, source: str = "<text>", decider: str = "auto") -> Document:
    """Convert raw extracted text already in memory (``decider``: ``ConvertOptions.decider``)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return document_from_text(text, source=source, sha256=digest, decider=decider)


def convert_bytes(data: bytes, source: str = "<bytes>", decider: str = "auto") -> Document:
    """Convert a raw extraction's bytes (UTF-8, GB18030, Big5...; the encoding is detected)."""
    decoded = decode_text(data, source)
    digest = hashlib.sha256(data).hexdigest()
    return document_from_text(
        decoded.text, source=source, sha256=digest, warnings=decoded.warnings, decider=decider
    )
