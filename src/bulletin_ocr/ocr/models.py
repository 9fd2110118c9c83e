"""Model resolution: the manifest's weights, checked by sha256, as PaddleOCR model directories.

PaddleOCR loads a model from a directory holding ``inference.onnx`` and ``inference.yml``.
The default models' weights ship inside the ``rapidocr`` wheel; this module finds them, checks
them against ``models/manifest.json``, and assembles the directories PaddleOCR expects in a
cache directory. Users can name official PaddleOCR model directories instead.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from importlib import util as import_util
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bulletin_ocr.checksums import sha256_of
from bulletin_ocr.errors import MissingDependencyError

MANIFEST_NAME = "manifest.json"
_FIX_DEFAULT = "reinstall the package that ships it: pip install --force-reinstall rapidocr==3.10.0"


@dataclass(frozen=True)
class ModelSpec:
    """One manifest entry."""

    name: str
    role: str
    version: str
    package: str
    package_version: str
    file: str
    sha256: str
    inference_yml: dict[str, Any]
    character_key: str | None = None


@dataclass(frozen=True)
class ResolvedModel:
    """A model directory ready for PaddleOCR, and where its weights came from."""

    name: str
    role: str
    version: str
    directory: Path
    weights: Path
    sha256: str | None
    """None for a user's own directory, which we do not check against the manifest."""
    settings: dict[str, Any] | None = None
    """The manifest's inference.yml for this model, so it need not be parsed back (the
    recogniser's file holds 18,000 characters, a second or more to read as YAML)."""
    character_key: str | None = None
    """The ONNX metadata key holding the character list, when the manifest says so."""

    def onnx_file(self) -> Path:
        """The ONNX model onnxruntime loads (``inference.onnx`` in the directory)."""
        path = self.directory / "inference.onnx"
        if not path.is_file():
            raise MissingDependencyError(
                str(self.directory),
                f"{self.role} model has no inference.onnx (Paddle-format models need "
                "exporting with paddle2onnx first)",
            )
        return path

    def config(self) -> dict[str, Any]:
        """The model's inference.yml: pre- and post-processing settings."""
        if self.settings is not None:
            return self.settings
        import yaml

        text = (self.directory / "inference.yml").read_text(encoding="utf-8")
        # libyaml's loader reads a recogniser's character list ~7x faster than pure Python.
        loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return loaded if isinstance(loaded, dict) else {}


def manifest_path() -> Path:
    """The manifest: next to a source checkout, or in the install's share/ directory."""
    override = os.environ.get("BULLETIN_OCR_MANIFEST")
    candidates = [Path(override)] if override else []
    candidates += [
        Path(__file__).resolve().parents[3] / "models" / MANIFEST_NAME,
        Path(sys.prefix) / "share" / "bulletin-ocr" / "models" / MANIFEST_NAME,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise MissingDependencyError(
        str(candidates[0]), "model manifest not found (reinstall bulletin-ocr)"
    )


def load_manifest(path: Path | None = None) -> list[ModelSpec]:
    path = path or manifest_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        ModelSpec(
            name=entry["name"],
            role=entry["role"],
            version=entry["version"],
            package=entry["source"]["package"],
            package_version=entry["source"]["version"],
            file=entry["source"]["file"],
            sha256=entry["sha256"],
            inference_yml=entry["inference_yml"],
            character_key=entry.get("character_dict_from_onnx_metadata"),
        )
        for entry in data["models"]
    ]


def cache_dir() -> Path:
    """Where assembled model directories live (``BULLETIN_OCR_CACHE`` overrides)."""
    override = os.environ.get("BULLETIN_OCR_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bulletin-ocr"


def weights_path(spec: ModelSpec) -> Path:
    """Where the installed package keeps the weights (without importing the package)."""
    found = import_util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise MissingDependencyError(
            spec.name, f"package {spec.package} is not installed: pip install "
            f"{spec.package}=={spec.package_version}"
        )
    return Path(next(iter(found.submodule_search_locations))) / spec.file


def verify(spec: ModelSpec) -> Path:
    """The weights file, after checking it exists and matches the manifest's sha256."""
    path = weights_path(spec)
    if not path.is_file():
        raise MissingDependencyError(str(path), f"model {spec.name} is missing; {_FIX_DEFAULT}")
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise MissingDependencyError(
            str(path),
            f"model {spec.name} is corrupt (sha256 {actual[:12]}…, expected "
            f"{spec.sha256[:12]}…); {_FIX_DEFAULT}",
        )
    return path


def _inference_yml(spec: ModelSpec, weights: Path) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(json.dumps(spec.inference_yml))  # a deep copy
    if spec.character_key:
        import onnxruntime

        session = onnxruntime.InferenceSession(str(weights), providers=["CPUExecutionProvider"])
        characters = session.get_modelmeta().custom_metadata_map.get(spec.character_key)
        if not characters:
            raise MissingDependencyError(
                str(weights), f"model {spec.name} carries no character list; {_FIX_DEFAULT}"
            )
        config["PostProcess"]["character_dict"] = characters.split("\n")
    return config


def assemble(spec: ModelSpec, root: Path | None = None) -> ResolvedModel:
    """A PaddleOCR model directory for ``spec`` in the cache, built once and reused."""
    weights = verify(spec)
    directory = (root or cache_dir()) / "models" / f"{spec.name}-{spec.sha256[:12]}"
    config_path = directory / "inference.yml"
    model_path = directory / "inference.onnx"
    if not (config_path.is_file() and model_path.exists()):
        import yaml

        directory.mkdir(parents=True, exist_ok=True)
        staging = directory / f".inference.yml.{os.getpid()}"
        try:
            staging.write_text(
                yaml.safe_dump(_inference_yml(spec, weights), allow_unicode=True),
                encoding="utf-8",
            )
            _link_weights(model_path, weights)
            os.replace(staging, config_path)  # written last: its presence means complete
        finally:
            staging.unlink(missing_ok=True)
    return ResolvedModel(
        spec.name, spec.role, spec.version, directory, weights, spec.sha256,
        settings=spec.inference_yml, character_key=spec.character_key,
    )


def _link_weights(model_path: Path, weights: Path) -> None:
    """Make ``model_path`` lead to ``weights`` unless it already leads to a file.

    The cache is shared by every environment of the user: a link into a virtual environment
    that was deleted since dangles, and must be replaced, not written through (which failed
    every recognition with FileNotFoundError). Replaced atomically, for processes reading it.
    """
    if model_path.exists():
        return
    temporary = model_path.with_name(f".inference.onnx.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        temporary.symlink_to(weights)
    except OSError:  # filesystems without symlinks get a copy
        import shutil

        shutil.copyfile(weights, temporary)
    os.replace(temporary, model_path)


def user_model(directory: Path, role: str) -> ResolvedModel:
    """An official PaddleOCR model directory the user points at."""
    config = directory / "inference.yml"
    weights = next(
        (directory / name for name in ("inference.onnx", "inference.json", "inference.pdmodel")
         if (directory / name).is_file()),
        None,
    )
    if not config.is_file() or weights is None:
        raise MissingDependencyError(
            str(directory),
            f"not a PaddleOCR {role} model directory (needs inference.yml and inference.onnx)",
        )
    import yaml

    name = yaml.safe_load(config.read_text(encoding="utf-8")).get("Global", {}).get("model_name")
    return ResolvedModel(str(name or directory.name), role, "user", directory, weights, None)


def default_models() -> dict[str, ResolvedModel]:
    """The manifest's models by role, assembled and verified."""
    return {spec.role: assemble(spec) for spec in load_manifest()}


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
