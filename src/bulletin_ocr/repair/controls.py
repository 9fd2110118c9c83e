"""Control characters (NUL, ESC, ...) dropped from text layers: they print nothing, and in a
.txt or an XML file they are corruption (a declared normalisation, counted in the warnings)."""

from __future__ import annotations

import re
from dataclasses import replace

from bulletin_ocr.model import Line, StyleRun

# C0 controls and DEL, but tab and line breaks (whitespace the layout reads as such).
CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


def drop_control_characters(lines: list[Line]) -> int:
    """Remove control characters from ``lines`` in place (style runs kept on their characters);
    return how many were removed."""
    removed = 0
    for line in lines:
        positions = [match.start() for match in CONTROL.finditer(line.text)]
        if positions:
            line.runs = [_shifted(run, positions) for run in line.runs]
            line.text = CONTROL.sub("", line.text)
            removed += len(positions)
    return removed


def _shifted(run: StyleRun, removed: list[int]) -> StyleRun:
    """``run``'s offsets in the text without the characters at ``removed``.

    >>> from bulletin_ocr.model import FontInfo
    >>> run = _shifted(StyleRun(3, 8, FontInfo("F", 12.0)), [1, 4])
    >>> run.start, run.end
    (2, 6)
    """
    start = run.start - sum(1 for at in removed if at < run.start)
    end = run.end - sum(1 for at in removed if at < run.end)
    return replace(run, start=start, end=end)


def dropped_warning(count: int) -> str:
    return f"{count} control character(s) (NUL, ESC, ...) dropped from the text layer"
