"""A run's lease on OUTDIR: workers elsewhere install outputs only while the run that sent them
holds it.

A Dask task cannot be stopped once it runs: after the client exits (Ctrl-C, SIGTERM, a lost
scheduler) its workers would go on and write into OUTDIR with no record, under the next run's
feet. So the client writes a lease file, ``OUTDIR/.bulletin-ocr/runs/<run>``, before it submits
anything, and every worker installs an input's outputs only while it holds a shared lock on that
file and the file is still linked. Ending the run takes the exclusive lock (waiting for installs
in progress, which take milliseconds) and unlinks the file: from then on no worker of that run
writes. The file doubles as the proof that a worker sees the client's OUTDIR: a worker on a host
whose OUTDIR is another directory (no shared file system) does not find it.

A client killed with SIGKILL cannot end its lease; the next run into OUTDIR ends every lease it
finds there, under OUTDIR's lock, before it cleans the staging folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from bulletin_ocr.errors import OutputError

RUNS_NAME = "runs"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class LeaseEnded(OutputError):
    """The run's lease is gone: the run ended, or this host sees another OUTDIR."""


def take_lease(state: Path, run: str) -> Path:
    """Create the lease file of ``run`` in the state folder ``state``; its path."""
    folder = state / RUNS_NAME
    folder.mkdir(exist_ok=True)
    lease = folder / run
    fd = os.open(lease, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    try:
        os.write(fd, f"{socket.gethostname()} {os.getpid()}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return lease


def end_lease(lease: Path) -> None:
    """End ``lease``: wait for installs in progress, then unlink it so no others start."""
    try:
        fd = os.open(lease, os.O_RDONLY | NOFOLLOW)
    except OSError:
        return  # already ended
    try:
        _lock(fd, exclusive=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lease)
    finally:
        os.close(fd)


def end_stale_leases(state: Path) -> None:
    """End every lease left in ``state`` (by clients that were killed); call under OUTDIR's lock."""
    folder = state / RUNS_NAME
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            end_lease(path)
        else:  # nothing this tool made: a planted link or a FIFO is not waited on, only removed
            with contextlib.suppress(OSError):
                path.unlink()


def lease_holds(lease: Path) -> bool:
    """Whether ``lease`` is still in force (cheap: one stat)."""
    return lease.is_file()


@contextlib.contextmanager
def holding(lease: Path | None, outdir: Path) -> Iterator[None]:
    """Hold ``lease`` (shared) for the block: the run cannot end while outputs are installed.

    Raises LeaseEnded, naming OUTDIR and this host, when the lease is gone. ``None``: no lease
    (a local run, whose workers die with it).
    """
    if lease is None:
        yield
        return
    try:
        fd = os.open(lease, os.O_RDONLY | NOFOLLOW)
    except OSError as error:
        raise _ended(outdir, error.errno) from error
    try:
        _lock(fd, exclusive=False)
        if os.fstat(fd).st_nlink == 0:  # ended while this worker waited for the lock
            raise _ended(outdir, errno.ENOENT)
        yield
    finally:
        os.close(fd)


def missing_marker(outdir: Path, worker: str) -> str:
    """What a worker that does not find the run's lease says (one wording, wherever seen)."""
    return (
        f"worker {worker} cannot see the output directory {outdir} (the run's marker is not "
        "there): the run has ended, or OUTDIR is not on a file system shared with this worker"
    )


def _ended(outdir: Path, code: int | None) -> LeaseEnded:
    host = socket.gethostname()
    if code == errno.ENOENT:
        return LeaseEnded(str(outdir), missing_marker(outdir, f"on {host}"))
    problem = f"worker on {host}: cannot open the run's marker ({os.strerror(code or 0)})"
    return LeaseEnded(str(outdir), problem)


def _lock(fd: int, *, exclusive: bool) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the unlink alone then ends the lease
        return
    fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
