"""Preprocessing steps, each on a synthetic bulletin page with a known turn, skew, light or noise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageDraw, ImageFont

from bulletin_ocr.preprocess import PreprocessOptions, preprocess
from bulletin_ocr.preprocess.denoise import denoise
from bulletin_ocr.preprocess.deskew import deskew, estimate_skew
from bulletin_ocr.preprocess.illumination import flatten_illumination
from bulletin_ocr.preprocess.orientation import detect_rotation, rotate
from bulletin_ocr.preprocess.resolution import estimate_dpi, normalize_resolution
from conftest import require_file

Page = npt.NDArray[np.uint8]

FONT = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """AR PL UMing at ``size`` pixels: the synthetic pages are set in it."""
    return ImageFont.truetype(str(require_file(FONT, "fonts-arphic-uming")), size, index=0)


HEADLINES = ["区委组织部选派年轻干部挂职锻炼", "高标准农田建设取得新进展", "食品安全专项行动成效明显"]
PARAGRAPHS = [
    "区委组织部开展年轻干部实践锻炼，选派42名优秀年轻干部到乡村振兴一线岗位挂职锻炼。挂职期间，干部们深入田间地头，走访农户1200余户，帮助解决群众急难愁盼问题86件，切实增强了服务群众的本领。（区委组织部）",
    "今年以来，区农业农村局围绕粮食安全和重要农产品稳定供给，扎实推进高标准农田建设，新建高标准农田3.6万亩，完成投资1.2亿元，有效提升了耕地质量和农业综合生产能力。",
    "区市场监管局聚焦食品安全“守底线、查隐患、保安全”专项行动，检查各类食品经营主体2300余家次，发现并整改问题隐患156处，立案查处违法案件23起，群众满意度持续提升。（区市场监管局）",
    "为进一步优化营商环境，区政务服务中心推行“一窗受理、集成服务”改革，将企业开办时间压缩至1个工作日以内，全年累计办理各类事项12.4万件，按时办结率达到100%。",
    "区教育局持续深化教育领域综合改革，新建改扩建中小学校5所，新增学位3600个，组织开展教师全员培训，切实减轻学生过重作业负担和校外培训负担，办学质量稳步提高。",
    "区卫生健康委员会扎实推进健康乡村建设，为全区65岁以上老年人免费开展健康体检，建立健全家庭医生签约服务制度，重点人群签约率达到78.5%，基层医疗服务能力明显增强。（区卫健委）",
]
# Punctuation that may not start a line hangs at the end of the one before, as typesetters do.
NO_LINE_START = "，。、；：）”"


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if line and font.getlength(line + char) > width and char not in NO_LINE_START:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def render_page(dpi: int = 200, points: float = 14, leading: float = 1.7) -> Page:
    """An A4 bulletin page: centred headlines, paragraphs indented two characters."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    size = round(points * dpi / 72)
    body = cjk_font(size)
    head = cjk_font(round(size * 1.4))
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    margin = round(0.9 * dpi)
    column = (width - 2 * margin) // size * size
    y = margin
    for number in range(len(PARAGRAPHS) * 2):
        if number % 2 == 0:
            headline = HEADLINES[number // 2 % len(HEADLINES)]
            draw.text(((width - head.getlength(headline)) / 2, y), headline, font=head, fill=0)
            y += round(head.size * leading * 1.2)
        for line in _wrap("\u3000\u3000" + PARAGRAPHS[number % len(PARAGRAPHS)], body, column):
            if y + size > height - margin:
                return np.asarray(page, dtype=np.uint8)
            draw.text((margin, y), line, font=body, fill=0)
            y += round(size * leading)
    return np.asarray(page, dtype=np.uint8)


def skew_page(page: Page, degrees: float) -> Page:
    """The page turned anticlockwise (its lines rising to the right) by ``degrees``."""
    turned = Image.fromarray(page).rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(turned, dtype=np.uint8)


def text_components(page: Page) -> int:
    _, ink = cv2.threshold(page, 128, 1, cv2.THRESH_BINARY_INV)
    return int(cv2.connectedComponents(ink, connectivity=8)[0]) - 1


@pytest.fixture(scope="module")
def page() -> Page:
    return render_page()


@pytest.fixture(scope="module")
def small_page() -> Page:
    return render_page(dpi=150)


# --- orientation ---------------------------------------------------------------------------


def test_upright_page_is_not_turned(page: Page) -> None:
    assert detect_rotation(page) == 0


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_detect_rotation_recovers_quarter_turns(page: Page, degrees: int) -> None:
    assert detect_rotation(rotate(page, degrees)) == degrees


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_detect_rotation_on_a_skewed_low_resolution_page(small_page: Page, degrees: int) -> None:
    assert detect_rotation(rotate(skew_page(small_page, -6), degrees)) == degrees


def test_pages_without_text_are_neither_turned_nor_deskewed() -> None:
    noise = np.random.default_rng(3).integers(0, 256, (900, 640), dtype=np.uint8)
    blurred = cv2.GaussianBlur(noise, (0, 0), 8).astype(np.float64)
    photo = ((blurred - blurred.min()) * 255 / np.ptp(blurred)).astype(np.uint8)  # soft blobs
    for image in (np.full((900, 640), 250, np.uint8), noise, photo):
        assert detect_rotation(image) == 0
        assert estimate_skew(image) == 0.0


def test_rotate_turns_clockwise_and_back() -> None:
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert rotate(image, 90).tolist() == [[3, 0], [4, 1], [5, 2]]
    assert np.array_equal(rotate(rotate(image, 90), -90), image)
    assert rotate(image, 360) is image
    with pytest.raises(ValueError, match="multiple of 90"):
        rotate(image, 45)


# --- deskew --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("degrees", "tolerance"),
    [(0.0, 0.2), (1.5, 0.2), (-1.5, 0.2), (4.0, 0.2), (-4.0, 0.2), (-7.0, 0.5), (9.5, 0.5)],
)
def test_estimate_skew_within_tolerance(page: Page, degrees: float, tolerance: float) -> None:
    assert estimate_skew(skew_page(page, degrees)) == pytest.approx(degrees, abs=tolerance)


def test_deskew_levels_the_lines_and_fills_corners_with_paper(page: Page) -> None:
    grey_paper = np.minimum(page, 200).astype(np.uint8)
    skewed = skew_page(grey_paper, 5).copy()
    skewed[skewed == 255] = 200  # the corners PIL filled: make them paper too
    level = deskew(skewed, estimate_skew(skewed))
    assert abs(estimate_skew(level)) <= 0.1
    corners = [level[0, 0], level[0, -1], level[-1, 0], level[-1, -1]]
    assert corners == [200, 200, 200, 200]


def test_negligible_skew_leaves_the_image_alone(page: Page) -> None:
    assert deskew(page, 0.04) is page


# --- illumination --------------------------------------------------------------------------


def test_flatten_illumination_evens_a_gradient_and_keeps_text_dark(page: Page) -> None:
    ramp = np.linspace(0.4, 1.0, page.shape[1])[None, :]
    shaded = (page * ramp).astype(np.uint8)
    paper, ink = page == 255, page < 64
    assert shaded[paper].std() > 30
    flat = flatten_illumination(shaded)
    assert flat[paper].std() < 6
    assert flat[paper].mean() > 235
    assert np.percentile(flat[ink], 95) < 110
    # The darkest part of the page reads as well as the brightest.
    left = flat[:, : page.shape[1] // 3]
    assert np.percentile(left[ink[:, : page.shape[1] // 3]], 95) < 110


def test_flatten_illumination_leaves_white_paper_alone(page: Page) -> None:
    assert flatten_illumination(page) is page


def test_flatten_illumination_keeps_colour() -> None:
    colour = np.full((600, 400, 3), (170, 215, 230), np.uint8)  # yellowed paper, BGR
    colour[288:292, 50:350] = (20, 20, 150)  # a red rule
    flat = flatten_illumination(colour).astype(int)
    assert flat.shape == colour.shape
    assert flat[100, 100].tolist() == [255, 255, 255]
    blue, green, red = flat[290, 200]
    assert red > 150 and blue < 50 and green < 50


# --- denoise -------------------------------------------------------------------------------


def test_denoise_removes_salt_and_pepper_but_not_text(small_page: Page) -> None:
    rng = np.random.default_rng(7)
    noisy = small_page.copy()
    draw = rng.random(small_page.shape)
    noisy[draw < 0.01] = 0
    noisy[draw > 0.99] = 255
    clean_count = text_components(small_page)
    specks = text_components(noisy) - clean_count
    assert specks > 10_000
    cleaned = denoise(noisy)
    assert text_components(cleaned) - clean_count < 0.05 * specks
    ink = small_page < 128
    assert np.count_nonzero((cleaned < 128) != ink) < 0.1 * np.count_nonzero(ink)


def test_denoise_spares_clean_text_and_punctuation(small_page: Page) -> None:
    cleaned = denoise(small_page)
    # Only the odd lone anti-aliasing pixel may go; every character and mark survives.
    assert np.count_nonzero(cleaned != small_page) < 100
    assert text_components(cleaned) >= text_components(small_page) - 15


def test_denoise_keeps_a_decimal_point_at_150_dpi() -> None:
    font = cjk_font(round(10.5 * 150 / 72))
    image = Image.new("L", (200, 60), 255)
    ImageDraw.Draw(image).text((10, 10), "12.4万", font=font, fill=0)
    line = np.asarray(image, dtype=np.uint8)
    assert denoise(line) is line


# --- resolution ----------------------------------------------------------------------------


def test_show_through_from_the_back_is_whitened_but_strokes_are_kept(small_page: Page) -> None:
    from bulletin_ocr.preprocess.show_through import suppress_show_through

    back = np.fliplr(small_page).astype(np.float32)
    # The back page's ink at 12% opacity, offset so it falls between this page's lines.
    ghost = np.roll(255 - 0.12 * (255 - back), 9, axis=0)
    scan = np.minimum(small_page.astype(np.float32), ghost).astype(np.uint8)
    assert suppress_show_through(small_page) is small_page  # a clean page is left alone
    cleaned = suppress_show_through(scan)
    own_ink = small_page < 128
    assert (cleaned[own_ink] == scan[own_ink]).all()
    near_own = cv2.dilate((small_page < 250).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    ghost_only = (scan < 245) & ~near_own
    assert ghost_only.sum() > 1000
    assert (cleaned[ghost_only] == 255).mean() > 0.9


def test_low_resolution_scan_is_raised_to_the_target(small_page: Page) -> None:
    raised, scale = normalize_resolution(small_page, 150, 300, 40_000_000)
    assert scale == 2.0
    assert raised.shape == (small_page.shape[0] * 2, small_page.shape[1] * 2)


def test_oversized_page_is_lowered_below_max_pixels(small_page: Page) -> None:
    lowered, scale = normalize_resolution(small_page, 300, 300, 1_000_000)
    assert scale < 1
    assert lowered.shape[0] * lowered.shape[1] <= 1_000_000 * 1.01


def test_page_at_target_resolution_is_left_alone(page: Page) -> None:
    same, scale = normalize_resolution(page, 290, 300, 40_000_000)
    assert same is page and scale == 1.0


@pytest.mark.parametrize("dpi", [150, 300])
def test_estimate_dpi_from_body_text(dpi: int) -> None:
    # 13 pt is the middle of the body sizes the estimate assumes.
    assert estimate_dpi(render_page(dpi, points=13)) == pytest.approx(dpi, rel=0.1)


def test_estimate_dpi_of_a_blank_page_is_unknown() -> None:
    assert estimate_dpi(np.full((800, 600), 255, np.uint8)) is None


# --- the composed pipeline -----------------------------------------------------------------


def test_everything_off_returns_the_image_unchanged(page: Page) -> None:
    off = PreprocessOptions(
        orientation=False, deskew=False, illumination=False, denoise=False,
        normalize_resolution=False,
    )
    turned = rotate(skew_page(page, 3), 90)
    out, report = preprocess(turned, 200, off)
    assert out is turned
    assert (report.rotation, report.skew, report.scale, report.dpi, report.steps) == (
        0, 0.0, 1.0, 200.0, []
    )


def test_clean_upright_page_passes_through_untouched(page: Page) -> None:
    out, report = preprocess(page, 200, PreprocessOptions(target_dpi=200))
    assert out is page
    assert report.steps == []


def test_placeholder_dpi_is_replaced_by_an_estimate(small_page: Page) -> None:
    only_resolution = PreprocessOptions(
        orientation=False, deskew=False, illumination=False, denoise=False
    )
    _, report = preprocess(small_page, 72, only_resolution)  # JFIF's default, not a scan's
    assert 1.7 <= report.scale <= 2.1
    assert report.dpi == pytest.approx(300)


def test_pipeline_recovers_rotation_and_skew(small_page: Page) -> None:
    scan = rotate(skew_page(small_page, 2.5), 270)
    out, report = preprocess(scan, 150)
    assert report.rotation == 270
    assert report.skew == pytest.approx(2.5, abs=0.2)
    assert report.scale == 2.0 and report.dpi == 300.0
    assert report.steps == ["resolution", "orientation", "deskew"]
    assert out.shape == (small_page.shape[0] * 2, small_page.shape[1] * 2)
    assert detect_rotation(out) == 0
    assert abs(estimate_skew(out)) <= 0.1


def test_pipeline_keeps_colour_and_estimates_unknown_dpi(small_page: Page) -> None:
    shaded = (small_page * np.linspace(0.5, 1.0, small_page.shape[1])[None, :]).astype(np.uint8)
    colour = np.asarray(cv2.cvtColor(rotate(shaded, 180), cv2.COLOR_GRAY2BGR), np.uint8)
    out, report = preprocess(colour, None)
    assert out.ndim == 3 and out.shape[2] == 3
    assert report.rotation == 180
    assert 100 <= report.dpi / report.scale <= 200
    assert report.dpi == pytest.approx(300, rel=0.1)
    assert report.steps[:2] == ["resolution", "orientation"]
    assert "illumination" in report.steps


def test_pipeline_refuses_what_is_not_a_page_image() -> None:
    floats: Any = np.zeros((10, 10), np.float32)
    with pytest.raises(ValueError, match="uint8"):
        preprocess(floats, 300)
    with pytest.raises(ValueError, match="grayscale or BGR"):
        preprocess(np.zeros((10, 10, 4), np.uint8), 300)


def test_importing_the_options_does_not_load_opencv() -> None:
    # The CLI imports PreprocessOptions at start-up; OpenCV must wait until a page is processed.
    code = "import sys, bulletin_ocr.preprocess; print('cv2' in sys.modules)"
    src = str(Path(__file__).resolve().parents[1] / "src")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": src},
    )
    assert result.stdout.strip() == "False"
