"""The config file (TOML): a typed model of every key, checked at start-up.

```toml
[convert]                # defaults for the convert command's options
jobs = 4
formats = ["txt", "json"]
force_ocr = false

[ocr]
engine = "onnx"          # or "paddleocr", or any installed engine's name
device = "cpu"           # or "cuda", "cuda:1"
det_model_dir = "/models/PP-OCRv5_server_det"   # official PaddleOCR model directories
rec_model_dir = "/models/PP-OCRv5_server_rec"
det_limit_side_len = 960
threads = 2

[ocr.onnx]               # the onnx engine's own settings (PaddleOCR's names)
text_det_thresh = 0.3

[ocr.paddleocr]          # the paddleocr engine's own settings
use_textline_orientation = true

[preprocess]
denoise = false
target_dpi = 300
```
A key left out keeps its built-in default; command-line options win over the file. A wrong
type, a value out of range, or an unknown key or section is a UsageError naming the file, the
key and what is expected. Without ``--config``, ``$BULLETIN_OCR_CONFIG`` or ``config.toml`` in
:func:`click.get_app_dir` ("bulletin-ocr") is read when it exists.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

from bulletin_ocr.errors import UsageError
from bulletin_ocr.pipeline import ConvertOptions
from bulletin_ocr.timeouts import MAX_PAGE_TIMEOUT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

APP_NAME = "bulletin-ocr"


def _expand_user(path: Path) -> Path:
    return path.expanduser()


# TOML has no path type: a string, with ~ expanded.
UserPath = Annotated[Path, Field(strict=False), AfterValidator(_expand_user)]


class _Section(BaseModel):
    """Strict: TOML's own types only ("2" is not a number); unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ConvertSection(_Section):
    """[convert]: defaults for the options of ``bulletin-ocr convert``."""

    formats: list[str] | None = Field(
        None, min_length=1, description="a non-empty list of output format names")
    jobs: int | None = Field(None, ge=1, le=256, description="an integer from 1 to 256")
    page_timeout: float | None = Field(
        None, ge=1, le=MAX_PAGE_TIMEOUT, allow_inf_nan=False,
        description=f"a number of seconds from 1 to {MAX_PAGE_TIMEOUT:.0f}")
    max_memory: int | None = Field(None, ge=64, description="a number of megabytes ≥ 64")
    max_page_pixels: int | None = Field(
        None, ge=1_000_000, description="a number of pixels ≥ 1000000")
    executor: Literal["local", "dask"] | None = Field(None, description='"local" or "dask"')
    scheduler: str | None = Field(None, description="a Dask scheduler address (a string)")
    dask_dashboard: str | None = Field(
        None, description='a dashboard address for a local Dask cluster, e.g. "127.0.0.1:8787"')
    cluster_timeout: float | None = Field(
        None, ge=1, le=86400, description="a number of seconds from 1 to 86400")
    include: list[str] | None = Field(None, description="a list of glob patterns")
    exclude: list[str] | None = Field(None, description="a list of glob patterns")
    force: bool | None = Field(None, description="true or false")
    quiet: bool | None = Field(None, description="true or false")
    verbose: bool | None = Field(None, description="true or false")
    log_file: UserPath | None = Field(None, description="a file path (a string)")
    password: str | None = Field(None, description="a string")
    use_ocr: bool | None = Field(None, description="true or false")
    force_ocr: bool | None = Field(None, description="true or false")
    pdf_type: Literal["pdfa", "pdf"] | None = Field(None, description='"pdfa" or "pdf"')
    pdf_reader: Literal["pdfium", "pdfplumber"] | None = Field(
        None, description='"pdfium" or "pdfplumber"')
    decider: Literal["auto", "rules", "crf"] | None = Field(
        None, description='"auto", "rules" or "crf"')

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        known: tuple[str, ...] = (info.context or {}).get("formats") or ()
        unknown = [name for name in value or () if known and name not in known]
        if unknown:
            raise ValueError(f"unknown format {', '.join(unknown)}; known: {', '.join(known)}")
        return value


class OcrSection(_Section):
    """[ocr]: the engine, the device, the models; each engine's own settings in its own
    table ``[ocr.<engine>]`` (checked against that engine's options model)."""

    # Engine tables are named after the engines installed: they are checked in read_config.
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    engine: str | None = Field(
        None, description='an engine name ("onnx", "paddleocr", ...) or "module:factory"')
    device: str | None = Field(None, description='"cpu", "cuda" or "cuda:N" (a string)')
    det_model_dir: UserPath | None = Field(None, description="a directory path (a string)")
    rec_model_dir: UserPath | None = Field(None, description="a directory path (a string)")
    det_limit_side_len: int | None = Field(
        None, ge=320, le=4000, description="an integer from 320 to 4000")
    rec_batch_size: int | None = Field(None, ge=1, le=256, description="an integer from 1 to 256")
    threads: int | None = Field(None, ge=0, le=256, description="an integer from 0 to 256")

    def engine_tables(self) -> dict[str, dict[str, object]]:
        """The [ocr.<engine>] tables, by engine name."""
        return dict(self.model_extra or {})


class PreprocessSection(_Section):
    """[preprocess]: which page-image steps run, and the resolution they aim for."""

    orientation: bool | None = Field(None, description="true or false")
    deskew: bool | None = Field(None, description="true or false")
    illumination: bool | None = Field(None, description="true or false")
    show_through: bool | None = Field(None, description="true or false")
    denoise: bool | None = Field(None, description="true or false")
    normalize_resolution: bool | None = Field(None, description="true or false")
    target_dpi: int | None = Field(None, ge=50, le=1200, description="an integer from 50 to 1200")
    max_pixels: int | None = Field(None, ge=1_000_000, description="an integer ≥ 1000000")


class ConfigFile(_Section):
    """The whole file; every section may be left out."""

    convert: ConvertSection = Field(ConvertSection(), description="a table")
    ocr: OcrSection = Field(OcrSection(), description="a table")
    preprocess: PreprocessSection = Field(PreprocessSection(), description="a table")


def default_config_path() -> Path | None:
    """$BULLETIN_OCR_CONFIG, else the platform's config folder's file when it exists.

    Linux ~/.config/bulletin-ocr/config.toml ($XDG_CONFIG_HOME respected), macOS
    ~/Library/Application Support/bulletin-ocr/config.toml, Windows
    %APPDATA%\\bulletin-ocr\\config.toml.
    """
    override = os.environ.get("BULLETIN_OCR_CONFIG")
    if override:
        return Path(override)
    import click

    path = Path(click.get_app_dir(APP_NAME)) / "config.toml"
    return path if path.is_file() else None


def read_config(path: Path, formats: tuple[str, ...] = ()) -> ConfigFile:
    """Parse and check the file; ``formats`` are the output format names it may list."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        problem = f"cannot read config file ({error.strerror or error})"
        raise UsageError(str(path), problem) from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(str(path), f"invalid TOML ({error})") from error
    except RecursionError as error:  # tomllib parses nested arrays and tables recursively
        raise UsageError(str(path), TOO_DEEP) from error
    try:
        config = ConfigFile.model_validate(data, context={"formats": formats})
    except ValidationError as error:
        raise UsageError(str(path), describe_error(error.errors()[0])) from error
    except RecursionError as error:
        raise UsageError(str(path), TOO_DEEP) from error
    for name, table in config.ocr.engine_tables().items():
        wrong = engine_table_problem(name, table)
        if wrong:
            raise UsageError(str(path), wrong)
    return config


def engine_table_problem(name: str, table: object) -> str | None:
    """What is wrong with the [ocr.<name>] table, in one line; None when nothing is."""
    from bulletin_ocr.ocr.registry import engine_names, find_engine

    if not isinstance(table, dict):
        known = ", ".join(OcrSection.model_fields)
        return f"[ocr] {name}: unknown key (known: {known}, or an engine's table [ocr.NAME])"
    spec = find_engine(name)
    if spec is None:
        known = ", ".join(engine_names())
        return f"[ocr.{name}]: unknown engine section (engines installed: {known})"
    try:
        spec.options.model_validate(table)
    except ValidationError as error:
        return describe_error(error.errors()[0], ("ocr", spec.name), spec.options)
    return None


TOO_DEEP = "invalid TOML (arrays or tables nested too deeply)"


def describe_error(
    error: ErrorDetails, prefix: tuple[str, ...] = (), table: type[BaseModel] | None = None
) -> str:
    """One line: where in the file, and what was expected there.

    >>> describe_error({"type": "int_type", "loc": ("convert", "jobs"), "msg": "",
    ...                 "input": "two"})
    '[convert] jobs: expected an integer from 1 to 256, got "two"'
    >>> describe_error({"type": "extra_forbidden", "loc": ("paddle",), "msg": "", "input": {}})
    '[paddle]: unknown section (known: convert, ocr, preprocess)'

    ``prefix`` and ``table`` locate an error found in a table of its own (an engine's
    [ocr.<name>], checked against ``table``).
    """
    location = [str(part) for part in error["loc"]]
    if prefix:
        section, keys = ".".join(prefix), location
    else:
        section, keys = location[0], location[1:]
        table = _SECTIONS.get(section, ConfigFile)
    assert table is not None
    if prefix and not keys:  # a check of the whole table
        return f"[{section}]: {error['msg'].removeprefix('Value error, ')}"
    if error["type"] == "extra_forbidden":
        if not keys:
            return f"[{section}]: unknown section (known: {', '.join(ConfigFile.model_fields)})"
        known = ", ".join(table.model_fields)
        return f"[{section}] {'.'.join(keys)}: unknown key (known: {known})"
    if keys and keys[-1] in table.model_fields:
        expected = table.model_fields[keys[-1]].description
    else:
        expected = ConfigFile.model_fields[section].description
    if error["type"] == "value_error":  # a check of our own says what is wrong exactly
        expected = f"{expected} ({error['msg'].removeprefix('Value error, ')})"
    value = error["input"]
    # TOML spells the infinite and undefined numbers inf and nan (JSON: Infinity, NaN).
    finite = not isinstance(value, float) or math.isfinite(value)
    got = json.dumps(value, ensure_ascii=False, default=str) if finite else repr(value)
    where = f"[{section}] {'.'.join(keys)}" if keys else f"[{section}]"
    return f"{where}: expected {expected}, got {got}"


_SECTIONS: dict[str, type[_Section]] = {
    "convert": ConvertSection,
    "ocr": OcrSection,
    "preprocess": PreprocessSection,
}


def options_from_config(config: ConfigFile) -> ConvertOptions:
    """Conversion options: the file's values over the built-in defaults."""
    options = ConvertOptions()
    tables = config.ocr.engine_tables()
    ocr = config.ocr.model_dump(exclude_none=True, exclude=set(tables))
    sections = tuple(sorted((name, tuple(sorted(table.items()))) for name, table in tables.items()
                            if isinstance(table, dict)))
    preprocess = config.preprocess.model_dump(exclude_none=True)
    convert = config.convert.model_dump(
        exclude_none=True,
        include={
            "use_ocr", "force_ocr", "password", "page_timeout", "max_page_pixels", "pdf_type",
            "pdf_reader", "decider",
        },
    )
    return replace(
        options,
        ocr=replace(options.ocr, **ocr, sections=sections),
        preprocess=replace(options.preprocess, **preprocess),
        **convert,
    )
