"""Chinese text normalisation shared by the miner, the spec loader and the renderer.

Drafts must use full-width punctuation in Chinese text and balanced quotes
whatever the input used, while numbers such as "47.2%" or "15:30" stay intact.
Text pasted from web pages also carries control characters, bidi marks and
zero-width characters that would corrupt a .docx or confuse a reader; they are
removed here, in one place, so every path into a draft gets the same treatment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

# Han ideographs (incl. extension A and compatibility) and CJK punctuation/full-width forms.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014"
_CJKISH = f"{_HAN}{_CJK_PUNCT}"
# Compiling a class of the Han ranges costs a few milliseconds at every start (re walks each code point of
# them): one class is compiled at import (_NON_HAN_RE, the hot one), the rest on first use, and single
# characters are tested by code point.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_CJKISH_RANGES = (*_HAN_RANGES, (0x3000, 0x303F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20), (0xFF3B, 0xFF40),
                  (0xFF5B, 0xFF65))
_CJKISH_MARKS = frozenset("\u2018\u2019\u201c\u201d\u2026\u2014")


def is_han(ch: str) -> bool:
    """Is the single character ``ch`` a Chinese character (the ranges of ``_HAN``)?"""
    code = ord(ch)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def has_han(text: str) -> bool:
    """Does ``text`` hold a Chinese character?  (No match of "only non-Han characters" over all of it.)"""
    return bool(text) and _NON_HAN_RE.fullmatch(text) is None


# Marks a permitted line break inside a title; private use, so user text can never contain it.
BREAK = "\ue000"


@lru_cache(maxsize=1)
def _strip_re() -> re.Pattern[str]:
    """What clean_text removes (compiled on first use: most texts are clean)."""
    return re.compile(
        "["
        "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls except tab, newline, carriage return
        "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"  # zero-width, bidi embeddings and isolates
        "\ue000-\uf8ff"  # private use (also our own BREAK marker)
        "\ufff0-\uffff"  # specials and noncharacters
        "\U0001f000-\U0001faff\U00002600-\U000027bf\ufe0f"  # emoji and pictographs
        "\U000e0000-\U000e007f"  # tag characters
        "\U000f0000-\U0010ffff"  # supplementary private use
        "]"
    )


_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Unicode's own line and paragraph separators and NEL are line breaks, as "\n" is.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_SPACE_RE = re.compile(r"[ \t\u00a0]+")  # the ideographic space U+3000 is kept: it separates on purpose


@lru_cache(maxsize=1)
def _space_between_cjk_re() -> re.Pattern[str]:
    """Spaces touching a Chinese character or mark (compiled on first use: few lines hold a space)."""
    return re.compile(f"(?<=[{_CJKISH}]) +|(?<! ) +(?=[{_CJKISH}])")


_SIMPLE_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT_RE = re.compile(r"[,;:?!]")


def _full_stops(text: str) -> str:
    """Each "." after a Chinese character and before the end, a space, a quote or Chinese becomes "。".

    Tested by code point (a pattern with the Han classes would cost milliseconds to compile at start).
    """
    if "." not in text:
        return text
    out = list(text)
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch == "." and i and is_han(text[i - 1]):
            after = text[i + 1] if i < last else ""
            if not after or after.isspace() or after in "\"'" or _is_cjkish(after):
                out[i] = "。"
    return "".join(out)

_ELLIPSIS_RE = re.compile(r"\.{3,}|。{3,}|„„|(?<!…)…(?!…)")  # a lone "…" is half of "……"
_PAREN_RE = re.compile(r"\(([^()]*)\)")


# Any character some step of clean_text may change (controls and newlines, every kind of space, and what
# _strip_re and _SURROGATE_RE remove): a text without one, already in NFC, is clean as it is.
_NOT_CLEAN_RE = re.compile(
    "[\x00-\x20\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ud800-\udfff"
    "\ue000-\uf8ff\ufe0f\ufeff\ufff0-\uffff\U0001f000-\U0001faff\U00002600-\U000027bf"
    "\U000e0000-\U000e007f\U000f0000-\U0010ffff]"
)


def clean_text(text: str) -> str:
    """Remove characters that have no place in a document and tidy whitespace.

    Keeps newlines (callers decide what a line break means); collapses runs of
    spaces and drops spaces next to Chinese characters, where they are typos.
    Most texts (the bank's sentences) need none of it: one search tells.
    """
    if not _NOT_CLEAN_RE.search(text) and unicodedata.is_normalized("NFC", text):
        return text
    text = _SURROGATE_RE.sub("", text)
    text = text.translate(_LINE_BREAKS)  # before stripping: NEL is a C1 control, but it means a new line
    text = _strip_re().sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    lines = [_space_between_cjk_re().sub("", line) if " " in line else line for line in lines]
    return "\n".join(lines).strip("\n")


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one line: Chinese joins without a space, two Latin words keep one."""
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


def text_block(text: str) -> str:
    """A multi-line answer read as Markdown reads it: a single line break joins the lines of one paragraph,
    a blank line starts a new one.  Paragraphs come back separated by one blank line, so the result reads
    the same again (an answers file written back as YAML keeps its paragraphs)."""
    paragraphs = (join_lines(part.split("\n")) for part in re.split(r"\n[ \t\u3000]*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _is_cjkish(ch: str) -> bool:
    """Is ``ch`` (one character, or "" for none) Chinese: a Han character or a Chinese mark?"""
    if not ch:
        return False
    code = ord(ch)
    return ch in _CJKISH_MARKS or any(low <= code <= high for low, high in _CJKISH_RANGES)


def _near_cjk(text: str, start: int, end: int) -> bool:
    """Is the character before ``start`` or at ``end`` (skipping spaces) Chinese?"""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    j = end
    while j < len(text) and text[j] == " ":
        j += 1
    return _is_cjkish(text[i] if i >= 0 else "") or _is_cjkish(text[j] if j < len(text) else "")


def _convert_simple(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ch = m.group(0)
        start, end = m.start(), m.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        # Keep "1,000", "15:30", "3:1" and URLs: digits or Latin letters on both sides.
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            return ch
        return _SIMPLE_PUNCT[ch] if _near_cjk(text, start, end) else ch

    # Until nothing changes: a mark converted makes its neighbour (",," → "，,") Chinese-adjacent too.
    previous = None
    while previous != text:
        previous = text
        text = _PUNCT_RE.sub(repl, text)
    return text


def _convert_parens(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        inner = m.group(1)
        if has_han(inner) or _near_cjk(text, m.start(), m.end()):
            return f"（{inner}）"
        return m.group(0)

    previous = None
    while previous != text:
        previous = text
        text = _PAREN_RE.sub(repl, text)
    return text


def _balance_pair(text: str, straight: str, opening: str, closing: str) -> str:
    """Turn straight quotes into curly pairs and drop marks that have no partner."""
    if straight in text:
        out: list[str] = []
        open_next = True
        for ch in text:
            if ch == straight:
                out.append(opening if open_next else closing)
                open_next = not open_next
            else:
                out.append(ch)
        text = "".join(out)
    if opening not in text and closing not in text:
        return text
    # Match curly quotes left to right; unmatched marks are removed rather than guessed.
    keep = [True] * len(text)
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == opening:
            stack.append(i)
        elif ch == closing:
            if stack:
                stack.pop()
            else:
                keep[i] = False
    for i in stack:
        keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)


def balance_quotes(text: str) -> str:
    """Curly, balanced double and single quotes; marks without a partner are dropped."""
    text = _balance_pair(text, '"', "“", "”")
    if "'" in text and has_han(text):
        text = _balance_pair(text, "'", "‘", "’")
    elif "‘" in text or "’" in text:
        text = _balance_pair(text, "\x00", "‘", "’")
    return text


def zh_punct(text: str) -> str:
    """Full-width punctuation in Chinese text; numbers, times and Latin text untouched."""
    if not has_han(text):
        return text
    text = _ELLIPSIS_RE.sub("……", text)
    text = _convert_parens(text)
    text = _convert_simple(text)
    text = _full_stops(text)
    return balance_quotes(text)


def normalize(text: str) -> str:
    """Everything a user-supplied string needs before it goes into a draft.

    Idempotent, so that a draft read back (``import``) normalises to itself: a space that
    only came to touch Chinese punctuation when "," became "，", or a line that only began
    with a space once an unpaired quote was dropped, is tidied in a second round.
    """
    done = zh_punct(clean_text(text))
    for _ in range(4):  # a second round only when punctuation moved spaces or quotes around
        if done == text:
            break
        text, done = done, zh_punct(clean_text(done))
    return done


def display_width(text: str) -> float:
    """Width in em: Chinese and full-width characters count 1, ASCII (Times New Roman) about 0.5."""
    width = 0.0
    for ch in text:
        if ch.isascii():
            width += 0.5
        elif unicodedata.east_asian_width(ch) in "WF":
            width += 1.0
        else:
            width += 1.0 if ch in "“”‘’…—" else 0.5
    return width


@lru_cache(maxsize=1)
def _half_width_in_zh() -> re.Pattern[str]:
    # compiled when first used: only the checker asks, and a class of Chinese characters takes a
    # few milliseconds to compile, which every start of draftgen would pay
    return re.compile(f"(?<=[{_HAN}])[,;:?!()]|[,;:?!()](?=[{_HAN}])")


def half_width_punct(text: str) -> list[int]:
    """Offsets of half-width punctuation touching Chinese characters (for the checker)."""
    return [m.start() for m in _half_width_in_zh().finditer(text)]


def unbalanced_quotes(text: str) -> bool:
    """True when curly or straight double quotes do not pair up."""
    depth = 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth < 0:
                return True
    return depth != 0 or text.count('"') % 2 == 1


# --------------------------------------------------------------------------- sentences

_SENTENCE_END = "。！？"
_CLOSERS = "”’）》」』"
_OPENERS = {"“": "”", "‘": "’", "（": "）", "《": "》"}


def split_sentences(text: str, *, semicolons: bool = False) -> list[str]:
    """Split Chinese text after 。！？ (and …… at a clause end), never inside quotes or brackets.

    Closing quotes and brackets right after the stop stay with the sentence, so
    “……。” is one sentence.  With ``semicolons`` a full-width ； also ends a
    piece (used to cut long lists of manifestations into readable units).
    """
    out: list[str] = []
    depth: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
            # “……。” — a stop just inside the closing quote ends the sentence.
            if not depth and ch in "”’" and i and text[i - 1] in _SENTENCE_END:
                j = i + 1
                piece = text[start:j].strip()
                if piece:
                    out.append(piece)
                start = i = j
                continue
        ends = ch in _SENTENCE_END or (semicolons and ch == "；")
        if ch == "…" and i + 1 < n and text[i + 1] == "…":
            i += 1
            ends = i + 1 >= n or text[i + 1] in _SENTENCE_END or (i + 1 < n and not is_han(text[i + 1]))
        if ends and not depth:
            j = i + 1
            while j < n and (text[j] in _CLOSERS or text[j] in _SENTENCE_END):
                j += 1
            piece = text[start:j].strip()
            if piece:
                out.append(piece)
            start = i = j
            continue
        i += 1
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


_NON_HAN_RE = re.compile(f"[^{_HAN}]+")


def han_only(text: str) -> str:
    """The Chinese characters of ``text`` alone: a key for ids, duplicate detection and shingles."""
    return _NON_HAN_RE.sub("", text)


def bigrams(text: str) -> set[str]:
    """Pairs of adjacent characters: closeness of wording without word segmentation (no jieba at run time)."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


def han_pairs(text: str) -> set[str]:
    """Pairs of adjacent Chinese characters, never across punctuation or other script ("，只" is no pair)."""
    return {run[i : i + 2] for run in _NON_HAN_RE.split(text) for i in range(len(run) - 1)}


def shingles(text: str, size: int, *, whole_if_short: bool = False) -> set[str]:
    """Runs of ``size`` consecutive Chinese characters (everything else dropped).

    ``whole_if_short`` gives a text shorter than ``size`` one shingle of its own (the miner compares
    short items too); otherwise such a text has none.
    """
    han = han_only(text)
    if whole_if_short:
        return {han[i : i + size] for i in range(max(1, len(han) - size + 1))}
    return {han[i : i + size] for i in range(len(han) - size + 1)}


_ASCII_PUNCT_RE = re.compile(r"[,;:?!()]")


def ascii_punct_in_zh(text: str) -> list[int]:
    """Offsets of ASCII punctuation in a text that contains Chinese, wherever it sits.

    Stricter than :func:`half_width_punct` (which looks only next to Chinese
    characters): "47.2%;46" is Chinese text too.  Left alone: a mark between two
    ASCII letters or digits ("1,000", "15:30", "v1.0;x"), and text with no Chinese.
    """
    if not has_han(text):
        return []
    found = []
    for m in _ASCII_PUNCT_RE.finditer(text):
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            continue
        found.append(i)
    return found


# --------------------------------------------------------------------------- clause alternatives

# ``{甲|乙}`` in bank entries and set phrases: one of the options is taken in each draft.  A ``{name}``
# without "|" is a slot of a set phrase (filled with str.format), never an alternative.
ALTERNATIVE_RE = re.compile(r"\{([^{}]*\|[^{}]*)\}")
_SENTENCE_STOPS = "。！？；"

Template = list[str | tuple[str, ...]]  # literal pieces and groups of options, in order


def alternatives_problem(text: str, *, slots: bool = False) -> str:
    """Why ``text``'s ``{甲|乙}`` groups are malformed (in Chinese), or "" when they are fine.

    No nesting, no empty option, no sentence end inside an option (each sentence is varied on its
    own), and no stray ``{`` ``}`` ``|`` (``slots``: set phrases may also hold ``{name}`` slots).
    """
    if slots:  # slots may sit inside an option: they are filled before the options are chosen
        text = re.sub(r"\{[A-Za-z_]+\}", "", text)
    for m in ALTERNATIVE_RE.finditer(text):
        options = m.group(1).split("|")
        if any(not o.strip() for o in options):
            return f"“{m.group(0)}”中有空的选项"
        if any(ch in m.group(1) for ch in _SENTENCE_STOPS):
            return f"“{m.group(0)}”的选项里不能有句号、分号等句末标点"
    rest = ALTERNATIVE_RE.sub("", text)
    for mark in "{}|":
        if mark in rest:
            at = rest.index(mark)
            return f"“{rest[max(0, at - 8): at + 8]}”处的“{mark}”不成对或有嵌套（写法应为 {{甲|乙}}）"
    return ""


def template_sentences(text: str) -> list[Template]:
    """``text`` as sentences (ending at 。！？；), each a list of literal pieces and option groups."""
    parts: Template = []
    pos = 0
    for m in ALTERNATIVE_RE.finditer(text):
        parts.append(text[pos:m.start()])
        parts.append(tuple(m.group(1).split("|")))
        pos = m.end()
    parts.append(text[pos:])
    out: list[Template] = []
    current: Template = []
    for part in parts:
        if isinstance(part, tuple):
            current.append(part)
            continue
        start = 0
        for i, ch in enumerate(part):
            if ch in _SENTENCE_STOPS:
                current.append(part[start:i + 1])
                out.append(current)
                current, start = [], i + 1
        if part[start:]:
            current.append(part[start:])
    if current:
        out.append(current)
    return out


def fill_sentence(sentence: Template, choice: tuple[int, ...]) -> str:
    """One sentence with the ``choice``-th option of each of its groups."""
    picks = iter(choice)
    return "".join(part if isinstance(part, str) else part[next(picks) % len(part)] for part in sentence)


@lru_cache(maxsize=8192)
def plain_alternatives(text: str) -> str:
    """The first option of every group: what an entry reads like when nobody varies it."""
    return ALTERNATIVE_RE.sub(lambda m: m.group(1).split("|")[0], text)


def option_texts(text: str) -> list[str]:
    """``text`` read once with every group's first option, once with every second option, and so on
    (a group with fewer options starts again): each option is read in place, within its sentence."""
    sizes = [m.group(1).count("|") + 1 for m in ALTERNATIVE_RE.finditer(text)]

    def reading(k: int) -> str:
        def option(match: re.Match[str]) -> str:
            options = match.group(1).split("|")
            return options[k % len(options)]
        return ALTERNATIVE_RE.sub(option, text)

    return [reading(k) for k in range(max(sizes, default=1))]


def expand_groups(text: str, choice: Sequence[int]) -> str:
    """``text`` with the ``choice[i]``-th option of its i-th group (slots such as ``{meeting}`` kept)."""
    picks = iter(choice)
    return ALTERNATIVE_RE.sub(lambda m: m.group(1).split("|")[next(picks) % (m.group(1).count("|") + 1)], text)


_SLOT_RE = re.compile(r"\{([A-Za-z_]+)\}")


def fill_slots(text: str, values: Mapping[str, str]) -> str:
    """``{name}`` slots of a set phrase filled from ``values``; unknown slots stay for a later fill.

    Unlike str.format, braces in the values (a member's own words) are never read as slots.
    """
    return _SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
