"""Spreading wording across a batch: sentence expansions of ``{甲|乙}`` entries, echoes, and entry usage."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice, product, repeat

from generator.bank import Phrase
from generator.roles import Standing
from generator.text import (
    ALTERNATIVE_RE,
    Template,
    bigrams,
    expand_groups,
    fill_sentence,
    han_only,
    plain_alternatives,
    shingles,
    template_sentences,
)

# How many earlier members an entry's reuse is weighed against (a branch, not a whole department).
RECENT = 100
# A passage this long (Chinese characters) appearing twice in one draft reads as a copy.
ECHO = 14
# Higher than any cost (a cost counts uses of one entry in one batch).
NO_LIMIT = 1 << 62
# A sentence this long (Chinese characters) seen in a third draft of a batch is noticed by a reviewer.
LONG_SENTENCE = 12
# Drafts a long sentence may appear in (unless the member wrote it).
SPREAD = 2
# Expansions of one sentence considered (the product of its groups' options, in a seeded order).
EXPANSIONS = 48


@dataclass
class Member:
    """What one member's draft already holds while it is planned."""

    index: int
    who: Standing = field(default_factory=Standing)
    used: set[str] = field(default_factory=set)
    shared: Counter[int] = field(default_factory=Counter)  # earlier member → entries in common so far
    # kind → titles too close to one chosen ("党员意识淡化" after "党员身份意识淡化" reads as a repeat)
    blocked: dict[str, set[str]] = field(default_factory=dict)
    # entry → a cost it is known to reach.  Costs only grow while one member is planned (uses and
    # recent users of an entry change only when it is chosen; shared counts and sentence spreads only
    # increase), so a cost seen in an earlier choice stays a lower bound for the rest of the member.
    floor: dict[str, int] = field(default_factory=dict)
    # runs of ECHO Chinese characters already in the draft: an entry repeating one reads as copied
    passages: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)  # long sentences of this draft (Chinese characters only)

    def keep(self, kind: str, phrase: Phrase, close: frozenset[str]) -> None:
        """Record a choice; ``close`` holds every candidate title too close to the chosen one."""
        self.used.add(phrase.id)
        self.blocked.setdefault(kind, set()).update(close)
        self.passages |= runs(phrase)

    def echoes(self, phrase: Phrase) -> bool:
        return not self.passages.isdisjoint(runs(phrase))


def runs(phrase: Phrase) -> frozenset[str]:
    """The entry's runs of :data:`ECHO` Chinese characters (title and text, first options)."""
    return _runs(phrase.title, phrase.text)  # keyed by the texts: hashing a whole entry costs more


@cache
def _runs(title: str, text: str) -> frozenset[str]:
    return frozenset(shingles(plain_alternatives(title + text), ECHO))


@cache
def sentence_templates(text: str) -> tuple[tuple[Template, tuple[tuple[int, ...], ...]], ...]:
    """Each sentence of ``text`` with the option choices to try (all of them, or :data:`EXPANSIONS`)."""
    out = []
    for sentence in template_sentences(text):
        sizes = [len(part) for part in sentence if isinstance(part, tuple)]
        choices = tuple(islice(product(*(range(n) for n in sizes)), EXPANSIONS))
        out.append((sentence, choices))
    return tuple(out)


@cache
def sentence_expansions(text: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Each sentence of ``text`` as its expansions: (the sentence, its Chinese characters), built once."""
    out = []
    for sentence, choices in sentence_templates(text):
        out.append(tuple((filled, han_only(filled)) for filled in (fill_sentence(sentence, c) for c in choices)))
    return tuple(out)


@cache
def long_expansions(text: str) -> tuple[tuple[str, ...], ...]:
    """For each long sentence of ``text``: its possible expansions as Chinese characters only."""
    found = []
    for expansions in sentence_expansions(text):
        keys = tuple(dict.fromkeys(han for _, han in expansions))
        if keys and len(keys[0]) >= LONG_SENTENCE:
            found.append(keys)
    return tuple(found)


class Expansions:
    """A set phrase's options with their ``{甲|乙}`` groups expanded, options interleaved (every option's first
    expansion, then every option's second…), each text built when first asked for."""

    def __init__(self, options: Sequence[str], seed: int) -> None:
        self.options = list(options)
        self.order: list[tuple[int, tuple[int, ...]]] = []
        per_option = []
        for n, option in enumerate(self.options):
            groups = [len(g.group(1).split("|")) for g in ALTERNATIVE_RE.finditer(option)]
            combos = list(islice(product(*(range(size) for size in groups)), EXPANSIONS))
            offset = (seed + n * 7919) % len(combos)
            per_option.append(combos[offset:] + combos[:offset])
        for j in range(max(map(len, per_option), default=0)):
            self.order.extend((n, combos[j]) for n, combos in enumerate(per_option) if j < len(combos))
        self.built: dict[int, tuple[str, tuple[str, ...]]] = {}  # index → text and long sentences

    def __len__(self) -> int:
        return len(self.order)

    def get(self, index: int) -> tuple[str, tuple[str, ...]]:
        """The text of expansion ``index`` and its long sentences."""
        found = self.built.get(index)
        if found is None:
            n, combo = self.order[index]
            text = expand_groups(self.options[n], combo)
            found = self.built[index] = (text, long_sentences(text))
        return found


@cache
def long_sentences(text: str) -> tuple[str, ...]:
    """The long sentences of an expanded text, as Chinese characters only."""
    found = (han_only(s) for s in re.split("(?<=[。！？；])", text))
    return tuple(s for s in found if len(s) >= LONG_SENTENCE)


def too_close(grams: frozenset[str], other: frozenset[str], share: float = 0.5) -> bool:
    """More than ``share`` of the shorter title's bigrams recur in the other."""
    return len(grams & other) > share * min(len(grams), len(other))


class Usage:
    """Who used which entry: drives least-used and least-shared choices across the batch.

    ``titles`` are all candidate titles of this kind in the batch, so that the titles too close to a
    chosen one can be listed once (:meth:`close`) instead of compared again for every member.
    """

    def __init__(self, titles: Iterable[str] = (), share: float = 0.5) -> None:
        self.share = share
        self.uses: Counter[str] = Counter()
        self.recent: dict[str, deque[int]] = defaultdict(deque)
        self.grams = {title: frozenset(bigrams(title)) for title in titles}
        self._close: dict[str, frozenset[str]] = {}

    def close(self, title: str) -> frozenset[str]:
        """The candidate titles too close to ``title`` (itself included, unless it is too short to compare)."""
        found = self._close.get(title)
        if found is None:
            grams = self.grams.get(title) or frozenset(bigrams(title))
            found = self._close[title] = frozenset(t for t, g in self.grams.items()
                                                   if too_close(g, grams, self.share))
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

