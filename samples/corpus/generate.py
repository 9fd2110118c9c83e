"""Generate invented bulletins: truth JSON, text-layer PDF, raw extraction (and a scan).

One bulletin per integer seed; ``generate(seed)`` is deterministic (the same seed gives the same
truth, the same PDF bytes and the same raw text). For bulletin ``b<seed>`` the files are::

    b<seed>.json   the truth: masthead, items, distribution (the projection the converter's JSON
                   is compared with, as samples/expected/*.json), plus "variant" (every random
                   layout choice), "layout" (what the layout did: pages, per-item attribution
                   placement and headline lines) and "classification" (the printed mark, if any)
    b<seed>.pdf    the typeset PDF (typeset.py)
    b<seed>.txt    the raw extraction (raw.py)
    b<seed>.pdftotext.txt  poppler's ``pdftotext`` run on the PDF
    b<seed>-scan.pdf or b<seed>-scan.tif
                   with ``--scans``: a degraded 300-dpi scan of every page (scan.py); the truth
                   then also holds "scan", the scan's mode and degradation parameters

Truth conventions, beyond those of samples/README.md: a numbered headline keeps its number
(``一、`` or ``（一）``) as printed; a brief's mark (△ ▲ ●) is not part of its paragraph; the
masthead's ``date_text`` is the date as printed (Arabic or Chinese numerals), ``date`` is ISO;
a classification mark (内部资料, 秘密★1年) belongs to no field; the copies line is the last
distribution entry with label null.

Every bulletin is checked as it is made: the PDF's text layer, read back by pdfplumber, holds
exactly the characters laid out and every truth character in order, and so does the raw text
(whitespace aside); a failed check raises, so a corpus that was written is a correct one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from samples.corpus import content
from samples.corpus import conventions as conv
from samples.corpus import layouts as lay
from samples.corpus.masthead import date_text
from samples.corpus.raw import raw_text
from samples.corpus.readback import check_text_layer, is_subsequence
from samples.corpus.typeset import Built, build
from samples.corpus.typeset import numbered as numbered_head
from samples.corpus.variants import CLASSIFICATION_TEXT, draw_variant

MAX_PAGES = 3
ISSUERS = ("中共{}区委办公室", "{}区人民政府办公室", "中共{}区委宣传部", "{}区委督查室")


@dataclass
class Bulletin:
    name: str
    truth: dict[str, Any]
    pdf: bytes
    raw: str
    built: Built


def draw_truth(seed: int, drop: int = 0, conventions: bool = False,
               layouts: bool = False) -> tuple[dict[str, Any], random.Random]:
    """The variant and the invented content of bulletin ``seed``; ``drop`` removes that many
    items from the end (to bring a bulletin down to ``MAX_PAGES``); ``conventions`` adds the
    template conventions of ``conventions.py``, ``layouts`` the real extractions' layouts of
    ``layouts.py``, each drawn from a generator of its own."""
    rng = random.Random(seed)
    v = draw_variant(rng)
    crng = conv.conventions_rng(seed)
    cv = conv.draw_conventions(crng) if conventions else {}
    if conventions:
        v.update({f"cv_{key}": value for key, value in cv.items()})
        v["classification"] = cv["secrecy"] if cv["secrecy"] != "none" else "none"
    year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    w = content.Writer(rng, year, month)
    full = v["masthead"] == "full"
    issue_no = rng.randint(1, 40)
    cumulative = issue_no + rng.randint(20, 400)
    masthead = {
        "title": rng.choice(content.TITLES) if full else None,
        "issuer": rng.choice(ISSUERS).format(w.district),
        "issue": f"第{issue_no}期" if full else None,
        "cumulative_issue": (f"总第{cumulative}期"
                             if full and v["issue_format"] != "plain" else None),
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "date_text": date_text(year, month, day, v["date_style"]),
    }
    share = {"run-in": 0.0, "standalone": 1.0, "mixed": 0.5}[v["head_mix"]]
    items = content.draw_items(w, rng.randint(2, 4), int(v["briefs"]),
                               v["head_length"] == "long", share, 0.75)
    if layouts:
        lrng = lay.layouts_rng(seed)
        lv = lay.draw_layouts(lrng)
        v.update({f"rl_{key}": value for key, value in lv.items()})
        writer = content.Writer(lrng, year, month)
        writer.district = w.district
        lay.apply(items, lv, writer)
    labels = {"none": "", "报送": "报送", "报送发": "报送发"}[v["footer"]]
    dist = content.draw_distribution(w, labels, bool(v["copies"]))
    layout_rng_seed = rng.randrange(2**31)
    kept = [it for it in items if it.type == "item"]
    briefs = [it for it in items if it.type == "brief"]
    for _ in range(drop):  # drop briefs first, then items, never the lead item
        if briefs:
            briefs.pop()
        elif len(kept) > 1:
            kept.pop()
    items = kept + briefs
    number = 0
    out_items = []
    for it in items:
        head = it.head
        if it.type == "item" and head is not None:
            number += 1
            head = numbered_head(head, number, v["numbering"])
        out_items.append({"type": it.type, "head": head, "head_rend": it.head_rend,
                          "paragraphs": it.paragraphs, "attribution": it.attribution})
    distribution: list[dict[str, Any]] = [{"label": lab, "text": text}
                                          for lab, text in dist.entries]
    if dist.copies:
        distribution.append({"label": None, "text": f"（共印{dist.copies}份）"})
    truth = {
        "name": f"b{seed:06d}",
        "seed": seed,
        "masthead": masthead,
        "items": out_items,
        "distribution": distribution,
        "classification": CLASSIFICATION_TEXT.get(v["classification"]),
        "variant": v,
    }
    if conventions:
        add_conventions(truth, cv, content.Writer(crng, year, month))
    return truth, random.Random(layout_rng_seed)


def add_conventions(truth: dict[str, Any], cv: dict[str, Any], w: content.Writer) -> None:
    """The truth of the template conventions: ``masthead.secrecy`` and ``signer``,
    ``contents`` (the headlines a 本期要目 lists; typeset empties it where an entry would not
    fit on one line), each item's ``section`` (and the ``section_label`` printed before it),
    and the footer's other labels, imprint and colophon in ``distribution``."""
    mh = truth["masthead"]
    mh["secrecy"] = truth["classification"]
    mh["signer"] = w.person() if cv["signer"] == "signer" else None
    items = truth["items"]
    for item, label in zip(items, conv.section_labels(items, cv["sections"], w.rng),
                           strict=True):
        item["section_label"] = label
        item.setdefault("section", None)
    heads = [item["head"] for item in items if item["type"] == "item" and item["head"]]
    truth["contents"] = heads if cv["toc"] != "none" else []
    copies = [entry for entry in truth["distribution"] if entry["label"] is None]
    entries = [{"label": label, "text": text}
               for label, text in conv.footer_entries(w, cv["footer_labels"])]
    if cv["imprint"] == "imprint":
        entries.append({"label": None, "text": conv.imprint_text(mh["issuer"], mh["date_text"])})
    truth["distribution"] = entries + conv.field_rows(cv, w) + copies


def truth_chars(truth: dict[str, Any]) -> str:
    """Every character the truth says is printed, in reading order, without whitespace."""
    mh = truth["masthead"]
    mark = truth["classification"]
    beside = truth["variant"]["classification"] == "internal_beside"
    signer = f"签发人：{mh['signer']}" if mh.get("signer") else None
    parts = [mark if mark and not beside else None, mh["title"],
             mark if mark and beside and mh["title"] else None,
             mh["issue"], mh["cumulative_issue"], mh["issuer"], signer, mh["date_text"]]
    parts.extend(truth.get("contents") or [])
    for item in truth["items"]:
        parts.append(item.get("section_label"))
        parts.append(item["head"])
        if item["type"] == "brief":
            parts.append(truth["variant"]["brief_mark"])
        parts.extend(item["paragraphs"])
        if item["attribution"]:
            parts.append(f"（{item['attribution']}）")
    for entry in truth["distribution"]:
        parts.append((f"{entry['label']}：" if entry["label"] else "") + entry["text"])
    return "".join("".join(p.split()) for p in parts if p)


def generate(seed: int, conventions: bool = False, layouts: bool = False) -> Bulletin:
    """Make bulletin ``seed`` (at most ``MAX_PAGES`` pages) and check it; ``conventions``
    adds the template conventions (``conventions.py``), ``layouts`` the layouts of real
    extractions (``layouts.py``)."""
    drop = 0
    while True:
        truth, layout_rng = draw_truth(seed, drop, conventions, layouts)
        built = build(truth, truth["variant"], layout_rng)
        if len(built.pages) <= MAX_PAGES or drop > 10:
            break
        drop += 1
    truth["layout"] = {"pages": len(built.pages),
                       "items": [asdict(info) for info in built.items]}
    raw = raw_text(built, truth["variant"], random.Random(seed))
    chars = truth_chars(truth)
    check_text_layer(built, chars)
    if not is_subsequence(chars, "".join(raw.split())):
        raise AssertionError(f"{truth['name']}: the raw text lost truth characters")
    return Bulletin(truth["name"], truth, built.pdf, raw, built)


def write(bulletin: Bulletin, out: Path, scan: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if scan:
        from samples.corpus.scan import make_scan

        data, ext, params = make_scan(bulletin.pdf, bulletin.truth["seed"])
        (out / f"{bulletin.name}-scan.{ext}").write_bytes(data)
        bulletin.truth["scan"] = {"file": f"{bulletin.name}-scan.{ext}", **params}
    (out / f"{bulletin.name}.json").write_text(
        json.dumps(bulletin.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / f"{bulletin.name}.pdf").write_bytes(bulletin.pdf)
    (out / f"{bulletin.name}.txt").write_text(bulletin.raw, encoding="utf-8")
    pdftotext(out / f"{bulletin.name}.pdf", out / f"{bulletin.name}.pdftotext.txt")


def pdftotext(pdf: Path, target: Path) -> None:
    """Poppler's own extraction of the PDF (reading order, form feeds between pages), a second
    raw text with the artefacts of a real tool rather than the seeds' model."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    subprocess.run([tool, "-enc", "UTF-8", str(pdf), str(target)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.corpus",
                                     description="Generate invented bulletins with truth.")
    parser.add_argument("--count", type=int, default=20, help="number of bulletins")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first bulletin")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--scans", action="store_true", help="also write a degraded scan")
    parser.add_argument("--conventions", action="store_true",
                        help="add real templates' conventions at random (conventions.py)")
    parser.add_argument("--layouts", action="store_true",
                        help="add layouts of real extractions at random (layouts.py)")
    args = parser.parse_args(argv)
    for seed in range(args.seed, args.seed + args.count):
        bulletin = generate(seed, conventions=args.conventions, layouts=args.layouts)
        write(bulletin, args.out, scan=args.scans)
        print(f"{bulletin.name}: {bulletin.truth['layout']['pages']} pages, "
              f"{len(bulletin.truth['items'])} items", file=sys.stderr)
    return 0
