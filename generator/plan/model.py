"""What a plan holds: the picks of one member's draft, packed for worker processes, and the seeded random."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.bank import Phrase
from generator.text import plain_alternatives


def seeded_random(*parts: object) -> random.Random:
    """A generator seeded from stable text (Python's hash() of str is salted per process)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def seeded_index(size: int, *parts: object) -> int:
    """A seeded choice among ``size`` (as :func:`seeded_random` but without building a generator: hot paths)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % size


def seeded_indexer(*parts: object) -> Callable[[int, object], int]:
    """:func:`seeded_index` with its leading ``parts`` fixed: ``f(size, last) == seeded_index(size, *parts, last)``.

    One entry's sentences are each placed by the seed; the shared part of the key is joined once.
    """
    prefix = "".join(f"{part}\x1f" for part in parts)

    def index(size: int, last: object) -> int:
        digest = hashlib.sha256(f"{prefix}{last}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % size

    return index


def pick_text(pick: Pick) -> str:
    """The text of a chosen entry as the draft shows it (alternatives expanded)."""
    if pick.text:
        return pick.text
    phrase = pick.phrase
    return phrase.text if pick.variant == 0 else phrase.variants[pick.variant - 1]


def pick_title(pick: Pick) -> str:
    return pick.title or plain_alternatives(pick.phrase.title)


@dataclass
class Pick:
    phrase: Phrase
    variant: int
    reason: str
    title: str = ""  # the title and text as the draft shows them, alternatives expanded ("" = as in the bank)
    text: str = ""


@dataclass
class Plan:
    """What one member's draft takes, by area heading."""

    problems: dict[str, list[Pick]] = field(default_factory=dict)
    causes: dict[str, list[Pick]] = field(default_factory=dict)
    # per problem (own problems first, then the bank's in pick order): its measures, the answering one first
    measures: dict[str, list[list[Pick]]] = field(default_factory=dict)
    cause_of: dict[str, Pick] = field(default_factory=dict)  # problem id → its own cause (``causes: problem``)
    words: dict[str, str] = field(default_factory=dict)  # set phrases chosen for this member, slots filled
    # areas whose facts pinned a problem: "bank" (the first bank problem is the one they prove) or
    # "own" (nothing in the bank fits: the facts are the problem, after the member's own problems)
    pinned: dict[str, str] = field(default_factory=dict)
    follow_up: dict[str, str] = field(default_factory=dict)  # area → sentence following the facts up
    # area → for each own problem in order, the sentence following its own facts up ("" where it has none)
    own_follow_up: dict[str, tuple[str, ...]] = field(default_factory=dict)


PackedPicks = tuple[tuple[str, int, str, str, str], ...]
# A plan handed to a worker: member index; problems, causes and measures by area as (id, variant, reason,
# title, text); then the set phrases, the pinned areas and the follow-up sentences (by area, by own problem).
PackedPlan = tuple[int, dict[str, PackedPicks], dict[str, PackedPicks], dict[str, tuple[PackedPicks, ...]],
                   dict[str, str], dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]
