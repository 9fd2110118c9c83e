"""Property: every non-whitespace input character survives, in order, in the clean text.

The only changes allowed are the declared ones: half-width punctuation turned full width
(repair.fixes.FULL_WIDTH) and page-number furniture set aside.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bulletin_ocr.api import convert_text
from bulletin_ocr.export.text import render_text
from bulletin_ocr.repair.fixes import FULL_WIDTH

PIECES = st.sampled_from(
    [
        "区委", "组织部", "开展", "专项", "检查", "工作", "中共青川区委办公室", "2023年4月12日",
        "第7期", "（总第152期）", "工作动态", "△", "（区委组织部）", "(区农委)", "镇（街道）",
        "报：", "送:", "共印120份", "24.4", "17.6%", "9:30", "open data", "5G", "App",
        "，", "。", "、", "；", "：", ",", ":", ";", "!", "?", "(", ")", "“", "”", "《", "》",
        " ", "  ", "\n", "\n\n", "\n ", "\u3000\u3000", "-2-", "— 3 —",
    ]
)


def _allowed(raw: str, clean: str) -> bool:
    return raw == clean or FULL_WIDTH.get(raw) == clean


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=80))
def test_every_character_survives(pieces: list[str]) -> None:
    raw = "".join(pieces)
    if not raw.strip():
        return
    document = convert_text(raw)
    # Furniture lines are removed whole, in order; take exactly those lines out.
    furniture = [line.text for page in document.pages for line in page.furniture]
    kept = []
    for line in raw.replace("\f", "\n").split("\n"):
        if furniture and line.strip() == furniture[0]:
            furniture.pop(0)
            continue
        kept.append(line)
    assert not furniture
    expected = re.sub(r"\s", "", "".join(kept))
    clean = re.sub(r"\s", "", render_text(document))
    assert len(clean) == len(expected), (raw, render_text(document))
    assert all(_allowed(r, c) for r, c in zip(expected, clean, strict=True)), (raw, render_text(document))
