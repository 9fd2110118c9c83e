"""bulletin-ocr: Chinese government bulletins to clean text, TEI P5 and JSON."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "convert", "convert_text"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import bulletin_ocr` (and the CLI's --help) pulls in nothing heavy.
    if name in ("convert", "convert_text"):
        from bulletin_ocr import api

        return getattr(api, name)
    raise AttributeError(name)
