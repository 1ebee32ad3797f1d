"""The body layer of the .docx reader: any .docx → the document tree, plus the page and style facts ``check`` needs.

Drafts come back edited in Word, WPS or LibreOffice, and people also feed in
materials draftgen never wrote.  The reader is layered, and trusts nothing:

* package (:mod:`generator.ooxml.safezip`): the zip vetted before anything is
  inflated, one set of limits, XML parsed without entities or DTDs;
* styles (:mod:`generator.ooxml.readstyles`): inheritance resolved, styles
  recognised by id, name and outline level;
* body (here): paragraphs and tables in order; tracked insertions kept and
  deletions dropped; comments, field codes and drawings skipped;
* outline (:mod:`generator.outline`): headings typed as body text recognised
  by their Chinese numbering, a title styled as a heading recognised as the title.

Every way a file can fail becomes an :class:`InputError` naming the file.

python-docx was measured as the base of this layer (600 generated drafts, this
machine): opening and walking each with python-docx took 28.1 ms a draft against
6.6 ms here, and it refuses packages Word repairs (no ``[Content_Types].xml``);
so the body is walked with lxml directly, behind the same bounds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from generator.doctree import Block, Column, Document, Heading, Paragraph, Signature, Span, Subtitle, Table, Title
from generator.errors import InputError
from generator.ooxml import house as h
from generator.ooxml.readstyles import (
    MAX_STYLE_DEPTH,
    StyleInfo,
    StyleProps,
    Styles,
    apply_props,
    house_styles,
    on,
    to_int,
)
from generator.ooxml.safezip import Package, bad, parse_xml
from generator.outline import DATE_LINE_RE, SENTENCE_MARK_RE, looks_like_title, typed_heading_level

__all__ = ["Footer", "ReadDocx", "Section", "Source", "StyleInfo", "StyleProps", "house_styles", "parse_xml",
           "read_docx"]

MAX_PARAGRAPHS = 200_000  # paragraphs and table cells; a 2,500-row table of 8 columns has 20,000

W = f"{{{h.NS_W}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Containers whose content is part of the visible text.
_TRANSPARENT = {W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "sdt", "sdtContent", "customXml",
                                "fldSimple", "dir", "bdo")}
# Never visible: deletions, field codes, comments' anchors, drawings and text boxes.
_DROPPED = {W + t for t in ("del", "moveFrom", "instrText", "delText", "delInstrText", "drawing", "pict",
                            "object", "commentReference", "footnoteReference", "endnoteReference")}
_DROPPED.add(_MC + "AlternateContent")

_PLACEHOLDER_RE = re.compile(r"【待补充[^【】]*】")
_STYLE_ONLY = {W + "pStyle", W + "rPr"}


# --------------------------------------------------------------------------- facts for check


@dataclass(frozen=True)
class Footer:
    kind: str  # default | even | first
    has_page: bool
    text: str


@dataclass(frozen=True)
class Section:
    page_w: int | None
    page_h: int | None
    margins: dict[str, int]
    grid_type: str | None
    line_pitch: int | None
    footers: tuple[Footer, ...]
    new_page: bool = True  # the section starts on a new page (w:type nextPage, oddPage, evenPage or absent)


@dataclass
class Source:
    """Where a piece of the tree came from, for messages: "第 12 段" or "第 1 个表格第 2 行第 3 列"."""

    number: int  # 1-based among non-empty body paragraphs; 0 for table cells
    text: str
    block: int | None  # index into Document.blocks (None: title)
    style: str  # the style's display name
    canonical: str
    table: tuple[int, int, int] | None = None  # (table, row, column), 1-based
    typed_heading: bool = False  # a heading recognised by its numbering, not by a heading style
    direct_runs: tuple[tuple[str, str], ...] = ()  # direct run formatting: (property, value)
    direct_para: tuple[tuple[str, str], ...] = ()
    stale_placeholder: bool = False  # filled-in text that still carries the placeholder style
    props: StyleProps | None = None  # the paragraph's style with its own paragraph properties applied


@dataclass(frozen=True)
class Flow:
    """One paragraph or table row as it stands on paper, in order, blank paragraphs included (for pagination).

    ``kind``: title, subtitle, heading, body, signature, blank or row; ``source`` indexes
    :attr:`ReadDocx.sources` (None for blanks and rows); a row's ``cells`` are (text, width in twips or 0).
    """

    kind: str
    text: str
    props: StyleProps
    source: int | None = None
    page_break_before: bool = False
    cells: tuple[tuple[str, int], ...] = ()
    header_row: bool = False
    section: int = 0  # index into ReadDocx.sections: the page size and margins it is laid out on
    margins: tuple[int, int, int, int] | None = None  # a row's cell margins (top, left, bottom, right), twips


@dataclass
class ReadDocx:
    """What the reader found: the tree, where each part came from, and the layout facts."""

    path: str
    document: Document
    sources: list[Source]
    styles_used: dict[str, StyleInfo]  # by style id, paragraph styles referenced by body paragraphs (+ Normal)
    sections: list[Section]
    even_and_odd: bool
    application: str = ""
    core: dict[str, str] = field(default_factory=dict)
    flow: list[Flow] = field(default_factory=list)


# --------------------------------------------------------------------------- runs and paragraphs

_RUN_DIRECT = {"rFonts": "font", "sz": "size", "szCs": "", "b": "bold", "bCs": "", "i": "italic", "iCs": "",
               "u": "underline", "color": "color", "highlight": "highlight", "shd": "shading",
               "spacing": "letter_spacing", "w": "scale", "position": "position", "strike": "strike",
               "caps": "caps", "vertAlign": "", "eastAsianLayout": "", "kern": "", "lang": "", "noProof": "",
               "rStyle": "", "rPrChange": "", "webHidden": "", "specVanish": "", "cs": "", "rtl": ""}


def _direct_run(rpr: Any) -> list[tuple[str, str]]:
    """Direct formatting a run carries beyond its character style (hint-only rFonts is not formatting)."""
    out: list[tuple[str, str]] = []
    if rpr is None:
        return out
    for el in rpr:
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        prop = _RUN_DIRECT.get(local, "")
        if not prop:
            continue
        if local == "rFonts":
            name = el.get(W + "eastAsia") or el.get(W + "ascii") or el.get(W + "hAnsi")
            theme = el.get(W + "eastAsiaTheme") or el.get(W + "asciiTheme")
            if name or theme:
                out.append((prop, name or f"主题字体（{theme}）"))
        elif local in ("b", "i", "strike", "caps"):
            out.append((prop, "是" if on(el) else "否"))
        elif local == "shd":
            fill = el.get(W + "fill") or ""
            if fill.lower() not in ("", "auto"):
                out.append((prop, fill))
        elif local == "color":
            val = el.get(W + "val") or ""
            if val.lower() not in ("", "auto", "000000"):
                out.append((prop, val))
        elif local == "highlight":
            if (el.get(W + "val") or "none") != "none":
                out.append((prop, el.get(W + "val") or ""))
        else:
            out.append((prop, el.get(W + "val") or ""))
    return out


@dataclass
class _Run:
    text: str
    char: str  # canonical character style ("Lead", "Placeholder") or ""
    bold: bool
    direct: list[tuple[str, str]]


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag == W + "br":
            if (child.get(W + "type") or "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag == W + "cr":
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


class _Body:
    """Walks document.xml into blocks and sources."""

    def __init__(self, styles: Styles, path: str) -> None:
        self.styles = styles
        self.path = path
        self.paragraphs = 0

    def runs(self, el: Any, out: list[_Run]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _DROPPED:
                continue
            if tag == W + "r":
                rpr = child.find(W + "rPr")
                rstyle = rpr.find(W + "rStyle") if rpr is not None else None
                info = self.styles.info(rstyle.get(W + "val") if rstyle is not None else None, "character")
                direct = _direct_run(rpr)
                bold_el = rpr.find(W + "b") if rpr is not None else None
                bold = on(bold_el) if bold_el is not None else bool(info.props.bold and rstyle is not None)
                text = _run_text(child)
                if text:
                    out.append(_Run(text, info.canonical if rstyle is not None else "", bold, direct))
            elif tag in _TRANSPARENT:
                self.runs(child, out)

    def paragraph(self, p: Any) -> tuple[list[_Run], StyleInfo, Any]:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise bad(self.path, f"段落过多（超过 {MAX_PARAGRAPHS} 段），文档过大")
        ppr = p.find(W + "pPr")
        pstyle = ppr.find(W + "pStyle") if ppr is not None else None
        info = self.styles.info(pstyle.get(W + "val") if pstyle is not None else None)
        runs: list[_Run] = []
        self.runs(p, runs)
        return runs, info, ppr


def _mark_deleted(ppr: Any) -> bool:
    """A paragraph mark deleted with tracked changes: the paragraph merges with the next one."""
    if ppr is None:
        return False
    rpr = ppr.find(W + "rPr")
    return rpr is not None and rpr.find(W + "del") is not None


def _block_items(body: Any) -> Iterator[Any]:
    """Body-level paragraphs and tables in order, looking through content controls."""
    for child in body:
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
            yield from _block_items(child)


def _direct_para(ppr: Any, canonical: str) -> list[tuple[str, str]]:
    """Paragraph properties set on the paragraph itself (the signature's own right indent is ours)."""
    out: list[tuple[str, str]] = []
    if ppr is None:
        return out
    for tag, prop in (("spacing", "line_spacing"), ("ind", "indent"), ("jc", "alignment")):
        el = ppr.find(W + tag)
        if el is None:
            continue
        if tag == "ind" and canonical in (h.SIGNATURE, h.SIGNATURE_DATE):
            continue
        attrs = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
        if tag == "spacing":
            attrs = {k: v for k, v in attrs.items() if k in ("line", "lineRule", "before", "after")
                     and not (k in ("before", "after") and v == "0")}
            if not attrs:
                continue
        out.append((prop, "，".join(f"{k}={v}" for k, v in sorted(attrs.items()))))
    return out


def _spans(runs: list[_Run], para_bold: bool) -> tuple[tuple[Span, ...], bool]:
    """Runs → spans: Lead style (or leading hand-bolded runs) → lead; 【待补充…】 → placeholder."""
    spans: list[Span] = []
    stale = False
    lead_done = False
    any_plain_after = any(not r.bold for r in runs)
    for i, run in enumerate(runs):
        style: str | None = None
        typed_lead = not lead_done and run.bold and not para_bold and any_plain_after and \
            all(r.bold for r in runs[:i]) and run.char != h.PLACEHOLDER
        if run.char == h.LEAD or typed_lead:
            style = "lead"
        if style != "lead":
            lead_done = True
        if run.char == h.PLACEHOLDER and not _PLACEHOLDER_RE.fullmatch(run.text.strip()):
            stale = stale or bool(run.text.strip())
        if style == "lead":
            spans.append(Span(run.text, "lead"))
            continue
        pos = 0
        for m in _PLACEHOLDER_RE.finditer(run.text):
            if m.start() > pos:
                spans.append(Span(run.text[pos:m.start()]))
            spans.append(Span(m.group(0), "placeholder"))
            pos = m.end()
        if pos < len(run.text):
            spans.append(Span(run.text[pos:]))
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].style == span.style and span.style != "placeholder":
            merged[-1] = Span(merged[-1].text + span.text, span.style)
        else:
            merged.append(span)
    return tuple(merged), stale


def _list_heading_level(ppr: Any, text: str) -> int:
    """A short line numbered by Word's automatic list ("一、" not in the text): a heading at the list level."""
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None or not text.strip() or len(text.strip()) > 40 or SENTENCE_MARK_RE.search(text.rstrip("。")):
        return 0
    ilvl = num.find(W + "ilvl")
    return min(4, (to_int(ilvl.get(W + "val")) or 0) + 1) if ilvl is not None else 1


def _heading_level(info: StyleInfo, ppr: Any) -> int:
    if info.canonical in h.HEADINGS:
        return h.HEADINGS.index(info.canonical) + 1
    outline = info.props.outline
    if ppr is not None:
        el = ppr.find(W + "outlineLvl")
        if el is not None:
            outline = to_int(el.get(W + "val"))
    if outline is not None and 0 <= outline <= 3:
        return outline + 1
    return 0


# --------------------------------------------------------------------------- assembling the tree


@dataclass
class _Para:
    text: str
    spans: tuple[Span, ...]
    info: StyleInfo
    level: int
    typed: bool
    bold: bool
    direct_runs: list[tuple[str, str]]
    direct_para: list[tuple[str, str]]
    stale: bool
    title_breaks: tuple[int, ...] = ()
    props: StyleProps = field(default_factory=StyleProps)
    page_break: bool = False  # a page break before or inside the paragraph
    ends_section: bool = False  # its mark carries a section's properties: what follows is the next section


def _read_paragraph(body: _Body, p: Any) -> tuple[_Para, bool]:
    runs, info, ppr = body.paragraph(p)
    text = "".join(r.text for r in runs)
    para_bold = bool(info.props.bold)
    all_bold = bool(runs) and all(r.bold for r in runs if r.text.strip())
    spans, stale = _spans(runs, para_bold)
    level = _heading_level(info, ppr)
    typed = False
    if not level and info.canonical not in (h.TITLE, h.SUBTITLE, h.SIGNATURE, h.SIGNATURE_DATE):
        level = typed_heading_level(text, para_bold or all_bold) or _list_heading_level(ppr, text)
        typed = bool(level)
    direct: list[tuple[str, str]] = []
    for r in runs:
        for item in r.direct:
            if item not in direct and not _same_as_style(item, info.props, lead=r.char == h.LEAD):
                direct.append(item)
    breaks: list[int] = []
    if info.canonical == h.TITLE or not level:
        offset = 0
        for r in runs:
            for piece_index, piece in enumerate(r.text.split("\n")):
                if piece_index:
                    breaks.append(offset)
                offset += len(piece)
    # Most paragraphs name only their style: their properties are the style's, resolved once.
    own = ppr is not None and any(c.tag not in _STYLE_ONLY for c in ppr)
    props = apply_props(ppr, None, info.props) if own else info.props
    page_break = bool(props.page_break_before) or any(
        el.get(W + "type") == "page" for el in p.iter(W + "br"))
    para = _Para(text, spans, info, level, typed, para_bold or all_bold, direct, _direct_para(ppr, info.canonical),
                 stale, tuple(breaks), props, page_break, ppr is not None and ppr.find(W + "sectPr") is not None)
    return para, _mark_deleted(ppr)


def _same_as_style(item: tuple[str, str], props: StyleProps, *, lead: bool) -> bool:
    """Direct formatting that repeats the style (WPS writes the font and size on every run) changes nothing."""
    key, value = item
    if key == "font":
        return value in (props.east_asia, props.latin)
    if key == "size":
        return value == str(props.size)
    if key == "bold":
        return lead or (value == "是") == bool(props.bold)
    if key == "italic":
        return (value == "是") == bool(props.italic)
    return False


def _join(a: _Para, b: _Para) -> _Para:
    """A paragraph whose mark was deleted flows into the next one."""
    spans = a.spans + b.spans
    return _Para(a.text + b.text, spans, b.info, b.level, b.typed, a.bold and b.bold, a.direct_runs + b.direct_runs,
                 b.direct_para, a.stale or b.stale, (), b.props, a.page_break or b.page_break,
                 a.ends_section or b.ends_section)


def _cell_paragraphs(body: _Body, tc: Any) -> list[_Para]:
    out: list[_Para] = []
    for el in tc.iter(W + "p"):
        para, _ = _read_paragraph(body, el)
        out.append(para)
    return out


class _Assembler:
    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.sources: list[Source] = []
        self.title: Title | None = None
        self.number = 0
        self.tables = 0
        self.used: dict[str, StyleInfo] = {}
        self.flow: list[Flow] = []
        self.section = 0  # the section being read (one more after each paragraph that ends one)

    def _flow(self, item: Flow, para: _Para | None = None) -> None:
        self.flow.append(item)
        if para is not None and para.ends_section:
            self.section += 1

    def source(self, para: _Para, block: int | None, kind: str) -> Source:
        self.number += 1
        self.used.setdefault(para.info.sid, para.info)
        self._flow(Flow(kind, para.text, para.props, len(self.sources), para.page_break, section=self.section), para)
        return Source(self.number, para.text, block, para.info.name, para.info.canonical, None, para.typed,
                      tuple(para.direct_runs), tuple(para.direct_para), para.stale, para.props)

    def paragraphs(self, paras: list[_Para], *, last: bool) -> None:
        """Classify body paragraphs into title, subtitle, headings, body, signature.

        Called for each run of paragraphs between tables; only the last run can end in a signature.
        """
        visible = [p for p in paras if p.text.strip()]
        has_title_style = any(p.info.canonical == h.TITLE for p in visible)
        signature_at = self._signature_start(visible) if last else None
        pending_name: _Para | None = None
        i = -1
        for para in paras:
            if not para.text.strip():
                self._flow(Flow("blank", "", para.props, None, para.page_break, section=self.section), para)
                continue
            i += 1
            canonical = para.info.canonical
            if signature_at is not None and i >= signature_at:
                if pending_name is None and i == signature_at and not DATE_LINE_RE.match(para.text):
                    pending_name = para
                    self.sources.append(self.source(para, len(self.blocks), "signature"))
                    continue
                name = pending_name.text.strip() if pending_name else ""
                self.sources.append(self.source(para, len(self.blocks), "signature"))
                self.blocks.append(Signature(name, para.text.strip()))
                pending_name = None
                continue
            # The title: our Title style; or, in a file without one, a first line that is not a numbered
            # heading, or a heading-styled first line that names the material ("…对照检查材料" as Heading 1).
            if self.title is None and not self.blocks and not self.tables and (
                    canonical == h.TITLE or (not has_title_style and (
                        (not para.level and len(para.text) <= 80 and "。" not in para.text)
                        or (para.level == 1 and looks_like_title(para.text))))):
                text = para.text.replace("\n", "")
                self.title = Title(text.strip(), tuple(b for b in para.title_breaks if 0 < b < len(text)))
                self.sources.append(self.source(para, None, "title"))
                continue
            index = len(self.blocks)
            if canonical == h.SUBTITLE or (index == 0 and self.title is not None and not para.level
                                           and len(para.text) <= 40 and not SENTENCE_MARK_RE.search(para.text)):
                self.sources.append(self.source(para, index, "subtitle"))
                self.blocks.append(Subtitle(para.text.strip()))
            elif para.level:
                self.sources.append(self.source(para, index, "heading"))
                self.blocks.append(Heading(para.level, para.text.strip()))
            else:
                self.sources.append(self.source(para, index, "body"))
                self.blocks.append(Paragraph(para.spans))

    @staticmethod
    def _signature_start(visible: list[_Para]) -> int | None:
        """Index of the signature's first paragraph (name, or the date alone), if the document ends with one."""
        if not visible:
            return None
        last = visible[-1]
        if last.info.canonical == h.SIGNATURE_DATE or DATE_LINE_RE.match(last.text):
            before = visible[-2] if len(visible) >= 2 else None
            if before is not None and (before.info.canonical == h.SIGNATURE or (
                    len(before.text.strip()) <= 30 and not before.level and "。" not in before.text
                    and before.info.canonical not in h.HEADINGS)):
                return len(visible) - 2
            return len(visible) - 1
        return None

    def table(self, body: _Body, tbl: Any) -> None:
        caption = ""
        if self.blocks and isinstance(self.blocks[-1], Paragraph) and self.sources \
                and self.sources[-1].canonical == h.TABLE_CAPTION:
            caption = self.blocks.pop().text  # type: ignore[union-attr]
        self.tables += 1
        margins = _cell_margins(body.styles, tbl)
        rows: list[list[tuple[Span, ...]]] = []
        for r, tr in enumerate(_rows(tbl), 1):
            cells: list[tuple[Span, ...]] = []
            laid: list[tuple[str, int]] = []
            row_props = StyleProps()
            for c, tc in enumerate(_cells(tr), 1):
                paras = _cell_paragraphs(body, tc)
                width = tc.find(f"{W}tcPr/{W}tcW")
                twips = to_int(width.get(W + "w")) if width is not None and width.get(W + "type") == "dxa" else 0
                laid.append(("\n".join(p.text for p in paras), twips or 0))
                if paras:
                    row_props = paras[0].props
                spans: list[Span] = []
                for k, para in enumerate(p for p in paras if p.text.strip()):
                    if k:
                        spans.append(Span("\n"))
                    spans.extend(para.spans)
                    self.used.setdefault(para.info.sid, para.info)
                    self.sources.append(Source(0, para.text, len(self.blocks), para.info.name, para.info.canonical,
                                               (self.tables, r, c), False, tuple(para.direct_runs)))
                cells.append(tuple(spans))
            rows.append(cells)
            header = tr.find(f"{W}trPr/{W}tblHeader")
            self.flow.append(Flow("row", "", row_props, None, False, tuple(laid), header is not None and on(header),
                                  self.section, margins))
        if not rows:
            return
        header, body_rows = rows[0], rows[1:]
        columns = tuple(Column("".join(s.text for s in cell)) for cell in header)
        width = len(columns)
        fixed = tuple(tuple(row[:width]) + ((),) * (width - len(row)) for row in body_rows)
        self.blocks.append(Table(columns, fixed, caption))


_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "ins")


def _children(node: Any, tag: str) -> Iterator[Any]:
    """``tag`` children, looking through content controls, custom XML and tracked insertions."""
    for child in node:
        if child.tag == W + tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


_EDGES = ("top", "left", "bottom", "right")


def _cell_margins(styles: Styles, tbl: Any) -> tuple[int, int, int, int]:
    """The table's default cell margins: its own, else its style's (and the styles it is based on), else Word's
    defaults (0 above and below, 108 twips either side)."""
    found: dict[str, int] = {}

    def take(tblpr: Any) -> None:
        mar: Any = tblpr.find(W + "tblCellMar") if tblpr is not None else None
        if mar is None:
            return
        for edge in _EDGES:
            el = mar.find(W + edge)
            if el is None and edge in ("left", "right"):
                el = mar.find(W + ("start" if edge == "left" else "end"))
            value = to_int(el.get(W + "w")) if el is not None else None
            if value is not None and edge not in found:
                found[edge] = max(0, value)

    tblpr = tbl.find(W + "tblPr")
    take(tblpr)
    sid_el = tblpr.find(W + "tblStyle") if tblpr is not None else None
    sid = sid_el.get(W + "val") if sid_el is not None else None
    for _ in range(MAX_STYLE_DEPTH):
        style = styles.raw.get(sid or "")
        if style is None:
            break
        take(style.find(W + "tblPr"))
        based = style.find(W + "basedOn")
        sid = based.get(W + "val") if based is not None else None
    defaults = {"top": 0, "left": 108, "bottom": 0, "right": 108}
    top, left, bottom, right = (found.get(e, defaults[e]) for e in _EDGES)
    return top, left, bottom, right


def _rows(tbl: Any) -> Iterator[Any]:
    return _children(tbl, "tr")


def _cells(tr: Any) -> Iterator[Any]:
    return _children(tr, "tc")


# --------------------------------------------------------------------------- sections, settings, properties


def _footer(pkg: Package, kind: str, part: str) -> Footer:
    root = pkg.xml(part)
    if root is None:
        return Footer(kind, False, "")
    instr = " ".join((el.text or "") for el in root.iter(W + "instrText"))
    instr += " " + " ".join(el.get(W + "instr") or "" for el in root.iter(W + "fldSimple"))
    has_page = bool(re.search(r"(?<![A-Z])PAGE(?![A-Z])", instr.upper()))
    text = "".join((el.text or "") for el in root.iter(W + "t"))
    return Footer(kind, has_page, text)


def _sections(pkg: Package, root: Any, rels: dict[str, tuple[str, str]]) -> list[Section]:
    out: list[Section] = []
    footers_read: dict[str, Footer] = {}
    for sect in root.iter(W + "sectPr"):
        size = sect.find(W + "pgSz")
        mar = sect.find(W + "pgMar")
        grid = sect.find(W + "docGrid")
        margins = {}
        if mar is not None:
            for key in ("top", "bottom", "left", "right", "footer", "header"):
                value = to_int(mar.get(W + key))
                if value is not None:
                    margins[key] = value
        footers: list[Footer] = []
        for ref in sect.findall(W + "footerReference"):
            kind = ref.get(W + "type") or "default"
            rid = ref.get(f"{{{h.NS_R}}}id") or ""
            rel = rels.get(rid)
            if rel is None:
                continue
            if rel[1] not in footers_read:
                footers_read[rel[1]] = _footer(pkg, kind, rel[1])
            found = footers_read[rel[1]]
            footers.append(Footer(kind, found.has_page, found.text))
        out.append(Section(
            to_int(size.get(W + "w")) if size is not None else None,
            to_int(size.get(W + "h")) if size is not None else None,
            margins,
            grid.get(W + "type") if grid is not None else None,
            to_int(grid.get(W + "linePitch")) if grid is not None else None,
            tuple(footers),
            (sect.find(W + "type") is None or sect.find(W + "type").get(W + "val") not in ("continuous",
                                                                                            "nextColumn"))))
    return out


def _custom_properties(pkg: Package, part: str) -> dict[str, str]:
    root = pkg.xml(part)
    out: dict[str, str] = {}
    if root is None:
        return out
    pieces: dict[str, dict[int, str]] = {}
    for prop in root:
        name = prop.get("name") or ""
        if not (isinstance(prop.tag, str) and name.startswith(h.META_PREFIX)):
            continue
        key, sep, number = name[len(h.META_PREFIX):].rpartition(h.META_PIECE)
        if not (sep and number.isdigit() and int(number) >= 2):
            key, number = name[len(h.META_PREFIX):], "1"
        # a long value was written in pieces (writer.meta_pieces): only its first may be stripped at the start
        pieces.setdefault(key, {})[int(number)] = "".join(prop.itertext())
    for key, parts in pieces.items():
        out[key] = "".join(parts[n] for n in sorted(parts)).strip()
    return out


def _text_of(root: Any | None, tag: str) -> str:
    if root is None:
        return ""
    for el in root.iter(tag):
        return "".join(el.itertext()).strip()
    return ""


# --------------------------------------------------------------------------- entry point


def read_docx(path: Path) -> ReadDocx:
    """Read any .docx into a :class:`ReadDocx`, or raise :class:`InputError` with a Chinese message."""
    pkg = Package(path)
    try:
        return _read(pkg)
    except InputError:
        raise
    except Exception as exc:  # damaged input must never become a traceback (issue 9)
        if os.environ.get("DRAFTGEN_DEBUG"):
            raise
        raise bad(pkg.name, f"文件结构异常，可能已损坏（{type(exc).__name__}）") from None
    finally:
        pkg.zip.close()


def _read(pkg: Package) -> ReadDocx:
    root_rels = pkg.rels("")
    by_type = {tail: target for tail, target in root_rels.values()}
    doc_part = by_type.get("officeDocument") or h.PART_DOCUMENT
    if pkg.find(doc_part) is None:
        doc_part = h.PART_DOCUMENT
    root = pkg.xml(doc_part)
    if root is None:
        raise bad(pkg.name, "缺少正文（word/document.xml），不是 Word 文档")
    if root.tag != W + "document":
        raise bad(pkg.name, "正文部分不是 Word 文档的格式（可能是 Strict Open XML 或其他格式，请另存为普通 .docx）")
    rels = pkg.rels(doc_part)
    doc_rel_types = {tail: target for tail, target in rels.values()}
    styles = Styles(pkg.xml(doc_rel_types.get("styles", "word/styles.xml")))
    settings = pkg.xml(doc_rel_types.get("settings", "word/settings.xml"))
    even_odd = False
    if settings is not None:
        el = settings.find(W + "evenAndOddHeaders")
        even_odd = el is not None and on(el)
    body_el = root.find(W + "body")
    # Counted before anything is walked, so that refusing an oversized body costs only the parse.
    if body_el is not None and sum(1 for _ in islice(body_el.iter(W + "p"), MAX_PARAGRAPHS + 1)) > MAX_PARAGRAPHS:
        raise bad(pkg.name, f"段落过多（超过 {MAX_PARAGRAPHS} 段），文档过大")
    body = _Body(styles, pkg.name)
    asm = _Assembler(pkg.name)
    pending: list[_Para] = []
    carry: _Para | None = None
    for item in _block_items(body_el) if body_el is not None else ():
        if item.tag == W + "p":
            para, merged_away = _read_paragraph(body, item)
            if carry is not None:
                para = _join(carry, para)
                carry = None
            if merged_away:
                carry = para
                continue
            pending.append(para)
        else:
            if carry is not None:
                pending.append(carry)
                carry = None
            asm.paragraphs(pending, last=False)
            pending = []
            asm.table(body, item)
    if carry is not None:
        pending.append(carry)
    asm.paragraphs(pending, last=True)
    asm.used.setdefault(styles.info(None).sid, styles.info(None))
    meta = _custom_properties(pkg, by_type.get("custom-properties", h.PART_CUSTOM))
    core_root = pkg.xml(by_type.get("core-properties", h.PART_CORE))
    app_root = pkg.xml(by_type.get("extended-properties", h.PART_APP))
    core = {"title": _text_of(core_root, f"{{{h.NS_DC}}}title"),
            "creator": _text_of(core_root, f"{{{h.NS_DC}}}creator")}
    application = _text_of(app_root, f"{{{h.NS_EXTENDED}}}Application")
    document = Document(asm.title or Title(""), tuple(asm.blocks), meta)
    return ReadDocx(pkg.name, document, asm.sources, asm.used, _sections(pkg, root, rels), even_odd,
                    application, core, asm.flow)
