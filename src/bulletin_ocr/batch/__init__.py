"""Batch conversion: many inputs, in parallel, resumable, with every failure on record."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from bulletin_ocr.batch.discover import discover, read_list
from bulletin_ocr.batch.report import REPORT_NAME, Record, ReportWriter, read_report
from bulletin_ocr.batch.supervisor import Limits
from bulletin_ocr.batch.worker import Job, file_sha256
from bulletin_ocr.errors import ExitCode, OutputError, UsageError
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
    cluster_timeout: float | None = None,
    on_record: Callable[[Record], None] | None = None,
    memory_limit: int | None = None,
    page_images: bool = False,
    on_plan: Callable[[int], None] | None = None,
) -> BatchResult:
    """Convert files and directories into ``outdir``, mirroring them from their common root.

    Writes ``outdir/report.jsonl`` (one record per input as it finishes). Inputs whose
    outputs exist and whose content (sha256) matches their last successful record are
    skipped unless ``force``. ``jobs`` worker processes (default: one per core) each keep
    their OCR engine; ``executor="dask"`` sends the same jobs to a Dask cluster at
    ``scheduler`` (default: a local cluster on 127.0.0.1, its dashboard at ``dask_dashboard``
    when given, else none); a scheduler that does not answer for ``cluster_timeout`` seconds
    (default 60) raises ClusterError. Failures never stop the batch: they become error
    records. Each stage of an input may take ``options.page_timeout`` seconds and each worker
    ``memory_limit`` bytes (default: an equal share of 80 % of the memory of the machine it
    runs on; on Dask, of the worker's memory limit).

    Inputs are never written: an output path that names an input raises UsageError before
    anything is converted, and ``outdir`` is locked against a second run (UsageError).

    ``formats`` may be ``("all",)``: every format, less the page formats for raw text, which
    has no geometry to place. ``page_images`` writes PDF pages' images beside the outputs.
    ``outdir``'s catalogue files are rebuilt from the report at the end of every run.
    ``on_plan`` hears how many records the run will make, once the inputs are found.
    """
    from bulletin_ocr.api import SUPPORTED_SUFFIXES
    from bulletin_ocr.batch.outdir import OutputDir
    from bulletin_ocr.export import FORMATS

    outdir = Path(outdir)
    paths = [Path(p) for p in inputs]
    if from_list is not None:
        paths += read_list(Path(from_list))
    workers = max(1, jobs or os.cpu_count() or 1)
    options = options or ConvertOptions()
    if executor != "dask":  # Dask tasks take their share where they run (dask_runner)
        options = _share_cores(options, workers)
    with OutputDir(outdir) as output:
        earlier = read_report(outdir)
        tasks = discover(
            paths, SUPPORTED_SUFFIXES, include, exclude, outdir, _outputs_of(earlier, outdir)
        )
        batch = []
        for task in tasks:
            chosen = formats_for(task.path, formats)
            suffixes = tuple(FORMATS[name].suffix for name in chosen)
            batch.append(
                Job(task, outdir, chosen, options, suffixes, output.staging, page_images)
            )
        refuse_outputs_over_inputs(batch, outdir)
        gone = _gone_inputs(earlier, outdir)
        if on_plan:
            on_plan(len(batch) + len(gone))
        previous = {} if force else earlier
        result = BatchResult()
        writer = ReportWriter(outdir)

        def finish(_job: Job | None, record: Record) -> None:
            if record.status != "skipped" or record.note:  # a second name is worth a record
                writer.append(record)
            result.records.append(record)
            if on_record:
                on_record(record)

        for record in gone:
            finish(None, record)
        todo = []
        for job in batch:
            skipped = _skip_record(job, previous)
            if skipped is None:
                todo.append(job)
            else:
                finish(None, skipped)

        stopped = True
        try:
            if executor == "dask" and todo:
                from bulletin_ocr.batch.dask_runner import DEFAULT_TIMEOUT, run_dask

                limits = Limits(options.page_timeout, memory_limit, memory_limit is None)
                run_dask(
                    todo, scheduler, finish, limits, state=output.state,
                    dashboard=dask_dashboard, timeout=cluster_timeout or DEFAULT_TIMEOUT,
                )
            elif executor != "dask":
                from bulletin_ocr.batch.local import run_local

                limits = Limits(options.page_timeout, memory_limit or _memory_share(workers))
                run_local(todo, workers, finish, limits)
            stopped = False
        except OSError as error:  # the report cannot be appended: a full disk, a quota
            raise stopped_by(error, outdir, todo, result) from error
        finally:
            writer.close()
            try:
                rebuild_catalogue(outdir)
            except OutputError:
                if not stopped:  # never in place of the error that stopped the run
                    raise
    return result


# Untried inputs a full-disk error names; the rest are counted.
UNTRIED_NAMED = 3


def stopped_by(
    error: OSError, outdir: Path, todo: Sequence[Job], result: BatchResult
) -> OutputError:
    """The one-line error of a run the report could no longer be written in: the cause, and
    the inputs left without a record (a rerun converts them; recorded ones are skipped)."""
    recorded = {record.path for record in result.records}
    untried = [str(job.task.path) for job in todo if str(job.task.path) not in recorded]
    named = ", ".join(untried[:UNTRIED_NAMED]) + (", ..." if len(untried) > UNTRIED_NAMED else "")
    problem = (
        f"cannot write the report ({error.strerror or error}); {len(untried)} of {len(todo)} "
        f"inputs not recorded ({named}): free space and run the same command again"
    )
    return OutputError(str(outdir / REPORT_NAME), problem)


def formats_for(path: Path, formats: Sequence[str]) -> tuple[str, ...]:
    """The formats ``path`` gets: ``all`` means every one that fits its kind of input."""
    from bulletin_ocr.api import TEXT_SUFFIXES
    from bulletin_ocr.export import FORMATS

    if "all" not in formats:
        return tuple(dict.fromkeys(formats))
    raw = path.suffix.lower() in TEXT_SUFFIXES
    return tuple(name for name, kind in FORMATS.items() if not (raw and kind.needs_geometry))


def rebuild_catalogue(outdir: Path) -> None:
    """OUTDIR's catalogue from the report: the last successful record of every input.

    Built from the report, not updated row by row, so resumed and interrupted runs can neither
    duplicate nor lose a bulletin, and a batch of any size costs one pass at its end.
    """
    from bulletin_ocr.export.catalogue import write_catalogue

    rows = [
        record["catalogue"]
        for record in read_report(outdir).values()
        if record.get("status") in ("ok", "warning") and isinstance(record.get("catalogue"), dict)
    ]
    try:
        write_catalogue(outdir, rows)
    except OSError as error:
        raise OutputError(
            str(outdir), f"cannot write the catalogue ({error.strerror or error})"
        ) from error


def refuse_outputs_over_inputs(batch: Sequence[Job], outdir: Path) -> None:
    """Raise UsageError, naming both paths, if any output would land on an input file."""
    inputs = {_absolute(job.task.path): job.task.path for job in batch}
    reserved = [outdir / REPORT_NAME]
    for job in batch:
        for output in [*job.outputs(), *reserved]:
            clash = inputs.get(_absolute(output))
            if clash is None and output.exists():
                clash = next((p for p in inputs.values() if _same_file(p, output)), None)
            if clash is not None:
                raise UsageError(
                    str(output), f"output would overwrite the input {clash}; choose another -o"
                )
    names = [out for job in batch if job.task.duplicate_of is None for out in job.outputs()]
    if len({_absolute(p) for p in names}) != len(names):  # discover() guarantees it; keep it so
        raise UsageError(str(outdir), "two inputs would share an output name")


def _absolute(path: Path) -> Path:
    return Path(os.path.normcase(os.path.abspath(path)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _outputs_of(report: dict[str, dict[str, object]], outdir: Path) -> frozenset[Path]:
    """Files an earlier run wrote into ``outdir``: never inputs, even when OUTDIR is in a tree."""
    written: set[Path] = set()
    for record in report.values():
        names = record.get("outputs")
        if isinstance(names, list):
            written.update(Path(os.path.abspath(outdir / str(name))) for name in names)
    return frozenset(written)


def _gone_inputs(report: dict[str, dict[str, object]], outdir: Path) -> list[Record]:
    """Records for inputs converted before that no longer exist while their outputs remain.

    Recorded once (status "gone"), so the report says which outputs have lost their source.
    """
    records = []
    for path, last in report.items():
        if last.get("status") not in ("ok", "warning") or os.path.lexists(path):
            continue
        names = last.get("outputs")
        listed = names if isinstance(names, list) else []
        left = [str(name) for name in listed if (outdir / str(name)).is_file()]
        if left:
            records.append(Record(
                path=path, sha256=None, status="gone", stale_outputs=left,
                note="the input no longer exists; its outputs from an earlier run remain",
            ))
    return records


def _skip_record(job: Job, previous: dict[str, dict[str, object]]) -> Record | None:
    if job.task.duplicate_of is not None:
        return Record(
            path=str(job.task.path), sha256=None, status="skipped",
            note=f"same file as {job.task.duplicate_of}",
        )
    if _up_to_date(job, previous.get(str(job.task.path))):
        return Record(path=str(job.task.path), sha256=None, status="skipped")
    return None


def _memory_share(workers: int) -> int | None:
    """An equal share of 80 % of the machine's memory per worker (None when unknown)."""
    try:
        import psutil

        total = int(psutil.virtual_memory().total)
    except Exception:
        return None
    return int(total * 0.8 / workers)


def _share_cores(options: ConvertOptions, workers: int) -> ConvertOptions:
    """Give each worker's OCR engine its share of the cores instead of all of them."""
    if workers <= 1 or options.ocr.threads:
        return options
    cores = os.cpu_count() or 1
    return replace(options, ocr=replace(options.ocr, threads=max(1, cores // workers)))


def _up_to_date(job: Job, last: dict[str, object] | None) -> bool:
    if not last or last.get("status") not in ("ok", "warning"):
        return False
    if not all(path.exists() for path in job.outputs()):
        return False
    return last.get("sha256") == file_sha256(job.task.path)
