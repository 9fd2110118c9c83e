"""One long input's pages spread over several workers, then assembled once as the whole input.

A worker that takes a PDF or multi-page TIFF of at least ``MIN_PAGES`` pages while fewer
inputs wait than there are workers (so that some would idle) splits it into contiguous page
ranges, one per worker (``split``). Opening the input to count its pages is itself work for a
watched worker (a ``Survey``): a decompression bomb or a hang in pdfium then meets the same
deadline and memory ceiling as its conversion, and the parent never reads an input. Each
``Part`` reads and recognises its pages and pickles them (a ``PageRun``) into the batch's
staging folder; when every part is in, one ``Assembly`` runs furniture, structure and export
over all the pages exactly as a single pass would, so the outputs are the same bytes. A part
that fails fails its input, with the part's error.
"""

from __future__ import annotations

import pickle
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from bulletin_ocr import stages
from bulletin_ocr.batch.report import Record
from bulletin_ocr.batch.worker import Job, guarded, run_job, write_document

MIN_PAGES = 4
"""Shorter inputs stay whole: a part costs a worker's turn and a round trip through staging."""
SPLIT_SUFFIXES = frozenset({".pdf", ".tif", ".tiff"})
# pdfium must not be entered from two threads at once, and supervising threads split in parallel.
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Part:
    """Pages ``pages`` (1-based) of ``job``'s input, to be pickled into ``staged``."""

    job: Job
    pages: range
    staged: Path


@dataclass(frozen=True)
class Assembly:
    """The staged parts of ``job``'s input, in page order, to be made into its outputs."""

    job: Job
    parts: tuple[Path, ...]


@dataclass(frozen=True)
class Survey:
    """How many pages of ``job``'s input to spread over workers (0: convert it whole)."""

    job: Job


Work = Job | Part | Assembly | Survey


def job_of(work: Work) -> Job:
    """The input a piece of work belongs to (whose record it ends in)."""
    return work if isinstance(work, Job) else work.job


def may_split(job: Job, workers: int) -> bool:
    """Whether ``job`` could be split at all, told without opening it."""
    return (
        workers >= 2 and job.staging is not None
        and job.task.path.suffix.lower() in SPLIT_SUFFIXES
        and job.options.pages is None  # --pages: converted whole, its ranges in one worker
    )


def page_ranges(pages: int, parts: int) -> list[range]:
    """``pages`` pages in ``parts`` contiguous ranges, the first ones a page longer if need be.

    >>> page_ranges(10, 2)
    [range(1, 6), range(6, 11)]
    >>> page_ranges(7, 3)
    [range(1, 4), range(4, 6), range(6, 8)]
    """
    size, extra = divmod(pages, parts)
    ranges, start = [], 1
    for index in range(parts):
        stop = start + size + (1 if index < extra else 0)
        ranges.append(range(start, stop))
        start = stop
    return ranges


def split(job: Job, workers: int) -> list[Part]:
    """``job`` as one part per worker, or no parts when it is better converted whole."""
    if not may_split(job, workers):
        return []
    return make_parts(job, workers, pages_to_split(job))


def pages_to_split(job: Job) -> int:
    """The input's page count when it is worth splitting, else 0 (opens the input)."""
    pages = count_pages(job.task.path, job.options.password)
    if pages < MIN_PAGES or _mostly_text_layer(job):
        return 0
    return pages


def make_parts(job: Job, workers: int, pages: int) -> list[Part]:
    """``pages`` pages of ``job`` as one part per worker (none when under ``MIN_PAGES``)."""
    if pages < MIN_PAGES or job.staging is None:
        return []
    name = uuid.uuid4().hex
    return [
        Part(job, numbers, job.staging / f"{name}-{index}.pages")
        for index, numbers in enumerate(page_ranges(pages, min(workers, pages // 2)))
    ]


def count_pages(path: Path, password: str | None) -> int:
    """How many pages the input has, 0 when that cannot be told (it then converts whole, and
    its record says what is wrong with it)."""
    try:
        if path.suffix.lower() == ".pdf":
            import pypdfium2 as pdfium

            with _PDFIUM:
                document = pdfium.PdfDocument(str(path), password=password)
                try:
                    return len(document)
                finally:
                    document.close()
        from PIL import Image

        with Image.open(path) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:  # any failure here is the whole conversion's to report
        return 0


def _mostly_text_layer(job: Job) -> bool:
    """A PDF most of whose pages carry text: read from its text layer, which is quick, it
    gains nothing from parts, and each part would read the text of the pages before its own
    again (a page's columns may come from the page before)."""
    if job.task.path.suffix.lower() != ".pdf" or job.options.force_ocr:
        return False
    try:
        import pypdfium2 as pdfium

        with _PDFIUM:
            document = pdfium.PdfDocument(str(job.task.path), password=job.options.password)
            try:
                with_text = sum(1 for page in document if page.get_textpage().count_chars())
                return with_text * 2 > len(document)
            finally:
                document.close()
    except Exception:  # the whole conversion reports what is wrong with the file
        return False


def perform(work: Work) -> Record:
    """Do one piece of work in a worker process; never raises."""
    if isinstance(work, Part):
        return run_part(work)
    if isinstance(work, Assembly):
        return run_assembly(work)
    if isinstance(work, Survey):
        return run_survey(work)
    return run_job(work)


def run_survey(survey: Survey) -> Record:
    """``pages_to_split`` as a record's ``pages`` (an "ok" record here only answers the batch)."""
    job = survey.job
    started = time.perf_counter()

    def work() -> Record:
        stages.enter("read")
        pages = pages_to_split(job)
        return Record(path=str(job.task.path), sha256=None, status="ok", pages=pages)

    return guarded(job, work, started)


def run_part(part: Part) -> Record:
    """Read and recognise the part's pages into its staging file; its record says how it went
    (an "ok" record here only tells the batch the part is in)."""
    from bulletin_ocr.api import convert_pages

    started = time.perf_counter()
    job = part.job

    def work() -> Record:
        stages.enter("read")
        run = convert_pages(job.task.path, job.options, part.pages)
        with part.staged.open("wb") as handle:
            pickle.dump(run, handle, protocol=pickle.HIGHEST_PROTOCOL)
        seconds = round(time.perf_counter() - started, 3)
        return Record(
            path=str(job.task.path), sha256=None, status="ok", pages=len(run.pages),
            seconds=seconds,
        )

    record = guarded(job, work, started)
    if record.error is not None and "page" not in record.error:
        where = f"pages {part.pages.start}-{part.pages.stop - 1}"
        record = replace(record, error=f"{record.error} (in {where})")
    return record


def run_assembly(assembly: Assembly) -> Record:
    """The input's document from its parts' pages, and its outputs, as one pass makes them."""
    from bulletin_ocr.api import check_input
    from bulletin_ocr.pipeline import assemble

    started = time.perf_counter()
    job = assembly.job

    def work() -> Record:
        stages.enter("read")
        digest = check_input(job.task.path)
        runs = []
        for staged in assembly.parts:
            with staged.open("rb") as handle:
                runs.append(pickle.load(handle))
            staged.unlink()
        document = assemble(runs, job.source, digest, job.options)
        return write_document(job, document, started)

    return guarded(job, work, started)
