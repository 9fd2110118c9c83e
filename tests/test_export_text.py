"""Clean-text export (design §4) and writing the output files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin_ocr.export import FORMATS, ExportContext, write_outputs
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import DistributionEntry, Document, Item
from export_samples import Pages, bulletin, span

EXPECTED_BULLETIN = """\
工作动态
第3期
中共上街区委办公室
2021年1月6日

上街区召开联席会议

4月25日，上街区召开厂区联席会议。

区委书记宋洁讲话。（区委办）

△区农委开展培训。（区农委）

强化服务

区政务中心推出延时服务。

报：市委办公厅
送：区委常委
共印50份
"""


def test_bulletin_layout() -> None:
    assert render_text(bulletin(Pages())) == EXPECTED_BULLETIN


def test_attribution_without_paragraphs_is_its_own_block() -> None:
    pages = Pages()
    doc = pages.document(
        items=[
            Item("item", attribution=span(pages.line("区委组织部"))),
            Item("brief", attribution=span(pages.line("区农委"))),
        ]
    )
    assert render_text(doc) == "（区委组织部）\n\n△（区农委）\n"


def test_empty_document_is_empty_file() -> None:
    assert render_text(Document(source="x.txt", sha256="0" * 64)) == ""


def test_blank_lines_inside_a_block_do_not_break_the_block_contract() -> None:
    pages = Pages()
    doc = pages.document(
        items=[Item("item", paragraphs=[span(pages.line("第一段\n\n  \n续"))])],
        distribution=[DistributionEntry(None, span(pages.line("共印50份")))],
    )
    assert render_text(doc) == "第一段\n续\n\n共印50份\n"


@given(st.lists(st.lists(st.text(min_size=0, max_size=8), max_size=3), max_size=4))
def test_blocks_are_separated_by_exactly_one_blank_line(paragraphs: list[list[str]]) -> None:
    pages = Pages()
    items = [
        Item("brief" if i % 2 else "item", paragraphs=[span(pages.line(t)) for t in texts])
        for i, texts in enumerate(paragraphs)
    ]
    text = render_text(pages.document(items=items))
    if text:
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text
        assert not text.startswith("\n")
        for block in text[:-1].split("\n\n"):
            assert block.strip() and all(line.strip() for line in block.split("\n"))


def test_registry_names_and_suffixes() -> None:
    assert {name: exporter.suffix for name, exporter in FORMATS.items()} == {
        "txt": ".txt",
        "tei": ".tei.xml",
        "json": ".json",
        "alto": ".alto.xml",
        "page": ".page.xml",
        "hocr": ".hocr",
        "pdf": ".ocr.pdf",
        "html": ".html",
    }


def test_write_outputs_creates_dir_and_files(tmp_path: Path) -> None:
    doc = bulletin(Pages())
    outdir = tmp_path / "a" / "b"
    paths = write_outputs(doc, outdir, "2021-03", ["txt", "json", "tei"])
    assert paths == [outdir / "2021-03.txt", outdir / "2021-03.json", outdir / "2021-03.tei.xml"]
    assert paths[0].read_text(encoding="utf-8") == EXPECTED_BULLETIN
    assert paths[1].read_bytes() == FORMATS["json"].render(doc, ExportContext())
    assert paths[2].read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI')
    # No temporary files left behind, and the files are readable like any other output.
    assert sorted(p.name for p in outdir.iterdir()) == sorted(p.name for p in paths)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o666 & ~umask


def test_write_outputs_replaces_existing_file(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("old", encoding="utf-8")
    write_outputs(bulletin(Pages()), tmp_path, "x", ["txt"])
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == EXPECTED_BULLETIN


def test_write_outputs_rejects_unknown_format_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        write_outputs(bulletin(Pages()), tmp_path / "out", "x", ["txt", "docx"])
    assert not (tmp_path / "out").exists()
