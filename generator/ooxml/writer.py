"""The document tree → a .docx in the GB/T 9704-2012 house style.

Why no python-docx here: its default template costs more to re-compress on every
save than the whole draft, and it cannot express ``firstLineChars`` or clean
fonts without XML surgery anyway.  So each draft is a string of WordprocessingML
built from the tree and laid out in a zip after the static parts (styles,
settings, theme, footers, …), which were compressed once per process.

Paragraphs carry only their style id and runs only their character style; the
single exception is the signature's right indent, which depends on the lengths
of the name and date of this draft (see :func:`signature_indents`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from itertools import combinations, pairwise
from pathlib import Path

from generator.doctree import (
    Block,
    Document,
    Heading,
    Paragraph,
    Signature,
    Span,
    Subtitle,
    Table,
    Title,
)
from generator.fsio import atomic_writer
from generator.ooxml import house as h
from generator.ooxml.package import XML_DECL, ZIP_DATE, assemble
from generator.text import BREAK, display_width

# Characters XML 1.0 forbids (controls, surrogates, U+FFFE/U+FFFF), plus our private BREAK marker, which
# must never be visible.  Spelled as the few characters excluded rather than as the negated allowed ranges:
# the same set (BREAK is U+E000, right after the surrogates), but ``re`` compiles a negated class spanning the
# whole BMP in ~15 ms per pattern at every start, this in ~0.5 ms.
_INVALID_RE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-{BREAK}\ufffe\uffff]")
# Anything outside plain printable text (invalid characters, or tab/newline that become w:tab/w:br).
_SPECIAL_RE = re.compile(f"[\x00-\x1f\ud800-{BREAK}\ufffe\uffff]")
_SPLIT_RE = re.compile(r"(\r\n|[\n\r\t])")

MAX_TITLE_LINES = 3
# Character styles of the tree's spans.
_SPAN_STYLES = {"lead": h.LEAD, "placeholder": h.PLACEHOLDER}
_CELL_PADDING = 2 * 85  # left + right cell margin of the LedgerTable style, twips


# --------------------------------------------------------------------------- text


def clean(text: str) -> str:
    """Drop characters that would make the XML ill-formed (upstream already should have)."""
    return _INVALID_RE.sub("", text) if _INVALID_RE.search(text) else text


def escape(text: str) -> str:
    """Escape for element content and double-quoted attributes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _run_content(text: str) -> str:
    """``w:t`` pieces; a newline becomes ``w:br`` and a tab ``w:tab`` so nothing is lost silently."""
    if not _SPECIAL_RE.search(text):
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    text = clean(text)
    out = []
    for piece in _SPLIT_RE.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            out.append("<w:br/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


@lru_cache(maxsize=8192)  # a batch repeats the same sentences: escape and wrap each once per process
def _run(text: str, style: str = "") -> str:
    content = _run_content(text)
    if not content:
        return ""
    if style:
        return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr>{content}</w:r>'
    return f"<w:r>{content}</w:r>"


def _spans(spans: Iterable[Span]) -> str:
    return "".join(_run(span.text, _SPAN_STYLES.get(span.style or "", "")) for span in spans)


def _paragraph(runs: str, style: str = "", ind: str = "", *, keep_next: bool = False) -> str:
    """A paragraph with its style id (none = Normal), keep-with-next for the closing one, an indent for signatures."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr += "<w:keepNext/>" if keep_next else ""
    ppr += ind
    head = f"<w:p><w:pPr>{ppr}</w:pPr>" if ppr else "<w:p>"
    return f"{head}{runs}</w:p>"


# --------------------------------------------------------------------------- title


def _title_source(title: Title) -> tuple[str, tuple[int, ...]]:
    """Title text and break offsets after cleaning; BREAK markers left in the text count as breaks."""
    text = title.text
    if not _INVALID_RE.search(text):
        return text, tuple(sorted(set(title.breaks)))
    kept: list[str] = []
    new_index: list[int] = []
    breaks: set[int] = set()
    for ch in text:
        new_index.append(len(kept))
        if ch == BREAK:
            breaks.add(len(kept))
        elif not _INVALID_RE.match(ch):
            kept.append(ch)
    new_index.append(len(kept))
    breaks.update(new_index[b] for b in title.breaks if 0 <= b <= len(text))
    return "".join(kept), tuple(sorted(breaks))


def _shape_cost(widths: Sequence[float]) -> float:
    """How far lines are from a balanced trapezoid; a longer lower line costs more than a shorter one."""
    cost = 0.0
    for upper, lower in pairwise(widths):
        cost += upper - lower if upper >= lower else 2.5 * (lower - upper)
    return cost


def _split(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip(" \u3000") for a, b in pairwise(bounds)]


@lru_cache(maxsize=1024)
def title_lines(text: str, breaks: tuple[int, ...], capacity: float = h.TITLE_LINE_EM) -> tuple[str, ...]:
    """Split a title into lines at the allowed ``breaks`` only, shaped as a trapezoid.

    Fewest lines that fit ``capacity`` (em of the title size) win, then the most
    balanced trapezoid (upper line longer).  When no choice fits, the one that
    overflows least.  No allowed break → one line, and Word wraps it.
    """
    if display_width(text) <= capacity:
        return (text,)
    cuts = sorted({b for b in breaks if 0 < b < len(text)})
    best: tuple[float, int, float, tuple[int, ...]] | None = None
    best_lines: list[str] = [text]
    for count in range(1, min(len(cuts), MAX_TITLE_LINES - 1) + 1):
        for combo in combinations(cuts, count):
            lines = _split(text, combo)
            if not all(lines):
                continue
            widths = [display_width(line) for line in lines]
            overflow = sum(max(0.0, w - capacity) for w in widths)
            key = (overflow, count, _shape_cost(widths), combo)
            if best is None or key < best:
                best, best_lines = key, lines
        if best is not None and best[0] == 0:
            break  # more lines can only be worse than a fit with fewer
    return tuple(best_lines)


def _title(title: Title) -> str:
    text, breaks = _title_source(title)
    lines = title_lines(text, breaks)
    content = "<w:br/>".join(_run_content(line) for line in lines)
    return _paragraph(f"<w:r>{content}</w:r>" if content else "", h.TITLE)


# --------------------------------------------------------------------------- signature


def _line_twips(text: str) -> float:
    """Set width of a body-size line: 16 pt per full-width character less the −0.25 pt letter spacing."""
    return display_width(text) * h.EM_BODY + h.LETTER_SPACING * len(text)


def signature_indents(name: str, date_text: str) -> tuple[int, int]:
    """Right indents in twips of the name and date lines (GB/T 9704 §7.3.5.3).

    The name sits 2 characters from the right edge and the date starts 2
    characters right of the name's first character; when that would push the
    date closer than 2 characters to the edge, the date keeps 2 and the name
    moves left instead.  The signature styles turn off the automatic space
    between Chinese and digits, so these widths are what Word lays out.
    """
    w_name = max(_line_twips(line) for line in name.split("\n"))
    w_date = max(_line_twips(line) for line in date_text.split("\n"))
    margin = h.SIGNATURE_RIGHT_CHARS * h.EM_BODY
    right_name = max(margin, 2 * margin + w_date - w_name)
    right_date = right_name + w_name - margin - w_date
    return round(right_name), round(right_date)


def _right_indent(twips: int) -> str:
    """Direct right indent (chars for Word, twips for LibreOffice), only when it differs from the style's."""
    if twips == round(h.SIGNATURE_RIGHT_CHARS * h.EM_BODY):
        return ""
    return f'<w:ind w:rightChars="{round(twips * 100 / h.EM_BODY)}" w:right="{twips}"/>'


def _signature(sig: Signature) -> str:
    right_name, right_date = signature_indents(sig.name, sig.date)
    return (_paragraph(_run(sig.name), h.SIGNATURE, _right_indent(right_name))
            + _paragraph(_run(sig.date), h.SIGNATURE_DATE, _right_indent(right_date)))


# --------------------------------------------------------------------------- tables


def column_widths(weights: Sequence[int], floors: Sequence[int] = (), total: int = h.TEXT_W) -> list[int]:
    """Twips per column in proportion to ``weights``, summing exactly to ``total``.

    ``floors`` (twips) are honoured first when they fit at all, so that a narrow
    column such as 序号 keeps its header on one line; the rest of the width is
    shared out by weight among the other columns.
    """
    if not weights:
        return []
    safe = [float(max(1, w)) for w in weights]
    floors = list(floors) or [0] * len(safe)
    if sum(floors) > total:
        floors = [0] * len(safe)
    pinned: set[int] = set()
    while True:
        free = total - sum(floors[i] for i in pinned)
        share = sum(w for i, w in enumerate(safe) if i not in pinned)
        raw = [float(floors[i]) if i in pinned else free * w / share for i, w in enumerate(safe)]
        short = {i for i, r in enumerate(raw) if i not in pinned and r < floors[i]}
        if not short:
            break
        pinned |= short
    widths = [int(r) for r in raw]
    by_fraction = sorted(range(len(raw)), key=lambda i: (widths[i] - raw[i], i))
    for i in by_fraction[: total - sum(widths)]:
        widths[i] += 1
    return widths


def _header_floor(header: str) -> int:
    """Room for a header of up to 4 characters on one line (longer ones may wrap)."""
    slack = 20  # rounding in the layout engines
    return round(min(display_width(header), 4.0) * h.EM_TABLE) + _CELL_PADDING + slack


def _cell_text(cell: Sequence[Span]) -> str:
    return "".join(span.text for span in cell)


def _short_column(cells: Sequence[Sequence[Span]], width: int) -> bool:
    """Centre a column when every cell fits on one line (序号, 责任人, 时限…)."""
    room = (width - _CELL_PADDING) / h.EM_TABLE
    texts = [_cell_text(cell) for cell in cells]
    return any(texts) and all(display_width(t) <= room and "\n" not in t for t in texts)


def _cell(width: int, runs: str, style: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_paragraph(runs, style)}</w:tc>'


def _table_rows(table: Table) -> list[tuple[tuple[Span, ...], ...]]:
    ncols = len(table.columns)
    rows = []
    for number, row in enumerate(table.rows, 1):
        if len(row) > ncols:
            raise ValueError(f"table row {number} has {len(row)} cells but the table has {ncols} columns")
        rows.append(tuple(row) + ((),) * (ncols - len(row)))
    return rows


def _table(table: Table) -> str:
    """Caption, then a fixed-layout table exactly as wide as the text block; header repeats per page."""
    caption = _paragraph(_run(table.caption), h.TABLE_CAPTION) if table.caption else ""
    if not table.columns:
        return caption
    total = h.LANDSCAPE_TEXT_W if table.landscape else h.TEXT_W
    widths = column_widths([c.width for c in table.columns], [_header_floor(c.header) for c in table.columns],
                           total)
    rows = _table_rows(table)
    styles = [h.TABLE_TEXT_CENTER if _short_column([r[i] for r in rows], w) else h.TABLE_TEXT
              for i, w in enumerate(widths)]
    out = [caption, f'<w:tbl><w:tblPr><w:tblStyle w:val="{h.TABLE_STYLE}"/><w:tblW w:w="{total}" '
                    'w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>']
    out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    out.extend(_cell(w, _run(c.header), h.TABLE_HEADER) for w, c in zip(widths, table.columns, strict=True))
    out.append("</w:tr>")
    for row in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out.extend(_cell(w, _spans(cell), s) for w, cell, s in zip(widths, row, styles, strict=True))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# --------------------------------------------------------------------------- document.xml


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(_spans(block.spans))
    if isinstance(block, Heading):
        level = min(max(block.level, 1), len(h.HEADINGS))
        return _paragraph(_run(block.text), h.HEADINGS[level - 1])
    if isinstance(block, Subtitle):
        return _paragraph(_run(block.text), h.SUBTITLE)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Signature):
        return _signature(block)
    raise TypeError(f"unknown block {type(block).__name__}")


def _body(blocks: Sequence[Block]) -> Iterable[str]:
    """Blocks in order; an empty paragraph keeps two tables apart and ends a table-final body.

    A landscape table gets a section of its own, with the heading right above it (a heading never
    stays behind at the foot of a portrait page): the paragraph before them ends the portrait section
    (its ``w:sectPr``), the one after the table ends the landscape one.  Footers and numbering run on.
    """
    starts = set()
    for i, block in enumerate(blocks):
        if isinstance(block, Table) and block.landscape:
            starts.add(i - 1 if i and isinstance(blocks[i - 1], Heading) else i)
    previous: Block | None = None
    for i, block in enumerate(blocks):
        landscape = isinstance(block, Table) and block.landscape
        if i in starts:
            yield f"<w:p><w:pPr>{_section()}</w:pPr></w:p>"  # ends the portrait pages before it
        elif isinstance(previous, Table) and isinstance(block, Table) and not block.caption:
            yield "<w:p/>"  # Word would merge the two tables
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Paragraph) and isinstance(following, Signature):
            # The closing paragraph keeps with the signature: the name and date never stand alone on a page.
            yield _paragraph(_spans(block.spans), keep_next=True)
        else:
            yield _block(block)
        if landscape and i < len(blocks) - 1:  # a last table's section is the body's own (landscape)
            yield f"<w:p><w:pPr>{_section(landscape=True)}</w:pPr></w:p>"
            previous = None
            continue
        previous = block
    if isinstance(previous, Table):
        yield "<w:p/>"  # Word needs a paragraph between the last table and the section end


def _section(*, landscape: bool = False) -> str:
    """A section's properties: A4 portrait in the house margins, or A4 landscape for a wide table."""
    if landscape:
        size = f'<w:pgSz w:w="{h.PAGE_H}" w:h="{h.PAGE_W}" w:orient="landscape"/>'
        top = h.LANDSCAPE_MARGIN_TOP
    else:
        size = f'<w:pgSz w:w="{h.PAGE_W}" w:h="{h.PAGE_H}"/>'
        top = h.MARGIN_TOP
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="{h.RID_FOOTER_ODD}"/>'
            f'<w:footerReference w:type="even" r:id="{h.RID_FOOTER_EVEN}"/>{size}'
            f'<w:pgMar w:top="{top}" w:right="{h.MARGIN_RIGHT}" w:bottom="{h.MARGIN_BOTTOM}" '
            f'w:left="{h.MARGIN_LEFT}" w:header="{h.HEADER_DISTANCE}" w:footer="{h.FOOTER_DISTANCE}" w:gutter="0"/>'
            '<w:cols w:space="425"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{h.LINE_PITCH}"/></w:sectPr>')


_SECTION = _section()


def document_xml(doc: Document) -> str:
    """``word/document.xml``: a pure function of the Document (same tree → same bytes)."""
    body = "".join(_body(doc.blocks))
    # GB/T 9704 leaves one blank line under the title; the Subtitle style carries it when there is one.
    gap = "" if doc.blocks and isinstance(doc.blocks[0], Subtitle) else "<w:p/>"
    return (f'{XML_DECL}<w:document xmlns:w="{h.NS_W}" xmlns:r="{h.NS_R}"><w:body>'
            f"{_title(doc.title)}{gap}{body}{_last_section(doc.blocks)}</w:body></w:document>")


def _last_section(blocks: Sequence[Block]) -> str:
    last = blocks[-1] if blocks else None
    return _section(landscape=True) if isinstance(last, Table) and last.landscape else _SECTION


# --------------------------------------------------------------------------- document properties

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_FALLBACK_DATE = date(*ZIP_DATE[:3])


def _parse_date(text: str) -> date | None:
    match = _DATE_RE.search(text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def document_date(doc: Document) -> date:
    """``meta["date"]``, else the signature date, else a fixed day: never the clock (determinism)."""
    candidates = [doc.meta.get("date", "")]
    candidates += [b.date for b in doc.blocks if isinstance(b, Signature)]
    for text in candidates:
        parsed = _parse_date(str(text))
        if parsed:
            return parsed
    return _FALLBACK_DATE


def _creator(doc: Document) -> str:
    if doc.meta.get("author"):
        return str(doc.meta["author"])
    names = [b.name for b in doc.blocks if isinstance(b, Signature)]
    return names[0] if names else ""


def core_xml(doc: Document) -> str:
    """Title, creator and dates; the dates come from the document, not from the clock."""
    stamp = f"{document_date(doc).isoformat()}T00:00:00Z"
    title_text, _ = _title_source(doc.title)
    return (
        f'{XML_DECL}<cp:coreProperties xmlns:cp="{h.NS_CP}" xmlns:dc="{h.NS_DC}" '
        f'xmlns:dcterms="{h.NS_DCTERMS}" xmlns:xsi="{h.NS_XSI}">'
        f"<dc:title>{escape(clean(title_text))}</dc:title>"
        f"<dc:creator>{escape(clean(_creator(doc)))}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def meta_pieces(meta: dict[str, str]) -> list[tuple[str, str]]:
    """``meta`` as (property name, value) pairs, sorted, each value at most ``h.META_PIECE_CHARS`` characters.

    Word's property dialog and its binary formats keep at most 255 characters of a text property, so a
    longer value (the chain record) goes into numbered pieces, ``draftgen.chains``, ``draftgen.chains#2``…,
    which the reader joins again.
    """
    out: list[tuple[str, str]] = []
    for key in sorted(meta):
        value = clean(str(meta[key]))
        name = clean(h.META_PREFIX + str(key))
        size = h.META_PIECE_CHARS
        pieces = [value[i:i + size] for i in range(0, len(value), size)] or [""]
        out.extend((name if n == 1 else f"{name}{h.META_PIECE}{n}", piece) for n, piece in enumerate(pieces, 1))
    return out


def custom_xml(doc: Document) -> str:
    """Every ``meta`` entry as a text property ``draftgen.<key>`` (sorted): ``import`` recovers the spec."""
    props = []
    for pid, (name, value) in enumerate(meta_pieces(doc.meta), 2):  # pid 0 and 1 are reserved
        props.append(f'<property fmtid="{h.CUSTOM_FMTID}" pid="{pid}" name="{escape(name)}">'
                     f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>")
    return f'{XML_DECL}<Properties xmlns="{h.NS_CUSTOM}" xmlns:vt="{h.NS_VT}">{"".join(props)}</Properties>'


# --------------------------------------------------------------------------- public API


def render_docx(doc: Document) -> bytes:
    """The complete .docx for ``doc`` as bytes (deterministic: same tree, same bytes)."""
    return assemble([(h.PART_DOCUMENT, document_xml(doc).encode("utf-8")),
                     (h.PART_CORE, core_xml(doc).encode("utf-8")),
                     (h.PART_CUSTOM, custom_xml(doc).encode("utf-8"))])


def write_docx(doc: Document, target: Path, *, force: bool = False) -> None:
    """Write ``doc`` to ``target`` atomically; an existing file is replaced only with ``force``."""
    data = render_docx(doc)
    with atomic_writer(target, force=force) as fh:
        fh.write(data)
