"""The Chinese outline of a self-review: heading numbers, heading levels, and which section a heading opens.

Materials number their outline "一、" → "（一）" → "1." → "（1）", whatever styles
the author used; the three required sections are named in many ways
("存在的问题" / "查摆的问题", "原因分析" / "问题产生的根源", "整改措施" / "努力方向").
These heuristics live here once, for the .docx reader (headings typed as body
text), ``check`` (the outline rules) and ``import`` (back into a spec).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.doctree import Block, Heading

CN_DIGITS = "一二三四五六七八九十"

# Level 1..4 heading numbers, in order.
HEADING_NUMBER_RES = (
    re.compile(f"^[{CN_DIGITS}]+[、．.]"),
    re.compile(f"^[（(][{CN_DIGITS}]+[）)]"),
    re.compile(r"^\d{1,2}[.．、](?!\d)"),
    re.compile(r"^[（(]\d{1,2}[）)]"),
)
NUMBER_RE = re.compile(f"^\\s*(?:[{CN_DIGITS}]+[、．.]|[（(][{CN_DIGITS}\\d]+[）)]|\\d{{1,2}}[.．、](?!\\d))\\s*")
SENTENCE_MARK_RE = re.compile(r"[。，；：！？,;:!?]")
DATE_LINE_RE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月"
                          r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日\s*$")
# What a document title says it is (the material's kind), as opposed to a section heading.
_TITLE_WORDS_RE = re.compile(r"对照检查材料|检视剖析材料|发言提纲|问题清单|整改方案|整改台账|检查材料|剖析材料|"
                             r"组织生活会|民主生活会|专题会议")

SECTIONS = (("problems", "存在的问题"), ("causes", "问题产生的原因"), ("measures", "整改措施"))


def heading_number_level(text: str) -> int:
    """The level (1–4) its number gives a heading ("一、" → 1, "（一）" → 2, "1." → 3, "（1）" → 4), else 0."""
    text = text.strip()
    for level, pattern in enumerate(HEADING_NUMBER_RES, 1):
        if pattern.match(text):
            return level
    return 0


def strip_number(text: str) -> str:
    """The heading without its number: "（二）党性修养方面" → "党性修养方面"."""
    return NUMBER_RE.sub("", text, count=1).strip()


def typed_heading_level(text: str, bold: bool) -> int:
    """The level of a heading typed as body text ("一、" "（一）", bold "1." "（1）"), else 0."""
    text = text.strip()
    if not text or len(text) > 40 or "。" in text.rstrip("。"):
        return 0
    level = heading_number_level(text)
    if level and (level <= 2 or bold) and not text.endswith(("；", "，")):
        return level
    return 0


def looks_like_title(text: str) -> bool:
    """A line that names the material (…对照检查材料, …整改方案), not a numbered section heading."""
    text = text.strip()
    return bool(text) and not heading_number_level(text) and len(text) <= 80 and "。" not in text \
        and bool(_TITLE_WORDS_RE.search(text))


def section_kind(heading: str) -> str:
    """Which of the three required sections a level-1 heading opens: problems, causes, measures ("" for others)."""
    text = strip_number(heading)
    if re.search(r"上年度|落实情况|案例|基本情况", text):
        return ""
    if re.search(r"原因|根源|剖析", text):
        return "causes"
    if re.search(r"整改|措施|努力方向|对策", text):
        return "measures"
    if "问题" in text:
        return "problems"
    return ""


def last_year_heading(heading: str) -> bool:
    """A heading that opens the account of last year's rectification (上年度整改落实情况)."""
    text = strip_number(heading)
    return bool(re.search(r"上年度|上一年度|去年|上次|整改落实情况", text)) and "措施" not in text


@dataclass(frozen=True)
class Start:
    """Where a level-1 section starts: the block index, its kind, its heading, and whether the heading was missing."""

    index: int
    kind: str
    heading: str
    restored: bool = False


_FIRST_L2_RE = re.compile(r"^\s*[（(]一[）)]")


def section_starts(blocks: Sequence[Block]) -> list[Start]:
    """The level-1 sections of a body, restored when the author deleted the level-1 headings.

    With level-1 headings, each one starts a section (kind "" for sections other than the three).
    Without any, the level-2 numbering restarting at "（一）" shows where sections began: three
    runs are problems, causes and measures; two are problems and measures.
    """
    starts = [Start(i, section_kind(b.text), b.text) for i, b in enumerate(blocks)
              if isinstance(b, Heading) and b.level == 1]
    if starts:
        return starts
    runs = [i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 2 and _FIRST_L2_RE.match(b.text)]
    kinds = {3: ("problems", "causes", "measures"), 2: ("problems", "measures")}.get(len(runs))
    if kinds is None:
        return []
    titles = dict(SECTIONS)
    return [Start(i, kind, titles[kind], True) for i, kind in zip(runs, kinds, strict=True)]
