"""The .docx writer: reopen what it wrote and check what the house style promises.

Most tests read the package back with python-docx (as an author's tools would)
and assert on meaning: style names, fonts, sizes, indents, breaks, footers,
table structure.  The LibreOffice and pandoc tests are skipped only on a machine
without those tools and never in CI (``CI`` set), where they must run.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as etree

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from external import tool
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.doctree import (
    Column,
    Document,
    Heading,
    Paragraph,
    Signature,
    Span,
    Subtitle,
    Table,
    Title,
)
from generator.errors import OutputError
from generator.ooxml import house, render_docx, write_docx
from generator.ooxml.writer import column_widths, document_xml, signature_indents, title_lines
from generator.text import BREAK, display_width

TEXT_W = 11906 - 1587 - 1474
BODY = "对党的创新理论满足于读原文、记笔记，学用结合不够紧密，用理论指导实践的能力还有差距。"


# --------------------------------------------------------------------------- helpers


def words_title(*words: str) -> Title:
    """A title whose allowed breaks are the word boundaries."""
    breaks, offset = [], 0
    for word in words[:-1]:
        offset += len(word)
        breaks.append(offset)
    return Title("".join(words), tuple(breaks))


def ledger(rows: int = 3, caption: str = "问题整改台账") -> Table:
    columns = (Column("序号", 1), Column("存在问题", 4), Column("整改措施", 7), Column("责任人", 2),
               Column("完成时限", 3), Column("备注", 2))
    body = tuple(
        ((Span(str(i)),), (Span("理论学习不够深入"),), (Span("制定个人学习计划，每周自学不少于4小时"),),
         (Span("张三"),), (Span("长期坚持"),), ())
        for i in range(1, rows + 1)
    )
    return Table(columns, body, caption=caption)


def sample(**changes: Any) -> Document:
    """A small draft with every kind of block."""
    blocks = (
        Subtitle("第一党支部　张三"),
        Paragraph((Span("根据通知要求，现将有关情况报告如下。"),), "intro"),
        Heading(1, "一、存在的主要问题"),
        Heading(2, "（一）在理论学习方面"),
        Paragraph((Span("1.理论学习不够深入。", "lead"), Span(BODY),
                   Span("【待补充：具体事例】", "placeholder")), "problem"),
        Heading(3, "1.学用结合不够"),
        Heading(4, "（1）具体表现"),
        Paragraph((Span(BODY),), "problem"),
        ledger(),
        Paragraph((Span("以上对照检查，恳请批评指正。"),), "closing"),
        Signature("张三", "2026年1月20日"),
    )
    fields: dict[str, Any] = {
        "title": words_title("中共", "某某市", "某某局", "机关", "第一党支部", "2025年度", "组织生活会",
                             "党员", "个人", "对照检查", "材料"),
        "blocks": blocks,
        "meta": {"seed": "42", "date": "2026-01-20", "template": "组织生活会/个人对照检查"},
    }
    fields.update(changes)
    return Document(**fields)


def reopen(doc: Document) -> Any:
    return docx.Document(io.BytesIO(render_docx(doc)))


def part(doc: Document, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as archive:
        return archive.read(name)


def style_el(opened: Any, name: str) -> Any:
    return opened.styles[name].element


def attr(el: Any, path: str, name: str) -> str | None:
    """Attribute ``w:name`` of the first element at ``path`` (w:-prefixed tags, '/'-separated)."""
    for tag in path.split("/"):
        el = el.find(qn(tag)) if el is not None else None
    return None if el is None else el.get(qn(name))


def body_paragraph_elements(opened: Any) -> Iterator[Any]:
    yield from opened.element.body.iter(qn("w:p"))


# --------------------------------------------------------------------------- page


def test_page_is_a4_with_gb_margins_and_a_line_grid() -> None:
    section = reopen(sample()).sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert section.top_margin == Twips(2098)
    assert section.bottom_margin == Twips(1984)
    assert section.left_margin == Twips(1587)
    assert section.right_margin == Twips(1474)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None


def test_footer_sits_seven_mm_below_the_text_block() -> None:
    section = reopen(sample()).sections[0]
    line_box_top = section.footer_distance + Twips(house.PAGE_NUMBER_LINE)
    gap_mm = (section.bottom_margin - line_box_top) / Twips(1) / house.TWIPS_PER_MM
    assert gap_mm == pytest.approx(7, abs=0.05)


# --------------------------------------------------------------------------- styles

EXPECTED_FONTS = {
    "Normal": ("仿宋_GB2312", 16),
    "Title": ("方正小标宋简体", 22),
    "Subtitle": ("楷体_GB2312", 16),
    "Heading 1": ("黑体", 16),
    "Heading 2": ("楷体_GB2312", 16),
    "Heading 3": ("仿宋_GB2312", 16),
    "Heading 4": ("仿宋_GB2312", 16),
    "表格文字": ("仿宋_GB2312", 12),
    "表格文字居中": ("仿宋_GB2312", 12),
    "表头": ("黑体", 12),
    "表题": ("黑体", 16),
    "Footer": ("宋体", 14),
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED_FONTS.items())
def test_style_fonts_fill_all_four_slots_without_theme_fonts(name: str, expected: tuple[str, int]) -> None:
    east_asia, points = expected
    style = reopen(sample()).styles[name]
    fonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    latin = "宋体" if name == "Footer" else "Times New Roman"
    assert fonts.get(qn("w:eastAsia")) == east_asia
    assert (fonts.get(qn("w:ascii")), fonts.get(qn("w:hAnsi")), fonts.get(qn("w:cs"))) == (latin,) * 3
    assert fonts.get(qn("w:hint")) == "eastAsia"
    assert not [key for key in fonts.attrib if key.endswith("Theme")]
    assert style.font.size == Pt(points)


def test_no_style_anywhere_uses_theme_fonts_or_colour() -> None:
    styles = part(sample(), "word/styles.xml")
    assert b"Theme=" not in styles
    assert b"<w:color" not in styles


def test_normal_is_the_gb_body_text() -> None:
    opened = reopen(sample())
    normal = opened.styles["Normal"]
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing == Twips(579)
    assert fmt.first_line_indent == Twips(640)
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    el = normal.element
    assert attr(el, "w:pPr/w:ind", "w:firstLineChars") == "200"
    assert el.find(qn("w:pPr")).find(qn("w:widowControl")) is not None  # widow control on (issue 14)
    assert attr(el, "w:pPr/w:widowControl", "w:val") in (None, "1", "true", "on")
    assert attr(el, "w:rPr/w:spacing", "w:val") == "-5"
    assert attr(el, "w:rPr/w:lang", "w:eastAsia") == "zh-CN"
    assert opened.styles.default(WD_STYLE_TYPE.PARAGRAPH).name == "Normal"


OFF_BODY_INDENT = ["Title", "Subtitle", "表格文字", "表格文字居中", "表头", "表题", "Signature", "落款日期",
                   "Footer", "页码（单页）", "页码（双页）"]


@pytest.mark.parametrize("name", OFF_BODY_INDENT)
def test_styles_off_the_body_indent_reset_both_first_line_values(name: str) -> None:
    el = style_el(reopen(sample()), name)
    assert attr(el, "w:pPr/w:ind", "w:firstLine") == "0"
    assert attr(el, "w:pPr/w:ind", "w:firstLineChars") == "0"


def test_title_style() -> None:
    style = reopen(sample()).styles["Title"]
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert style.paragraph_format.line_spacing == Twips(700)
    assert attr(style.element, "w:pPr/w:snapToGrid", "w:val") == "0"


def test_headings_are_the_builtin_styles_with_outline_levels() -> None:
    opened = reopen(sample())
    used = {p.style.name for p in opened.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= used
    for level in range(1, 5):
        style = opened.styles[f"Heading {level}"]
        assert style.style_id == f"Heading{level}"
        assert style.element.find(qn("w:name")).get(qn("w:val")) == f"heading {level}"
        assert attr(style.element, "w:pPr/w:outlineLvl", "w:val") == str(level - 1)
        assert style.paragraph_format.keep_with_next is True
        assert style.paragraph_format.line_spacing == Twips(579)
        assert attr(style.element, "w:pPr/w:ind", "w:firstLineChars") == "200"
    assert opened.styles["Heading 1"].font.bold is False
    assert opened.styles["Heading 3"].font.bold is True
    texts = {p.style.name: p.text for p in opened.paragraphs}
    assert texts["Heading 1"] == "一、存在的主要问题"
    assert texts["Heading 4"] == "（1）具体表现"


def test_heading_levels_outside_one_to_four_are_clamped() -> None:
    opened = reopen(sample(blocks=(Heading(0, "零"), Heading(7, "七"))))
    assert [p.style.name for p in opened.paragraphs[1:] if p.text] == ["Heading 1", "Heading 4"]


def test_one_blank_line_under_a_title_without_author_line() -> None:
    alone = reopen(Document(Title("标题"), (Paragraph((Span(BODY),)),)))
    assert [p.text for p in alone.paragraphs[:3]] == ["标题", "", BODY]
    with_author = reopen(Document(Title("标题"), (Subtitle("张三"), Paragraph((Span(BODY),)))))
    assert [p.text for p in with_author.paragraphs[:3]] == ["标题", "张三", BODY]


def test_body_carries_only_style_ids() -> None:
    """No direct formatting: paragraphs name a style (signature may add its indent), runs a char style."""
    opened = reopen(sample())
    paragraphs = list(body_paragraph_elements(opened))
    kept = []
    for k, p in enumerate(paragraphs):
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            allowed = {qn("w:pStyle"), qn("w:ind"), qn("w:keepNext")}
            assert {child.tag for child in ppr} <= allowed
            if ppr.find(qn("w:ind")) is not None:
                assert attr(p, "w:pPr/w:pStyle", "w:val") in {"Signature", "SignatureDate"}
            if ppr.find(qn("w:keepNext")) is not None:
                kept.append(k)
    # Only the closing paragraph keeps with the signature (issue 14: the signature never alone on a page).
    signature = next(k for k, p in enumerate(paragraphs) if attr(p, "w:pPr/w:pStyle", "w:val") == "Signature")
    assert kept == [signature - 1]
    for p in paragraphs:
        for run in p.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is not None:
                assert [child.tag for child in rpr] == [qn("w:rStyle")]


def test_lead_and_placeholder_spans_carry_their_character_styles() -> None:
    opened = reopen(sample())
    problem = next(p for p in opened.paragraphs if p.text.startswith("1.理论学习"))
    styles = [(run.text, run.style.name) for run in problem.runs]
    assert styles[0] == ("1.理论学习不够深入。", "段首小标题")
    assert styles[1][1] == "Default Paragraph Font"
    assert styles[2] == ("【待补充：具体事例】", "待补充")
    assert opened.styles["段首小标题"].font.bold is True
    placeholder = opened.styles["待补充"].element
    assert attr(placeholder, "w:rPr/w:shd", "w:fill") == "FFFF00"


def test_subtitle_is_centred_kaiti() -> None:
    opened = reopen(sample())
    subtitle = opened.paragraphs[1]
    assert subtitle.style.name == "Subtitle"
    assert subtitle.text == "第一党支部　张三"
    assert opened.styles["Subtitle"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_settings_and_theme_point_at_chinese_fonts() -> None:
    doc = sample()
    settings_xml = part(doc, "word/settings.xml")
    assert b'w:eastAsia="zh-CN"' in settings_xml
    assert b"<w:evenAndOddHeaders/>" in settings_xml
    theme = etree.fromstring(part(doc, "word/theme/theme1.xml"))
    ns = {"a": house.NS_A}
    for which in ("majorFont", "minorFont"):
        latin = theme.find(f".//a:{which}/a:latin", ns)
        east_asia = theme.find(f".//a:{which}/a:ea", ns)
        assert latin is not None and latin.get("typeface") == "Times New Roman"
        assert east_asia is not None and east_asia.get("typeface") == "宋体"


def test_package_is_small_and_has_no_template_leftovers() -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(sample()))) as archive:
        names = set(archive.namelist())
        assert "word/stylesWithEffects.xml" not in names
        assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
                "word/theme/theme1.xml", "word/footer1.xml", "word/footer2.xml", "docProps/core.xml",
                "docProps/app.xml", "docProps/custom.xml", "[Content_Types].xml"} <= names
        assert archive.getinfo("word/styles.xml").file_size < 20_000
        assert archive.testzip() is None
    assert len(list(reopen(sample()).styles)) < 30


# --------------------------------------------------------------------------- title


def title_parts(doc: Document) -> list[str]:
    """The title paragraph's lines, split at its w:br elements."""
    opened = reopen(doc)
    title = opened.paragraphs[0]
    assert title.style.name == "Title"
    assert len(title._p.findall(qn("w:r"))) == 1
    lines: list[str] = title.text.split("\n")
    return lines


def test_long_title_breaks_into_a_trapezoid_at_word_boundaries() -> None:
    doc = sample()
    lines = title_parts(doc)
    assert lines == ["中共某某市某某局机关第一党支部2025年度", "组织生活会党员个人对照检查材料"]
    assert display_width(lines[0]) >= display_width(lines[1])
    assert all(display_width(line) <= 20 for line in lines)
    # Every break is one of the allowed offsets.
    assert len(lines[0]) in doc.title.breaks


def test_short_title_stays_on_one_line() -> None:
    assert title_parts(sample(title=Title("个人对照检查材料", (2, 4)))) == ["个人对照检查材料"]


def test_long_title_without_breaks_is_left_to_word() -> None:
    text = "中共某某市某某局机关第一党支部2025年度组织生活会党员个人对照检查材料"
    assert title_parts(sample(title=Title(text))) == [text]


def test_title_breaks_never_fall_elsewhere_even_when_nothing_fits() -> None:
    # The only break leaves a 24-character first line: over the 20-character line, but the best there is.
    text = "一二三四五六七八九十一二三四五六七八九十一二三四材料"
    assert title_lines(text, (24,)) == (text[:24], "材料")


def test_title_balances_when_many_breaks_are_allowed() -> None:
    text = "一二三四五六七八九十" * 3  # 30 characters, breaks everywhere
    lines = title_lines(text, tuple(range(1, 30)))
    assert [len(line) for line in lines] == [15, 15]


def test_title_prefers_longer_upper_line() -> None:
    text = "一二三四五六七八九十" * 3
    lines = title_lines(text, (14, 16))
    assert [len(line) for line in lines] == [16, 14]


def test_very_long_title_uses_three_lines() -> None:
    words = ["中共", "某某市", "某某局", "机关", "关于", "进一步", "加强", "和改进", "新时代", "机关党的建设",
             "工作", "推动", "全面从严治党", "向纵深发展", "的", "实施意见"]  # 48 characters
    title = words_title(*words)
    lines = title_lines(title.text, title.breaks)
    assert len(lines) == 3
    assert all(display_width(line) <= house.TITLE_LINE_EM for line in lines)
    assert "".join(lines) == title.text


def test_break_marker_left_in_title_text_counts_as_a_break() -> None:
    text = f"中共某某市某某局机关第一党支部2025年度{BREAK}组织生活会党员个人对照检查材料"
    lines = title_parts(sample(title=Title(text)))
    assert lines == ["中共某某市某某局机关第一党支部2025年度", "组织生活会党员个人对照检查材料"]


# --------------------------------------------------------------------------- signature


def signature_paragraphs(doc: Document) -> tuple[Any, Any]:
    paragraphs = reopen(doc).paragraphs
    return paragraphs[-2], paragraphs[-1]


def right_indent(paragraph: Any) -> tuple[int, int]:
    """Effective right indent (twips, chars×100): direct if present, else the style's."""
    for el in (paragraph._p, paragraph.style.element):
        ind = el.find(qn("w:pPr")).find(qn("w:ind"))
        if ind is not None and ind.get(qn("w:right")) is not None:
            return int(ind.get(qn("w:right"))), int(ind.get(qn("w:rightChars")))
    raise AssertionError("no right indent")


def test_signature_short_name_moves_left_so_the_date_keeps_two_characters() -> None:
    name, date = signature_paragraphs(sample())
    assert (name.style.name, name.text) == ("Signature", "张三")
    assert (date.style.name, date.text) == ("落款日期", "2026年1月20日")
    assert right_indent(date) == (640, 200)
    name_right, name_chars = right_indent(name)
    # Date 6.5 characters (ASCII digits count half) + 2 → the name starts 2 characters left of the date.
    date_left = 640 + display_width("2026年1月20日") * 320 - 5 * 10
    name_left = name_right + 2 * 320 - 5 * 2
    assert name_left - date_left == 640
    assert name_chars == round(name_right * 100 / 320)


def test_signature_long_name_keeps_two_characters_and_the_date_indents_more() -> None:
    unit = "中共某某市某某局机关第一党支部委员会"
    name, date = signature_paragraphs(sample(blocks=(Signature(unit, "2026年1月20日"),)))
    assert name._p.find(qn("w:pPr")).find(qn("w:ind")) is None  # the style's 2 characters
    assert right_indent(name) == (640, 200)
    date_right, _ = right_indent(date)
    name_left = 640 + len(unit) * 315
    date_left = date_right + display_width("2026年1月20日") * 320 - 5 * 10
    assert date_left == pytest.approx(name_left - 640, abs=1)


def test_signature_indents_function() -> None:
    assert signature_indents("张三", "2026年1月20日") == (2720 - 40, 640)
    right_name, right_date = signature_indents("中共某某市某某局机关第一党支部", "2026年1月20日")
    assert right_name == 640
    assert right_date > 640


def test_signature_follows_a_blank_line() -> None:
    style = reopen(sample()).styles["Signature"]
    assert style.paragraph_format.space_before == Twips(579)
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


# --------------------------------------------------------------------------- footers


def test_page_numbers_in_odd_and_even_footers() -> None:
    opened = reopen(sample())
    assert opened.settings.odd_and_even_pages_header_footer is True
    section = opened.sections[0]
    for footer, style, align in ((section.footer, "页码（单页）", WD_ALIGN_PARAGRAPH.RIGHT),
                                 (section.even_page_footer, "页码（双页）", WD_ALIGN_PARAGRAPH.LEFT)):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert paragraph.style.name == style
        assert paragraph.style.base_style.name == "Footer"
        assert paragraph.style.paragraph_format.alignment == align
        assert re.fullmatch(r"— \d —", paragraph.text)
        instructions = [el.text for el in paragraph._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
    odd = opened.styles["页码（单页）"].element
    even = opened.styles["页码（双页）"].element
    assert (attr(odd, "w:pPr/w:ind", "w:right"), attr(odd, "w:pPr/w:ind", "w:rightChars")) == ("280", "100")
    assert (attr(even, "w:pPr/w:ind", "w:left"), attr(even, "w:pPr/w:ind", "w:leftChars")) == ("280", "100")


# --------------------------------------------------------------------------- tables


def test_table_structure() -> None:
    opened = reopen(sample())
    (table,) = opened.tables
    assert table.style.name == "台账表格"
    tbl = table._tbl
    assert attr(tbl, "w:tblPr/w:tblLayout", "w:type") == "fixed"
    assert attr(tbl, "w:tblPr/w:tblW", "w:w") == str(TEXT_W)
    grid = [int(col.get(qn("w:w"))) for col in tbl.find(qn("w:tblGrid"))]
    assert sum(grid) == TEXT_W
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(row.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for row in rows[1:])
    assert all(row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for row in rows)
    for row in rows:
        assert [int(attr(tc, "w:tcPr/w:tcW", "w:w") or 0) for tc in row.findall(qn("w:tc"))] == grid
    headers = ["序号", "存在问题", "整改措施", "责任人", "完成时限", "备注"]
    assert [c.text for c in table.rows[0].cells] == headers
    assert {c.paragraphs[0].style.name for c in table.rows[0].cells} == {"表头"}
    body_styles = [c.paragraphs[0].style.name for c in table.rows[1].cells]
    assert body_styles[0] == "表格文字居中"  # 序号 is short
    assert body_styles[2] == "表格文字"  # measures are long
    caption = opened.paragraphs[[p.text for p in opened.paragraphs].index("问题整改台账")]
    assert caption.style.name == "表题"


def test_table_style_has_borders_and_single_spaced_cells() -> None:
    opened = reopen(sample())
    borders = opened.styles["台账表格"].element.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"single"}
    assert len(borders) == 6
    cell = opened.styles["表格文字"]
    assert cell.paragraph_format.line_spacing == 1.0
    assert attr(cell.element, "w:pPr/w:snapToGrid", "w:val") == "0"


def test_column_widths_follow_weights_and_fill_the_text_block() -> None:
    assert sum(column_widths([1, 4, 7, 2, 3, 2])) == TEXT_W
    assert column_widths([1, 1]) == [4423, 4422]
    assert column_widths([]) == []
    widths = column_widths([1, 10], floors=[1000, 0])
    assert widths[0] == 1000 and sum(widths) == TEXT_W
    # Floors that cannot all fit are ignored rather than overflowing the page.
    assert column_widths([1, 1], floors=[9000, 9000]) == [4423, 4422]


def test_narrow_header_column_still_fits_its_header() -> None:
    columns = (Column("序号", 1), Column("内容", 30))
    opened = reopen(sample(blocks=(Table(columns, ()),)))
    first = int(opened.tables[0]._tbl.find(qn("w:tblGrid"))[0].get(qn("w:w")))
    assert first >= 2 * house.EM_TABLE + 2 * 85  # two header characters plus cell padding


def test_short_rows_are_padded_and_long_rows_refused() -> None:
    columns = (Column("甲"), Column("乙"))
    opened = reopen(sample(blocks=(Table(columns, (((Span("1"),),),)),)))
    assert [c.text for c in opened.tables[0].rows[1].cells] == ["1", ""]
    with pytest.raises(ValueError, match="3 cells"):
        render_docx(sample(blocks=(Table(columns, (((Span("1"),), (Span("2"),), (Span("3"),)),)),)))


def test_adjacent_tables_stay_apart_and_the_body_ends_with_a_paragraph() -> None:
    table = Table((Column("甲"),), (((Span("1"),),),))
    xml = document_xml(sample(blocks=(table, table)))
    assert "</w:tbl><w:p/><w:tbl>" in xml
    assert xml.endswith("</w:tbl><w:p/>" + xml[xml.index("<w:sectPr>"):])
    assert len(reopen(sample(blocks=(table, table))).tables) == 2


# --------------------------------------------------------------------------- properties, determinism


def test_core_and_custom_properties() -> None:
    opened = reopen(sample())
    core = opened.core_properties
    assert core.title == "中共某某市某某局机关第一党支部2025年度组织生活会党员个人对照检查材料"
    assert core.author == "张三"
    assert core.created.date().isoformat() == "2026-01-20"
    custom = etree.fromstring(part(sample(), "docProps/custom.xml"))
    props = {p.get("name"): p[0].text for p in custom}
    assert props == {"draftgen.date": "2026-01-20", "draftgen.seed": "42",
                     "draftgen.template": "组织生活会/个人对照检查"}
    assert [p.get("pid") for p in custom] == ["2", "3", "4"]


def test_date_falls_back_to_the_signature_then_a_fixed_day() -> None:
    from_signature = reopen(sample(meta={})).core_properties.created
    assert from_signature.date().isoformat() == "2026-01-20"
    fixed = reopen(sample(meta={}, blocks=())).core_properties.created
    assert fixed.date().isoformat() == "2000-01-01"


def test_same_document_gives_identical_bytes() -> None:
    first, second = sample(), sample()
    assert first is not second
    assert part(first, "word/document.xml") == part(second, "word/document.xml")
    assert render_docx(first) == render_docx(second)


def test_meta_order_does_not_matter() -> None:
    a = sample(meta={"a": "1", "b": "2"})
    b = sample(meta={"b": "2", "a": "1"})
    assert render_docx(a) == render_docx(b)


NASTY = "<>&\"' ]]> &amp; \u00a0\u3000  两个空格  \u0301\u05d0\u0627\u2028\u200d\ufeff\U00020000 x\ty\nz"


def all_parts_parse(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            etree.fromstring(archive.read(name))


def test_nasty_text_stays_well_formed_and_readable() -> None:
    bad = "\x00\x0b\x1f\ud800\ufffe\uffff" + BREAK
    doc = Document(Title(NASTY + bad), (
        Subtitle(NASTY), Heading(1, NASTY),
        Paragraph((Span(NASTY + bad, "lead"), Span(NASTY, "placeholder"))),
        Table((Column(NASTY),), (((Span(NASTY),),),), caption=NASTY), Signature(NASTY, NASTY + bad),
    ), meta={NASTY: NASTY + bad})
    data = render_docx(doc)
    all_parts_parse(data)
    opened = docx.Document(io.BytesIO(data))
    heading = next(p for p in opened.paragraphs if p.style is not None and p.style.name == "Heading 1")
    assert heading.text == NASTY
    assert heading._p.find(qn("w:r")).find(qn("w:tab")) is not None
    body = next(p for p in opened.paragraphs if p.style is not None and p.style.name == "Normal")
    assert body.text == NASTY + NASTY
    assert opened.core_properties.title.startswith("<>&\"'")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.text(max_size=20))
def test_any_text_gives_well_formed_xml(text: str, other: str) -> None:
    doc = Document(Title(text, (len(text) // 2,)), (
        Paragraph((Span(text), Span(other, "placeholder"))), Signature(other, text),
    ), meta={other or "k": text})
    data = render_docx(doc)
    all_parts_parse(data)
    opened = docx.Document(io.BytesIO(data))
    expected = re.sub("[^\t\n\r\x20-\ud7ff\ue001-\ufffd\U00010000-\U0010ffff]", "", text + other)
    assert opened.paragraphs[2].text == re.sub("\r\n?", "\n", expected)  # title, blank line, paragraph


# --------------------------------------------------------------------------- files


def test_write_docx_is_atomic_and_respects_force(tmp_path: Path) -> None:
    target = tmp_path / "out" / "draft.docx"
    write_docx(sample(), target)
    assert target.read_bytes() == render_docx(sample())
    with pytest.raises(OutputError):
        write_docx(sample(title=Title("另一个")), target)
    assert target.read_bytes() == render_docx(sample())
    write_docx(sample(title=Title("另一个")), target, force=True)
    assert docx.Document(str(target)).paragraphs[0].text == "另一个"
    assert [p.name for p in target.parent.iterdir()] == ["draft.docx"]


# --------------------------------------------------------------------------- LibreOffice and pandoc



FONTS_CONF = Path(__file__).resolve().parent.parent / "tools" / "fonts.conf"
ROW = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"  # 26 characters + 2 indent = one full line


def pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Convert all test drafts in one soffice call (each call costs ~2 s)."""
    soffice = tool("soffice")
    folder = tmp_path_factory.mktemp("pdf")
    drafts = {
        "sample": sample(blocks=(*sample().blocks[:-1], ledger(rows=14), Signature("张三", "2026年1月20日"))),
        "grid41": Document(Title("网格"), tuple(Paragraph((Span(ROW),)) for _ in range(41))),
        "grid42": Document(Title("网格"), tuple(Paragraph((Span(ROW),)) for _ in range(42))),
        "wrap": Document(Title("网格"), (Paragraph((Span(ROW + "午"),)),)),
    }
    for name, doc in drafts.items():
        write_docx(doc, folder / f"{name}.docx")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    profile = folder / "profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *(str(folder / f"{n}.docx") for n in drafts)],
                   check=True, capture_output=True, timeout=300, env=env)
    return {name: folder / f"{name}.pdf" for name in drafts}


def test_libreoffice_converts_the_draft(pdfs: dict[str, Path]) -> None:
    assert pdfs["sample"].read_bytes().startswith(b"%PDF")
    assert 2 <= pdf_pages(pdfs["sample"]) <= 4


def test_libreoffice_fits_22_lines_per_page(pdfs: dict[str, Path]) -> None:
    # Title (two grid lines) + the blank line under it + 19 lines on page 1, 22 lines on page 2;
    # one more line opens page 3.
    assert pdf_pages(pdfs["grid41"]) == 2
    assert pdf_pages(pdfs["grid42"]) == 3


def test_libreoffice_fits_28_characters_per_line(pdfs: dict[str, Path]) -> None:
    command = [tool("pdftotext"), "-layout", str(pdfs["wrap"]), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert ROW in lines and "午" in lines


def test_pandoc_reads_the_headings_as_headings(tmp_path: Path) -> None:
    pandoc = tool("pandoc")
    target = tmp_path / "draft.docx"
    write_docx(sample(), target)
    markdown = subprocess.run([pandoc, "-f", "docx", "-t", "markdown", str(target)], check=True,
                              capture_output=True, text=True, timeout=60).stdout
    lines = markdown.splitlines()
    assert "# 一、存在的主要问题" in lines
    assert "## （一）在理论学习方面" in lines
    assert "### 1.学用结合不够" in lines
    assert "#### （1）具体表现" in lines
    assert any(line.startswith("**1.理论学习不够深入。**") for line in lines)


# --------------------------------------------------------------------------- zip layout


def test_package_bytes_are_exactly_what_zipfile_writes() -> None:
    """The writer lays out the zip itself (for speed); the bytes must equal zipfile's for the same entries.

    How fast it is lives in ``benchmarks/run.py``: unit tests assert no timings.
    """
    from generator.ooxml.package import static_parts, zip_entry
    from generator.ooxml.writer import core_xml, custom_xml

    for doc in (sample(), sample(blocks=sample().blocks * 3)):
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w") as archive:
            for name, xml in static_parts():
                archive.writestr(zip_entry(name), xml.encode("utf-8"))
        with zipfile.ZipFile(base, "a") as archive:
            for name, xml in (("word/document.xml", document_xml(doc)), ("docProps/core.xml", core_xml(doc)),
                              ("docProps/custom.xml", custom_xml(doc))):
                archive.writestr(zip_entry(name), xml.encode("utf-8"))
        assert render_docx(doc) == base.getvalue()
        with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as archive:
            assert archive.testzip() is None
