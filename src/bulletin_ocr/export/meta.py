"""What every export says about itself: the software, its version, the JSON schema version."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

SOFTWARE = "bulletin-ocr"
SCHEMA_VERSION = "1.0"
"""Version of the JSON contract (``export/schemas/document.schema.json``): the major number
changes when a field is removed or changes meaning, the minor one when fields are added."""


@cache
def software_version() -> str:
    """The installed package's version (``0.1.0``), read from its metadata."""
    try:
        return version(SOFTWARE)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def item_id(index: int) -> str:
    """The stable id of the ``index``-th item (0-based) in document order: ``item-1``, ..."""
    return f"item-{index + 1}"
