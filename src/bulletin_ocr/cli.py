"""The command line: parse options, call the API, map errors to exit codes.

The only module that prints or exits. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from bulletin_ocr import __version__
from bulletin_ocr.errors import BulletinOcrError, ClusterError, ExitCode, UsageError
from bulletin_ocr.timeouts import MAX_PAGE_TIMEOUT

FORMAT_NAMES = ("txt", "tei", "json", "alto", "page", "hocr", "pdf", "html")


def _parse_formats(
    _ctx: click.Context, _param: click.Parameter, value: str
) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if "all" in names:
        return ("all",)  # every format that fits each input (raw text has no page formats)
    unknown = [name for name in names if name not in FORMAT_NAMES]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(FORMAT_NAMES)}, or all"
        )
    return names


def _complete_formats(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[str]:
    """Shell completion of --to's last comma-separated name."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name in (*FORMAT_NAMES, "all") if name.startswith(last)]


def _parse_pages(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    from bulletin_ocr.page_selection import parse_pages

    if value is None:
        return None
    try:
        return parse_pages(value)
    except BulletinOcrError as error:
        raise click.BadParameter(error.problem) from error


def _a_number(_ctx: click.Context, _param: click.Parameter, value: float) -> float:
    """FloatRange lets NaN through (every comparison with it is false)."""
    if value != value:
        raise click.BadParameter("nan is not a number of seconds")
    return value


def printable(text: str) -> str:
    """``text`` safe for one terminal line: control characters and undecodable bytes escaped.

    A newline in a file name must not start a line of its own (that could pass for another
    ``error:`` line), a bidi override (U+202E) must not reorder the line or a zero-width space
    (U+200B) hide in it, and a name that is not UTF-8 must not crash the report.

    >>> printable("a\\nerror: b\\x1b[31m.txt")
    'a\\\\nerror: b\\\\x1b[31m.txt'
    """
    import unicodedata

    out = []
    for char in text:
        if "\udc80" <= char <= "\udcff":  # a byte os.fsdecode could not decode
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def _error(message: str) -> None:
    click.echo(f"error: {printable(message)}", err=True)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """The version, then the built-in models' names and checksums (what a result depends on)."""
    if not value or ctx.resilient_parsing:
        return
    from bulletin_ocr.ocr.models import load_manifest

    click.echo(f"bulletin-ocr {__version__}")
    try:
        specs = load_manifest()
    except BulletinOcrError as error:
        click.echo(f"models: {printable(str(error))}")
        ctx.exit(int(error.exit_code))
    for spec in specs:
        click.echo(f"{spec.role:<12} {spec.name} {spec.version}  sha256 {spec.sha256}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version,
              help="Show the version and the built-in OCR models' names and checksums.")
def cli() -> None:
    """Turn Chinese government bulletins into clean text, TEI P5 and JSON."""
    from bulletin_ocr.logs import LogSettings, configure_logging

    configure_logging(LogSettings())  # libraries stay off the terminal unless --verbose


PREPROCESS_STEPS = (
    "orientation", "deskew", "illumination", "show_through", "denoise", "resolution",
)


# [convert] keys whose option has another name; the rest are named alike.
OPTION_FOR_CONFIG_KEY = {"use_ocr": "ocr"}


def _read_config(ctx: click.Context, _param: click.Parameter, path: Path | None) -> Any:
    """--config, read before every other option (it is eager): its [convert] values become
    the defaults that the command line overrides, and its errors come first, whatever else
    is wrong with the command line."""
    from bulletin_ocr.config import default_config_path, read_config

    path = path or default_config_path()
    if path is None:
        return None
    try:
        config = read_config(path, (*FORMAT_NAMES, "all"))
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))
    defaults = {
        OPTION_FOR_CONFIG_KEY.get(key, key): value
        for key, value in config.convert.model_dump(exclude_none=True).items()
    }
    if "formats" in defaults:
        defaults["formats"] = ",".join(defaults["formats"])
    ctx.default_map = {**(ctx.default_map or {}), **defaults}
    return config


CONFIG_HELP = ("TOML config file (default: $BULLETIN_OCR_CONFIG, else config.toml in "
               "~/.config/bulletin-ocr on Linux, ~/Library/Application Support/bulletin-ocr "
               "on macOS, %APPDATA%\\bulletin-ocr on Windows).")


PASSWORD_ENV = "BULLETIN_OCR_PASSWORD"


def _read_password_file(path: Path) -> str:
    """The password on the first line of ``path`` (its line ending dropped, spaces kept).

    Errors name the file and never its content."""
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError as error:
        raise UsageError(str(path), f"cannot read the password file ({error.strerror or error})"
                         ) from error
    try:
        return first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise UsageError(str(path), "the password file is not UTF-8") from error


def _given_on_the_command_line(name: str) -> bool:
    context = click.get_current_context(silent=True)
    source = context.get_parameter_source(name) if context else None
    return source is click.core.ParameterSource.COMMANDLINE


def _conversion_options(
    config: Any,
    password: str | None,
    ocr: bool | None,
    force_ocr: bool,
    det_model_dir: Path | None,
    rec_model_dir: Path | None,
    det_limit: int | None,
    threads: int | None,
    skip: tuple[str, ...],
    ocr_engine: str | None = None,
    password_file: Path | None = None,
    pages: Any = None,
    device: str | None = None,
    pdf_reader: str | None = None,
    decider: str | None = None,
) -> Any:
    """ConvertOptions from the config file, then the command-line options on top (a password
    from --password, $BULLETIN_OCR_PASSWORD or --password-file)."""
    from dataclasses import replace

    from bulletin_ocr.config import options_from_config
    from bulletin_ocr.pipeline import ConvertOptions

    if password_file is not None:
        if _given_on_the_command_line("password"):
            raise UsageError(str(password_file), "give --password-file or --password, not both")
        password = _read_password_file(password_file)  # it wins over the environment's
    options = ConvertOptions() if config is None else options_from_config(config)
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
    if device is not None:
        ocr_options = replace(ocr_options, device=device)
    if ocr is not False:
        from bulletin_ocr.ocr.registry import check_options

        # An unknown engine or a missing GPU fails once, here, not once per input.
        check_options(ocr_options)
    switches = {("normalize_resolution" if s == "resolution" else s): False for s in skip}
    return replace(
        options,
        ocr=ocr_options,
        preprocess=replace(options.preprocess, **switches),
        password=password if password is not None else options.password,
        use_ocr=ocr if ocr is not None else options.use_ocr,
        force_ocr=force_ocr or options.force_ocr,
        pages=pages,
        pdf_reader=pdf_reader or options.pdf_reader,
        decider=decider or options.decider,
    )


def conversion_options(function: Any) -> Any:
    """The options every converting command shares."""
    decorators = [
        click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                     is_eager=True, callback=_read_config, help=CONFIG_HELP),
        click.option("--password", envvar=PASSWORD_ENV,
                     help="Password for encrypted PDFs (others can read it in the process "
                     f"list: prefer --password-file or ${PASSWORD_ENV})."),
        click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Read the password for encrypted PDFs from the first line of this "
                     "file."),
        click.option("--ocr/--no-ocr", default=None,
                     help="Recognise scans and PDF pages without a usable text layer "
                     "(default: on)."),
        click.option("--force-ocr", is_flag=True,
                     help="Recognise every PDF page, ignoring its text layer."),
        click.option("--pdf-reader", type=click.Choice(["pdfium", "pdfplumber"]),
                     help="Character reader for PDF text layers: pdfium (default, fast) or "
                     "pdfplumber (the reference it is checked against)."),
        click.option("--decider", type=click.Choice(["auto", "rules", "crf"]),
                     help="Who decides headlines, paragraphs and attributions: auto (default: "
                     "per kind of input, the one that measured better), rules, or crf (the "
                     "trained labeller; better on raw text and pdftotext output, see README)."),
        click.option("--det-model-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="An official PaddleOCR detection model directory to use instead of "
                     "the built-in PP-OCRv6 small model."),
        click.option("--rec-model-dir", type=click.Path(file_okay=False, path_type=Path),
                     help="An official PaddleOCR recognition model directory."),
        click.option("--det-limit", type=click.IntRange(320, 4000),
                     help="Longest side, in pixels, that text detection sees (default: chosen "
                     "per page so that characters are about 19 px tall)."),
        click.option("--threads", type=click.IntRange(0, 256),
                     help="onnxruntime threads per engine (default: all cores)."),
        click.option("--engine", "--ocr-engine", "ocr_engine", metavar="NAME",
                     help="OCR engine: onnx (default), paddleocr (the official PaddleOCR "
                     "package, an extra), any installed engine's name, or module:factory."),
        click.option("--device", metavar="DEVICE",
                     help="cpu (default), cuda or cuda:N (needs the gpu extra, or PaddlePaddle's "
                     "GPU build for --engine paddleocr); exit 3 when it is not there."),
        click.option("--skip", multiple=True, type=click.Choice(PREPROCESS_STEPS),
                     help="Switch off a preprocessing step (repeatable)."),
        click.option("--pages", metavar="SPEC", callback=_parse_pages,
                     help="Only these pages of each PDF or image, e.g. 1-3,7 or 5- (to the "
                     "end); a page beyond an input's end fails that input (exit 2). Raw "
                     "text is converted whole."),
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
    shell_complete=_complete_formats,
    help="Comma-separated output formats: txt, tei, json, alto, page, hocr, pdf, html, or all.",
)
@click.option("--stdin-name", default="stdin", show_default=True, metavar="NAME",
              help="With INPUT '-' (standard input): the name of its outputs, NAME.txt...")
@click.option("--pdf-type", type=click.Choice(["pdfa", "pdf"]), default="pdfa",
              show_default=True,
              help="The searchable PDF (--to pdf): PDF/A-2b (a plain PDF, with a warning, "
              "when it cannot be), or a plain PDF.")
@click.option("--page-images", is_flag=True,
              help="Write each PDF page's image beside the outputs (PNG), the image the "
              "page formats' coordinates fit; image inputs are named as they are.")
@click.option("--from-list", type=click.Path(dir_okay=False, path_type=Path),
              help="A file listing inputs, one path per line (# comments allowed).")
@click.option("--include", multiple=True, help="Only files matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256),
              help="Worker processes (default: one per core).")
@click.option("--force", is_flag=True, help="Convert again inputs already converted.")
@click.option("--page-timeout", type=click.FloatRange(min=1, max=MAX_PAGE_TIMEOUT),
              default=300, show_default=True, callback=_a_number,
              help="Seconds one page (or any other stage of one input: opening, layout, "
              "structure, export) may take before its input is given up as failed.")
@click.option("--max-memory", type=click.IntRange(min=64), metavar="MB",
              help="Resident memory one worker may use before its input is given up "
              "(default: an equal share of 80% of this machine's memory).")
@click.option("--max-page-pixels", type=click.IntRange(min=1_000_000), metavar="N",
              help="Pixel budget of one page image: larger renders and images are reduced, "
              "with a warning (default 40000000).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where the work runs.")
@click.option("--scheduler", help="Dask scheduler address (with --executor dask), "
              "e.g. tcp://10.0.0.5:8786; default: a local cluster.")
@click.option("--cluster-timeout", type=click.FloatRange(min=1, max=86400), metavar="SECONDS",
              help="End the run (exit 4) when the Dask scheduler has not answered for this "
              "long; rerun to resume (default 60).")
@click.option("-q", "--quiet", is_flag=True, help="Only report errors; no progress, no summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="Report every input as it finishes, and show the libraries' log messages.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Append a log with times to this file: ours from DEBUG up, the libraries' "
              "from WARNING up (from DEBUG up with --verbose).")
@click.option("--dask-dashboard", metavar="ADDRESS",
              help="Start the local Dask cluster's dashboard at ADDRESS, e.g. 127.0.0.1:8787 "
              "(default: no dashboard).")
@conversion_options
def convert(
    inputs: tuple[Path, ...],
    outdir: Path,
    formats: tuple[str, ...],
    stdin_name: str,
    pdf_type: str,
    page_images: bool,
    from_list: Path | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    jobs: int | None,
    force: bool,
    page_timeout: float,
    max_memory: int | None,
    max_page_pixels: int | None,
    executor: str,
    scheduler: str | None,
    cluster_timeout: float | None,
    quiet: bool,
    verbose: bool,
    log_file: Path | None,
    dask_dashboard: str | None,
    **settings: Any,
) -> None:
    """Convert INPUT files or directories into OUTDIR/<name>.txt, .tei.xml and .json.

    INPUT is a PDF, an image (PNG, JPEG, TIFF, BMP, WebP), a raw .txt extraction, or a
    directory of them; "-" reads one from standard input into OUTDIR/NAME.* (--stdin-name).
    OUTDIR/report.jsonl records every input; running the same command again skips what is
    done. Exit status: 0 all converted, 1 some inputs failed (the others
    were still converted), 2 usage error, 3 missing model or dependency, 4 the Dask cluster
    was lost (rerun to resume), 130 interrupted.
    """
    from dataclasses import replace

    from bulletin_ocr.batch import Record, convert_batch
    from bulletin_ocr.batch.progress import Progress

    if not inputs and from_list is None:
        raise click.UsageError("give at least one INPUT or --from-list FILE")
    if any(str(path) == "-" for path in inputs):
        inputs = (_stdin_input(inputs, from_list, outdir, stdin_name),)
    _refuse_missing_inputs(inputs)
    _configure_logging(verbose, log_file)
    options = replace(_options_or_exit(settings), page_timeout=page_timeout, pdf_type=pdf_type)
    if max_page_pixels is not None:
        options = replace(options, max_page_pixels=max_page_pixels)
    progress = Progress(0, enabled=not quiet)

    finished = []

    def report(record: Record) -> None:
        finished.append(record)
        progress.advance(record)
        name = printable(record.path)
        if record.status == "error":
            progress.log(f"error: {name}: {printable(record.error or '')}")
        if record.status == "gone" and not quiet:
            stale = ", ".join(printable(p) for p in record.stale_outputs)
            progress.log(f"warning: {name}: {record.note}: {stale}")
        for warning in record.warnings:
            if not quiet:
                progress.log(f"warning: {name}: {printable(warning)}")
        if verbose and record.status in ("ok", "warning", "skipped"):
            why = f"; {printable(record.note)}" if record.note else ""
            progress.log(f"{record.status}: {name} ({record.pages} pages{why})")

    try:
        with _terminate_as_interrupt():
            result = convert_batch(
                inputs, outdir, formats=formats, options=options, jobs=jobs, force=force,
                include=include, exclude=exclude, from_list=from_list,
                executor=executor,  # type: ignore[arg-type]
                scheduler=scheduler, dask_dashboard=dask_dashboard,
                cluster_timeout=cluster_timeout, on_record=report,
                memory_limit=max_memory * 2**20 if max_memory else None,
                page_images=page_images, on_plan=progress.expect, on_page=progress.page,
            )
    except ClusterError as error:
        progress.close()
        _error(f"{error}; {len(finished)} input(s) finished and recorded; "
               "run the same command again to resume")
        _exit_at_once(int(error.exit_code))
    except BulletinOcrError as error:
        progress.close()
        _error(str(error))
        sys.exit(int(error.exit_code))
    except KeyboardInterrupt:
        progress.close()
        click.echo(
            f"interrupted: {len(finished)} input(s) finished and recorded; "
            "run the same command again to resume", err=True,
        )
        sys.exit(INTERRUPTED)
    progress.close()
    if not result.records:
        _error("no convertible inputs found")
    elif not quiet:
        click.echo(_summary(result, outdir), err=True)
    sys.exit(int(result.exit_code))


INTERRUPTED = 130  # the shell's code for a command stopped by SIGINT


def _stdin_input(
    inputs: tuple[Path, ...], from_list: Path | None, outdir: Path, name: str
) -> Path:
    """Standard input (INPUT ``-``) kept in OUTDIR/.bulletin-ocr/stdin/NAME.<kind>: the report
    names a file that stays, so a rerun with the same bytes is skipped as done, not reported
    gone. Its kind (PDF, image, else raw text) comes from its first bytes."""
    from bulletin_ocr.batch.outdir import STATE_NAME, safe_directory
    from bulletin_ocr.stdin_input import check_name, read_stdin, spool

    try:
        if len(inputs) > 1 or from_list is not None:
            raise UsageError("-", "standard input must be the only INPUT")
        check_name(name)
        data = read_stdin()
        outdir.mkdir(parents=True, exist_ok=True)
        return spool(data, safe_directory(outdir, Path(STATE_NAME, "stdin")), name)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(ExitCode.USAGE))
    except OSError as error:
        _error(f"{outdir}: cannot keep standard input there ({error.strerror or error})")
        sys.exit(int(ExitCode.USAGE))


def _refuse_missing_inputs(inputs: tuple[Path, ...]) -> None:
    """A command-line INPUT that does not exist is a typo: exit 2 before OUTDIR, a report or a
    catalogue is made (OCRmyPDF does the same). Entries of --from-list, and files that vanish
    during the run, are data: they get error records instead."""
    missing = [path for path in inputs if not os.path.lexists(path)]
    for path in missing:
        _error(f"{path}: no such file or directory")
    if missing:
        sys.exit(int(ExitCode.USAGE))


def _exit_at_once(code: int) -> NoReturn:
    """Exit without the interpreter's exit handlers: Dask's would close its client against a
    scheduler that no longer answers, with no deadline. The run's files are closed already."""
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (the terminal closed) stop a run the way Ctrl-C does: workers
    killed, one line, exit 130.

    A signal the run was started with ignored stays ignored, as Python leaves an ignored
    SIGINT: ``nohup`` ignores SIGHUP so that the run outlives its terminal, and a shell
    without job control ignores SIGINT in its ``&`` jobs (POSIX) so that Ctrl-C meant for
    the foreground does not stop them."""
    import signal

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    # SIGHUP does not exist on Windows.
    present = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    signals = [number for number in present if signal.getsignal(number) is not signal.SIG_IGN]
    try:
        previous = {number: signal.signal(number, interrupt) for number in signals}
    except ValueError:  # not the main thread (the CLI run from a test's thread)
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _configure_logging(verbose: bool, log_file: Path | None) -> None:
    from bulletin_ocr.logs import LogSettings, configure_logging

    try:
        configure_logging(LogSettings(verbose=verbose, log_file=log_file))
    except OSError as error:
        _error(f"{log_file}: cannot open the log file ({error.strerror or error})")
        sys.exit(int(ExitCode.USAGE))


def _summary(result: Any, outdir: Path) -> str:
    skipped = [record for record in result.records if record.status == "skipped"]
    rows = [
        ("converted", result.count("ok")),
        ("with warnings", result.count("warning")),
        ("failed", result.count("error")),
        ("skipped (done before)", sum(1 for r in skipped if not r.note)),
        # A file of no input kind (.docx, .ofd), a FIFO, a second name: its record says why.
        ("skipped (not inputs)", sum(1 for r in skipped if r.note)),
        ("inputs gone", result.count("gone")),
    ]
    lines = [f"{label:<22}{count:>7}" for label, count in rows]
    lines.append(f"{'pages':<22}{result.pages:>7}")
    lines.append(f"report: {printable(str(outdir / 'report.jsonl'))}")
    return "\n".join(lines)


def _options_or_exit(settings: dict[str, Any]) -> Any:
    try:
        return _conversion_options(**settings)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))


@cli.command()
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              is_eager=True, callback=_read_config,
              help="TOML config file naming your own model directories.")
def models(config: Any) -> None:
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
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--explain", is_flag=True,
              help="Print, block by block, which cues made it a masthead, headline, attribution.")
@conversion_options
def repair(file: Path, explain: bool, **settings: Any) -> None:
    """Print the clean text of one FILE (raw extraction, PDF or image) to stdout.

    FILE "-" reads standard input: a PDF or an image (told by its first bytes), else a raw
    text extraction.
    """
    from bulletin_ocr.api import convert as convert_file
    from bulletin_ocr.export.text import render_text

    options = _options_or_exit(settings)
    try:
        if str(file) == "-":
            document = _document_from_stdin(options)
        else:
            document = convert_file(file, options)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))
    if explain:
        click.echo(_explanation(document))
    else:
        click.echo(render_text(document), nl=False)


def _document_from_stdin(options: Any) -> Any:
    """Standard input's document; errors name ``<stdin>``, not the file it was kept in."""
    import tempfile

    from bulletin_ocr.api import convert as convert_file
    from bulletin_ocr.api import convert_bytes
    from bulletin_ocr.stdin_input import spool, suffix_for

    data = sys.stdin.buffer.read()
    if suffix_for(data) == ".txt":
        return convert_bytes(data, "<stdin>", decider=options.decider)
    with tempfile.TemporaryDirectory(prefix="bulletin-ocr-") as folder:
        path = spool(data, Path(folder), "stdin")
        try:
            return convert_file(path, options, source="<stdin>")
        except BulletinOcrError as error:
            if error.path != str(path):
                raise
            raise type(error)("<stdin>", error.problem) from error


def _explanation(document: Any) -> str:
    """One row per block: its role, its lines, the cues that decided it, and its text."""
    texts = {line.id: line.text for page in document.pages for line in page.lines}
    rows = []
    for decision in document.explain:
        # A ruled table is decided from its drawn borders, not from lines: it has none.
        first, last = (decision.lines[0], decision.lines[-1]) if decision.lines else ("-", "-")
        where = first if first == last else f"{first}-{last}"
        text = "".join(texts.get(i, "") for i in decision.lines).replace(" ", "")
        cues = ", ".join(decision.cues) or "-"
        rows.append(f"{decision.role:<16} {where:<12} [{cues}] {text[:24]}")
    return "\n".join(rows)


def _utf8_streams() -> None:
    """Chinese text on any console: UTF-8 whatever the locale says, never an encoding crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # not when a test harness replaced it
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main() -> None:
    _utf8_streams()
    cli()
