"""The faces and styles of a generated bulletin, and how they are lent to ``make_pdf``.

Body, headline and title faces come from the variant (see ``variants.py`` for which face stands
for what; 仿宋 has a substitute). ``make_pdf`` keeps its geometry in module globals
(``BODY_SIZE``, ``RUN_IN_GAP_EM``, ``STYLES``); ``make_pdf_settings`` sets them for one bulletin
and restores the two numbers afterwards, so sample typesetting in the same process is unaffected;
styles of generated bulletins live in ``make_pdf.STYLES`` under keys starting with ``cx.``. A
glyph missing from a face (〇 in the GB fonts) is drawn in AR PL UMing, as Word substitutes
fonts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from samples import make_pdf as mp

RED = mp.RED
BLACK = mp.BLACK

# face key: (registered name, env override, default path, subfont index, expected family)
FACES = {
    "song": ("CorpusSong", "BULLETIN_SONG",
             "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "AR PL SungtiL GB"),
    "fangsong": ("CorpusFang", "BULLETIN_FANGSONG_SUBSTITUTE",
                 "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "AR PL KaitiM GB"),
    "ming": ("CorpusMing", "BULLETIN_UMING", "/usr/share/fonts/truetype/arphic/uming.ttc", 0,
             "AR PL UMing CN"),
    "kai": ("CorpusKai", "BULLETIN_UKAI", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0,
            "AR PL UKai CN"),
    "hei": ("CorpusHei", "BULLETIN_HEI", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0,
            "WenQuanYi Zen Hei"),
}
FALLBACK = "ming"
DEBIAN_PACKAGES = "fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gbsn00lp " \
    "fonts-arphic-gkai00mp fonts-wqy-zenhei"

GAP_EM = {"none": 0.0, "half": 0.5, "one": 1.0, "two": 2.0}

_registered: set[str] = set()


def register_faces() -> None:
    """Register the five TrueType faces with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    for name, env, default, index, family in FACES.values():
        if name in _registered:
            continue
        path = os.environ.get(env, default)
        if not Path(path).is_file():
            raise SystemExit(f"{path} not found: apt-get install {DEBIAN_PACKAGES}")
        font = TTFont(name, path, subfontIndex=index, asciiReadable=0)
        mp.trim_name_table(font.face)
        got = font.face.familyName
        got = got.decode("latin-1") if isinstance(got, bytes) else str(got)
        if got != family:
            raise SystemExit(f"{path} subfont {index} is {got!r}, expected {family!r}")
        pdfmetrics.registerFont(font)
        _registered.add(name)


def postscript_name(face: str) -> str:
    """The name a face has in the PDF (``AAAAAA+<name>-<subset>``), e.g. UMingCN for ming."""
    from reportlab.pdfbase import pdfmetrics

    register_faces()
    name = pdfmetrics.getFont(FACES[face][0]).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def has_glyph(font: str, ch: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    return ord(ch) in pdfmetrics.getFont(font).face.charToGlyph


# --------------------------------------------------------------------------- styles


def build_styles(v: dict[str, Any]) -> dict[str, mp.Style]:
    """The ``cx.*`` styles of one bulletin, plus a fallback-face twin of each."""
    body_font = FACES[v["body_face"]][0]
    size = float(v["body_size"])
    head = v["head_face"]
    if head in ("hei", "kai"):
        head_font, bold, runin_size, head_size = FACES[head][0], head == "kai", size, size * 1.25
    elif head == "body_bold":
        head_font, bold, runin_size, head_size = body_font, True, size, size * 1.25
    else:  # body_larger: same face, not bold, only the size tells
        head_font, bold, runin_size, head_size = body_font, False, size * 1.15, size * 1.4
    head_latin = "Times-Bold" if bold or head == "hei" else "Times-Roman"
    title_font = FACES["hei"][0] if v["title_face"] == "hei" else body_font
    title_color = RED if v["title_color"] == "red" else BLACK
    styles = {
        "cx.body": mp.Style(body_font, "Times-Roman", size),
        "cx.runin": mp.Style(head_font, head_latin, runin_size, bold=bold),
        "cx.head": mp.Style(head_font, head_latin, round(head_size, 1), bold=bold),
        "cx.footer": mp.Style(body_font, "Times-Roman", size - 1),
        "cx.title": mp.Style(title_font, "Times-Bold", float(v["title_size"]),
                             bold=v["title_face"] != "hei", color=title_color),
        "cx.mast": mp.Style(body_font, "Times-Roman", 16.0),
        "cx.mark": mp.Style(FACES["hei"][0], "Times-Roman", 14.0),
        "cx.star": mp.Style(FACES["ming"][0], "Times-Roman", 16.0, color=RED),
        "cx.pageno": mp.Style(body_font, "Times-Roman", 14.0),
    }
    fallback = FACES[FALLBACK][0]
    for key, st in list(styles.items()):
        styles[key + "!"] = replace(st, cjk=fallback)
    return styles


def atoms(text: str, style: str) -> list[mp.Atom]:
    """make_pdf's atoms, a glyph the face lacks moved to the fallback twin of the style."""
    out = []
    for a in mp.atoms_of(text, style):
        if not a.latin and not has_glyph(mp.STYLES[style].cjk, a.text):
            a = mp.Atom(a.text, style + "!")
        out.append(a)
    return out


@contextmanager
def make_pdf_settings(v: dict[str, Any]) -> Iterator[None]:
    saved = (mp.BODY_SIZE, mp.RUN_IN_GAP_EM)
    mp.BODY_SIZE = float(v["body_size"])
    mp.RUN_IN_GAP_EM = GAP_EM[v["runin_gap"]]
    mp.STYLES.update(build_styles(v))
    try:
        yield
    finally:
        mp.BODY_SIZE, mp.RUN_IN_GAP_EM = saved


