"""The conventions of real bulletin templates (issue 22), drawn at random behind a flag.

``generate(seed, conventions=True)`` (``python -m samples.corpus --conventions``) adds, each at
random in its own variants: a secrecy mark at the top left (``秘密★1年``, ``机密``,
``内部资料  注意保存``); the issue number on two centred lines (``第12期`` / ``（总第87期）``);
a signer line (issuer left, ``签发人：某某`` right) with the date on a line of its own; a table
of contents after the masthead rule (``≡本期要目≡`` or ``本期要目``, one line per item headline,
with dot leaders and a page number or not); section labels (``【工作动态】`` before each group of
items, or one ``≡本期详情≡``), left or centred, in the headline or the body face; a footer with
other labels (``抄送：``, ``呈报：``, ``报送：``), an imprint line (``XX办公室  2023年7月3日印发``)
a colophon (``分析：`` ``审核：`` ``编辑：`` ``校对：``, on one line or one per line) and a
contact line (``联系人：`` ``联系电话：``).

Every draw comes from a generator of its own (seeded from the bulletin's seed), so the
bulletin's other draws, and every bulletin made without the flag, stay as they were.
"""

from __future__ import annotations

import random
from typing import Any

from samples.corpus import content

CONVENTION_SEED = 22_000_000_000
VARIANTS: dict[str, tuple[Any, ...]] = {
    "secrecy": ("none", "secret_above", "confidential_above", "internal_above"),
    "issue_lines": ("one", "two"),
    "signer": ("none", "signer"),
    "date_align": ("center", "right"),
    "toc": ("none", "≡本期要目≡", "本期要目"),
    "toc_leaders": ("none", "dots"),
    "sections": ("none", "bracket", "details"),
    "section_align": ("left", "center"),
    "section_face": ("head", "body"),
    "footer_labels": ("报/送/发", "抄送", "呈报/抄送", "报送", "报/送"),
    "imprint": ("none", "imprint"),
    "colophon": ("none", "one_line", "lines"),
    "contact": ("none", "contact"),
}
SECTION_NAMES = ("工作动态", "基层经验", "舆情追踪", "部门动态", "经验交流", "专题调研")
DETAILS_LABEL = "≡本期详情≡"
COLOPHON_LABELS = ("分析", "审核", "编辑", "校对")


def conventions_rng(seed: int) -> random.Random:
    return random.Random(CONVENTION_SEED + seed)


def draw_conventions(rng: random.Random) -> dict[str, Any]:
    """One value per key, uniformly."""
    return {key: rng.choice(values) for key, values in VARIANTS.items()}


def section_labels(items: list[dict[str, Any]], kind: str,
                   rng: random.Random) -> list[str | None]:
    """The label printed before each item (None where no label opens it), and each item's
    section name is set in place. ``bracket``: one to three groups of items in order, each
    under ``【name】``, the briefs in the last; ``details``: one ``≡本期详情≡`` before all."""
    labels: list[str | None] = [None] * len(items)
    if kind == "none" or not items:
        return labels
    if kind == "details":
        labels[0] = DETAILS_LABEL
        for item in items:
            item["section"] = DETAILS_LABEL.strip("≡")
        return labels
    heads = [k for k, item in enumerate(items) if item["type"] == "item"]
    groups = min(len(heads), rng.randint(1, 3))
    starts = sorted({0, *rng.sample(heads[1:], groups - 1)}) if groups > 1 else [0]
    names = rng.sample(SECTION_NAMES, len(starts))
    current = None
    for k, item in enumerate(items):
        if k in starts:
            current = names[starts.index(k)]
            labels[k] = f"【{current}】"
        item["section"] = current
    return labels


def footer_entries(w: content.Writer, labels: str) -> list[tuple[str, str]]:
    """Labelled distribution entries (label, targets)."""
    return [(label, "，".join(w.rng.sample(content.COPY_TARGETS, w.rng.randint(1, 3))))
            for label in labels.split("/")]


def colophon_fields(w: content.Writer) -> list[tuple[str, str]]:
    """Two to four of 分析/审核/编辑/校对, in that order, each with a person's name."""
    chosen = sorted(w.rng.sample(range(len(COLOPHON_LABELS)), w.rng.randint(2, 4)))
    return [(COLOPHON_LABELS[k], w.person()) for k in chosen]


def field_rows(cv: dict[str, Any], w: content.Writer) -> list[dict[str, Any]]:
    """The footer's rows of ``label：value`` fields, as distribution entries; ``row`` numbers
    the printed row each stands on (typeset sets one row's fields across it, or, when the
    variant says ``lines``, one per row)."""
    rows = [colophon_fields(w) if cv["colophon"] != "none" else []]
    if cv["contact"] == "contact":  # 联系人：王明    联系电话：0571-86001234
        phone = f"0{w.rng.randint(510, 599)}-8{w.rng.randint(1000000, 9999999)}"
        rows.append([("联系人", w.person()), ("联系电话", phone)])
    return [{"label": label, "text": text, "row": k}
            for k, row in enumerate(rows) for label, text in row]


def imprint_text(issuer: str, date_text: str) -> str:
    """The imprint's clean text (its two parts stand apart on the printed row)."""
    return f"{issuer}{date_text}印发"
