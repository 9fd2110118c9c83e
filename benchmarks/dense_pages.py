"""Dense bulletin pages for the OCR benchmark: full A4 pages of 16-pt text at 300 dpi, degraded.

The sample scans are light (a masthead and a few items); archives are mostly full pages of body
text, where recognition dominates. Each page here is typeset from invented bulletin-style
sentences (phrase banks below, nothing copied from real bulletins) in one of the CJK faces
installed on the machine, with 20-28 lines of 26-28 characters, a headline, indented paragraphs,
attributions in full-width parentheses and a page number, then degraded like an office scan:
paper tint, a slight skew, sensor noise, blur and JPEG compression.

Pages are made deterministically from their index (``numpy.random.default_rng([SEED, index])``)
and cached as ``page-NNN.jpg`` (300 dpi JFIF) and ``page-NNN.txt`` (the truth, one printed line
per line) under ``$BULLETIN_OCR_BENCH_CACHE`` or ``~/.cache/bulletin-ocr/bench/dense-vN/``;
nothing is committed. Run ``python benchmarks/dense_pages.py N`` to make N pages and print where.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Bump when the typesetting or the degradations change, so old caches are not reused.
VERSION = 1
SEED = 20261127
DPI = 300
A4_PX = (2480, 3508)
BODY_PT = 16
EM = round(BODY_PT / 72 * DPI)  # 67 px
FONTS = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
    "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
NO_LINE_START = frozenset("，。、；：？！）”%")
HEADLINE_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # 黑体-like, as bulletins set heads

# --- phrase banks (invented) -----------------------------------------------------------------

ORGS = (
    "区委组织部", "区发展改革局", "区农业农村局", "区人社局", "区市场监管局", "区生态环境分局",
    "区住建局", "区教育局", "区卫生健康局", "区应急管理局", "区财政局", "区税务局", "区文旅局",
    "区交通运输局", "区水利局", "区民政局", "区司法局", "区退役军人事务局", "区医保局",
    "清溪街道", "柳塘镇", "白石乡", "东湖街道", "南岭镇", "区城管执法局", "区统计局",
)
WHEN = ("近日", "日前", "本周", "3月以来", "今年以来", "上半年", "节前", "月初", "近期")
ACTIONS = (
    "组织召开", "集中开展", "深入推进", "扎实推进", "专题部署", "全面启动", "认真落实",
    "统筹推进", "持续深化", "积极探索", "稳步实施", "督促落实",
)
TOPICS = (
    "安全生产大检查", "春耕备耕服务", "营商环境优化", "稳就业促增收", "农村人居环境整治",
    "城市精细化管理", "基层治理创新", "民生实事项目", "防汛抗旱准备", "校园食品安全排查",
    "重点项目建设", "老旧小区改造", "医保基金监管", "消防隐患整治", "河湖长制落实",
    "社区养老服务", "数字政务建设", "矛盾纠纷化解", "文明城市创建", "耕地保护专项行动",
)
MEANS = (
    "采取“四不两直”方式", "通过现场办公", "坚持问题导向", "聚焦群众关切", "按照“一企一策”要求",
    "采用清单化管理", "实行周调度月通报", "结合“我为群众办实事”", "依托网格化平台",
    "通过部门联动", "坚持标本兼治",
)
RESULTS = (
    "共走访企业{a}家，发现问题{b}个，已整改{c}个",
    "累计投入资金{d}万元，惠及群众{e}余户",
    "完成率达{p}%，较去年同期提高{q}个百分点",
    "培训基层干部{a}人次，印发宣传资料{e}份",
    "新增就业岗位{e}个，帮助{a}名困难人员实现再就业",
    "排查隐患{b}处，下达整改通知书{c}份",
    "受理群众诉求{e}件，办结率{p}%",
    "签约项目{c}个，总投资{d}亿元",
)
CLOSINGS = (
    "下一步，将进一步压实责任，健全长效机制，确保各项工作落地见效",
    "会议要求，各单位要提高政治站位，强化统筹协调，切实把好事办实、实事办好",
    "下阶段，将持续跟踪问效，对整改不力的严肃问责",
    "目前，各项工作正有序推进，群众满意度明显提升",
    "此次活动得到了辖区群众的广泛好评",
    "各相关部门要加强协作配合，形成工作合力",
)
HEADS = (
    "{org}{action}{topic}", "{topic}取得阶段性成效", "{org}扎实做好{topic}工作",
    "多措并举推进{topic}", "{org}：以{topic}为抓手提升服务效能",
)


@dataclass(frozen=True)
class DensePage:
    """One cached page: the JPEG to read, and its truth (one printed line per line)."""

    index: int
    image: Path
    truth: Path
    font: str

    def reference(self) -> str:
        return self.truth.read_text(encoding="utf-8")


def cache_dir() -> Path:
    override = os.environ.get("BULLETIN_OCR_BENCH_CACHE")
    base = Path(override) if override else Path.home() / ".cache" / "bulletin-ocr" / "bench"
    return base / f"dense-v{VERSION}"


def dense_pages(count: int, directory: Path | None = None) -> list[DensePage]:
    """The first ``count`` dense pages, made now if not cached yet."""
    directory = directory or cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    pages = []
    for index in range(count):
        image, truth = directory / f"page-{index:03d}.jpg", directory / f"page-{index:03d}.txt"
        font = FONTS[index % len(FONTS)]
        if not (image.is_file() and truth.is_file()):
            _make_page(index, font, image, truth)
        pages.append(DensePage(index, image, truth, font))
    return pages


# --- text ------------------------------------------------------------------------------------


def _sentence(rng: Any) -> str:
    numbers = {
        "a": int(rng.integers(12, 480)), "b": int(rng.integers(5, 90)),
        "c": int(rng.integers(3, 60)), "d": f"{rng.uniform(10, 900):.1f}",
        "e": int(rng.integers(100, 9000)), "p": f"{rng.uniform(85, 99.9):.1f}",
        "q": f"{rng.uniform(0.5, 12):.1f}",
    }
    kind = int(rng.integers(0, 3))
    org, when = _pick(rng, ORGS), _pick(rng, WHEN)
    action, topic, means = _pick(rng, ACTIONS), _pick(rng, TOPICS), _pick(rng, MEANS)
    result = _pick(rng, RESULTS).format(**numbers)
    if kind == 0:
        return f"{when}，{org}{means}，{action}{topic}，{result}。"
    if kind == 1:
        return f"{org}{action}{topic}，{result}。"
    return f"{_pick(rng, CLOSINGS)}。"


def _pick(rng: Any, bank: Sequence[str]) -> str:
    return bank[int(rng.integers(0, len(bank)))]


def _paragraph(rng: Any, sentences: int) -> str:
    return "".join(_sentence(rng) for _ in range(sentences))


def _headline(rng: Any) -> str:
    return _pick(rng, HEADS).format(
        org=_pick(rng, ORGS), action=_pick(rng, ACTIONS), topic=_pick(rng, TOPICS)
    )


# --- typesetting -----------------------------------------------------------------------------


def _break_lines(text: str, font: Any, width: float, indent: float) -> list[str]:
    """Greedy line breaks by the face's own advances; the first line starts ``indent`` in."""
    lines, current, room = [], "", width - indent
    for char in text:
        # Closing punctuation never starts a line: it hangs in the margin instead.
        if current and char not in NO_LINE_START and font.getlength(current + char) > room:
            lines.append(current)
            current, room = "", width
        current += char
    if current:
        lines.append(current)
    return lines


@dataclass
class _Printed:
    text: str
    x: float
    font: Any


def _typeset(rng: Any, font_path: str) -> tuple[list[list[_Printed]], int, int]:
    """Lines of the page (each a list of pieces set on one baseline), the top and the pitch."""
    from PIL import ImageFont

    body = ImageFont.truetype(font_path, EM)
    head = ImageFont.truetype(HEADLINE_FONT, round(EM * 1.25))
    chars = int(rng.integers(26, 29))
    target_lines = int(rng.integers(20, 29))
    column = chars * EM
    left = (A4_PX[0] - column) // 2
    pitch = min(round(2.0 * EM), (A4_PX[1] - 2 * 330) // (target_lines + 1))
    lines: list[list[_Printed]] = []
    while len(lines) < target_lines - 2:
        title = _headline(rng)
        width = head.getlength(title)
        lines.append([_Printed(title, left + (column - width) / 2, head)])
        for paragraph_number in range(int(rng.integers(1, 3))):
            text = _paragraph(rng, int(rng.integers(2, 4)))
            last = paragraph_number == 1 or rng.random() < 0.4
            if last:
                text += f"（{_pick(rng, ORGS)}）"
            for number, line in enumerate(_break_lines(text, body, column, 2 * EM)):
                lines.append([_Printed(line, left + (2 * EM if number == 0 else 0), body)])
            if last:
                break
    lines = lines[:target_lines]
    while lines and len(lines[-1]) == 1 and lines[-1][0].font is head:
        lines.pop()  # a headline without its text would be a widow at the page foot
    return lines, 330, pitch


def _make_page(index: int, font_path: str, image_path: Path, truth_path: Path) -> None:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng([SEED, index])
    lines, top, pitch = _typeset(rng, font_path)
    paper, ink = int(rng.integers(232, 250)), int(rng.integers(15, 45))
    page = Image.new("L", A4_PX, paper)
    draw = ImageDraw.Draw(page)
    for number, pieces in enumerate(lines):
        for piece in pieces:
            draw.text((piece.x, top + number * pitch), piece.text, font=piece.font, fill=ink)
    folio = f"— {index + 1} —"
    small = ImageFont.truetype(font_path, round(EM * 0.8))
    draw.text(((A4_PX[0] - small.getlength(folio)) / 2, A4_PX[1] - 220), folio, font=small,
              fill=ink)
    pixels = _degrade(np.asarray(page), rng, paper)
    Image.fromarray(pixels).save(
        image_path, quality=int(rng.integers(60, 80)), dpi=(DPI, DPI), optimize=False
    )
    truth = [piece.text for pieces in lines for piece in pieces] + [folio]
    truth_path.write_text("\n".join(truth) + "\n", encoding="utf-8")


def _degrade(pixels: Any, rng: Any, paper: int) -> Any:
    """A slight skew, sensor noise under scanner blur; JPEG is applied when saving."""
    import cv2
    import numpy as np

    angle = float(rng.uniform(-1.2, 1.2))
    noise_sigma, blur_sigma = float(rng.uniform(4, 9)), float(rng.uniform(0.6, 1.0))
    height, width = pixels.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=paper)
    noise = np.random.default_rng(rng.integers(0, 2**32)).normal(0, noise_sigma, turned.shape)
    noisy = np.clip(turned.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return np.asarray(cv2.GaussianBlur(noisy, (0, 0), blur_sigma), dtype=np.uint8)


if __name__ == "__main__":
    made = dense_pages(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
    print(f"{len(made)} pages in {made[0].image.parent}")
