"""Hand-built Documents for the exporter tests, so each test states its input in a few lines."""

from __future__ import annotations

from typing import Any

from bulletin_ocr.model import (
    BBox,
    DistributionEntry,
    Document,
    Head,
    Item,
    Line,
    LineSource,
    Masthead,
    Page,
    TextSpan,
)

SHA = "ab" * 32


class Pages:
    """Collects printed lines page by page and builds TextSpans over them."""

    def __init__(self, source: LineSource = "text", geometry: bool = False) -> None:
        self.source = source
        self.geometry = geometry
        self.pages: dict[int, Page] = {}

    def line(self, text: str, page: int = 1, confidence: float | None = None) -> Line:
        page_obj = self.pages.setdefault(
            page,
            Page(
                number=page,
                width=595.276 if self.geometry else None,
                height=841.889 if self.geometry else None,
                unit="pt" if self.geometry else None,
                source=self.source,
            ),
        )
        n = len(page_obj.lines) + 1
        # Odd fractions on purpose: exporters must round them.
        bbox = BBox(56.6931, 70.0 + 24 * n, 538.5049, 88.123 + 24 * n) if self.geometry else None
        line = Line(f"p{page}l{n}", text, page, self.source, bbox=bbox, confidence=confidence)
        page_obj.lines.append(line)
        return line

    def document(self, **fields: Any) -> Document:
        pages = [self.pages[n] for n in sorted(self.pages)]
        return Document(source="bulletins/2021-03.pdf", sha256=SHA, pages=pages, **fields)


def span(*parts: Line | tuple[Line, str]) -> TextSpan:
    """A clean span over ``parts``: each a line (all its text) or ``(line, the part we keep)``."""
    lines: list[Line] = []
    starts: list[int] = []
    text = ""
    for part in parts:
        line, piece = part if isinstance(part, tuple) else (part, part.text)
        lines.append(line)
        starts.append(len(text))
        text += piece
    orig = "\n".join(line.text for line in lines)
    return TextSpan(text=text, orig=orig, lines=lines, line_starts=starts)


def masthead(pages: Pages) -> Masthead:
    fields = ["工作动态", "第3期", "中共上街区委办公室", "2021年1月6日"]
    return Masthead(
        title="工作动态",
        issuer="中共上街区委办公室",
        issue="第3期",
        cumulative_issue="总第120期",
        date="2021-01-06",
        date_text="2021年1月6日",
        spans=[span(pages.line(text)) for text in fields],
    )


def bulletin(pages: Pages) -> Document:
    """Masthead, a standalone item, a brief, a run-in item on page 2, and a footer."""
    top = masthead(pages)
    head = pages.line("上街区召开联席会议")
    first = span(pages.line("4月25日，上街区召开厂区"), pages.line("联席会议。"))
    last = pages.line("区委书记宋洁讲话。（区委办）")
    item = Item(
        "item",
        head=Head(span(head), "standalone"),
        paragraphs=[first, span((last, "区委书记宋洁讲话。"))],
        attribution=TextSpan("区委办", "（区委办）", [last], [0]),
    )
    brief_line = pages.line("△区农委开展培训。（区农委）")
    brief = Item(
        "brief",
        paragraphs=[span((brief_line, "区农委开展培训。"))],
        attribution=TextSpan("区农委", "（区农委）", [brief_line], [0]),
    )
    run_in = pages.line("强化服务 区政务中心推出", page=2)
    run_in_item = Item(
        "item",
        head=Head(span((run_in, "强化服务")), "run-in"),
        paragraphs=[span((run_in, "区政务中心推出"), pages.line("延时服务。", page=2))],
    )
    footer = [
        DistributionEntry("报", span((pages.line("报：市委办公厅", page=2), "市委办公厅"))),
        DistributionEntry("送", span((pages.line("送：区委常委", page=2), "区委常委"))),
        DistributionEntry(None, span(pages.line("共印50份", page=2))),
    ]
    return pages.document(
        masthead=top,
        items=[item, brief, run_in_item],
        distribution=footer,
        repairs=["join_wrapped_lines", "drop_cjk_spaces"],
        engine=["pdfplumber 0.11.4"],
    )
