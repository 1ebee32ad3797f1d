"""The batch planner: chooses each member's entries and set phrases, member by member (see the package)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from itertools import repeat
from typing import Any, overload

from generator.bank import Bank, Phrase
from generator.branch import branch_facts
from generator.plan.fit import (
    fits_member,
    fits_voice,
    off_topic,
    post_words_match,
    voice_rules,
    without_a_job,
    wording_data,
)
from generator.plan.model import (
    PackedPicks,
    PackedPlan,
    Pick,
    Plan,
    pick_text,
    pick_title,
    seeded_index,
    seeded_indexer,
    seeded_random,
)
from generator.plan.spread import (
    LONG_SENTENCE,
    NO_LIMIT,
    SPREAD,
    Expansions,
    Member,
    Usage,
    long_expansions,
    long_sentences,
    sentence_expansions,
)
from generator.roles import Standing, standing
from generator.spec import Person, Spec
from generator.taxonomy import Area
from generator.text import (
    bigrams,
    fill_slots,
    han_only,
    han_pairs,
    option_texts,
    plain_alternatives,
)

# Characters an item adds besides its title and text: ordinal, full stop, line furniture.
_ITEM_EXTRA = 4
# A short draft takes at most this many problems more per area than the spec asks for, and no area more
# than MOST_PER_AREA problems (the most a spec may ask for).
EXTRA_PROBLEMS = 2
MOST_PER_AREA = 5
# Further problems are added while a draft is below this share of the target length (then only causes and
# second measures): a branch's pool of fresh problems is shared, and the first members must not take it all.
FURTHER_TARGET = 0.85
# The reason a problem was added for length (the composer keeps such problems after the others, in order).
FURTHER = "补充问题，使篇幅接近要求的字数"
# A problem added for length is one fewer than this many drafts of the batch hold already.
FURTHER_USES = 2
# How many of an area's measures, closest in wording to a problem, a fallback measure is chosen from.
CLOSEST = 6
# Cost of an entry with a sentence that every expansion would put into a third draft: above any reuse cost.
SATURATED = 1 << 20
# Cost of an entry for each sentence that every expansion would share with one other draft (a few reuses).
SHARED = 4
# A fact pins the bank problem sharing at least this many character pairs with it (and a share of its pairs).
FACT_PAIRS = 3
FACT_SHARE = 0.12
# Among problems a fact reaches, extra weight (in shared pairs) for one a fitting measure answers and for
# one written for the member's post: the whole chain, and the member's own work, win a near tie.
FACT_ANSWERED = 1.5
FACT_POST = 2.0
# A pair held by more than this share (and FACT_COMMON_MIN) of the area's problems counts FACT_COMMON_WEIGHT.
FACT_COMMON = 0.2
FACT_COMMON_MIN = 2
FACT_COMMON_WEIGHT = 0.5
# Pairs with a numeral (两次, 了两) say how often, not what happened: they weigh as common pairs.
_NUMERAL_RE = re.compile("[一二两三四五六七八九十几百千]")
# Set phrases the planner varies per member (openings, transitions, closings, the last-year placeholder).
VARIED_WORDS = ("preamble", "problems_intro", "causes_intro", "measures_intro", "pledge", "last_year", "facts_lead")
DEFAULT_STUDY = "党的创新理论"
# Expansions of a set phrase weighed for one member (see Planner._pick_phrase).
PHRASE_SCAN = 48
_NO_GROUP_MARKS = str.maketrans({"{": "（", "}": "）", "|": "、"})
# An entry's title as counted in ``title_uses``: the same few hundred titles recur member after member.
_plain = cache(plain_alternatives)


# Two problems (causes) of one draft whose texts share more than this share of the shorter one's character
# pairs, or whose titles share more than NEAR_TITLE of theirs, say the same thing twice.
NEAR_TEXT = 0.25
NEAR_TITLE = 0.5
# Text pairs held by more than this share of the batch's entries of a kind are left out of that comparison.
NEAR_COMMON = 0.05
# A member's own problem text holding this share of an entry's character pairs is that entry, reworded at most.
SAME_TEXT = 0.9


def _share(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set's pairs found in the other (0 when either is empty)."""
    small = min(len(a), len(b))
    return len(a & b) / small if small else 0.0


class Plans(Sequence[Plan]):
    """The batch plan, made member by member on first use.

    Always in member order, whoever asks first, so a draft never depends on which drafts were asked for
    before it; and a batch's first drafts can be written while later members are still being planned.
    Plans in ``given`` came from another process (see :meth:`Planner.adopt`).
    """

    def __init__(self, planner: Planner, members: Sequence[Person | None]) -> None:
        self._planner = planner
        self._members = members
        self._ledgers = {kind: Usage((p.title for (k, _), pool in planner.pools.items() if k == kind for p in pool),
                                     0.4 if kind == "cause" else 0.5)
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


class Pool(list[Phrase]):
    """Entries a member may say, in seeded order, with where each problem's answers and each article sit in it.

    A pool serves every member of one standing: the lists of entries answering a problem (or mined from
    its article) are found by look-up instead of a pass over the pool for each problem of each member.
    """

    def __init__(self, entries: Iterable[Phrase]) -> None:
        super().__init__(entries)
        self.by_answer: dict[str, list[int]] = {}
        self.by_group: dict[str, list[int]] = {}
        for position, phrase in enumerate(self):
            for answered in dict.fromkeys(phrase.answers):
                self.by_answer.setdefault(answered, []).append(position)
            if phrase.group:
                self.by_group.setdefault(phrase.group, []).append(position)

    def among(self, index: Mapping[str, list[int]], keys: Iterable[str]) -> list[Phrase]:
        """The entries filed under any of ``keys``, in pool order."""
        found = [index[key] for key in dict.fromkeys(keys) if key in index]
        if not found:
            return []
        positions = found[0] if len(found) == 1 else sorted(set().union(*found))
        return [self[i] for i in positions]


def _linked(candidates: Sequence[Phrase], problems: Sequence[Phrase]) -> tuple[list[Phrase], str]:
    """Candidates tied to ``problems``: answering one explicitly, else mined from the same article."""
    if isinstance(candidates, Pool):
        direct = candidates.among(candidates.by_answer, (p.id for p in problems))
    else:
        ids = {p.id for p in problems}
        direct = [c for c in candidates if not ids.isdisjoint(c.answers)]
    if direct:
        return direct, "词库注明它回应所选问题"
    if isinstance(candidates, Pool):
        grouped = candidates.among(candidates.by_group, (p.group for p in problems if p.group))
    else:
        groups = {p.group for p in problems if p.group}
        grouped = [c for c in candidates if c.group and c.group in groups]
    if grouped:
        return grouped, "与所选问题出自同一篇范文"
    return [], ""


def first_clause(text: str, longest: int = 30) -> str:
    """The fact's matter: its first sentence, cut at a comma when longer than ``longest``."""
    head = re.split(r"[。；;！？]", text.strip(), maxsplit=1)[0].strip().rstrip("，,")
    if len(head) <= longest:
        return head
    cuts = [i for i, ch in enumerate(head[:longest]) if ch in "，,"]
    return head[: cuts[-1]] if cuts and cuts[-1] >= 6 else head[:longest]


def fact_matter(fact: str, title: str = "", longest: int = 30) -> str:
    """How a follow-up names the fact's matter: the fact's first sentence when it is short enough to quote
    whole; else the title of the problem it proves (a whole phrase by construction); never a clause cut
    mid-way ("全年到分管的基层单位调研4次" says nothing of the 汇报 the fact is about)."""
    head = re.split(r"[。；;！？]", fact.strip(), maxsplit=1)[0].strip().rstrip("，,、")
    if len(head) <= longest:
        return head
    return title.rstrip("。") or first_clause(fact, longest)


def own_title(text: str) -> str:
    """The run-in title of a member's own problem (as the composer cuts it), or "" when it has none."""
    head, sep, _rest = text.partition("。")
    return head if sep and 4 <= len(head) <= 24 else ""


_POST_ASIDE_RE = re.compile(r"[（(][^）)]*[）)]")


def post_name(post: str) -> str:
    """The post as set phrases name it: asides in brackets and a clause after a comma left out.

    "副局长，分管人事和机关党建" and "高龄老党员（82岁）" are good descriptions for fit, but "作为支部书记和副局长，
    分管人事和机关党建，本人…" and "立足外出务工（广东电子厂）岗位" do not read as a sentence.
    """
    name = _POST_ASIDE_RE.sub("", post)
    return re.split("[，,；;]", name, maxsplit=1)[0].strip()


def months_later(date: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after ``date``'s month."""
    year, month = divmod(date.month - 1 + months, 12)
    year += date.year
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


class Planner:
    """Plans the whole batch once (member by member, on first use); picklable for worker processes."""

    def __init__(self, spec: Spec, bank: Bank) -> None:
        self.spec = spec
        self.bank = bank
        self.words = wording_data()
        voice, allowed = voice_rules(self.words, spec.doctype.id)
        self.allowed = allowed
        self.grams: dict[str, set[str]] = {}  # character pairs of entries, computed when first compared
        self.fact_grams: dict[str, frozenset[str]] = {}  # the same, Chinese only and every option (facts)
        self.near: dict[str, frozenset[str]] = {}  # entry → titles of entries saying the same (see _near)
        self.readings: dict[str, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}
        self.common_pairs: dict[str, frozenset[str]] = {}
        self.near_index: dict[str, dict[str, tuple[str, frozenset[str], tuple[frozenset[str], ...]]]] = {}
        self.title_readings: dict[str, tuple[str, ...]] = {}  # long titles only (see _title_spent)
        self.closest: dict[tuple[str, str, Standing], list[Phrase]] = {}  # closest measures to a wording
        self.pools: dict[tuple[str, str], list[Phrase]] = {}
        for area in spec.areas:
            for kind in ("problem", "cause", "measure"):
                pool = [p for d in area.dimensions for p in bank.select(kind, d)
                        if fits_voice(p, voice, allowed, bank)]
                rank = {p.id: seeded_random(spec.seed, kind, area.heading, p.id).random() for p in pool}
                # entries about the area's own matter first (areas sharing a dimension: the preset's topics);
                # a unit's report prefers entries written for it to mined essays (过去的…主要是…, anecdotes)
                # a committee's material prefers entries written for the branch's setting to generic ones
                # (members' own pools keep the seeded order: an away member should not prefer the branch's)
                essays, own = "organisation" in allowed, "" if spec.doctype.per_person else spec.setting
                self.pools[(kind, area.heading)] = sorted(pool, key=lambda p: (
                    off_topic(p, area.topics), essays and p.source != "curated", own not in p.settings,
                    rank[p.id]))
        self._fitting: dict[tuple[str, str, str, str, frozenset[str], tuple[str, ...], str], Pool] = {}
        self._answerable_pools: dict[tuple[str, Standing], list[Phrase]] = {}
        self.spread: Counter[str] = Counter()  # long sentence → drafts of the batch it is in
        self.word_uses: Counter[str] = Counter()  # set phrase text → drafts using it
        self.title_uses: Counter[str] = Counter()
        # entry → for each long sentence, its least-used expansion and that expansion's spread when last seen
        self._least: dict[str, list[tuple[int, int]]] = {}
        self._phrases: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], Expansions] = {}
        self.fixed_length = self._fixed_length()
        members: list[Person | None] = list(spec.people) if spec.doctype.per_person else [None]
        self.plans = self._plan(members)

    # ----------------------------------------------------------------- who may say it

    def standing_of(self, person: Person | None) -> Standing:
        """A member's standing; a unit's document speaks as its committee (a cadre's rank, no duty)."""
        if person is None or not self.spec.doctype.per_person:
            # an organisation writing about its branches may name any rank's duties (分管、班子成员)
            return Standing("leader" if "organisation" in self.allowed else "cadre", self.spec.setting)
        return standing(person.role, person.post, self.spec.setting)

    def pool(self, kind: str, area: Area, who: Standing) -> list[Phrase]:
        """The area's entries of ``kind`` that a member of this standing may say, in seeded order."""
        # members of one standing share it (the settings they keep from the branch included; entries
        # written for posts make it depend on role and post words too)
        key = (kind, area.heading, who.rank, who.setting, who.duties, who.also, who.words)
        found = self._fitting.get(key)
        if found is None:
            judgement = self.bank.judgement
            found = self._fitting[key] = Pool(p for p in self.pools[(kind, area.heading)]
                                              if fits_member(p, who, judgement(p)))
        return found

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
        def picks(chosen: Sequence[Pick]) -> PackedPicks:
            return tuple((p.phrase.id, p.variant, p.reason, p.title, p.text) for p in chosen)

        packed: list[PackedPlan] = []
        for index in indices:
            plan = self.plans[index]
            packed.append((index, {a: picks(ps) for a, ps in plan.problems.items()},
                           {a: picks(ps) for a, ps in plan.causes.items()},
                           {a: tuple(picks(ms) for ms in per) for a, per in plan.measures.items()},
                           plan.words, plan.pinned, plan.follow_up, plan.own_follow_up))
        return packed

    def adopt(self, packed: Iterable[PackedPlan]) -> None:
        """Use plans made by another process (a worker's planner then plans nothing itself)."""
        def picks(chosen: PackedPicks) -> list[Pick]:
            out = []
            for phrase_id, variant, reason, title, text in chosen:
                phrase = self.bank.get(phrase_id)
                assert phrase is not None, phrase_id  # the same bank in both processes
                out.append(Pick(phrase, variant, reason, title, text))
            return out

        self.plans.given = {
            index: Plan({a: picks(ps) for a, ps in problems.items()}, {a: picks(ps) for a, ps in causes.items()},
                        {a: [picks(ms) for ms in per] for a, per in measures.items()}, {}, dict(words),
                        dict(pinned), dict(follow_up), dict(own_follow_up))
            for index, problems, causes, measures, words, pinned, follow_up, own_follow_up in packed}

    def _sharing(self, phrase: Phrase, uses: int) -> int:
        """Cost of the sentences of ``phrase`` that every expansion would share with another draft.

        :data:`SATURATED` for each already in :data:`SPREAD` drafts, :data:`SHARED` for each in one: an
        entry with a fresh way of saying each sentence (or not used yet) costs nothing here.
        """
        if uses < 1:
            return 0
        if uses >= SPREAD and self._title_spent(phrase):
            return SATURATED  # a long title without another reading is a sentence too (a third draft sees it)
        least = self._least_spreads(phrase)
        saturated = shared = 0
        for count in least:
            if count >= SPREAD:
                saturated += 1
            elif count == 1:
                shared += 1
        if uses < SPREAD:
            saturated = 0  # only an entry used SPREAD times can have filled its sentences' drafts
        if saturated == len(least):
            return SATURATED * saturated
        return SATURATED * saturated + SHARED * shared

    def _least_spreads(self, phrase: Phrase) -> list[int]:
        """For each long sentence of ``phrase``: how many drafts the least-used of its expansions is in.

        Spreads only grow, so the expansion found least-used last time stays so while its count has not
        moved: one look-up a sentence instead of one per expansion (the hot path of a large batch).
        """
        expansions = long_expansions(phrase.text)
        hints = self._least.get(phrase.id)
        if hints is None:
            hints = self._least[phrase.id] = [(0, 0)] * len(expansions)
        spread = self.spread.get
        out = []
        for number, keys in enumerate(expansions):
            at, least = hints[number]
            if spread(keys[at], 0) != least:  # it was used since: find the least-used again
                counts = list(map(spread, keys, repeat(0)))
                least = min(counts)
                hints[number] = (counts.index(least), least)
            out.append(least)
        return out

    def _saturated(self, phrase: Phrase, uses: int, least: list[int] | None = None) -> int:
        """Sentences of ``phrase`` already in :data:`SPREAD` drafts however its alternatives are expanded.

        Only an entry used :data:`SPREAD` times can have filled its sentences' drafts (the bank holds no
        two entries with one sentence: mining drops duplicates), so others are not looked at.
        """
        if uses < SPREAD:
            return 0
        if least is None:
            least = self._least_spreads(phrase)
        return sum(1 for n in least if n >= SPREAD)

    def _choose(self, kind: str, candidates: Sequence[Phrase], m: Member, ledger: Usage,
                reason: str, *, strict: bool = True, fresh: bool = False) -> Pick | None:
        """The candidate of lowest cost; the first in seeded order among equals.

        The cheap tests come first: entries already ruled out for this member, entries known (from
        earlier choices for the same member) to cost at least the best so far, and then costing stops
        as soon as an entry reaches the best.  An entry whose sentences would reach a third draft
        costs more than any reuse (:data:`SATURATED`).
        """
        echoing: set[str] = set()  # winners that would repeat a passage already in the draft
        while True:
            best = self._cheapest(kind, candidates, m, ledger, echoing, strict)
            if best is None or not strict or not m.echoes(best):
                break
            echoing.add(best.id)
        if best is None:
            return None
        if fresh and self._saturated(best, ledger.uses[best.id]):
            return None  # an optional addition (length) never puts a sentence into a third draft
        m.keep(kind, best, ledger.close(best.title) | self._near(kind, best))
        before = ledger.take(best, m.index, m.shared)
        return self._expand(Pick(best, before % (1 + len(best.variants)), reason), m)

    def _cheapest(self, kind: str, candidates: Sequence[Phrase], m: Member, ledger: Usage,
                  skip: set[str], strict: bool = True) -> Phrase | None:
        """``strict``: titles too close to a chosen one are out (a last resort lifts that)."""
        best: Phrase | None = None
        best_cost = NO_LIMIT
        used, index, shared, floor = m.used, m.index, m.shared, m.floor
        blocked = m.blocked.get(kind, ()) if strict else ()
        for phrase in candidates:  # candidates come in the seeded order, so ties are broken by the seed
            pid = phrase.id
            if pid in used or pid in skip or phrase.title in blocked or floor.get(pid, 0) >= best_cost:
                continue  # chosen already, repeats a chosen title, or known to cost too much
            cost = ledger.cost(pid, index, shared, best_cost)
            if cost < best_cost:  # both parts only add: the sharing is weighed only for a contender
                cost += self._sharing(phrase, ledger.uses[pid])
            floor[pid] = cost
            if cost < best_cost:
                best, best_cost = phrase, cost
                if cost == 0:
                    break  # nothing can cost less
        return best

    # ----------------------------------------------------------------- expanding alternatives

    def _expand(self, pick: Pick, m: Member) -> Pick:
        """Fix the title and every sentence of the text to the option used in the fewest drafts so far."""
        phrase = pick.phrase
        source = phrase.text if pick.variant == 0 else phrase.variants[pick.variant - 1]
        if not phrase.titles and "{" not in phrase.title and "{" not in source:  # nothing to vary
            self.title_uses[phrase.title] += 1
            self._record(source, m)
            return pick  # title and text as in the bank (kept empty: less to send to a worker)
        salt = (self.spec.seed, m.index, phrase.id)
        titles = [phrase.title, *phrase.titles] if phrase.title else []
        if titles:
            title_uses = self.title_uses
            if len(titles) > 1:
                offset = seeded_index(len(titles), *salt)
                titles = titles[offset:] + titles[:offset]
                title = min(titles, key=lambda t: title_uses[_plain(t)])
            else:
                title = titles[0]
            title = self._fill(title, m, (*salt, "title"), count=False)
            title_uses[_plain(title)] += 1
        else:
            title = ""
        pick.title, pick.text = title, self._fill(source, m, salt)
        return pick

    def _fill(self, text: str, m: Member, salt: tuple[object, ...], *, count: bool = True) -> str:
        """``text`` with each sentence's groups set to the least-spread expansion (seeded among equals)."""
        if "{" not in text:
            if count:
                self._record(text, m)
            return text
        out = []
        spreads, mine = self.spread.get, m.sentences
        seeded = seeded_indexer(*salt)
        for number, expansions in enumerate(sentence_expansions(text)):
            size = len(expansions)
            if size == 1:
                out.append(expansions[0][0])
                continue
            offset = seeded(size, number)
            best = ""
            best_key = -1
            for i in range(offset, offset + size):
                filled, han = expansions[i % size]
                # the order of (drafts holding the sentence, already in this draft) as one number; a short
                # sentence counts as neither (this draft's sentences are all long)
                key = 2 * spreads(han, 0) + (han in mine) if len(han) >= LONG_SENTENCE else 0
                if key == 0:
                    best = filled
                    break
                if best_key < 0 or key < best_key:
                    best, best_key = filled, key
            out.append(best)
        result = "".join(out)
        if count:
            self._record(result, m)
        return result

    def _record(self, text: str, m: Member) -> None:
        """Count the draft's long sentences once each in the batch-wide spread."""
        for han in long_sentences(text):
            if han not in m.sentences:
                m.sentences.add(han)
                self.spread[han] += 1

    # ----------------------------------------------------------------- one member

    def _cause(self, area: Area, chosen: Sequence[Phrase], m: Member, ledger: Usage, *,
               linked_only: bool = False, present_problems: Sequence[Phrase] = ()) -> list[Pick]:
        """A cause answering the chosen problems: one the bank links to them, else the closest in wording.

        ``linked_only`` (a further cause, for length): only a linked one whose sentences are not yet in
        two other drafts.
        """
        causes = self.pool("cause", area, m.who)
        linked, why = _linked(causes, chosen)
        pick = self._choose("cause", linked, m, ledger, why, fresh=linked_only) if linked else None
        if pick is None and not linked_only and chosen:
            # a cause the bank wrote for other problems explains those, not these: only free ones stand in
            # (or one written for another problem of the area, which is in the draft too); a table's row
            # wants a cause of its own, so there the closest in wording stands in when no such one is left
            about = "".join(plain_alternatives(p.title + p.text) for p in chosen)
            present = {p.id for p in (present_problems or ())}
            free = [p for p in causes if not p.answers or not present.isdisjoint(p.answers)]
            pick = self._choose("cause", self._closest(free, about), m, ledger, "同一方面中措辞与所选问题最接近")
            if pick is None and present_problems:
                pick = self._choose("cause", self._closest(causes, about), m, ledger, "同一方面中措辞与该问题最接近")
        return [pick] if pick else []

    def _cause_each(self, area: Area, chosen: Sequence[Phrase], m: Member, ledger: Usage,
                    cause_of: dict[str, Pick]) -> list[Pick]:
        """A cause of its own for every problem (tables give each problem a row); none left → none."""
        picks = []
        for problem in chosen:
            found = self._cause(area, [problem], m, ledger, present_problems=chosen)
            if found:
                cause_of[problem.id] = found[0]
                picks.extend(found)
        return picks

    def _pinned_problem(self, area: Area, facts: Sequence[str], m: Member,
                        taken: set[str] | frozenset[str] = frozenset()) -> Phrase | None:
        """The bank problem the member's facts prove, by shared character pairs; bank order among equals.

        Pairs are counted on the Chinese characters alone (a comma pairs with nothing) and on every
        option of the entry's alternatives and titles, so "带动" in a second option still counts.  Among
        problems sharing enough pairs, one the bank can answer and one written for the member's post win
        a near tie.  No seed and no usage enter this choice: what happened decides what is confessed.
        """
        wanted = han_pairs("".join(facts))
        pool = self._answerable(area, m.who)
        order = {p.id: i for i, p in enumerate(self.bank.entries)}
        answered = {pid for p in self.pool("measure", area, m.who) for pid in p.answers}
        # a pair most of the area's problems hold (群众, 没有, 全年) says little about which one the fact proves
        held = Counter(pair for p in pool for pair in wanted & self._fact_grams(p))
        common = max(FACT_COMMON_MIN, FACT_COMMON * len(pool))
        best: Phrase | None = None
        best_score = 0.0
        floor = max(FACT_PAIRS, FACT_SHARE * len(wanted))
        for phrase in sorted(pool, key=lambda p: order.get(p.id, 0)):
            if phrase.id in m.used or phrase.id in taken:
                continue
            shared = wanted & self._fact_grams(phrase)
            weight = sum(FACT_COMMON_WEIGHT if held[pair] > common or _NUMERAL_RE.search(pair) else 1.0
                         for pair in shared)
            score = weight + (FACT_ANSWERED if phrase.id in answered else 0.0) \
                + (FACT_POST if post_words_match(phrase, m.who.words) else 0.0)
            if weight >= floor and score > best_score:
                best, best_score = phrase, score
        return best

    def _fact_grams(self, phrase: Phrase) -> frozenset[str]:
        """Character pairs a fact is compared with: every option of the entry's titles and text."""
        found = self.fact_grams.get(phrase.id)
        if found is None:
            found = self.fact_grams[phrase.id] = frozenset().union(
                *(han_pairs(t) for t in option_texts(" ".join((phrase.title, *phrase.titles, phrase.text)))))
        return found

    def _near(self, kind: str, phrase: Phrase) -> frozenset[str]:
        """Titles of the batch's problems (causes) saying what ``phrase`` says in other words.

        A draft holding both reads as a repeat ("对自己要求不够严格" beside "党员意识不够强", whose texts
        share two pairs in five): more than :data:`NEAR_TEXT` of the shorter text's character pairs, on
        every option, or a title reading (``titles:`` included) as close as :data:`NEAR_TITLE`.
        """
        if kind not in ("problem", "cause"):
            return frozenset()
        found = self.near.get(phrase.id)
        if found is None:
            index = self._near_index(kind)
            if phrase.id in index:
                _title, text, titles = index[phrase.id]
            else:
                own_text, titles = self._readings(phrase)
                text = own_text - self._common_pairs(kind)
            out = set()
            for pid, (title, other_text, other_titles) in index.items():
                if pid == phrase.id or title in out:
                    continue
                if _share(text, other_text) > NEAR_TEXT or any(
                        _share(a, b) > NEAR_TITLE for a in titles for b in other_titles):
                    out.add(title)
            found = self.near[phrase.id] = frozenset(out)
        return found

    def _near_index(self, kind: str) -> dict[str, tuple[str, frozenset[str], tuple[frozenset[str], ...]]]:
        """The batch's entries of ``kind`` once each: title, text pairs (common ones left out), title pairs."""
        found = self.near_index.get(kind)
        if found is None:
            common = self._common_pairs(kind)
            found = self.near_index[kind] = {}
            for (k, _), pool in self.pools.items():
                for other in pool if k == kind else ():
                    if other.id not in found:
                        text, titles = self._readings(other)
                        found[other.id] = (other.title, text - common, titles)
        return found

    def _common_pairs(self, kind: str) -> frozenset[str]:
        """Pairs in more than :data:`NEAR_COMMON` of the batch's entries of ``kind`` (不够, 群众, 工作):
        wording every entry shares says nothing about two of them saying the same."""
        found = self.common_pairs.get(kind)
        if found is None:
            entries = {p.id: p for (k, _), pool in self.pools.items() if k == kind for p in pool}
            held = Counter(pair for p in entries.values() for pair in self._readings(p)[0])
            found = self.common_pairs[kind] = frozenset(
                pair for pair, n in held.items() if n > NEAR_COMMON * len(entries))
        return found

    def _readings(self, phrase: Phrase) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        """Character pairs of an entry's text (every option) and of each reading of its titles."""
        found = self.readings.get(phrase.id)
        if found is None:
            text = frozenset().union(*(han_pairs(t) for t in option_texts(phrase.text)))
            titles = tuple(frozenset(han_pairs(t)) for title in (phrase.title, *phrase.titles)
                           for t in option_texts(title))
            found = self.readings[phrase.id] = (text, titles)
        return found

    def _answerable(self, area: Area, who: Standing) -> list[Phrase]:
        """The area's problems this member may say that a measure they may promise can answer.

        Every problem when the area has measures written for no problem in particular (one of them, the
        closest in wording, stands in); otherwise only problems some fitting measure names in ``answers``:
        a problem whose only measure is for another post would go unanswered.
        """
        key = (area.heading, who)
        found = self._answerable_pools.get(key)
        if found is None:
            measures = self.pool("measure", area, who)
            problems = self.pool("problem", area, who)
            if any(not p.answers for p in measures):
                found = problems
            else:
                answered = {pid for p in measures for pid in p.answers}
                found = [p for p in problems if p.id in answered]
            self._answerable_pools[key] = found
        return found

    def _grams(self, phrase: Phrase) -> set[str]:
        grams = self.grams.get(phrase.id)
        if grams is None:
            grams = self.grams[phrase.id] = bigrams(plain_alternatives(phrase.title + phrase.text))
        return grams

    def _proven(self, m: Member) -> dict[str, Phrase]:
        """For a unit's document: by area, the bank problem each area's branch facts prove (none for members).

        Chosen for all areas before any other pick, so an earlier area never takes the problem a later
        area's fact proves (发展党员 belongs with the problem about developing members).
        """
        if self.spec.doctype.per_person or not self.spec.branch:
            return {}
        found: dict[str, Phrase] = {}
        for area in self.spec.areas:
            proof = branch_facts(self.spec, area)
            if proof:
                pinned = self._pinned_problem(area, proof, m, {p.id for p in found.values()})
                if pinned is not None:
                    found[area.heading] = pinned
        return found

    def plan_member(self, index: int, person: Person | None, ledgers: dict[str, Usage]) -> Plan:
        plan = Plan()
        who = self.standing_of(person)
        m = Member(index, who)
        k = self.spec.problems_per_area
        duty_done = False
        proven = self._proven(m)
        reserved = {p.id for p in proven.values()}
        for area in self.spec.areas:
            own_texts = list(person.problems.get(area.heading, ())[:k]) if person else []
            facts = person.facts.get(area.heading, ()) if person and self.spec.doctype.per_person else ()
            pool = self._answerable(area, who)
            for text in own_texts:  # a bank entry the member took over as their own text is in the draft
                same = self._same_entry(text, pool)
                if same is not None:
                    m.keep("problem", same, ledgers["problem"].close(same.title) | self._near("problem", same))
            picks: list[Pick] = []
            if reserved:  # problems the branch's facts prove belong to their own areas
                pool = [p for p in pool if p.id not in reserved]
            proved = proven.get(area.heading)
            if proved is not None:  # a unit's own fact leads to the problem it proves
                m.keep("problem", proved, ledgers["problem"].close(proved.title) | self._near("problem", proved))
                ledgers["problem"].take(proved, m.index, m.shared)
                picks.append(self._expand(Pick(proved, 0, "与支部基本情况最接近（事例决定问题，不随种子变化）"), m))
                plan.pinned[area.heading] = "bank"
            if facts and not own_texts:
                pinned = self._pinned_problem(area, facts, m)
                if pinned is not None:
                    m.keep("problem", pinned, ledgers["problem"].close(pinned.title) | self._near("problem", pinned))
                    ledgers["problem"].take(pinned, m.index, m.shared)
                    picks.append(self._expand(Pick(pinned, 0, "与本人事例最接近（事例决定问题，不随种子变化）"), m))
                    plan.pinned[area.heading] = "bank"
                else:  # nothing in the bank fits: the facts become the problem itself
                    own_texts.append("；".join(f.rstrip("。；，") for f in facts) + "。")
                    plan.pinned[area.heading] = "own"
            duty = [p for p in pool if p.duty and p.duty in who.duties] if who.duties and not duty_done else []
            if duty and len(picks) + len(own_texts) < k:  # the first area with room takes the duty
                pick = self._choose("problem", duty, m, ledgers["problem"], "本人的支部职责（一岗双责、第一责任人）")
                if pick:
                    picks.append(pick)
                    duty_done = True
            pool = [p for p in pool if not p.duty]  # a draft carries one duty problem: the one taken above
            preferred = [p for p in pool if post_words_match(p, who.words)]
            while len(picks) + len(own_texts) < k:
                pick = (self._choose("problem", preferred, m, ledgers["problem"], "为本人岗位而写") if preferred
                        else None) or self._choose("problem", pool, m, ledgers["problem"],
                                                   "本批次中使用最少、与其他党员重复最少")
                if pick is None:
                    break
                picks.append(pick)
            plan.problems[area.heading] = picks
            chosen = [p.phrase for p in picks]
            if self.spec.doctype.causes == "problem":
                plan.causes[area.heading] = self._cause_each(area, chosen, m, ledgers["cause"], plan.cause_of)
            else:
                plan.causes[area.heading] = [] if person and person.causes else \
                    self._cause(area, chosen, m, ledgers["cause"])
            plan.measures[area.heading] = [
                *(self._measure(area, None, m, ledgers["measure"], text) for text in own_texts),
                *(self._measure(area, problem, m, ledgers["measure"]) for problem in chosen)]
            if facts and area.heading in plan.pinned:
                proof_title = pick_title(picks[0]) if plan.pinned[area.heading] == "bank" and picks else ""
                plan.follow_up[area.heading] = self._follow_up(facts, m, proof_title)
            own_facts = person.problem_facts.get(area.heading, ()) if person else ()
            if any(own_facts[: len(own_texts)]):  # facts written under an own problem: its measure follows them up
                plan.own_follow_up[area.heading] = tuple(
                    self._follow_up(f, m, own_title(own_texts[i])) if f else ""
                    for i, f in enumerate(own_facts[: len(own_texts)]))
        self._lengthen(m, person, plan, ledgers)
        plan.words = self._choose_words(m, person)
        return plan

    def _measure(self, area: Area, problem: Phrase | None, m: Member, ledger: Usage,
                 text: str = "", *, linked_only: bool = False) -> list[Pick]:
        """The measure answering ``problem`` (or a member's own problem ``text``).

        One the bank links to it when there is one (preferring one written for the member's post);
        otherwise one of the area's measures closest to the problem in wording, so that a fallback
        still reads as an answer to it.
        """
        measures = self.pool("measure", area, m.who)
        linked, why = _linked(measures, [problem]) if problem else ([], "")
        preferred = [p for p in linked if post_words_match(p, m.who.words)]
        pick = self._choose("measure", preferred, m, ledger, why, fresh=linked_only) if preferred else None
        pick = pick or (self._choose("measure", linked, m, ledger, why, fresh=linked_only) if linked else None)
        if pick is None and linked_only:
            return []
        about = plain_alternatives(problem.title + problem.text) if problem else text
        # a measure the bank wrote for other bank problems answers those: it never stands in for one of
        # them; a member's own problem (nothing in the bank was written for it) takes the closest in wording
        free = [p for p in measures if not p.answers] if problem else measures
        if pick is None and about:
            key = (area.heading, about, m.who)
            closest = self.closest.get(key)
            if closest is None:  # the same bank problems recur member after member
                closest = self.closest[key] = (self._closest(free, about) if problem else
                                               self._closest([p for p in free if not p.answers], about)
                                               + self._closest(free, about))
            pick = self._choose("measure", closest, m, ledger, "同一方面中措辞与该问题最接近")
        pick = pick or self._choose("measure", free, m, ledger, "同一方面、使用最少")
        if pick is None and not linked_only:
            # every measure left reads close to one chosen already: a problem without a measure is worse
            pick = self._choose("measure", linked or free, m, ledger, why or "同一方面、使用最少", strict=False)
        return [pick] if pick else []

    def _closest(self, candidates: Sequence[Phrase], about: str, keep: int = CLOSEST) -> list[Phrase]:
        """The ``keep`` candidates sharing most character pairs with ``about``, seeded order among equals."""
        wanted = bigrams(about)
        ranked = sorted(range(len(candidates)), key=lambda i: -len(wanted & self._grams(candidates[i])))
        return [candidates[i] for i in ranked[:keep]]

    def _follow_up(self, facts: Sequence[str], m: Member, title: str = "") -> str:
        """A sentence following the member's fact up: its matter (and number) and a deadline."""
        options = self._section().get("fact_follow_up") or []
        if not options:
            return ""
        due = months_later(self.spec.date, 2)
        values = {"matter": fact_matter(facts[0], title), "deadline": f"{due.year}年{due.month}月底前"}
        return self._pick_phrase("fact_follow_up", [str(o) for o in options], values, m)

    def _estimate(self, person: Person | None, plan: Plan) -> int:
        """Characters the draft will have: set phrases, chosen entries and the member's own text."""
        picks = [p for ps in plan.problems.values() for p in ps] + [p for ps in plan.causes.values() for p in ps]
        picks += [m for per_area in plan.measures.values() for ms in per_area for m in ms]
        size = self.fixed_length + sum(_ITEM_EXTRA + len(pick_title(p)) + len(pick_text(p)) for p in picks)
        if person:
            own = [*person.causes, *(t for ts in (*person.problems.values(), *person.facts.values(),
                                                  *person.measures.values()) for t in ts),
                   *(t for per in person.problem_facts.values() for fs in per for t in fs)]
            size += sum(len(t) for t in own)
        return size

    def _lengthen(self, m: Member, person: Person | None, plan: Plan, ledgers: dict[str, Usage]) -> None:
        """Reach the target length: round by round a further linked cause per area, then a further problem
        per area (with its own measure), while the draft is short; last, second measures.

        A short draft is short in its problems and causes, which a reviewer wants to be at least half of
        the text, so problems come before second measures; an area takes at most :data:`EXTRA_PROBLEMS`
        more than the spec asks for (and never more than :data:`MOST_PER_AREA`).  Only causes the bank
        links to a chosen problem are added, and a second measure goes to at most half the problems: a
        reviewer counts measures per problem.
        """
        target = self.spec.length or self.spec.doctype.length
        if not target or not self.spec.areas:
            return
        size = self._estimate(person, plan)
        areas = self.spec.areas
        more_causes = not (person and person.causes) and self.spec.doctype.causes != "problem"
        # further problems only in a member's own material whose problems the planner chose: a unit's
        # documents list what its committee agreed, and problems a member wrote (in the wizard, a spec or an
        # imported draft) are the ones they chose to confess
        further = self.spec.doctype.per_person and not (person and any(person.problems.values()))
        extra = dict.fromkeys((a.heading for a in areas), 0 if further else EXTRA_PROBLEMS)
        # never more causes than the problems the spec asks for: a branch's causes come from a small pool,
        # and every further one is a paragraph other drafts share
        most_causes = min(sum(len(per) for per in plan.measures.values()),
                          self.spec.problems_per_area * len(areas))
        grown = True
        while grown and size < target:
            grown = False
            for area in areas if more_causes else ():
                if size >= target or sum(len(c) for c in plan.causes.values()) >= most_causes:
                    break
                chosen = [p.phrase for p in plan.problems[area.heading]]
                added = self._cause(area, chosen, m, ledgers["cause"], linked_only=True)
                plan.causes[area.heading] += added
                grown = grown or bool(added)
                size += sum(_ITEM_EXTRA + len(pick_title(p)) + len(pick_text(p)) for p in added)
            # a whole round or none: every area takes its further problem (an imported draft then reads as
            # so many problems per area, and the areas stay even)
            for area in areas if size < FURTHER_TARGET * target else ():
                if extra[area.heading] >= EXTRA_PROBLEMS or len(plan.measures[area.heading]) >= MOST_PER_AREA:
                    continue
                added = self._further_problem(area, m, plan, ledgers)
                extra[area.heading] += 1 if added else EXTRA_PROBLEMS  # an area with nothing left is done
                grown = grown or bool(added)
                size += sum(_ITEM_EXTRA + len(pick_title(p)) + len(pick_text(p)) for p in added)
        problems = sum(len(per) for per in plan.measures.values())
        seconds = 0
        for slot in range(MOST_PER_AREA):  # a second measure for each problem in turn
            for area in areas:
                per_problem = plan.measures[area.heading]
                if size >= target or 2 * (seconds + 1) > problems:
                    return
                if slot >= len(per_problem) or len(per_problem[slot]) != 1:
                    continue
                picked = plan.problems[area.heading]
                own = len(per_problem) - len(picked)
                if slot < own:
                    continue  # a member's own problem keeps the one measure chosen for it
                added = self._measure(area, picked[slot - own].phrase, m, ledgers["measure"], linked_only=True)
                per_problem[slot] += added
                seconds += len(added)
                size += sum(_ITEM_EXTRA + len(pick_title(p)) + len(pick_text(p)) for p in added)

    def _same_entry(self, text: str, pool: Sequence[Phrase]) -> Phrase | None:
        """The entry of ``pool`` that a member's own problem text is a wording of (the wizard offers the
        bank's entries as the member's own text), or None."""
        wanted = frozenset(han_pairs(text))
        for phrase in pool:
            if wanted and _share(wanted, self._readings(phrase)[0]) >= SAME_TEXT:
                return phrase
        return None

    def _title_spent(self, phrase: Phrase) -> bool:
        """Every way of titling ``phrase`` is a long sentence already in :data:`SPREAD` drafts."""
        readings = self.title_readings.get(phrase.id)
        if readings is None:
            found = [t for title in (phrase.title, *phrase.titles) for t in option_texts(title)]
            # a short reading is never noticed as a repeat: such a title is never spent
            readings = self.title_readings[phrase.id] = \
                tuple(found) if found and all(len(han_only(t)) >= LONG_SENTENCE for t in found) else ()
        return bool(readings) and all(self.title_uses[t] >= SPREAD for t in readings)

    def _further_problem(self, area: Area, m: Member, plan: Plan, ledgers: dict[str, Usage]) -> list[Pick]:
        """One more problem for a short draft, with its measure (and, in tables, its cause); [] if none.

        Only a problem a fitting measure answers, that says nothing a chosen one says (see :meth:`_near`),
        and whose every sentence can still be said in words no other draft uses; never a second duty problem.
        """
        uses = ledgers["problem"].uses
        # an addition for length adds no sentence another draft holds already (every sentence of the entry
        # has an expansion nobody used), so it never pushes the batch's drafts closer together
        pool = [p for p in self._answerable(area, m.who) if not p.duty and p.id not in m.used
                and uses[p.id] < FURTHER_USES and not self._title_spent(p) and not self._sharing(p, uses[p.id])]
        preferred = [p for p in pool if post_words_match(p, m.who.words)]
        why = FURTHER
        pick = (self._choose("problem", preferred, m, ledgers["problem"], why, fresh=True) if preferred else None) \
            or self._choose("problem", pool, m, ledgers["problem"], why, fresh=True)
        if pick is None:
            return []
        measures = self._measure(area, pick.phrase, m, ledgers["measure"])
        plan.problems[area.heading].append(pick)
        plan.measures[area.heading].append(measures)
        added = [pick, *measures]
        if self.spec.doctype.causes == "problem":
            cause = self._cause_each(area, [pick.phrase], m, ledgers["cause"], plan.cause_of)
            plan.causes[area.heading] += cause
            added += cause
        return added

    # ----------------------------------------------------------------- set phrases

    def _section(self) -> Mapping[str, Any]:
        """The wording section of this document type (``personal`` for types without one)."""
        section: Mapping[str, Any] = self.words[self.spec.doctype.id if self.spec.doctype.id in self.words
                                                else "personal"]
        return section

    def slot_values(self, person: Person | None) -> dict[str, str]:
        """What set phrases may name: {meeting} {unit} {areas} {study} {role} {post} {identity} …"""
        spec = self.spec
        role = (person.role if person else "") or "党员"
        post = post_name(person.post if person else "")
        plain_member = role in ("党员", "普通党员", "")
        # "外出务工岗位" and "退休教师岗位" read oddly: members outside a workplace speak of 本职 instead
        not_a_job = self.standing_of(person).setting in ("rural", "away", "retired", "")
        if post and not plain_member:
            # 支部书记 who is 村党支部书记 says so once
            identity = post if role in post or (role.endswith("书记") and "书记" in post) else f"{role}和{post}"
        elif post and not_a_job:
            # 一名外出务工党员, 一名高龄老党员, 一名在外地驻场调试的党员
            identity = (f"一名{post}" if "党员" in post else
                        f"一名{post}的党员" if post.startswith("在") else f"一名{post}党员")
        elif post:
            identity = f"{post}岗位上的一名党员"
        else:
            identity = "一名普通党员" if plain_member else role
        values = {"meeting": spec.meeting, "unit": spec.unit or "党支部",
                "areas": "、".join(a.heading for a in spec.areas), "study": spec.study or DEFAULT_STUDY,
                "role": role, "post": post if post and not not_a_job else "本职",
                "identity": identity}
        # a member's words never open or close an alternative of the set phrase they are put into
        return {k: v.translate(_NO_GROUP_MARKS) for k, v in values.items()}

    def _choose_words(self, m: Member, person: Person | None) -> dict[str, str]:
        """Each varied set phrase: an option (alternatives expanded, slots filled) no other draft uses yet."""
        section = self._section()
        values = self.slot_values(person)
        chosen: dict[str, str] = {}
        jobless = without_a_job(self.words, m.who) if person else None
        for key in VARIED_WORDS:
            options = section.get(key)
            if not isinstance(options, list) or not options or (person and key in person.wording):
                continue
            options = [o for o in options if not (jobless and jobless.search(str(o)))] or options
            chosen[key] = self._pick_phrase(key, [str(o) for o in options], values, m)
        return chosen

    def _pick_phrase(self, key: str, options: Sequence[str], values: Mapping[str, str], m: Member) -> str:
        """The least-used way of saying a set phrase: unused text first, then the fewest shared sentences.

        At most :data:`PHRASE_SCAN` expansions are weighed, starting at a seeded place, every option taking
        its turn before any gets a second expansion: enough for a branch, and a thousand-member batch
        does not weigh every expansion for every member.  Expansions are built only when weighed.
        """
        phrases = self._phrase_candidates(key, tuple(options), tuple(sorted(values.items())))
        size, built, build = len(phrases), phrases.built, phrases.get
        start = seeded_index(size, self.spec.seed, key, m.index)
        best = ""
        # the best so far as (uses, sum of its sentences' spreads, the largest spread), compared in that order
        best_uses = best_sum = best_max = NO_LIMIT
        word_uses, spreads = self.word_uses.get, self.spread.get
        for index in range(start, start + min(PHRASE_SCAN, size)):
            text, sentences = built.get(index % size) or build(index % size)
            uses = word_uses(text, 0)
            if uses > best_uses:
                continue  # used more often than the best so far: its sentences cannot make up for that
            if len(sentences) == 1:
                total = top = spreads(sentences[0], 0)
            elif sentences:
                counts = [spreads(s, 0) for s in sentences]
                total, top = sum(counts), max(counts)
            else:
                total = top = 0
            if uses < best_uses or total < best_sum or (total == best_sum and top < best_max):
                best, best_uses, best_sum, best_max = text, uses, total, top
                if uses == 0 and total == 0:
                    break  # unused, and no sentence of it in another draft
        self.word_uses[best] += 1
        self._record(best, m)
        return best

    def _phrase_candidates(self, key: str, options: tuple[str, ...], values: tuple[tuple[str, str], ...]
                           ) -> Expansions:
        """A set phrase's expansions for one set of slot values (members of one role and post share them)."""
        found = self._phrases.get((key, options, values))
        if found is None:
            filled = [fill_slots(option, dict(values)) for option in options]  # slots may sit inside an option
            seed = seeded_index(1 << 30, self.spec.seed, key)
            found = self._phrases[(key, options, values)] = Expansions(filled, seed)
        return found
