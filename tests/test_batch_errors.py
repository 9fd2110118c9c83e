"""Issue 20, items 11 and 13-19: no silent wrong results, and a clear one-line error for every
damaged input, odd name, bad config or full disk. Every hostile fixture is made here."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import hostile_fixtures as fixtures
from bulletin_ocr.batch import convert_batch
from bulletin_ocr.cli import cli
from bulletin_ocr.inputs.text import decode_text
from hostile_run import convert_within

BODY = "区委组织部开展专项检查工作，推动基层党建。\n" * 5


def records(outdir: Path) -> dict[str, dict[str, object]]:
    lines = (outdir / "report.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(str(r["path"])).name: r for r in map(json.loads, lines)}


# Item 11: an input that yields no text is not "ok".


def test_a_text_file_of_page_numbers_or_ideographic_spaces_warns_that_it_has_no_text(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "numbers.txt").write_text("— 1 —\n\n— 2 —\n- 3 -\n", encoding="utf-8")
    (folder / "spaces.txt").write_text("\u3000\u3000\u3000\n\u3000\n", encoding="utf-8")
    (folder / "good.txt").write_text(BODY, encoding="utf-8")
    result = convert_batch([folder], tmp_path / "out", jobs=1)
    by_name = {Path(r.path).name: r for r in result.records}
    assert by_name["good.txt"].status == "ok"
    for name in ("numbers.txt", "spaces.txt"):
        assert by_name[name].status == "warning", name
        assert any("no text" in w for w in by_name[name].warnings), by_name[name].warnings


def test_a_page_larger_than_pdf_allows_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "huge.pdf", fixtures.huge_mediabox_pdf())
    document = convert_within(path, 20, use_ocr=False)
    assert not isinstance(document, Exception)
    [warning] = document.warnings
    assert "14,400" in warning and "page 1" in warning


# Item 13: catalogue.csv is opened by spreadsheets; no cell may start a formula.


def test_catalogue_csv_cells_that_would_start_a_formula_are_quoted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ['=HYPERLINK("x")a.txt', "@SUM(1+1).txt", "-2+3+cmd.txt", "+1.txt"]
    for name in names:
        (folder / name).write_text(BODY, encoding="utf-8")
    (folder / "plain.txt").write_text(BODY, encoding="utf-8")
    convert_batch([folder], tmp_path / "out", jobs=1)
    with (tmp_path / "out" / "catalogue.csv").open(encoding="utf-8-sig", newline="") as handle:
        sources = [row["source"] for row in csv.DictReader(handle)]
    assert sorted(sources) == sorted(["'" + name for name in names] + ["plain.txt"])
    # The JSON catalogue is not a spreadsheet: it keeps the names as they are.
    jsonl = (tmp_path / "out" / "catalogue.jsonl").read_text(encoding="utf-8")
    assert {json.loads(line)["source"] for line in jsonl.splitlines()} == {*names, "plain.txt"}


# Item 18: a stray byte in UTF-8 without a BOM is forgiven as it is with one.


def test_a_stray_byte_in_utf8_without_a_bom_is_read_with_a_warning_naming_its_offset() -> None:
    data = BODY.encode("utf-8")
    damaged = data[:30] + b"\xff" + data[30:]
    decoded = decode_text(damaged, "stray.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == BODY[:10] + "\ufffd" + BODY[10:]
    [warning] = decoded.warnings
    assert "byte 30" in warning


def test_a_gbk_file_is_still_read_as_gbk() -> None:
    data = ("2021年工作动态 " + "区委组织部开展专项检查。" * 3).encode("gbk")
    assert decode_text(data, "gbk.txt").text.startswith("2021年工作动态")


# Item 17: config keys that are documented work; bad values are usage errors at start-up.


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_paddleocr_keys_that_name_our_own_settings_are_honoured(
    tmp_path: Path,
) -> None:
    from bulletin_ocr.config import options_from_config, read_config
    from bulletin_ocr.ocr.registry import get_engine

    config = _config(
        tmp_path,
        "[ocr.onnx]\ntext_det_limit_side_len = 1280\ntext_recognition_batch_size = 4\n",
    )
    engine = get_engine(options_from_config(read_config(config)).ocr)
    assert engine.detection  # type: ignore[attr-defined].limit_side_len == 1280
    assert engine.recognition.batch_size == 4  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ocr.onnx]\ntext_det_tresh = 0.3\n",
         "[ocr.onnx] text_det_tresh: unknown key (known: text_det_limit_side_len,"),
        ('[ocr.onnx]\ntext_det_thresh = "high"\n',
         '[ocr.onnx] text_det_thresh: expected a number from 0 to 1, got "high"'),
        ("[convert]\npage_timeout = inf\n",
         "[convert] page_timeout: expected a number of seconds from 1 to 1000000, got inf"),
        ("[convert]\npage_timeout = 1e308\n",
         "[convert] page_timeout: expected a number of seconds from 1 to 1000000, got 1e+308"),
        ("[convert]\nx = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ],
)
def test_a_bad_config_value_is_one_line_at_start_up(
    tmp_path: Path, text: str, message: str
) -> None:
    config = _config(tmp_path, text)
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", str(good), "-o", str(tmp_path / "out"), "--config", str(config)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["inf", "1e308", "nan"])
def test_an_endless_page_timeout_option_is_a_usage_error(tmp_path: Path, value: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["convert", str(good), "-o", str(tmp_path / "out"), "--page-timeout", value]
    )
    assert result.exit_code == 2 and "--page-timeout" in result.stderr, result.output


def test_the_api_takes_an_endless_page_timeout_as_the_longest_allowed(tmp_path: Path) -> None:
    from bulletin_ocr.timeouts import page_deadline

    with page_deadline(float("inf"), "x.png", 1), page_deadline(1e308, "x.png", 1):
        pass


# Item 15: damaged inputs give a clear one-line error, not "internal error".


def _scan_pdf() -> bytes:
    buffer = io.BytesIO()
    fixtures.text_page_pixels(1200, 400).save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def _page_tree_cycle_pdf() -> bytes:
    """A page tree whose /Kids holds the tree itself (pdfminer reads it; qpdf refuses)."""
    return fixtures.pdf_bytes({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(fixtures.HELLO), fixtures.HELLO),
        5: fixtures.FONT,
    })


def _cut_multipage_tiff() -> bytes:
    """Six LZW frames cut in the middle: a frame's directory is lost ("Missing dimensions")."""
    page = fixtures.text_page_pixels(600, 200)
    buffer = io.BytesIO()
    page.save(buffer, "TIFF", save_all=True, append_images=[page] * 5, compression="tiff_lzw")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def test_damaged_inputs_are_clear_errors_and_a_repaired_scan_exports_every_format(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fixtures.write(folder / "cycle.pdf", _page_tree_cycle_pdf())
    fixtures.write(folder / "cut-scan.pdf", _scan_pdf()[:-200])  # qpdf repairs it
    fixtures.write(folder / "cut.tif", _cut_multipage_tiff())
    (folder / "good.txt").write_text(BODY, encoding="utf-8")
    result = convert_batch([folder], tmp_path / "out", formats=("all",), jobs=1)
    by_name = {Path(r.path).name: r for r in result.records}
    assert by_name["good.txt"].status == "ok"
    for record in by_name.values():
        assert "internal error" not in (record.error or ""), record.error
        assert "\n" not in (record.error or "")
    assert by_name["cut.tif"].status == "error" and by_name["cut.tif"].exit_code == 1
    assert "page 4 cannot be reached" in (by_name["cut.tif"].error or "")
    # The proof view and page formats read the same repaired copy the text was read from.
    cut = by_name["cut-scan.pdf"]
    assert cut.status == "warning" and "repaired by qpdf" in cut.warnings[0], cut.error
    assert {Path(p).name for p in cut.outputs} >= {"cut-scan.html", "cut-scan.ocr.pdf"}
    cycle = by_name["cycle.pdf"]
    assert cycle.status == "error" and cycle.exit_code == 1
    assert "searchable PDF" in (cycle.error or "") and "Loop detected" in (cycle.error or "")


# Item 16: odd file names in the page formats.

GBK_NAME = "青川".encode("gbk")  # not UTF-8: os.fsdecode keeps the bytes as surrogates


def _named(folder: Path, name: bytes, data: bytes) -> Path:
    path = Path(os.fsdecode(bytes(folder)) + "/" + os.fsdecode(name))
    path.write_bytes(data)
    return path


def test_odd_names_convert_to_every_page_format(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    png = io.BytesIO()
    fixtures.text_page_pixels(600, 200).save(png, "PNG")
    _named(folder, GBK_NAME + b".pdf", fixtures.one_page_pdf())
    _named(folder, GBK_NAME + b"-scan.png", png.getvalue())
    _named(folder, b"ctl\x01\x1b.png", png.getvalue())
    _named(folder, b"ctl\x01\x1b.pdf", fixtures.one_page_pdf())
    _named(folder, b"br[a]\nx.png", png.getvalue())
    result = convert_batch(
        [folder], tmp_path / "out", formats=("tei", "alto", "page", "hocr", "pdf"), jobs=1
    )
    assert [r.error for r in result.records if r.status == "error"] == []
    out = tmp_path / "out"
    for output in (p for r in result.records for p in r.outputs):
        if output.endswith((".xml", ".hocr")):
            etree.fromstring((out / output).read_bytes())  # well-formed, whatever the name
    tei = etree.fromstring((out / "br[a]\nx.tei.xml").read_bytes())
    [url] = tei.xpath("//*[local-name()='graphic']/@url")
    assert url == "../in/br%5Ba%5D%0Ax.png"
    gbk_tei = etree.fromstring((out / (os.fsdecode(GBK_NAME) + "-scan.tei.xml")).read_bytes())
    [gbk_url] = gbk_tei.xpath("//*[local-name()='graphic']/@url")
    # C7 is no UTF-8 lead byte, E0 B4 A8 happens to be U+0D28: an IRI of the same bytes.
    assert gbk_url == "../in/%C7\u0d28-scan.png"


# Item 19: names escaped on stderr, control characters out of the text, SIGHUP, link names.


def _control_characters_pdf() -> bytes:
    """A text layer whose font maps codes 0 and 27 to U+0000 (NUL) and U+001B (ESC)."""
    text = b"Hello\\000 hostile\\033 world, a text layer long enough to be trusted as it is"
    return fixtures.pdf_bytes({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1200 792]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n%s\nendstream"
        % (len(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"),
           b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding"
        b" /BaseEncoding /WinAnsiEncoding /Differences [0 /uni0000 27 /uni001B] >> >>",
    })


def test_nul_and_esc_from_a_text_layer_are_dropped_and_counted(tmp_path: Path) -> None:
    path = fixtures.write(tmp_path / "ctl.pdf", _control_characters_pdf())
    document = convert_within(path, 20, use_ocr=False)
    assert not isinstance(document, Exception)
    text = "".join(line.text for page in document.pages for line in page.lines)
    assert text.startswith("Hello hostile world") and "\x00" not in text and "\x1b" not in text
    assert document.warnings == ["page 1: 2 control character(s) (NUL, ESC, ...) dropped from the text layer"]


def test_invisible_and_bidi_characters_in_names_are_escaped_on_stderr() -> None:
    from bulletin_ocr.cli import printable

    assert printable("a\u202eb\u200bc\u2066.txt 区") == "a\\u202eb\\u200bc\\u2066.txt 区"


def test_sighup_stops_a_run_like_sigterm() -> None:
    import subprocess
    import sys

    # In a child process: before the fix, SIGHUP's default action kills it with -1. SIGHUP at
    # its default as a terminal leaves it, even if this suite runs under nohup (an ignored
    # SIGHUP is kept: tests/test_inputs_sacred.py).
    script = (
        "import os, signal, sys, time\n"
        "from bulletin_ocr.cli import _terminate_as_interrupt\n"
        "signal.signal(signal.SIGHUP, signal.SIG_DFL)\n"
        "try:\n"
        "    with _terminate_as_interrupt():\n"
        "        os.kill(os.getpid(), signal.SIGHUP)\n"
        "        time.sleep(5)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(130)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60, check=False)
    assert done.returncode == 130


def test_a_link_in_the_output_folder_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "x.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "in" / "y.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "elsewhere")
    result = convert_batch([tmp_path / "in"], tmp_path / "out", jobs=1)
    by_name = {Path(r.path).name: r for r in result.records}
    assert by_name["y.txt"].status == "ok"
    error = by_name["x.txt"].error or ""
    assert error.startswith(f"{tmp_path / 'out' / 'sub'}: is a symbolic link"), error


# Item 14: a full disk names its cause and the inputs it left untried.


def test_a_full_disk_names_the_cause_and_the_inputs_left_untried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from bulletin_ocr.batch import report
    from bulletin_ocr.errors import OutputError

    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(6):
        (folder / f"b{index}.txt").write_text(BODY, encoding="utf-8")
    written = []

    def full_after_two(fd: int, data: bytes) -> int:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(data)
        return os.write(fd, data)

    monkeypatch.setattr(report, "os", _OsWith(write=full_after_two))
    with pytest.raises(OutputError) as raised:
        convert_batch([folder], tmp_path / "out", jobs=1)
    message = str(raised.value)
    assert "No space left on device" in message and "\n" not in message
    assert "4 of 6 inputs not recorded" in message and "b2.txt" in message, message


class _OsWith:
    """The os module with some functions replaced (for the report writer only)."""

    def __init__(self, **replaced: object) -> None:
        self.__dict__.update(replaced)

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)
