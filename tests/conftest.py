"""Shared fixtures: the ../shared folder and TEI validation with jing."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (seeds, schemas, real samples) beside the repository."""
    path = Path(__file__).resolve().parents[1].parent / "shared"
    if not path.is_dir():
        pytest.skip(f"shared folder not found at {path}")
    return path


@pytest.fixture
def validate_tei(shared_dir: Path, tmp_path: Path) -> Callable[[Path | bytes], None]:
    """Validate a TEI file (or its bytes) against tei_all.rng; fail with jing's messages."""
    # jing, not lxml: lxml's RelaxNG takes many minutes to compile tei_all.
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (sudo apt-get install jing); TEI validation skipped")
    schema = shared_dir / "schemas" / "tei_all.rng"
    if not schema.is_file():
        pytest.skip(f"TEI schema not found at {schema}")

    def validate(document: Path | bytes) -> None:
        if isinstance(document, bytes):
            path = tmp_path / "document.tei.xml"
            path.write_bytes(document)
        else:
            path = document
        result = subprocess.run(
            [jing, str(schema), str(path)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            # jing's launcher warns about optional jars on stderr; the errors are on stdout.
            pytest.fail(f"{path} is not valid TEI:\n{result.stdout}{result.stderr}", pytrace=False)

    return validate
