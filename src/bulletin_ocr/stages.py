"""The stages of one conversion: where it is, and what its failures mean.

Each stage announces itself (``enter``) so a supervisor can name a hang; errors raised at a
stage's boundary are classified (``stage``): what a library raises on a malformed or oversized
input becomes a typed error naming the stage, so that "internal error" is left to our bugs.

A batch worker process installs a reporter that sends every announcement to its parent, which
gives up on the input when one stage outlives its deadline and says which stage that was.
Without a reporter (the API used in-process) announcing costs one global lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bulletin_ocr.errors import BulletinOcrError, MalformedInputError, ResourceLimitError

Reporter = Callable[[str, "int | None"], None]

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def enter(stage: str, page: int | None = None) -> None:
    """Announce that ``stage`` (of ``page``, when it is a per-page stage) starts now."""
    if _reporter is not None:
        _reporter(stage, page)


PAGE_DONE = "page done"
"""Not a stage: what ``page_done`` announces, for progress. The stage before it stays the
one a hang is blamed on."""


def page_done(page: int) -> None:
    """Announce that ``page`` is read and recognised (a progress bar counts it)."""
    if _reporter is not None:
        _reporter(PAGE_DONE, page)


def describe(stage: str, page: int | None) -> str:
    """``stage`` as a record names it: ``ocr (page 3)``.

    >>> describe("ocr", 3), describe("structure", None)
    ('ocr (page 3)', 'structure')
    """
    return stage if page is None else f"{stage} (page {page})"

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
