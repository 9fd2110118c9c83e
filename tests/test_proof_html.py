"""The proof-reading view in a real headless Chromium (Debian's chromium, driven by playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from bulletin_ocr.api import convert
from bulletin_ocr.export import ExportContext, write_outputs
from bulletin_ocr.model import Document

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CHROMIUM = "/usr/bin/chromium"
LONG_NAME = "putuo_planning_resources_bureau_2024_final_accounts_" * 4 + "青川区工作动态第七期.tif"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip


@pytest.fixture(scope="module")
def proof(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    source = SAMPLES / "scans" / "qingchuan-2023-07-2p.tif"
    outdir = tmp_path_factory.mktemp("proof")
    doc = convert(source)
    # The sample reads cleanly; one doubtful line shows how the view lists and colours them.
    doc.pages[1].lines[3].confidence = 0.42
    doc.source = LONG_NAME  # a file name with nowhere to break must not overflow the view
    context = ExportContext(input_path=source, outdir=outdir, stem="q")
    (path,) = write_outputs(doc, outdir, "q", ["html"], context)
    return doc, path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_proof_view_loads_shows_every_line_and_links_both_sides(
    proof: tuple[Document, Path], browser: Any, tmp_path: Path
) -> None:
    doc, path = proof
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: None if request.url.startswith(("file:", "data:")) else problems.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    lines = [line for p in doc.pages for line in p.lines + p.furniture]
    assert len(doc.pages) == 2 and page.locator("svg").count() == 2
    assert page.locator("polygon.line").count() == len(lines)
    # Clicking a box lights up its text in the structure, and the other way round.
    line = doc.items[1].paragraphs[0].lines[0]
    page.locator(f'polygon[data-line="{line.id}"]').dispatch_event("click")
    assert "active" in (page.locator(f'#text span[data-line="{line.id}"]').first.get_attribute("class") or "")
    other = doc.items[0].head.span.lines[0] if doc.items[0].head else lines[0]
    page.locator(f'#structure span[data-line="{other.id}"]').first.click()
    assert "active" in (page.locator(f'polygon[data-line="{other.id}"]').get_attribute("class") or "")
    assert page.locator(".active").count() >= 2
    assert page.locator(f'polygon[data-line="{line.id}"].active').count() == 0
    # The least sure line heads the list of lines to check, boxed in red.
    doubtful = doc.pages[1].lines[3]
    assert page.locator("#check li span").first.get_attribute("data-line") == doubtful.id
    assert "low" in (page.locator(f'polygon[data-line="{doubtful.id}"]').get_attribute("class") or "")
    # The long title wraps inside its column: nothing wider than the view, no sideways scroll.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('#text, #text h1')].map(e => [e.scrollWidth, e.clientWidth])"
    )
    assert all(scroll <= client for scroll, client in widths), widths
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1400
    shot = tmp_path / "proof.png"
    page.screenshot(path=str(shot))
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.std() > 20  # not a blank page
    greenish = (pixels[:, :, 1] > pixels[:, :, 0] + 40) & (pixels[:, :, 1] > pixels[:, :, 2] + 20)
    assert greenish.sum() > 500  # the confidence boxes are drawn over the page image
    assert problems == []


def test_lines_on_a_skewed_scan_are_outlined_by_their_polygons(tmp_path: Path) -> None:
    """Two leaning lines: their upright boxes overlap, their recognised outlines do not."""
    from bulletin_ocr.export.proof_html import render_proof_html
    from bulletin_ocr.model import BBox, Line, Page

    scan = tmp_path / "skewed.png"
    Image.new("L", (400, 300), 255).save(scan)
    leaning = [((40.0, 100.0), (360.0, 60.0), (362.0, 80.0), (42.0, 120.0)),
               ((40.0, 130.0), (360.0, 90.0), (362.0, 110.0), (42.0, 150.0))]
    lines = [
        Line(f"p1l{n}", "区委组织部开展专项检查", 1, "ocr", confidence=0.99, polygon=outline,
             bbox=BBox(min(x for x, _ in outline), min(y for _, y in outline),
                       max(x for x, _ in outline), max(y for _, y in outline)))
        for n, outline in enumerate(leaning, start=1)
    ]
    page = Page(number=1, width=400.0, height=300.0, unit="px", source="ocr", lines=lines)
    doc = Document(source="skewed.png", sha256="0" * 64, pages=[page])
    html = render_proof_html(doc, ExportContext(input_path=scan, outdir=tmp_path, stem="s"))
    text = html.decode("utf-8")
    assert "<rect" not in text
    assert '<polygon class="line high" data-line="p1l1" points="40,100 360,60 362,80 42,120">' in text
    assert '<polygon class="line high" data-line="p1l2" points="40,130 360,90 362,110 42,150">' in text
