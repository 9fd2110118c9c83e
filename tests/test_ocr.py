"""Scans and images through PaddleOCR: offline models, degraded sample scans, real scans."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bulletin_ocr.api import convert
from bulletin_ocr.cli import cli
from bulletin_ocr.errors import InputError
from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.model import Document

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "samples" / "scans"
EXPECTED = ROOT / "samples" / "expected"
TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_char in enumerate(reference, start=1):
        current = [i]
        for j, hyp_char in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_char != hyp_char))
            )
        previous = current
    return previous[-1] / max(1, len(reference))


def expected(sample: str) -> dict[str, object]:
    return json.loads((EXPECTED / f"{sample}.json").read_text(encoding="utf-8"))


def test_models_are_listed_and_verified() -> None:
    result = CliRunner().invoke(cli, ["models"])
    assert result.exit_code == 0, result.output
    assert "PP-OCRv6_small_det" in result.stdout and "PP-OCRv6_small_rec" in result.stdout
    assert result.stdout.count(": ok (sha256") == 2


def test_corrupt_model_exits_3_and_says_how_to_fix(tmp_path: Path) -> None:
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text(encoding="utf-8"))
    manifest["models"][0]["sha256"] = "0" * 64
    broken = tmp_path / "manifest.json"
    broken.write_text(json.dumps(manifest), encoding="utf-8")
    env = {**os.environ, "BULLETIN_OCR_MANIFEST": str(broken)}
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "models"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 3
    assert "corrupt" in result.stdout and "pip install --force-reinstall rapidocr" in result.stdout
    scan = SCANS / "yunxi-2022-15-p1-200dpi.png"
    result = subprocess.run(
        [sys.executable, "-m", "bulletin_ocr", "convert", str(scan), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 3
    assert "corrupt" in result.stderr


def test_missing_own_model_directory_exits_3(tmp_path: Path) -> None:
    scan = SCANS / "yunxi-2022-15-p1-200dpi.png"
    result = CliRunner().invoke(
        cli, ["convert", str(scan), "-o", str(tmp_path), "--det-model-dir", str(tmp_path / "nope")]
    )
    assert result.exit_code == 3
    assert "not a PaddleOCR detection model directory" in result.stderr


def test_conversion_needs_no_network(tmp_path: Path) -> None:
    """A fresh process with every socket refused converts a scan end to end."""
    script = textwrap.dedent(
        f"""
        import socket, sys
        def refuse(*args, **kwargs):
            raise OSError("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from bulletin_ocr.cli import cli
        sys.argv = ["bulletin-ocr", "convert", {str(SCANS / "yunxi-2022-15-p1-200dpi.png")!r},
                    "-o", {str(tmp_path)!r}]
        cli()
        """
    )
    env = {**os.environ, "BULLETIN_OCR_CACHE": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "yunxi-2022-15-p1-200dpi.json").exists()


@pytest.fixture(scope="module")
def scans() -> dict[str, Document]:
    return {path.name: convert(path) for path in sorted(SCANS.glob("*-p1-300dpi.jpg"))}


@pytest.mark.parametrize("sample", ["qingchuan-2023-07", "yunxi-2022-15", "lanshan-2024-03"])
def test_degraded_scans_keep_masthead_items_headlines_attributions(
    scans: dict[str, Document], sample: str
) -> None:
    document = scans[f"{sample}-p1-300dpi.jpg"]
    truth = expected(sample)
    assert document.masthead is not None
    got_masthead = {k: getattr(document.masthead, k) for k in ("issuer", "date", "issue")}
    want_masthead = {k: truth["masthead"][k] for k in ("issuer", "date", "issue")}  # type: ignore[index]
    assert got_masthead == want_masthead
    items = truth["items"]  # type: ignore[index]
    assert document.items
    for index, item in enumerate(document.items):
        want = items[index]
        assert item.kind == want["type"]
        assert (item.head.text if item.head else None) == want["head"], index
        assert (item.head.rend if item.head else None) == want["head_rend"], index
        last = index == len(document.items) - 1  # may be cut off at the page end
        if not last:
            assert (item.attribution.text if item.attribution else None) == want["attribution"]
            assert len(item.paragraphs) == len(want["paragraphs"])
        for got, ref in zip(item.paragraphs, want["paragraphs"], strict=False):
            reference = ref if not last else ref[: len(got.text)]
            assert cer(reference, got.text) < 0.02, (reference, got.text)


def test_ocr_tei_has_pixel_zones_confidence_and_models(
    scans: dict[str, Document], validate_tei, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    document = scans["qingchuan-2023-07-p1-300dpi.jpg"]
    page = document.pages[0]
    assert page.source == "ocr" and page.unit == "px" and page.dpi == pytest.approx(300, abs=5)
    assert all(line.confidence is not None for line in page.lines)
    data = render_tei(document)
    target = tmp_path / "scan.tei.xml"
    target.write_bytes(data)
    validate_tei(target)
    tei = etree.fromstring(data)
    zones = tei.xpath("//tei:zone", namespaces=TEI)
    assert len(zones) == len(page.lines) + len(page.furniture)
    assert float(zones[0].get("lrx")) > 100  # pixels, not points
    apps = [a.get("ident") for a in tei.xpath("//tei:application", namespaces=TEI)]
    assert "onnxruntime" in apps and any(a.startswith("PP-OCRv6_small") for a in apps)


def test_low_confidence_text_is_marked_unclear(tmp_path: Path) -> None:
    from bulletin_ocr.model import BBox, Line, Page
    from bulletin_ocr.pipeline import build_document

    line = Line("p1l1", "区委组织部开展专项检查。", 1, "ocr", BBox(10, 10, 600, 60), confidence=0.41)
    page = Page(1, [line], width=800, height=1000, unit="px", source="ocr")
    tei = etree.fromstring(render_tei(build_document([page], "x.png", "0")))
    unclear = tei.xpath("//tei:p/tei:unclear", namespaces=TEI)
    assert unclear and unclear[0].get("cert") == "low"


def test_multipage_tiff_scanned_pdf_and_rotated_page() -> None:
    tiff = convert(SCANS / "qingchuan-2023-07-2p.tif")
    assert [page.number for page in tiff.pages] == [1, 2]
    assert all(page.source == "ocr" for page in tiff.pages)
    scanned = convert(SCANS / "lanshan-2024-03-scan.pdf")
    assert all(page.source == "ocr" and page.text_layer for page in scanned.pages)
    assert scanned.masthead is not None and scanned.masthead.date == "2024-03-08"
    rotated = convert(SCANS / "yunxi-2022-15-p1-rot90.png")
    assert "orientation" in " ".join(rotated.pages[0].preprocessing)
    assert rotated.masthead is not None and rotated.masthead.issuer == "中共云溪区委办公室"


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)
    with pytest.raises(InputError, match="over the limit"):
        convert(bomb)


def test_real_line_images_convert(shared_dir: Path) -> None:
    images = sorted((shared_dir / "real" / "line-images").rglob("*.*"))
    images += sorted((shared_dir / "real" / "scanned").glob("*.png"))
    assert images
    for path in images:
        document = convert(path)
        assert document.pages[0].source == "ocr", path


@pytest.mark.slow
def test_real_scanned_book(shared_dir: Path) -> None:
    document = convert(shared_dir / "real" / "scanned" / "scanned-book-8p.pdf")
    assert len(document.pages) == 8
    assert all(page.source == "ocr" for page in document.pages)
    text = "".join(p.text for item in document.items for p in item.paragraphs)
    assert len(text) > 4000


def test_detection_size_follows_the_character_height() -> None:
    """Small type is detected at a larger scale than large type, so both keep ~19-px characters."""
    import cv2
    import numpy as np

    from bulletin_ocr.ocr.paddle import DETECTION_SIDE_RANGE, detection_side

    def page(scale: float) -> np.ndarray:
        image = np.full((3508, 2480), 255, np.uint8)
        step = int(60 * scale)
        for y in range(300, 3200, step):
            cv2.putText(image, "HEBDOMADAL BULLETIN 42", (200, y), cv2.FONT_HERSHEY_SIMPLEX,
                        scale, 0, max(1, round(2 * scale)))
        return image

    small, large = detection_side(page(1.0)), detection_side(page(2.0))
    assert DETECTION_SIDE_RANGE[0] <= large < small <= DETECTION_SIDE_RANGE[1]
    assert 1.6 < small / large < 2.4
    assert detection_side(np.full((3508, 2480), 255, np.uint8)) == 960  # nothing to measure


def test_unsupported_onnx_option_is_a_usage_error() -> None:
    from bulletin_ocr.errors import UsageError
    from bulletin_ocr.ocr import OcrOptions
    from bulletin_ocr.ocr.paddle import PaddleEngine

    with pytest.raises(UsageError, match=r"^\[ocr.onnx\].*use_doc_unwarping"):
        PaddleEngine(OcrOptions(sections=(("onnx", (("use_doc_unwarping", True),)),)))
    engine = PaddleEngine(OcrOptions(sections=(("onnx", (("text_det_thresh", 0.25),)),)))
    assert engine.detection.thresh == 0.25
