"""Line labels from a generated bulletin's truth: what each line of an input is, for training.

The truth lists what is printed, in reading order (``generate.truth_chars``), but not how an
input broke it into lines. ``align_labels`` walks both as character streams (whitespace
removed, NFKC), matches them with ``difflib`` and gives each line the role of the first truth
character it holds (``bulletin_ocr.structure.labeller.LABELS``):

* the line holds the first character of a headline: ``head`` (standalone) or ``runin`` (a
  run-in headline: the paragraph that follows starts on this line or the next);
* of a paragraph: ``para``, or ``brief`` for a brief's (its mark, not in the truth's
  paragraph, is what opens the line); of an attribution on its own line: ``attr``; of a
  distribution entry: ``dist``;
* otherwise the line goes on with what its first character belongs to: ``head+``, ``para+``
  (also the rest of a run-in headline, which the paragraph block holds), ``attr+``, ``dist``;
* every line before the first item's is ``masthead``; a line that matches nothing after it
  (a page number the furniture pass missed) is ``other``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Char:
    """One printed truth character: the part it belongs to and whether it opens that part."""

    role: str
    """``masthead``, ``head``, ``runin``, ``para``, ``brief``, ``attr``, ``dist``."""
    opens: bool
    item: int = -1
    """The index of the truth item the character is part of (-1: none)."""


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _part(text: str, role: str, item: int = -1) -> list[tuple[str, Char]]:
    chars = _norm(text)
    return [(c, Char(role, k == 0, item)) for k, c in enumerate(chars)]


def truth_stream(truth: dict[str, Any]) -> list[tuple[str, Char]]:
    """Every printed truth character in reading order with its part (as ``truth_chars``)."""
    stream: list[tuple[str, Char]] = []
    mh = truth.get("masthead") or {}
    mark = truth.get("classification")
    for key in ("title", "issue", "cumulative_issue", "issuer", "date_text"):
        if key == "title" and mark:
            stream += _part(mark, "masthead")
        if mh.get(key):
            stream += _part(mh[key], "masthead")
    brief_mark = (truth.get("variant") or {}).get("brief_mark", "△")
    for number, item in enumerate(truth.get("items") or []):
        if item.get("head"):
            role = "runin" if item["head_rend"] == "run-in" else "head"
            stream += _part(item["head"], role, number)
        for k, paragraph in enumerate(item.get("paragraphs") or []):
            if item["type"] == "brief" and k == 0:
                stream += [(c, Char("brief", True)) for c in _norm(brief_mark)]
                stream += [(c, Char("brief", False)) for c in _norm(paragraph)]
            else:
                stream += _part(paragraph, "para")
        if item.get("attribution"):
            stream += _part(f"（{item['attribution']}）", "attr")
    for entry in truth.get("distribution") or []:
        label = f"{entry['label']}：" if entry.get("label") else ""
        stream += _part(label + entry["text"], "dist")
    return stream


_GOES_ON = {"head": "head+", "runin": "para+", "para": "para+", "brief": "para+",
            "attr": "attr+", "dist": "dist", "masthead": "masthead"}


def align_labels(lines: Sequence[str], truth: dict[str, Any]) -> list[str]:
    """One label per line of ``lines`` (an input's lines in reading order, as the structure
    stage sees them), from ``truth`` (a generator truth JSON or any dict of its shape)."""
    return align(lines, truth)[0]


def align(lines: Sequence[str], truth: dict[str, Any]) -> tuple[list[str], dict[int, str]]:
    """The labels of ``align_labels``, and the truth headline of each line labelled
    ``runin`` (by line index): what a run-in headline's end is learned from."""
    stream = truth_stream(truth)
    target = "".join(c for c, _ in stream)
    source = ""
    owner: list[int] = []
    for index, line in enumerate(lines):
        text = _norm(line)
        source += text
        owner += [index] * len(text)
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    first: dict[int, Char] = {}
    roles: dict[int, set[str]] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            first.setdefault(owner[a + k], stream[b + k][1])
            roles.setdefault(owner[a + k], set()).add(stream[b + k][1].role)
    labels = []
    body_started = False
    for index in range(len(lines)):
        char = first.get(index)
        if char is None:
            labels.append("other" if body_started else "masthead")
            continue
        if char.role == "masthead" and not body_started:
            labels.append("masthead")
            continue
        body_started = True
        labels.append(char.role if char.opens and char.role != "dist" else _GOES_ON[char.role])
    labels = _run_in_heads_alone(_masthead_before_body(labels), roles)
    items = truth.get("items") or []
    heads = {index: items[first[index].item]["head"]
             for index, label in enumerate(labels) if label == "runin"}
    return labels, heads


def _run_in_heads_alone(labels: list[str], roles: dict[int, set[str]]) -> list[str]:
    """A run-in headline whose paragraph the input starts on a line of its own (pdftotext
    moves the body below it) reads as a standalone one there: ``head`` and ``head+``."""
    out = list(labels)
    for index, label in enumerate(labels):
        if label != "runin":
            continue
        end = index + 1
        while end < len(labels) and labels[end] == "para+" and roles.get(end) == {"runin"}:
            end += 1
        if roles.get(index) == {"runin"} and (end == len(labels) or labels[end] != "para+"):
            out[index : end] = ["head"] + ["head+"] * (end - index - 1)
    return out


def _masthead_before_body(labels: list[str]) -> list[str]:
    """Masthead text matched after the first item (a short masthead string found again inside
    the body by the matcher) is not masthead: it goes on with the line before."""
    out: list[str] = []
    seen_body = False
    for label in labels:
        if label == "masthead" and seen_body:
            label = "other"
        seen_body = seen_body or label != "masthead"
        out.append(label)
    return out


def head_split(text: str, head: str) -> int | None:
    """Where ``head`` (a truth headline) ends in ``text`` (a run-in paragraph's opening, with
    the extraction's spaces and line breaks): the offset after its last character; None when
    ``text`` does not open with it."""
    want = _norm(head)
    got = ""
    for index, char in enumerate(text):
        got += _norm(char)
        if len(got) >= len(want):
            return index + 1 if got == want else None
    return None
