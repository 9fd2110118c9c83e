"""Score a conversion's structure against a bulletin's truth.

``got`` is the converter's JSON (``bulletin_ocr.export.json.document_to_dict(convert(path))``,
or any dict with its ``masthead``, ``items`` and ``distribution``); ``truth`` is a truth JSON
written by the generator, or a ``samples/expected/*.json``, or any dict of the same shape.
``score(got, truth)`` counts, per bulletin; ``aggregate(scores)`` turns counts into rates over a
set of bulletins. Exactly:

* **Normalisation** ``norm(s)``: Unicode NFKC (so full-width and ASCII punctuation compare
  equal, （ = ( and ： = :), then every whitespace character removed. All comparisons below are
  of normalised strings. Items of type ``table`` are ignored on both sides.
* **Headline F1**: the multiset H_t of ``norm(head)`` over truth items that have a headline and
  the multiset H_g over converted items that have one. TP = |H_t ∩ H_g| (multiset
  intersection: a headline matches only if its whole text is exact); precision = TP / |H_g|,
  recall = TP / |H_t|, F1 = 2PR / (P + R). Over a set of bulletins the counts are summed first
  (micro average); with nothing on either side, P, R and F1 are 1.
* **Attribution F1**: the same with ``norm(attribution)`` (the organisation without its
  parentheses).
* **Paragraph-boundary F1**: the body text B is the concatenation of ``norm(p)`` over the
  paragraphs of all items in order (headlines and attributions left out). A boundary is the
  offset in B where a paragraph other than the very first starts, so a new item's first
  paragraph is a boundary too. The converted body text B_g differs from the truth's B_t where
  the structure is wrong (a headline or attribution left inside a paragraph, lost text), so its
  boundaries are mapped into B_t through the matching blocks of ``difflib.SequenceMatcher(None,
  B_g, B_t, autojunk=False)``: a boundary at offset g in B_g maps to b + (g - a) for the first
  block (a, b, size) with a <= g <= a + size; one in no block is a false positive. TP = mapped
  boundaries that are truth boundaries; P, R and F1 as above (micro average).
* **Item-count accuracy**: share of bulletins whose number of items (items and briefs) equals
  the truth's.
* **Masthead field accuracy**, per field (title, issue, cumulative_issue, issuer, date,
  date_text): share of bulletins where ``norm`` of the converted value equals ``norm`` of the
  truth's, a missing value (or no masthead at all) counting as null, so a null truth is matched
  only by a null. ``date`` is counted only over bulletins whose truth has a date
  (``date_n``).
* **Masthead leakage**: a bulletin leaks if any truth masthead string (title, issue,
  cumulative issue, issuer, date_text, and the classification mark if the truth names one), of
  two characters or more, occurs as a substring of the normalised text of the converted items
  (headlines, paragraphs, attributions). Rate = share of bulletins that leak.
* **Structure exact**: share of bulletins whose projection (masthead fields, items as
  type/head/head_rend/paragraphs/attribution, distribution) equals the truth's, exactly, with no
  normalisation: the comparison ``tests/test_samples.py`` makes.
* **Conventions** (only for a truth made with ``--conventions``, which has ``contents``):
  *convention leaks* counts, for every TOC entry, section label (as printed) and footer entry
  (label and text as printed) of the truth, how many more times its normalised text occurs
  in the converted items' text (headlines, paragraphs, attributions) than in the truth's
  items' text: a TOC entry occurs once in the truth (as its item's headline), so an entry
  read as an item counts one. ``secrecy`` and ``signer``: the masthead field equals the
  truth's (null matches null); ``contents``: the list of entries equals the truth's;
  ``sections``: the sections follow each other as in the truth and every converted item
  whose headline is a truth item's has that item's section; ``footer``: the
  distribution entries (label and text) equal the truth's. Rates are over those bulletins.
* **CER** (scans): Levenshtein distance between the normalised document text of the conversion
  and of the truth, divided by the length of the truth's; over a set of bulletins, the sums of
  distances and lengths. The document text is the masthead fields (title, issue, cumulative
  issue, issuer, date_text), then each item's headline, paragraphs and attribution, then the
  distribution texts, in that order: text the structure puts in the wrong place (a masthead
  read as the first item, a headline left in its paragraph) costs nothing, text misread, lost
  or read in the wrong order (columns read across) does. A classification mark has no field in
  the truth, so one kept in an item counts as inserted.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MASTHEAD_FIELDS = ("title", "issue", "cumulative_issue", "issuer", "date", "date_text")
ITEM_KEYS = ("type", "head", "head_rend", "paragraphs", "attribution")


def norm(text: str | None) -> str:
    """NFKC, whitespace removed.

    >>> norm(" 第7期（总第152期） "), norm(None)
    ('第7期(总第152期)', '')
    """
    if not text:
        return ""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Score:
    """Counts for one bulletin (see the module docstring for what each counts)."""

    head_tp: int = 0
    head_got: int = 0
    head_true: int = 0
    attr_tp: int = 0
    attr_got: int = 0
    attr_true: int = 0
    para_tp: int = 0
    para_got: int = 0
    para_true: int = 0
    items_ok: bool = False
    masthead: dict[str, bool] = field(default_factory=dict)
    has_date: bool = False
    leak: list[str] = field(default_factory=list)
    exact: bool = False
    cer_edits: int = 0
    cer_len: int = 0
    conventions: dict[str, bool] = field(default_factory=dict)
    """secrecy, signer, contents, sections, footer: right or not (empty without them)."""
    convention_leaks: int = 0


def _items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for it in doc.get("items") or [] if it.get("type") != "table"]


def multiset_tp(truth: Iterable[str], got: Iterable[str]) -> tuple[int, int, int]:
    """(matches, number got, number true) of two multisets of normalised strings."""
    t, g = Counter(truth), Counter(got)
    return sum((t & g).values()), sum(g.values()), sum(t.values())


def paragraph_boundaries(items: list[dict[str, Any]]) -> tuple[str, list[int]]:
    """The body text and the offsets where its paragraphs (all but the first) start.

    >>> paragraph_boundaries([{"paragraphs": ["甲乙", "丙"]}, {"paragraphs": ["丁 戊"]}])
    ('甲乙丙丁戊', [2, 3])
    """
    text, starts = "", []
    for item in items:
        for para in item.get("paragraphs") or []:
            if text:
                starts.append(len(text))
            text += norm(para)
    return text, starts


def map_offsets(source: str, target: str, offsets: list[int]) -> list[tuple[int, int] | None]:
    """Where in ``target`` each offset of ``source`` may lie, through their matching blocks:
    a span, since text missing at the offset (a 。 OCR lost before a paragraph) leaves the
    offset anywhere between the end of the block before and the start of the block after.

    >>> map_offsets("XX甲乙丙", "甲乙丙", [3, 4]), map_offsets("甲乙", "丙丁", [1])
    ([(1, 1), (2, 2)], [None])
    >>> map_offsets("甲乙丙丁", "甲乙。丙丁", [2])  # the 。 before the boundary lost
    [(2, 3)]
    """
    blocks = difflib.SequenceMatcher(None, source, target, autojunk=False).get_matching_blocks()
    out: list[tuple[int, int] | None] = []
    for g in offsets:
        inside = next((b + (g - a) for a, b, size in blocks if size and a <= g < a + size), None)
        before = next((b + size for a, b, size in blocks if size and g == a + size), None)
        ends = [x for x in (before, inside) if x is not None]
        out.append((min(ends), max(ends)) if ends else None)
    return out


def boundary_hits(spans: list[tuple[int, int] | None], starts: list[int]) -> int:
    """How many of the true paragraph ``starts`` a mapped boundary falls on, each counted once.

    >>> boundary_hits([(2, 3), (5, 5), None], [3, 5, 9])
    2
    """
    matched: set[int] = set()
    for span in spans:
        if span is None:
            continue
        hit = next((t for t in starts if span[0] <= t <= span[1] and t not in matched), None)
        if hit is not None:
            matched.add(hit)
    return len(matched)


def item_text(items: list[dict[str, Any]]) -> str:
    return "".join(norm(it.get("head")) + "".join(norm(p) for p in it.get("paragraphs") or [])
                   + norm(it.get("attribution")) for it in items)


def document_text(doc: dict[str, Any]) -> str:
    """Masthead fields, items and distribution texts, normalised, in that order."""
    mh = doc.get("masthead") or {}
    head = "".join(norm(mh.get(k)) for k in ("title", "issue", "cumulative_issue", "issuer",
                                             "date_text"))
    tail = "".join(norm(e.get("text")) for e in doc.get("distribution") or [])
    return head + item_text(_items(doc)) + tail


def projection(doc: dict[str, Any]) -> dict[str, Any]:
    """Masthead fields, items and distribution, as samples/expected/*.json has them."""
    mh = doc.get("masthead")
    return {
        "masthead": {k: mh.get(k) for k in MASTHEAD_FIELDS} if mh else None,
        "items": [{k: it.get(k) for k in ITEM_KEYS} for it in _items(doc)],
        "distribution": [{"label": e.get("label"), "text": e.get("text")}
                         for e in doc.get("distribution") or []],
    }


def masthead_strings(truth: dict[str, Any]) -> list[str]:
    mh = truth.get("masthead") or {}
    values = [mh.get(k) for k in ("title", "issue", "cumulative_issue", "issuer", "date_text")]
    values.append(truth.get("classification"))
    return [norm(v) for v in values if v and len(norm(v)) >= 2]


def score(got: dict[str, Any], truth: dict[str, Any], with_cer: bool = False) -> Score:
    s = Score()
    g_items, t_items = _items(got), _items(truth)
    s.head_tp, s.head_got, s.head_true = multiset_tp(
        (norm(it["head"]) for it in t_items if it.get("head")),
        (norm(it["head"]) for it in g_items if it.get("head")))
    s.attr_tp, s.attr_got, s.attr_true = multiset_tp(
        (norm(it["attribution"]) for it in t_items if it.get("attribution")),
        (norm(it["attribution"]) for it in g_items if it.get("attribution")))
    t_text, t_starts = paragraph_boundaries(t_items)
    g_text, g_starts = paragraph_boundaries(g_items)
    s.para_tp = boundary_hits(map_offsets(g_text, t_text, g_starts), t_starts)
    s.para_got, s.para_true = len(g_starts), len(t_starts)
    s.items_ok = len(g_items) == len(t_items)
    g_mh, t_mh = got.get("masthead") or {}, truth.get("masthead") or {}
    s.masthead = {k: norm(g_mh.get(k)) == norm(t_mh.get(k)) for k in MASTHEAD_FIELDS}
    s.has_date = bool(t_mh.get("date"))
    body = item_text(g_items)
    s.leak = [m for m in masthead_strings(truth) if m in body]
    s.exact = projection(got) == projection(truth)
    if "contents" in truth:
        s.conventions, s.convention_leaks = score_conventions(got, truth)
    if with_cer:
        from benchmarks.bench_ocr import levenshtein

        ref = document_text(truth)
        s.cer_edits, s.cer_len = levenshtein(ref, document_text(got)), len(ref)
    return s


def convention_strings(truth: dict[str, Any]) -> list[str]:
    """What the conventions print that is no item text: TOC entries, section labels, and
    footer entries as printed."""
    labels = [it.get("section_label") for it in _items(truth)]
    footer = [(f"{e['label']}：" if e["label"] else "") + e["text"]
              for e in truth.get("distribution") or []]
    return [norm(x) for x in [*truth.get("contents", []), *labels, *footer] if x]


def _runs(values: list[Any]) -> list[Any]:
    return [v for k, v in enumerate(values) if k == 0 or values[k - 1] != v]


def _sections_right(got: list[dict[str, Any]], truth: list[dict[str, Any]]) -> bool:
    """The sections follow each other as in the truth, and every converted item whose
    headline is a truth item's is in that item's section (an item lost to a headline the
    structure missed costs the headline F1, not this)."""
    by_head = {norm(it["head"]): it.get("section") for it in truth if it.get("head")}
    return _runs([it.get("section") for it in got]) == _runs(
        [it.get("section") for it in truth]) and all(
        by_head[norm(it["head"])] == it.get("section")
        for it in got if it.get("head") and norm(it["head"]) in by_head)


def score_conventions(got: dict[str, Any], truth: dict[str, Any]) -> tuple[dict[str, bool], int]:
    g_mh, t_mh = got.get("masthead") or {}, truth.get("masthead") or {}
    right = {k: norm(g_mh.get(k)) == norm(t_mh.get(k)) for k in ("secrecy", "signer")}
    right["contents"] = ([norm(x) for x in got.get("contents") or []]
                         == [norm(x) for x in truth["contents"]])
    right["sections"] = _sections_right(_items(got), _items(truth))
    right["footer"] = ([(e.get("label"), norm(e.get("text"))) for e in got.get("distribution")
                        or []] == [(e["label"], norm(e["text"])) for e in truth["distribution"]])
    g_text, t_text = item_text(_items(got)), item_text(_items(truth))
    leaks = sum(max(0, g_text.count(x) - t_text.count(x)) for x in convention_strings(truth))
    return right, leaks


def f1(tp: int, n_got: int, n_true: int) -> tuple[float, float, float]:
    """(precision, recall, F1); 1.0 where nothing was expected and nothing found.

    >>> f1(3, 4, 6)
    (0.75, 0.5, 0.6)
    """
    p = tp / n_got if n_got else (1.0 if not n_true else 0.0)
    r = tp / n_true if n_true else (1.0 if not n_got else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def aggregate(scores: list[Score]) -> dict[str, float]:
    """Rates over a set of bulletins (micro averages for the F1s)."""
    n = len(scores) or 1
    out: dict[str, float] = {"n": float(len(scores))}
    for key in ("head", "attr", "para"):
        tp = sum(getattr(s, f"{key}_tp") for s in scores)
        got = sum(getattr(s, f"{key}_got") for s in scores)
        true = sum(getattr(s, f"{key}_true") for s in scores)
        out[f"{key}_p"], out[f"{key}_r"], out[f"{key}_f1"] = f1(tp, got, true)
    out["items_acc"] = sum(s.items_ok for s in scores) / n
    for k in MASTHEAD_FIELDS:
        pool = [s for s in scores if s.has_date] if k == "date" else scores
        out[f"mh_{k}"] = sum(s.masthead.get(k, False) for s in pool) / (len(pool) or 1)
    out["date_n"] = float(sum(s.has_date for s in scores))
    out["leak"] = sum(bool(s.leak) for s in scores) / n
    out["exact"] = sum(s.exact for s in scores) / n
    conv = [s for s in scores if s.conventions]
    out["conv_n"] = float(len(conv))
    for k in ("secrecy", "signer", "contents", "sections", "footer"):
        out[f"conv_{k}"] = sum(s.conventions[k] for s in conv) / (len(conv) or 1)
    out["conv_leaks"] = float(sum(s.convention_leaks for s in conv))
    chars = sum(s.cer_len for s in scores)
    out["cer"] = sum(s.cer_edits for s in scores) / chars if chars else 0.0
    return out
