"""Error classes; each carries the exit code the CLI maps it to (design §4)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INPUT_FAILED = 1
    USAGE = 2
    MISSING_DEPENDENCY = 3
    CLUSTER_LOST = 4


class BulletinOcrError(Exception):
    """Base class: ``str(err)`` is the one-line message shown to the user."""

    exit_code: ExitCode = ExitCode.INPUT_FAILED

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class InputError(BulletinOcrError):
    """The input cannot be read or is not something we convert."""


class MissingInputError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class UnsupportedInputError(InputError):
    pass


class MalformedInputError(InputError):
    """The file is of a kind we read but damaged beyond what the readers can repair."""


class ResourceLimitError(InputError):
    """The input would need more pixels, memory or time than a conversion is allowed."""


class MissingDependencyError(BulletinOcrError):
    """A model file or external program we need is absent or corrupt."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class UsageError(BulletinOcrError):
    """A bad option or config file."""

    exit_code = ExitCode.USAGE


class OutputError(BulletinOcrError):
    """An output cannot be written (read-only or full disk, a link where a folder belongs)."""


class ClusterError(BulletinOcrError):
    """The Dask cluster cannot be reached or stopped answering; a rerun resumes the batch."""

    exit_code = ExitCode.CLUSTER_LOST
