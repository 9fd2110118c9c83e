"""The recogniser's say on which way up a page is (``ocr.upside_down``).

Preprocessing's orientation vote is forced wrong here (it was wrong on its own on a broken-up
1-bit page, b011544 of the generated corpus): the page must still come out read upright, with
its boxes in the input image's pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

import bulletin_ocr.preprocess.orientation as orientation
from bulletin_ocr.api import convert
from bulletin_ocr.export.json import document_to_dict
from bulletin_ocr.ocr import OcrLine
from bulletin_ocr.ocr.upside_down import MIN_GAIN, RECHECK_BELOW, confidence, read_upright

# The detector draws a line's box a few pixels differently on the turned image (up to 8 px
# measured): a fifth of a character (~60 px here) apart is the same box, a wrong mapping is
# hundreds of pixels off.
SAME_BOX_PX = 12

SCAN = Path(__file__).resolve().parents[1] / "samples" / "scans" / "yunxi-2022-15-p1-300dpi.jpg"


def _summary(data: dict[str, Any]) -> tuple[Any, ...]:
    masthead = data["masthead"] or {}
    items = [(item["head"], item["attribution"], len(item["paragraphs"])) for item in data["items"]]
    return masthead.get("issuer"), masthead.get("date"), items


def _boxes(data: dict[str, Any]) -> dict[str, list[float]]:
    """Each line's box by its text (texts read once on the page only)."""
    lines = data["pages"][0]["lines"]
    texts = [line["text"] for line in lines]
    return {line["text"]: line["bbox"] for line in lines if texts.count(line["text"]) == 1}


@pytest.fixture(scope="module")
def upright() -> dict[str, Any]:
    return document_to_dict(convert(SCAN))


def test_a_page_turned_over_by_mistake_is_read_upright(
    upright: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orientation, "detect_rotation", lambda gray: 180)
    got = document_to_dict(convert(SCAN))
    assert "orientation" not in got["pages"][0]["preprocessing"]
    assert _summary(got) == _summary(upright)
    want, boxes = _boxes(upright), _boxes(got)
    shared = want.keys() & boxes.keys()
    assert len(shared) >= 0.8 * len(want)
    for text in shared:
        assert np.allclose(boxes[text], want[text], atol=SAME_BOX_PX), text


def test_an_upside_down_page_preprocessing_missed_is_turned(
    upright: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    image = cv2.imread(str(SCAN))
    assert image is not None
    turned = tmp_path / "turned.png"
    cv2.imwrite(str(turned), cv2.rotate(image, cv2.ROTATE_180))
    monkeypatch.setattr(orientation, "detect_rotation", lambda gray: 0)
    got = document_to_dict(convert(turned))
    assert "orientation" in got["pages"][0]["preprocessing"]
    assert _summary(got) == _summary(upright)
    # The boxes are in the turned input's pixels: each is the upright box turned about the page.
    height, width = image.shape[:2]
    want, boxes = _boxes(upright), _boxes(got)
    shared = want.keys() & boxes.keys()
    assert len(shared) >= 0.8 * len(want)
    for text in shared:
        x0, y0, x1, y1 = want[text]
        assert np.allclose(boxes[text], [width - x1, height - y1, width - x0, height - y0],
                           atol=SAME_BOX_PX), text


def _line(text: str, score: float) -> OcrLine:
    return OcrLine(text, ((0, 0), (10, 0), (10, 10), (0, 10)), score)


class Recogniser:
    """Reads ``upright`` on an image whose first pixel is 1, ``turned`` on any other."""

    def __init__(self, upright: list[OcrLine], turned: list[OcrLine]) -> None:
        self.readings = {1: upright, 0: turned}
        self.calls = 0

    def __call__(self, image: Any) -> list[OcrLine]:
        self.calls += 1
        return self.readings[int(image[0, 0])]


def _page() -> Any:
    page = np.zeros((4, 4), np.uint8)
    page[0, 0] = 1
    return page


def test_a_confident_unturned_reading_is_not_read_again() -> None:
    lines = [_line("区委办公室", RECHECK_BELOW + 0.05)]
    recognise = Recogniser(lines, [_line("回回", 0.99)])
    reading = read_upright(recognise, _page(), lines, rotation=0)
    assert recognise.calls == 0 and reading.lines == lines and not reading.turned


@pytest.mark.parametrize("rotation", [0, 180])
def test_the_turned_reading_wins_only_by_a_clear_margin(rotation: int) -> None:
    poor = [_line("区委办", RECHECK_BELOW - 0.2), _line("公室", RECHECK_BELOW)]
    level = confidence(poor)
    slightly = [_line("区委办公室", level + MIN_GAIN / 2)]
    clearly = [_line("区委办公室", level + MIN_GAIN)]
    page = _page()
    assert read_upright(Recogniser(poor, slightly), page, poor, rotation).lines == poor
    reading = read_upright(Recogniser(poor, clearly), page, poor, rotation)
    assert reading.turned and reading.lines == clearly
    assert int(reading.image[-1, -1]) == 1  # the image handed back is the turned page


def test_confidence_weighs_characters_and_ignores_blank_lines() -> None:
    lines = [_line("一二三", 0.9), _line("  ", 0.1), _line("四", 0.5)]
    assert confidence(lines) == pytest.approx(0.8)
    assert confidence([_line(" ", 0.9)]) == 0.0
