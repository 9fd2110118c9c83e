"""Where a conversion is: each stage announces itself so a supervisor can name a hang.

A batch worker process installs a reporter that sends every announcement to its parent, which
gives up on the input when one stage outlives its deadline and says which stage that was.
Without a reporter (the API used in-process) announcing costs one global lookup.
"""

from __future__ import annotations

from collections.abc import Callable

Reporter = Callable[[str, "int | None"], None]

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def enter(stage: str, page: int | None = None) -> None:
    """Announce that ``stage`` (of ``page``, when it is a per-page stage) starts now."""
    if _reporter is not None:
        _reporter(stage, page)


def describe(stage: str, page: int | None) -> str:
    """``stage`` as a record names it: ``ocr (page 3)``.

    >>> describe("ocr", 3), describe("structure", None)
    ('ocr (page 3)', 'structure')
    """
    return stage if page is None else f"{stage} (page {page})"
