"""The corpus generator (samples/corpus) checks itself: truth, PDF, raw text and scan agree.

Runs on the fixed subset of tests/corpus_subset.py (seven bulletins, about 5 s to make).
"""

from __future__ import annotations

import doctest
import io
import json
import re
from collections import Counter
from datetime import date

import pdfplumber
import pytest
from PIL import Image
from samples import make_raw
from samples.corpus import faces, masthead, metrics, readback, typeset
from samples.corpus.generate import generate, truth_chars
from samples.corpus.masthead import date_text
from samples.corpus.readback import check_text_layer
from samples.corpus.variants import VARIANTS

from corpus_subset import RAW_EXACT, SCANNED, SUBSET, bulletin, folder, scan_file


def test_the_subset_shows_every_value_of_every_variant_key() -> None:
    seen: dict[str, set[str]] = {key: set() for key in VARIANTS}
    for seed in SUBSET:
        for key, value in bulletin(seed).truth["variant"].items():
            seen[key].add(str(value))
    missing = {key: sorted({str(v) for v in values} - seen[key])
               for key, values in VARIANTS.items() if {str(v) for v in values} - seen[key]}
    assert missing == {}


def test_a_bulletin_is_the_same_every_time() -> None:
    again = generate(SUBSET[0])
    first = bulletin(SUBSET[0])
    assert again.pdf == first.pdf
    assert again.raw == first.raw
    # scan_file() adds the scan's parameters to the cached truth when a scan test ran first.
    cached = {key: value for key, value in first.truth.items() if key != "scan"}
    assert json.dumps(again.truth, ensure_ascii=False) == json.dumps(cached, ensure_ascii=False)


@pytest.mark.parametrize("seed", SUBSET)
def test_the_text_layer_holds_every_truth_character_in_order(seed: int) -> None:
    made = bulletin(seed)
    with pdfplumber.open(folder() / f"{made.name}.pdf") as pdf:
        assert len(pdf.pages) == made.truth["layout"]["pages"] <= 3
        text = "".join(ch["text"] for page in pdf.pages for ch in page.chars)
    assert readback.is_subsequence(truth_chars(made.truth), "".join(text.split()))


def test_the_self_check_fails_on_a_character_the_pdf_lacks() -> None:
    made = bulletin(SUBSET[0])
    with pytest.raises(AssertionError, match="truth character"):
        check_text_layer(made.built, truth_chars(made.truth) + "鑫")


@pytest.mark.parametrize("seed", SUBSET)
def test_the_truth_follows_the_clean_text_conventions(seed: int) -> None:
    truth = bulletin(seed).truth
    marks = set(VARIANTS["brief_mark"])
    for n, item in enumerate(truth["items"]):
        for k, para in enumerate(item["paragraphs"]):
            make_raw.validate_text(para, f"item {n} paragraph {k}")
            assert para[0] not in marks
        for text in (item["head"], item["attribution"]):
            if text is not None:
                make_raw.validate_text(text, f"item {n}")
        assert (item["head"] is None) == (item["type"] == "brief") == (item["head_rend"] is None)
    mh = truth["masthead"]
    day = date.fromisoformat(mh["date"])
    assert mh["date_text"] == date_text(day.year, day.month, day.day,
                                        truth["variant"]["date_style"])
    assert (mh["title"] is None) == (truth["variant"]["masthead"] == "issuer_date")


@pytest.mark.parametrize("seed", SUBSET)
def test_the_raw_text_has_the_shape_of_the_seeds(seed: int) -> None:
    made = bulletin(seed)
    raw = made.raw
    assert raw.startswith(" ") and raw.endswith("\n ")
    pages = raw[1:-1].split("\n ")
    assert len(pages) == made.truth["layout"]["pages"]
    style = made.truth["variant"]["page_number"]
    for number, page in enumerate(pages, 1):
        lines = page.rstrip("\n").split("\n")
        assert all(line == "" for line in lines[1::2]), "a blank line after every printed line"
        if style != "none":
            assert lines[-1] == typeset.page_number_text(number, style)
    assert readback.is_subsequence(truth_chars(made.truth), "".join(raw.split()))


@pytest.mark.parametrize("seed", SUBSET)
def test_the_pdf_shows_the_variant(seed: int) -> None:
    """Body face, headline face, title colour and columns, as pdfplumber sees them."""
    made = bulletin(seed)
    v = made.truth["variant"]
    body_font = faces.postscript_name(v["body_face"])
    with pdfplumber.open(io.BytesIO(made.pdf)) as pdf:
        chars = [ch for page in pdf.pages for ch in page.chars]
        first_para = made.truth["items"][0]["paragraphs"][0]
        body = [ch for ch in chars if ch["text"] == first_para[0]]
        assert any(body_font in ch["fontname"] for ch in body)
        if v["masthead"] == "full":
            title = made.truth["masthead"]["title"]
            title_chars = [ch for ch in pdf.pages[0].chars if ch["text"] == title[0]]
            colour = faces.RED if v["title_color"] == "red" else faces.BLACK
            assert tuple(round(c, 2) for c in title_chars[0]["non_stroking_color"]) == colour
        if v["head_face"] in ("hei", "kai"):
            head_font = faces.postscript_name(v["head_face"])
            assert any(head_font in ch["fontname"] for ch in chars)
        lefts = {round(ch["x0"]) for page in pdf.pages for ch in page.chars
                 if abs(ch["x0"] - made.built.geo.frame_x(1)) < 1.0}
        assert bool(lefts) == (v["columns"] == 2)


def test_some_attribution_runs_across_a_line_break() -> None:
    wrapped = 0
    for seed in SUBSET:
        made = bulletin(seed)
        for item, info in zip(made.truth["items"], made.truth["layout"]["items"], strict=True):
            if info["attribution_wrapped"]:
                wrapped += 1
                org = item["attribution"]
                # some raw line ends inside the parentheses: "（区" / "市场监管局）"
                assert re.search(f"（.{{0,{len(org) - 1}}}\n\n[^\n]*）", made.raw)
    assert wrapped >= 2


@pytest.mark.parametrize("seed", RAW_EXACT)
def test_raw_exact_bulletins_hide_no_structure(seed: int) -> None:
    truth = bulletin(seed).truth
    runs_in = any(item["head_rend"] == "run-in" for item in truth["items"])
    assert not (runs_in and truth["variant"]["runin_gap"] == "none")
    assert sum(info["hidden_paragraph_ends"] for info in truth["layout"]["items"]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", SCANNED)
def test_the_scan_is_a_300_dpi_image_of_every_page(seed: int) -> None:
    path = scan_file(seed)
    scan = bulletin(seed).truth["scan"]
    pages = bulletin(seed).truth["layout"]["pages"]
    if path.suffix == ".tif":
        image = Image.open(path)
        assert image.n_frames == pages and image.mode == "1"
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
    else:
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) == pages and not pdf.pages[0].chars
            image_obj = pdf.pages[0].images[0]
            assert image_obj["srcsize"][0] == pytest.approx(2480, abs=2)
            colour = "DeviceRGB" in str(image_obj["colorspace"])
            assert colour == (scan["mode"] == "color_jpeg")
    assert all(abs(a) <= 1.5 for a in scan["skew"]["angle_deg"])


@pytest.mark.parametrize("module", [masthead, metrics, readback])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("seed", SUBSET)
def test_pdftotext_sees_every_character_of_the_pdf(seed: int) -> None:
    """Poppler's extraction may read the columns in another order, but it loses nothing."""
    made = bulletin(seed)
    extracted = (folder() / f"{made.name}.pdftotext.txt").read_text(encoding="utf-8")
    drawn = "".join(readback.drawn_text(made.built))
    assert Counter("".join(extracted.split())) == Counter(drawn)


def test_real_layouts_are_drawn_on_request_and_change_nothing_otherwise() -> None:
    from samples.corpus import layouts

    plain = bulletin(1)
    assert not any(key.startswith("rl_") for key in plain.truth["variant"])
    assert generate(1, layouts=False).pdf == plain.pdf
    made = generate(10, layouts=True)  # lead run-in, long clauses, wrapped run-in headlines
    variant = made.truth["variant"]
    assert {key: variant[f"rl_{key}"] for key in layouts.VARIANTS} == {
        "lead": "run-in", "clause": "long", "long_runin": "wrapped"}
    items = [item for item in made.truth["items"] if item["type"] == "item"]
    assert items[0]["head_rend"] == "run-in"
    other = generate(1, layouts=True)  # its second item is run-in: lengthened to wrap
    heads = [item["head"] for item in other.truth["items"] if item["head_rend"] == "run-in"]
    assert any("全面落实《" in head and len(head) > 20 for head in heads)
    lines = [line for line in made.raw.splitlines() if line.strip()]
    # Some paragraph opens with a whole line of running text and no punctuation.
    assert any(not re.search(r"[，。；：、]", line) and len(line.strip()) >= 14
               for line in lines if not line.strip().startswith(("《", "—", "-")))
