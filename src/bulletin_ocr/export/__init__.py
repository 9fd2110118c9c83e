"""Export stage: render a Document as clean text, TEI or JSON and write the files atomically."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document

__all__ = ["FORMATS", "Exporter", "render_json", "render_tei", "render_text", "write_outputs"]


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


def write_outputs(doc: Document, outdir: Path, stem: str, formats: Sequence[str]) -> list[Path]:
    """Write ``outdir/<stem><suffix>`` for each format, in the order given; return the paths.

    Everything is rendered before anything is written, so a rendering error leaves no partial set
    of files, and each file appears whole or not at all.
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    rendered = [(FORMATS[name], FORMATS[name].render(doc)) for name in dict.fromkeys(formats)]
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for exporter, data in rendered:
        path = outdir / f"{stem}{exporter.suffix}"
        _write_atomically(path, data)
        paths.append(path)
    return paths


# Where a file is written before it is renamed into place; a killed run can leave these.
TEMPORARY_NAME = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def remove_stale_temporaries(outdir: Path) -> int:
    """Delete half-written files an interrupted run left behind; return how many."""
    removed = 0
    if outdir.is_dir():
        for path in outdir.rglob(".*.tmp"):
            if TEMPORARY_NAME.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _write_atomically(path: Path, data: bytes) -> None:
    # A reader (or a crash) must never see half a file; os.replace is atomic within a directory.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open honours the umask, unlike tempfile, whose 0600 would stick to the final file.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
