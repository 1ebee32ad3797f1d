"""Cut clean lines into articles, sections and items.

Sample materials share one outline (存在问题 → 原因分析 → 整改措施) but number it in
many ways: "一、", "（一）", "1、", "1.", "（1）", "一是……二是……" inside a paragraph,
"第一，", "存在问题一：…整改措施：…" pairs, or a sub-heading alone on its line with
the text in the next paragraph.  The segmenter turns every form into
:class:`Item` records (a title phrase and its body) and remembers the context
each sits in: the article, the section's kind as its heading or a lead-in
sentence ("主要有以下几个方面：") names it, and the nearest review-area heading.
It decides nothing about wording; :mod:`generator.mining.classify` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.mining.clean import Line
from generator.mining.data import Cues
from generator.text import split_sentences

_NUM = "一二三四五六七八九十"
_L1 = re.compile(f"^(?:([{_NUM}]{{1,3}})、|第([{_NUM}]{{1,3}})(?:部分|章)[：:、]?)\\s*")
_L2 = re.compile(f"^[（(]([{_NUM}]{{1,3}})[）)]\\s*")
_L3 = re.compile(r"^(?:(\d{1,2})[、．.](?!\d)|[（(](\d{1,2})[）)]|(\d{1,2})）)\s*")
_L4 = re.compile(f"^(?:([{_NUM}])是|第([{_NUM}])[，、：:])")
_INLINE = re.compile(f"(?:^|(?<=[。；！？：，”]))(?:([{_NUM}])是|第([{_NUM}])[，：])")
_LABEL = re.compile(
    f"(?:^|(?<=[。；！？”]))(?:(?:存在)?问题([{_NUM}\\d]{{1,2}})|(整改措施|整改方向|措施)|(原因分析|原因|问题根源))[：:]"
)
_ARTICLE = re.compile(f"^第[{_NUM}\\d]{{1,3}}篇|篇\\s*[{_NUM}\\d]{{1,3}}$")
_STOPS = re.compile("[。！？；]")
_AREA = re.compile(r"方面[：:]?$|^在.{2,20}方面")
_CLOSING = re.compile(r"^(总之|总在|综上|以上|最后|今后|在今后|下一步|此外)")
_MEASURE_LEAD = ("措施", "对策", "建议", "整改", "针对", "抓起", "着手", "做起", "解决", "努力")
_LEAD_LEVEL = 9  # a lead-in sentence scopes the items after it, below any numbered section


@dataclass
class Item:
    """One problem, cause or measure candidate, with the context it was found in."""

    title: str
    text: str
    line: int
    article: int
    context: str | None = None  # kind named by the section heading or lead-in
    area: str = ""  # nearest review-area heading (a dimension hint)
    area_weight: float = 0.0
    label: str = ""  # "一" for 存在问题一
    answers: str = ""  # the label of the problem this measure or cause answers
    form: str = ""  # the heading form that produced it, for tests and the report


@dataclass
class _State:
    article: int = 1
    seen_content: bool = False
    kinds: dict[int, str | None] = field(default_factory=dict)  # level → section kind
    area: str = ""
    area_weight: float = 0.0
    last_label: str = ""

    def kind(self) -> str | None:
        for level in sorted(self.kinds, reverse=True):
            if self.kinds[level] is not None:
                return self.kinds[level]
        return None

    def set_kind(self, level: int, kind: str | None) -> None:
        self.kinds = {k: v for k, v in self.kinds.items() if k < level}
        self.kinds[level] = kind

    def new_article(self) -> None:
        if self.seen_content:
            self.article += 1
        self.seen_content = False
        self.kinds = {}
        self.area, self.area_weight, self.last_label = "", 0.0, ""


# --------------------------------------------------------------------------- small predicates


def _ends_sentence(text: str) -> bool:
    return bool(_STOPS.search(text))


def section_kind(heading: str, cues: Cues) -> str | None:
    """The kind a heading names: 原因 beats 问题 ("产生问题的原因"), 问题+措施 together name none."""
    found = {kind for kind, words in cues.sections.items() if any(w in heading for w in words)}
    if "cause" in found:
        return "cause"
    if {"problem", "measure"} <= found:
        return None
    for kind in ("measure", "problem", "other"):
        if kind in found:
            return kind
    return None


def lead_in_kind(sentence: str, cues: Cues) -> tuple[bool, str | None]:
    """Is this a lead-in ("主要有以下几个方面：") and which kind does it announce?"""
    is_lead = sentence.rstrip().endswith(("：", ":")) or any(w in sentence for w in cues.lead_in)
    if not is_lead:
        return False, None
    if any(w in sentence for w in ("原因", "根源", "根子", "病根")):
        return True, "cause"
    if any(w in sentence for w in _MEASURE_LEAD):
        return True, "measure"
    if any(w in sentence for w in ("问题", "不足", "差距", "表现")):
        return True, "problem"
    if any(w in sentence for w in ("体会", "收获", "意义", "做法", "经验", "认识")):
        return True, "other"
    return True, None


def split_title(body: str) -> tuple[str, str]:
    """A heading phrase and the rest: "主动学习有所欠缺。虽然……" → ("主动学习有所欠缺", "虽然……")."""
    sentences = split_sentences(body)
    if not sentences:
        return "", ""
    first = sentences[0]
    rest = body[len(first):].strip() if body.startswith(first) else "".join(sentences[1:])
    if not _ends_sentence(first) or len(first) > 40:
        # One long sentence: a title only when it is a short clause before a full stop.
        return ("", body) if _ends_sentence(body) else (body.strip("，,：: "), "")
    return first.rstrip("。！？；").strip(), rest


def heading_of(line: Line) -> tuple[int, str, str] | None:
    """(level, marker, rest) for a numbered line, or None for plain text."""
    text = line.text
    for level, pattern in ((1, _L1), (2, _L2), (3, _L3), (4, _L4)):
        m = pattern.match(text)
        if m:
            marker = next(g for g in m.groups() if g)
            return level, marker, text[m.end():].strip()
    if line.level:
        return min(line.level, 3), "", text
    return None


def inline_items(text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """Split "……：一是……二是……" into its lead and (numeral, segment) pairs; None if not a list."""
    found = []
    expected = 0
    for m in _INLINE.finditer(text):
        numeral = m.group(1) or m.group(2)
        if numeral == _NUM[expected]:
            found.append(m)
            expected += 1
            if expected >= len(_NUM):
                break
    if len(found) < 2:
        return None
    lead = text[: found[0].start()].strip()
    parts = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        parts.append((m.group(1) or m.group(2), text[m.end():end].strip()))
    return lead, parts


def is_article_break(text: str, titles: list[str]) -> bool:
    """"……篇1", "第二篇：……", or the page title repeated with a number ("……存在的问题二")."""
    if _ends_sentence(text) or len(text) > 60:
        return False
    if _ARTICLE.search(text):
        return True
    m = re.match(f"^(.{{8,}}?)([{_NUM}]{{1,2}}|\\d{{1,2}})$", text)
    return bool(m and any(m.group(1) in t for t in titles))


def is_title_line(text: str) -> bool:
    """A short line without any sentence stop or comma: a title, a byline, an unnumbered heading.

    A line with a comma but no stop is a paragraph that lost its full stop (a
    paged extraction), not a title.
    """
    return len(text) <= 36 and not _ends_sentence(text) and not re.search("[，：:]", text)


# --------------------------------------------------------------------------- the segmenter


class _Segmenter:
    def __init__(self, lines: list[Line], cues: Cues) -> None:
        self.lines = lines
        self.cues = cues
        self.state = _State()
        self.items: list[Item] = []
        self.titles = [ln.text for ln in lines[:3] if is_title_line(ln.text)]
        self.inline_seen: set[int] = set()  # levels whose items carry their text on the heading line
        self.after_section = False  # the previous line was a section heading

    def emit(self, title: str, text: str, line: int, form: str, *, label: str = "", answers: str = "",
             kind: str | None = None) -> None:
        st = self.state
        st.seen_content = True
        self.items.append(Item(title, text, line, st.article, kind or st.kind(), st.area, st.area_weight,
                               label, answers, form))

    def run(self) -> list[Item]:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        return self.items

    def step(self, i: int) -> int:
        after = self.after_section
        nxt = self._step(i)
        if after:
            self.after_section = False
        return nxt

    def _step(self, i: int) -> int:
        line = self.lines[i]
        text = line.text
        st = self.state
        if is_article_break(text, self.titles):
            st.new_article()
            self.inline_seen.clear()
            return i + 1
        if _LABEL.search(text) and self.labelled(i):
            return i + 1 + self.label_body_used
        head = heading_of(line)
        if head and not (head[0] == 4 and inline_items(text)):
            return self.heading(i, *head)
        if is_title_line(text):
            kind = section_kind(text, self.cues) if len(text) <= 16 else None
            if st.seen_content and kind:
                st.set_kind(1, kind)
                st.area, st.area_weight = "", 0.0
            elif st.seen_content:
                st.new_article()
            return i + 1
        return self.paragraph(i)

    # -- numbered headings

    def heading(self, i: int, level: int, marker: str, rest: str) -> int:
        st = self.state
        self.inline_seen = {lv for lv in self.inline_seen if lv <= level}
        title, body = split_title(rest)
        if not title and not body:
            return i + 1  # a number alone on its line
        is_lead, lead_kind = lead_in_kind(body, self.cues) if body else (False, None)
        named = section_kind(title, self.cues)
        if named == "other" and re.search("[，；]", title):
            named = None  # "学习笔记记得不认真，心得体会写得空泛" is an item that mentions 体会, not a section
        if named and (not body or is_lead):
            st.set_kind(level, lead_kind or named)
            st.area, st.area_weight = (title, 0.5) if named != "other" else ("", 0.0)
            st.seen_content = True
            self.inline_seen.clear()
            self.after_section = True
            return i + 1
        if level == 1 and 1 in st.kinds:
            st.kinds = {}  # a plain "三、……" after the section "二、存在的问题" ends that section
        if body:
            self.inline_seen.add(level)
            self.emit(title, body, self.lines[i].no, f"L{level}")
            return i + 1
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        deeper = nxt is not None and (h := heading_of(nxt)) is not None and h[0] > level
        listy = nxt is not None and not heading_of(nxt) and inline_items(nxt.text) is not None
        if _AREA.search(title) or deeper or listy:
            st.area, st.area_weight = title, 2.0
            st.seen_content = True
            return i + 1
        if nxt is not None and level not in self.inline_seen and self.is_body(nxt):
            self.emit(title, nxt.text, self.lines[i].no, f"L{level}")
            return i + 2
        # A heading that is a whole statement, its siblings carrying no separate text.
        self.inline_seen.add(level)
        self.emit("", title + "。", self.lines[i].no, f"L{level}")
        return i + 1

    def opens_list(self, i: int) -> bool:
        """Is line ``i`` followed by numbered items or an inline list?"""
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        if nxt is None:
            return False
        head = heading_of(nxt)
        return (head is not None and head[0] >= 2) or inline_items(nxt.text) is not None

    def is_body(self, line: Line) -> bool:
        """Can this plain paragraph be the text of the title-only heading before it?"""
        text = line.text
        return not (heading_of(line) or is_title_line(text) or _LABEL.search(text)
                    or is_article_break(text, self.titles) or lead_in_kind(text, self.cues)[0]
                    or _CLOSING.match(text))

    # -- plain paragraphs

    def paragraph(self, i: int) -> int:
        st = self.state
        line = self.lines[i]
        listed = inline_items(line.text)
        if listed:
            lead, parts = listed
            kind = st.kind()
            if lead:
                is_lead, lead_kind = lead_in_kind(lead, self.cues)
                named = section_kind(lead, self.cues) if len(lead) <= 24 else None
                kind = lead_kind or (named if named != "other" else None) or kind
            for _numeral, segment in parts:
                title, body = split_title(segment)
                self.emit(title, body, line.no, "一是", kind=kind)
            return i + 1
        sentences = split_sentences(line.text)
        is_lead, lead_kind = lead_in_kind(sentences[-1] if sentences else line.text, self.cues)
        if self.after_section and self.opens_list(i):
            # The paragraph between a section heading and its numbered items introduces them.
            self.after_section = False
            if lead_kind:
                st.set_kind(_LEAD_LEVEL, lead_kind)
            return i + 1
        if is_lead and len(sentences) <= 3:
            if lead_kind:
                st.set_kind(_LEAD_LEVEL, lead_kind)
            st.seen_content = True
            return i + 1
        title, body = split_title(line.text)
        if title and body and len(title) <= 20:
            self.emit(title, body, line.no, "段落")
        else:
            self.emit("", line.text, line.no, "段落")
        return i + 1

    # -- 存在问题一：…整改措施：… pairs

    label_body_used = 0

    def labelled(self, i: int) -> bool:
        """Handle a paragraph holding labelled parts; False if the labels are not at sentence starts."""
        line = self.lines[i]
        text = line.text
        marks = list(_LABEL.finditer(text))
        if not marks:
            return False
        st = self.state
        self.label_body_used = 0
        if len(marks) == 1 and marks[0].start() == 0 and not marks[0].group(1) \
                and not text[marks[0].end():].strip():
            st.set_kind(1, "measure" if marks[0].group(2) else "cause")  # "整改措施：" alone: a section
            st.seen_content = True
            return True
        lead = text[: marks[0].start()].strip()
        if lead:
            self.emit(*split_title(lead), line.no, "段落")
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            title, body = split_title(text[m.end():end].strip())
            last = k + 1 == len(marks)
            if last and not body:
                body = self.borrow_body(i)
            if m.group(1):
                st.last_label = m.group(1)
                self.emit(title, body, line.no, "存在问题", label=m.group(1), kind="problem")
            elif m.group(2):
                self.emit(title, body, line.no, "整改措施", answers=st.last_label, kind="measure")
            else:
                self.emit(title, body, line.no, "原因", answers=st.last_label, kind="cause")
        return True

    def borrow_body(self, i: int) -> str:
        """The plain paragraphs after a labelled title that carry its text (at most two)."""
        parts: list[str] = []
        j = i + 1
        while j < len(self.lines) and len(parts) < 2:
            nxt = self.lines[j]
            if heading_of(nxt) or _LABEL.search(nxt.text) or is_title_line(nxt.text) \
                    or is_article_break(nxt.text, self.titles):
                break
            parts.append(nxt.text)
            j += 1
        self.label_body_used = len(parts)
        return "".join(parts)


def segment(lines: list[Line], cues: Cues) -> list[Item]:
    """All items of one cleaned document, in reading order."""
    return _Segmenter(lines, cues).run()
