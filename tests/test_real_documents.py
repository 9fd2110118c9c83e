"""Real documents keep their text (issue 21): every file in ``../shared/real``, converted once.

The gov-pdf files are real offices' exports (WPS, Word, ONLYOFFICE); the measures compare the
clean text with poppler's ``pdftotext`` (``tests/real_text.py``), which reads the same pages
without any of our layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bulletin_ocr.api import convert
from bulletin_ocr.cli import _explanation, cli
from bulletin_ocr.export.catalogue import catalogue_row
from bulletin_ocr.export.json import render_json
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document
from conftest import SHARED, require_command
from real_text import Coverage, coverage, orphan_lines, pdftotext

REAL = SHARED / "real"
GOV_PDFS = [
    "putuo_commerce_commission_2025_budget.pdf",
    "putuo_finance_bureau_2024_final_accounts.pdf",
    "putuo_justice_bureau_2026_budget.pdf",
    "putuo_planning_resources_bureau_2024_final_accounts.pdf",
    "putuo_social_work_dept_2024_final_accounts.pdf",
    "putuo_wanli_subdistrict_2025_budget.pdf",
]
RESEARCH_REPORT = "mixed/research-report-4p.pdf"
# OCR makes these the slow part of the suite (about 30 s of the whole on two cores).
SCANS = {"scanned/scanned-book-8p.pdf", "scanned/small_ocr_p1.png", "scanned/small_ocr_p2.png"}


def _real_files() -> list[str]:
    """Every file in ../shared/real, as a path below it (empty when the folder is missing:
    ``shared_dir`` then fails the tests that need it)."""
    files = sorted(p for p in REAL.rglob("*") if p.is_file() and p.name != "README.md")
    return [p.relative_to(REAL).as_posix() for p in files]


@dataclass(frozen=True)
class Converted:
    document: Document
    text: str
    json: dict[str, Any]

    def table_rows(self) -> set[str]:
        """The clean text's lines that are rows of tables."""
        return {
            "\t".join(row)
            for item in self.document.items
            if item.table is not None
            for row in item.table.rows
        }


@pytest.fixture(scope="module")
def converted(shared_dir: Path) -> Callable[[str], Converted]:
    """Each real file converted once for the whole module (``name`` below ``real/``)."""
    cache: dict[str, Converted] = {}

    def get(name: str) -> Converted:
        if name not in cache:
            document = convert(shared_dir / "real" / name)
            cache[name] = Converted(
                document, render_text(document), json.loads(render_json(document))
            )
        return cache[name]

    return get


@pytest.fixture(scope="module")
def reference() -> Callable[[str], str]:
    """pdftotext's text of a real PDF, read once."""
    require_command("pdftotext", "poppler-utils")
    cache: dict[str, str] = {}

    def get(name: str) -> str:
        if name not in cache:
            cache[name] = pdftotext(REAL / name)
        return cache[name]

    return get


def _coverage(name: str, converted: Callable[[str], Converted], reference: Callable[[str], str]
              ) -> Coverage:
    document = converted(name).document
    furniture = [line.text for page in document.pages for line in page.furniture]
    return coverage(reference(name), converted(name).text, furniture)


@pytest.mark.parametrize("name", GOV_PDFS)
def test_gov_pdf_keeps_every_printed_line(
    name: str, converted: Callable[[str], Converted], reference: Callable[[str], str]
) -> None:
    found = _coverage(f"gov-pdf/{name}", converted, reference)
    assert found.share >= 0.995, (f"{found.share:.2%} of {found.lines} lines", found.missing[:10])


@pytest.mark.parametrize("name", GOV_PDFS)
def test_gov_pdf_adds_no_text(
    name: str, converted: Callable[[str], Converted], reference: Callable[[str], str]
) -> None:
    found = _coverage(f"gov-pdf/{name}", converted, reference)
    assert found.char_ratio <= 1.005, (found.converted_chars, found.reference_chars)


@pytest.mark.parametrize("name", GOV_PDFS)
def test_gov_pdf_has_no_orphaned_numbers_or_quotes(
    name: str, converted: Callable[[str], Converted]
) -> None:
    result = converted(f"gov-pdf/{name}")
    rows = pdftotext(REAL / "gov-pdf" / name, layout=True)
    assert orphan_lines(result.text, result.table_rows(), rows) == []


def test_research_report_keeps_its_lines(
    converted: Callable[[str], Converted], reference: Callable[[str], str]
) -> None:
    found = _coverage(RESEARCH_REPORT, converted, reference)
    assert found.share >= 0.98, (f"{found.share:.2%} of {found.lines} lines", found.missing[:10])


def test_mixed_fonts_on_one_baseline_are_one_line(converted: Callable[[str], Converted]) -> None:
    """Arial/Times digits in a FangSong line have glyph boxes 0.40 em lower: same baseline."""
    text = converted("gov-pdf/putuo_finance_bureau_2024_final_accounts.pdf").text
    assert "编报绩效目标的2024年度项目4个，涉及预算金额598.42万元" in "".join(text.split())
    report = converted(RESEARCH_REPORT).text
    assert "约6.66亿元" in "".join(report.split())


def test_mixed_fonts_keep_the_issuer(converted: Callable[[str], Converted]) -> None:
    """A 2024 cut out of its line was once set aside as a running head, and read as issuer."""
    result = converted("gov-pdf/putuo_finance_bureau_2024_final_accounts.pdf")
    assert result.document.masthead is None or result.document.masthead.issuer != "2024"
    furniture = [line.text for page in result.document.pages for line in page.furniture]
    assert "2024" not in furniture


# A contents entry's number: where a second one shows inside a block, two entries ran together.
ENTRY_NUMBER = re.compile(r"第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\d+[.．]\s*\d{4}年")


@pytest.mark.parametrize("name", GOV_PDFS)
def test_contents_entries_stay_apart(name: str, converted: Callable[[str], Converted]) -> None:
    """Each entry of the table of contents is a block of its own (``…决算表第三部分…`` ran
    on), and no block of titles holds two entries."""
    result = converted(f"gov-pdf/{name}")
    texts = {line.id: line.text for page in result.document.pages for line in page.lines}
    entries = [
        "".join(texts[i] for i in d.lines)
        for d in result.document.explain
        if "table of contents" in d.cues
    ]
    titles = [b for b in result.text.split("\n\n") if not re.search("[。；\t]", b)]
    assert [b for b in titles if len(ENTRY_NUMBER.findall(b)) > 1] == []
    assert len(entries) >= 10
    assert [e for e in entries if len(ENTRY_NUMBER.findall(e)) != 1] == []


@pytest.mark.parametrize(
    "name", ["putuo_commerce_commission_2025_budget.pdf", "putuo_justice_bureau_2026_budget.pdf"]
)
def test_text_outside_the_page_is_set_aside(
    name: str, converted: Callable[[str], Converted]
) -> None:
    """WPS put copies of a page's text at y = -253 pt, above the visible page."""
    result = converted(f"gov-pdf/{name}")
    opening = "上海市普陀区司法局是主管本区司法和法制工作的区政府工作部门"
    if "justice" in name:
        assert "".join(result.text.split()).count(opening) == 1
    pages: list[dict[str, Any]] = result.json["pages"]
    off_page = [s for page in pages for s in page.get("set_aside", ())]
    assert off_page, "the off-page text is kept in the JSON"
    assert {s["reason"] for s in off_page} == {"outside the page"}
    assert any(opening in "".join(s["text"].split()) for s in off_page) == ("justice" in name)
    warnings: list[str] = result.json["warnings"]
    for page in pages:
        if page.get("set_aside"):
            count = len(page["set_aside"])
            noun = "line" if count == 1 else "lines"
            assert f"page {page['number']}: {count} {noun} outside the page set aside" in " ".join(warnings)


@pytest.mark.parametrize(
    "name", [n for n in _real_files() if n not in SCANS]
    + [pytest.param(n, marks=pytest.mark.slow) for n in sorted(SCANS)],
)
def test_explain_works_on_every_real_file(name: str, converted: Callable[[str], Converted]) -> None:
    """Ruled tables give explain entries without lines: they crashed with an IndexError."""
    document = converted(name).document
    rows = _explanation(document).splitlines()
    assert len(rows) == len(document.explain)
    for decision, row in zip(document.explain, rows, strict=True):
        assert row.startswith(decision.role)


def test_repair_explain_command_on_a_document_with_tables(shared_dir: Path) -> None:
    path = shared_dir / "real" / "gov-pdf" / "putuo_social_work_dept_2024_final_accounts.pdf"
    result = CliRunner().invoke(cli, ["repair", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    assert any(row.startswith("table") for row in result.output.splitlines())


def test_headlines_do_not_run_over_a_page_break(converted: Callable[[str], Converted]) -> None:
    """A cover's last line and the next page's ``目录``, and a contents list's last entry and
    the next page's title, stop short of the column's edge: four headlines, not two."""
    blocks = converted("gov-pdf/putuo_commerce_commission_2025_budget.pdf").text.split("\n\n")
    assert "目录" in blocks
    assert "七、项目经费情况说明" in blocks
    assert "上海市普陀区商务委员会主要职能" in blocks


def test_bold_table_captions_are_no_headlines(converted: Callable[[str], Converted]) -> None:
    """The bond prospectus sets its headings and its table captions in bold: bold that common
    marks no headline, so a caption is no headline nor part of one."""
    heads = [item.head.text for item in converted("broken-text-layer/pymupdf_chinese-tables.pdf")
             .document.items if item.head]
    assert "一、发行人历史信用评级情况" in heads
    assert not [head for head in heads if "表7-" in head]


MASTHEAD_FIELDS = ("issuer", "title", "issue", "cumulative_issue", "date", "date_text")


@pytest.mark.parametrize(
    "name", [n for n in _real_files() if n.endswith(".pdf") and n not in SCANS]
)
def test_non_bulletins_have_no_masthead_fields(
    name: str, converted: Callable[[str], Converted]
) -> None:
    """Budget reports, a research report and a magazine column are no bulletins: their
    covers gave catalogue issuers such as ``资源局``, ``[Table_Main]``, ``主持：牟晓生``."""
    result = converted(name)
    row = catalogue_row(result.document)
    assert {field: row[field] for field in MASTHEAD_FIELDS} == dict.fromkeys(MASTHEAD_FIELDS)
    assert row["bulletin_masthead"] is False
    assert result.json["masthead"] is None


def test_a_report_cover_is_still_text(converted: Callable[[str], Converted]) -> None:
    """The lines a masthead was once read from stay in the text, as headlines."""
    result = converted("gov-pdf/putuo_planning_resources_bureau_2024_final_accounts.pdf")
    heads = [item.head.text for item in result.document.items if item.head is not None]
    assert heads[:2] == ["上海市普陀区规划和自然资源局2024年度部门决算", "目录"]


def test_a_number_wrapped_whole_stays_in_its_paragraph(
    converted: Callable[[str], Converted],
) -> None:
    """WPS moved ``15.16%；`` whole to the next line, leaving ``…占`` 2.7 ems short of the
    edge: the short line is no paragraph end."""
    text = converted("gov-pdf/putuo_finance_bureau_2024_final_accounts.pdf").text
    assert "住房保障支出（类）445.69万元，占15.16%；" in text


def test_a_table_row_carried_to_a_page_of_its_own_stays_a_table(
    converted: Callable[[str], Converted],
) -> None:
    """The Wanli budget's expenditure table ends with its ``合计`` row alone on page 18,
    ruled as one row: it was rejected as too short for a table, and its three totals stood
    as lines of their own."""
    document = converted("gov-pdf/putuo_wanli_subdistrict_2025_budget.pdf").document
    rows = [item.table.rows for item in document.items if item.table and item.table.page == 18]
    assert rows == [[["合计", "189,767,551", "101,341,746", "88,425,805"]]]


def test_a_sidebar_beside_a_chart_is_read_as_one_column(
    converted: Callable[[str], Converted],
) -> None:
    """Page 1's body column is drawn as a stack of boxes, one per line, that were taken for
    rules bounding the text: the columns were measured between them, across the sidebar's
    chart only, and a false gutter cut the sidebar's table (``80.86`` fell away from its
    row) and sent its lines into the body's paragraphs."""
    text = converted(RESEARCH_REPORT).text
    flat = "".join(text.split())
    assert "绝对涨幅（%）7.1832.8880.86" in flat
    assert "相对涨幅（%）8.1025.9378.39" in flat
    body = next(block for block in text.split("\n\n") if "此外高线速、柔性化和智能化" in block)
    assert "光伏设备" not in body and "《高测股份" not in body


def test_squeezed_punctuation_keeps_its_place(converted: Callable[[str], Converted]) -> None:
    """The 楷体 ``《`` after Arial ``2.`` is set 0.3 em into the period's box (its ink is on
    its right half): ordered by left edges it came before the period (``2《.光伏设备``)."""
    flat = "".join(converted(RESEARCH_REPORT).text.split())
    assert "2.《光伏设备：光伏高效电池扩产提速，" in flat


def test_a_bold_number_in_a_sentence_is_no_headline(converted: Callable[[str], Converted]) -> None:
    """``6.66亿元`` in bold Arial opens a line mid-sentence (``…总投资额约`` / ``6.66亿元；``):
    it continues the sentence, it does not head a new item."""
    result = converted(RESEARCH_REPORT)
    heads = [item.head.text for item in result.document.items if item.head is not None]
    assert not [head for head in heads if head.startswith("6.66")]
    assert "预计一期总投资额约6.66亿元；后续年产" in "".join(result.text.split())


def test_a_list_entry_after_a_full_line_that_ends_a_sentence_starts_a_paragraph(
    converted: Callable[[str], Converted],
) -> None:
    """``（一）…组织实施。`` fills its line; ``（二）承担区委…`` opens the next one (issue 22,
    item 6). An entry printed inside a line (``…财务规则。（八）负责…``) stays where it is."""
    justice = converted("gov-pdf/putuo_justice_bureau_2026_budget.pdf")
    paragraphs = [p.text for item in justice.document.items for p in item.paragraphs]
    entries = [p for p in paragraphs if p.startswith("（二）承担区委全面依法治区委员会")]
    assert entries, "（二） is not a paragraph of its own"
    assert not any("组织实施。（二）" in p for p in paragraphs)
    assert any(p.startswith("（六）组织实施和指导监督本区社区矫正工作") for p in paragraphs)
    finance = converted("gov-pdf/putuo_finance_bureau_2024_final_accounts.pdf").text
    assert "财务规则。（八）负责本区暂未划转入税务部门" in finance
