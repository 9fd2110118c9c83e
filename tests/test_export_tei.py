"""TEI export: validity against tei_all (jing), structure, lineation and confidence markup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bulletin_ocr.export.tei import render_tei
from bulletin_ocr.model import DistributionEntry, Document, Head, Item, Page, TextSpan
from export_samples import SHA, Pages, bulletin, masthead, span

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
Validate = Callable[[Path | bytes], None]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def find(root: etree._Element, path: str) -> list[Any]:
    """XPath with the ``t:`` prefix for TEI; elements, attribute values or strings."""
    result = root.xpath(path, namespaces=NS)
    assert isinstance(result, list)
    return result


def marked(element: etree._Element) -> str:
    """Mixed content as a string: ``|`` for lb, ``[pb N]``, elements as ``<name>..</name>``."""
    out = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname
        if name == "lb":
            out.append("|")
        elif name == "pb":
            out.append(f"[pb {child.get('n')}]")
        elif name != "certainty":
            out.append(f"<{name}>{marked(child)}</{name}>")
        out.append(child.tail or "")
    return "".join(out)


def assert_no_whitespace_in_mixed_content(root: etree._Element) -> None:
    for element in find(root, "//t:p | //t:head | //t:byline"):
        for node in element.iter():
            pieces = [node.text] + ([node.tail] if node is not element else [])
            for piece in pieces:
                context = etree.tostring(element, encoding="unicode")
                assert piece is None or (piece.strip() and "\n" not in piece), (
                    f"whitespace text node {piece!r} in {context}"
                )


def test_text_only_bulletin_is_valid_and_structured(validate_tei: Validate) -> None:
    data = render_tei(bulletin(Pages()))
    validate_tei(data)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">')
    root = parse(data)
    assert_no_whitespace_in_mixed_content(root)

    monogr = find(root, "/t:TEI/t:teiHeader/t:fileDesc/t:sourceDesc/t:biblStruct/t:monogr")[0]
    assert find(monogr, "t:title[@level='j']/text()") == ["工作动态"]
    assert find(monogr, "t:respStmt/t:orgName/text()") == ["中共上街区委办公室"]
    assert find(monogr, "t:idno[@type='filename']/text()") == ["bulletins/2021-03.pdf"]
    assert find(monogr, "t:idno[@type='sha256']/text()") == [SHA]
    assert find(monogr, "t:imprint/t:date/@when") == ["2021-01-06"]
    assert find(monogr, "t:biblScope[@unit='issue']/text()") == ["第3期", "总第120期"]
    apps = find(root, "//t:appInfo/t:application")
    assert [(a.get("ident"), a.get("version")) for a in apps] == [
        ("bulletin-ocr", "0.1.0"),
        ("pdfplumber", "0.11.4"),
    ]
    normalization = " ".join(find(root, "//t:editorialDecl/t:normalization/t:p/text()"))
    assert "whitespace" in normalization and "Rejoined lines" in normalization
    assert "join_wrapped_lines, drop_cjk_spaces" in normalization
    assert not find(root, "//t:facsimile")

    title_page = find(root, "/t:TEI/t:text/t:front/t:titlePage[@type='masthead']")[0]
    assert find(title_page, "t:docTitle/t:titlePart/text()") == ["工作动态"]
    assert marked(find(title_page, "t:docEdition")[0]) == "<num>第3期</num>（<num>总第120期</num>）"
    assert find(title_page, "t:docImprint/t:docDate/@when") == ["2021-01-06"]

    body = find(root, "/t:TEI/t:text/t:body")[0]
    assert [etree.QName(c).localname for c in body] == ["div", "div", "pb", "div"]
    item, brief, run_in = find(body, "t:div[@type='item']")
    assert [marked(child) for child in item] == [
        "上街区召开联席会议",
        "4月25日，上街区召开厂区|联席会议。",
        "区委书记宋洁讲话。",
        "（<orgName>区委办</orgName>）",
    ]
    assert [etree.QName(child).localname for child in item] == ["head", "p", "p", "byline"]
    assert brief.get("subtype") == "brief"
    assert marked(find(brief, "t:p")[0]) == "△区农委开展培训。"
    assert find(run_in, "t:head/@rend") == ["run-in"]
    assert item.get("subtype") is None and find(item, "t:head/@rend") == []

    distribution = find(root, "/t:TEI/t:text/t:back/t:div[@type='distribution']/t:p")
    assert [marked(p) for p in distribution] == [
        "<label>报</label>：市委办公厅",
        "<label>送</label>：区委常委",
        "共印50份",
    ]
    # One pb per page: the first at the start of front, the second between the divs.
    assert [pb.get("n") for pb in find(root, "//t:pb")] == ["1", "2"]
    assert find(root, "/t:TEI/t:text/t:front/*[1]/@n") == ["1"]


def ocr_two_pages() -> Document:
    """A scan: a paragraph runs from page 1 onto page 2, some lines read with low confidence."""
    pages = Pages(source="ocr", geometry=True)
    head = pages.line("上街区召开联席会议", confidence=0.99)
    lines = [
        pages.line("4月25日，上街区与中铝郑州企业召开", confidence=0.97),
        pages.line("联席会议，双方就有关问题", confidence=0.62),
        pages.line("进行探讨协商。", page=2, confidence=0.31),
    ]
    attribution = pages.line("（区委办）", page=2, confidence=0.9)
    brief = pages.line("△区农委开展培训。", page=2, confidence=0.95)
    return pages.document(
        items=[
            Item(
                "item",
                head=Head(span(head), "standalone"),
                paragraphs=[span(*lines)],
                attribution=TextSpan("区委办", attribution.text, [attribution], [0]),
            ),
            Item("brief", paragraphs=[span((brief, "区农委开展培训。"))]),
        ],
        engine=["paddleocr 3.7.0", "PP-OCRv6_rec_small (rapidocr 3.10.0)"],
    )


def test_ocr_page_break_inside_paragraph(validate_tei: Validate) -> None:
    data = render_tei(ocr_two_pages())
    validate_tei(data)
    root = parse(data)
    assert_no_whitespace_in_mixed_content(root)

    p = find(root, "//t:body/t:div[1]/t:p")[0]
    assert marked(p) == (
        "|4月25日，上街区与中铝郑州企业召开|<unclear>联席会议，双方就有关问题</unclear>"
        "[pb 2]|<unclear>进行探讨协商。</unclear>"
    )
    assert find(p, "t:pb/@facs") == ["#page-2"]
    assert [lb.get("facs") for lb in find(p, "t:lb")] == ["#p1l2", "#p1l3", "#p2l1"]
    # Only one pb for page 2 in the whole document: the brief on page 2 needs none.
    assert [pb.get("n") for pb in find(root, "//t:pb")] == ["1", "2"]
    # The △ follows the lb: it is printed at the start of that line.
    assert marked(find(root, "//t:div[@subtype='brief']/t:p")[0]) == "|△区农委开展培训。"
    byline = find(root, "//t:body/t:div[1]/t:byline")[0]
    assert marked(byline) == "|（<orgName>区委办</orgName>）"
    assert find(byline, "t:lb/@facs") == ["#p2l2"]


def test_ocr_confidence_markup() -> None:
    root = parse(render_tei(ocr_two_pages()))
    unclear = find(root, "//t:unclear")
    assert [(u.get("cert"), u.get("reason")) for u in unclear] == [
        ("medium", "low-ocr-confidence"),
        ("low", "low-ocr-confidence"),
    ]
    degrees = [find(u, "t:certainty[@locus='value']/@degree") for u in unclear]
    assert degrees == [["0.62"], ["0.31"]]
    # Lines read at 0.8 or better are not marked.
    assert find(root, "//t:head/t:unclear") == []


def test_ocr_facsimile_and_engines() -> None:
    root = parse(render_tei(ocr_two_pages()))
    surfaces = find(root, "/t:TEI/t:facsimile/t:surface")
    assert [s.get(XML_ID) for s in surfaces] == ["page-1", "page-2"]
    corners = ("ulx", "uly", "lrx", "lry")
    assert [surfaces[0].get(a) for a in corners] == ["0", "0", "595.28", "841.89"]
    zone = find(surfaces[1], "t:zone")[0]
    assert zone.get(XML_ID) == "p2l1"
    assert [zone.get(a) for a in corners] == ["56.69", "94", "538.5", "112.12"]
    zone_ids = {z.get(XML_ID) for z in find(root, "//t:zone")}
    pointers = {f[1:] for f in find(root, "//t:text//@facs")}
    assert pointers <= zone_ids | {"page-1", "page-2"}
    apps = find(root, "//t:appInfo/t:application")
    assert [(a.get("ident"), a.get("version"), a[0].text) for a in apps][1:] == [
        ("paddleocr", "3.7.0", "paddleocr 3.7.0"),
        # No TEI version number in "(rapidocr" or "3.10.0)", so the label carries the detail.
        ("PP-OCRv6_rec_small", "0", "PP-OCRv6_rec_small (rapidocr 3.10.0)"),
    ]


def test_no_masthead_no_items(validate_tei: Validate) -> None:
    data = render_tei(Document(source="/tmp/empty.txt", sha256=SHA))
    validate_tei(data)
    root = parse(data)
    assert find(root, "//t:titleStmt/t:title/text()") == ["empty.txt"]
    assert find(root, "//t:monogr/t:title[@level='j']/text()") == ["empty.txt"]
    assert find(root, "//t:monogr/t:idno[@type='filename']/text()") == ["/tmp/empty.txt"]
    assert find(root, "//t:front | //t:back | //t:pb | //t:div") == []
    # The body holds one empty paragraph, not an invented item.
    assert [etree.QName(c).localname for c in find(root, "//t:body")[0]] == ["p"]


def test_no_masthead_with_items_starts_pages_in_body(validate_tei: Validate) -> None:
    pages = Pages()
    pages.line("第一页只有页眉")
    pages.pages[2] = Page(number=2)
    doc = pages.document(items=[Item("item", paragraphs=[span(pages.line("正文", page=3))])])
    data = render_tei(doc)
    validate_tei(data)
    body = find(parse(data), "//t:body")[0]
    # Page 2 printed nothing we kept, but its break is still recorded.
    assert [(etree.QName(c).localname, c.get("n")) for c in body] == [
        ("pb", "1"),
        ("pb", "2"),
        ("pb", "3"),
        ("div", None),
    ]


def test_control_characters_do_not_break_the_xml(validate_tei: Validate) -> None:
    pages = Pages()
    doc = pages.document(items=[Item("item", paragraphs=[span(pages.line("第一\x0c段\x00"))])])
    data = render_tei(doc)
    validate_tei(data)
    assert marked(find(parse(data), "//t:body/t:div/t:p")[0]) == "第一\ufffd段\ufffd"


def test_misaligned_line_starts_keep_the_text() -> None:
    pages = Pages()
    first, second = pages.line("第一行"), pages.line("第二行")
    broken = TextSpan("第一行第二行", "第一行\n第二行", [first, second], [0, 99])
    root = parse(render_tei(pages.document(items=[Item("item", paragraphs=[broken])])))
    assert marked(find(root, "//t:body//t:p")[0]) == "第一行第二行"


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="上街区会议，。 12", max_size=5),
            st.integers(min_value=0, max_value=1),
            st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_lineation_never_changes_the_text(
    parts: list[tuple[str, int, float | None]], geometry: bool
) -> None:
    pages = Pages(source="ocr", geometry=geometry)
    page = 1
    lines = []
    for text, turn, confidence in parts:
        page += turn
        lines.append(pages.line(text, page=page, confidence=confidence))
    paragraph = span(*lines)
    root = parse(render_tei(pages.document(items=[Item("brief", paragraphs=[paragraph])])))
    p = find(root, "//t:body/t:div/t:p")[0]
    assert "".join(str(text) for text in p.itertext()) == "△" + paragraph.text
    page_numbers = [pb.get("n") for pb in find(root, "//t:pb")]
    assert page_numbers == [str(n) for n in sorted(pages.pages)]


def test_page_turns_between_blocks(validate_tei: Validate) -> None:
    pages = Pages(source="ocr", geometry=True)
    top = masthead(pages)
    head = span(pages.line("标题"))
    first = span(pages.line("第一段。"))
    second = span(pages.line("第二段。", page=2))
    attribution = pages.line("（区委办）", page=3)
    footer = span((pages.line("报：市委", page=4), "市委"))
    doc = pages.document(
        masthead=top,
        items=[
            Item(
                "item",
                head=Head(head, "standalone"),
                paragraphs=[first, second],
                attribution=TextSpan("区委办", attribution.text, [attribution], [0]),
            )
        ],
        distribution=[DistributionEntry("报", footer)],
    )
    data = render_tei(doc)
    validate_tei(data)
    root = parse(data)
    assert find(root, "//t:titlePage/@facs") == ["#p1l1 #p1l2 #p1l3 #p1l4"]
    div = find(root, "//t:body/t:div")[0]
    assert [(etree.QName(c).localname, c.get("n")) for c in div] == [
        ("head", None),
        ("p", None),
        ("pb", "2"),
        ("p", None),
        ("pb", "3"),
        ("byline", None),
    ]
    back = find(root, "//t:back")[0]
    assert [(etree.QName(c).localname, c.get("n")) for c in back] == [("pb", "4"), ("div", None)]
    assert marked(find(back, "t:div/t:p")[0]) == "|<label>报</label>：市委"
    assert [pb.get("facs") for pb in find(root, "//t:pb")] == [f"#page-{n}" for n in range(1, 5)]


def test_geometry_bulletin_is_valid(validate_tei: Validate) -> None:
    data = render_tei(bulletin(Pages(source="pdf", geometry=True)))
    validate_tei(data)
    root = parse(data)
    assert_no_whitespace_in_mixed_content(root)
    # A run-in head shares its printed line with the body: one lb, in the head.
    item = find(root, "//t:body/t:div")[2]
    assert marked(find(item, "t:head")[0]) == "|强化服务"
    assert marked(find(item, "t:p")[0]) == "区政务中心推出|延时服务。"
