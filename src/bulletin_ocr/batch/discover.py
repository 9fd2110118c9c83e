"""Which files a batch converts, and the distinct output name each one gets.

Inputs are never written: discovery only reads the file system, skips the output directory when
it lies inside an input tree, and never follows directory links (a link loop cannot trap it).
The tool's state folders (``.bulletin-ocr``) are never entered, and a folder holding one is an
earlier run's OUTDIR: the files its report (or its journal) says that run wrote are not inputs.
Only regular files are converted: a FIFO, a device or a link to one becomes a task marked
``skipped``, and a folder that cannot be listed a task marked ``unreadable``, so that each is
on record. So does a file in a folder that is no input kind (``.docx``, ``.ofd``, no
extension): it is ``skipped`` with the reason, never passed over in silence. Every file
is looked at once (one ``stat``), so discovery is linear in the tree.
Output names mirror the inputs from their common root, so two distinct inputs can only meet on
one name when they share a directory and a stem (``x.pdf`` and ``x.txt``); those keep their
suffix in the name (``x.pdf.json``, ``x.txt.json``).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bulletin_ocr.errors import UsageError


@dataclass(frozen=True)
class Task:
    """One input and where its results go, relative to the output directory."""

    path: Path
    stem: Path
    duplicate_of: Path | None = None
    """Set when this name reaches a file another task already converts (a link, a hard link)."""
    identity: tuple[int, int] | None = None
    """Device and inode of the file, None when it cannot be looked at (its record says why)."""
    skipped: str | None = None
    """Why this name is not converted (a FIFO, a device): said in its ``skipped`` record."""
    unreadable: str | None = None
    """Why this folder's files could not be listed: said in its ``error`` record."""
    note: str | None = None
    """Said in the record of the converted input (its output names were shortened)."""
    other_kind: bool = False
    """A file of no input kind met in a folder (``skipped``): not an input an output could
    overwrite, only a file bulletin-ocr did not write (``refuse_replacing_unknown_files``)."""

    @property
    def converts(self) -> bool:
        return self.duplicate_of is None and self.skipped is None and self.unreadable is None


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _same_place(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@dataclass
class Listing:
    """What a walk found: files, and folders it could not list (with the reason)."""

    files: list[Path]
    unreadable: list[tuple[Path, str]]
    unsupported: list[tuple[Path, str]] = field(default_factory=list)
    """Files that are no input kind, with why they are not converted."""


# The files an OUTDIR keeps beside the outputs: not inputs when an earlier OUTDIR is walked.
BOOKKEEPING = frozenset({"report.jsonl", "catalogue.jsonl", "catalogue.csv", "catalogue-items.csv"})


def unsupported_reason(path: Path, suffixes: frozenset[str]) -> str:
    """Why a file met in a folder is not converted, said in its ``skipped`` record.

    >>> unsupported_reason(Path("公告.docx"), frozenset({".pdf"}))
    "unsupported file type '.docx'; not converted"
    >>> unsupported_reason(Path("README"), frozenset({".pdf", ".txt"}))
    'no file extension (inputs are .pdf, .txt); not converted'
    """
    suffix = path.suffix.lower()
    if not suffix:
        return f"no file extension (inputs are {', '.join(sorted(suffixes))}); not converted"
    hint = OFD_HINT if suffix == ".ofd" else ""
    return f"unsupported file type '{suffix}'{hint}; not converted"


FOLDER_LINK = "a link to a folder; not followed (give the folder itself as an INPUT)"
OFD_HINT = " (OFD, the Chinese e-document format: convert it to PDF first)"


def walk(
    root: Path,
    suffixes: frozenset[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Path | None = None,
    ignore: frozenset[Path] = frozenset(),
) -> Listing:
    """Files under ``root`` with a supported suffix, in sorted order, and the other files
    (``unsupported``, with the reason) that ``include`` and ``exclude`` let through.

    Directory links are not followed, so a link cycle cannot loop; file links are listed
    (even dangling or looping ones, so that they are reported rather than passed over).
    ``skip`` (the output directory) is left out wherever it appears below ``root``, and so
    are the files in ``ignore`` (absolute paths: outputs an earlier run wrote into the tree),
    state folders, and the outputs of every earlier OUTDIR met on the way.
    """
    from bulletin_ocr.batch.outdir import STATE_NAME

    stack = [root]
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    unsupported: list[tuple[Path, str]] = []
    ignored = set(ignore)
    while stack:
        folder = stack.pop()
        if skip is not None and folder is not root and _same_place(folder, skip):
            continue
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            unreadable.append((folder, error.strerror or str(error)))
            continue
        earlier_outdir = any(
            e.name == STATE_NAME and e.is_dir(follow_symlinks=False) for e in entries
        )
        if earlier_outdir:
            ignored |= written_in(folder)
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if entry.name != STATE_NAME:
                    stack.append(path)
                continue
            if Path(os.path.abspath(path)) in ignored:
                continue
            if earlier_outdir and entry.name in BOOKKEEPING:
                continue
            relative = path.relative_to(root).as_posix()
            if include and not _matches(relative, include):
                continue
            if exclude and _matches(relative, exclude):
                continue
            if _links_to_folder(entry):  # followed, a link cycle could trap the walk
                unsupported.append((path, FOLDER_LINK))
            elif path.suffix.lower() in suffixes:
                found.append(path)
            else:
                unsupported.append((path, unsupported_reason(path, suffixes)))
    found.sort(key=os.fsencode)
    return Listing(
        found,
        sorted(unreadable, key=lambda item: os.fsencode(item[0])),
        sorted(unsupported, key=lambda item: os.fsencode(item[0])),
    )


def _links_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop
        return False


def written_in(outdir: Path) -> set[Path]:
    """Every file an earlier run into ``outdir`` wrote, by its report and its journal."""
    from bulletin_ocr.batch.journal import pending_targets
    from bulletin_ocr.batch.outdir import STATE_NAME
    from bulletin_ocr.batch.report import read_state

    try:
        written = read_state(outdir).written
    except OSError:  # a report that cannot be read: nothing known
        written = set()
    return written | {Path(os.path.abspath(p)) for p in pending_targets(outdir / STATE_NAME)}


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

    Paths are made absolute, so that records name an input the same way whichever folder the
    batch runs from. A missing file stays in the list so that it is reported, not silently
    dropped. A second name for a file already listed (a link, a hard link, the same path twice)
    becomes a task with ``duplicate_of`` set, so it is recorded as skipped rather than
    converted twice.
    """
    if not inputs:
        return []
    given_paths = [Path(os.path.abspath(p)) for p in inputs]
    root = common_root(given_paths)
    paths: list[Path] = []
    tasks: list[Task] = []
    for given in given_paths:
        if given.is_dir():
            listing = walk(given, suffixes, include, exclude, outdir, ignore)
            paths.extend(listing.files)
            tasks.extend(
                Task(folder, Path(os.path.relpath(folder, root)), unreadable=why)
                for folder, why in listing.unreadable
            )
            tasks.extend(
                Task(path, Path(os.path.relpath(path, root)), skipped=why, other_kind=True)
                for path, why in listing.unsupported
            )
        else:
            paths.append(given)
    owners: dict[tuple[int, int], Path] = {}
    for path in paths:
        stem = Path(os.path.relpath(path, root)).with_suffix("")
        identity, skipped = _look_at(path)
        first = owners.setdefault(identity, path) if identity and not skipped else path
        tasks.append(Task(
            path, stem, duplicate_of=None if first is path else first, identity=identity,
            skipped=skipped,
        ))
    return shorten_names(distinct_names(tasks))


def _look_at(path: Path) -> tuple[tuple[int, int] | None, str | None]:
    """Device and inode of what ``path`` names (None when it cannot be looked at: reported
    later), and why it is not converted when it is no regular file."""
    from bulletin_ocr.regular_files import kind_of

    try:
        status = path.stat()
    except (OSError, RuntimeError):  # missing, a link loop, no permission
        return None, None
    identity = status.st_dev, status.st_ino
    if stat.S_ISREG(status.st_mode):
        return identity, None
    return identity, f"not a regular file ({kind_of(status.st_mode)}); not converted"


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
            if task.converts:
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


NAME_MAX = 255
"""Bytes in one file name on nearly every file system (ext4, XFS, APFS, NTFS in UTF-16 units)."""
SUFFIX_ROOM = 32
"""Bytes kept for what follows a stem: ``.alto.xml``, ``.page-12345.xml``, a ``~N`` counter."""
KEPT_BYTES = NAME_MAX - SUFFIX_ROOM - 13
"""A shortened stem keeps this much of the name, then ``~`` and 12 hex digits of its hash."""


def shorten_names(tasks: Sequence[Task]) -> list[Task]:
    """Stems too long for an output name cut short, with a hash of the whole stem after them.

    The hash keeps two long names that begin alike apart, and the same name shortens the same
    way on every run, so a resumed batch finds its outputs.
    """
    return [_shortened(task) if task.converts else task for task in tasks]


def _shortened(task: Task) -> Task:
    name = os.fsencode(task.stem.name)
    if len(name) <= NAME_MAX - SUFFIX_ROOM:
        return task
    kept = name[:KEPT_BYTES].decode("utf-8", "ignore").encode("utf-8")  # whole characters
    if not name.startswith(kept):  # not UTF-8: keep the bytes as they are
        kept = name[:KEPT_BYTES]
    digest = hashlib.sha256(name).hexdigest()[:12]
    short = os.fsdecode(kept + b"~" + digest.encode("ascii"))
    note = "output names shortened: the input's name is too long for the file system"
    return replace(task, stem=task.stem.with_name(short), note=note)
