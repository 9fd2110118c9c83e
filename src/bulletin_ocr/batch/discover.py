"""Which files a batch converts: directories walked with include/exclude globs, list files."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin_ocr.errors import UsageError


@dataclass(frozen=True)
class Task:
    """One input and where its results go, relative to the output directory."""

    path: Path
    stem: Path


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk(
    root: Path, suffixes: frozenset[str], include: Sequence[str], exclude: Sequence[str]
) -> Iterator[Task]:
    """Files under ``root`` with a supported suffix, in sorted order, mirrored by their stems."""
    for path in sorted(root.rglob("*")):
        # A dangling link is kept so that it is reported, not silently passed over.
        listed = path.is_file() or (path.is_symlink() and not path.exists())
        if not listed or path.suffix.lower() not in suffixes:
            continue
        relative = path.relative_to(root).as_posix()
        if include and not _matches(relative, include):
            continue
        if exclude and _matches(relative, exclude):
            continue
        yield Task(path, path.relative_to(root).with_suffix(""))


def read_list(list_file: Path) -> list[Path]:
    """Paths from a list file: one per line, blank lines and # comments ignored."""
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(str(list_file), f"cannot read the list of inputs ({error})") from error
    base = list_file.parent
    paths = []
    for line in lines:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            path = Path(entry)
            paths.append(path if path.is_absolute() else base / path)
    return paths


def discover(
    inputs: Sequence[Path],
    suffixes: frozenset[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[Task]:
    """Tasks for every input: a directory adds its files, a file (even a missing one) itself.

    A missing file stays in the list so that it is reported, not silently dropped. Two inputs
    that would write to the same output keep apart by their full file names.
    """
    tasks: list[Task] = []
    for given in inputs:
        if given.is_dir():
            tasks.extend(walk(given, suffixes, include, exclude))
        else:
            tasks.append(Task(given, Path(given.stem)))
    seen: set[Path] = set()
    given_twice: set[Path] = set()
    unique = []
    for task in tasks:
        if task.path.resolve() in given_twice:
            continue
        given_twice.add(task.path.resolve())
        stem = task.stem
        if stem in seen:
            stem = stem.with_name(task.path.name)
        seen.add(stem)
        unique.append(Task(task.path, stem))
    return unique
