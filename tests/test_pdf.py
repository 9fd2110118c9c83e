"""Born-digital PDFs: the samples typeset for this project and the real PDFs in ../shared/real."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from bulletin_ocr.api import convert
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def qingchuan() -> Document:
    return convert(SAMPLES / "pdf" / "qingchuan-2023-07.pdf")


def test_lines_carry_geometry_and_fonts(qingchuan: Document) -> None:
    page = qingchuan.pages[0]
    assert page.unit == "pt" and page.width == pytest.approx(595.28, abs=0.1)
    title = page.lines[0]
    assert title.text == "工作动态"  # letter-spaced in print, no spaces in the text
    assert title.font is not None and title.font.size == 36 and title.font.color == "#d90000"
    body = [line for line in page.lines if line.font and line.font.size == 15]
    assert body and all(line.bbox is not None for line in body)


def test_masthead_from_position_and_size(qingchuan: Document) -> None:
    masthead = qingchuan.masthead
    assert masthead is not None
    assert (masthead.title, masthead.issue, masthead.cumulative_issue) == ("工作动态", "第7期", "总第152期")
    assert (masthead.issuer, masthead.date) == ("中共青川区委办公室", "2023-04-12")


def test_page_numbers_are_furniture_not_text(qingchuan: Document) -> None:
    assert [[line.text for line in page.furniture] for page in qingchuan.pages] == [
        ["—1—"], ["—2—"], ["—3—"]
    ]
    assert "—" not in "".join(p.text for item in qingchuan.items for p in item.paragraphs)


def test_paragraph_across_a_page_break_is_one_paragraph_with_a_pb(qingchuan: Document) -> None:
    crossing = [p for item in qingchuan.items for p in item.paragraphs if len(p.pages) == 2]
    assert crossing
    tei = etree.fromstring(render_tei(qingchuan))
    paragraphs_with_pb = tei.xpath("//tei:body//tei:p[tei:pb]", namespaces=TEI)
    assert len(paragraphs_with_pb) == len(crossing)
    pb = paragraphs_with_pb[0].xpath("tei:pb", namespaces=TEI)[0]
    assert pb.get("facs") == "#page-" + pb.get("n")


def test_tei_zones_for_every_line(qingchuan: Document) -> None:
    tei = etree.fromstring(render_tei(qingchuan))
    surfaces = tei.xpath("//tei:facsimile/tei:surface", namespaces=TEI)
    assert len(surfaces) == 3
    zones = tei.xpath("//tei:zone", namespaces=TEI)
    lines = [line for page in qingchuan.pages for line in page.lines + page.furniture]
    assert len(zones) == len(lines)
    first = zones[0]
    assert float(first.get("lrx")) > float(first.get("ulx"))
    linked = {e.get("facs")[1:] for e in tei.xpath("//tei:text//*[@facs]", namespaces=TEI)}
    body_ids = {line.id for item in qingchuan.items for p in item.paragraphs for line in p.lines}
    assert body_ids <= linked


# --- real documents -------------------------------------------------------------------


def _real(shared_dir: Path, folder: str) -> list[Path]:
    paths = sorted((shared_dir / "real" / folder).glob("*.pdf"))
    if not paths:
        pytest.fail(f"no PDFs in {shared_dir / 'real' / folder}", pytrace=False)
    return paths


@pytest.mark.parametrize("folder", ["gov-pdf", "mixed", "broken-text-layer"])
def test_every_real_pdf_converts(shared_dir: Path, folder: str) -> None:
    for path in _real(shared_dir, folder):
        document = convert(path)
        assert document.pages, path
        render_tei(document)


def test_garbage_text_layer_is_reported_not_emitted(shared_dir: Path) -> None:
    path = shared_dir / "real" / "broken-text-layer" / "textbook-garbled-layer.pdf"
    without_ocr = convert(path, use_ocr=False)
    assert without_ocr.pages[0].needs_ocr
    assert any("mojibake" in warning for warning in without_ocr.warnings)
    assert "ê" not in render_text(without_ocr)
    recognised = convert(path)
    page = recognised.pages[0]
    assert page.source == "ocr" and "mojibake" in (page.text_layer or "")
    text = render_text(recognised)
    assert "ê" not in text and sum(0x4E00 <= ord(c) <= 0x9FFF for c in text) > 100


def test_repaired_tounicode_maps_are_trusted(shared_dir: Path) -> None:
    # The pdfminer issue-566 files once extracted as "Buyer˖哾㦓"; pdfminer now maps them.
    document = convert(shared_dir / "real" / "broken-text-layer" / "issue_566_test_1.pdf")
    assert not document.warnings
    assert "Buyer：黎荣" in render_text(document)


def test_scanned_pdf_pages_are_marked_for_ocr(shared_dir: Path) -> None:
    document = convert(shared_dir / "real" / "scanned" / "scanned-book-8p.pdf", use_ocr=False)
    assert len(document.pages) == 8
    assert all(page.needs_ocr for page in document.pages)
    assert len(document.warnings) == 8


def test_tables_and_surrounding_prose(shared_dir: Path) -> None:
    path = shared_dir / "real" / "gov-pdf" / "putuo_planning_resources_bureau_2024_final_accounts.pdf"
    document = convert(path)
    tables = [item.table for item in document.items if item.table is not None]
    assert len(tables) >= 10
    total = next(t for t in tables if any("本年收入合计" in cell for row in t.rows for cell in row))
    assert ["本年收入合计", "9746.50", "本年支出合计", "9759.38"] in total.rows
    paragraphs = [p.text for item in document.items for p in item.paragraphs]
    assert "注：本表反映部门本年度取得的各项收入情况。" in paragraphs
    assert any(p.startswith("上海市普陀区规划和自然资源局2024年度收入支出总计9859.38万元。") for p in paragraphs)


def test_table_of_contents_entries_stay_apart(shared_dir: Path) -> None:
    document = convert(shared_dir / "real" / "gov-pdf" / "putuo_wanli_subdistrict_2025_budget.pdf")
    paragraphs = [p.text for item in document.items for p in item.paragraphs]
    entries = [p for p in paragraphs if "……" in p]
    assert entries[0].startswith("一、部门主要职能……")
    assert entries[1].startswith("二、部门机构设置……")


def test_sidebar_is_read_apart_from_the_main_column(shared_dir: Path) -> None:
    document = convert(shared_dir / "real" / "mixed" / "research-report-4p.pdf")
    texts = [p.text for item in document.items for p in item.paragraphs]
    texts += [item.head.text for item in document.items if item.head]
    assert "所属行业：机械设备" in texts
    assert not any("金刚线" in t and "所属行业" in t for t in texts)


def test_text_wrapped_around_figures_keeps_its_paragraphs(shared_dir: Path) -> None:
    # Read off the rendered page: a chapter heading, three paragraphs, a section heading,
    # three paragraphs; the last two run beside a figure on a narrower measure.
    document = convert(shared_dir / "real" / "mixed" / "book-page-hard-wraps.pdf")
    heads = [item.head.text for item in document.items if item.head]
    assert heads == ["第六章、三角形原理的普遍意义", "一、关系线与运动线"]
    starts = [p.text[:8] for item in document.items for p in item.paragraphs]
    assert starts == ["按照语法的通解，", "好莱坞何以在世界", "电影语言语法的三", "场景中，两个居支", "不论这两个居中心", "人物的运动方向，"]
    assert [page.furniture[0].text for page in document.pages] == ["99"]


def test_gov_pdf_tei_is_valid(shared_dir: Path, validate_tei, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document = convert(shared_dir / "real" / "gov-pdf" / "putuo_justice_bureau_2026_budget.pdf")
    target = tmp_path / "justice.tei.xml"
    target.write_bytes(render_tei(document))
    validate_tei(target)
