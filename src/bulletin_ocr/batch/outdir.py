"""The output directory of a batch: one run at a time, no links followed, nothing else touched.

A run holds an exclusive lock on ``OUTDIR/.bulletin-ocr/lock`` for its whole length, so a
second run into the same directory refuses at once instead of converting everything again
beside it. Temporaries go to ``OUTDIR/.bulletin-ocr/staging/``, a folder only this tool
writes: at start, under the lock, whatever a killed run left there is removed, and no other
file in OUTDIR is ever deleted.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from types import TracebackType
from typing import Any

from bulletin_ocr.batch.lease import end_stale_leases
from bulletin_ocr.batch.report import REPORT_NAME
from bulletin_ocr.errors import OutputError, UsageError

STATE_NAME = ".bulletin-ocr"


class OutputDir:
    """OUTDIR, locked for this run; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = path / STATE_NAME
        self.staging = self.state / "staging"
        self._lock_fd: int | None = None

    def __enter__(self) -> OutputDir:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            _refuse_link(self.path / REPORT_NAME)
            _refuse_special(self.path / REPORT_NAME, "a file")
            safe_directory(self.path, Path(STATE_NAME))
            self._lock()
            # A killed client's Dask workers may still be installing: stop them before the
            # sets they left are recovered and the staging folder they write to is cleaned.
            end_stale_leases(self.state)
            _refuse_special(self.staging, "a folder")
            self._recover()
            self._clear_staging()
            self.staging.mkdir()
        except OutputError as error:
            self.close()
            raise UsageError(error.path, error.problem) from error
        except OSError as error:
            self.close()
            problem = f"cannot use as output directory ({_reason(error)})"
            raise UsageError(str(self.path), problem) from error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._lock_fd is not None:
            try:  # a worker killed while renaming: complete its set while its temporaries exist
                self._recover()
                self._clear_staging()
            except OSError:
                pass  # journal and temporaries stay, for the next run to complete
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clear_staging(self) -> None:
        """Remove the staging folder; a link there is removed, not followed, and anything
        else (a FIFO, which ``rmtree`` would block on) is left for ``_refuse_special``."""
        try:
            mode = os.lstat(self.staging).st_mode
        except FileNotFoundError:
            return
        if stat.S_ISLNK(mode):
            self.staging.unlink()
        elif stat.S_ISDIR(mode):
            shutil.rmtree(self.staging, ignore_errors=True)

    def _recover(self) -> None:
        """Complete the output sets a killed run left half installed (see ``journal``)."""
        from bulletin_ocr.batch.journal import recover
        from bulletin_ocr.batch.report import ReportWriter, is_last_record, read_report

        writer: ReportWriter | None = None
        last: dict[str, dict[str, Any]] | None = None  # read only if a journal was left

        def append(line: str) -> None:
            nonlocal writer
            writer = writer or ReportWriter(self.path)
            writer.append_line(line)

        def recorded(line: str) -> bool:
            nonlocal last
            last = read_report(self.path) if last is None else last
            return is_last_record(line, last)

        try:
            recover(self.state, append, recorded)
        finally:
            if writer is not None:
                writer.close()

    def _lock(self) -> None:
        # O_NONBLOCK: a FIFO planted at the lock's name must not hold the run at its start.
        flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(self.state / "lock", flags, 0o666)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            mode = os.fstat(fd).st_mode
            os.close(fd)
            _refuse_special(self.state / "lock", "a file", mode)
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one run at a time is then on trust
            self._lock_fd = fd
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise UsageError(
                str(self.path),
                f"another bulletin-ocr run (pid {holder}) is writing here; "
                "wait for it to finish or choose another -o",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def safe_directory(outdir: Path, relative: Path) -> Path:
    """Create ``outdir/relative`` folder by folder, refusing to pass through a symbolic link.

    A link planted inside OUTDIR (``sub -> /elsewhere``) would otherwise carry outputs out of
    it. Raises OutputError naming the link.
    """
    current = outdir
    for part in relative.parts:
        current = current / part
        try:
            current.mkdir()
            continue
        except FileExistsError:
            pass
        mode = os.lstat(current).st_mode
        if stat.S_ISLNK(mode):
            raise OutputError(
                str(current), "is a symbolic link inside the output directory; not following it"
            )
        if not stat.S_ISDIR(mode):
            raise OutputError(str(current), "is in the way of an output folder (not a folder)")
    return current


def _refuse_special(path: Path, wanted: str, mode: int | None = None) -> None:
    """Raise OutputError when the tool's own ``path`` is a FIFO, a device or a socket (or not
    ``wanted``): opening or removing one could block the run before it starts."""
    from bulletin_ocr.regular_files import kind_of

    if mode is None:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return
    fits = stat.S_ISDIR(mode) if wanted == "a folder" else stat.S_ISREG(mode)
    if not fits and not stat.S_ISLNK(mode):
        raise OutputError(str(path), f"is {kind_of(mode)}, not {wanted}; remove it")


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise OutputError(str(path), "is a symbolic link; not following it (remove it first)")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
