"""The install journal: an output set about to be renamed into place, so that none is left half.

Before the first rename of an input's output set, its worker writes
``OUTDIR/.bulletin-ocr/journal/<key>.json``: every temporary with its target, and the report
line the set ends in. The batch deletes it once that line is in the report. A run killed in
between (after some renames, or after all of them but before the report heard of them) leaves
the journal; the next run, under the lock and before it clears the staging folder, renames
the temporaries still waiting and appends the line unless the report already holds it, so the
set is whole and on record once, and its files are never taken for inputs or for files this
tool did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from bulletin_ocr.export.files import Pairs, replace_file, temporary_name

JOURNAL_NAME = "journal"


def journal_path(state: Path, input_path: Path) -> Path:
    """Where the journal of ``input_path``'s set goes (one per input: sets of one input never
    overlap, since an input is converted by one worker at a time)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(input_path))).hexdigest()[:32]
    return state / JOURNAL_NAME / f"{key}.json"


def write_journal(path: Path, line: str, pairs: Pairs) -> None:
    """Record ``pairs`` and the report ``line`` at ``path``, durably, before any rename."""
    path.parent.mkdir(exist_ok=True)
    data = {
        "line": line,
        "files": [[os.fsencode(a).hex(), os.fsencode(b).hex()] for a, b in pairs],
    }
    temporary = path.parent / temporary_name()
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def recover(
    state: Path, append: Callable[[str], None], recorded: Callable[[str], bool] = lambda _: False
) -> int:
    """Complete every set a killed run left half installed; how many there were.

    A journal whose line is already ``recorded`` in the report (the run was killed after
    appending it, before deleting the journal) has its files completed, not its line again."""
    folder = state / JOURNAL_NAME
    if not folder.is_dir() or folder.is_symlink():
        return 0
    entries = sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    for entry in entries:
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            line, files = str(data["line"]), list(data["files"])
        except (OSError, ValueError, KeyError, TypeError):  # torn before its rename: no set
            entry.unlink(missing_ok=True)
            continue
        completed = _complete(line, files)
        if completed != line or not recorded(line):
            append(completed)
        entry.unlink(missing_ok=True)
    for leftover in folder.iterdir():  # a journal's temporary cut short
        if leftover.name.startswith(".bocr-"):
            leftover.unlink(missing_ok=True)
    return len(entries)


def _complete(line: str, files: list[list[str]]) -> str:
    """``line``, once every temporary still waiting is renamed; an error line if one cannot be."""
    try:
        for temporary, target in files:
            waiting = Path(os.fsdecode(bytes.fromhex(temporary)))
            if waiting.exists():
                replace_file(waiting, Path(os.fsdecode(bytes.fromhex(target))))
    except OSError as error:
        return _failed_line(line, f"a killed run left its outputs half installed ({error})")
    return line


def _failed_line(line: str, problem: str) -> str:
    from bulletin_ocr.batch.report import Record, record_path

    data = json.loads(line)
    record = Record(
        path=record_path(data), sha256=None, status="error", error=problem, exit_code=1,
        stale_outputs=[str(name) for name in data.get("outputs", [])],
    )
    return record.to_json()


def pending_targets(state: Path) -> set[Path]:
    """The files journals in ``state`` are installing (for a run that does not recover them:
    an earlier OUTDIR met inside an input tree)."""
    folder = state / JOURNAL_NAME
    targets: set[Path] = set()
    if not folder.is_dir() or folder.is_symlink():
        return targets
    for entry in folder.glob("*.json"):
        try:
            files = json.loads(entry.read_text(encoding="utf-8"))["files"]
            targets.update(Path(os.fsdecode(bytes.fromhex(target))) for _t, target in files)
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return targets
