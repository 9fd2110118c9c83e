"""Two columns read across by pdftotext, put back in column order (structure/columns_text.py)."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from bulletin_ocr.inputs.text import read_text_file, split_pages
from bulletin_ocr.model import Line
from bulletin_ocr.structure.columns_text import column_of_each, in_column_order
from bulletin_ocr.structure.interleaved import read_across_columns


def _lines_of(path: Path) -> list[Line]:
    return [line for page in split_pages(read_text_file(path)[0]) for line in page.lines]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_order_is_a_permutation_of_the_lines() -> None:
    # Random running text cut into column-width lines (words broken across lines, sentence
    # ends, item marks), some pages, some lines in blocks: nothing lost, nothing doubled.
    rng = random.Random(7)
    pieces = ["工作", "会议", "推动", "改造", "。", "，", "△", "一、", "（区", "委）", "12", "个"]
    for _ in range(30):
        lines = []
        for n in range(rng.randint(0, 60)):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            lines.append(Line(id=f"l{n}", text=text, page=1 + n // 25, source="text",
                              joined=rng.random() < 0.3))
        ordered = in_column_order(lines)
        assert len(ordered) == len(lines)
        assert Counter(line.id for line in ordered) == Counter(line.id for line in lines)
        assert [line.page for line in ordered] == sorted(line.page for line in lines)


def test_without_evidence_a_line_block_stays_in_one_column() -> None:
    # Lines the extractor wrote as one block (no blank line between) share a column.
    texts = ["甲乙丙丁", "戊己庚辛", "壬癸子丑"]
    assert column_of_each(texts, joined=[False, True, True]) == [0, 0, 0]


def test_a_two_column_pdftotext_extraction_gets_its_paragraphs_whole(tmp_path: Path) -> None:
    from samples.corpus.generate import generate, write

    # Bulletin 32 sets two narrow columns over two pages; poppler's pdftotext writes their
    # lines by height on the page, a line of each column in turn.
    bulletin = generate(32)
    assert bulletin.truth["variant"]["columns"] == 2
    write(bulletin, tmp_path)
    lines = _lines_of(tmp_path / "b000032.pdftotext.txt")
    assert read_across_columns(lines)
    # pdftotext writes blocks of lines with no blank line between; the seeds' shape never.
    assert any(line.joined for line in lines)
    assert not any(line.joined for line in _lines_of(tmp_path / "b000032.txt"))
    paragraphs = [_compact(p) for item in bulletin.truth["items"] for p in item["paragraphs"]]
    assert len(paragraphs) == 5

    def whole(ordered: list[Line]) -> int:
        text = _compact("".join(line.text for line in ordered))
        return sum(paragraph in text for paragraph in paragraphs)

    assert whole(lines) == 1
    ordered = in_column_order(lines)
    assert whole(ordered) == 5
    # The masthead above the columns and the footer below them stay where they were.
    assert [line.id for line in ordered[:4]] == [line.id for line in lines[:4]]
    assert ordered[-1].id == lines[-1].id
    assert _compact(ordered[-1].text).startswith("（共印")


def test_a_table_of_contents_read_across_two_columns_never_becomes_item_text(
    tmp_path: Path,
) -> None:
    from samples.corpus.generate import generate, write

    from bulletin_ocr.api import convert

    # Bulletin 10433 with the template conventions sets a table of contents over two
    # columns; put back in column order its entries broke apart into item text (3 lines), so
    # such a document is read as it came, by the rules, which know a table of contents.
    bulletin = generate(10433, conventions=True)
    assert bulletin.truth["variant"]["columns"] == 2 and bulletin.truth["contents"]
    write(bulletin, tmp_path)
    document = convert(tmp_path / "b010433.pdftotext.txt")
    item_text = "".join(
        (item.head.text if item.head else "") + "".join(p.text for p in item.paragraphs)
        for item in document.items
    )
    for entry in bulletin.truth["contents"]:
        assert _compact(item_text).count(_compact(entry)) <= 1, entry  # once, as its headline
