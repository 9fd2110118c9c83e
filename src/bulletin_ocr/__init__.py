"""bulletin-ocr: Chinese government bulletins to clean text, TEI P5 and JSON."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["ConvertOptions", "__version__", "convert", "convert_batch", "convert_text"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import bulletin_ocr` (and the CLI's --help) pulls in nothing heavy.
    if name in ("convert", "convert_text"):
        from bulletin_ocr import api

        return getattr(api, name)
    if name == "convert_batch":
        from bulletin_ocr.batch import convert_batch

        return convert_batch
    if name == "ConvertOptions":
        from bulletin_ocr.pipeline import ConvertOptions

        return ConvertOptions
    raise AttributeError(name)
