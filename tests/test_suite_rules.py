"""The suite's own rules: nothing is skipped under CI, a missing tool fails with its command."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")

SUITE = """
import pytest
from conftest import require_command, require_file
from pathlib import Path

def test_skipped():
    pytest.skip("no reason")

def test_missing_tool():
    require_command("no-such-tool-anywhere", "no-such-package")

def test_missing_font():
    require_file(Path("/no/such/font.ttc"), "fonts-nothing")

def test_fine():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_rules=SUITE)
    pytester.syspathinsert()
    return pytester


def test_a_missing_tool_fails_with_the_install_command(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines([
        "*no-such-tool-anywhere is missing: sudo apt-get install -y no-such-package*",
        "*/no/such/font.ttc is missing: sudo apt-get install -y fonts-nothing*",
    ])


def test_under_ci_a_skip_is_a_failure(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*skipped under CI=true, which must run every test*"])
