"""Scan faces judged on measured ink and glyph positions: gaps inside a recognised box, and the
style a box too small to measure takes from its neighbours (``structure.faces``)."""

from __future__ import annotations

from dataclasses import replace

from bulletin_ocr.layout.glyphs import Glyph
from bulletin_ocr.model import BodyInk, Ink
from bulletin_ocr.structure.faces import (
    Face,
    _borrow_for_small_boxes,
    _gap_after_run,
    _snap_to_gap,
)

EM = 60.0
USUAL = BodyInk(stroke=4.0, height=53.0, em=EM, pitch=64.0, area=830.0)


def _row(text: str, x0: float = 100.0, pitch: float = 64.0, gaps: dict[int, float] | None = None,
         bold: bool = False) -> list[Glyph]:
    """One glyph per character on a baseline; ``gaps`` adds room before the glyph at an index."""
    glyphs, x = [], x0
    for index, char in enumerate(text):
        x += (gaps or {}).get(index, 0.0)
        glyphs.append(Glyph(char, x, x + EM, 500.0, 560.0, EM, bold=bold, confidence=0.99))
        x += pitch
    return glyphs


def _faces(glyphs: list[Glyph]) -> list[Face]:
    """The faces the glyphs were given (as a box's measured faces are before borrowing)."""
    return [Face(glyph.bold, glyph.size, glyph.color) for glyph in glyphs]


def test_a_one_em_gap_inside_a_box_ends_the_run_before_it() -> None:
    line = _row("区信访局召开乡村振兴工作会议副区长莫", gaps={14: EM})
    assert _gap_after_run(line) == 14


def test_a_half_em_gap_counts_and_justified_text_has_none() -> None:
    assert _gap_after_run(_row("望江街道信访矛盾化解下一步我区将精准", gaps={10: EM / 2})) == 10
    assert _gap_after_run(_row("会议指出垃圾分类事关群众切身利益要守牢")) is None


def test_a_gap_near_either_end_of_the_box_needs_to_be_an_em_wide() -> None:
    # Half an em after two glyphs, or before the box's last glyph, is too little to go on.
    assert _gap_after_run(_row("一是建立领导包联机制推动工作", gaps={2: EM / 2})) is None
    assert _gap_after_run(_row("区城管局大气污染防治跑出加速度全", gaps={15: EM / 2})) is None
    # An em is never justification: the end of a wrapped headline, or a headline whose body
    # goes on in the next box. Whether either side is a headline is for their faces to say.
    assert _gap_after_run(_row("一是建立领导包联机制推动工作", gaps={2: EM})) == 2
    assert _gap_after_run(_row("区城管局大气污染防治跑出加速度全", gaps={15: EM})) == 15


def test_two_gaps_in_one_box_say_nothing() -> None:
    assert _gap_after_run(_row("区城管局大气污染防治跑出加速度全年计划", gaps={6: EM, 12: EM})) is None


def test_a_cut_found_by_ink_moves_to_the_gap_beside_it() -> None:
    line = _row("动耕地保护通过桂阳通群众可在", gaps={5: EM / 2})
    assert _snap_to_gap(line, 4) == 5
    assert _snap_to_gap(line, 6) == 5
    assert _snap_to_gap(_row("动耕地保护通过桂阳通群众可在"), 4) == 4  # no gap: kept


def test_a_small_box_takes_the_style_of_the_box_after_it() -> None:
    number = [Glyph(c, x, x + EM, 500.0, 560.0, EM, confidence=0.9, group=0)
              for c, x in (("一", 100.0), ("、", 164.0))]
    headline = [Glyph(c, 260.0 + i * 64, 320.0 + i * 64, 500.0, 560.0, EM, bold=True,
                      confidence=0.9, group=1) for i, c in enumerate("金沙区全力抓好工作")]
    styled = _borrow_for_small_boxes([number, headline], [_faces(number), _faces(headline)], USUAL)
    assert all(face.bold for face in styled[0])


def test_a_small_box_a_gap_after_a_bold_headline_stays_plain() -> None:
    headline = [Glyph(c, 100.0 + i * 64, 160.0 + i * 64, 500.0, 560.0, EM, bold=True,
                      confidence=0.9, group=0) for i, c in enumerate("梅岭区召开工作会议")]
    end = headline[-1].x1
    date = [Glyph(c, end + EM * 1.5 + i * 40, end + EM * 1.5 + i * 40 + 36, 500.0, 560.0, EM,
                  bold=True, confidence=0.9, group=1) for i, c in enumerate("1月")]
    styled = _borrow_for_small_boxes([headline, date], [_faces(headline), _faces(date)], USUAL)
    assert not any(face.bold for face in styled[1])
    # Right beside the headline, with no gap, it is the headline's end.
    tail = [Glyph(c, end + 4 + i * 64, end + 64 + i * 64, 500.0, 560.0, EM, confidence=0.9,
                  group=1) for i, c in enumerate("会议")]
    faces = [_faces(headline), _faces(tail)]
    assert all(face.bold for face in _borrow_for_small_boxes([headline, tail], faces, USUAL)[1])


def test_taller_ink_opening_a_box_is_a_larger_face_run_in() -> None:
    from bulletin_ocr.structure.faces import _taller_then_body

    usual = BodyInk(stroke=4.0, height=53.0, em=60.0, pitch=62.0, area=830.0)

    def inks(heights: list[int]) -> list[tuple[int, Ink]]:
        return [(i, Ink(4.0, float(h), False, 830)) for i, h in enumerate(heights)]

    row = _row("区市场监管局召开安全生产会议全区")
    heights = [60, 62, 60, 60, 62, 59, 58, 62, 63, 61, 54, 53, 52, 54]
    assert _taller_then_body(row, inks(heights), usual) == 10
    # Plain body text, tall and flat glyphs mixed, shows no such step.
    plain = [53, 55, 47, 54, 52, 56, 53, 20, 54, 52, 55, 53]
    assert _taller_then_body(row, inks(plain), usual) is None
    # A short tall run (four glyphs) is too little to go on.
    short = [62, 61, 63, 62, 53, 52, 54, 53, 55, 52, 53, 54]
    assert _taller_then_body(row, inks(short), usual) is None


def test_two_short_glyphs_end_a_taller_run_only_after_a_gap() -> None:
    from bulletin_ocr.structure.faces import _taller_then_body

    usual = BodyInk(stroke=4.0, height=53.0, em=60.0, pitch=62.0, area=830.0)
    # 以 and 二 are short in any face: a box wholly in a larger face, read as 区市场监管局以二强.
    heights = [56, 64, 55, 56, 63, 63, 47, 36, 55]
    known = [(i, Ink(4.0, float(h), False, 830)) for i, h in enumerate(heights)]
    assert _taller_then_body(_row("区市场监管局以二强"), known, usual) is None
    # The same heights with a widened step before the seventh glyph: the body begins there.
    spread = _row("区市场监管局以二强", gaps={6: 22.0})
    assert _taller_then_body(spread, known, usual) == 6
    # Or when the run stands clearly taller throughout and both glyphs at the body's height.
    clear_heights = [61, 62, 61, 60, 61, 62, 61, 52, 53]
    clear = [(i, Ink(4.0, float(h), False, 830)) for i, h in enumerate(clear_heights)]
    assert _taller_then_body(_row("务取得明显成效区政"), clear, usual) == 7


def test_a_gap_near_a_stroke_cut_is_where_the_headline_ends() -> None:
    from bulletin_ocr.structure.faces import _face_boundary

    usual = BodyInk(stroke=4.0, height=53.0, em=60.0, pitch=64.0, area=830.0)
    # Blurred 黑体: the first two glyphs measure far heavier than the rest of the run, so the
    # stroke profile alone steps down after them; the one-em gap five glyphs on is the end.
    strokes = [5.24, 6.28, 4.48, 4.76, 4.48, 4.84, 4.96, 4.4, 3.68, 3.76]
    known = [(i, Ink(s, 53.0, False, 900)) for i, s in enumerate(strokes)]
    row = _row("村人居环境整治截至三月", gaps={7: EM})
    assert _face_boundary(row, known, usual) == (7, "strokes")


def test_an_em_gap_ends_the_run_even_with_two_glyphs_after_it() -> None:
    # The box ends two glyphs into the body: a two-em gap still shows the headline's end.
    assert _gap_after_run(_row("区委宣传部创新开展反诈宣传活动", gaps={14: 2 * EM})) == 14
    # Half an em before two glyphs is not enough to go on.
    assert _gap_after_run(_row("区委宣传部创新开展反诈宣传活动", gaps={14: 0.5 * EM})) is None


def test_a_wrapped_headlines_last_two_glyphs_end_at_an_em_gap_and_keep_their_size() -> None:
    from bulletin_ocr.structure.faces import _run_size

    # ``成效`` ends a headline in a face 1.15 times the body's, wrapped from the line above.
    row = _row("成效截至月日", gaps={2: 1.2 * EM})
    assert _gap_after_run(row) == 2
    usual = BodyInk(stroke=4.0, height=54.0, em=60.0, pitch=64.0, area=900.0)
    head = [Ink(4.2, 62.0, False, 1150), Ink(4.3, 62.0, False, 1190)]
    assert round(_run_size(row, 0, 2, head, usual, "gap"), 2) == 1.15


def test_a_two_glyph_title_alone_on_its_row_keeps_its_size() -> None:
    from bulletin_ocr.structure.faces import _size_ratio

    usual = BodyInk(stroke=3.0, height=47.0, em=58.8, pitch=60.0, area=431.0)
    title = _row("简报", pitch=160.0)
    ratio = _size_ratio(title, [Ink(8.5, 128.0, True, 4400), Ink(9.9, 121.0, True, 4700)], usual)
    assert ratio > 2.5
    # Two glyphs a tenth taller say nothing: within the noise of single glyphs.
    assert _size_ratio(_row("会议"), [Ink(3.0, 52.0, False, 450)] * 2, usual) == 1.0


def test_one_heavy_glyph_an_em_before_the_rest_ends_a_wrapped_headline() -> None:
    from bulletin_ocr.structure.faces import _face_boundary

    usual = BodyInk(stroke=4.75, height=55.0, em=66.5, pitch=66.8, area=870.0)
    # ``议`` ends a bold headline wrapped from the line above; the body follows an em on.
    row = _row("议副区长孔思磊出席会", gaps={1: EM})
    strokes = [6.0, 4.6, 4.7, 5.1, 4.9, 4.7, 4.8, 5.1, 4.7, 5.1]
    known = [(i, Ink(s, 53.0, False, 900)) for i, s in enumerate(strokes)]
    assert _face_boundary(row, known, usual) == (1, "gap")
    # The same glyph at the body's weight: one glyph's place alone says nothing.
    plain = [(i, Ink(4.8 if i == 0 else s, 53.0, False, 900)) for i, s in enumerate(strokes)]
    assert _face_boundary(row, plain, usual)[0] != 1


def test_a_wrapped_headlines_last_glyphs_before_a_pitch_gap_keep_a_size_of_their_own() -> None:
    from bulletin_ocr.structure.faces import _styled

    usual = BodyInk(stroke=4.5, height=52.0, em=63.4, pitch=64.5, area=794.0)
    # ``会议`` ends a headline in a face 1.16 times the body's, half an em before the body;
    # two glyphs measure a little larger, too little to call a face.
    row = _row("会议区委书记黄辉志出席会议并讲话", pitch=64.5, gaps={1: 3.0, 2: 32.0})
    head = [58.8, 53.0]
    heights = [*head, 52.0, 55.0, 53.0, 47.0, 54.0, 52.0, 51.0, 53.0, 56.0, 52.0, 51.0, 52.0,
               50.0, 53.0]
    inks: list[Ink | None] = [Ink(4.5, h, False, 800) for h in heights]
    styled = _styled(row, inks, usual, _faces(row))
    assert styled[0].size == styled[1].size > styled[2].size == usual.em
    # Without the gap, the same glyphs are all the body's size.
    unspread = _row("会议区委书记黄辉志出席会议并讲话", pitch=64.5)
    plain = _styled(unspread, inks, usual, _faces(unspread))
    assert {face.size for face in plain} == {usual.em}


def test_a_cut_measured_inside_a_word_moves_to_its_end_unless_a_gap_marks_it() -> None:
    from bulletin_ocr.structure.faces import _whole_words

    # The last glyph of ``会议`` measured at the body's height: no headline ends inside a word.
    line = _row("耕地保护工作会议区妇联牵头")
    assert _whole_words(line, 7) == 8
    assert _whole_words(line, 8) == 8
    # A gap where the ink cut it stands: the body may open with a glyph that makes a word
    # with the headline's last one.
    assert _whole_words(_row("耕地保护工作会议区妇联牵头", gaps={7: EM / 2}), 7) == 7


def test_a_cut_measured_near_the_bodys_opening_words_moves_to_them() -> None:
    from bulletin_ocr.structure.faces import _whole_words

    # Blurred 黑体: the ink cut ``…企业服务|工作截至7月23日`` two glyphs early.
    line = _row("龙泉镇稳步推进企业服务工作截至月日共走访")
    assert _whole_words(line, 11) == 13
    assert _whole_words(line, 14) == 13
    # No opener near the cut: it stays (between words).
    assert _whole_words(_row("龙泉镇稳步推进企业服务工作全年计划实施"), 11) == 11
    # A meeting's report opens with who spoke (b011632, b011704: the ink cut one glyph into
    # ``熊文雪强调，`` and ``尹松强调，``): the cut moves to the name's first glyph.
    assert _whole_words(_row("南屏区召开志愿服务工作会议熊文雪强调，要守牢"), 14) == 13
    assert _whole_words(_row("区人社局推动基层治理尹松强调，要加强"), 11) == 10


def test_a_heavy_run_whose_weight_dips_on_a_light_glyph_is_not_cut_there() -> None:
    from bulletin_ocr.structure.faces import _bold_then_plain

    usual = BodyInk(stroke=3.9, height=54.0, em=61.0, pitch=61.0, area=883.0)

    def inks(pairs: list[tuple[float, float]]) -> list[tuple[int, Ink]]:
        return [(i, Ink(s * usual.stroke, 52.0, False, round(a * usual.area)))
                for i, (s, a) in enumerate(pairs)]

    # 西陵区以“三强化”推动 measured on a scan, quotes left out: 三 is a light glyph of the
    # same 黑体, and what follows it is as heavy as the run before it.
    head = [(1.28, 1.34), (1.33, 1.48), (1.17, 1.11), (1.35, 0.94)]
    heavy_rest = [(1.04, 0.65), (1.17, 1.34), (1.48, 1.01), (1.19, 1.30), (1.26, 1.12)]
    assert _bold_then_plain(inks(head + heavy_rest), usual) is None
    # The same run before plain body glyphs ends where they begin.
    plain_rest = [(1.02, 0.70), (0.98, 0.95), (1.05, 0.90), (0.96, 1.00), (1.01, 0.85)]
    assert _bold_then_plain(inks(head + plain_rest), usual) == 4


def test_a_heavy_face_parted_by_a_gap_is_judged_against_the_body_beside_it() -> None:
    from bulletin_ocr.structure.faces import style_boxes

    # A 黑体 run-in headline at the body's size on a grey scan (corpus seed 9727), as measured
    # against the page's usual ink: strokes 1.06, ink 1.5, height 1.10 times; the body after
    # the gap: strokes 1.0, ink 1.08, height 0.96. Against the page, neither bold nor larger;
    # against the body beside it, taller and holding much more ink.
    usual = BodyInk(stroke=4.7, height=49.0, em=58.0, pitch=59.0, area=737.5)
    head = "区医保局三个到位高位推动义务教育"
    row = _row(head + "程玲悦强", pitch=65.0, gaps={len(head): EM * 0.6})
    heads = [(1.05, 1.02, 1.38), (1.03, 1.02, 1.71), (1.15, 1.08, 1.55), (1.04, 1.08, 1.62),
             (0.86, 0.98, 0.79), (1.27, 1.12, 0.82), (1.06, 1.12, 1.56), (1.04, 1.10, 1.27),
             (0.95, 1.16, 1.69), (1.03, 1.10, 1.25), (1.09, 1.14, 1.69), (1.08, 1.12, 1.48),
             (1.23, 1.18, 1.00), (1.33, 1.12, 1.44), (1.23, 1.12, 1.79), (1.11, 1.20, 1.72)]
    body = [(0.99, 0.92, 1.16), (1.01, 1.04, 0.97), (0.90, 1.00, 1.00), (1.01, 0.90, 1.17)]
    inks: list[Ink | None] = [
        Ink(s * usual.stroke, h * usual.height, False, round(a * usual.area))
        for s, h, a in heads + body
    ]
    glyphs = [Glyph(g.text, g.x0, g.x1, g.top, g.bottom, g.size, confidence=0.99, ink=ink)
              for g, ink in zip(row, inks, strict=True)]
    faces = style_boxes([glyphs], usual)[0]
    assert all(face.bold for face in faces[: len(head)])
    assert not any(face.bold for face in faces[len(head):])
    # The same box with the body's ink after the gap as heavy as the run's: one face.
    same = [Glyph(g.text, g.x0, g.x1, g.top, g.bottom, g.size, confidence=0.99, ink=inks[0])
            for g in row]
    assert not any(face.bold for face in style_boxes([same], usual)[0])


def test_a_widened_step_where_taller_ink_gives_way_to_the_usual_height_ends_a_larger_run() -> None:
    from bulletin_ocr.structure.faces import _taller_then_body

    # A headline 1.15 times the body's size, half an em before three body glyphs (corpus seed
    # 9721): its ink measured 1.14 times the page's usual height and theirs 1.05, so the
    # run stands only 1.08 times taller than what follows it, less than a change of face
    # alone must show; the step before the body, 1.33 times the run's usual one, shows it.
    usual = BodyInk(stroke=4.2, height=49.0, em=58.3, pitch=60.2, area=676.0)
    ratios = [1.02, 1.14, 1.18, 1.16, 1.08, 1.12, 1.20, 1.14, 1.06, 1.22, 1.14, 1.14, 1.02,
              1.22, 1.20, 1.06, 1.04, 1.06]
    known = [(i, Ink(4.2, r * usual.height, False, 676)) for i, r in enumerate(ratios)]
    row = _row("北湖街道医保基金监管跑出加速度萧涛新", pitch=67.0, gaps={15: 22.0})
    assert _taller_then_body(row, known, usual) == 15
    # Without the widened step the same ink shows no change of face.
    assert _taller_then_body(_row("北湖街道医保基金监管跑出加速度萧涛新", pitch=67.0), known,
                             usual) is None


# A 黑体 run-in headline with no gap that fills a 1-bit scan's line (corpus seed 9744,
# ``…整治工作会议``): strokes and ink against the page's usual, as measured.
_MEETING_USUAL = BodyInk(stroke=2.62, height=52.0, em=58.3, pitch=60.5, area=435.0)
_MEETING_HEAD = "望江街道召开农村人居环境整治工作会议"
_MEETING_INK = [(1.06, 1.82), (1.32, 1.22), (1.31, 1.69), (1.19, 1.78), (1.39, 1.70),
                (1.27, 1.35), (1.55, 1.68), (1.56, 1.71), (1.83, 0.99), (1.18, 1.81),
                (1.37, 1.57), (1.18, 1.77), (1.17, 1.90), (1.29, 1.52), (1.40, 1.14),
                (1.45, 1.56), (1.41, 1.59), (1.60, 1.63)]


def _meeting_box(tail: str, tail_ink: list[tuple[float, float] | None]) -> list[Glyph]:
    """That headline and ``tail`` after it on its line, each glyph with its measured ink
    (stroke and area against the usual; None for a glyph with none measured)."""
    usual = _MEETING_USUAL
    inks = [None if measured is None else
            Ink(measured[0] * usual.stroke, usual.height, False, round(measured[1] * usual.area))
            for measured in [*_MEETING_INK, *tail_ink]]
    return [replace(glyph, ink=ink)
            for glyph, ink in zip(_row(_MEETING_HEAD + tail, pitch=59.0), inks, strict=True)]


def test_a_lone_plain_glyph_ending_a_bold_box_is_the_bodys_first() -> None:
    from bulletin_ocr.structure.faces import style_boxes

    # The body's first glyph ``区`` ends the line. The headline's 议 measured heavy enough to
    # hide the one plain 区 from a change point, which needs two glyphs after it.
    faces = style_boxes([_meeting_box("区", [(1.02, 0.69)])], _MEETING_USUAL)[0]
    assert all(face.bold for face in faces[: len(_MEETING_HEAD)])
    assert not faces[-1].bold
    # A last glyph as heavy as the run's is the run's: the box is one bold face.
    assert all(face.bold
               for face in style_boxes([_meeting_box("区", [(1.35, 1.60)])], _MEETING_USUAL)[0])


def test_two_taller_glyphs_half_an_em_before_the_body_end_a_wrapped_larger_headline() -> None:
    from bulletin_ocr.structure.faces import _face_boundary, _styled

    # b009738: ``答卷`` ends a headline in a face 1.15 times the body's, wrapped onto the body's
    # line ``答卷 通过“石桥通”``; steps 70, 105, 70 px, ink 1.12 and 1.16 times the usual
    # height against 0.92-1.0 after the gap.
    usual = BodyInk(stroke=4.0, height=50.0, em=60.7, pitch=61.4, area=850.0)
    row = _row("答卷通过“石桥通”", pitch=70.0, gaps={2: 35.0})
    heights = {0: 56.0, 1: 58.0, 2: 49.0, 3: 46.0, 5: 40.0, 6: 50.0, 7: 48.0}
    known = [(i, Ink(4.0, h, False, 850)) for i, h in heights.items()]
    assert _face_boundary(row, known, usual) == (2, "gap")
    inks: list[Ink | None] = [Ink(4.0, heights[i], False, 850) if i in heights else None
                              for i in range(len(row))]
    styled = _styled(row, inks, usual, _faces(row))
    assert styled[0].size == styled[1].size > styled[2].size == usual.em
    # The same gap before glyphs of the body's height: a place alone says nothing.
    level = [(i, Ink(4.0, 50.0, False, 850)) for i in heights]
    assert _face_boundary(row, level, usual)[0] is None


def test_a_gap_inside_taller_ink_that_goes_on_past_it_is_no_headline_end() -> None:
    from bulletin_ocr.structure.faces import _face_boundary

    usual = BodyInk(stroke=4.0, height=53.0, em=60.0, pitch=62.0, area=830.0)
    # b011542: a larger face with no gap before the body; OCR placed 资 a little late, a
    # step 1.4 times the usual after 引. The ink stays tall until 议, then steps down.
    text = "区总工会召开年招商引资工作会议会议指出食品安全"
    heights = [60, 61, 60, 62, 60, 59, 62, 62, 63, 63, 63, 62, 63, 61, 60, 53, 50, 53, 51,
               54, 52, 53, 52]
    known = [(i, Ink(4.0, float(h), False, 830)) for i, h in enumerate(heights)]
    row = _row(text, gaps={10: 28.0})
    assert _gap_after_run(row) == 10
    assert _face_boundary(row, known, usual) == (15, "height")
    # Where the ink steps down at the gap, the gap ends the headline.
    at_gap = [60, 61, 60, 62, 60, 59, 62, 62, 63, 63, 53, 50, 53, 51, 54, 52, 53, 52, 53,
              51, 54, 52, 53]
    known = [(i, Ink(4.0, float(h), False, 830)) for i, h in enumerate(at_gap)]
    assert _face_boundary(row, known, usual) == (10, "gap")


def _spaced(text: str, pitches: list[float], x0: float = 100.0) -> list[Glyph]:
    """Glyphs placed by the recogniser's steps (``pitches[i]`` after glyph i)."""
    glyphs, x = [], x0
    for index, char in enumerate(text):
        glyphs.append(Glyph(char, x, x + EM, 500.0, 560.0, EM, confidence=0.99))
        x += pitches[index] if index < len(pitches) else 64.0
    return glyphs


def test_taller_and_wider_together_end_a_larger_run_with_no_gap() -> None:
    from bulletin_ocr.structure.faces import _face_boundary, _larger_then_body

    usual = BodyInk(stroke=4.0, height=51.0, em=62.0, pitch=63.0, area=830.0)

    def known(heights: list[float]) -> list[tuple[int, Ink]]:
        return [(i, Ink(4.0, h * 51.0, False, 830)) for i, h in enumerate(heights)]

    # b011557: 区人社局召开夜间经济工作会议 set 1.15 times the body, then 区住建局牵; the
    # ink alone (1.08 over the body after it) and the pitch alone (1.14) each fall short.
    text = "区人社局召开夜间经济工作会议区住建局牵"
    heights = [1.08, 0.92, 1.12, 1.2, 1.08, 1.06, 1.18, 1.12, 1.04, 1.16, 0.82, 1.2, 1.14,
               1.0, 0.92, 0.94, 1.04, 1.04, 1.06]
    pitches = [79.0, 68.0, 80.0, 68.0, 79.0, 68.0, 79.0, 68.0, 79.0, 80.0, 68.0, 68.0, 68.0,
               68.0, 68.0, 68.0, 56.0, 68.0]
    row = _spaced(text, pitches)
    assert _larger_then_body(row, known(heights), usual) in (13, 14)
    assert _face_boundary(row, known(heights), usual) == (14, "pitch")  # after 会议
    # The same steps with the ink level all along (a body line), or the same ink with the
    # body's pitch, show no larger run.
    level = [1.0, 0.96, 1.02, 1.04, 0.98, 1.0, 1.02, 0.98, 1.0, 1.04, 0.86, 1.02, 1.0, 1.0,
             0.96, 0.98, 1.04, 1.0, 1.02]
    assert _larger_then_body(row, known(level), usual) is None
    body_steps = _spaced(text, [68.0, 56.0] * 9)
    assert _larger_then_body(body_steps, known(heights), usual) is None


def test_a_wrapped_larger_headlines_last_glyphs_end_where_ink_and_pitch_step_down() -> None:
    from bulletin_ocr.structure.faces import _face_boundary, _larger_then_body

    usual = BodyInk(stroke=4.0, height=54.0, em=58.0, pitch=61.0, area=830.0)
    # b011542: 好开局 end a 1.15 headline on the body's line, no gap after them.
    text = "好开局通过柳湾通和政务服务网群众可在线办理"
    heights = [1.15, 1.09, 1.09, 0.96, 1.0, 1.02, 1.0, 0.94, 0.98, 1.02, 1.02, 0.98, 1.02,
               0.96, 1.02, 1.0, 0.94, 1.02, 0.98, 0.98, 0.93]
    pitches = [71.0, 70.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0, 59.0,
               71.0, 47.0, 59.0, 71.0, 59.0, 59.0, 59.0]
    row = _spaced(text, pitches)
    known = [(i, Ink(4.0, h * 54.0, False, 830)) for i, h in enumerate(heights)]
    # Two glyphs or three by the measures; 开局 is one word.
    assert _larger_then_body(row, known, usual) in (2, 3)
    assert _face_boundary(row, known, usual) == (3, "pitch")


def test_one_taller_glyph_half_an_em_before_the_rest_ends_a_wrapped_headline() -> None:
    from bulletin_ocr.structure.faces import _face_boundary

    usual = BodyInk(stroke=4.75, height=61.0, em=70.0, pitch=70.0, area=870.0)
    # b011560: 育 ends a 1.15 headline wrapped from the line above, half an em before 活动当天.
    row = _row("育活动当天工作人员于", gaps={1: EM / 2})
    heights = [75.0, 61.0, 62.0, 60.0, 59.0, 52.0, 62.0, 61.0, 61.0, 60.0]
    known = [(i, Ink(4.75, h, False, 900)) for i, h in enumerate(heights)]
    assert _face_boundary(row, known, usual) == (1, "gap")
    # A heavier glyph needs a whole em: half an em and strokes alone say nothing.
    heavy = [(i, Ink(6.0 if i == 0 else 4.75, 61.0, False, 900)) for i in range(10)]
    assert _face_boundary(row, heavy, usual)[0] != 1


def test_a_taller_run_one_glyph_shorter_than_the_shortest_cut_ends_before_the_body() -> None:
    from bulletin_ocr.structure.faces import _taller_then_body

    usual = BodyInk(stroke=4.0, height=58.0, em=66.0, pitch=68.0, area=830.0)

    def known(heights: list[float]) -> list[tuple[int, Ink]]:
        return [(i, Ink(4.0, h * 58.0, False, 830)) for i, h in enumerate(heights)]

    # b011678: 出坚实步伐 end a wrapped larger headline, 区农业农村局 open the body.
    row = _row("出坚实步伐区农业农村局", pitch=68.0)
    heights = [1.12, 1.09, 1.24, 1.16, 1.16, 0.97, 1.0, 0.95, 1.0, 1.02, 0.98]
    assert _taller_then_body(row, known(heights), usual) == 5
    # Where the five do not stand clearly taller, the shortest cut stays (and a run of
    # plain glyphs keeps the body's first: b011678's 质增效 / 截至, cut by the words instead).
    mixed = [1.16, 1.16, 1.14, 1.0, 0.95, 0.97, 1.0, 0.95, 1.0, 1.02, 0.98]
    assert _taller_then_body(row, known(mixed), usual) != 5


def test_a_glyph_is_measured_against_its_own_characters_usual_height() -> None:
    from dataclasses import replace

    from bulletin_ocr.structure.faces import style_boxes

    # b011871: 三、花溪街道全面加强大气污染防治工作 set 1.15 times the body, then 活动 of the
    # body with no gap. 工 is short in any face: its ink, 0.82 times the page's usual, read as
    # the body's and ended the headline before 工作.
    text = "三、花溪街道全面加强大气污染防治工作活动"
    heights = [0.86, None, 1.2, 1.2, 1.2, 1.2, 1.14, 1.04, 1.04, 1.06, 1.12, 1.22, 1.12, 1.2,
               1.12, 1.12, 0.82, 1.22, 0.94, 0.92]
    lefts = [594, 682, 732, 801, 881, 950, 1019, 1100, 1169, 1238, 1319, 1388, 1457, 1537,
             1606, 1675, 1756, 1825, 1894, 1952]
    box = [
        Glyph(char, x, x + 72, 600.0, 670.0, 60.5, confidence=0.99,
              ink=None if h is None else Ink(4.0, h * 51.0, False, 830))
        for char, x, h in zip(text, lefts, heights, strict=True)
    ]
    usual = BodyInk(stroke=4.0, height=51.0, em=60.5, pitch=62.8, area=830.0)

    def sizes(body: BodyInk) -> list[float]:
        return [face.size for face in style_boxes([box], body)[0]]

    # Where the page's 工 stands 0.70 times the usual, this one stands 1.17 times its own.
    shaped = sizes(replace(usual, char_heights={"工": 0.70}))
    assert len(set(shaped[:18])) == 1 and shaped[17] > 1.1 * 60.5
    assert shaped[18:] == [60.5, 60.5]
    # Measured against the page's usual height, the headline ended before 工作.
    assert sizes(usual)[16] == 60.5


def test_a_characters_usual_height_is_known_from_the_bodys_boxes() -> None:
    import numpy as np

    from bulletin_ocr.layout.ink import measure_glyphs

    # White page, black bars standing in for glyphs. A body box: 工 28 px tall (twice), 大
    # 40 px, 区 28 px but once. A headline's box set 1.3 times larger: 区 and 工 36 px, 大 52 px.
    image = np.full((400, 1600, 3), 255, dtype=np.uint8)

    def box(row: str, tall: dict[str, int], top: int) -> list[Glyph]:
        glyphs = []
        for index, char in enumerate(row):
            x0 = 20 + index * 60
            image[top : top + tall[char], x0 + 10 : x0 + 40] = 0
            glyphs.append(Glyph(char, x0, x0 + 50, top - 5, top + 60, 50.0, confidence=0.99))
        return glyphs

    body = box("工大大工大大大区大大", {"工": 28, "大": 40, "区": 28}, 100)
    headline = box("区大大大大工", {"工": 36, "大": 52, "区": 36}, 250)
    _, usual = measure_glyphs(image, [body, headline])
    assert usual is not None and usual.height == 40 and usual.area == 1200
    # Each character as the body prints it, the headline's taller glyphs counting for nothing;
    # 区, seen once in the body, against the box each of its glyphs stands in (0.70, 0.69).
    heights = usual.char_heights
    assert heights["工"] == 0.7 and heights["大"] == 1.0 and round(heights["区"], 2) == 0.7
    assert set(heights) == {"工", "大", "区"}


def test_a_small_box_alone_under_a_headline_line_takes_its_face_by_its_ink() -> None:
    # b012217: ``村振兴``, the last glyphs of a headline centred under ``强化”推动乡``, boxed
    # alone; its ink stands as tall as the line above's, not the body's.
    usual = BodyInk(stroke=4.0, height=50.0, em=60.0, pitch=64.0, area=830.0)

    def box(text: str, top: float, x0: float, height: float, bold: bool, group: int) -> list[Glyph]:
        return [
            Glyph(c, x0 + i * 90, x0 + i * 90 + 85, top, top + 90, 90.0 if bold else EM,
                  bold=bold, confidence=0.9, group=group, ink=Ink(4.0, height, False, 830))
            for i, c in enumerate(text)
        ]

    above = box("强化推动乡", 880.0, 530.0, 72.0, True, 0)
    tail = box("村振兴", 993.0, 666.0, 70.0, False, 1)
    styled = _borrow_for_small_boxes([above, tail], [_faces(above), _faces(tail)], usual)
    assert all(face.bold and face.size == 90.0 for face in styled[1])
    # The other column's line on the same row, a gutter away, is no neighbour to take from.
    other = box("截至一月共走访", 993.0, 1300.0, 50.0, False, 2)
    styled = _borrow_for_small_boxes(
        [above, tail, other], [_faces(above), _faces(tail), _faces(other)], usual
    )
    assert all(face.bold and face.size == 90.0 for face in styled[1])
    # Ink at the body's height under the same line: the body's first glyphs, left plain.
    short = box("截至一", 993.0, 666.0, 51.0, False, 1)
    styled = _borrow_for_small_boxes([above, short], [_faces(above), _faces(short)], usual)
    assert not any(face.bold for face in styled[1])
    # Far below the line (three ems), nothing is borrowed.
    far = box("村振兴", 880.0 + 90 + 3 * 90, 666.0, 70.0, False, 1)
    styled = _borrow_for_small_boxes([above, far], [_faces(above), _faces(far)], usual)
    assert not any(face.bold for face in styled[1])


def test_a_gap_measured_between_faces_judged_alike_is_kept_on_the_glyph() -> None:
    from bulletin_ocr.structure.faces import style_glyphs

    # b012265: ``交出亮眼答卷`` half an em before ``区医保局牵头…``, both measured the body's.
    usual = BodyInk(stroke=4.0, height=50.0, em=60.0, pitch=64.0, area=830.0)
    row = _row("交出亮眼答卷区医保局牵头组建专班", gaps={6: EM / 2})
    inked = [replace(glyph, ink=Ink(4.0, 50.0, False, 830)) for glyph in row]
    [styled] = style_glyphs([inked], usual)
    assert [glyph.gap_before for glyph in styled].index(True) == 6
    assert sum(glyph.gap_before for glyph in styled) == 1
    assert len({(glyph.bold, glyph.size) for glyph in styled}) == 1


def test_a_cut_stays_before_a_dictionary_word_whose_glyphs_measure_as_the_body() -> None:
    from bulletin_ocr.structure.faces import style_boxes

    # b012633 (1-bit, 楷体 bold run-in, no gap): ``…文明城市创建`` then ``活动当天，``. jieba
    # reads ``创建活动`` as one word, and the cut the strokes found (after 建) was moved on
    # past ``活动``, whose strokes measure the body's. Strokes against the page's usual, as
    # measured; quotes and the comma carry no ink.
    usual = BodyInk(stroke=3.0, height=47.0, em=58.0, pitch=59.6, area=700.0)
    text = "松岭区以“四强化”推动文明城市创建活动当天，工作人员于"
    strokes = {0: 1.59, 1: 1.57, 2: 1.42, 3: 1.57, 5: 1.45, 6: 1.50, 7: 1.60, 9: 1.44,
               10: 1.47, 11: 1.59, 12: 1.46, 13: 1.49, 14: 1.46, 15: 1.45, 16: 1.60,
               17: 0.99, 18: 1.00, 19: 1.00, 20: 1.06, 22: 1.09, 23: 0.91, 24: 1.26,
               25: 0.95, 26: 1.06}
    row = _row(text, pitch=60.0)
    glyphs = [
        replace(glyph, ink=Ink(strokes[i] * usual.stroke, usual.height, False, 700)
                if i in strokes else None)
        for i, glyph in enumerate(row)
    ]
    faces = style_boxes([glyphs], usual)[0]
    assert all(face.bold for face in faces[:17])
    assert not any(face.bold for face in faces[17:])
    # One light glyph past the cut is a single glyph's noise: the word rule holds (``会议``
    # of ``…工作会|议区妇联``, its 议 measured light).
    from bulletin_ocr.structure.faces import _whole_words

    meeting = _row("耕地保护工作会议区妇联牵头")
    inks = [(i, Ink(4.5 if i < 7 else 3.0, 50.0, False, 700)) for i in range(13)]
    assert _whole_words(meeting, 7, inks, lambda ink: ink.stroke) == 8


def test_a_line_a_little_short_of_bold_between_two_bold_lines_is_bold() -> None:
    from bulletin_ocr.structure.faces import style_boxes

    # b012575 (grey JPEG, 黑体 at the body's size, a wrapped headline on three lines of a
    # column): strokes against the page's usual, as measured. The middle line measured 1.20
    # times the usual, short of bold, and split the headline in three.
    usual = BodyInk(stroke=4.0, height=61.0, em=67.2, pitch=69.2, area=900.0)
    lines = [
        ("区民政局以四强化", [1.17, 1.26, 1.27, 1.16, 1.41, 1.19, 1.17, 1.45]),
        ("推动基层治理全力助推稳", [1.20, 1.21, 1.14, 1.08, 1.20, 1.14, 1.35, 1.34, 1.25, 1.18,
                           1.19]),
        ("岗就业实现良好", [1.21, 1.18, 1.28, 1.24, 1.26, 1.28, 1.33]),
    ]

    def box(text: str, strokes: list[float], top: float) -> list[Glyph]:
        return [replace(glyph, top=top, bottom=top + 61.0,
                        ink=Ink(s * usual.stroke, usual.height, False, 900))
                for glyph, s in zip(_row(text, x0=1300.0, pitch=69.0), strokes, strict=True)]

    def judged(middle: list[float]) -> list[bool]:
        boxes = [box(text, strokes, 900.0 + 118.0 * row)
                 for row, (text, strokes) in enumerate([lines[0], (lines[1][0], middle),
                                                         lines[2]])]
        return [all(face.bold for face in faces) for faces in style_boxes(boxes, usual)]

    assert judged(lines[1][1]) == [True, True, True]
    # A line of the body's strokes between them stays plain; so does one a little heavier
    # than the usual but well short of the lines around it.
    assert judged([1.0] * 11) == [True, False, True]
    assert judged([1.10] * 11) == [True, False, True]


def test_a_date_opening_the_body_after_a_lone_plain_glyph_goes_with_it() -> None:
    from bulletin_ocr.structure.faces import style_boxes

    # b012936 (1-bit, 黑体 run-in): ``…工作会议7`` / ``月``, the body's date ``7月25日`` cut by
    # the line break. The digit carries no ink; the plain 月 ends the box.
    faces = style_boxes([_meeting_box("7月", [None, (1.02, 0.69)])], _MEETING_USUAL)[0]
    assert all(face.bold for face in faces[: len(_MEETING_HEAD)])
    assert not faces[-2].bold and not faces[-1].bold
