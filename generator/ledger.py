"""The rectification ledger (整改台账): for every problem, who answers for it, by when, and to what standard.

The rules live in ``templates/ledger.yaml`` because a branch's division of
labour and its habits about deadlines differ from place to place and year to
year; changing them must not need a programmer.  Everything here is a pure
function of the composed draft and those rules, so the same spec and seed give
the same ledger.

* 责任人: the first committee role listed for the area (by heading, then by
  dimension) that someone in ``people`` holds → that person's name; nobody →
  whoever holds the lead role (支部书记); no people at all → the role's name.
* 完成时限: the measure's title, then the first clause of its text, is matched
  against ordered keyword rules (立行立改 → 1 month, 建章立制 → 3 months, 长期坚持
  → "长期坚持" with a checkpoint at 6 months); the date is the end of the month
  that many months after the meeting date, so it always falls after the meeting.
* 整改目标/标准: the bank has no such text; each dimension has a list of
  checkable targets in the data, and each row takes the unused one sharing most
  character pairs with its problem and measure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.errors import InputError, Problem
from generator.plan import seeded_random
from generator.text import bigrams

if TYPE_CHECKING:
    from generator.draft import Draft, Item, ProblemItem
    from generator.spec import Person
    from generator.taxonomy import Area

_CLAUSE_END = re.compile(r"[，；。,;]")


@dataclass(frozen=True)
class Deadline:
    """When a measure is due: its kind (立行立改, 建章立制, 长期坚持), the date, and how it is written.

    ``text`` runs on in a paragraph; ``cell`` is the same as short lines for a
    narrow ledger column, where "2026年4月底前" would otherwise wrap inside a word.
    """

    kind: str
    due: dt.date
    text: str
    cell: tuple[str, ...]


@dataclass(frozen=True)
class LedgerRow:
    """One line of the ledger or the problem list."""

    number: int
    area: str
    dimension: str
    problem: ProblemItem
    cause: Item | None
    measure: Item | None
    target: str
    responsible: str
    deadline: Deadline


@dataclass(frozen=True)
class _DeadlineRule:
    kind: str
    match: re.Pattern[str] | None
    months: int
    text: str
    cell: str


@dataclass(frozen=True)
class Rules:
    """``templates/ledger.yaml``, checked."""

    roles: Mapping[str, re.Pattern[str]]
    lead: str
    by_area: Mapping[str, tuple[str, ...]]
    by_dimension: Mapping[str, tuple[str, ...]]
    deadlines: tuple[_DeadlineRule, ...]
    default: _DeadlineRule
    due: str
    targets: Mapping[str, tuple[str, ...]]
    target_fit: int = 3
    derived: tuple[str, ...] = ("{clause}，做到有安排、有记录、可检查",)
    missing: str = "【待补充：整改目标和标准】"


# --------------------------------------------------------------------------- the rules


def _pattern(text: Any, where: str, problems: list[Problem]) -> re.Pattern[str] | None:
    try:
        return re.compile(str(text))
    except re.error as exc:
        problems.append(Problem(f"{where} 的正则表达式有误：{exc}"))
        return None


def _role_lists(data: Any, known: Mapping[str, Any], where: str, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, roles in (data or {}).items():
        roles = tuple(roles) if isinstance(roles, list) else (str(roles),)
        for role in roles:
            if role not in known:
                problems.append(Problem(f"{where}.{key} 中的职务“{role}”没有在 roles 中定义"))
        out[str(key)] = roles
    return out


@cache
def rules() -> Rules:
    """Load and check the packaged rules once per process."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    loaded = load_yaml(templates_dir() / "ledger.yaml")
    data = loaded.data
    problems: list[Problem] = []
    roles = {str(name): p for name, text in (data.get("roles") or {}).items()
             if (p := _pattern(text, f"roles.{name}", problems)) is not None}
    lead = str(data.get("lead") or "")
    if lead not in roles:
        problems.append(Problem(f"lead 应为 roles 中的一个职务，而不是“{lead}”"))
    by_area = _role_lists(data.get("by_area"), roles, "by_area", problems)
    by_dimension = _role_lists(data.get("by_dimension"), roles, "by_dimension", problems)
    deadlines = []
    for i, raw in enumerate(data.get("deadlines") or ()):
        months = str(raw.get("months", ""))
        if not months.isdigit() or not 1 <= int(months) <= 60:
            problems.append(Problem(f"deadlines[{i}].months 应为 1 到 60 之间的整数"))
            continue
        text = str(raw.get("text") or "{due}前")
        cell = str(raw.get("cell") or text)
        if "{due}" not in text or "{due}" not in cell:
            problems.append(Problem(f"deadlines[{i}] 的 text 和 cell 都应包含 {{due}}"))
        deadlines.append(_DeadlineRule(str(raw.get("kind") or ""), _pattern(raw.get("match", ""), f"deadlines[{i}]",
                                                                             problems), int(months), text, cell))
    default = next((r for r in deadlines if r.kind == data.get("default")), None)
    if default is None:
        problems.append(Problem("default 应为 deadlines 中某一条的 kind"))
    targets = {str(k): tuple(str(t) for t in v) for k, v in (data.get("targets") or {}).items() if v}
    if "general" not in targets:
        problems.append(Problem("targets 中缺少 general"))
    if problems:
        raise InputError(f"整改台账规则 {loaded.file} 有误", problems)
    assert default is not None
    fit = str(data.get("target_fit", 3))
    raw_derived = data.get("derived_target") or ["{clause}，做到有安排、有记录、可检查"]
    derived = tuple(str(d) for d in (raw_derived if isinstance(raw_derived, list) else [raw_derived]))
    if not fit.isdigit() or not all("{clause}" in d for d in derived):
        raise InputError(f"整改台账规则 {loaded.file} 有误",
                         [Problem("target_fit 应为整数，derived_target 的每一条都应包含 {clause}")])
    missing = str(data.get("missing_target") or "【待补充：整改目标和标准】")
    return Rules(roles, lead, by_area, by_dimension, tuple(deadlines), default, str(data.get("due")), targets,
                 int(fit), derived, missing)


# --------------------------------------------------------------------------- responsible people


def holders(role: str, people: Sequence[Person]) -> list[Person]:
    """Members whose stated role includes ``role`` (a member may hold several: 组织委员兼纪检委员)."""
    pattern = rules().roles.get(role)
    return [p for p in people if pattern is not None and pattern.search(p.role)]


def roles_for(area: Area) -> tuple[str, ...]:
    """The committee roles that answer for an area, most fitting first."""
    r = rules()
    if area.heading in r.by_area:
        return r.by_area[area.heading]
    for dimension in area.dimensions:
        if dimension in r.by_dimension:
            return r.by_dimension[dimension]
    return (r.lead,)


def responsible(area: Area, people: Sequence[Person]) -> str:
    """A name when someone fits, else the lead's name, else the role (the secretary fills it in later)."""
    return Owners(people).take(area)


class Owners:
    """Hands out 责任人 over a committee: by duty first, then to whoever of those fitting has fewest rows.

    An area's roles (``by_area``, then ``by_dimension``) name who may answer for it: its first row goes
    to the first of them someone holds; each further row to whoever of the members holding any of them
    has the lightest load so far (the first listed among equals), so an area's two problems go to its
    two fitting members and no member carries the whole ledger while another appears nowhere.
    """

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = people
        self.load: Counter[str] = Counter()

    def take(self, area: Area, slot: int = 0) -> str:
        """The owner of an area's ``slot``-th row: the first fitting member for the first row (duty
        first), the least loaded fitting member for the others."""
        roles = roles_for(area)
        fitting = list(dict.fromkeys(p.name for role in roles for p in holders(role, self.people)))
        if not fitting:
            fitting = [p.name for p in holders(rules().lead, self.people)]
        if not fitting:
            return roles[0]
        name = fitting[0] if slot == 0 else min(fitting, key=lambda n: (self.load[n], fitting.index(n)))
        self.load[name] += 1
        return name


# --------------------------------------------------------------------------- deadlines


def month_end(start: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after ``start``'s month (always later than ``start``)."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def deadline(title: str, text: str, meeting: dt.date) -> Deadline:
    """Classify a measure by its title, then its first clause; first matching rule wins."""
    r = rules()
    head = _CLAUSE_END.split(text, maxsplit=1)[0]
    chosen = r.default
    for probe in (title, head):
        rule = next((rule for rule in r.deadlines if rule.match and probe and rule.match.search(probe)), None)
        if rule:
            chosen = rule
            break
    due = month_end(meeting, chosen.months)
    written = r.due.format(year=due.year, month=due.month)
    cell = chosen.cell.format(due=written)
    return Deadline(chosen.kind, due, chosen.text.format(due=written).replace("|", ""),
                    tuple(part for part in cell.split("|") if part))


# --------------------------------------------------------------------------- targets


# A clause of a measure that a reviewer can check: a frequency, a count or a deadline.
# A pair in this many listed targets is too common to show that a target fits a measure.
COMMON_PAIR = 4
_CHECKABLE = re.compile(r"每[年季月周天]|每半年|[0-9一二两三四五六七八九十]+[次个项名条篇人天]|底前|以内|全覆盖|100%")


class _Targets:
    """Hands out target phrases: the one sharing most with the measure beside it, each used once.

    A listed target must share at least :attr:`Rules.target_fit` telling character pairs (not the common
    ones, :func:`telling_pairs`) with the measure; when
    none does, the target is the measure's own checkable clause (a frequency, a count, a deadline) in
    the ``derived`` pattern, so the standard always answers the measure it stands beside.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.uses: Counter[str] = Counter()

    def take(self, dimensions: Sequence[str], measure: str, problem: str) -> str:
        r = rules()
        pool = [t for d in (*dimensions, "general") for t in r.targets.get(d, ()) if not self.uses[t]]
        general = set(r.targets["general"])
        wanted, about = telling_pairs(measure), telling_pairs(problem)
        rank = {t: seeded_random(self.seed, "target", t).random() for t in pool}
        scored = [(len(wanted & telling_pairs(t)), len(about & telling_pairs(t)), t) for t in pool]
        # the general targets fit any measure a little: they are the last resort, after the measure's own words
        fit = [(m, a, t) for m, a, t in scored if m >= r.target_fit and t not in general]
        if "【待补充" in measure:  # no measure yet: no target either
            return r.missing
        if fit:
            best = max(fit, key=lambda s: (s[0] + s[1] / 2, -rank[s[2]]))[2]
        elif clause := checkable_clause(measure):  # the least used way of making the clause a standard
            pattern = min(r.derived, key=lambda p: (self.uses[p], r.derived.index(p)))
            self.uses[pattern] += 1
            best = pattern.format(clause=clause)
        else:
            best = max(scored, key=lambda s: (s[0] + s[1], -rank[s[2]]))[2] if scored else r.targets["general"][0]
        self.uses[best] += 1
        return best


@cache
def _common_pairs() -> frozenset[str]:
    """Character pairs found in many of the listed targets (党员、组织、季度、一次…): they say nothing about
    which measure a target fits."""
    counts: Counter[str] = Counter(g for ts in rules().targets.values() for t in ts for g in set(bigrams(t)))
    return frozenset(g for g, n in counts.items() if n >= COMMON_PAIR)


def telling_pairs(text: str) -> set[str]:
    """The character pairs of ``text`` that tell one matter from another (common ones left out)."""
    return set(bigrams(text)) - _common_pairs()


def checkable_clause(measure: str) -> str:
    """The measure's first clause with a number, a frequency or a deadline (else its first whole clause)."""
    body = measure.split("。", 1)[1] if "。" in measure[:24] else measure  # past the run-in title
    clauses = [c.strip() for c in re.split(r"[，；。：]", body) if 6 <= len(c.strip()) <= 30]
    return next((c for c in clauses if _CHECKABLE.search(c)), clauses[0] if clauses else "")


# --------------------------------------------------------------------------- rows


def _answering(items: Sequence[Item], title: str) -> Item | None:
    return next((item for item in items if title in item.answers), None)


def ledger_rows(draft: Draft) -> tuple[LedgerRow, ...]:
    """Every problem of the draft in order, with what answers it; measures are matched within their area."""
    spec = draft.spec
    targets = _Targets(spec.seed)
    owners = Owners(spec.people)
    rows: list[LedgerRow] = []
    for area, part, group in zip(spec.areas, draft.areas, draft.measures, strict=True):
        for slot, problem in enumerate(part.problems):
            measure = _answering(group.items, problem.title)
            cause = _answering(draft.causes, problem.title)
            m_title, m_text = (measure.title, measure.text) if measure else ("", "")
            target = targets.take(area.dimensions, f"{m_title}。{m_text}", f"{problem.title}{problem.text}")
            rows.append(LedgerRow(len(rows) + 1, part.heading, part.dimension, problem, cause, measure,
                                  target, owners.take(area, slot), deadline(m_title, m_text, spec.date)))
    return tuple(rows)
