"""Paragraph recall against a tagged PDF's own structure tree (read with pdfinfo -struct-text).

The planning-bureau PDF is tagged: Word wrote its paragraphs as P elements. We take the body
paragraphs of that tree and count how many come out of the conversion as one paragraph each,
character for character (whitespace and half/full-width punctuation aside).

What counts as a body paragraph of the tree: P elements outside tables and tables of
contents, where a P that breaks off mid-sentence (the tree splits paragraphs at page breaks)
is joined to the next one unless that one opens a numbered item, and a P that runs a
numbered heading on after a finished sentence ("…持平。六、…") is split before the heading;
then every paragraph of at least 20 characters that ends a sentence.

The tree also puts into one P what the page prints as separate blocks: a table's note and the
next table's title (``注：本表反映…情况。一般公共预算财政拨款支出决算表…``), a heading, its
subheading and the first paragraph (``五、…情况说明（一）…总体情况一般公共预算…``). Such a
P is found when consecutive blocks of the conversion (headlines and paragraphs, in order)
spell it exactly; the strict count is printed beside it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bulletin_ocr.api import convert
from bulletin_ocr.repair.fixes import FULL_WIDTH
from conftest import require_command

TAGGED = "putuo_planning_resources_bureau_2024_final_accounts.pdf"
MIN_RECALL = 0.97  # measured 61 of 62 (strictly, one P to one paragraph: 56 of 62)
NUMBERED = re.compile(r"^([0-9]+[.、．]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第)")
HEADING_AFTER_SENTENCE = re.compile(r"(?<=[。；！？])(?=[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
SKIPPED_PARENTS = {"Table", "TR", "TD", "TH", "TOC", "TOCI"}


def tagged_paragraphs(pdf: Path) -> list[str]:
    """The text of each P element of the structure tree, outside tables, in order."""
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    paragraphs: list[list[str] | None] = []
    stack: list[tuple[int, str]] = []
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        content = line.strip()
        quoted = re.fullmatch(r'"(.*)"', content)
        if quoted:
            if paragraphs and paragraphs[-1] is not None:
                paragraphs[-1].append(quoted.group(1))
            continue
        tag = content.split(" ")[0]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        skipped = any(parent in SKIPPED_PARENTS for _, parent in stack)
        stack.append((indent, tag))
        if tag == "P":
            paragraphs.append(None if skipped else [])
    return ["".join(parts) for parts in paragraphs if parts is not None]


def normalise(text: str) -> str:
    return "".join(FULL_WIDTH.get(c, c) for c in re.sub(r"\s", "", text))


def body_paragraphs(tagged: list[str]) -> list[str]:
    pieces = [
        piece
        for text in map(normalise, tagged)
        for piece in HEADING_AFTER_SENTENCE.split(text)
        if piece
    ]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        if carry and NUMBERED.match(piece):
            merged.append(carry)
            carry = ""
        text = carry + piece
        carry = ""
        if len(text) >= 35 and text[-1] not in "。；！？：":
            carry = text  # broken off at a page end: the rest is in the next P
            continue
        merged.append(text)
    return [text for text in merged if len(text) >= 20 and text[-1] in "。；！？"]


def test_paragraph_recall_against_the_structure_tree(shared_dir: Path) -> None:
    require_command("pdfinfo", "poppler-utils")
    pdf = shared_dir / "real" / "gov-pdf" / TAGGED
    reference = body_paragraphs(tagged_paragraphs(pdf))
    assert len(reference) > 40
    document = convert(pdf)
    ours = {normalise(p.text) for item in document.items for p in item.paragraphs}
    blocks = [
        normalise(span.text)
        for item in document.items
        for span in ([item.head.span] if item.head is not None else []) + item.paragraphs
    ]
    strict = [text for text in reference if text in ours]
    found = [text for text in reference if text in ours or _spelled_by_run(text, blocks)]
    recall = len(found) / len(reference)
    print(f"paragraph recall {len(found)}/{len(reference)} = {recall:.3f} "
          f"(strictly {len(strict)}/{len(reference)})")
    assert recall >= MIN_RECALL, [text[:40] for text in reference if text not in found]


def _spelled_by_run(text: str, blocks: list[str]) -> bool:
    """Whether two or more consecutive blocks, whole, spell ``text`` exactly."""
    for start, block in enumerate(blocks):
        if not text.startswith(block) or block == text:
            continue
        joined = block
        for following in blocks[start + 1 :]:
            joined += following
            if joined == text:
                return True
            if not text.startswith(joined):
                break
    return False
