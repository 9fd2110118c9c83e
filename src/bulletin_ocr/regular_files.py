"""Opening an input for reading only when it is a regular file, without ever blocking.

A FIFO named ``a.txt`` blocks a plain ``open()`` until some writer appears, and a link to
``/dev/zero`` never ends; either would hang the batch past every deadline (issue 20). Opening
with O_NONBLOCK returns at once whatever the name is, and fstat on the open descriptor says
what was opened (no race with a name swapped between a check and the open).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # absent on Windows, which has no FIFOs by name
_KINDS = (
    (stat.S_ISREG, "a file"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


class NotRegularFile(OSError):
    """The name is a FIFO, a device, a socket or a folder: not something to read as a file."""

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", str(path))
        self.kind = kind


def kind_of(mode: int) -> str:
    """In words, what a non-regular ``st_mode`` is."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: Path | str) -> int:
    """A read-only descriptor of ``path``; NotRegularFile when it is not a regular file."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, kind_of(mode))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path | str) -> bytes:
    """The whole content of the regular file ``path`` (NotRegularFile for anything else)."""
    with os.fdopen(open_regular(path), "rb") as handle:
        return handle.read()
