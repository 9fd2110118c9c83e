"""The batch report, OUTDIR/report.jsonl: one record per converted input, appended as it ends.

Appends are single writes of a whole line followed by fsync, so a run killed at any moment
leaves at most one partial last line, which the next run cuts off before it appends.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "warning", "error", "skipped"]
REPORT_NAME = "report.jsonl"


@dataclass
class Record:
    path: str
    sha256: str | None
    status: Status
    pages: int = 0
    seconds: float = 0.0
    sources: list[str] = field(default_factory=list)
    """Where each page's text came from: "pdf" (text layer), "ocr", or "text"."""
    confidence: float | None = None
    """Mean OCR confidence over recognised lines, None when nothing was recognised."""
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0
    outputs: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))


def read_report(outdir: Path) -> dict[str, dict[str, Any]]:
    """The last record of every input in an existing report (damaged lines are skipped)."""
    path = outdir / REPORT_NAME
    records: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return records
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and "path" in record:
                records[str(record["path"])] = record
    return records


class ReportWriter:
    def __init__(self, outdir: Path) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        self.path = outdir / REPORT_NAME
        _cut_partial_line(self.path)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)

    def append(self, record: Record) -> None:
        os.write(self._fd, (record.to_json() + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _cut_partial_line(path: Path) -> None:
    """Drop a last line a killed run left half written."""
    if not path.is_file():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
