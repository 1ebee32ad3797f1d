"""``word/styles.xml`` for the writer: every visual property of a draft, in named styles.

Why named styles only: an author restyles all headings at once in Word or WPS,
headings show in the navigation pane, and the reader can tell a heading from a
paragraph by its style alone.  The part holds just the styles we use plus the
four defaults Word expects (Normal, Default Paragraph Font, Normal Table, No
List), so it stays a few kilobytes and is built once per process.

Each paragraph style spells out all four ``w:rFonts`` slots and its full
``w:spacing``/``w:ind`` even where it would inherit them: Word, WPS and
LibreOffice then agree, and a reader sees the value without walking ``basedOn``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.ooxml import house as h


def fonts(east_asia: str, latin: str = h.LATIN) -> str:
    """All four font slots; no ``*Theme`` attributes (they would win over the names)."""
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
            f'w:cs="{latin}" w:hint="eastAsia"/>')


def spacing(line: int, *, exact: bool = True, before: int = 0, after: int = 0) -> str:
    """Paragraph spacing; ``exact`` lines keep the 22-line grid, auto (240 = single) for tables."""
    rule = "exact" if exact else "auto"
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>'


def indent(*, first_chars: float = 0, em: int = h.EM_BODY, left_chars: float = 0,
           right_chars: float = 0) -> str:
    """Indents in characters, written both as ``*Chars`` (Word) and twips (LibreOffice)."""
    def pair(name: str, chars: float) -> str:
        return f' w:{name}Chars="{round(chars * 100)}" w:{name}="{round(chars * em)}"'

    return f"<w:ind{pair('left', left_chars)}{pair('right', right_chars)}{pair('firstLine', first_chars)}/>"


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def bold(on: bool) -> str:
    return "<w:b/><w:bCs/>" if on else '<w:b w:val="0"/><w:bCs w:val="0"/>'


@dataclass(frozen=True)
class Style:
    """One ``w:style``; ``ppr``/``rpr``/``tblpr`` are inner XML in schema order."""

    kind: str
    sid: str
    name: str
    based_on: str = ""
    next: str = ""
    default: bool = False
    custom: bool = False
    ui_priority: int | None = None
    hidden: bool = False  # semiHidden + unhideWhenUsed, as Word marks its plumbing styles
    qformat: bool = False
    ppr: str = ""
    rpr: str = ""
    tblpr: str = ""
    tcpr: str = ""

    def xml(self) -> str:
        attrs = f' w:type="{self.kind}"'
        if self.default:
            attrs += ' w:default="1"'
        if self.custom:
            attrs += ' w:customStyle="1"'
        parts = [f'<w:style{attrs} w:styleId="{self.sid}"><w:name w:val="{self.name}"/>']
        if self.based_on:
            parts.append(f'<w:basedOn w:val="{self.based_on}"/>')
        if self.next:
            parts.append(f'<w:next w:val="{self.next}"/>')
        if self.ui_priority is not None:
            parts.append(f'<w:uiPriority w:val="{self.ui_priority}"/>')
        if self.hidden:
            parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
        if self.qformat:
            parts.append("<w:qFormat/>")
        for tag, inner in (("pPr", self.ppr), ("rPr", self.rpr), ("tblPr", self.tblpr), ("tcPr", self.tcpr)):
            if inner:
                parts.append(f"<w:{tag}>{inner}</w:{tag}>")
        parts.append("</w:style>")
        return "".join(parts)


_NO_INDENT = indent()
_BODY_INDENT = indent(first_chars=2)
_BODY_SPACING = spacing(h.LINE_PITCH)
_NO_SNAP = '<w:snapToGrid w:val="0"/>'  # off the 28.95 pt grid: titles, tables, footers
# No automatic space between Chinese and Latin/digits where widths are computed (title, signature).
_NO_AUTOSPACE = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
_LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'


def _defaults() -> list[Style]:
    """The styles Word expects in every document."""
    return [
        Style("paragraph", h.NORMAL, "Normal", default=True, qformat=True,
              ppr=("<w:widowControl/>" + _BODY_SPACING + _BODY_INDENT + '<w:jc w:val="both"/>'),
              rpr=(fonts(h.FANGSONG) + f'<w:spacing w:val="{h.LETTER_SPACING}"/><w:kern w:val="2"/>'
                   + size(h.SIZE_BODY) + _LANG)),
        Style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True,
              ui_priority=1, hidden=True),
        Style("table", "TableNormal", "Normal Table", default=True, ui_priority=99, hidden=True,
              tblpr=('<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
                     '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
                     '<w:right w:w="108" w:type="dxa"/></w:tblCellMar>')),
        Style("numbering", "NoList", "No List", default=True, ui_priority=99, hidden=True),
    ]


def _title_styles() -> list[Style]:
    return [
        Style("paragraph", h.TITLE, "Title", based_on=h.NORMAL, next=h.NORMAL, ui_priority=10, qformat=True,
              ppr=("<w:keepNext/><w:keepLines/>" + _NO_AUTOSPACE + _NO_SNAP + spacing(h.TITLE_LINE)
                   + _NO_INDENT + '<w:jc w:val="center"/>'),
              rpr=fonts(h.XIAOBIAOSONG) + bold(False) + '<w:spacing w:val="0"/>' + size(h.SIZE_TITLE)),
        # One blank line (579 tw) below the author line separates it from the body.
        Style("paragraph", h.SUBTITLE, "Subtitle", based_on=h.NORMAL, next=h.NORMAL, ui_priority=11,
              qformat=True,
              ppr=("<w:keepNext/>" + spacing(h.LINE_PITCH, after=h.LINE_PITCH) + _NO_INDENT
                   + '<w:jc w:val="center"/>'),
              rpr=fonts(h.KAITI) + bold(False) + size(h.SIZE_BODY)),
    ]


def _heading_styles() -> list[Style]:
    """Built-in Heading 1–4 (GB/T 9704 fonts), same grid spacing and indent as the body."""
    looks = ((h.HEITI, False), (h.KAITI, False), (h.FANGSONG, True), (h.FANGSONG, False))
    return [
        Style("paragraph", sid, f"heading {level + 1}", based_on=h.NORMAL, next=h.NORMAL, ui_priority=9,
              qformat=True,
              ppr=("<w:keepNext/><w:keepLines/>" + _BODY_SPACING + _BODY_INDENT + '<w:jc w:val="both"/>'
                   + f'<w:outlineLvl w:val="{level}"/>'),
              rpr=fonts(east_asia) + bold(is_bold) + size(h.SIZE_BODY))
        for level, (sid, (east_asia, is_bold)) in enumerate(zip(h.HEADINGS, looks, strict=True))
    ]


def _character_styles() -> list[Style]:
    # Shading, not w:highlight: Word's style dialog can only store shading, and
    # LibreOffice renders both; a fill colour also survives copy-paste into WPS.
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{h.PLACEHOLDER_FILL}"/>'
    return [
        Style("character", h.LEAD, "段首小标题", based_on="DefaultParagraphFont", custom=True,
              ui_priority=20, qformat=True, rpr=bold(True)),
        Style("character", h.PLACEHOLDER, "待补充", based_on="DefaultParagraphFont", custom=True,
              ui_priority=21, qformat=True, rpr=shade),
    ]


def _signature_styles() -> list[Style]:
    """Name right-aligned, 2 characters from the edge, one blank line (579 tw) above."""
    sig_indent = indent(right_chars=h.SIGNATURE_RIGHT_CHARS)
    return [
        Style("paragraph", h.SIGNATURE, "Signature", based_on=h.NORMAL, next=h.SIGNATURE_DATE,
              ppr=("<w:keepNext/><w:keepLines/>" + _NO_AUTOSPACE + spacing(h.LINE_PITCH, before=h.LINE_PITCH)
                   + sig_indent
                   + '<w:jc w:val="right"/>')),
        Style("paragraph", h.SIGNATURE_DATE, "落款日期", based_on=h.SIGNATURE, next=h.NORMAL, custom=True,
              ppr=('<w:keepNext w:val="0"/>' + _NO_AUTOSPACE + _BODY_SPACING + sig_indent
                   + '<w:jc w:val="right"/>')),
    ]


def _footer_styles() -> list[Style]:
    """Page numbers: 4号 半角宋体, one 14 pt character from the outer edge."""
    em = h.EM_PAGE_NUMBER
    footer_spacing = spacing(h.PAGE_NUMBER_LINE)
    return [
        Style("paragraph", h.FOOTER, "footer", based_on=h.NORMAL, ui_priority=99, hidden=True,
              ppr=_NO_SNAP + footer_spacing + indent(em=em) + '<w:jc w:val="center"/>',
              rpr=fonts(h.SONGTI, latin=h.SONGTI) + '<w:spacing w:val="0"/>' + size(h.SIZE_PAGE_NUMBER)),
        Style("paragraph", h.PAGE_NUMBER_ODD, "页码（单页）", based_on=h.FOOTER, custom=True,
              ppr=_NO_SNAP + footer_spacing + indent(right_chars=1, em=em) + '<w:jc w:val="right"/>'),
        Style("paragraph", h.PAGE_NUMBER_EVEN, "页码（双页）", based_on=h.FOOTER, custom=True,
              ppr=_NO_SNAP + footer_spacing + indent(left_chars=1, em=em) + '<w:jc w:val="left"/>'),
    ]


def _table_styles() -> list[Style]:
    """台账 tables: 仿宋 14 pt single-spaced cells, 黑体 header, thin black grid."""
    edges = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    cell_margins = ('<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
                    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>')
    em = h.EM_TABLE
    cell_ppr = _NO_SNAP + spacing(240, exact=False) + indent(em=em)
    cell_rpr = '<w:spacing w:val="0"/>' + size(h.SIZE_TABLE)
    return [
        Style("table", h.TABLE_STYLE, "台账表格", based_on="TableNormal", custom=True, ui_priority=59,
              tblpr=f"<w:tblBorders>{edges}</w:tblBorders>{cell_margins}",
              tcpr='<w:vAlign w:val="center"/>'),
        Style("paragraph", h.TABLE_TEXT, "表格文字", based_on=h.NORMAL, custom=True,
              ppr=cell_ppr + '<w:jc w:val="left"/>', rpr=fonts(h.FANGSONG) + bold(False) + cell_rpr),
        Style("paragraph", h.TABLE_TEXT_CENTER, "表格文字居中", based_on=h.TABLE_TEXT, custom=True,
              ppr=cell_ppr + '<w:jc w:val="center"/>', rpr=fonts(h.FANGSONG) + bold(False) + cell_rpr),
        Style("paragraph", h.TABLE_HEADER, "表头", based_on=h.TABLE_TEXT, custom=True,
              ppr="<w:keepNext/>" + cell_ppr + '<w:jc w:val="center"/>',
              rpr=fonts(h.HEITI) + bold(False) + cell_rpr),
        Style("paragraph", h.TABLE_CAPTION, "表题", based_on=h.NORMAL, next=h.NORMAL, custom=True,
              ppr="<w:keepNext/>" + _BODY_SPACING + _NO_INDENT + '<w:jc w:val="center"/>',
              rpr=fonts(h.HEITI) + bold(False) + size(h.SIZE_BODY)),
    ]


def all_styles() -> list[Style]:
    """Every style the writer defines, in the order they appear in styles.xml."""
    return [*_defaults(), *_title_styles(), *_heading_styles(), *_character_styles(),
            *_signature_styles(), *_footer_styles(), *_table_styles()]


@cache
def styles_xml() -> str:
    """The complete styles part (built once per process)."""
    doc_defaults = (f"<w:docDefaults><w:rPrDefault><w:rPr>{fonts(h.FANGSONG)}{size(h.SIZE_BODY)}{_LANG}"
                    "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>")
    body = "".join(style.xml() for style in all_styles())
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:styles xmlns:w="{h.NS_W}">{doc_defaults}{body}</w:styles>')
