"""The command line: parse options, call the API, map errors to exit codes.

The only module that prints or exits. Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

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


def _expand(inputs: Sequence[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield (file, output stem relative to OUTDIR); directories mirror their tree."""
    from bulletin_ocr.api import SUPPORTED_SUFFIXES

    for given in inputs:
        if given.is_dir():
            for path in sorted(given.rglob("*")):
                if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield path, path.relative_to(given).with_suffix("")
        else:
            yield given, Path(given.stem)


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bulletin-ocr")
def cli() -> None:
    """Turn Chinese government bulletins into clean text, TEI P5 and JSON."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the results (created if missing).",
)
@click.option(
    "--to",
    "formats",
    default="txt,tei,json",
    show_default=True,
    callback=_parse_formats,
    help="Comma-separated output formats: txt, tei, json.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only report errors.")
def convert(inputs: tuple[Path, ...], outdir: Path, formats: tuple[str, ...], quiet: bool) -> None:
    """Convert INPUT files or directories into OUTDIR/<name>.txt, .tei.xml and .json.

    Exit status: 0 all converted, 1 some inputs failed (the others were still converted),
    2 usage error, 3 missing model or dependency.
    """
    from bulletin_ocr.api import convert as convert_file
    from bulletin_ocr.export import write_outputs

    failed = converted = 0
    worst = ExitCode.OK
    used: set[Path] = set()
    for path, stem in _expand(inputs):
        if stem in used:
            # a.txt and a.pdf given together: keep both, named by their full file names.
            click.echo(f"warning: {path}: another input is also named {stem}", err=True)
            stem = stem.with_name(path.name)
        used.add(stem)
        try:
            document = convert_file(path)
            target = outdir / stem.parent
            write_outputs(document, target, stem.name, formats)
        except BulletinOcrError as error:
            _error(str(error))
            failed += 1
            worst = max(worst, error.exit_code)
            continue
        except OSError as error:
            _error(f"{path}: cannot write results ({error.strerror or error})")
            failed += 1
            worst = max(worst, ExitCode.INPUT_FAILED)
            continue
        converted += 1
        for warning in document.warnings:
            click.echo(f"warning: {path}: {warning}", err=True)
    if not quiet:
        click.echo(f"converted {converted} of {converted + failed} inputs into {outdir}", err=True)
    if converted + failed == 0:
        _error("no convertible inputs found")
        worst = ExitCode.INPUT_FAILED
    sys.exit(int(worst))


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
def repair(file: Path) -> None:
    """Print the clean text of one raw extraction FILE to stdout."""
    from bulletin_ocr.api import convert as convert_file
    from bulletin_ocr.export.text import render_text

    try:
        document = convert_file(file)
    except BulletinOcrError as error:
        _error(str(error))
        sys.exit(int(error.exit_code))
    click.echo(render_text(document), nl=False)


def main() -> None:
    cli()
