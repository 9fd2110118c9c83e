"""The command line: parse options, call the API, map errors to exit codes.

The only module that prints or exits. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from bulletin_ocr import __version__
from bulletin_ocr.errors import BulletinOcrError, ExitCode

FORMAT_NAMES = ("txt", "tei", "json")


def _parse_formats(
    _ctx: click.Context, _param: click.Parameter, value: str
) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in FORMAT_NAMES]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(FORMAT_NAMES)}"
        )
    return names


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bulletin-ocr")
def cli() -> None:
    """Turn Chinese government bulletins into clean text, TEI P5 and JSON."""


PREPROCESS_STEPS = (
    "orientation", "deskew", "illumination", "show_through", "denoise", "resolution",
)


def _conversion_options(
    config: Path | None,
    password: str | None,
    ocr: bool | None,
    force_ocr: bool,
    det_model_dir: Path | None,
    rec_model_dir: Path | None,
    det_limit: int | None,
    threads: int | None,
    skip: tuple[str, ...],
    ocr_engine: str | None = None,
) -> Any:
    """ConvertOptions from the config file, then the command-line options on top."""
    from dataclasses import replace

    from bulletin_ocr.config import default_config_path, options_from_config, read_config
    from bulletin_ocr.pipeline import ConvertOptions

    config = config or default_config_path()
    options = ConvertOptions()
    if config is not None:
        options = options_from_config(read_config(config), str(config))
    ocr_options = options.ocr
    if det_model_dir is not None:
        ocr_options = replace(ocr_options, det_model_dir=det_model_dir)
    if rec_model_dir is not None:
        ocr_options = replace(ocr_options, rec_model_dir=rec_model_dir)
    if det_limit is not None:
        ocr_options = replace(ocr_options, det_limit_side_len=det_limit)
    if threads is not None:
        ocr_options = replace(ocr_options, threads=threads)
    if ocr_engine is not None:
        ocr_options = replace(ocr_options, engine=ocr_engine)
    switches = {("normalize_resolution" if s == "resolution" else s): False for s in skip}
    return replace(
        options,
        ocr=ocr_options,
        preprocess=replace(options.preprocess, **switches),
        password=password if password is not None else options.password,
        use_ocr=ocr if ocr is not None else options.use_ocr,
        force_ocr=force_ocr or options.force_ocr,
    )


def conversion_options(function: Any) -> Any:
    """The options every converting command shares."""
    decorators = [
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     help="TOML config file (default: $BULLETIN_OCR_CONFIG or "
                     "~/.config/bulletin-ocr/config.toml)."),
        click.option("--password", help="Password for encrypted PDFs."),
        click.option("--ocr/--no-ocr", default=None,
                     help="Recognise scans and PDF pages without a usable text layer "
                     "(default: on)."),
        click.option("--force-ocr", is_flag=True,
                     help="Recognise every PDF page, ignoring its text layer."),
        click.option("--det-model-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="An official PaddleOCR detection model directory to use instead of "
                     "the built-in PP-OCRv6 small model."),
        click.option("--rec-model-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="An official PaddleOCR recognition model directory."),
        click.option("--det-limit", type=click.IntRange(320, 4000),
                     help="Longest side, in pixels, that text detection sees (default 960)."),
        click.option("--threads", type=click.IntRange(0, 256),
                     help="onnxruntime threads per engine (default: all cores)."),
        click.option("--ocr-engine",
                     help="'paddle' (default) or 'module:factory' for an engine of your own."),
        click.option("--skip", multiple=True, type=click.Choice(PREPROCESS_STEPS),
                     help="Switch off a preprocessing step (repeatable)."),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the results (created if missing); directory inputs are mirrored.",
)
@click.option(
    "--to",
    "formats",
    default="txt,tei,json",
    show_default=True,
    callback=_parse_formats,
    help="Comma-separated output formats: txt, tei, json.",
)
@click.option("--from-list", type=click.Path(dir_okay=False, path_type=Path),
              help="A file listing inputs, one path per line (# comments allowed).")
@click.option("--include", multiple=True, help="Only files matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256),
              help="Worker processes (default: one per core).")
@click.option("--force", is_flag=True, help="Convert again inputs already converted.")
@click.option("--page-timeout", type=click.FloatRange(min=1), default=300, show_default=True,
              help="Seconds one page may take before its input is given up as failed.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where the work runs.")
@click.option("--scheduler", help="Dask scheduler address (with --executor dask), "
              "e.g. tcp://10.0.0.5:8786; default: a local cluster.")
@click.option("-q", "--quiet", is_flag=True, help="Only report errors; no progress, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Report every input as it finishes.")
@conversion_options
def convert(
    inputs: tuple[Path, ...],
    outdir: Path,
    formats: tuple[str, ...],
    from_list: Path | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    jobs: int | None,
    force: bool,
    page_timeout: float,
    executor: str,
    scheduler: str | None,
    quiet: bool,
    verbose: bool,
    **settings: Any,
) -> None:
    """Convert INPUT files or directories into OUTDIR/<name>.txt, .tei.xml and .json.

    INPUT is a PDF, an image (PNG, JPEG, TIFF, BMP, WebP), a raw .txt extraction, or a
    directory of them. OUTDIR/report.jsonl records every input; running the same command
    again skips what is done. Exit status: 0 all converted, 1 some inputs failed (the others
    were still converted), 2 usage error, 3 missing model or dependency.
    """
    from dataclasses import replace

    from bulletin_ocr.batch import Record, convert_batch
    from bulletin_ocr.batch.progress import Progress

    if not inputs and from_list is None:
        raise click.UsageError("give at least one INPUT or --from-list FILE")
    options = replace(_options_or_exit(settings), page_timeout=page_timeout)
    progress = Progress(0, enabled=not quiet)

    def report(record: Record) -> None:
        progress.advance(record)
        if record.status == "error":
            progress.log(f"error: {record.path}: {record.error}")
        for warning in record.warnings:
            if not quiet:
                progress.log(f"warning: {record.path}: {warning}")
        if verbose and record.status in ("ok", "warning", "skipped"):
            progress.log(f"{record.status}: {record.path} ({record.pages} pages)")

    try:
        result = convert_batch(
            inputs, outdir, formats=formats, options=options, jobs=jobs, force=force,
            include=include, exclude=exclude, from_list=from_list,
            executor=executor,  # type: ignore[arg-type]
            scheduler=scheduler, on_record=report,
        )
    except BulletinOcrError as error:
        progress.close()
        _error(str(error))
        sys.exit(int(error.exit_code))
    progress.close()
    if not result.records:
        _error("no convertible inputs found")
    elif not quiet:
        click.echo(_summary(result, outdir), err=True)
    sys.exit(int(result.exit_code))


def _summary(result: Any, outdir: Path) -> str:
    rows = [
        ("converted", result.count("ok")),
        ("with warnings", result.count("warning")),
        ("failed", result.count("error")),
        ("skipped (done before)", result.count("skipped")),
    ]
    lines = [f"{label:<22}{count:>7}" for label, count in rows]
    lines.append(f"{'pages':<22}{result.pages:>7}")
    lines.append(f"report: {outdir / 'report.jsonl'}")
    return "\n".join(lines)


def _options_or_exit(settings: dict[str, Any]) -> Any:
    try:
        return _conversion_options(**settings)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))


@cli.command()
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML config file naming your own model directories.")
def models(config: Path | None) -> None:
    """List the OCR models, where they are, and verify their checksums.

    Exit status 3 when a model is missing or corrupt, with what to do about it.
    """
    from bulletin_ocr.ocr.models import cache_dir, load_manifest, manifest_path, user_model, verify

    problems = 0
    try:
        click.echo(f"manifest: {manifest_path()}")
        click.echo(f"cache:    {cache_dir()}")
        for spec in load_manifest():
            try:
                path = verify(spec)
                status = f"ok (sha256 {spec.sha256[:16]}…)"
            except BulletinOcrError as error:
                path, status = None, f"PROBLEM: {error.problem}"
                problems += 1
            click.echo(f"{spec.role:<12} {spec.name:<22} {spec.version}")
            click.echo(f"{'':<12} {path or spec.package + '/' + spec.file}: {status}")
        options = _options_or_exit({
            "config": config, "password": None, "ocr": None, "force_ocr": False,
            "det_model_dir": None, "rec_model_dir": None, "det_limit": None,
            "threads": None, "skip": (),
        })
        for role, directory in (("detection", options.ocr.det_model_dir),
                                ("recognition", options.ocr.rec_model_dir)):
            if directory is not None:
                try:
                    model = user_model(directory, role)
                    click.echo(f"{role:<12} {model.name:<22} your own: {directory} (ok)")
                except BulletinOcrError as error:
                    click.echo(f"{role:<12} your own: PROBLEM: {error}")
                    problems += 1
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))
    if problems:
        _error(f"{problems} model problem(s); see above")
        sys.exit(int(ExitCode.MISSING_DEPENDENCY))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--explain", is_flag=True,
              help="Print, block by block, which cues made it a masthead, headline, attribution.")
@conversion_options
def repair(file: Path, explain: bool, **settings: Any) -> None:
    """Print the clean text of one FILE (raw extraction, PDF or image) to stdout."""
    from bulletin_ocr.api import convert as convert_file
    from bulletin_ocr.export.text import render_text

    options = _options_or_exit(settings)
    try:
        document = convert_file(file, options)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))
    if explain:
        click.echo(_explanation(document))
    else:
        click.echo(render_text(document), nl=False)


def _explanation(document: Any) -> str:
    """One row per block: its role, its lines, the cues that decided it, and its text."""
    texts = {line.id: line.text for page in document.pages for line in page.lines}
    rows = []
    for decision in document.explain:
        first, last = decision.lines[0], decision.lines[-1]
        where = first if first == last else f"{first}-{last}"
        text = "".join(texts.get(i, "") for i in decision.lines).replace(" ", "")
        cues = ", ".join(decision.cues) or "-"
        rows.append(f"{decision.role:<16} {where:<12} [{cues}] {text[:24]}")
    return "\n".join(rows)


def main() -> None:
    cli()
