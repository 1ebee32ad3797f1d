"""The document tree: what a draft says, before it is Word.

Templates render to a line markup (see :mod:`generator.render`) that parses into
this tree; the OOXML writer turns the tree into a .docx and the reader turns any
.docx back into it, so ``check`` and ``import`` reason about the same structure
the generator produced.  Nothing here knows about XML or fonts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

# Character styles a span may carry.  ``lead`` is a run-in heading at the start
# of a paragraph ("1.理论学习不够深入。"); ``placeholder`` marks text the author
# must still replace (【待补充：…】) and is highlighted in the .docx.
SpanStyle = Literal["lead", "placeholder"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text with at most one character style."""

    text: str
    style: SpanStyle | None = None


@dataclass(frozen=True, slots=True)
class Title:
    """The document title.  ``breaks`` are offsets in ``text`` where a line may break."""

    text: str
    breaks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Subtitle:
    """The line under the title naming unit and author (e.g. "第一党支部　张三")."""

    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered heading; the number ("一、", "（一）", "1.", "（1）") is part of ``text``."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph; ``role`` says what it is for (``problem``, ``cause``, ``measure``, ``fact``…)."""

    spans: tuple[Span, ...]
    role: str = ""

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: header text and relative width (weights, not units)."""

    header: str
    width: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row (repeated on every page) and body rows of cells."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]
    caption: str = ""
    landscape: bool = False  # on a landscape page of its own, so that a wide row reads on one line of cells


@dataclass(frozen=True, slots=True)
class Signature:
    """The signature block: the name (person or unit) and the date line, e.g. "2026年1月20日"."""

    name: str
    date: str


Block = Subtitle | Heading | Paragraph | Table | Signature


@dataclass(frozen=True, slots=True)
class Document:
    """A whole draft: title, blocks in order, and metadata kept in the file's properties."""

    title: Title
    blocks: tuple[Block, ...]
    meta: dict[str, str] = field(default_factory=dict)

    def headings(self, level: int | None = None) -> Iterator[Heading]:
        for block in self.blocks:
            if isinstance(block, Heading) and (level is None or block.level == level):
                yield block

    def plain_text(self) -> str:
        """All visible text, one block per line (used for length and similarity measures)."""
        lines = [self.title.text]
        for block in self.blocks:
            if isinstance(block, Subtitle | Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.append("\t".join(c.header for c in block.columns))
                lines.extend("\t".join("".join(s.text for s in cell) for cell in row) for row in block.rows)
            elif isinstance(block, Signature):
                lines.extend([block.name, block.date])
        return "\n".join(lines)
