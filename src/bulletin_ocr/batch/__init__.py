"""Batch conversion: many inputs, in parallel, resumable, with every failure on record."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from bulletin_ocr.batch.discover import discover, read_list
from bulletin_ocr.batch.report import REPORT_NAME, Record, ReportWriter, read_report, read_state
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
    on_page: Callable[[str], None] | None = None,
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

    Inputs are never written: an output path that names an input, or a file this tool did not
    write (one no record of ``outdir``'s report lists), raises UsageError before anything is
    converted, and ``outdir`` is locked against a second run (UsageError).

    ``formats`` may be ``("all",)``: every format, less the page formats for raw text, which
    has no geometry to place. ``page_images`` writes PDF pages' images beside the outputs.
    ``outdir``'s catalogue files are rebuilt from the report at the end of every run.
    ``on_plan`` hears how many records the run will make, once the inputs are found;
    ``on_page`` the input's path as each of its pages is done (local workers only; called
    from the threads that supervise them).
    """
    from bulletin_ocr.api import SUPPORTED_SUFFIXES
    from bulletin_ocr.batch.outdir import OutputDir
    from bulletin_ocr.export import FORMATS

    outdir = Path(os.path.abspath(outdir))
    paths = [Path(p) for p in inputs]
    if from_list is not None:
        paths += read_list(Path(from_list))
    workers = max(1, jobs or os.cpu_count() or 1)
    options = options or ConvertOptions()
    if executor != "dask":  # Dask tasks take their share where they run (dask_runner)
        options = _share_cores(options, workers)
    with OutputDir(outdir) as output:
        earlier = read_state(outdir)
        tasks = discover(
            paths, SUPPORTED_SUFFIXES, include, exclude, outdir, frozenset(earlier.written)
        )
        batch = []
        for task in tasks:
            chosen = formats_for(task.path, formats)
            suffixes = tuple(FORMATS[name].suffix for name in chosen)
            batch.append(
                Job(task, outdir, chosen, options, suffixes, output.staging, page_images)
            )
        refuse_outputs_over_inputs(batch, outdir)
        refuse_replacing_unknown_files(batch, earlier.written)
        gone = _gone_inputs(earlier.last, outdir)
        if on_plan:
            on_plan(len(batch) + len(gone))
        previous = {} if force else earlier.last
        result = BatchResult()
        writer = ReportWriter(outdir)

        def finish(job: Job | None, record: Record) -> None:
            if record.status != "skipped" or record.note:  # a second name is worth a record
                writer.append(record)
            if job is not None and job.journal is not None and record.status != "error":
                # Its set is on record now. After an error the worker removed it, unless it
                # was killed while renaming: then the next run completes that set.
                job.journal.unlink(missing_ok=True)
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
                pages = None if on_page is None else (lambda job, _n: on_page(str(job.task.path)))
                run_local(todo, workers, finish, limits, pages)
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
    from bulletin_ocr.export import FORMATS
    from bulletin_ocr.inputs.kinds import input_kind

    if "all" not in formats:
        return tuple(dict.fromkeys(formats))
    raw = input_kind(path) == "text"
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
    """Raise UsageError, naming both paths, if any output would land on an input file.

    Linear in the batch: inputs are known by path and by (device, inode), so each output
    costs one look-up instead of a comparison with every input.
    """
    inputs = {_absolute(job.task.path): job.task.path for job in batch if not job.task.other_kind}
    identities = {job.task.identity: job.task.path for job in batch if job.task.identity}
    reserved = outdir / REPORT_NAME
    for output in [reserved, *(output for output, _job in _planned(batch))]:
        clash = inputs.get(_absolute(output))
        if clash is None:
            identity = _identity(output)  # a hard link, or OUTDIR by another name
            clash = identities.get(identity) if identity else None
        if clash is not None:
            raise UsageError(
                str(output), f"output would overwrite the input {clash}; choose another -o"
            )
    names = [out for job in batch if job.task.converts for out in job.outputs()]
    if len({_absolute(p) for p in names}) != len(names):  # discover() guarantees it; keep it so
        raise UsageError(str(outdir), "two inputs would share an output name")


EXTRA_FILE = re.compile(r"(?P<stem>.*)\.page-[0-9]+\.(?:xml|png)")
"""The names of PAGE's later pages and of page images, which only a conversion can count."""


def refuse_replacing_unknown_files(batch: Sequence[Job], written: set[Path]) -> None:
    """Raise UsageError naming the first file an output would replace that this tool did not
    write (no record of the report lists it), before anything is converted.

    A hand-made ``x.json`` beside ``x.pdf`` in DIR -> DIR, or an input image ``x.page-1.png``
    where ``--page-images`` would put the PDF's first page, stays as it is. The names of later
    pages are not known before conversion, so any ``<stem>.page-N.xml/png`` in the way of an
    input that writes such files counts.
    """
    for folder, names, extras in _output_folders(batch):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
        except OSError:  # not there yet (or unreadable: the outputs' own errors say so)
            continue
        for entry in entries:
            match = EXTRA_FILE.fullmatch(entry.name)
            ours = entry.name in names or (match is not None and match["stem"] in extras)
            if ours and Path(os.path.abspath(entry.path)) not in written:
                raise UsageError(
                    entry.path,
                    "is not written by bulletin-ocr and an output would replace it; "
                    "move it away or choose another -o",
                )


def _output_folders(batch: Sequence[Job]) -> list[tuple[Path, set[str], set[str]]]:
    """Each output folder, the output names planned in it, and the stems that add files
    after their names (PAGE's later pages, page images)."""
    names: dict[Path, set[str]] = defaultdict(set)
    extras: dict[Path, set[str]] = defaultdict(set)
    for output, job in _planned(batch):
        names[output.parent].add(output.name)
        if job.page_images or "page" in job.formats:
            extras[output.parent].add(job.task.stem.name)
    return [(folder, names[folder], extras[folder]) for folder in sorted(names)]


def _planned(batch: Sequence[Job]) -> list[tuple[Path, Job]]:
    return [(output, job) for job in batch if job.task.converts for output in job.outputs()]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _absolute(path: Path) -> Path:
    return Path(os.path.normcase(os.path.abspath(path)))


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
    """The record of a task not to convert (done before, a second name, a FIFO, a folder that
    cannot be listed), or None when it is to be converted."""
    if job.task.unreadable is not None:
        return Record(
            path=str(job.task.path), sha256=None, status="error", exit_code=1,
            error=f"cannot list this folder ({job.task.unreadable}); its files are not converted",
        )
    if job.task.skipped is not None:
        return Record(
            path=str(job.task.path), sha256=None, status="skipped", note=job.task.skipped
        )
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
