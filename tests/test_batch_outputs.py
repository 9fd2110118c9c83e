"""A batch with every format: the right files per kind of input, relative sources, and a
catalogue that resumed and forced runs never duplicate (issue 9 through the batch)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from bulletin_ocr.batch import convert_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def test_all_formats_through_the_batch_and_a_catalogue_without_duplicates(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (inputs / "raw").mkdir(parents=True)
    (inputs / "pdf").mkdir()
    shutil.copy(SAMPLES / "raw" / "qingchuan-2023-07.txt", inputs / "raw")
    shutil.copy(SAMPLES / "pdf" / "lanshan-2024-03.pdf", inputs / "pdf")
    out = tmp_path / "out"
    first = convert_batch([inputs], out, formats=("all",), jobs=2, page_images=True)
    statuses = {Path(r.path).suffix: (r.status, r.warnings) for r in first.records}
    assert statuses[".txt"] == ("ok", [])
    # The sample PDF's base-14 fonts are not embedded: its searchable copy cannot be PDF/A.
    assert statuses[".pdf"][0] == "warning"
    assert [w for w in statuses[".pdf"][1] if "not PDF/A-2b: font(s) not embedded" in w]
    raw = sorted(p.name for p in (out / "raw").iterdir())
    assert raw == ["qingchuan-2023-07.json", "qingchuan-2023-07.tei.xml", "qingchuan-2023-07.txt"]
    pdf = {p.name for p in (out / "pdf").iterdir()}
    for suffix in (".txt", ".tei.xml", ".json", ".alto.xml", ".page.xml", ".hocr", ".ocr.pdf", ".html", ".page-1.png"):
        assert f"lanshan-2024-03{suffix}" in pdf
    data = json.loads((out / "pdf" / "lanshan-2024-03.json").read_text(encoding="utf-8"))
    assert data["source"] == "pdf/lanshan-2024-03.pdf"

    def catalogue() -> list[dict[str, str]]:
        with (out / "catalogue.csv").open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    rows = catalogue()
    assert sorted(row["source"] for row in rows) == ["pdf/lanshan-2024-03.pdf", "raw/qingchuan-2023-07.txt"]
    assert {row["date"] for row in rows} == {"2024-03-08", "2023-04-12"}
    convert_batch([inputs], out, formats=("all",))  # a resumed run: everything skipped
    convert_batch([inputs], out, formats=("all",), force=True)
    assert sorted(row["source"] for row in catalogue()) == [r["source"] for r in sorted(rows, key=lambda r: r["source"])]
    with (out / "catalogue-items.csv").open(encoding="utf-8-sig", newline="") as handle:
        items = list(csv.DictReader(handle))
    assert len(items) == sum(int(row["items"]) for row in rows)
    (inputs / "raw" / "qingchuan-2023-07.txt").write_bytes(b"")  # now it fails: out of the catalogue
    convert_batch([inputs], out, formats=("all",))
    assert [row["source"] for row in catalogue()] == ["pdf/lanshan-2024-03.pdf"]
