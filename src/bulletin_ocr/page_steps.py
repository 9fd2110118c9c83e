"""Recognising one page image, as named steps run by one wrapper.

Each step reads and fills a ``PageWork``. ``run_steps`` is the one place that holds what
every step needs around it: the page's deadline, the announcement of the step (a supervisor
blames a hang on it, a record names it) and the classification of what an input can make a
library raise (``stages.stage``). OCRmyPDF's pipeline has the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bulletin_ocr import stages
from bulletin_ocr.model import BBox, ImageTransform, Line, Page, Rule
from bulletin_ocr.timeouts import page_deadline

if TYPE_CHECKING:
    from bulletin_ocr.inputs.pdf_raster import RenderedPage
    from bulletin_ocr.layout.gutters import Strip
    from bulletin_ocr.ocr import OcrLine, OcrOptions
    from bulletin_ocr.preprocess import PreprocessOptions


@dataclass
class PageWork:
    """One page on its way from pixels to a laid-out ``Page``; each step fills its part."""

    number: int
    source: str
    ocr: OcrOptions
    preprocess: PreprocessOptions
    pixels: Any = None
    dpi: float | None = None
    rendering: Future[RenderedPage | None] | None = None
    warnings: list[str] = field(default_factory=list)
    image: Any = None
    report: Any = None
    recognised: list[OcrLine] = field(default_factory=list)
    ghosts: list[OcrLine] = field(default_factory=list)
    doubt: str = ""
    rules: list[tuple[BBox, str | None]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    columns: list[Strip] = field(default_factory=list)
    known_columns: Sequence[Strip] = ()
    """The gutters of the page recognised before this one (in its pixels)."""
    page: Page | None = None
    finished: bool = False
    """Set by a step that already made the final page (an image that cannot be recognised)."""


@dataclass(frozen=True)
class Step:
    name: str
    """What the announcement, a hang and an error record call it: ``recognition (page 3)``."""
    run: Callable[[PageWork], None]


def run_steps(steps: Sequence[Step], work: PageWork, deadline: float | None) -> Page:
    """Run ``steps`` in order within the page's ``deadline`` (seconds), each announced and
    its input errors classified; the page they made."""
    with page_deadline(deadline, work.source, work.number):
        for step in steps:
            if work.finished:
                break
            stages.enter(step.name, work.number)
            with stages.stage(step.name, work.source, work.number):
                step.run(work)
    assert work.page is not None, "the steps made no page"
    return work.page


def _rendered(work: PageWork) -> None:
    """The PDF page's image, rendered ahead while the page before was recognised."""
    assert work.rendering is not None
    rendered = work.rendering.result()
    assert rendered is not None
    work.pixels, work.dpi = rendered.pixels, rendered.dpi
    work.warnings.extend(rendered.warnings)


def _checked(work: PageWork) -> None:
    """An image of a shape no engine can read becomes an empty page saying why."""
    from bulletin_ocr.preprocess import unreadable_shape

    problem = unreadable_shape(work.pixels.shape)
    if problem:
        work.page = unrecognised_page(work.pixels, work.number, f"page image is {problem}")
        work.page.warnings[:0] = work.warnings
        work.finished = True


def _preprocessed(work: PageWork) -> None:
    from bulletin_ocr.preprocess import preprocess

    work.image, work.report = preprocess(work.pixels, work.dpi, work.preprocess)


def _recognised(work: PageWork) -> None:
    """The engine's lines; faint ones showing through from the back are kept apart."""
    from bulletin_ocr.ocr.ghosts import split_ghosts
    from bulletin_ocr.ocr.registry import get_engine

    engine = get_engine(work.ocr)
    lines = engine.recognise(work.image)
    if work.preprocess.orientation:
        lines = _read_upright(work, engine.recognise, lines)
    work.recognised, work.ghosts = split_ghosts(work.image, lines)


def _read_upright(work: PageWork, recognise: Any, lines: list[OcrLine]) -> list[OcrLine]:
    """The page's lines read the way up the recogniser is surer of; a page it turns over
    is recorded as turned (or no longer turned) in the preprocessing report."""
    from bulletin_ocr.ocr.upside_down import read_upright

    reading = read_upright(recognise, work.image, lines, work.report.rotation)
    if reading.turned:
        work.image = reading.image
        work.report.rotation = (work.report.rotation + 180) % 360
        steps = [step for step in work.report.steps if step != "orientation"]
        if work.report.rotation:  # in preprocessing's order: after a change of resolution
            steps.insert(int(steps[:1] == ["resolution"]), "orientation")
        work.report.steps = steps
    return reading.lines


def _judged(work: PageWork) -> None:
    """A warning when what was recognised covers too little of the page's ink."""
    from bulletin_ocr.ocr.quality import doubtful_page, ink_share
    from bulletin_ocr.preprocess.binarize import to_gray

    work.doubt = doubtful_page(work.recognised, ink_share(to_gray(work.image))) or ""


def _ruled(work: PageWork) -> None:
    from bulletin_ocr.layout.ink import find_rules

    work.rules = find_rules(work.image)


def _lined(work: PageWork) -> None:
    """Recognised boxes into printed lines in reading order, with their columns."""
    from bulletin_ocr.layout.ink import measure_glyphs
    from bulletin_ocr.layout.ocr_lines import glyph_groups, lines_from_glyphs
    from bulletin_ocr.ocr.registry import geometry
    from bulletin_ocr.ocr.thin_glyphs import restore_thin_glyphs
    from bulletin_ocr.structure.faces import style_glyphs
    from bulletin_ocr.structure.lost_brackets import restore_closing_brackets

    # Layout measures each glyph's ink and the page's body; structure judges the faces on
    # them; the lines are chained on the judged sizes (``lines_from_glyphs`` says why).
    groups, body = measure_glyphs(work.image, glyph_groups(work.recognised, geometry(work.ocr)))
    if body is not None:
        groups = restore_thin_glyphs(work.image, groups, body)
    lines, columns = lines_from_glyphs(
        style_glyphs(groups, body), work.recognised, work.number,
        dividers=[box for box, _ in work.rules], styled=True, known=work.known_columns,
    )
    restore_closing_brackets(lines)  # on the measured room, before any decision reads them
    work.lines, work.columns = lines, list(columns)


def _paged(work: PageWork) -> None:
    height, width = work.image.shape[:2]
    work.page = Page(
        number=work.number,
        width=float(width),
        height=float(height),
        unit="px",
        dpi=work.report.dpi,
        source="ocr",
        lines=work.lines,
        preprocessing=list(work.report.steps),
        warnings=[*work.warnings, *([work.doubt] if work.doubt else [])],
        transform=_transform(work.pixels.shape, work.image.shape, work.report),
        rules=[Rule(work.number, box, colour) for box, colour in work.rules],
        columns=work.columns,
    )


def _ghosts_set_aside(work: PageWork) -> None:
    """Lines showing through from the back: furniture (in JSON and TEI zones), not text."""
    from bulletin_ocr.layout.ocr_lines import lines_from_ocr
    from bulletin_ocr.ocr.registry import geometry

    page = work.page
    if not work.ghosts or page is None:
        return
    first = len(page.lines) + 1
    page.furniture += lines_from_ocr(work.ghosts, work.number, geometry(work.ocr),
                                     first_index=first)[0]
    page.notes.append(f"{len(work.ghosts)} faint line(s) showing through from the back set aside")


def _measured(work: PageWork) -> None:
    """Indents, gaps and sizes of the lines against the page's text frame."""
    from bulletin_ocr.layout.measure import measure_geometry_lines

    page = work.page
    assert page is not None
    frame = BBox.union(line.bbox for line in page.lines if line.bbox is not None)
    measure_geometry_lines(
        page.lines, frame=frame or BBox(0.0, 0.0, page.width or 0.0, page.height or 0.0),
        gutters=work.columns,
    )


OCR_STEPS: tuple[Step, ...] = (
    Step("checking", _checked),
    Step("preprocessing", _preprocessed),
    Step("recognition", _recognised),
    Step("judging", _judged),
    Step("finding rules", _ruled),
    Step("lines", _lined),
    Step("page", _paged),
    Step("ghosts", _ghosts_set_aside),
    Step("measuring", _measured),
)
"""A page image to a laid-out page."""

RENDERED_STEPS: tuple[Step, ...] = (Step("rendering", _rendered), *OCR_STEPS)
"""A PDF page whose rendering was started ahead, to a laid-out page."""


def unrecognised_page(pixels: Any, number: int, problem: str) -> Page:
    """An OCR page left empty, saying why: the batch record then has status warning."""
    height, width = pixels.shape[:2]
    return Page(
        number=number,
        width=float(width),
        height=float(height),
        unit="px",
        source="ocr",
        warnings=[f"{problem}; not recognised"],
    )


def _transform(input_shape: Any, output_shape: Any, report: Any) -> ImageTransform:
    """The steps ``preprocess`` took from the input image to the recognised one."""
    input_height, input_width = input_shape[:2]
    height, width = output_shape[:2]
    # A quarter turn swaps the sides; the scaled (unturned) image had them the other way.
    if report.rotation in (90, 270):
        width, height = height, width
    return ImageTransform(
        input_width=int(input_width),
        input_height=int(input_height),
        scale_x=width / input_width,
        scale_y=height / input_height,
        rotation=report.rotation,
        skew=report.skew,
        input_dpi=report.dpi / report.scale if report.dpi else None,
    )
