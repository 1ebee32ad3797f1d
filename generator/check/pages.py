"""Rule 8, on paper: pagination estimated on the page grid, then the signature, headings and split paragraphs.

Rendering every draft in LibreOffice costs about two seconds a file, so pages are
*estimated*: each paragraph's lines from its text width (Chinese characters one
em, Latin half), first-line indent and the characters a line holds (28 on the
house grid), its height from its line spacing and space before and after; table
rows whole (their tallest cell's lines plus the table's cell margins above and
below), header rows repeated; each section on its own page size (the landscape
ledger), a section starting a new page.  Word's own rules are then applied as
Word applies them: page breaks, keep with next, keep lines together, widow and orphan
control.  What the estimate cannot know (kerning, punctuation squeezing, fonts
that are missing) can move a line; ``tests/test_check_pages.py`` compares it with
LibreOffice's pages for generated drafts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.check.model import Finding, excerpt
from generator.ooxml import house as h
from generator.ooxml.reader import Flow, ReadDocx, Section, Source, StyleProps

Place = Callable[[Source], str]
_CELL_MARGIN = 216  # left + right cell margins, twips (Word's default 0.19 cm each), when the reader gives none
_ROW_BORDER = 10  # a single ½-point border between rows, twips
_MAX_CHAIN = 6  # keep-with-next chains longer than this are broken, as Word does with a page's worth


@dataclass(frozen=True)
class Box:
    """One flow item measured: lines, line height and the space around it (twips)."""

    lines: int
    line: int
    before: int
    after: int
    keep_next: bool
    keep_lines: bool
    widow: bool
    row: bool


@dataclass
class Placed:
    first_page: int
    last_page: int
    first_lines: int  # lines on its first page
    last_lines: int  # lines on its last page


def _line_height(props: StyleProps, size: int) -> int:
    if props.line and props.line_rule == "exact":
        return props.line
    # A CJK font's own line (ascent + descent) is about 1.45 em (Noto CJK, SimSun, FangSong): what "single"
    # spacing gives table text (measured against LibreOffice's rows of the generated ledgers).
    natural = round(size * 10 * 1.45)
    if props.line and props.line_rule == "atLeast":
        return max(props.line, natural)
    return round(natural * (props.line or 240) / 240)


_NARROW_RE = re.compile(r"[\x00-\x7f]")
# Closing punctuation may not start a line: at the end of a full line it hangs in the margin (Word, WPS and
# LibreOffice all do so; measured: a 27-character line with its indent and a final "。" stays one line).
_HANGING = frozenset("，。、；：？！）》」』”’…—,.;:?!)")


def _width(text: str) -> float:
    """Width in em: ASCII half, everything else whole (text.display_width, fast enough for every paragraph)."""
    return len(text) - 0.5 * len(_NARROW_RE.findall(text))


def _line_count(text: str, chars: float, indent: float) -> int:
    """Lines of one run of text, filling each line and letting closing punctuation hang."""
    if _width(text) + indent <= chars:
        return 1
    lines, used = 1, indent
    for ch in text:
        w = 0.5 if ch < "\x80" else 1.0
        if used + w > chars + 1e-9 and not (ch in _HANGING and used <= chars + 1e-9):
            lines, used = lines + 1, 0.0
        used += w
    return lines


def _lines(text: str, chars: float, indent: float) -> int:
    if chars <= 1:
        return max(1, len(text))
    return sum(_line_count(piece, chars, indent if k == 0 else 0.0) for k, piece in enumerate(text.split("\n")))


def measure(flow: Flow, text_width: int) -> Box:
    """Lines and heights of one paragraph or row."""
    props = flow.props
    size = props.size or h.SIZE_BODY
    em = size * 10 - 5  # the house letter spacing (−0.25 pt) is what makes 28 characters fit
    line = _line_height(props, size)
    if flow.kind == "row":
        lines = 1
        widths = [w for _, w in flow.cells]
        known = sum(w for w in widths if w) or text_width
        default = max(1, (text_width - known)) // max(1, sum(1 for w in widths if not w)) if 0 in widths else 0
        top, left, bottom, right = flow.margins or (0, _CELL_MARGIN // 2, 0, _CELL_MARGIN // 2)
        for text, width in flow.cells:
            chars = max(1, ((width or default or text_width // max(1, len(flow.cells))) - left - right) // em)
            lines = max(lines, _lines(text, chars, 0.0))
        # a row is its tallest cell's lines, the cell margins above and below, and its border (½ pt)
        return Box(lines, line, top + bottom + _ROW_BORDER, 0, False, True, False, True)
    indent = max(0.0, props.indent_chars() or 0.0)
    lines = 1 if flow.kind == "blank" else _lines(flow.text, text_width / em, indent)
    return Box(lines, line, props.space_before or 0, props.space_after or 0, bool(props.keep_next),
               bool(props.keep_lines), props.widow_control is not False, False)


@dataclass(frozen=True)
class Frame:
    """The text block of one section: its height and width (twips), and whether it starts a new page."""

    height: int
    width: int
    new_page: bool = True


def frames(read: ReadDocx) -> list[Frame]:
    """Each section's text block (a landscape ledger has its own), the house page where nothing is said."""
    out = []
    listed: list[Section | None] = list(read.sections) or [None]
    for sec in listed:
        height = (sec.page_h - sec.margins.get("top", h.MARGIN_TOP) - sec.margins.get("bottom", h.MARGIN_BOTTOM)) \
            if sec and sec.page_h else h.TEXT_H
        width = (sec.page_w - sec.margins.get("left", h.MARGIN_LEFT) - sec.margins.get("right", h.MARGIN_RIGHT)) \
            if sec and sec.page_w else h.TEXT_W
        out.append(Frame(height, width, sec.new_page if sec else True))
    return out


def paginate(flow: Sequence[Flow], text_height: int, text_width: int,
             sections: Sequence[Frame] = ()) -> list[Placed]:
    """Where each flow item falls, by Word's rules (page break, keep with next, keep lines, widow control).

    ``sections`` gives each section's text block (``Flow.section`` indexes it); without it every item is laid
    out on ``text_height`` × ``text_width``.  A section that starts on a new page starts one."""
    def frame(k: int) -> Frame:
        at = flow[k].section
        return sections[min(at, len(sections) - 1)] if sections else Frame(text_height, text_width)

    boxes = [measure(f, frame(k).width) for k, f in enumerate(flow)]
    placed: list[Placed] = []
    page, used = 0, 0
    header = 0  # height of the current table's header rows, repeated on each page

    def need_on_page(k: int, depth: int = 0) -> int:
        """Height item k needs on the page where it starts (with what it keeps with)."""
        box = boxes[k]
        first = box.lines if box.keep_lines or box.lines <= (3 if box.widow else 1) else (2 if box.widow else 1)
        height = box.before + first * box.line
        if box.keep_next and k + 1 < len(boxes) and depth < _MAX_CHAIN:
            whole = box.before + box.lines * box.line + box.after
            if box.lines == first:
                height = whole + need_on_page(k + 1, depth + 1)
        return height

    for k, (item, box) in enumerate(zip(flow, boxes, strict=True)):
        text_height = frame(k).height
        if k and item.section != flow[k - 1].section and frame(k).new_page:
            page, used = page + 1, 0
        if item.page_break_before and used:
            page, used = page + 1, 0
        if box.row:
            height = box.lines * box.line + box.before + box.after
            if item.header_row:
                header += height
            elif k == 0 or flow[k - 1].kind != "row":
                header = 0
            if used and used + height > text_height:
                page, used = page + 1, header
            placed.append(Placed(page, page, box.lines, box.lines))
            used += height
            continue
        header = 0
        if used and used + need_on_page(k) > text_height:
            page, used = page + 1, 0
        room = max(0, (text_height - used - box.before) // box.line)
        if box.lines <= room and box.keep_next and k + 1 < len(boxes) and used:
            # Keep with next: when the next paragraph cannot start on this page after this one, this one
            # moves over whole (what LibreOffice does, measured: a four-line closing paragraph went to the
            # signature's page rather than splitting).
            after = text_height - (used + box.before + box.lines * box.line + box.after)
            if need_on_page(k + 1) > after:
                page, used = page + 1, 0
                room = max(0, (text_height - box.before) // box.line)
        if box.lines <= room:
            placed.append(Placed(page, page, box.lines, box.lines))
            used += box.before + box.lines * box.line + box.after
            continue
        first, rest = room, box.lines - room
        if box.widow and rest == 1 and first >= 3:
            first, rest = first - 1, 2
        if box.keep_lines or first == 0 or (box.widow and first < 2):
            page, used = page + 1, 0
            first, rest = min(box.lines, text_height // box.line), box.lines - min(box.lines, text_height // box.line)
            start = page
        else:
            start = page
        per_page = max(1, text_height // box.line)
        last = first
        while rest > 0:
            page += 1
            last = min(rest, per_page)
            rest -= last
        placed.append(Placed(start, page, first, last if page > start else first))
        used = last * box.line + box.after if page > start else box.before + first * box.line + box.after
    return placed


def check_pages(read: ReadDocx, place: Place) -> list[Finding]:
    """The signature alone on the last page; a heading last on a page; a widow or orphan line."""
    flow = read.flow
    if not flow:
        return []
    laid = frames(read)
    if any(f.height <= h.LINE_PITCH or f.width <= h.EM_BODY for f in laid):
        return []
    placed = paginate(flow, laid[-1].height, laid[-1].width, laid)
    out: list[Finding] = []

    def where(k: int) -> tuple[str, int | None, str]:
        idx = flow[k].source
        if idx is None or idx >= len(read.sources):
            return "", None, ""
        src = read.sources[idx]
        return place(src), src.number or None, excerpt(src.text)

    signature = next((k for k, f in enumerate(flow) if f.kind == "signature"), None)
    if signature is not None:
        page = placed[signature].first_page
        content = [k for k, f in enumerate(flow) if f.kind not in ("blank", "signature")]
        if page > 0 and not any(placed[k].last_page == page for k in content):
            w, n, ex = where(signature)
            out.append(Finding("signature-alone", f"按每页 22 行估算，落款和日期单独落在第 {page + 1} 页，"
                               "前面没有正文；可删减几行或调整段落，使最后一段正文与落款在同一页", w, n, ex))
    following = [k for k, f in enumerate(flow) if f.kind != "blank"]
    for a, b in itertools.pairwise(following):
        # A numbered line that is a whole sentence ("1.……。") reads as a heading but is an item: not a heading.
        if flow[a].kind == "heading" and not flow[a].text.rstrip().endswith("。") \
                and placed[b].first_page > placed[a].last_page:
            w, n, ex = where(a)
            out.append(Finding("heading-at-foot", f"按每页 22 行估算，这个标题在第 {placed[a].last_page + 1} 页的"
                               "最后，正文到了下一页；可设置“与下段同页”", w, n, ex))
    for k, (item, at) in enumerate(zip(flow, placed, strict=True)):
        if item.kind != "body" or at.first_page == at.last_page:
            continue
        w, n, ex = where(k)
        if at.first_lines == 1:
            out.append(Finding("orphan", f"按每页 22 行估算，这段的第一行单独留在第 {at.first_page + 1} 页末尾；"
                               "可在段落设置中勾选“孤行控制”", w, n, ex))
        if at.last_lines == 1:
            out.append(Finding("widow", f"按每页 22 行估算，这段的最后一行单独落在第 {at.last_page + 1} 页开头；"
                               "可在段落设置中勾选“孤行控制”", w, n, ex))
    return out


def page_count(read: ReadDocx) -> int:
    """Estimated pages (for tests against a LibreOffice render)."""
    if not read.flow:
        return 0
    return paginate(read.flow, h.TEXT_H, h.TEXT_W, frames(read))[-1].last_page + 1
