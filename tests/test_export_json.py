"""JSON export: keys, values, provenance and rounding."""

from __future__ import annotations

import json

import bulletin_ocr
from bulletin_ocr.export.json import document_to_dict, render_json
from bulletin_ocr.model import Document, Item
from export_samples import SHA, Pages, bulletin, span


def test_top_level_and_masthead() -> None:
    data = document_to_dict(bulletin(Pages()))
    assert list(data) == [
        "schema_version", "generator", "source", "sha256", "masthead", "items", "distribution", "contents", "pages",
        "warnings", "repairs", "engine",
    ]  # fmt: skip
    assert data["schema_version"] == "1.0"
    assert data["generator"] == {"name": "bulletin-ocr", "version": bulletin_ocr.__version__}
    assert data["source"] == "bulletins/2021-03.pdf"
    assert data["sha256"] == SHA
    assert data["masthead"] == {
        "title": "工作动态",
        "issuer": "中共上街区委办公室",
        "issue": "第3期",
        "cumulative_issue": "总第120期",
        "date": "2021-01-06",
        "date_text": "2021年1月6日",
        "secrecy": None,
        "signer": None,
    }
    assert data["distribution"] == [
        {"label": "报", "text": "市委办公厅"},
        {"label": "送", "text": "区委常委"},
        {"label": None, "text": "共印50份"},
    ]
    assert data["repairs"] == ["join_wrapped_lines", "drop_cjk_spaces"]
    assert data["engine"] == ["pdfplumber 0.11.4"]
    assert data["warnings"] == []


def test_items_and_provenance() -> None:
    item, brief, run_in = document_to_dict(bulletin(Pages()))["items"]
    # Masthead lines come first on page 1 (p1l1..p1l4), so the first item starts at p1l5.
    assert item == {
        "id": "item-1",
        "type": "item",
        "head": "上街区召开联席会议",
        "head_rend": "standalone",
        "paragraphs": ["4月25日，上街区召开厂区联席会议。", "区委书记宋洁讲话。"],
        "attribution": "区委办",
        "section": None,
        "provenance": {
            "head": {"orig": "上街区召开联席会议", "pages": [1], "lines": ["p1l5"]},
            "paragraphs": [
                {
                    "orig": "4月25日，上街区召开厂区\n联席会议。",
                    "pages": [1],
                    "lines": ["p1l6", "p1l7"],
                },
                {"orig": "区委书记宋洁讲话。（区委办）", "pages": [1], "lines": ["p1l8"]},
            ],
            "attribution": {"orig": "（区委办）", "pages": [1], "lines": ["p1l8"]},
        },
    }
    # Ids follow document order, so the same input always gives the same ids.
    assert (brief["id"], run_in["id"]) == ("item-2", "item-3")
    # The △ marker is not part of the paragraph (design §4).
    assert brief["type"] == "brief"
    assert brief["head"] is None and brief["head_rend"] is None
    assert brief["paragraphs"] == ["区农委开展培训。"]
    assert brief["attribution"] == "区农委"
    assert brief["provenance"]["head"] is None
    # A run-in head excludes the body text that follows it on the same line.
    assert run_in["head"] == "强化服务"
    assert run_in["head_rend"] == "run-in"
    assert run_in["paragraphs"] == ["区政务中心推出延时服务。"]
    assert run_in["attribution"] is None
    assert run_in["provenance"]["attribution"] is None
    assert run_in["provenance"]["paragraphs"][0]["lines"] == ["p2l1", "p2l2"]


def test_pages_lines_rounding_and_furniture() -> None:
    pages = Pages(source="ocr", geometry=True)
    first = pages.line("第一行", confidence=0.987654)
    second = pages.line("第二行", page=2)
    furniture = pages.line("— 2 —", page=2)
    pages.pages[2].lines.remove(furniture)
    pages.pages[2].furniture.append(furniture)
    pages.pages[2].warnings.append("skewed 2.1°")
    doc = pages.document(items=[Item("item", paragraphs=[span(first, second)])])
    page1, page2 = document_to_dict(doc)["pages"]
    assert page1 == {
        "number": 1,
        "source": "ocr",
        "width": 595.28,
        "height": 841.89,
        "unit": "pt",
        "dpi": None,
        "coordinates": "PDF points from the top-left corner",
        "text_layer": None,
        "preprocessing": [],
        "notes": [],
        "lines": [
            {
                "id": "p1l1",
                "text": "第一行",
                "bbox": [56.69, 94.0, 538.5, 112.12],
                "confidence": 0.9877,
            }
        ],
        "furniture": [],
        "warnings": [],
    }
    assert page2["lines"] == [
        {"id": "p2l1", "text": "第二行", "bbox": [56.69, 94.0, 538.5, 112.12], "confidence": None}
    ]
    assert page2["furniture"] == [
        {"id": "p2l2", "text": "— 2 —", "bbox": [56.69, 118.0, 538.5, 136.12]}
    ]
    assert page2["warnings"] == ["skewed 2.1°"]
    assert document_to_dict(doc)["items"][0]["provenance"]["paragraphs"][0]["pages"] == [1, 2]


def test_text_source_has_null_geometry() -> None:
    pages = Pages()
    pages.line("一行")
    page = document_to_dict(pages.document())["pages"][0]
    assert page["source"] == "text"
    assert page["width"] is page["height"] is page["unit"] is None
    assert page["lines"] == [{"id": "p1l1", "text": "一行", "bbox": None, "confidence": None}]


def test_empty_document() -> None:
    data = document_to_dict(Document(source="x.txt", sha256="0" * 64))
    assert data["masthead"] is None
    assert data["items"] == data["pages"] == data["distribution"] == []


def test_render_json_bytes() -> None:
    doc = bulletin(Pages())
    raw = render_json(doc)
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    text = raw.decode("utf-8")
    assert "工作动态" in text and "\\u" not in text
    assert text.startswith('{\n  "schema_version": "1.0",\n')
    assert json.loads(text) == document_to_dict(doc)
