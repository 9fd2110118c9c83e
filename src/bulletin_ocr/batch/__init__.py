"""Batch conversion: many inputs, in parallel, resumable, with every failure on record."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from bulletin_ocr.batch.discover import discover, read_list
from bulletin_ocr.batch.report import Record, ReportWriter, read_report
from bulletin_ocr.batch.worker import Job, file_sha256
from bulletin_ocr.errors import ExitCode
from bulletin_ocr.pipeline import ConvertOptions

__all__ = ["BatchResult", "Record", "convert_batch"]

Executor = Literal["local", "dask"]


@dataclass
class BatchResult:
    records: list[Record] = field(default_factory=list)
    """One record per input converted in this run (skipped inputs have status "skipped")."""

    def count(self, status: str) -> int:
        return sum(1 for record in self.records if record.status == status)

    @property
    def pages(self) -> int:
        return sum(record.pages for record in self.records)

    @property
    def exit_code(self) -> ExitCode:
        """0 when nothing failed, else the most serious failure's code (3 beats 1)."""
        codes = [ExitCode(r.exit_code) for r in self.records if r.status == "error"]
        if not self.records:
            return ExitCode.INPUT_FAILED
        return max(codes, default=ExitCode.OK)


def convert_batch(
    inputs: Sequence[str | Path],
    outdir: str | Path,
    *,
    formats: Sequence[str] = ("txt", "tei", "json"),
    options: ConvertOptions | None = None,
    jobs: int | None = None,
    force: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    from_list: str | Path | None = None,
    executor: Executor = "local",
    scheduler: str | None = None,
    dask_dashboard: str | None = None,
    on_record: Callable[[Record], None] | None = None,
) -> BatchResult:
    """Convert files and directories into ``outdir``, mirroring directory trees.

    Writes ``outdir/report.jsonl`` (one record per input as it finishes). Inputs whose
    outputs exist and whose content (sha256) matches their last successful record are
    skipped unless ``force``. ``jobs`` worker processes (default: one per core) each keep
    their OCR engine; ``executor="dask"`` sends the same jobs to a Dask cluster at
    ``scheduler`` (default: a local cluster on 127.0.0.1, its dashboard at ``dask_dashboard``
    when given, else none). Failures never stop the batch: they become error records.
    """
    from bulletin_ocr.api import SUPPORTED_SUFFIXES
    from bulletin_ocr.export import FORMATS, remove_stale_temporaries

    outdir = Path(outdir)
    remove_stale_temporaries(outdir)
    paths = [Path(p) for p in inputs]
    if from_list is not None:
        paths += read_list(Path(from_list))
    tasks = discover(paths, SUPPORTED_SUFFIXES, include, exclude)
    workers = max(1, jobs or os.cpu_count() or 1)
    options = _share_cores(options or ConvertOptions(), workers)
    batch = [Job(task, outdir, tuple(formats), options) for task in tasks]
    suffixes = [FORMATS[name].suffix for name in formats]
    previous = {} if force else read_report(outdir)
    result = BatchResult()
    todo = []
    for job in batch:
        if _up_to_date(job, previous.get(str(job.task.path)), suffixes):
            record = Record(path=str(job.task.path), sha256=None, status="skipped")
            result.records.append(record)
            if on_record:
                on_record(record)
        else:
            todo.append(job)
    writer = ReportWriter(outdir)

    def finish(_job: Job, record: Record) -> None:
        writer.append(record)
        result.records.append(record)
        if on_record:
            on_record(record)

    try:
        if executor == "dask":
            from bulletin_ocr.batch.dask_runner import run_dask

            run_dask(todo, scheduler, finish, dashboard=dask_dashboard)
        else:
            from bulletin_ocr.batch.local import run_local

            run_local(todo, workers, finish)
    finally:
        writer.close()
    return result


def _share_cores(options: ConvertOptions, workers: int) -> ConvertOptions:
    """Give each worker's OCR engine its share of the cores instead of all of them."""
    if workers <= 1 or options.ocr.threads:
        return options
    cores = os.cpu_count() or 1
    return replace(options, ocr=replace(options.ocr, threads=max(1, cores // workers)))


def _up_to_date(job: Job, last: dict[str, object] | None, suffixes: Sequence[str]) -> bool:
    if not last or last.get("status") not in ("ok", "warning"):
        return False
    stem = job.outdir / job.task.stem
    if not all(stem.with_name(stem.name + suffix).exists() for suffix in suffixes):
        return False
    return last.get("sha256") == file_sha256(job.task.path)

