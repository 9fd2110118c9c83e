"""Golden checks on the two real raw extractions in ../shared/seeds.

The expectations below were read off the seed files by eye: the headlines, where each
paragraph starts, and each attribution, as the printed bulletin has them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin_ocr.api import convert
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.export.text import render_text
from bulletin_ocr.model import Document
from bulletin_ocr.repair.chars import is_wide
from conftest import require_shared

# (type, head rend, head, first characters of each paragraph, attribution, attribution alone)
SEED_000 = [
    ("item", "standalone", "上街区与中铝郑州企业召开2021年度厂区联席会议",
     ["4月25日，上街区", "区委书记宋洁代表", "宋洁强调，政府", "区委副书记、区长", "中国长城铝业"],
     None, False),
    ("item", "run-in", "区委组织部“三个精准”营造人才发展最优环境", ["一是精准摸清底数"], "区委组织部", False),
    ("item", "run-in", "区纪委监委“三个机制”提升信访工作满意度", ["一是建立健全"], "区纪委监委", True),
    ("item", "run-in", "区人社局联合住建局开展建筑工地专项检查工作", ["为有效规范"], "区人社局", False),
]
SEED_004 = [
    ("item", "run-in", "上街区十个重大项目集中开工",
     ["1月4日，郑州市2021年", "与会人员集中观看", "区委常委、常务副区长"], None, False),
    ("item", "run-in", "区督查局新年谋新篇以“一引领四提升”献礼建党100周年", ["新年伊始"], "区督查局", False),
    ("item", "run-in", "区审计局“四个一”提升信息宣传工作", ["一是打造一支"], "区审计局", False),
    ("item", "standalone", "区劳动人事争议仲裁院着力营造法治化营商环境", ["去年以来"], "区人社局", False),
    ("item", "run-in", "工业路街道“三近”居民锻炼青年党员干部", ["一是社区锻炼"], "工业路街道", False),
    ("item", "run-in", "峡窝镇发放“就地过年”倡议书扎实做好疫情防控工作", ["近日，区峡窝镇"], "峡窝镇", False),
    ("brief", None, None, ["2020年，我区建成区面积"], "区资源规划局", False),
    ("brief", None, None, ["去年，我区开展农产品"], "区农委", False),
]
SEEDS = {"000_25fbe0e783f18606.txt": SEED_000, "004_1b4d3b5d0c9ce85b.txt": SEED_004}


@pytest.fixture(params=sorted(SEEDS))
def seed(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[Path, Document]:
    path = require_shared(shared_dir / "seeds" / request.param)
    return path, convert(path)


def test_items_headlines_paragraphs_and_attributions(seed: tuple[Path, Document]) -> None:
    path, document = seed
    expected = SEEDS[path.name]
    found = [
        (
            item.kind,
            item.head.rend if item.head else None,
            item.head.text if item.head else None,
            [p.text[: len(start)] for p, start in zip(item.paragraphs, want[3], strict=False)]
            + [p.text[:12] for p in item.paragraphs[len(want[3]) :]],
            item.attribution.text if item.attribution else None,
            item.attribution_own_line,
        )
        for item, want in zip(document.items, expected, strict=False)
    ]
    assert found == expected
    assert len(document.items) == len(expected)


def test_masthead_of_the_seed_that_has_one(shared_dir: Path) -> None:
    document = convert(shared_dir / "seeds" / "004_1b4d3b5d0c9ce85b.txt")
    masthead = document.masthead
    assert masthead is not None
    assert (masthead.issuer, masthead.date, masthead.date_text) == (
        "中共上街区委办公室", "2021-01-06", "2021年1月6日"
    )
    no_masthead = convert(shared_dir / "seeds" / "000_25fbe0e783f18606.txt")
    assert no_masthead.masthead is None


def test_every_character_survives_in_order(seed: tuple[Path, Document]) -> None:
    path, document = seed
    raw = re.sub(r"\s", "", path.read_text(encoding="utf-8"))
    clean = re.sub(r"\s", "", render_text(document))
    assert clean == raw


def test_no_space_next_to_a_chinese_character(seed: tuple[Path, Document]) -> None:
    _, document = seed
    for line in render_text(document).splitlines():
        for match in re.finditer(r" ", line):
            before = line[match.start() - 1] if match.start() else ""
            after = line[match.end()] if match.end() < len(line) else ""
            assert not (is_wide(before) or is_wide(after)), line


def test_paragraphs_that_cross_a_page_break_are_joined(seed: tuple[Path, Document]) -> None:
    _, document = seed
    crossing = [p for item in document.items for p in item.paragraphs if len(p.pages) > 1]
    assert crossing, "each seed has paragraphs running over a page break"
    for paragraph in crossing:
        assert "\n" not in paragraph.text
    texts = [p.text for item in document.items for p in item.paragraphs]
    assert any("精细氧化铝转型升级，推动下游产品" in t for t in texts) or any(
        "年度计划投资6.4亿元" in t for t in texts
    )


def test_tei_is_valid(seed: tuple[Path, Document], validate_tei, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, document = seed
    target = tmp_path / "seed.tei.xml"
    target.write_bytes(render_tei(document))
    validate_tei(target)
