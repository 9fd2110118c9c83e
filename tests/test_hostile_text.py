"""Raw extractions in lying or damaged encodings, and random bytes and text through the text path."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin_ocr.cli import cli
from bulletin_ocr.errors import BulletinOcrError, EncodingError
from bulletin_ocr.inputs.text import decode_text
from bulletin_ocr.model import Document
from hostile_run import convert_within

TEXT = "中共青川区委办公室 2023年4月12日\n\n区委组织部召开会议，部署年轻干部实践锻炼工作。\n"


def utf16_with_lone_surrogate() -> bytes:
    body = TEXT.encode("utf-16-le")
    return codecs.BOM_UTF16_LE + body[:8] + b"\x00\xd8" + body[8:]  # a high surrogate alone


def utf32_beyond_unicode() -> bytes:
    return codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le") + (0x110000).to_bytes(4, "little")


def test_utf8_bom_before_gbk_bytes_is_read_as_gbk_with_a_warning() -> None:
    decoded = decode_text(codecs.BOM_UTF8 + TEXT.encode("gbk"), "x.txt")
    assert decoded.text == TEXT and decoded.encoding == "gb18030"
    assert decoded.warnings == ("starts with a UTF-8 byte-order mark but is GB18030; read as GB18030",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (utf16_with_lone_surrogate(), "1 invalid UTF-16 sequence(s) replaced with U+FFFD (illegal UTF-16 surrogate at byte"),
        (utf32_beyond_unicode(), "1 invalid UTF-32 sequence(s) replaced with U+FFFD (code point not in range(0x110000) at byte"),
    ],
)
def test_a_stray_invalid_sequence_is_replaced_with_a_warning(data: bytes, reason: str) -> None:
    decoded = decode_text(data, "x.txt")
    assert decoded.text.replace("\ufffd", "") == TEXT
    [warning] = decoded.warnings
    assert warning.startswith(reason)


def test_a_bom_before_a_different_encoding_throughout_is_refused_with_the_reason() -> None:
    data = codecs.BOM_UTF16_LE + bytes(range(0xD8, 0xE0)) * 40  # surrogates all the way
    with pytest.raises(EncodingError, match=r"^x\.txt: not valid UTF-16 \(\d+ bad sequences; "):
        decode_text(data, "x.txt")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_recognised(encoding: str) -> None:
    decoded = decode_text(TEXT.encode(encoding), "x.txt")
    assert (decoded.text, decoded.encoding, decoded.warnings) == (TEXT, encoding, ())


def test_warnings_reach_the_document_and_repair_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "lying-bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode("gbk"))
    document = convert_within(path, 20)
    assert isinstance(document, Document)
    assert document.warnings[0].startswith("starts with a UTF-8 byte-order mark but is GB18030")
    result = CliRunner().invoke(cli, ["repair", str(path)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "区委组织部召开会议" in result.stdout
    path.write_bytes(codecs.BOM_UTF16_LE + bytes(range(0xD8, 0xE0)) * 40)
    result = CliRunner().invoke(cli, ["repair", str(path)])
    assert result.exit_code == 1 and "not valid UTF-16" in result.output
    assert "Traceback" not in result.output


FUZZ = settings(
    max_examples=150,
    deadline=2000,  # ms per example; a conversion of a few hundred bytes takes milliseconds
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@FUZZ
@given(data=st.binary(max_size=600))
def test_random_bytes_give_a_document_or_one_clear_error(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(data)
    result = convert_within(path, 10)
    assert isinstance(result, (Document, BulletinOcrError))
    if isinstance(result, BulletinOcrError):
        assert "\n" not in str(result) and "internal error" not in str(result)


@FUZZ
@given(
    text=st.text(max_size=300),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "utf-16-le"]),
)
def test_random_unicode_in_any_encoding_gives_a_document_or_one_clear_error(
    text: str, encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "random.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    result = convert_within(path, 10)
    assert isinstance(result, (Document, BulletinOcrError))
