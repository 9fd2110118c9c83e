"""The batch catalogue: rows from documents, incremental and atomic updates, never duplicated."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bulletin_ocr.api import convert
from bulletin_ocr.export.catalogue import catalogue_row, read_catalogue, update_catalogue

RAW = Path(__file__).resolve().parents[1] / "samples" / "raw"
EXPECTED = Path(__file__).resolve().parents[1] / "samples" / "expected"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_row_carries_the_masthead_and_the_items() -> None:
    doc = convert(RAW / "yunxi-2022-15.txt", source="2022/yunxi-2022-15.txt")
    expected = json.loads((EXPECTED / "yunxi-2022-15.json").read_text(encoding="utf-8"))
    row = catalogue_row(doc)
    assert row["source"] == "2022/yunxi-2022-15.txt"
    assert row["date"] == expected["masthead"]["date"]
    assert row["issuer"] == expected["masthead"]["issuer"]
    assert row["items"] == len(expected["items"])
    heads = [item["headline"] for item in row["item_rows"]]
    assert heads == [item["head"] for item in expected["items"]]
    assert [item["attribution"] for item in row["item_rows"]] == [
        item["attribution"] for item in expected["items"]
    ]
    assert row["item_rows"][0]["item"] == "item-1"


def test_update_adds_replaces_and_removes(tmp_path: Path) -> None:
    docs = {path.name: convert(path) for path in sorted(RAW.glob("*.txt"))}
    for name, doc in docs.items():
        update_catalogue(tmp_path, f"raw/{name}", doc)
    # A re-conversion (a resumed or forced run) replaces its row instead of adding one.
    first = next(iter(docs))
    update_catalogue(tmp_path, f"raw/{first}", docs[first])
    bulletins = read_csv(tmp_path / "catalogue.csv")
    assert [row["source"] for row in bulletins] == sorted(f"raw/{n}" for n in docs)
    assert len(read_catalogue(tmp_path)) == len(docs)
    items = read_csv(tmp_path / "catalogue-items.csv")
    assert len(items) == sum(int(row["items"]) for row in bulletins)
    assert list(items[0]) == ["source", "date", "item", "type", "headline", "attribution", "section"]
    # Spreadsheets need the byte-order mark to read the Chinese as UTF-8.
    assert (tmp_path / "catalogue.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # A source that now fails is taken out, items included.
    update_catalogue(tmp_path, f"raw/{first}", None)
    assert all(row["source"] != f"raw/{first}" for row in read_csv(tmp_path / "catalogue-items.csv"))
    assert len(read_csv(tmp_path / "catalogue.csv")) == len(docs) - 1
    # Nothing half-written is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catalogue-items.csv", "catalogue.csv", "catalogue.jsonl",
    ]  # fmt: skip


def test_a_row_made_in_a_worker_updates_like_its_document(tmp_path: Path) -> None:
    doc = convert(RAW / "lanshan-2024-03.txt")
    update_catalogue(tmp_path / "a", "x.txt", doc)
    update_catalogue(tmp_path / "b", "x.txt", json.loads(json.dumps(catalogue_row(doc))))
    for name in ("catalogue.csv", "catalogue-items.csv", "catalogue.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
