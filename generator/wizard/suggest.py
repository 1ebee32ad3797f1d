"""What the wizard offers and pre-selects for each review area.

The defaults are what ``draftgen batch`` itself would write for this member:
the composer plans a draft from the answers so far, and its problems, causes
and measures become the pre-selected entries, so pressing Enter gives a draft
of the usual length.  When the member picks other problems, causes and measures
follow them the way the composer links entries (an entry that names the problem
it answers, then one mined from the same article), falling back to the entries
that share most wording with the problem.  A problem the member types is
classified (kind and dimension) and stands in for the closest bank problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.text import bigrams
from generator.wizard.answers import Pick, phrase_text

if TYPE_CHECKING:
    from generator.bank import Bank, Phrase
    from generator.draft import Draft, Item, ProblemItem
    from generator.mining.classify import Verdict
    from generator.spec import Spec
    from generator.taxonomy import Area


def linked(candidates: Iterable[Phrase], problem: Phrase) -> list[Phrase]:
    """Entries that answer ``problem``: naming it explicitly, else mined from the same article."""
    pool = list(candidates)
    direct = [c for c in pool if problem.id in c.answers]
    if direct:
        return direct
    return [c for c in pool if problem.group and c.group == problem.group]


def by_likeness(candidates: Iterable[Phrase], text: str) -> list[Phrase]:
    """Candidates sharing most character pairs with ``text`` first (stable, so ties keep the seeded order)."""
    wanted = bigrams(text)
    pool = list(candidates)
    return sorted(pool, key=lambda c: -len(wanted & bigrams(c.title + c.text)))


@dataclass(frozen=True)
class AreaDefaults:
    problems: tuple[Phrase, ...]
    causes: tuple[Phrase, ...]
    measures: tuple[Phrase, ...]


class BankView:
    """The bank as one member's wizard sees it (built once the name is known, when the first area is asked)."""

    def __init__(self, spec: Spec, bank: Bank) -> None:
        from generator.compose import Composer
        from generator.plan import fits_member, fits_voice, voice_rules, wording_data
        from generator.spec import Person

        person = spec.people[0]
        plain = replace(spec, people=(Person(person.name, person.role, person.post),))
        composer = Composer(plain, bank)
        self.spec = spec
        self.bank = bank
        # only what this member may say (rank, setting, duty from role and post): the composer's own filter
        who = composer.planner.standing_of(plain.people[0])
        self.pools = {(kind, area.heading): composer.planner.pool(kind, area, who)
                      for area in spec.areas for kind in ("problem", "cause", "measure")}
        self._member_fits: Callable[[Phrase], bool] = lambda p: fits_member(p, who)
        draft = composer.draft(0)
        self.defaults = _defaults(draft)
        self.shown = _shown(draft)  # entry id → its text as the default draft words it (alternatives chosen)
        voice, allowed = voice_rules(wording_data(), spec.doctype.id)
        self._fits: Callable[[Phrase], bool] = lambda p: fits_voice(p, voice, allowed, bank)  # as batch filters
        self._texts = {(p.kind, phrase_text(p)): p for p in bank}
        self._texts.update({(p.kind, self.shown[p.id]): p for p in bank if p.id in self.shown})

    def text_of(self, phrase: Phrase) -> str:
        """An entry as own text: worded as batch words it for this member where it is a default."""
        return self.shown.get(phrase.id) or phrase_text(phrase)

    # ----------------------------------------------------------------- candidates

    def candidates(self, kind: str, area: Area, extra: Sequence[str] = ()) -> list[Phrase]:
        """The area's entries of ``kind`` in the composer's seeded order, then those of ``extra`` dimensions."""
        pool = list(self.pools.get((kind, area.heading), ()))
        for dim in extra:
            if dim not in area.dimensions:
                pool += [p for p in self.bank.select(kind, dim)
                         if self._fits(p) and self._member_fits(p) and p not in pool]
        return pool

    def match(self, kind: str, picks: Sequence[Pick]) -> list[Pick]:
        """Picks whose text is a bank entry's, marked with that entry (an answers file holds text only)."""
        out = []
        for pick in picks:
            phrase = self._texts.get((kind, pick.text))
            out.append(Pick(pick.text, phrase.id) if phrase else pick)
        return out

    def classify(self, text: str) -> Verdict:
        """Kind and dimension of a member's own sentence (the miner's classifier; no jieba)."""
        from generator.mining.classify import classify
        from generator.mining.data import data_file, load_cues

        return classify(text, load_cues(data_file("cues.yaml")))

    def anchor(self, pick: Pick, area: Area) -> Phrase | None:
        """The bank problem a pick stands for: itself, or for own text the closest one in its likely dimension."""
        phrase = self.bank.get(pick.phrase_id) if pick.phrase_id else None
        if phrase is not None:
            return phrase
        verdict = self.classify(pick.text)
        dims = [verdict.dimension] if verdict.dimension else []
        pool = self.candidates("problem", area, dims)
        best = by_likeness(pool, pick.text)[:1]
        return best[0] if best and len(bigrams(pick.text) & bigrams(best[0].title + best[0].text)) >= 2 else None

    # ----------------------------------------------------------------- pre-selection

    def default_problems(self, area: Area, start: Sequence[Pick], k: int) -> list[Pick]:
        """``start`` topped up to ``k`` with the problems batch would pick."""
        picks = list(start)[:k]
        taken = {p.phrase_id for p in picks}
        for phrase in self.defaults[area.heading].problems:
            if len(picks) >= k:
                break
            if phrase.id not in taken:
                picks.append(Pick(self.text_of(phrase), phrase.id))
        return picks

    def _is_default(self, area: Area, problems: Sequence[Pick]) -> bool:
        return [p.phrase_id for p in problems] == [p.id for p in self.defaults[area.heading].problems]

    def default_measures(self, area: Area, problems: Sequence[Pick], avoid: Set[str] = frozenset()) -> list[Pick]:
        """As many measures per problem as batch would write, each answering its problem; none of ``avoid``
        (measures chosen in other areas: one draft never prints a measure twice)."""
        d = self.defaults[area.heading]
        if self._is_default(area, problems) and not {self.text_of(m) for m in d.measures} & avoid:
            return [Pick(self.text_of(m), m.id) for m in d.measures]
        per = max(1, round(len(d.measures) / max(1, len(d.problems))))
        chosen: list[Phrase] = []
        for pick in problems:
            anchor = self.anchor(pick, area)
            extra = [anchor.dimension] if anchor else []
            pool = self.candidates("measure", area, extra)
            ranked = (linked(pool, anchor) if anchor else []) + by_likeness(pool, pick.text)
            chosen += _take([m for m in ranked if self.text_of(m) not in avoid], chosen, per)
        return [Pick(self.text_of(m), m.id) for m in chosen]

    def default_causes(self, areas: Sequence[Area], problems: Mapping[str, Sequence[Pick]]) -> list[Pick]:
        """For each area, as many causes as batch would write, linked to the area's chosen problems."""
        chosen: list[Phrase] = []
        for area in areas:
            d = self.defaults[area.heading]
            picks = problems.get(area.heading) or []
            if self._is_default(area, picks):
                chosen += [c for c in d.causes if c not in chosen]
                continue
            anchors = [a for a in (self.anchor(p, area) for p in picks) if a is not None]
            pool = self.candidates("cause", area, [a.dimension for a in anchors])
            ranked = [c for a in anchors for c in linked(pool, a)]
            ranked += by_likeness(pool, "".join(p.text for p in picks))
            chosen += _take(ranked, chosen, max(1, len(d.causes)))
        return [Pick(self.text_of(c), c.id) for c in chosen]


def _take(ranked: Iterable[Phrase], taken: Sequence[Phrase], n: int) -> list[Phrase]:
    out: list[Phrase] = []
    for phrase in ranked:
        if len(out) >= n:
            break
        if phrase not in taken and phrase not in out:
            out.append(phrase)
    return out


def _shown(draft: Draft) -> dict[str, str]:
    """The draft's entries as own text, by entry id: "title。text", alternatives as the composer chose them."""
    items: list[ProblemItem | Item] = [*draft.problems, *draft.causes, *(m for g in draft.measures for m in g.items)]
    return {i.phrase.id: f"{i.title}。{i.text}" if i.phrase.title else i.text for i in items if i.phrase}


def _defaults(draft: Draft) -> dict[str, AreaDefaults]:
    """What the composed draft holds, by area (a cause belongs to the area whose problems it answers)."""
    out: dict[str, AreaDefaults] = {}
    seen: set[str] = set()
    for part in draft.areas:
        titles = {p.title for p in part.problems}
        causes = [c.phrase for c in draft.causes if c.phrase and set(c.answers) & titles and c.phrase.id not in seen]
        seen.update(c.id for c in causes)
        measures = [m.phrase for g in draft.measures if g.area == part.heading for m in g.items if m.phrase]
        out[part.heading] = AreaDefaults(tuple(p.phrase for p in part.problems if p.phrase), tuple(causes),
                                         tuple(measures))
    return out
