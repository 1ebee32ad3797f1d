"""Batch planning: which bank entries each member's draft takes, decided for the whole batch at once.

Before any draft is written the planner assigns bank entries to members
greedily: each entry goes to the member for whom it is least used and shares
least with the members already seen, so a branch's drafts do not read like
copies (balanced assignment, not independent random draws).  Causes and
measures then follow the chosen problems through the bank's links
(``answers``, then ``group``, then the dimension).  All choices are made up
front from the spec and seed (:func:`seeded_random`), so a draft is a pure
function of its plan, and plans can be packed (:meth:`Planner.share`) for
worker processes that adopt them (:meth:`Planner.adopt`) instead of planning.
"""

from __future__ import annotations

import hashlib
import random
import re
from bisect import bisect_right
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice, repeat
from typing import Any, overload

from generator.bank import Bank, Phrase
from generator.spec import Person, Spec
from generator.taxonomy import Area
from generator.text import bigrams, shingles

# Characters an item adds besides its title and text: ordinal, full stop, line furniture.
_ITEM_EXTRA = 4
# How many earlier members an entry's reuse is weighed against (a branch, not a whole department).
RECENT = 100
# A passage this long (Chinese characters) appearing twice in one draft reads as a copy.
ECHO = 14
# How many of an area's measures, closest in wording to a problem, a fallback measure is chosen from.
CLOSEST = 6
# Higher than any cost (a cost counts uses of one entry in one batch).
NO_LIMIT = 1 << 62


@cache
def wording_data() -> dict[str, Any]:
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    data: dict[str, Any] = load_yaml(templates_dir() / "wording.yaml").data
    return data


def seeded_random(*parts: object) -> random.Random:
    """A generator seeded from stable text (Python's hash() of str is salted per process)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))



def pick_text(pick: Pick) -> str:
    """The text of a chosen entry: its own, or the sentence variant the plan picked."""
    phrase = pick.phrase
    return phrase.text if pick.variant == 0 else phrase.variants[pick.variant - 1]


def fits_voice(phrase: Phrase, excluded: re.Pattern[str] | None, allowed: Sequence[str]) -> bool:
    """Entries written about others ("一些党员干部…") do not fit a personal draft, and vice versa."""
    if allowed and phrase.voice not in allowed:
        return False
    return excluded is None or not excluded.search(phrase.title + phrase.text)


# --------------------------------------------------------------------------- the batch-wide plan


@dataclass
class Pick:
    phrase: Phrase
    variant: int
    reason: str


@dataclass
class Plan:
    """The entries chosen for one member, by area heading."""

    problems: dict[str, list[Pick]] = field(default_factory=dict)
    causes: dict[str, list[Pick]] = field(default_factory=dict)
    # per problem (own problems first, then the bank's in pick order): its measures, the answering one first
    measures: dict[str, list[list[Pick]]] = field(default_factory=dict)
    cause_of: dict[str, Pick] = field(default_factory=dict)  # problem id → its own cause (``causes: problem``)


@dataclass
class Member:
    """What one member's draft already holds while it is planned."""

    index: int
    used: set[str] = field(default_factory=set)
    shared: Counter[int] = field(default_factory=Counter)  # earlier member → entries in common so far
    # kind → titles too close to one chosen ("党员意识淡化" after "党员身份意识淡化" reads as a repeat)
    blocked: dict[str, set[str]] = field(default_factory=dict)
    # entry → a cost it is known to reach.  Costs only grow while one member is planned (uses and
    # recent users of an entry change only when it is chosen; shared counts only increase), so a cost
    # seen in an earlier choice, even one cut short, stays a lower bound for the rest of the member.
    floor: dict[str, int] = field(default_factory=dict)
    # runs of ECHO Chinese characters already in the draft: an entry repeating one reads as copied
    passages: set[str] = field(default_factory=set)

    def keep(self, kind: str, phrase: Phrase, close: frozenset[str]) -> None:
        """Record a choice; ``close`` holds every candidate title too close to the chosen one."""
        self.used.add(phrase.id)
        self.blocked.setdefault(kind, set()).update(close)
        self.passages |= _runs(phrase)

    def echoes(self, phrase: Phrase) -> bool:
        return not self.passages.isdisjoint(_runs(phrase))


@cache
def _runs(phrase: Phrase) -> frozenset[str]:
    """The entry's runs of :data:`ECHO` Chinese characters (title and text)."""
    return frozenset(shingles(phrase.title + phrase.text, ECHO))


def _too_close(grams: frozenset[str], other: frozenset[str]) -> bool:
    """More than half of the shorter title's bigrams recur in the other."""
    return len(grams & other) * 2 > min(len(grams), len(other))


class Usage:
    """Who used which entry: drives least-used and least-shared choices across the batch.

    ``titles`` are all candidate titles of this kind in the batch, so that the titles too close to a
    chosen one can be listed once (:meth:`close`) instead of compared again for every member.
    """

    def __init__(self, titles: Iterable[str] = ()) -> None:
        self.uses: Counter[str] = Counter()
        self.recent: dict[str, deque[int]] = defaultdict(deque)
        self.grams = {title: frozenset(bigrams(title)) for title in titles}
        self._close: dict[str, frozenset[str]] = {}

    def close(self, title: str) -> frozenset[str]:
        """The candidate titles too close to ``title`` (itself included, unless it is too short to compare)."""
        found = self._close.get(title)
        if found is None:
            grams = self.grams.get(title) or frozenset(bigrams(title))
            found = self._close[title] = frozenset(t for t, g in self.grams.items() if _too_close(g, grams))
        return found

    def cost(self, phrase_id: str, member: int, shared: Mapping[int, int], limit: int = NO_LIMIT) -> int:
        """All uses so far, plus each recent user weighted by what it already shares with ``member``.

        Stops adding as soon as the total reaches ``limit`` (the caller only needs to know that the entry
        cannot beat a cost of ``limit``): every term is positive, so each partial sum is a lower bound.
        """
        total = self.uses[phrase_id]
        users = self.recent.get(phrase_id)
        if not users or total >= limit:
            return total
        start = bisect_right(users, member - RECENT)  # users are ascending; older ones no longer count
        total += len(users) - start
        if not shared or total >= limit:
            return total
        return total + 3 * sum(map(shared.get, islice(users, start, None), repeat(0)))

    def take(self, phrase: Phrase, member: int, shared: Counter[int]) -> int:
        """Record the use; returns how often the entry was used before (picks its sentence variant)."""
        users = self.recent[phrase.id]
        while users and users[0] <= member - RECENT:
            users.popleft()
        shared.update(users)  # one more entry in common with each of them (counted in C)
        users.append(member)
        before = self.uses[phrase.id]
        self.uses[phrase.id] += 1
        return before


PackedPicks = tuple[tuple[str, int, str], ...]
# A plan handed to a worker: member index; problems, causes and measures by area as (id, variant, reason).
PackedPlan = tuple[int, dict[str, PackedPicks], dict[str, PackedPicks], dict[str, tuple[PackedPicks, ...]]]


class Plans(Sequence[Plan]):
    """The batch plan, made member by member on first use.

    Always in member order, whoever asks first, so a draft never depends on which drafts were asked for
    before it; and a batch's first drafts can be written while later members are still being planned.
    Plans in ``given`` came from another process (see :meth:`Planner.adopt`).
    """

    def __init__(self, planner: Planner, members: Sequence[Person | None]) -> None:
        self._planner = planner
        self._members = members
        self._ledgers = {kind: Usage(p.title for (k, _), pool in planner.pools.items() if k == kind for p in pool)
                         for kind in ("problem", "cause", "measure")}
        self._done: list[Plan] = []
        self.given: dict[int, Plan] = {}

    def __len__(self) -> int:
        return len(self._members)

    @overload
    def __getitem__(self, index: int) -> Plan: ...

    @overload
    def __getitem__(self, index: slice) -> list[Plan]: ...

    def __getitem__(self, index: int | slice) -> Plan | list[Plan]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self._members):
            raise IndexError(index)
        if index in self.given:
            return self.given[index]
        while len(self._done) <= index:
            member = len(self._done)
            self._done.append(self._planner.plan_member(member, self._members[member], self._ledgers))
        return self._done[index]


def _linked(candidates: Sequence[Phrase], problems: Sequence[Phrase]) -> tuple[list[Phrase], str]:
    """Candidates tied to ``problems``: answering one explicitly, else mined from the same article."""
    ids = {p.id for p in problems}
    direct = [c for c in candidates if not ids.isdisjoint(c.answers)]
    if direct:
        return direct, "词库注明它回应所选问题"
    groups = {p.group for p in problems if p.group}
    grouped = [c for c in candidates if c.group and c.group in groups]
    if grouped:
        return grouped, "与所选问题出自同一篇范文"
    return [], ""

class Planner:
    """Plans the whole batch once (member by member, on first use); picklable for worker processes."""

    def __init__(self, spec: Spec, bank: Bank) -> None:
        self.spec = spec
        self.bank = bank
        self.words = wording_data()
        patterns = self.words["voice_exclude"].get(spec.doctype.id, [])
        voice = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
        allowed = tuple(self.words.get("voice_allow", {}).get(spec.doctype.id) or ())
        self.grams: dict[str, set[str]] = {}  # character pairs of entries, computed when first compared
        self.closest: dict[tuple[str, str], list[Phrase]] = {}  # (area, problem wording) → closest measures
        self.pools: dict[tuple[str, str], list[Phrase]] = {}
        for area in spec.areas:
            for kind in ("problem", "cause", "measure"):
                pool = [p for d in area.dimensions for p in bank.select(kind, d) if fits_voice(p, voice, allowed)]
                rank = {p.id: seeded_random(spec.seed, kind, area.heading, p.id).random() for p in pool}
                self.pools[(kind, area.heading)] = sorted(pool, key=lambda p: rank[p.id])
        self.fixed_length = self._fixed_length()
        members: list[Person | None] = list(spec.people) if spec.doctype.per_person else [None]
        self.plans = self._plan(members)

    # ----------------------------------------------------------------- planning

    def _fixed_length(self) -> int:
        """Average length of the set phrases and headings a draft carries besides the bank's entries."""
        section = self.words.get(self.spec.doctype.id) or self.words["personal"]
        total = 0
        for key in ("preamble", "problems_intro", "causes_intro", "measures_intro", "pledge"):
            options = section.get(key) or [""]
            total += sum(len(o) for o in options) // len(options)
        return total + 40 + 20 * len(self.spec.areas)  # title, subtitle, section and area headings

    def _plan(self, members: Sequence[Person | None]) -> Plans:
        return Plans(self, members)

    def share(self, indices: Iterable[int]) -> list[PackedPlan]:
        """The plans of ``indices`` for a worker process, as plain tuples (a tenth of the pickling cost)."""
        def picks(chosen: Sequence[Pick]) -> tuple[tuple[str, int, str], ...]:
            return tuple((p.phrase.id, p.variant, p.reason) for p in chosen)

        packed: list[PackedPlan] = []
        for index in indices:
            plan = self.plans[index]
            packed.append((index, {a: picks(ps) for a, ps in plan.problems.items()},
                           {a: picks(ps) for a, ps in plan.causes.items()},
                           {a: tuple(picks(ms) for ms in per) for a, per in plan.measures.items()}))
        return packed

    def adopt(self, packed: Iterable[PackedPlan]) -> None:
        """Use plans made by another process (a worker's planner then plans nothing itself)."""
        def picks(chosen: Sequence[tuple[str, int, str]]) -> list[Pick]:
            out = []
            for phrase_id, variant, reason in chosen:
                phrase = self.bank.get(phrase_id)
                assert phrase is not None, phrase_id  # the same bank in both processes
                out.append(Pick(phrase, variant, reason))
            return out

        self.plans.given = {
            index: Plan({a: picks(ps) for a, ps in problems.items()}, {a: picks(ps) for a, ps in causes.items()},
                         {a: [picks(ms) for ms in per] for a, per in measures.items()})
            for index, problems, causes, measures in packed}

    def _choose(self, kind: str, candidates: Sequence[Phrase], m: Member, ledger: Usage,
                reason: str) -> Pick | None:
        """The candidate of lowest cost; the first in seeded order among equals.

        The cheap tests come first: entries already ruled out for this member, entries known (from
        earlier choices for the same member) to cost at least the best so far, and then costing stops
        as soon as an entry reaches the best.  The choice is exactly that of costing every candidate in
        full (``tests/test_plan_pinned.py``).
        """
        echoing: set[str] = set()  # winners that would repeat a passage already in the draft
        while True:
            best = self._cheapest(kind, candidates, m, ledger, echoing)
            if best is None or not m.echoes(best):
                break
            echoing.add(best.id)
        if best is None:
            return None
        m.keep(kind, best, ledger.close(best.title))
        before = ledger.take(best, m.index, m.shared)
        return Pick(best, before % (1 + len(best.variants)), reason)

    @staticmethod
    def _cheapest(kind: str, candidates: Sequence[Phrase], m: Member, ledger: Usage,
                  skip: set[str]) -> Phrase | None:
        best: Phrase | None = None
        best_cost = NO_LIMIT
        used, index, shared, floor = m.used, m.index, m.shared, m.floor
        blocked = m.blocked.get(kind, ())
        for phrase in candidates:  # candidates come in the seeded order, so ties are broken by the seed
            pid = phrase.id
            if pid in used or pid in skip or phrase.title in blocked or floor.get(pid, 0) >= best_cost:
                continue  # chosen already, repeats a chosen title, or known to cost too much
            cost = floor[pid] = ledger.cost(pid, index, shared, best_cost)
            if cost < best_cost:
                best, best_cost = phrase, cost
                if cost == 0:
                    break  # nothing can cost less
        return best

    def _cause(self, area: Area, chosen: Sequence[Phrase], m: Member, ledger: Usage) -> list[Pick]:
        causes = self.pools[("cause", area.heading)]
        linked, why = _linked(causes, chosen)
        pick = (self._choose("cause", linked, m, ledger, why) if linked else None) \
            or self._choose("cause", causes, m, ledger, "同一方面、使用最少")
        return [pick] if pick else []

    def _cause_each(self, area: Area, chosen: Sequence[Phrase], m: Member, ledger: Usage,
                    cause_of: dict[str, Pick]) -> list[Pick]:
        """A cause of its own for every problem (tables give each problem a row); none left → none."""
        picks = []
        for problem in chosen:
            found = self._cause(area, [problem], m, ledger)
            if found:
                cause_of[problem.id] = found[0]
                picks.extend(found)
        return picks

    def plan_member(self, index: int, person: Person | None, ledgers: dict[str, Usage]) -> Plan:
        plan = Plan()
        m = Member(index)
        k = self.spec.problems_per_area
        for area in self.spec.areas:
            own = len(person.problems.get(area.heading, ())[:k]) if person else 0
            pool = self.pools[("problem", area.heading)]
            picks = []
            for _ in range(k - own):
                pick = self._choose("problem", pool, m, ledgers["problem"],
                                    "本批次中使用最少、与其他党员重复最少")
                if pick:
                    picks.append(pick)
            plan.problems[area.heading] = picks
            chosen = [p.phrase for p in picks]
            if self.spec.doctype.causes == "problem":
                plan.causes[area.heading] = self._cause_each(area, chosen, m, ledgers["cause"], plan.cause_of)
            else:
                plan.causes[area.heading] = [] if person and person.causes else \
                    self._cause(area, chosen, m, ledgers["cause"])
            own_texts = person.problems.get(area.heading, ())[:own] if person else ()
            plan.measures[area.heading] = [
                *(self._measure(area, None, m, ledgers["measure"], text) for text in own_texts),
                *(self._measure(area, problem, m, ledgers["measure"]) for problem in chosen)]
        self._lengthen(m, person, plan, ledgers)
        return plan

    def _measure(self, area: Area, problem: Phrase | None, m: Member, ledger: Usage,
                 text: str = "") -> list[Pick]:
        """The measure answering ``problem`` (or a member's own problem ``text``).

        One the bank links to it when there is one; otherwise one of the area's measures closest to
        the problem in wording, so that a fallback still reads as an answer to it.
        """
        measures = self.pools[("measure", area.heading)]
        linked, why = _linked(measures, [problem]) if problem else ([], "")
        pick = self._choose("measure", linked, m, ledger, why) if linked else None
        about = problem.title + problem.text if problem else text
        if pick is None and about:
            key = (area.heading, about)
            closest = self.closest.get(key)
            if closest is None:  # the same bank problems recur member after member
                closest = self.closest[key] = self._closest(measures, about)
            pick = self._choose("measure", closest, m, ledger, "同一方面中措辞与该问题最接近")
        pick = pick or self._choose("measure", measures, m, ledger, "同一方面、使用最少")
        return [pick] if pick else []

    def _closest(self, candidates: Sequence[Phrase], about: str, keep: int = CLOSEST) -> list[Phrase]:
        """The ``keep`` candidates sharing most character pairs with ``about``, seeded order among equals."""
        wanted = bigrams(about)
        grams = self.grams
        for phrase in candidates:
            if phrase.id not in grams:
                grams[phrase.id] = bigrams(phrase.title + phrase.text)
        ranked = sorted(range(len(candidates)), key=lambda i: -len(wanted & grams[candidates[i].id]))
        return [candidates[i] for i in ranked[:keep]]

    def _estimate(self, person: Person | None, plan: Plan) -> int:
        """Characters the draft will have: set phrases, chosen entries and the member's own text."""
        picks = [p for ps in plan.problems.values() for p in ps] + [p for ps in plan.causes.values() for p in ps]
        picks += [m for per_area in plan.measures.values() for ms in per_area for m in ms]
        size = self.fixed_length + sum(_ITEM_EXTRA + len(p.phrase.title) + len(pick_text(p)) for p in picks)
        if person:
            own = [*person.causes, *(t for ts in (*person.problems.values(), *person.facts.values(),
                                                  *person.measures.values()) for t in ts)]
            size += sum(len(t) for t in own)
        return size

    def _lengthen(self, m: Member, person: Person | None, plan: Plan, ledgers: dict[str, Usage]) -> None:
        """Reach the target length with further linked causes (up to six in all), then second measures."""
        target = self.spec.length or self.spec.doctype.length
        if not target or not self.spec.areas:
            return
        size = self._estimate(person, plan)
        areas = self.spec.areas
        if not (person and person.causes):
            for area in areas:
                if size >= target or sum(len(c) for c in plan.causes.values()) >= max(6, len(areas)):
                    break
                chosen = [p.phrase for p in plan.problems[area.heading]]
                added = self._cause(area, chosen, m, ledgers["cause"])
                plan.causes[area.heading] += added
                size += sum(len(p.phrase.title) + len(pick_text(p)) for p in added)
        for slot in range(self.spec.problems_per_area):  # a second measure for each problem in turn
            for area in areas:
                per_problem = plan.measures[area.heading]
                if size >= target:
                    return
                if slot >= len(per_problem) or len(per_problem[slot]) != 1:
                    continue
                picked = plan.problems[area.heading]
                own = len(per_problem) - len(picked)
                problem = picked[slot - own].phrase if slot >= own else None
                text = person.problems[area.heading][slot] if person and problem is None else ""
                added = self._measure(area, problem, m, ledgers["measure"], text)
                per_problem[slot] += added
                size += sum(len(p.phrase.title) + len(pick_text(p)) for p in added)
