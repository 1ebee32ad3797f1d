"""The branch's own facts (三会一课 held, 主题党日, 发展党员, last year's rectification) for unit documents.

A spec's ``branch`` field (a question of ``templates/questions.yaml``) holds them by
name; ``templates/rules/branch.yaml`` says in which review area each one proves a
problem and what placeholder marks it when missing.  They are placed like members'
facts: under the first problem of that area, after the facts the committee members
reported for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from generator.errors import InputError, Problem

if TYPE_CHECKING:
    from generator.spec import Spec
    from generator.taxonomy import Area


@dataclass(frozen=True)
class BranchFact:
    """One kind of branch fact and where it goes."""

    key: str
    label: str
    aliases: tuple[str, ...]
    areas: tuple[str, ...]
    dimensions: tuple[str, ...]
    placeholder: str
    last_year: bool = False


@cache
def branch_rules() -> tuple[BranchFact, ...]:
    """``templates/rules/branch.yaml``, checked once per process."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    loaded = load_yaml(templates_dir() / "rules" / "branch.yaml", what="规则文件")
    facts = loaded.data.get("facts") if isinstance(loaded.data, dict) else None
    if not isinstance(facts, list):
        raise InputError(f"规则文件 {loaded.file} 有误", [Problem("应有 facts 列表")])
    out = []
    for i, raw in enumerate(facts):
        if not isinstance(raw, dict) or not raw.get("key"):
            raise InputError(f"规则文件 {loaded.file} 有误", [Problem(f"facts[{i}] 应有 key")])
        out.append(BranchFact(str(raw["key"]), str(raw.get("label") or raw["key"]),
                              tuple(str(a) for a in raw.get("aliases") or ()),
                              tuple(str(a) for a in raw.get("areas") or ()),
                              tuple(str(d) for d in raw.get("dimensions") or ()),
                              str(raw.get("placeholder") or ""),
                              str(raw.get("last_year", "")).lower() == "true"))
    return tuple(out)


def home_area(fact: BranchFact, areas: Sequence[Area]) -> str:
    """The heading of the area a fact proves a problem in ("" when the document has no such area)."""
    for word in fact.areas:
        for area in areas:
            if word in area.heading:
                return area.heading
    for dimension in fact.dimensions:
        for area in areas:
            if dimension in area.dimensions:
                return area.heading
    return ""


def branch_facts(spec: Spec, area: Area) -> tuple[str, ...]:
    """The branch's facts given for ``area`` (its home area: :func:`home_area`)."""
    return tuple(spec.branch[fact.key] for fact in branch_rules()
                 if not fact.last_year and spec.branch.get(fact.key) and home_area(fact, spec.areas) == area.heading)


def missing_facts(spec: Spec, area: Area) -> str:
    """Placeholders for the branch facts ``area`` should show but the spec does not give ("" when none)."""
    if not spec.placeholders:
        return ""
    return "".join(fact.placeholder for fact in branch_rules()
                   if not fact.last_year and fact.placeholder and not spec.branch.get(fact.key)
                   and home_area(fact, spec.areas) == area.heading)


def unit_facts(spec: Spec, area: Area) -> tuple[str, ...]:
    """What a unit's document shows as facts of an area: its committee members' facts, then the branch's."""
    members = tuple(fact for member in spec.people for fact in member.facts.get(area.heading, ()))
    return members + branch_facts(spec, area)


def last_year_text(branch: Mapping[str, str]) -> str:
    """The branch fact that is last year's rectification ("" when not given)."""
    return next((branch[f.key] for f in branch_rules() if f.last_year and branch.get(f.key)), "")
