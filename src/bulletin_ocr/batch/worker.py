"""Convert one input and describe the outcome as a report record; never raises."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr import stages
from bulletin_ocr.batch.discover import Task
from bulletin_ocr.batch.report import Record
from bulletin_ocr.checksums import sha256_of
from bulletin_ocr.errors import BulletinOcrError, ExitCode
from bulletin_ocr.model import Document
from bulletin_ocr.pipeline import ConvertOptions


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, picklable so it can travel to another process or host."""

    task: Task
    outdir: Path
    formats: tuple[str, ...]
    options: ConvertOptions
    suffixes: tuple[str, ...] = ()
    """The file suffixes ``formats`` write, to find an earlier run's outputs."""
    staging: Path | None = None
    """Where temporaries are written before they are renamed into place."""
    page_images: bool = False
    """Write PDF pages' images beside the outputs (what their coordinates are measured on)."""
    lease: Path | None = None
    """The run's lease file (see ``lease``): set when the job may run where the run cannot
    stop it (a Dask worker); outputs are installed only while it holds."""

    @property
    def source(self) -> str:
        """The input as the outputs and the catalogue name it: its path from the batch root."""
        relative = (self.task.stem.parent / self.task.path.name).as_posix()
        return os.fsencode(relative).decode("utf-8", "backslashreplace")

    def outputs(self) -> list[Path]:
        stem = self.outdir / self.task.stem
        return [stem.with_name(stem.name + suffix) for suffix in self.suffixes]

    @property
    def journal(self) -> Path | None:
        """Where this input's output set is journalled while it is installed (see ``journal``);
        None outside a batch's OUTDIR."""
        if self.staging is None:
            return None
        from bulletin_ocr.batch.journal import journal_path

        return journal_path(self.staging.parent, self.task.path)


def file_sha256(path: Path) -> str | None:
    """The input's checksum, or None when it cannot be read (its record says why)."""
    try:
        return sha256_of(path)
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop on some Pythons
        return None


def run_job(job: Job) -> Record:
    """Convert ``job.task`` and write its outputs; every failure becomes an error record."""
    from bulletin_ocr.api import convert

    started = time.perf_counter()

    def work() -> Record:
        stages.enter("read")
        document = convert(job.task.path, job.options, source=job.source)
        return write_document(job, document, started)

    return guarded(job, work, started)


def guarded(job: Job, work: Callable[[], Record], started: float) -> Record:
    """``work``'s record, or the error record of what it raised."""
    try:
        return work()
    except BulletinOcrError as error:
        # The record belongs to the input; an error about another path (a link in OUTDIR, an
        # output folder in the way) names that path.
        problem = error.problem if error.path == str(job.task.path) else str(error)
        return _failed(job, problem, int(error.exit_code), started)
    except MemoryError:
        return _failed(job, "ran out of memory", int(ExitCode.INPUT_FAILED), started)
    except OSError as error:  # writing outputs: a full disk, a read-only folder, permissions
        problem = f"cannot write outputs ({error.strerror or error})"
        return _failed(job, problem, int(ExitCode.INPUT_FAILED), started)
    except Exception as error:  # a bug or a library crash on this input must not stop a batch
        problem = f"internal error ({type(error).__name__}: {error})"
        return _failed(job, problem, int(ExitCode.INPUT_FAILED), started)


def write_document(job: Job, document: Document, started: float) -> Record:
    """Write ``document``'s outputs for ``job`` and describe them as its record.

    The set is journalled before its first rename (``job.journal``): a worker killed between
    two renames leaves a set the next run completes, not half of one. With ``job.lease`` the
    set is installed only while the run's lease holds (see ``lease``).
    """
    from bulletin_ocr.batch.journal import write_journal
    from bulletin_ocr.batch.lease import holding
    from bulletin_ocr.batch.outdir import safe_directory
    from bulletin_ocr.export import ExportContext, render_outputs
    from bulletin_ocr.export.catalogue import catalogue_row
    from bulletin_ocr.export.files import Pairs, write_file_set

    stages.enter("export")
    stem = job.task.stem
    context = ExportContext(
        input_path=job.task.path, outdir=job.outdir / stem.parent, stem=stem.name,
        page_images=job.page_images, password=job.options.password,
        pdf_type=job.options.pdf_type,
    )
    # Rendered before the lease is taken: a run that is ending waits for installs, not renders.
    rendered = render_outputs(document, stem.name, job.formats, context)
    folder = job.outdir / stem.parent
    confidences = [
        line.confidence
        for page in document.pages
        for line in page.lines
        if line.confidence is not None
    ]
    record = Record(
        path=str(job.task.path),
        sha256=document.sha256,
        status="warning" if document.warnings else "ok",
        pages=len(document.pages),
        seconds=round(time.perf_counter() - started, 3),
        sources=[page.source for page in document.pages],
        confidence=round(sum(confidences) / len(confidences), 4) if confidences else None,
        warnings=list(document.warnings),
        outputs=[str((folder / name).relative_to(job.outdir)) for name in rendered],
        note=job.task.note,
        catalogue=catalogue_row(document, job.source),
    )
    journal = job.journal

    def journalled(pairs: Pairs) -> None:
        if journal is not None:
            write_journal(journal, record.to_json(), pairs)

    try:
        with holding(job.lease, job.outdir):
            safe_directory(job.outdir, stem.parent)
            write_file_set(folder, rendered, job.staging, before_install=journalled)
    except BaseException:
        if journal is not None:  # nothing installed: nothing to complete
            journal.unlink(missing_ok=True)
        raise
    return record


def _failed(job: Job, problem: str, exit_code: int, started: float) -> Record:
    return Record(
        path=str(job.task.path),
        sha256=file_sha256(job.task.path),
        status="error",
        seconds=round(time.perf_counter() - started, 3),
        error=problem,
        exit_code=exit_code,
        stale_outputs=_stale(job),
    )


def _stale(job: Job) -> list[str]:
    """Outputs an earlier run wrote for this input, left in place (and now out of date)."""
    return [str(p.relative_to(job.outdir)) for p in job.outputs() if p.is_file()]


def crashed(job: Job, how: str, where: str | None = None) -> Record:
    """The record of an input whose worker process died under it (in stage ``where``)."""
    problem = f"the conversion crashed ({how})" + (f" in stage {where}" if where else "")
    return _failed(job, problem, int(ExitCode.INPUT_FAILED), time.perf_counter())


def given_up(job: Job, why: str) -> Record:
    """The record of an input given up without a crash: a limit overrun, or a worker that
    cannot do it (``why`` says which)."""
    return _failed(job, why, int(ExitCode.INPUT_FAILED), time.perf_counter())
