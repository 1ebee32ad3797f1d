"""The Draft model: everything a template sees of one document.

Templates read these frozen records (``d.areas``, ``d.causes``, ``d.measures``,
``d.wording``, ``d.ledger``); the composer builds them and nothing else changes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from generator.bank import Phrase
from generator.ledger import LedgerRow, ledger_rows
from generator.spec import Person, Spec


@dataclass(frozen=True)
class ProblemItem:
    """One problem in the draft: a run-in title, its text and the member's facts for the area."""

    title: str
    text: str
    facts: tuple[str, ...] = ()
    placeholder: str = ""
    phrase: Phrase | None = None
    mark: str = ""  # the member's own "，" or "；" after the title, printed after it ("" = the template's "。")

    @property
    def own(self) -> bool:
        return self.phrase is None


@dataclass(frozen=True)
class AreaPart:
    heading: str
    dimension: str
    problems: tuple[ProblemItem, ...]


@dataclass(frozen=True)
class Item:
    """A cause or a measure, with the titles of the problems it answers."""

    title: str
    text: str
    answers: tuple[str, ...] = ()
    phrase: Phrase | None = None
    mark: str = ""  # as ProblemItem.mark


@dataclass(frozen=True)
class MeasureGroup:
    heading: str
    area: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Choice:
    """Why an entry was chosen (for ``--explain``)."""

    section: str
    area: str
    phrase_id: str
    source: str
    reason: str


@dataclass(frozen=True)
class Draft:
    """Everything a template needs for one document."""

    spec: Spec
    person: Person | None
    areas: tuple[AreaPart, ...]
    causes: tuple[Item, ...]
    measures: tuple[MeasureGroup, ...]
    wording: Mapping[str, str]
    explain: tuple[Choice, ...] = field(default=())

    @property
    def title(self) -> str:
        return document_title(self.spec)

    @property
    def problems(self) -> Iterator[ProblemItem]:
        for area in self.areas:
            yield from area.problems

    @cached_property
    def ledger(self) -> tuple[LedgerRow, ...]:
        """One row per problem with its cause, measure, target, responsible person and deadline."""
        return ledger_rows(self)


def document_title(spec: Spec) -> str:
    """The title of every draft of ``spec`` (also used in file names)."""
    return spec.doctype.title_pattern.format(meeting=spec.meeting, unit=spec.unit, title=spec.doctype.title)

