"""How alike two drafts read: the measure reviewers' complaints about look-alike materials come down to.

A draft's *shingles* are its runs of 8 consecutive Chinese characters (other
characters dropped) over the problem, cause and measure sections.  The share
of one draft's shingles found in another says how much of it was copied; the
composer's tests and benchmark, ``batch --explain`` and ``check`` all use this
one definition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generator.doctree import Document, Heading, Paragraph, Table
from generator.text import han_only
from generator.text import shingles as text_shingles

SHINGLE = 8
_SENTENCE_RE = re.compile(r"[^。！？；]+[。！？；]?")
# Level-1 headings that open the sections compared ("存在的问题", "问题产生的原因", "整改措施" and kin).
_SECTION_RE = re.compile(r"问题|原因|根源|整改|措施|努力方向|对策")
_NOT_COMPARED_RE = re.compile(r"上年度|整改落实情况|典型案例")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Runs of ``size`` Chinese characters (default :data:`SHINGLE`): see :func:`generator.text.shingles`."""
    return text_shingles(text, size)


def containment(a: set[str], b: set[str]) -> float:
    """Share of ``a`` found in ``b`` (0 when ``a`` is empty)."""
    return len(a & b) / len(a) if a else 0.0


def compared_text(doc: Document) -> str:
    """The problem, cause and measure sections of a draft (what reviewers compare)."""
    out: list[str] = []
    inside = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = bool(_SECTION_RE.search(block.text)) and not _NOT_COMPARED_RE.search(block.text)
            continue
        if not inside:
            continue
        if isinstance(block, Heading | Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend("".join(s.text for s in cell) for row in block.rows for cell in row)
    return "\n".join(out)


def sentences(text: str, min_len: int = 20) -> set[str]:
    """Sentences of at least ``min_len`` Chinese characters, as Chinese characters only."""
    found = (han_only(m.group(0)) for m in _SENTENCE_RE.finditer(text))
    return {s for s in found if len(s) >= min_len}


def shared_passages(a: str, b: str, size: int = SHINGLE, min_len: int = 12) -> list[str]:
    """Stretches of ``a`` (Chinese characters only) that also occur in ``b``, longest first."""
    han = han_only(a)
    other = shingles(b, size)
    passages: list[str] = []
    start = None
    for i in range(len(han) - size + 2):
        hit = i <= len(han) - size and han[i : i + size] in other
        if hit and start is None:
            start = i
        elif not hit and start is not None:
            passage = han[start : i - 1 + size]
            if len(passage) >= min_len:
                passages.append(passage)
            start = None
    return sorted(passages, key=len, reverse=True)


def pairwise(texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """``(i, j, share of i found in j)`` for every ordered pair."""
    sets = [shingles(t) for t in texts]
    return [(i, j, containment(sets[i], sets[j])) for i in range(len(sets)) for j in range(len(sets)) if i != j]


def sentence_spread(texts: Iterable[str], min_len: int = 20) -> dict[str, int]:
    """In how many of the texts each long sentence appears."""
    counts: dict[str, int] = {}
    for text in texts:
        for s in sentences(text, min_len):
            counts[s] = counts.get(s, 0) + 1
    return counts
