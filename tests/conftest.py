"""Shared fixtures: the ../shared folder, TEI validation with jing, and required system tools.

No test is ever skipped: a missing tool, font or shared file fails its tests with the
command that installs it (``make test`` installs them all). Under ``CI=true`` any skip,
including one from a third-party plugin or ``importorskip``, fails too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]  # tests/test_suite_rules.py runs small suites with this conftest

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    """The shared folder: ``$BULLETIN_OCR_SHARED``, else ``../shared`` beside the repository,
    else beside the repository it was cloned from (a fresh clone in a temporary folder)."""
    if os.environ.get("BULLETIN_OCR_SHARED"):
        return Path(os.environ["BULLETIN_OCR_SHARED"])
    beside = REPO.parent / "shared"
    if beside.exists():
        return beside
    origin = subprocess.run(
        ["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        cloned_from = Path(origin).resolve().parent / "shared"
        if cloned_from.exists():
            return cloned_from
    return beside


SHARED = _find_shared()


def require_command(command: str, package: str) -> str:
    """The path of ``command``; fails the test with the install command when it is missing."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(
            f"{command} is missing: sudo apt-get install -y {package} (or run make test)",
            pytrace=False,
        )
    return path


def require_file(path: Path, package: str) -> Path:
    """``path``, which a Debian package provides; fails the test with the install command."""
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: sudo apt-get install -y {package} (or run make test)",
            pytrace=False,
        )
    return path


def require_shared(path: Path) -> Path:
    """A file or folder of the project's shared material (../shared), which tests read."""
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the tests read the project's shared folder (../shared, or set "
            "BULLETIN_OCR_SHARED)",
            pytrace=False,
        )
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, None]:
    """Under CI a skipped test is a failed one: the suite must run everything it has."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {report.longrepr}"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's own config file must not change what the tests see."""
    monkeypatch.delenv("BULLETIN_OCR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (seeds, schemas, real samples) beside the repository."""
    return require_shared(SHARED)


@pytest.fixture
def validate_tei(shared_dir: Path, tmp_path: Path) -> Callable[[Path | bytes], None]:
    """Validate a TEI file (or its bytes) against tei_all.rng; fail with jing's messages."""
    # jing, not lxml: lxml's RelaxNG takes many minutes to compile tei_all.
    jing = require_command("jing", "jing")
    schema = require_shared(shared_dir / "schemas" / "tei_all.rng")

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
