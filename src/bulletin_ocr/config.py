"""The config file (TOML): OCR models and settings, preprocessing switches, conversion defaults.

```toml
[ocr]
det_model_dir = "/models/PP-OCRv5_server_det"   # official PaddleOCR model directories
rec_model_dir = "/models/PP-OCRv5_server_rec"
det_limit_side_len = 960
rec_batch_size = 8
threads = 2

[ocr.paddleocr]          # passed to paddleocr.PaddleOCR as keyword arguments
text_det_thresh = 0.3

[preprocess]
deskew = true
denoise = false
target_dpi = 300

[convert]
force_ocr = false
```
Command-line options win over the file. Without ``--config``, ``$BULLETIN_OCR_CONFIG`` or
``~/.config/bulletin-ocr/config.toml`` is read when it exists.
"""

from __future__ import annotations

import os
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from bulletin_ocr.errors import UsageError
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.pipeline import ConvertOptions
from bulletin_ocr.preprocess import PreprocessOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def default_config_path() -> Path | None:
    override = os.environ.get("BULLETIN_OCR_CONFIG")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "bulletin-ocr" / "config.toml"
    return path if path.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except OSError as error:
        problem = f"cannot read config file ({error.strerror or error})"
        raise UsageError(str(path), problem) from error
    except tomllib.TOMLDecodeError as error:
        raise UsageError(str(path), f"invalid TOML ({error})") from error


def options_from_config(config: dict[str, Any], source: str) -> ConvertOptions:
    """Build conversion options from a parsed config file, rejecting unknown keys."""
    unknown_sections = set(config) - {"ocr", "preprocess", "convert"}
    if unknown_sections:
        raise UsageError(source, f"unknown section(s): {', '.join(sorted(unknown_sections))}")
    ocr_section = dict(config.get("ocr", {}))
    extra = ocr_section.pop("paddleocr", {})
    for key in ("det_model_dir", "rec_model_dir"):
        if ocr_section.get(key):
            ocr_section[key] = Path(os.path.expanduser(ocr_section[key]))
    ocr = _build(OcrOptions, ocr_section, f"{source} [ocr]")
    ocr = replace(ocr, extra=tuple(sorted(extra.items())))
    preprocess = _build(PreprocessOptions, config.get("preprocess", {}), f"{source} [preprocess]")
    convert = dict(config.get("convert", {}))
    allowed = {"use_ocr", "force_ocr", "password"}
    unknown = sorted(set(convert) - allowed)
    if unknown:
        raise UsageError(source, f"unknown key(s) in [convert]: {', '.join(unknown)}")
    return ConvertOptions(ocr=ocr, preprocess=preprocess, **convert)


def _build(kind: Any, values: dict[str, Any], where: str) -> Any:
    names = {f.name for f in fields(kind)} - {"extra"}
    unknown = set(values) - names
    if unknown:
        raise UsageError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    return kind(**values)
