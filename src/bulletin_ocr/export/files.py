"""Write a set of output files all or nothing: every temporary first, then the renames.

A crash or a full disk while writing leaves the previous set (or no set) in place, never a
mixture: nothing is renamed into place until every file of the set is written and synced,
nothing is renamed while any target is something other than a file (a folder ``x.json/``),
and a rename that fails puts back what the renames before it replaced. A process killed
between two renames is the one case left; a batch covers it with its journal
(``before_install``, see ``bulletin_ocr.batch.journal``).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows
Pairs = list[tuple[Path, Path]]
"""(temporary, target) for each file of a set."""


def write_file_set(
    directory: Path,
    files: Mapping[str, bytes],
    staging: Path | None = None,
    before_install: Callable[[Pairs], None] | None = None,
) -> list[Path]:
    """Write ``directory/<name>`` for each of ``files`` atomically as a set; return the paths.

    Temporaries go to ``staging`` (default: ``directory`` itself) under short random names no
    user file has (so that a name near the 255-byte limit still fits); they are synced before
    any rename so that a power cut cannot leave a renamed empty file. ``before_install`` hears
    every temporary and its target once all are written, before the first rename.
    Raises OSError when a file cannot be written or a target is in the way; the set is then
    not installed at all.
    """
    folder = _staging_for(staging or directory, directory)
    written: Pairs = []
    try:
        for name, data in files.items():
            written.append((_write_temporary(folder, data), directory / name))
        for _temporary, target in written:
            _refuse_in_the_way(target)
        if before_install is not None:
            before_install(written)
        _install(written, folder)
        _sync_directory(directory)
    finally:
        for temporary, _target in written:
            temporary.unlink(missing_ok=True)
    return [target for _temporary, target in written]


def _staging_for(staging: Path, directory: Path) -> Path:
    return staging if staging.is_dir() else directory


def temporary_name(suffix: str = ".tmp") -> str:
    return f".bocr-{secrets.token_hex(8)}{suffix}"


def _write_temporary(folder: Path, data: bytes) -> Path:
    temporary = folder / temporary_name()
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


def _refuse_in_the_way(target: Path) -> None:
    """Raise, naming ``target``, when a rename onto it would fail or replace a non-file."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):  # a link is replaced, never followed
        return
    from bulletin_ocr.regular_files import kind_of

    code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EEXIST
    raise OSError(code, f"{target.name} is in the way ({kind_of(mode)}, not a file)", str(target))


def _install(pairs: Pairs, folder: Path) -> None:
    """Rename every temporary onto its target; if one rename fails, undo the ones before it."""
    kept = _keep_previous(pairs, folder)
    done: list[Path] = []
    try:
        for temporary, target in pairs:
            replace_file(temporary, target)
            done.append(target)
    except OSError:
        for target in done:
            previous = kept.pop(target, None)
            if previous is not None:
                os.replace(previous, target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for previous in kept.values():
            previous.unlink(missing_ok=True)


def _keep_previous(pairs: Pairs, folder: Path) -> dict[Path, Path]:
    """A second name (a hard link: no copy) for each target that exists, to put it back."""
    kept: dict[Path, Path] = {}
    for _temporary, target in pairs:
        if not target.is_file() or target.is_symlink():
            continue
        previous = folder / temporary_name(".old")
        try:
            os.link(target, previous)
        except OSError:  # no hard links here: that file cannot be put back, the rest can
            continue
        kept[target] = previous
    return kept


def replace_file(temporary: Path, target: Path) -> None:
    """Rename into place; a staging folder on another file system falls back to a copy beside."""
    try:
        os.replace(temporary, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        beside = _write_temporary(target.parent, temporary.read_bytes())
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
