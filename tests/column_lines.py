"""Lines of one column as a scan's layout hands them to ``structure``, for tests that build a
page by hand: each line placed by its indent and right gap in ems, one under the other."""

from __future__ import annotations

from bulletin_ocr.model import BBox, FontInfo, Line, StyleRun

EM = 60.0


def column_line(
    n: int,
    text: str,
    indent: float,
    right_gap: float,
    *,
    bold: bool = False,
    size: float = EM,
    width: float = 660.0,
    runs: list[StyleRun] | None = None,
) -> Line:
    """Line ``n`` of a column ``width`` pixels wide that starts at x 100, set in ``size`` (bold
    or not), ``indent`` ems in from the column's left edge and ``right_gap`` ems short of its
    right one."""
    left = 100.0
    x0 = left + indent * EM
    x1 = left + width - right_gap * EM
    top = 200.0 + n * 1.6 * EM
    return Line(
        f"p1l{n}", text, 1, "ocr", bbox=BBox(x0, top, x1, top + size), confidence=0.99,
        font=FontInfo("", size, bold), indent=indent, right_gap=right_gap, runs=runs or [],
    )
