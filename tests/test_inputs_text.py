"""Reading raw extractions: encodings, bad files, page breaks and page furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin_ocr.errors import BinaryInputError, EmptyInputError
from bulletin_ocr.inputs.text import decode_bytes, read_text_file, split_pages

TEXT = "中共青川区委办公室 2023年4月12日\n\n区委组织部“三项举措”加强年轻干部实践锻炼，镇（街道）、村（社区）三级联动。\n"


def test_gb18030_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    text, encoding = read_text_file(path)
    assert text == TEXT
    assert encoding.replace("_", "").lower() in {"gb18030", "gbk", "gb2312"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_encodings(encoding: str) -> None:
    text, _ = decode_bytes(TEXT.encode(encoding), "x.txt")
    assert text == TEXT


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty_file_is_an_error(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match=r"^x\.txt: file is empty$"):
        decode_bytes(data, "x.txt")


def test_binary_file_is_an_error() -> None:
    png_header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(BinaryInputError, match="binary"):
        decode_bytes(png_header + bytes(range(256)), "x.txt")


def test_leading_space_after_a_line_starts_a_new_page() -> None:
    raw = " 标题一\n\n第一段第一行\n\n第一段第二行\n 第二页第一行\n\n第二页第二行\n \n"
    pages = split_pages(raw)
    assert [[line.text for line in page.lines] for page in pages] == [
        ["标题一", "第一段第一行", "第一段第二行"],
        ["第二页第一行", "第二页第二行"],
    ]
    assert [line.id for line in pages[1].lines] == ["p2l1", "p2l2"]


def test_indent_with_ideographic_spaces_is_not_a_page_break() -> None:
    pages = split_pages("第一行\n\u3000\u3000缩进的第二段\n")
    assert len(pages) == 1
    assert pages[0].lines[1].indent == 2.0


@pytest.mark.parametrize("furniture", ["— 2 —", "-2-", "第2页", "第 2 页 共 9 页", "- 12 -"])
def test_page_numbers_are_furniture_and_end_the_page(furniture: str) -> None:
    pages = split_pages(f"第一页正文\n\n{furniture}\n\n第二页正文\n")
    assert [line.text for line in pages[0].lines] == ["第一页正文"]
    assert [line.text for line in pages[0].furniture] == [furniture]
    assert [line.text for line in pages[1].lines] == ["第二页正文"]
