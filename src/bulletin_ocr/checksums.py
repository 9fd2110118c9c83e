"""SHA-256 of files, read in blocks so large inputs and model weights never sit in memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bulletin_ocr.regular_files import open_regular


def sha256_of(path: Path) -> str:
    """The file's digest; NotRegularFile (an OSError) for a FIFO or a device, which would
    otherwise block the reader or never end."""
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
