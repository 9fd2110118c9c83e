"""OCR engines by name: the built-in ones and any installed package's, through entry points.

An engine is an :class:`EngineSpec` that a package names in its metadata under the entry point
group ``bulletin_ocr.engines`` (this package registers its own the same way, in
pyproject.toml), as OCRmyPDF's plugins and docling's OCR factory do::

    [project.entry-points."bulletin_ocr.engines"]
    mine = "my_package.engine:ENGINE"

``--engine mine`` then creates it, with the generic options (device, threads, model folders)
and its own config section ``[ocr.mine]`` checked against ``ENGINE.options``. Pipeline and
layout code never name an engine: layout reads the engine's declared box geometry.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bulletin_ocr.errors import MissingDependencyError, UsageError
from bulletin_ocr.ocr import BoxGeometry, OcrEngine, OcrOptions

ENTRY_POINT_GROUP = "bulletin_ocr.engines"

# Names that earlier versions used for the built-in engine, still accepted.
ALIASES = {"paddle": "onnx"}


@dataclass(frozen=True)
class EngineSpec:
    """What an engine declares about itself."""

    name: str
    summary: str
    """One line for error messages and the README."""
    options: type[BaseModel]
    """The engine's own options: the model of its config section ``[ocr.<name>]`` (strict,
    unknown keys refused: subclass :class:`EngineSettings`)."""
    create: Callable[[OcrOptions, Any], OcrEngine]
    """Builds the engine from the generic options and its own (an ``options`` instance)."""
    geometry: BoxGeometry
    requires: tuple[str, ...] = ()
    """Modules the engine imports that an ordinary install may lack (checked up front)."""
    install: str = ""
    """How to install them, for the error message."""
    check_device: Callable[[OcrOptions, Any], None] | None = None
    """Raises MissingDependencyError when the engine cannot run with these options on
    ``OcrOptions.device`` (called with the generic options and the engine's own, whatever
    the device, before any input is read); None: the engine runs on the CPU only."""


class EngineSettings(BaseModel):
    """The base of engines' options models: TOML's own types, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def engine_names() -> list[str]:
    """Every registered engine's name, sorted."""
    return sorted(_registered())


def find_engine(name: str) -> EngineSpec | None:
    """The registered engine called ``name`` (or one of its old names), else None."""
    entry = _registered().get(ALIASES.get(name, name))
    if entry is None:
        return None
    spec = entry.load()
    if not isinstance(spec, EngineSpec):
        raise MissingDependencyError(
            name, f"entry point {entry.value} in {ENTRY_POINT_GROUP} is not an EngineSpec"
        )
    return spec


def engine_spec(name: str) -> EngineSpec:
    """The registered engine called ``name``, or a UsageError that lists the known ones."""
    spec = find_engine(name)
    if spec is None:
        known = ", ".join(engine_names())
        raise UsageError(
            "--engine", f"unknown OCR engine {name!r} (known: {known}; or module:factory)"
        )
    return spec


def _registered() -> dict[str, Any]:
    from importlib.metadata import entry_points

    return {entry.name: entry for entry in entry_points(group=ENTRY_POINT_GROUP)}


DEVICE = re.compile(r"cpu|cuda(?::(\d{1,3}))?")


def parse_device(device: str) -> tuple[str, int]:
    """("cpu", 0) or ("cuda", N) from "cpu", "cuda" or "cuda:N".

    >>> parse_device("cuda:1"), parse_device("cuda"), parse_device("cpu")
    (('cuda', 1), ('cuda', 0), ('cpu', 0))
    """
    match = DEVICE.fullmatch(device)
    if match is None:
        raise UsageError("--device", f"unknown device {device!r}; use cpu, cuda or cuda:N")
    return ("cpu", 0) if device == "cpu" else ("cuda", int(match.group(1) or 0))


def check_options(options: OcrOptions) -> None:
    """Fail before any input is read when the engine is unknown, its config section is wrong,
    or it cannot run on the device (UsageError, exit 2; MissingDependencyError, exit 3)."""
    if ":" in options.engine:
        return  # module:factory engines are checked when first created
    spec = engine_spec(options.engine)
    settings = engine_options(spec, options)
    _check_requirements(spec)
    kind, _ = parse_device(options.device)
    if spec.check_device is not None:
        spec.check_device(options, settings)
    elif kind != "cpu":
        raise MissingDependencyError(
            "--device", f"the {spec.name} engine runs on the CPU only, not on {options.device}"
        )


def _check_requirements(spec: EngineSpec) -> None:
    from importlib.util import find_spec

    missing = [module for module in spec.requires if find_spec(module) is None]
    if missing:
        raise MissingDependencyError(
            f"--engine {spec.name}", f"needs {', '.join(missing)}, not installed: {spec.install}"
        )


def engine_options(spec: EngineSpec, options: OcrOptions) -> Any:
    """The engine's own options, from its config section; a UsageError says what is wrong."""
    try:
        return spec.options.model_validate(options.section(spec.name))
    except ValidationError as error:
        detail = error.errors()[0]
        key = ".".join(str(part) for part in detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        raise UsageError(f"[ocr.{spec.name}]", f"{key}: {message}" if key else message) from error


_ENGINES: dict[OcrOptions, OcrEngine] = {}
_GEOMETRY: dict[OcrOptions, BoxGeometry] = {}
_CREATING = threading.Lock()


def get_engine(options: OcrOptions) -> OcrEngine:
    """The process's engine for ``options``: model loading happens only the first time."""
    with _CREATING:  # Dask runs tasks in threads: one engine per process all the same
        engine = _ENGINES.get(options)
        if engine is None:
            engine = _create(options)
            _ENGINES[options] = engine
    return engine


def geometry(options: OcrOptions) -> BoxGeometry:
    """The box geometry of the engine ``options`` name (layout reads type size by it)."""
    found = _GEOMETRY.get(options)
    if found is None:
        if ":" in options.engine:  # an engine of your own may declare it as an attribute
            declared = getattr(get_engine(options), "geometry", None)
            found = declared if isinstance(declared, BoxGeometry) else _default_geometry()
        else:
            found = engine_spec(options.engine).geometry
        _GEOMETRY[options] = found
    return found


def _default_geometry() -> BoxGeometry:
    """PP-OCR's boxes: engines of the module:factory kind were written against them."""
    return engine_spec("onnx").geometry


def _create(options: OcrOptions) -> OcrEngine:
    if ":" in options.engine:
        return _factory_engine(options)
    check_options(options)
    spec = engine_spec(options.engine)
    return spec.create(options, engine_options(spec, options))


def _factory_engine(options: OcrOptions) -> OcrEngine:
    """``module:factory``: the factory is called with the options, returns an OcrEngine."""
    import importlib

    module_name, _, attribute = options.engine.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise MissingDependencyError(
            options.engine,
            f"cannot load OCR engine ({error}); use a registered name "
            f"({', '.join(engine_names())}) or 'module:factory'",
        ) from error
    engine: OcrEngine = factory(options)
    return engine
