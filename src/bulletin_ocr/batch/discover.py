"""Which files a batch converts, and the distinct output name each one gets.

Inputs are never written: discovery only reads the file system, skips the output directory when
it lies inside an input tree, and never follows directory links (a link loop cannot trap it).
Output names mirror the inputs from their common root, so two distinct inputs can only meet on
one name when they share a directory and a stem (``x.pdf`` and ``x.txt``); those keep their
suffix in the name (``x.pdf.json``, ``x.txt.json``).
"""

from __future__ import annotations

import fnmatch
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bulletin_ocr.errors import UsageError


@dataclass(frozen=True)
class Task:
    """One input and where its results go, relative to the output directory."""

    path: Path
    stem: Path
    duplicate_of: Path | None = None
    """Set when this name reaches a file another task already converts (a link, a hard link)."""


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _same_place(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def walk(
    root: Path,
    suffixes: frozenset[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Path | None = None,
    ignore: frozenset[Path] = frozenset(),
) -> Iterator[Path]:
    """Files under ``root`` with a supported suffix, in sorted order.

    Directory links are not followed, so a link cycle cannot loop; file links are listed
    (even dangling or looping ones, so that they are reported rather than passed over).
    ``skip`` (the output directory) is left out wherever it appears below ``root``, and so
    are the files in ``ignore`` (absolute paths: outputs an earlier run wrote into the tree).
    """
    stack = [root]
    found: list[Path] = []
    while stack:
        folder = stack.pop()
        if skip is not None and folder is not root and _same_place(folder, skip):
            continue
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
                continue
            if path.suffix.lower() not in suffixes or Path(os.path.abspath(path)) in ignore:
                continue
            relative = path.relative_to(root).as_posix()
            if include and not _matches(relative, include):
                continue
            if exclude and _matches(relative, exclude):
                continue
            found.append(path)
    yield from sorted(found, key=os.fsencode)


def read_list(list_file: Path) -> list[Path]:
    """Paths from a list file: one per line, blank lines and # comments ignored."""
    try:
        lines = list_file.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except OSError as error:
        raise UsageError(str(list_file), f"cannot read the list of inputs ({error})") from error
    base = list_file.parent
    paths = []
    for line in lines:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            path = Path(entry)
            paths.append(path if path.is_absolute() else base / path)
    return paths


def common_root(inputs: Sequence[Path]) -> Path:
    """The directory output names are relative to: a lone directory is its own root, a lone
    file its folder, several inputs their deepest common folder."""
    absolute = [Path(os.path.abspath(p)) for p in inputs]
    if len(absolute) == 1:
        only = absolute[0]
        return only if only.is_dir() else only.parent
    folders = [p if p.is_dir() else p.parent for p in absolute]
    return Path(os.path.commonpath(folders))


def discover(
    inputs: Sequence[Path],
    suffixes: frozenset[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    outdir: Path | None = None,
    ignore: frozenset[Path] = frozenset(),
) -> list[Task]:
    """Tasks for every input: a directory adds its files, a file (even a missing one) itself.

    A missing file stays in the list so that it is reported, not silently dropped. A second
    name for a file already listed (a link, a hard link, the same path twice) becomes a task
    with ``duplicate_of`` set, so it is recorded as skipped rather than converted twice.
    """
    if not inputs:
        return []
    root = common_root(inputs)
    paths: list[Path] = []
    for given in inputs:
        if given.is_dir():
            paths.extend(walk(given, suffixes, include, exclude, outdir, ignore))
        else:
            paths.append(given)
    tasks = []
    owners: dict[tuple[int, int], Path] = {}
    for path in paths:
        stem = Path(os.path.relpath(os.path.abspath(path), root)).with_suffix("")
        identity = _identity(path)
        first = owners.setdefault(identity, path) if identity else path
        tasks.append(Task(path, stem, duplicate_of=None if first is path else first))
    return distinct_names(tasks)


def _identity(path: Path) -> tuple[int, int] | None:
    """Device and inode of what ``path`` names, None when it cannot be opened (reported later)."""
    try:
        status = path.stat()
    except (OSError, RuntimeError):  # missing, a link loop, no permission
        return None
    return status.st_dev, status.st_ino


def distinct_names(tasks: Sequence[Task]) -> list[Task]:
    """Give every converting task an output stem no other task shares.

    Stems are compared case-folded, since OUTDIR may sit on a case-insensitive file system.
    Tasks sharing a stem keep their suffix in it (``x.pdf``, ``x.txt``); if even that collides
    (``a.txt.txt`` beside ``a.txt``), a ``~N`` counter in input order settles it.
    """
    named = list(tasks)
    for rename in (_with_suffix, _with_counter):
        groups: dict[str, list[int]] = defaultdict(list)
        for index, task in enumerate(named):
            if task.duplicate_of is None:
                groups[_key(task.stem)].append(index)
        clashes = [members for members in groups.values() if len(members) > 1]
        if not clashes:
            break
        taken = {_key(task.stem) for task in named}
        for members in clashes:
            for position, index in enumerate(members, start=1):
                named[index] = rename(named[index], position, taken)
    return named


def _key(stem: Path) -> str:
    return os.fsencode(stem).decode("utf-8", "surrogateescape").casefold()


def _with_suffix(task: Task, _position: int, _taken: set[str]) -> Task:
    return replace(task, stem=task.stem.with_name(task.path.name))


def _with_counter(task: Task, position: int, taken: set[str]) -> Task:
    if position == 1:
        return task
    candidate = task.stem.with_name(f"{task.stem.name}~{position}")
    while _key(candidate) in taken:
        position += 1
        candidate = task.stem.with_name(f"{task.stem.name}~{position}")
    taken.add(_key(candidate))
    return replace(task, stem=candidate)
