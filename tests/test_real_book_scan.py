"""Issue 21 item 4: the real 1-bit book scan (Capital vol. 1, pp. 12-19, CCITT G4).

Running heads, page numbers and margin references are not body text; bold emphasis inside a
paragraph is not a headline; the printed ``——`` is kept; pages 1-2 read against a
transcription made by eye from the page images (``resources/scanned-book-p1-2.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from bulletin_ocr.api import convert
from bulletin_ocr.export.json import document_to_dict
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document
from conftest import SHARED, require_shared

BOOK = SHARED / "real" / "scanned" / "scanned-book-8p.pdf"
PAGE_IMAGES = {12: "small_ocr_p1.png", 13: "small_ocr_p2.png"}
TRUTH = Path(__file__).parent / "resources" / "scanned-book-p1-2.txt"
pytestmark = pytest.mark.slow

RUNNING_HEAD = re.compile(r"第一篇商品和货币|第一章商品")
MARGIN_REFERENCE = re.compile(r"1[4-7][（(][IⅠⅡ]+[)）]")


@pytest.fixture(scope="module")
def book() -> Document:
    return convert(require_shared(BOOK))


def _body(doc: Document) -> list[str]:
    return [span.text for item in doc.items for span in item.paragraphs]


def _heads(doc: Document) -> list[str]:
    return [item.head.text for item in doc.items if item.head is not None]


def test_no_running_head_page_number_or_margin_reference_in_the_body(book: Document) -> None:
    body = "".join(_body(book) + _heads(book)).replace(" ", "")
    assert not RUNNING_HEAD.search(body)
    assert not MARGIN_REFERENCE.search(body)
    assert not re.search(r"第一1[4-7]", body)  # 第一14（Ⅱ）种物: spliced into a word
    assert all(not text.strip().isdigit() for text in _body(book))


def test_margin_references_are_margin_notes(book: Document) -> None:
    margin = [note for note in book.notes if note.place == "margin"]
    assert len(margin) == 7  # 14（I） 14（Ⅱ） 15（I） 15（Ⅱ） 16（I） 16（Ⅱ） 17（I）
    assert all(MARGIN_REFERENCE.fullmatch(note.text) for note in margin)


def test_running_heads_are_furniture_with_a_reason(book: Document) -> None:
    for page in book.pages:
        heads = [line for line in page.furniture if RUNNING_HEAD.search(line.text.replace(" ", ""))]
        assert len(heads) == 1, page.number
        assert page.furniture_reasons[heads[0].id]


@pytest.mark.parametrize(("number", "head"), [(12, "第一篇商品和货币"), (13, "第一章商品")])
def test_running_head_and_page_number_found_on_one_page_alone(number: int, head: str) -> None:
    # One page image alone: no other page repeats the head, so the page's own geometry
    # (band, size, gap below) must decide, and say so in the reason.
    doc = convert(require_shared(SHARED / "real" / "scanned" / PAGE_IMAGES[number]))
    (page,) = doc.pages
    found = {line.text.replace(" ", ""): page.furniture_reasons[line.id] for line in page.furniture}
    assert found == {
        str(number): "page number: top band, set apart from the body",
        head: "running head: top band, set apart from the body",
    }
    body = "".join(_body(doc) + _heads(doc)).replace(" ", "")
    assert head not in body
    assert not re.search(rf"(?<!\d){number}(?!\d)", body[:40])


def test_foot_notes_are_notes_not_paragraphs(book: Document) -> None:
    calls = [note.call for note in book.notes if note.place == "foot" and note.page <= 2]
    assert calls == ["3", "4", "5", "6", "7", "①"]
    assert not any("物都有内在的长处" in text for text in _body(book))


def test_foot_notes_follow_the_body_in_the_clean_text(book: Document) -> None:
    text = render_text(book)
    last_paragraph = _body(book)[-1]
    note = next(n for n in book.notes if n.place == "foot" and n.call == "3")
    assert note.text in text
    assert text.index(note.text) > text.index(last_paragraph)


def test_bold_emphasis_inside_a_paragraph_is_no_headline(book: Document) -> None:
    heads = _heads(book)
    assert "我们所要考察的社会" not in heads
    assert "相交换的" not in heads
    assert any("我们所要考察的社会形式中" in text for text in _body(book))


def test_emphasis_kept_in_a_paragraph_is_marked_in_tei_and_json(
    book: Document, validate_tei: Callable[[Path | bytes], None]
) -> None:
    tei = render_tei(book)
    validate_tei(tei)
    root = etree.fromstring(tei)
    hi = root.findall(".//{http://www.tei-c.org/ns/1.0}p/{http://www.tei-c.org/ns/1.0}hi")
    marked = {(element.text, element.get("rend")) for element in hi}
    assert {("我们所要考察的社会", "bold"), ("相交换的", "bold")} <= marked
    spans = [
        (paragraph, emphasis)
        for item in document_to_dict(book)["items"]
        for paragraph, provenance in zip(
            item["paragraphs"], item["provenance"]["paragraphs"], strict=True
        )
        for emphasis in provenance.get("emphasis", [])
    ]
    texts = {e["text"] for _, e in spans}
    assert {"我们所要考察的社会", "相交换的"} <= texts
    assert all(paragraph[e["start"] : e["end"]] == e["text"] for paragraph, e in spans)


def test_bold_run_that_opens_a_paragraph_and_runs_on_is_no_headline(book: Document) -> None:
    assert _heads(book) == ["2.商品所体现的劳动的二重性"]


def test_the_two_em_dash_is_kept(book: Document) -> None:
    assert any("表现——底乘高" in text for text in _body(book))
    # The recogniser joins this dash to the punctuation before it (``”。—``).
    (note,) = [note for note in book.notes if re.match(r"[(（]5[)）]", note.text)]
    assert "法律”。——按照经济法" in note.text


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def test_character_error_rate_of_pages_1_and_2(book: Document) -> None:
    truth = "".join(TRUTH.read_text(encoding="utf-8").split())
    printed = [
        span.text
        for item in book.items
        for span in ([item.head.span] if item.head is not None else []) + item.paragraphs
    ]
    text = "".join("".join(printed).split())
    end = text.index("几何的、物理") + len("几何的、物理")
    cer = _distance(text[:end], truth) / len(truth)
    print(f"CER of pages 1-2: {cer:.4f}")
    assert cer <= 0.01, f"CER {cer:.4f}"
