"""Write a set of output files all or nothing: every temporary first, then the renames.

A crash or a full disk while writing leaves the previous set (or no set) in place, never a
mixture: nothing is renamed into place until every file of the set is written and synced.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows


def write_file_set(
    directory: Path, files: Mapping[str, bytes], staging: Path | None = None
) -> list[Path]:
    """Write ``directory/<name>`` for each of ``files`` atomically as a set; return the paths.

    Temporaries go to ``staging`` (default: ``directory`` itself) under names no user file has;
    they are synced before any rename so that a power cut cannot leave a renamed empty file.
    Raises OSError when a file cannot be written; the set is then not installed at all.
    """
    staging = staging or directory
    written: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = directory / name
            written.append((_write_temporary(_staging_for(staging, directory), name, data), target))
        for temporary, target in written:
            _replace(temporary, target)
        _sync_directory(directory)
    finally:
        for temporary, _target in written:
            if temporary.exists():
                temporary.unlink()
    return [target for _temporary, target in written]


def _staging_for(staging: Path, directory: Path) -> Path:
    return staging if staging.is_dir() else directory


def _write_temporary(folder: Path, name: str, data: bytes) -> Path:
    temporary = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    # os.open honours the umask, unlike tempfile, whose 0600 would stick to the final file;
    # O_EXCL and O_NOFOLLOW: never write through a name someone else prepared.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _replace(temporary: Path, target: Path) -> None:
    """Rename into place; a staging folder on another file system falls back to a copy beside."""
    try:
        os.replace(temporary, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        beside = _write_temporary(target.parent, target.name, temporary.read_bytes())
        os.replace(beside, target)


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its renames are durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
