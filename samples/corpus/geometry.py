"""Page geometry of a generated bulletin: the text block, its line grid and its columns.

In body ems (em = ``body_size``): the text block is ``line_em`` ems wide, centred on the A4 page,
on a grid of ``PITCH_EM`` lines, as many as fit in ``TEXT_HEIGHT``; with two columns it is split
into two frames with a ``GUTTER_EM`` gutter. Frames are addressed by index (0 = left).
"""

from __future__ import annotations

from dataclasses import dataclass

from samples import make_pdf as mp

PAGE_W, PAGE_H = float(mp.PAGE_W), float(mp.PAGE_H)
PITCH_EM = 1.75
TEXT_HEIGHT = 640.0          # pt of grid lines a page holds, at most
GUTTER_EM = 2.0


@dataclass(frozen=True)
class Column:
    """What ``make_pdf.paragraph_lines`` needs: a width and a left edge (0: frame-relative)."""

    col_w: float
    x0: float = 0.0


@dataclass(frozen=True)
class Geometry:
    line_em: int
    size: float
    columns: int

    @property
    def pitch(self) -> float:
        return round(self.size * PITCH_EM, 2)

    @property
    def rows(self) -> int:
        return int(TEXT_HEIGHT // self.pitch)

    @property
    def width(self) -> float:
        return self.line_em * self.size

    @property
    def x0(self) -> float:
        return (PAGE_W - self.width) / 2

    @property
    def x1(self) -> float:
        return self.x0 + self.width

    @property
    def frame_w(self) -> float:
        if self.columns == 1:
            return self.width
        return (self.width - GUTTER_EM * self.size) / 2

    def frame_x(self, k: int) -> float:
        return self.x0 + k * (self.frame_w + GUTTER_EM * self.size)

    @property
    def top(self) -> float:
        return (PAGE_H - self.rows * self.pitch) / 2 - 12.0

    def baseline_y(self, row: int) -> float:
        return PAGE_H - (self.top + row * self.pitch + self.size * 1.27)

    def y_at(self, drop: float) -> float:
        """PDF y of a point ``drop`` pt below the top of the text block."""
        return PAGE_H - (self.top + drop)

    @property
    def bottom_y(self) -> float:
        return PAGE_H - (self.top + self.rows * self.pitch)


