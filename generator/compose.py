"""Composition: one draft assembled from its plan — the problems, causes and measures that answer each other.

The batch plan (:mod:`generator.plan`) says which bank entries each member's
draft takes; here they become the text a template sees (:mod:`generator.draft`):
the member's own problems, facts and measures placed beside them, set phrases
filled in, placeholders where facts are missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from generator.bank import Bank
from generator.branch import missing_facts, unit_facts
from generator.draft import AreaPart, Choice, Draft, Item, MeasureGroup, ProblemItem
from generator.plan import FURTHER, PackedPlan, Pick, Plan, Planner, Plans, pick_text, pick_title, seeded_random
from generator.render import cn_number
from generator.spec import Person, Spec
from generator.taxonomy import Area
from generator.text import bigrams, fill_slots

# Keys of a wording section that the composer uses itself; every other key becomes ``Draft.wording``.
_COMPOSER_KEYS = frozenset({"placeholder", "empty_area", "empty_measures", "ordinals", "measure_headings"})


def split_own(text: str, *, verbatim: bool = False) -> tuple[str, str]:
    """A member's own problem: the first clause becomes the run-in title when it is short.

    ``verbatim`` (text imported from an edited draft) cuts only at the first "。", so the title and the
    rest render back to exactly the text given: a "，" or "；" is never turned into the title's "。".
    """
    title, _mark, rest = split_marked(text, verbatim=verbatim)
    return title, rest


def split_marked(text: str, *, verbatim: bool = False) -> tuple[str, str, str]:
    """``split_own`` with the mark the title ended on: "" for "。" (the template's own full stop), else the
    member's "，" or "；", which the draft keeps, so "回应不及时，一拖再拖" is printed as typed."""
    marks, longest = (("。",), 80) if verbatim else (("。", "；", "，"), 24)
    for mark in marks:
        head, sep, rest = text.partition(mark)
        if sep and 4 <= len(head) <= longest:
            return head, "" if mark == "。" else mark, rest.strip()
    return text.rstrip("。"), "", ""


def own_problem(text: str, facts: tuple[str, ...] = (), *, verbatim: bool = False) -> ProblemItem:
    title, mark, rest = split_marked(text, verbatim=verbatim)
    return ProblemItem(title, rest, facts, mark=mark)


def own_item(text: str, answers: tuple[str, ...], *, verbatim: bool = False) -> Item:
    title, mark, rest = split_marked(text, verbatim=verbatim)
    return Item(title, rest, answers, mark=mark)


def sentence_end(text: str) -> str:
    """``text`` ending in a full stop (before a follow-up sentence is added to it)."""
    text = text.rstrip()
    return text if not text or text[-1] in "。！？" else text.rstrip("；，、：;,:") + "。"


def is_verbatim(person: Person | None) -> bool:
    """The person's own texts are to be kept exactly (``wording: {verbatim: true}``, set by ``import``)."""
    flag = str(person.wording.get("verbatim", "")) if person is not None else ""
    return flag.strip().lower() in ("true", "yes", "是", "1")


def _best_match(facts: Sequence[str], problems: Sequence[ProblemItem]) -> int:
    """Index of the problem whose wording shares most character pairs with the member's facts.

    Character bigrams need no word segmentation, so generation never loads jieba.
    """
    wanted = bigrams("".join(facts))
    scores = [len(wanted & bigrams(p.title + p.text)) for p in problems]
    return max(range(len(problems)), key=lambda i: (scores[i], -i))
class Composer:
    """Plans the whole batch once (:class:`Planner`); ``draft(i)`` then only assembles text, so it is pure."""

    def __init__(self, spec: Spec, bank: Bank) -> None:
        self.spec = spec
        self.bank = bank
        self.planner = Planner(spec, bank)
        self.words = self.planner.words

    @property
    def plans(self) -> Plans:
        return self.planner.plans

    def share_plans(self, indices: Iterable[int]) -> list[PackedPlan]:
        """The plans of ``indices`` packed for a worker process (see :meth:`Planner.share`)."""
        return self.planner.share(indices)

    def adopt_plans(self, packed: Iterable[PackedPlan]) -> None:
        """Draft from plans made by another process; this composer then plans nothing itself."""
        self.planner.adopt(packed)

    def set_phrases(self, count: int) -> dict[str, str]:
        """This type's set phrases for a unit document whose content another type planned (a linked set,
        :mod:`generator.unitset`): ``count`` problems, each phrase rotated by the seed."""
        return self._wording(0, None, count, Plan())

    def _section(self) -> Mapping[str, Any]:
        """The wording section of this document type (``personal`` for types without one)."""
        section: Mapping[str, Any] = self.words[self.spec.doctype.id if self.spec.doctype.id in self.words
                                                else "personal"]
        return section

    def _word(self, key: str, index: int) -> str:
        """Set phrases rotate through their variants member by member, so each is used equally often."""
        options = self._section()[key]
        if isinstance(options, str):
            return options
        offset = seeded_random(self.spec.seed, key).randrange(len(options))
        return str(options[(index + offset) % len(options)])

    def draft(self, index: int) -> Draft:
        person = self.spec.people[index] if self.spec.doctype.per_person else None
        verbatim = is_verbatim(person)
        plan = self.plans[index]
        rng = seeded_random(self.spec.seed, index, "order")
        explain: list[Choice] = []
        parts: list[AreaPart] = []
        causes: list[Item] = []
        groups: list[MeasureGroup] = []
        placeholder = self._word("placeholder", index) if self.spec.placeholders else ""
        taken: set[str] | None = None if self.spec.doctype.per_person else set()
        for area_index, area in enumerate(self.spec.areas):
            pinned = plan.pinned.get(area.heading, "")
            # A unit's document takes the facts its committee members reported for the area as its own.
            # (and the branch's own facts placed in this area: generator/branch.py)
            facts = person.facts.get(area.heading, ()) if person else unit_facts(self.spec, area)
            own_texts = list(person.problems.get(area.heading, ()) if person else ())[: self.spec.problems_per_area]
            own_facts = person.problem_facts.get(area.heading, ()) if person else ()
            own = [own_problem(t, own_facts[i] if i < len(own_facts) else (), verbatim=verbatim)
                   for i, t in enumerate(own_texts)]
            own_follow_up = plan.own_follow_up.get(area.heading, ())
            if pinned == "own":  # the facts are the problem: nothing in the bank fitted them
                own.append(own_problem("；".join(f.rstrip("。；，") for f in facts) + "。"))
            picked = plan.problems[area.heading]
            bank_items = [ProblemItem(pick_title(p) or pick_text(p)[:16], pick_text(p), phrase=p.phrase)
                          for p in picked]
            # (slot, problem, planned measures): the slot keeps the member's own measures with the problem
            # they were written for, however the problems are ordered below.
            pairs = [(slot, problem, picks) for slot, (problem, picks)
                     in enumerate(zip(own + bank_items, plan.measures[area.heading], strict=True))]
            head, tail = pairs[: len(own)], pairs[len(own):]
            lead = tail.pop(0) if pinned == "bank" and tail else None
            # problems added for length follow the others in the order chosen (as after own problems)
            further = [pair for pair in tail if pair[1].phrase is not None
                       and picked[pair[0] - len(own)].reason == FURTHER]
            tail = [pair for pair in tail if pair not in further]
            rng.shuffle(tail)  # vary the order of the bank's problems; the member's own come first
            pairs = head + tail + further
            fact_slot = -1
            if lead is not None:  # the problem the facts prove (chosen by them) leads the area
                pairs.insert(0, lead)
                fact_slot = lead[0]
            elif pinned == "own":
                pairs.insert(0, pairs.pop(len(head) - 1))
                fact_slot = pairs[0][0]
            elif pairs and facts:
                best = _best_match(facts, [p for _, p, _ in pairs])
                pairs.insert(0, pairs.pop(best))  # the problem the facts illustrate leads the area
            if pairs:
                slot, first, picks = pairs[0]
                attached = () if pinned == "own" else facts
                # the branch's facts not given: named when the spec gives some, else when the area has none;
                # facts written under their own problem are where they belong: no placeholder is wanted
                hint = "" if person or (facts and not self.spec.branch) else missing_facts(self.spec, area)
                empty = "" if facts or any(p.facts for _, p, _ in pairs) else placeholder
                pairs[0] = (slot, replace(first, facts=first.facts + attached, placeholder=hint or empty), picks)
            own_measures = [own_item(t, (), verbatim=verbatim)
                            for t in (person.measures.get(area.heading, ()) if person else ())]
            problems = [p for _, p, _ in pairs]
            if not problems:  # the bank ran dry for this area: say so where the author will look
                problems = [ProblemItem("", "", facts, self._word("empty_area", index))]
            parts.append(AreaPart(area.heading, area.dimension, tuple(problems)))
            for pick in plan.problems[area.heading]:
                explain.append(Choice("问题", area.heading, pick.phrase.id, pick.phrase.source, pick.reason))
            if self.spec.doctype.causes == "problem":
                causes.extend(self._causes_by_problem(plan, area, problems, explain))
            for pick in plan.causes[area.heading] if pairs and self.spec.doctype.causes != "problem" else ():
                linked = tuple(p.title for p in problems if p.phrase and p.phrase.id in pick.phrase.answers)
                causes.append(Item(pick_title(pick), pick_text(pick), linked or tuple(p.title for p in problems),
                                   pick.phrase))
                explain.append(Choice("原因", area.heading, pick.phrase.id, pick.phrase.source, pick.reason))
            items = [] if pairs or own_measures else [Item("", self._word("empty_measures", index), ("",))]
            follow_up = plan.follow_up.get(area.heading, "")
            for slot, problem, picks in pairs:
                # the measure for a problem with the member's own facts follows them up (after the measure)
                own_up = own_follow_up[slot] if slot < len(own_follow_up) else ""
                if slot < len(own_measures):  # the member's own measures answer the area's problems in order
                    mine = replace(own_measures[slot], answers=(problem.title,))
                    if own_up:
                        mine = replace(mine, text=f"{sentence_end(mine.text)}{own_up}")
                    items.append(mine)
                    continue
                for j, pick in enumerate(picks):
                    text = pick_text(pick)
                    if j == 0 and (own_up or (slot == fact_slot and follow_up)):  # the measure follows the fact up
                        text = f"{text.rstrip()}{own_up or follow_up}"
                    items.append(Item(pick_title(pick), text, (problem.title,), pick.phrase))
                    target = self.spec.length or self.spec.doctype.length
                    why = pick.reason if j == 0 else f"补充措施，使篇幅接近 {target} 字"
                    explain.append(Choice("措施", area.heading, pick.phrase.id, pick.phrase.source,
                                          f"回应问题“{problem.title}”：{why}"))
            last = problems[-1].title if problems else ""
            items.extend(replace(m, answers=(last,)) for m in own_measures[len(pairs):])
            groups.append(MeasureGroup(self._measure_heading(area, index + area_index, person, taken),
                                       area.heading, tuple(items)))
        if person and person.causes:
            titles = tuple(p.title for part in parts for p in part.problems)
            # a cause's title is a heading of its own: cut only at a full stop, never at the member's comma
            causes = [c if not c.mark else Item(f"{c.title}{c.mark}{c.text}".rstrip("。"), "", titles)
                      for c in (own_item(t, titles, verbatim=verbatim) for t in person.causes)]
        count = sum(len(part.problems) for part in parts)
        return Draft(self.spec, person, tuple(parts), tuple(causes), tuple(groups),
                     self._wording(index, person, count, plan), tuple(explain))

    def _causes_by_problem(self, plan: Plan, area: Area, problems: Sequence[ProblemItem],
                           explain: list[Choice]) -> list[Item]:
        """Causes in the order of the problems they answer; a problem left without one shares the previous."""
        found: list[tuple[Pick, list[str]]] = []
        waiting: list[str] = []
        for problem in problems:
            pick = plan.cause_of.get(problem.phrase.id) if problem.phrase else None
            if pick is None:
                if found:
                    found[-1][1].append(problem.title)
                else:
                    waiting.append(problem.title)
                continue
            found.append((pick, [*waiting, problem.title]))
            waiting = []
        items = []
        for pick, titles in found:
            items.append(Item(pick_title(pick), pick_text(pick), tuple(titles), pick.phrase))
            explain.append(Choice("原因", area.heading, pick.phrase.id, pick.phrase.source,
                                  f"回应问题“{'”“'.join(titles)}”：{pick.reason}"))
        return items

    def _measure_heading(self, area: Area, index: int, person: Person | None, taken: set[str] | None = None) -> str:
        """Personal drafts rotate headings member by member.

        A unit's single document (``taken`` given) instead takes the unused
        heading closest in wording to the area's own heading, because the branch
        presets draw on one dimension for several areas and their headings must
        neither repeat nor point at another area.
        """
        own = person.wording.get("measure_headings", {}).get(area.heading) if person else None
        if own:
            return str(own)
        own_headings = self._section().get("measure_headings") or {}
        headings = own_headings.get(area.dimension) or self.words["measure_headings"].get(area.dimension) \
            or [f"针对{area.heading}方面的问题"]
        offset = seeded_random(self.spec.seed, "measure_heading", area.heading).randrange(len(headings))
        if taken is None:
            return str(headings[(index + offset) % len(headings)])
        order = [str(headings[(index + offset + i) % len(headings)]) for i in range(len(headings))]
        fresh = [h for h in order if h not in taken] or order
        wanted = bigrams(area.heading)
        best = max(fresh, key=lambda h: (len(wanted & bigrams(h)), -fresh.index(h)))
        taken.add(best)
        return best

    def _wording(self, index: int, person: Person | None, count: int, plan: Plan) -> dict[str, str]:
        """The section's set phrases, filled in: the planner's choice for the varied ones, the rest rotating.

        Slots: {meeting} {unit} {role} {post} {identity} {study} {areas} {members} {count} {area_count} …
        """
        values = {**self.planner.slot_values(person),
                  "members": "、".join(p.name for p in self.spec.people), "count": cn_number(count),
                  "area_count": cn_number(len(self.spec.areas))}
        keys = [key for key in self._section() if key not in _COMPOSER_KEYS and key != "fact_follow_up"]
        # A unit's document names its committee members inside the preamble ({members_note}), when given.
        values["members_note"] = fill_slots(self._word("members", index), values) \
            if "members" in keys and self.spec.people else ""
        own = person.wording if person else {}
        out = {}
        for key in keys:
            if key in own:
                out[key] = str(own[key])
            else:
                out[key] = fill_slots(plan.words.get(key) or self._word(key, index), values)
        return out


def compose(spec: Spec, bank: Bank) -> Iterator[Draft]:
    """One Draft per person (or one for the unit when there are no people), in spec order."""
    composer = Composer(spec, bank)
    for index in range(len(composer.plans)):
        yield composer.draft(index)
