"""Layouts the real raw extractions show and the base variants never make (issue 22).

The labeller trained on the base corpus lost headlines on the real seeds and samples where
their layouts fall outside it (``benchmarks/README.md``, "Rules against the labeller"):

* ``lead``: the lead item's headline is run-in, right after the masthead
  (``上街区十个重大项目集中开工 1月4日，郑州市…``); the base corpus always sets it standalone;
* ``clause``: paragraphs open with a long clause of running text and no punctuation for a
  whole line (``区委书记宋洁代表区委区政府对中铝郑州企业长期以来的`` / ``支持表示衷心感谢。``),
  which a reader must not take for a run-in headline;
* ``long_runin``: run-in headlines long enough to wrap, so that the headline's tail shares
  its line with the body after the gap (``区教育局全面落实《…管理办`` / ``法(试行)》 春季学期…``).

Each key is drawn from a generator of its own (``layouts_rng``), so that a bulletin made
without ``layouts`` is the same, byte for byte, as before the keys existed.
"""

from __future__ import annotations

import random
from typing import Any

from samples.corpus import content

LAYOUT_SEED = 7_000_000_001

VARIANTS: dict[str, tuple[Any, ...]] = {
    "lead": ("standalone", "run-in"),
    "clause": ("none", "long"),
    "long_runin": ("none", "wrapped"),
}

# Long clauses of running text (no punctuation for 20-30 characters), as reports open their
# paragraphs.
_CLAUSES = (
    "{role}{person}代表{place}对{dept}长期以来的支持表示衷心感谢。",
    "{dept}党组书记{person}感谢{place}各级各部门对{topic}工作的关心和帮助。",
    "{role}{person}在讲话中充分肯定了{place}{topic}工作取得的成绩。",
    "为进一步推动{topic}各项政策措施在{place}落地见效{dept}",
    "{place}坚持把{topic}作为推动高质量发展的重要抓手持续用力，",
)
# What makes a run-in headline long enough to wrap: a document's title in book-title marks.
_DOCUMENTS = ("《{district}区{topic}三年行动方案（试行）》",
              "《关于进一步加强{topic}工作的实施意见》", "《{district}区{topic}工作考核办法》")


def layouts_rng(seed: int) -> random.Random:
    return random.Random(LAYOUT_SEED + seed)


def draw_layouts(rng: random.Random) -> dict[str, Any]:
    """One value per key, uniformly."""
    return {key: rng.choice(values) for key, values in VARIANTS.items()}


def _clause(w: content.Writer) -> str:
    text = w.rng.choice(_CLAUSES).format(
        role=w.pick(content.ROLES), person=w.person(), place=w.place(),
        dept=w.pick(content.DEPTS), topic=w.pick(content.TOPICS))
    return text if text.endswith("。") else text.rstrip("，") + "，"


def apply(items: list[content.Item], lv: dict[str, Any], w: content.Writer) -> None:
    """Change the drawn items in place as the layout keys ``lv`` say (``w`` draws from the
    layouts' own generator)."""
    rng = w.rng
    heads = [item for item in items if item.type == "item"]
    if lv["lead"] == "run-in" and heads:
        heads[0].head_rend = "run-in"
    if lv["clause"] == "long":
        for item in items:
            for k, paragraph in enumerate(item.paragraphs):
                if rng.random() < 0.5:
                    item.paragraphs[k] = _clause(w) + paragraph
    if lv["long_runin"] == "wrapped":
        for item in heads:
            if item.head_rend == "run-in" and item.head and rng.random() < 0.7:
                document = rng.choice(_DOCUMENTS).format(
                    district=w.district, topic=w.pick(content.TOPICS))
                subject = item.attribution or w.pick(content.DEPTS + content.TOWNS)
                item.head = f"{subject}全面落实{document}"
