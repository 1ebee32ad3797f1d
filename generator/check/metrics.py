"""The figures a reviewer's complaints come down to, computed in one place for ``check`` and the benchmarks.

``draftgen check`` (rules proportion, too-short, shared-sentence) and ``benchmarks/branch_metrics.py`` (the
figures issue 12 set targets on) both call these functions, so a draft's numbers are the same wherever they
are quoted:

* the numbered items of the three sections (:func:`items`), read from the outline as check reads it;
* long sentences (:func:`long_sentences`): at least ``shared-sentence.min_han`` Chinese characters with the
  【待补充…】 placeholders removed, keyed by their Chinese characters;
* :class:`Figures` of one draft: its length, the part in 查摆问题 and 剖析原因, problems and measures;
* :func:`shared_shares`: per draft, the share of its long sentences found in another draft.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from generator.check.base import outline_parts
from generator.doctree import Document, Heading, Paragraph, Table
from generator.ooxml.reader import ReadDocx, Source
from generator.outline import strip_number
from generator.render import PLACEHOLDER_RE
from generator.text import han_only

_SENTENCE_RE = re.compile(r"[^。！？；]+[。！？；]?")


# --------------------------------------------------------------------------- items of the outline


@dataclass(frozen=True)
class Item:
    """A problem, cause or measure: its text and where it is."""

    kind: str  # problems | causes | measures
    area: str  # the level-2 heading it sits under ("" when none)
    text: str
    source: Source | None


def block_sources(read: ReadDocx) -> dict[int, Source]:
    out: dict[int, Source] = {}
    for src in read.sources:
        if src.block is not None and src.table is None:
            out.setdefault(src.block, src)
    return out


def items(read: ReadDocx) -> list[Item]:
    """The numbered items of the three sections; a level-3 heading item takes the paragraph under it."""
    doc = read.document
    sources = block_sources(read)
    out: list[Item] = []
    for kind, parts in outline_parts(doc).items():
        if kind not in ("problems", "causes", "measures"):
            continue
        for part in parts:
            indices = part.items()
            for n, index in enumerate(indices):
                block = doc.blocks[index]
                text = block.text if isinstance(block, Paragraph | Heading) else ""
                if isinstance(block, Heading):
                    end = indices[n + 1] if n + 1 < len(indices) else index + 2
                    text += "".join(b.text for b in doc.blocks[index + 1:end] if isinstance(b, Paragraph))
                out.append(Item(kind, part.heading, text, sources.get(index)))
    return out


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class LongSentence:
    key: str  # its Chinese characters alone
    shown: str  # as written


def long_sentences(text: str, shortest: int) -> list[LongSentence]:
    """Sentences of ``text`` with at least ``shortest`` Chinese characters, placeholders removed."""
    out = []
    for m in _SENTENCE_RE.finditer(PLACEHOLDER_RE.sub("", text)):
        shown = m.group(0).strip()
        key = han_only(shown)
        if len(key) >= shortest:
            out.append(LongSentence(key, shown))
    return out


def body_paragraphs(doc: Document) -> list[str]:
    """The text of every body paragraph in order: opening to closing, no title, headings or signature."""
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def shared_shares(drafts: Sequence[Collection[str]],
                  together: Callable[[int, int], bool] | None = None) -> list[float]:
    """For each draft (its long sentences' keys), the share of them found in at least one other draft.

    ``together(i, j)`` says whether two drafts are compared at all (check leaves out the documents of one
    unit's set and two versions of one author's draft); by default every pair is.
    """
    sets = [set(d) for d in drafts]
    holders: dict[str, list[int]] = defaultdict(list)  # linear in the stack: each key knows its drafts
    for i, keys in enumerate(sets):
        for k in keys:
            holders[k].append(i)
    out = []
    for i, keys in enumerate(sets):
        shared = sum(any(j != i and (together is None or together(i, j)) for j in holders[k]) for k in keys)
        out.append(shared / len(keys) if keys else 0.0)
    return out


# --------------------------------------------------------------------------- one draft's figures


@dataclass(frozen=True)
class Figures:
    """One draft's length, proportions and counts."""

    length: int  # Chinese characters of the body (paragraphs, headings, tables), placeholders included
    han: int  # the same without the 【待补充…】 placeholders
    analysed: int  # of ``han``: 查摆问题 and 剖析原因 (problem and cause items, and the causes' titles)
    problems: int  # numbered problem items
    measures: int  # numbered measure items

    @property
    def share(self) -> float:
        """查摆问题 and 剖析原因 in the text written (placeholders are not yet text)."""
        return self.analysed / self.han if self.han else 0.0

    @property
    def measures_per_problem(self) -> float:
        return self.measures / self.problems if self.problems else 0.0


def figures(doc: Document, found: Sequence[Item]) -> Figures:
    """The figures of ``doc`` whose outline items are ``found`` (:func:`items`)."""
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph | Heading)]
    texts += ["".join(s.text for s in cell) for b in doc.blocks if isinstance(b, Table) for row in b.rows
              for cell in row]
    whole = "".join(texts)
    cause_titles = dict.fromkeys(strip_number(i.area) for i in found if i.kind == "causes" and i.area)
    analysed = "".join(i.text for i in found if i.kind in ("problems", "causes")) + "".join(cause_titles)
    return Figures(length=len(han_only(whole)), han=len(han_only(PLACEHOLDER_RE.sub("", whole))),
                   analysed=len(han_only(PLACEHOLDER_RE.sub("", analysed))),
                   problems=sum(i.kind == "problems" for i in found),
                   measures=sum(i.kind == "measures" for i in found))
