"""Turn a saved web page or Word file into clean lines of Chinese text.

The sample materials users collect are scraped pages: site furniture around the
text, ASCII punctuation between Chinese characters, quotes that lost their
partner, hard line wraps from PDF extraction, page-number fragments from paged
documents, and whole documents "rewritten" by swapping words for synonyms.
Each repair here is a small function on lines so that it can be tested on the
exact case from ``docs/seeds.md`` it exists for.  Line numbers of the source are
kept through every step: each bank entry must say where it came from.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from generator.mining.data import Corrections
from generator.text import ascii_punct_in_zh, clean_text, has_han, is_han, zh_punct


@dataclass(frozen=True, slots=True)
class Line:
    """One line (a paragraph in a .docx) of a source, with its 1-based number there."""

    no: int
    text: str
    level: int = 0  # heading level taken from a .docx paragraph style; 0 = none


@dataclass(frozen=True, slots=True)
class Dropped:
    """Something the miner left out, and why (for ``mine --report``)."""

    where: str
    reason: str
    text: str


@dataclass
class CleanDoc:
    """A cleaned source: its lines, whether it was rewritten, and what was removed."""

    name: str
    lines: list[Line]
    rewritten: bool = False
    paged: bool = False
    wrapped: bool = False
    dropped: list[Dropped] = field(default_factory=list)


# --------------------------------------------------------------------------- furniture

# Lines that belong to the hosting site, not to the text.
_FURNITURE = [
    re.compile(p)
    for p in (
        r"^(时间|作者|分类|属性|大小|格式|来源|编辑|责任编辑|浏览|点击|发布|更新|页数|字数)[:：]",
        r"浏览次数|阅读次数|点击次数|下载次数",
        r"^[^。，,：:]{1,24}>[^。，,]{0,24}>",  # breadcrumbs: 上大学网 > 中国梦 > 正文
        r"^(VIP专免|免费|VIP)\d{0,4}",
        r"^\d{4}-\d{1,2}-\d{1,2}(\s*\d{1,2}:\d{2}(:\d{2})?)?\s*\d*$",
        r"^[-—_=*·•]+$",
        r"^摘要[:：]?$",
        r"^(展开|收起)\s*(>>|<<|》》|《《)?$",
        r"【(汇总|多篇|全文|精选|范文|推荐|荐读|最新)】",
        r"(\.{3}|…)$",  # a teaser cut off with an ellipsis
        r"^(扫码|扫一扫|关注|分享|收藏|举报|打印|下载本文|复制链接)",
        r"^(本文|文章)(来源|转载|链接)",
        r"^(版权|Copyright|©)",
    )
]
# A line starting like this ends the text: everything after it is the page's footer.
_TAIL = re.compile(
    r"^(推荐访问|相关推荐|相关文章|相关阅读|猜你喜欢|热门推荐|本站热搜|上一篇|下一篇|延伸阅读)"
)
_INLINE_FURNITURE = re.compile(r"[\[［【(（]?作者单位[:：][^\]］】)）\n]*[\]］】)）]?")
_TITLE_LIST_LINE = re.compile(r"^[^。！？；，,;!?、]{4,40}$")


def is_furniture(text: str) -> bool:
    """Does this whole line belong to the site rather than to the text?"""
    return any(p.search(text) for p in _FURNITURE)


def drop_furniture(lines: list[Line], name: str) -> tuple[list[Line], list[Dropped]]:
    """Remove site furniture: header lines, footers and the list of related titles at the end."""
    kept: list[Line] = []
    dropped: list[Dropped] = []
    for i, line in enumerate(lines):
        text = _INLINE_FURNITURE.sub("", line.text).strip()
        if _TAIL.match(text):
            dropped.extend(Dropped(f"{name}:{ln.no}", "网页页脚", ln.text) for ln in lines[i:] if ln.text)
            break
        if text and is_furniture(text):
            dropped.append(Dropped(f"{name}:{line.no}", "网页杂项", line.text))
            continue
        kept.append(replace(line, text=text))
    # A run of short unpunctuated lines at the very end is a list of related titles.
    tail = len(kept)
    while tail and (not kept[tail - 1].text or _TITLE_LIST_LINE.match(kept[tail - 1].text)):
        tail -= 1
    if sum(1 for ln in kept[tail:] if ln.text) >= 3:
        dropped.extend(Dropped(f"{name}:{ln.no}", "相关标题列表", ln.text) for ln in kept[tail:] if ln.text)
        kept = kept[:tail]
    return kept, dropped


# --------------------------------------------------------------------------- paged documents

_PAGE_PREFIX = re.compile(r"^(\d{1,3})、")


def is_paged(lines: list[Line]) -> bool:
    """Text extracted page by page: every long line starts with its page number "1、" "2、" …"""
    texts = [ln.text for ln in lines if ln.text.strip()]
    if len(texts) < 2:
        return False
    numbers = []
    for text in texts:
        m = _PAGE_PREFIX.match(text)
        if not m or len(text) < 150:
            return False
        numbers.append(int(m.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def join_pages(lines: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """Strip page numbers and join the pages; returns the text and (offset, source line) marks."""
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    for line in lines:
        if not line.text.strip():
            continue
        body = _PAGE_PREFIX.sub("", line.text, count=1)
        marks.append((offset, line.no))
        parts.append(body)
        offset += len(body)
    return "".join(parts), marks


def _line_at(marks: list[tuple[int, int]], offset: int) -> int:
    line = marks[0][1]
    for start, no in marks:
        if start > offset:
            break
        line = no
    return line


_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’…—])[ \u3000]+(?=\S)")


def split_paged(lines: list[Line]) -> list[Line]:
    """Re-create the lines of a paged document: a space next to Chinese text was a line break."""
    text, marks = join_pages(lines)
    out: list[Line] = []
    pos = 0
    for m in [*_CJK_SPACE.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[pos:end].strip()
        if piece:
            out.append(Line(_line_at(marks, pos), piece))
        if m:
            pos = m.end()
    return out


_CN_NUM = "一二三四五六七八九十"
_L1 = re.compile(f"^[{_CN_NUM}]{{1,3}}、")


def split_run_in_headings(lines: list[Line]) -> list[Line]:
    """Split sub-headings run onto the end of the preceding text ("…现实意义一适应时代发展的需求").

    Only the next expected number is accepted (一 after a "一、" heading, then 二 …),
    taken at its last occurrence, with no sentence end after it: so "一些不足一对…"
    splits before the second 一.
    """
    out: list[Line] = []
    expected = 0
    for line in lines:
        text = line.text
        if _L1.match(text):
            expected = 0
            out.append(line)
            continue
        numeral = _CN_NUM[expected] if expected < len(_CN_NUM) else ""
        cut = text.rfind(numeral) if numeral else -1
        tail = text[cut + 1:] if cut >= 0 else ""
        fits = cut >= 0 and 2 <= len(tail) <= 40 and is_han(tail[0])
        if not fits or re.search(r"[。！？；;]", tail) or tail.startswith("是"):
            out.append(line)
            continue
        if cut > 0:
            out.append(Line(line.no, text[:cut]))
        out.append(Line(line.no, f"（{numeral}）{tail}"))
        expected += 1
    return out


# --------------------------------------------------------------------------- hard wraps

_HEADING_START = re.compile(
    f"^([{_CN_NUM}]{{1,3}}、|[（(][{_CN_NUM}\\d]{{1,3}}[）)]|\\d{{1,2}}[、.．]|第[{_CN_NUM}]+(部分|[篇章节，,、])|"
    "存在问题|整改措施|原因分析)"
)


def wrap_width(lines: list[Line]) -> int:
    """The column a PDF extraction wrapped at, or 0 if the lines were not hard-wrapped."""
    lengths = [len(ln.text) for ln in lines if len(ln.text) >= 12]
    if len(lengths) < 8:
        return 0
    mode, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if mode - 3 <= n <= mode + 2)
    if mode < 15 or mode > 60 or near < 0.6 * len(lengths):
        return 0
    return mode


def rejoin_wraps(lines: list[Line], width: int) -> list[Line]:
    """Join a full-width line with the next one unless the next starts a heading."""
    out: list[Line] = []
    joining = False
    for line in lines:
        if joining and out and line.text and not _HEADING_START.match(line.text):
            out[-1] = replace(out[-1], text=out[-1].text + line.text)
        elif line.text:
            out.append(line)
        joining = len(line.text) >= width - 4 if line.text else False
    return out


# --------------------------------------------------------------------------- substitutions


def marker_count(text: str, corrections: Corrections) -> int:
    """How many distinct tell-tales of a synonym-swap rewrite the text shows."""
    return sum(1 for m in corrections.markers if m in text)


def apply_pairs(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Literal replacements, longest pattern first, never re-replacing what was just written."""
    pairs = list(pairs)
    if not pairs:
        return text
    pattern = re.compile("|".join(re.escape(w) for w, _ in pairs))
    table = dict(pairs)
    return pattern.sub(lambda m: table[m.group(0)], text)


def unrepaired(sentence: str, corrections: Corrections) -> list[str]:
    """Suspect words left in a sentence of a rewritten document outside every ``keep`` phrase."""
    covered = [False] * len(sentence)
    for phrase in corrections.keep:
        for m in re.finditer(re.escape(phrase), sentence):
            for i in range(m.start(), m.end()):
                covered[i] = True
    found: list[str] = []
    for word in corrections.suspects:
        for m in re.finditer(re.escape(word), sentence):
            if not all(covered[m.start():m.end()]):
                found.append(word)
                break
    return found


# --------------------------------------------------------------------------- the pipeline


_GAP = re.compile(r"[ \u3000]+")
_CJKISH_END = re.compile(r"[\u3400-\u9fff。！？”）：]$")


def split_spaced_headings(lines: list[Line]) -> list[Line]:
    """Break a line where a space separates a heading from its text ("…应注意的问题 第一，…").

    clean_text would otherwise delete the space and run the heading into the text.
    A space splits only after a sentence stop, before a heading marker, or after a
    heading that has no stop yet; other spaces between Chinese words are typos.
    """
    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        start = 0
        for m in _GAP.finditer(text):
            before, after = text[start:m.start()], text[m.end():]
            if not before or not after or not _CJKISH_END.search(before):
                continue
            marker = _HEADING_START.match(before)
            if marker and marker.end() == len(before):
                continue  # "第三部分 整改措施": the space follows a bare number
            heading_before = bool(marker) and not re.search("[。！？；]", before)
            if before[-1] in "。！？”" or _HEADING_START.match(after) or heading_before:
                out.append(Line(line.no, before, line.level))
                start = m.end()
        out.append(Line(line.no, text[start:], line.level))
    return out


def clean_lines(name: str, raw: list[Line], corrections: Corrections) -> CleanDoc:
    """All line-level repairs, in the order they depend on each other."""
    lines = [replace(ln, text=ln.text.replace("\r", "")) for ln in raw]
    paged = is_paged(lines)
    lines = split_run_in_headings(split_paged(lines)) if paged else split_spaced_headings(lines)
    lines = [replace(ln, text=_tidy(ln.text)) for ln in lines]
    lines, dropped = drop_furniture(lines, name)
    width = wrap_width(lines)
    if width:
        lines = rejoin_wraps(lines, width)
    lines = [ln for ln in lines if ln.text]
    whole = "\n".join(ln.text for ln in lines)
    rewritten = marker_count(whole, corrections) >= corrections.min_markers
    pairs = (*corrections.rewrite, *corrections.fixes) if rewritten else corrections.fixes
    lines = [replace(ln, text=apply_pairs(full_width(zh_punct(ln.text)), pairs)) for ln in lines]
    return CleanDoc(name, lines, rewritten=rewritten, paged=paged, wrapped=bool(width), dropped=dropped)


_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def full_width(text: str) -> str:
    """What zh_punct leaves: ASCII marks in Chinese text not touching a Chinese character ("47.2%;46")."""
    if not has_han(text):
        return text
    positions = set(ascii_punct_in_zh(text))
    return "".join(_FULL.get(ch, ch) if i in positions else ch for i, ch in enumerate(text))


def _tidy(text: str) -> str:
    """clean_text for one line, turning spaces that separate a heading from its text into breaks later."""
    return clean_text(text).replace("\n", " ").strip()


# --------------------------------------------------------------------------- sentence checks

_CENSORED = re.compile(r"\*|＊")
_BROKEN = re.compile("„|〓|\ufffd|□{2,}")


def sentence_problem(sentence: str, doc: CleanDoc, corrections: Corrections) -> str | None:
    """Why a sentence must not reach the bank, or None when it may."""
    if _CENSORED.search(sentence):
        return "含被网站屏蔽的字词（*）"
    if _BROKEN.search(sentence):
        return "含残缺字符"
    for text, why in corrections.drops:
        if text in sentence:
            return why
    if doc.rewritten:
        left = unrepaired(sentence, corrections)
        if left:
            return f"同义词替换未修复（{'、'.join(left)}）"
    return None
