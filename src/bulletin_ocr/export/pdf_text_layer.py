"""The searchable PDF's text layer: one invisible text object per recognised line.

Each line is drawn in render mode 3 (invisible) in an embedded subset of a CJK TrueType font,
as one string on one baseline, stretched horizontally (``Tz``) to the line's length, so that
``pdftotext`` (plain, ``-layout`` and ``-bbox``) and viewers' selection give the line whole.

A line that leans by a few degrees (a skewed scan) is set on the horizontal through its centre:
poppler's word builder starts a new word whenever a glyph's baseline is more than 0.5 pt off
the word's first glyph, so text drawn along a 1° lean breaks into runs every few characters,
and those runs sort onto neighbouring lines (the tails of issue 23). Lines turned by about a
quarter turn (a sideways page or table) are drawn along that turn, which poppler reads as
vertical or upside-down text; steeper leans in between keep their own angle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import MissingDependencyError
from bulletin_ocr.export.coords import PageGeometry, Point
from bulletin_ocr.export.regions import line_text
from bulletin_ocr.model import Line, Page

# TrueType (not CFF) CJK fonts, which reportlab can subset and embed; the glyphs are never
# seen, only their Unicode mapping matters. Debian: fonts-arphic-uming.
CJK_FONTS = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
# Fonts for the characters the CJK font lacks (maths signs, rare symbols): a second CJK face
# and DejaVu Sans (Debian fonts-dejavu-core).
FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
FONT_NAME = "BulletinOcrText"
# Where the baseline sits across a line's band (from its top), and how much of the band the
# type fills: CJK faces fill most of the em square; the detector's box adds a margin.
BASELINE_SHARE, SIZE_SHARE = 0.82, 0.8
# Leans up to this far from a page axis are set along the axis (see the module docstring);
# deskewing handles up to 10° too, so every line of a scan it straightened lands here.
SNAP_DEGREES = 10.0


@dataclass(frozen=True)
class LineFrame:
    """Where a line's text goes, in the geometry's units (y down): its band's centre, its
    reading direction (radians, clockwise from the x axis), length and thickness."""

    centre: Point
    angle: float
    length: float
    thickness: float

    def baseline_start(self) -> Point:
        cos, sin = math.cos(self.angle), math.sin(self.angle)
        along = -self.length / 2
        across = self.thickness * (BASELINE_SHARE - 0.5)
        x, y = self.centre
        return x + cos * along - sin * across, y + sin * along + cos * across


def draw_text_layer(
    canvas: Any, page: Page, geometry: PageGeometry, scale: float, height: float, fonts: TextFonts
) -> None:
    """Invisible text on every line of ``page``; ``scale`` maps the geometry's units to
    points and ``height`` is the layer page's height in points (PDF's y grows upwards)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for line, frame in _frames(page, geometry):
        text = line_text(line)
        if not text:
            continue
        size = max(1.0, frame.thickness * scale * SIZE_SHARE)
        runs = fonts.runs(text)
        natural = sum(stringWidth(run, font, size) for font, run in runs)
        if natural <= 0:
            continue
        text_object = canvas.beginText()
        text_object.setTextRenderMode(3)  # invisible: neither filled nor stroked
        text_object.setFont(runs[0][0], size)
        text_object.setHorizScale(100 * frame.length * scale / natural)
        x, y = frame.baseline_start()
        cos, sin = math.cos(frame.angle), math.sin(frame.angle)
        # Flipping y (image down, PDF up) turns a clockwise angle into an anticlockwise one.
        text_object.setTextTransform(cos, -sin, sin, cos, x * scale, height - y * scale)
        for font, run in runs:
            text_object.setFont(font, size)
            text_object.textOut(run)
        canvas.drawText(text_object)


def _frames(page: Page, geometry: PageGeometry) -> list[tuple[Line, LineFrame]]:
    """Each placeable line's frame; lines that share a row on the straightened page share a
    baseline and a type size too (on a tilted scan the right-hand one sits a little higher, and
    poppler would read it first, or as a line of its own: the masthead's issuer and date)."""
    framed: list[tuple[Line, LineFrame]] = []
    for line in page.lines + page.furniture:
        polygon = geometry.polygon(line)
        frame = line_frame(polygon) if polygon else None
        if frame is not None:
            framed.append((line, frame))
    for row in side_by_side([line for line, _ in framed]):
        members = [index for index in row if framed[index][1].angle == framed[row[0]][1].angle]
        if len(members) < 2:
            continue
        angle = framed[members[0]][1].angle
        cos, sin = math.cos(angle), math.sin(angle)
        # One baseline and one type size for the row: poppler groups words into a line only
        # when their baselines meet and their sizes are within 5 % of each other.
        frames = [framed[index][1] for index in members]
        across = sum(-sin * f.centre[0] + cos * f.centre[1] for f in frames) / len(frames)
        thickness = sum(f.thickness for f in frames) / len(frames)
        for index, frame in zip(members, frames, strict=True):
            along = cos * frame.centre[0] + sin * frame.centre[1]
            centre = (cos * along - sin * across, sin * along + cos * across)
            framed[index] = (framed[index][0], replace(frame, centre=centre, thickness=thickness))
    return framed


def side_by_side(lines: Sequence[Line]) -> list[list[int]]:
    """Indices of lines that sit side by side on the straightened page (their boxes overlap
    by more than half the lower one's height), in groups."""
    boxes = [line.bbox for line in lines]
    rows: list[list[int]] = []
    for index, box in enumerate(boxes):
        if box is None:
            continue
        for row in rows:
            other = boxes[row[0]]
            assert other is not None
            overlap = min(box.bottom, other.bottom) - max(box.top, other.top)
            if overlap > 0.5 * min(box.height, other.height):
                row.append(index)
                break
        else:
            rows.append([index])
    return rows


def line_frame(polygon: Sequence[Point]) -> LineFrame | None:
    """The frame of a line from its outline (first edge: the top, in reading direction).

    >>> frame = line_frame([(10, 20), (110, 22), (110, 42), (10, 40)])
    >>> frame.angle, round(frame.length), round(frame.thickness), frame.centre
    (0.0, 100, 20, (60.0, 31.0))
    """
    if len(polygon) < 3:
        return None
    if len(polygon) == 4:
        (x0, y0), (x1, y1) = polygon[0], polygon[1]
        lean = math.atan2(y1 - y0, x1 - x0)
    else:  # an outline of another shape: read along its box
        lean = 0.0
    quarter = math.pi / 2
    nearest = round(lean / quarter) * quarter
    snapped = abs(math.degrees(lean - nearest)) <= SNAP_DEGREES
    angle = (nearest % (2 * math.pi)) if snapped else lean
    along, across = _extent(polygon, angle)
    if along[1] - along[0] <= 0 or across[1] - across[0] <= 0:
        return None
    cos, sin = math.cos(angle), math.sin(angle)
    mid_along, mid_across = sum(along) / 2, sum(across) / 2
    centre = (cos * mid_along - sin * mid_across, sin * mid_along + cos * mid_across)
    # The band a leaning line sweeps is thicker than its type; size the type on the line's own
    # thickness, measured across its own lean.
    own_across = _extent(polygon, lean)[1] if len(polygon) == 4 else across
    return LineFrame(
        (round(centre[0], 6), round(centre[1], 6)),
        0.0 if angle == 0 else angle,
        along[1] - along[0],
        own_across[1] - own_across[0],
    )


def _extent(polygon: Sequence[Point], angle: float) -> tuple[tuple[float, float], ...]:
    """The polygon's span along the direction ``angle`` and across it (downwards)."""
    cos, sin = math.cos(angle), math.sin(angle)
    along = [x * cos + y * sin for x, y in polygon]
    across = [-x * sin + y * cos for x, y in polygon]
    return (min(along), max(along)), (min(across), max(across))


@dataclass(frozen=True)
class TextFonts:
    """The text layer's fonts, by reportlab name, in order of preference, with the
    characters each has a glyph for."""

    names: tuple[str, ...]
    coverage: tuple[frozenset[int], ...]

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` cut into runs, each in the first font that has its characters' glyphs
        (PDF/A forbids drawing .notdef, even invisibly); the main font where none has one."""
        runs: list[tuple[str, str]] = []
        for char in text:
            font = next(
                (name for name, chars in zip(self.names, self.coverage, strict=True)
                 if ord(char) in chars),
                self.names[0],
            )  # fmt: skip
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def missing(self, pages: Sequence[Page]) -> list[str]:
        """Characters of the pages' lines that no font has a glyph for."""
        wanted = {
            char
            for page in pages
            for line in page.lines + page.furniture
            for char in line_text(line)
            if not char.isspace()
        }
        return sorted(c for c in wanted if not any(ord(c) in chars for chars in self.coverage))


def register_fonts() -> TextFonts:
    """The text layer's fonts: the first CJK font found, then the fallbacks found."""
    main = next((path for path in CJK_FONTS if Path(path).is_file()), None)
    if main is None:
        raise MissingDependencyError(
            "searchable PDF",
            "no CJK TrueType font for the text layer; install one, e.g. "
            "sudo apt-get install fonts-arphic-uming",
        )
    paths = [main] + [path for path in FALLBACK_FONTS if Path(path).is_file() and path != main]
    names = [FONT_NAME] + [f"{FONT_NAME}{index}" for index in range(1, len(paths))]
    coverage = tuple(_register(name, path) for name, path in zip(names, paths, strict=True))
    return TextFonts(tuple(names), coverage)


def _register(name: str, path: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    # Code points that map to a real glyph (0 is .notdef).
    mapped: dict[int, int] = pdfmetrics.getFont(name).face.charToGlyph
    return frozenset(code for code, glyph in mapped.items() if glyph)
