"""Byte-level mutations of a small sound PDF: each finishes within its deadline and gives a
Document or one clear BulletinOcrError, never a hang or another exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_fixtures as fixtures
from bulletin_ocr.errors import BulletinOcrError
from bulletin_ocr.model import Document
from hostile_run import convert_within

SAMPLES = [fixtures.one_page_pdf(), fixtures.xref_stream_pdf()]


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    kind = draw(st.sampled_from(["truncate", "flip", "duplicate-xref", "splice"]))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(16, len(data) - 1))])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(9, len(data) - 1))  # keep the %PDF header findable
            data[at] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "duplicate-xref":
        start = data.rfind(b"startxref")
        xref = data.find(b"xref\n") if b"xref\n0 " in data else data.rfind(b"6 0 obj")
        return bytes(data[:start] + data[xref:start] + data[start:])
    at = draw(st.integers(9, len(data)))
    return bytes(data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:])


@settings(
    max_examples=40,
    deadline=None,  # convert_within enforces 20 s per example itself
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=mutated_pdf())
def test_mutated_pdf_finishes_with_a_document_or_one_clear_error(
    data: bytes, tmp_path: Path
) -> None:
    path = fixtures.write(tmp_path / "mutated.pdf", data)
    result = convert_within(path, 20, use_ocr=False)
    assert isinstance(result, (Document, BulletinOcrError))
    if isinstance(result, BulletinOcrError):
        assert "\n" not in str(result)
