"""The Python API: convert one input into a Document, raising typed errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bulletin_ocr.errors import InputError, MissingInputError, UnsupportedInputError
from bulletin_ocr.inputs.text import decode_bytes
from bulletin_ocr.model import Document
from bulletin_ocr.pipeline import document_from_text

TEXT_SUFFIXES = frozenset({".txt", ".text"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


def read_input(path: Path) -> bytes:
    if not path.exists():
        raise MissingInputError(str(path), "no such file")
    if path.is_dir():
        raise UnsupportedInputError(str(path), "is a directory, not a file")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read file ({error.strerror or error})") from error


def convert(path: str | Path) -> Document:
    """Convert one input file (a raw ``.txt`` extraction) into a structured Document."""
    path = Path(path)
    data = read_input(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedInputError(str(path), f"unsupported file type '{suffix}' ({expected})")
    text, _encoding = decode_bytes(data, str(path))
    return document_from_text(text, source=path.name, sha256=hashlib.sha256(data).hexdigest())


def convert_text(text: str, source: str = "<text>") -> Document:
    """Convert raw extracted text already in memory."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return document_from_text(text, source=source, sha256=digest)
