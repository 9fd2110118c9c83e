"""Clean-text export: masthead, contents, section labels, headlines, paragraphs, footer and foot
notes as blank-line separated blocks."""

from __future__ import annotations

from bulletin_ocr.model import Document, Item, Masthead

BRIEF_MARK = "△"


def render_text(doc: Document) -> str:
    """Render ``doc`` as clean text (design §4): blocks separated by one blank line, the
    foot notes last, one block each.

    An empty document renders as the empty string; anything else ends with exactly one newline.
    """
    blocks: list[str] = []
    if doc.masthead is not None:
        blocks.append("\n".join(_masthead_lines(doc.masthead)))
    if doc.contents is not None:
        # 本期要目: its heading and one line per entry, leaders and page numbers left out.
        head = [doc.contents.head.text] if doc.contents.head is not None else []
        blocks.append("\n".join(head + [entry.text for entry in doc.contents.entries]))
    section = None
    for item in doc.items:
        if item.section is not None and item.section is not section:
            blocks.append(item.section.span.text)  # the label as printed: 【工作动态】
        section = item.section
        blocks.extend(_item_blocks(item))
    blocks.append("\n".join(_distribution_line(e.label, e.text) for e in doc.distribution))
    # Foot notes are the author's text, read after the body as a book's end notes are; margin
    # references (the original edition's pages) are apparatus, like page numbers: JSON and TEI.
    blocks.extend(note.text for note in doc.notes if note.place == "foot")
    cleaned = [block for block in (_tidy_block(b) for b in blocks) if block]
    return "\n\n".join(cleaned) + "\n" if cleaned else ""


def _masthead_lines(masthead: Masthead) -> list[str]:
    if masthead.spans:
        return [span.text for span in masthead.spans]
    # Structure may fill the fields without spans; losing the masthead from the text would be worse
    # than guessing its printed order.
    fields = (
        masthead.title,
        masthead.issue,
        masthead.cumulative_issue,
        masthead.issuer,
        masthead.date_text,
    )
    return [field for field in fields if field]


def _item_blocks(item: Item) -> list[str]:
    if item.table is not None:
        # One line per row, cells separated by tabs: a delimited block any tool can split.
        return ["\n".join("\t".join(row) for row in item.table.rows)]
    body = [span.text for span in item.paragraphs]
    if item.attribution is not None:
        suffix = f"（{item.attribution.text}）"
        if body:
            body[-1] += suffix
        else:
            body.append(suffix)
    if item.kind == "brief":
        # A bare △ line is still printed text; it must not vanish with an empty body.
        body = body or [""]
        body[0] = BRIEF_MARK + body[0]
    head = [item.head.text] if item.head is not None else []
    return head + body


def _distribution_line(label: str | None, text: str) -> str:
    return f"{label}：{text}" if label is not None else text


def _tidy_block(block: str) -> str:
    # A blank line inside a block would read as a block boundary, so blank lines are dropped
    # rather than allowed to break the "exactly one blank line between blocks" contract.
    return "\n".join(line for line in block.split("\n") if line.strip())
