"""The batch report, OUTDIR/report.jsonl: one record per converted input, appended as it ends.

Appends are single writes of a whole line followed by fsync, so a run killed at any moment
leaves at most one partial last line, which the next run cuts off before it appends.

File names are data: a name that is not valid UTF-8 (a GBK name from an old archive) is
written as ``path`` with its odd bytes shown as ``\\xNN`` plus ``path_bytes``, the exact name
in hex, from which the next run recovers it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "warning", "error", "skipped", "gone"]
REPORT_NAME = "report.jsonl"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows, where links need privileges


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
    note: str | None = None
    """Why an input was skipped, when it was not because it was done before."""
    stale_outputs: list[str] = field(default_factory=list)
    """Outputs of an earlier run that this failed run left as they were (now out of date)."""
    catalogue: dict[str, Any] | None = None
    """The bulletin's catalogue row (masthead, items); the catalogue files are built from it."""

    def to_json(self) -> str:
        data = asdict(self)
        data.update(path_fields(self.path))
        for key in ("outputs", "stale_outputs"):
            names = [path_fields(name) for name in data[key]]
            data[key] = [fields["path"] for fields in names]
            if any("path_bytes" in fields for fields in names):  # the exact names, for resume
                data[f"{key}_bytes"] = [os.fsencode(name).hex() for name in getattr(self, key)]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def path_fields(path: str) -> dict[str, str]:
    """``path`` as JSON can carry it: as is when it is UTF-8, else escaped plus its exact bytes."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"path": raw.decode("utf-8", "backslashreplace"), "path_bytes": raw.hex()}
    return {"path": path}


def record_path(record: dict[str, Any]) -> str:
    """The exact file name a report record is about (the inverse of ``path_fields``)."""
    if isinstance(record.get("path_bytes"), str):
        return os.fsdecode(bytes.fromhex(record["path_bytes"]))
    return str(record["path"])


def record_outputs(record: dict[str, Any], key: str = "outputs") -> list[str]:
    """The exact output names a record lists under ``key`` (``outputs``, ``stale_outputs``)."""
    exact = record.get(f"{key}_bytes")
    if isinstance(exact, list):
        return [os.fsdecode(bytes.fromhex(str(name))) for name in exact]
    names = record.get(key)
    return [str(name) for name in names] if isinstance(names, list) else []


@dataclass
class ReportState:
    """What OUTDIR's report says, read in one pass."""

    last: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The last record of every input, by the input's absolute path."""
    written: set[Path] = field(default_factory=set)
    """Every file any record says this tool wrote (absolute): files it may replace, and files
    that are never inputs."""


def read_state(outdir: Path) -> ReportState:
    """OUTDIR's report as a ReportState (damaged lines are skipped; no report, an empty one).

    Keys are absolute paths, so a batch given as ``in`` and then as ``/work/in``, or run from
    another folder, finds its earlier records. A relative path in an older report is taken
    from the current folder.
    """
    from bulletin_ocr.regular_files import open_regular

    state = ReportState()
    base = Path(os.path.abspath(outdir))
    try:
        fd = open_regular(outdir / REPORT_NAME)
    except FileNotFoundError:
        return state
    with os.fdopen(fd, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict) or "path" not in record:
                continue
            state.last[os.path.abspath(record_path(record))] = record
            for key in ("outputs", "stale_outputs"):
                state.written.update(base / name for name in record_outputs(record, key))
    return state


def read_report(outdir: Path) -> dict[str, dict[str, Any]]:
    """The last record of every input in an existing report, by absolute path (or none, when
    the report cannot be read)."""
    try:
        return read_state(outdir).last
    except OSError:
        return {}


def is_last_record(line: str, last: dict[str, dict[str, Any]]) -> bool:
    """Whether the report ``line`` is already its input's last record in ``last`` (as
    ``read_state`` gives it), however long it took: an input converted in parts goes on
    record with the seconds of all its parts, its journal with those of the last part."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return False
    if not isinstance(record, dict) or "path" not in record:
        return False
    earlier = last.get(os.path.abspath(record_path(record)))
    if earlier is None:
        return False
    return _timeless(earlier) == _timeless(record)


def _timeless(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "seconds"}


class ReportWriter:
    def __init__(self, outdir: Path) -> None:
        self.path = outdir / REPORT_NAME
        # O_NOFOLLOW: a link planted at OUTDIR/report.jsonl must not lead the appends elsewhere.
        self._fd = os.open(
            self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | NOFOLLOW, 0o666
        )
        _cut_partial_line(self._fd)

    def append(self, record: Record) -> None:
        self.append_line(record.to_json())

    def append_line(self, line: str) -> None:
        """Append one record already in JSON (a journal's, see ``journal``)."""
        os.write(self._fd, (line + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _cut_partial_line(fd: int) -> None:
    """Drop a last line a killed run left half written."""
    size = os.fstat(fd).st_size
    if not size:
        return
    tail = os.pread(fd, min(size, 1 << 16), max(0, size - (1 << 16)))
    if tail.endswith(b"\n"):
        return
    data = os.pread(fd, size, 0)
    os.ftruncate(fd, data.rfind(b"\n") + 1)
