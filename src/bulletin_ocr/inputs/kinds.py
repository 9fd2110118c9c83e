"""What kind of input a file is, decided once from its name: raw text, PDF, or image.

The pipeline's ``READERS`` table says which page source reads each kind; the API, the batch
runner and the workers ask ``input_kind`` instead of looking at suffixes themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from bulletin_ocr.inputs.image import IMAGE_SUFFIXES

InputKind = Literal["text", "pdf", "image"]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | IMAGE_SUFFIXES


def input_kind(path: Path) -> InputKind | None:
    """The kind of input ``path`` names, None when no reader takes it.

    >>> [input_kind(Path(n)) for n in ["a.PDF", "b.txt", "c.tif", "d.docx"]]
    ['pdf', 'text', 'image', None]
    """
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return None
