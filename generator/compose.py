"""Composition: for each member, the problems, causes and measures that answer each other.

The composer sees the whole batch at once so that members of one branch get
different entries (a balanced rotation through each area's candidates, not
independent random draws), and it is deterministic: the same spec and seed
always give the same choices.  It uses the member's own problems and facts
first and marks with a placeholder where facts are still missing.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from generator.bank import Bank, Phrase
from generator.spec import Person, Spec
from generator.taxonomy import Area


@dataclass(frozen=True)
class ProblemItem:
    """One problem in the draft: a run-in title, its text and the member's facts for the area."""

    title: str
    text: str
    facts: tuple[str, ...] = ()
    placeholder: str = ""
    phrase: Phrase | None = None

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
    """A cause or a measure, with the problems (by title) it answers."""

    title: str
    text: str
    answers: tuple[str, ...] = ()
    phrase: Phrase | None = None


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
    """Everything a template needs for one member's document."""

    spec: Spec
    person: Person
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


def document_title(spec: Spec) -> str:
    """The title of every draft of ``spec`` (also used in file names)."""
    return spec.doctype.title_pattern.format(meeting=spec.meeting, unit=spec.unit, title=spec.doctype.title)


@cache
def wording_data() -> dict[str, Any]:
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    data: dict[str, Any] = load_yaml(templates_dir() / "wording.yaml").data
    return data


def _rng(*parts: object) -> random.Random:
    """A generator seeded from stable text (Python's hash() of str is salted per process)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _split_own(text: str) -> tuple[str, str]:
    """A member's own problem: the first clause becomes the run-in title when it is short."""
    for mark in ("。", "；", "，"):
        head, sep, rest = text.partition(mark)
        if sep and 4 <= len(head) <= 24:
            return head, rest.strip()
    return text.rstrip("。"), ""


def _pool(bank: Bank, kind: str, area: Area) -> list[Phrase]:
    pool: list[Phrase] = []
    for dim in area.dimensions:
        pool.extend(bank.select(kind, dim))
    return pool


def _rotation(pool: Sequence[Phrase], seed: int, key: str) -> list[Phrase]:
    order = list(pool)
    _rng(seed, key).shuffle(order)
    return order


def _linked(candidates: Sequence[Phrase], problem: Phrase) -> list[Phrase]:
    """Candidates tied to ``problem``: answering it explicitly first, then mined from the same article."""
    direct = [c for c in candidates if problem.id in c.answers]
    grouped = [c for c in candidates if problem.group and c.group == problem.group and c not in direct]
    return direct + grouped


class Composer:
    """Holds the batch-wide choices; ``draft(i)`` is pure, so workers can compose drafts independently."""

    def __init__(self, spec: Spec, bank: Bank) -> None:
        self.spec = spec
        self.bank = bank
        self.words = wording_data()
        self.orders = {
            (kind, area.heading): _rotation(_pool(bank, kind, area), spec.seed, f"{kind}:{area.heading}")
            for area in spec.areas for kind in ("problem", "cause", "measure")
        }

    def pick_word(self, key: str, index: int, person: Person) -> str:
        options = self.words["personal"][key]
        if isinstance(options, str):
            return options
        return str(options[(index + _rng(self.spec.seed, key).randrange(len(options))) % len(options)])

    def problems_for(self, index: int, person: Person, area: Area, used: set[str],
                     explain: list[Choice]) -> list[ProblemItem]:
        k = self.spec.problems_per_area
        items: list[ProblemItem] = []
        for text in person.problems.get(area.heading, ())[:k]:
            title, body = _split_own(text)
            items.append(ProblemItem(title, body))
        order = self.orders[("problem", area.heading)]
        start = (index * k) % len(order) if order else 0
        for step in range(len(order)):
            if len(items) >= k:
                break
            phrase = order[(start + step) % len(order)]
            if phrase.id in used:
                continue
            used.add(phrase.id)
            items.append(ProblemItem(phrase.title or phrase.text[:16], phrase.text, phrase=phrase))
            explain.append(Choice("problem", area.heading, phrase.id, phrase.source, "按本支部轮换分配"))
        facts = person.facts.get(area.heading, ())
        if items:
            placeholder = "" if facts or not self.spec.placeholders else self.words["personal"]["placeholder"]
            items[0] = ProblemItem(items[0].title, items[0].text, facts, placeholder, items[0].phrase)
        return items

    def answer(self, kind: str, area: Area, problem: ProblemItem, index: int, used: set[str],
               explain: list[Choice]) -> Phrase | None:
        """The cause or measure that answers ``problem``: linked ones first, then the area's rotation."""
        order = self.orders[(kind, area.heading)]
        linked = _linked(order, problem.phrase) if problem.phrase else []
        rest = order[index % len(order):] + order[: index % len(order)] if order else []
        for phrase, reason in [(p, "与该问题对应") for p in linked] + [(p, "同一方面") for p in rest]:
            if phrase.id not in used:
                used.add(phrase.id)
                explain.append(Choice(kind, area.heading, phrase.id, phrase.source, reason))
                return phrase
        return None

    def draft(self, index: int) -> Draft:
        person = self.spec.people[index]
        explain: list[Choice] = []
        used: set[str] = set()
        parts: list[AreaPart] = []
        causes: list[Item] = []
        groups: list[MeasureGroup] = []
        for area in self.spec.areas:
            problems = self.problems_for(index, person, area, used, explain)
            parts.append(AreaPart(area.heading, area.dimension, tuple(problems)))
            if problems:
                cause = self.answer("cause", area, problems[0], index, used, explain)
                if cause:
                    answered = tuple(p.title for p in problems if p.phrase is None or p.phrase.id in cause.answers
                                     or p is problems[0])
                    causes.append(Item(cause.title, cause.text, answered, cause))
            items = []
            for problem in problems:
                measure = self.answer("measure", area, problem, index, used, explain)
                if measure:
                    items.append(Item(measure.title, measure.text, (problem.title,), measure))
            headings = self.words["measure_headings"].get(area.dimension) or [f"针对{area.heading}方面的问题"]
            heading = headings[(index + _rng(self.spec.seed, area.heading).randrange(len(headings))) % len(headings)]
            groups.append(MeasureGroup(heading, area.heading, tuple(items)))
        wording = {
            key: self.pick_word(key, index, person).format(
                meeting=self.spec.meeting, unit=self.spec.unit or "党支部", role=person.role,
                areas="、".join(a.heading for a in self.spec.areas))
            for key in ("preamble", "problems_intro", "causes_intro", "measures_intro", "pledge")
        }
        wording["facts_lead"] = self.pick_word("facts_lead", index, person)
        return Draft(self.spec, person, tuple(parts), tuple(causes), tuple(groups), wording, tuple(explain))


def compose(spec: Spec, bank: Bank) -> Iterator[Draft]:
    """One Draft per person, in spec order, chosen with the whole batch in view."""
    composer = Composer(spec, bank)
    for index in range(len(spec.people)):
        yield composer.draft(index)
