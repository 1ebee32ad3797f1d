"""The batch plan is pinned: optimising the planner (``generator/plan/``) must not change a choice.

Each batch below is reduced to a digest of every draft's chosen entries (ids, sections, areas) and the
exact sentences used (which also pins the sentence variants).  Templates and set phrases are left out on
purpose, so that only the planning and the bank can move these numbers.  When the bank or the planning
rules change on purpose, print the new values with ``python tests/test_plan_pinned.py`` and update them
in the same commit, saying why.

Last changed on purpose by issue 12: entries must fit the member (voice, rank, setting, duty), causes and
second measures only where they answer a chosen problem, at most half the problems with a second measure,
and {甲|乙} alternatives expanded to the least-spread sentence.  Issue 17 changed general-150-own only in how a
member's own cause is cut: at a full stop, never at the member's comma (the planning is the same).
"""

from __future__ import annotations

import hashlib
from functools import cache

import pytest

from generator.bank import Bank, load_bank
from generator.compose import Composer
from generator.draft import Draft
from generator.spec import spec_from_text

_HEAD = "meeting: 2025年度专题组织生活会\nunit: 机关第一党支部\ndate: 2026-01-20\n"


def _people(n: int, *, own_every: int = 0, causes_every: int = 0) -> str:
    lines = []
    for i in range(n):
        lines.append(f"  - name: 党员{i:04d}")
        if own_every and i % own_every == 3:
            lines.append("    facts:\n      工作作风: 给同志提意见时顾虑较多,提的多是工作建议")
            lines.append("    problems:\n      工作作风: [参加组织生活时发言准备不足。]")
        if causes_every and i % causes_every == 5:
            lines.append("    causes: [对自身要求有所放松,满足于完成任务。]")
    return "\n".join(lines) + "\n"


BATCHES = {
    "org-life-300": _HEAD + "preset: 组织生活会四个方面\nseed: 0\npeople:\n" + _people(300),
    "general-150-own": _HEAD + "preset: 通用\nseed: 11\nproblems_per_area: 3\nlength: 4000\npeople:\n"
    + _people(150, own_every=7, causes_every=11),
    "dims-120-short": _HEAD + "dimensions: [理论学习, 工作作风]\nproblems_per_area: 1\nseed: 3\npeople:\n"
    + _people(120),
}

PINNED = {
    "org-life-300": "96b7908c67d109937252f3f5",
    "general-150-own": "7e65bfa0ccb3d2a97e2262ff",
    "dims-120-short": "7b2688faf7a61b6e4ae87285",
}

# The first draft of the first batch, spelled out so that a change is readable.
FIRST_DRAFT_IDS: tuple[str, ...] = (
    "grow-理论学习-p10", "grow-理论学习-p06", "grow-理论学习-p09", "grow-理论学习-c03", "grow-理论学习-c02",
    "grow-理论学习-m06", "grow-理论学习-m10", "grow-理论学习-m09", "cur-党性修养-p4", "cur-党性修养-p6",
    "grow-党性修养-p07", "cur-党性修养-c4", "cur-党性修养-c3", "cur-党性修养-m5", "cur-党性修养-m4",
    "grow-党性修养-m07", "p-501bac1b86", "fit-b-宗旨意识-p42", "fit-b-宗旨意识-p43", "fit-b-宗旨意识-c11",
    "fit-b-宗旨意识-m25", "fit-b-宗旨意识-m44", "fit-b-宗旨意识-m45", "grow-担当作为-p03", "fit-b-担当作为-p34",
    "fit-b-担当作为-p35", "grow-担当作为-c03", "fit-b-担当作为-c10", "fit-b-担当作为-m36", "grow-担当作为-m03",
    "fit-b-担当作为-m37",
)


@cache
def _bank() -> Bank:
    return load_bank()


def _drafts(name: str) -> list[Draft]:
    composer = Composer(spec_from_text(BATCHES[name]), _bank())
    return [composer.draft(i) for i in range(len(composer.plans))]


def _digest(drafts: list[Draft]) -> str:
    h = hashlib.sha256()
    for draft in drafts:
        for c in draft.explain:
            h.update(f"{c.section}|{c.area}|{c.phrase_id}\n".encode())
        for area in draft.areas:
            h.update("".join(f"P{p.title}|{p.text}\n" for p in area.problems).encode())
        h.update("".join(f"C{c.title}|{c.text}\n" for c in draft.causes).encode())
        for group in draft.measures:
            h.update("".join(f"M{m.title}|{m.text}\n" for m in group.items).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:24]


@pytest.mark.parametrize("name", sorted(BATCHES))
def test_batch_plan_is_unchanged(name: str) -> None:
    assert _digest(_drafts(name)) == PINNED[name]


def test_first_draft_choices_are_unchanged() -> None:
    assert tuple(c.phrase_id for c in _drafts("org-life-300")[0].explain) == FIRST_DRAFT_IDS


def test_plans_handed_to_another_composer_give_the_same_drafts() -> None:
    """Workers draft from plans made in the parent (``share_plans`` → ``adopt_plans``), never planning themselves."""
    spec = spec_from_text(BATCHES["general-150-own"])
    parent, worker = Composer(spec, _bank()), Composer(spec, _bank())
    wanted = [3, 5, 149, 60]
    worker.adopt_plans(parent.share_plans(wanted))
    for index in wanted:
        assert _digest([worker.draft(index)]) == _digest([parent.draft(index)])
    assert worker.plans._done == []  # nothing was planned in the worker


if __name__ == "__main__":
    for batch in sorted(BATCHES):
        print(f'    "{batch}": "{_digest(_drafts(batch))}",')
    print(tuple(c.phrase_id for c in _drafts("org-life-300")[0].explain))
