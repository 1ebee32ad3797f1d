"""Who is speaking: the register markers reviewers read, as data (templates/rules/register.yaml).

One judgement serves the miner (which voice a mined passage has), the composer's
guarantees and ``draftgen check``: a passage in the organisation's register
(有的党员…、要…) never belongs in a self-review, a personal one (本人、我) never in
a unit's material, leader-only wording never in an ordinary member's draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.errors import InputError, Problem

RULES_FILE = Path("rules") / "register.yaml"


@dataclass(frozen=True)
class Marker:
    """One marker found in a text: which family and rule, where, and the reader's reason in Chinese."""

    family: str  # organisation | personal | rank | setting | cause | closing
    rule: str  # e.g. third_party, directive, leader, office
    start: int
    end: int
    reason: str

    def excerpt(self, text: str, around: int = 12) -> str:
        """The marker with some context, for a report line."""
        return text[max(0, self.start - around): self.end + around]


@dataclass(frozen=True)
class Rule:
    family: str
    rule: str
    reason: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]

    def family(self, name: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.family == name)


def _compile(family: str, rule: str, raw: object, where: str) -> Rule:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("reason"), str) or not isinstance(
            raw.get("patterns"), list):
        raise InputError(f"规则文件 {where} 有误", [Problem(f"{family}.{rule} 应有 reason 和 patterns 两项")])
    patterns = [str(p) for p in raw["patterns"]]
    try:
        compiled = re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise InputError(f"规则文件 {where} 有误", [Problem(f"{family}.{rule} 的表达式无效：{exc.msg}")]) from None
    return Rule(family, rule, raw["reason"], compiled)


def load_rules(path: Path | None = None) -> Rules:
    """Read a register rule file (default: the packaged one)."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    path = path or templates_dir() / RULES_FILE
    data = load_yaml(path, what="规则文件").data
    if not isinstance(data, Mapping):
        raise InputError(f"规则文件 {path} 应为映射")
    rules: list[Rule] = []
    for family, body in data.items():
        if not isinstance(body, Mapping):
            raise InputError(f"规则文件 {path} 有误", [Problem(f"{family} 应为映射")])
        if "patterns" in body:  # a family with a single rule
            rules.append(_compile(str(family), str(family), body, str(path)))
        else:
            rules.extend(_compile(str(family), str(rule), raw, str(path)) for rule, raw in body.items())
    return Rules(tuple(rules))


@cache
def rules() -> Rules:
    """The packaged rules, read once per process."""
    return load_rules()


def markers(text: str, *families: str, ruleset: Rules | None = None) -> Iterator[Marker]:
    """Every marker of the given families (all families when none is named) in ``text``, in order of rule."""
    ruleset = ruleset or rules()
    for rule in ruleset.rules:
        if families and rule.family not in families:
            continue
        for m in rule.pattern.finditer(text):
            yield Marker(rule.family, rule.rule, m.start(), m.end(), rule.reason)


def first(text: str, family: str, ruleset: Rules | None = None) -> Marker | None:
    """The first marker of one family, or None."""
    return next(markers(text, family, ruleset=ruleset), None)


def speaks_as_organisation(text: str) -> bool:
    """True when the text lectures or describes others: it cannot be a member's or committee's own words."""
    return first(text, "organisation") is not None


def rank_needed(text: str) -> str:
    """The lowest rank whose holder can say this of themself: ``leader``, ``cadre`` or ``member``."""
    found = {m.rule for m in markers(text, "rank")}
    return "leader" if "leader" in found else "cadre" if "cadre" in found else "member"


def settings_assumed(text: str) -> tuple[str, ...]:
    """Settings the wording assumes (``office``, ``service``), in rule order."""
    return tuple(dict.fromkeys(m.rule for m in markers(text, "setting")))
