"""Export stage: render a Document as clean text, TEI or JSON and write the files atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.export.files import write_file_set
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document

__all__ = [
    "FORMATS", "Exporter", "render_json", "render_outputs", "render_tei", "render_text",
    "write_outputs",
]


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    render: Callable[[Document], bytes]


def _render_text_bytes(doc: Document) -> bytes:
    return render_text(doc).encode("utf-8")


FORMATS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("txt", ".txt", _render_text_bytes),
        Exporter("tei", ".tei.xml", render_tei),
        Exporter("json", ".json", render_json),
    )
}


def render_outputs(doc: Document, formats: Sequence[str]) -> dict[str, bytes]:
    """Each format's bytes, keyed by its file suffix, in the order given (duplicates once).

    Raises ValueError, before rendering anything, when a format is unknown.
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    return {FORMATS[name].suffix: FORMATS[name].render(doc) for name in dict.fromkeys(formats)}


def write_outputs(
    doc: Document,
    outdir: Path,
    stem: str,
    formats: Sequence[str],
    staging: Path | None = None,
) -> list[Path]:
    """Write ``outdir/<stem><suffix>`` for each format, in the order given; return the paths.

    Everything is rendered before anything is written, and the files are installed as a set
    (see ``write_file_set``): a rendering error or a full disk leaves no partial set.
    """
    rendered = render_outputs(doc, formats)
    outdir.mkdir(parents=True, exist_ok=True)
    files = {f"{stem}{suffix}": data for suffix, data in rendered.items()}
    return write_file_set(outdir, files, staging)
