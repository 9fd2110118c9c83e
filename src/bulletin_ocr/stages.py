"""Errors at a stage's boundary, classified: what a library raises on a malformed or oversized
input becomes a typed error naming the stage, so that "internal error" is left to our bugs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bulletin_ocr.errors import BulletinOcrError, MalformedInputError, ResourceLimitError

# Libraries that parse or process input bytes: their errors are about the input. Python's own
# errors (TypeError, KeyError, ...) raised by our code are bugs and stay what they are.
INPUT_LIBRARIES = ("cv2", "PIL", "pdfminer", "pdfplumber", "pikepdf", "pypdfium2", "onnxruntime")


def from_input_library(error: BaseException) -> bool:
    """Whether ``error`` was raised by a library that reads or processes the input.

    >>> from_input_library(KeyError("x"))
    False
    >>> from_input_library(type("error", (Exception,), {"__module__": "cv2"})())
    True
    """
    module = type(error).__module__ or ""
    return module.split(".")[0] in INPUT_LIBRARIES


@contextmanager
def stage(name: str, path: str, page: int | None = None) -> Iterator[None]:
    """Run a stage; turn what an input can make a library raise into a one-line typed error."""
    where = f"page {page}: " if page is not None else ""
    try:
        yield
    except BulletinOcrError:
        raise
    except MemoryError as error:
        raise ResourceLimitError(path, f"{where}out of memory while {name}") from error
    except Exception as error:
        if not from_input_library(error):
            raise
        message = str(error).strip().splitlines()
        detail = f"{type(error).__name__}: {message[-1]}" if message else type(error).__name__
        raise MalformedInputError(path, f"{where}{name} failed ({detail})") from error
