"""Who a member is, for choosing words: rank, setting and committee duty read from their role and post.

Reviewers send back a draft whose words do not fit its author (a 科员 with a
分管领域, a farmer with 文稿).  How the words of a ``role`` (党员, 支部书记, 组织委员)
and a ``post`` (科员, 人事科科长, 种植大户, 退休教师) map to a rank, a setting and a
duty changes from place to place, so it is data: ``templates/rules/roles.yaml``.
A word no rule knows is never an error: it gives the lowest rank and no setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator.errors import InputError, Problem

ROLES_FILE = Path("rules") / "roles.yaml"
RANKS = ("member", "cadre", "leader")
SETTINGS = ("office", "service", "rural", "school", "enterprise", "health", "retired", "away")
DUTIES = ("secretary", "committee")


@dataclass(frozen=True)
class Standing:
    """What a member may say: the highest rank, the setting (``""``: unknown), duties, and the post's words.

    ``also`` holds further settings the member keeps: a member who works away or has retired still belongs
    to the branch's workshop or village, so entries written for the branch's setting fit them too.  A tuple
    (not a set), so standings stay hashable and their order deterministic.
    """

    rank: str = "member"
    setting: str = ""
    duties: frozenset[str] = frozenset()
    post: str = ""
    also: tuple[str, ...] = ()
    role: str = ""

    @property
    def settings(self) -> tuple[str, ...]:
        """Every setting whose entries fit this member, the primary first (empty: unknown)."""
        return tuple(s for s in (self.setting, *self.also) if s)

    @property
    def words(self) -> str:
        """Role and post together: what an entry's ``posts:`` words are looked for in (组织委员, 人事科科员)."""
        return f"{self.role} {self.post}".strip()

    def outranks(self, rank: str) -> bool:
        """True when this member may say what needs ``rank`` (an empty rank needs none)."""
        return RANKS.index(rank or "member") <= RANKS.index(self.rank)


@dataclass(frozen=True)
class RoleRules:
    rank: tuple[tuple[str, re.Pattern[str]], ...]  # highest first
    duty: tuple[tuple[str, re.Pattern[str]], ...]
    setting: tuple[tuple[str, re.Pattern[str]], ...]  # in order of precedence
    labels: Mapping[str, tuple[str, tuple[str, ...]]]  # setting → (label, aliases)
    needs: tuple[tuple[str, re.Pattern[str]], ...] = ()  # wording that only a member of that setting may say
    keeps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # setting → branch settings it keeps
    unsaid: tuple[tuple[str, re.Pattern[str]], ...] = ()  # wording a member of that (own) setting never says


Patterns = tuple[tuple[str, re.Pattern[str]], ...]


def _patterns(path: Path, family: str, body: object, allowed: tuple[str, ...]) -> Patterns:
    if not isinstance(body, Mapping):
        raise InputError(f"规则文件 {path} 有误", [Problem(f"{family} 应为映射")])
    out = []
    for key, words in body.items():
        if key not in allowed:
            raise InputError(f"规则文件 {path} 有误",
                             [Problem(f"{family} 下的“{key}”无法识别，应为 {'、'.join(allowed)} 之一")])
        if not isinstance(words, list) or not words:
            raise InputError(f"规则文件 {path} 有误", [Problem(f"{family}.{key} 应为非空的词语列表")])
        try:
            out.append((str(key), re.compile("|".join(f"(?:{w})" for w in words))))
        except re.error as exc:
            raise InputError(f"规则文件 {path} 有误",
                             [Problem(f"{family}.{key} 的表达式无效：{exc.msg}")]) from None
    return tuple(out)


def load_role_rules(path: Path | None = None) -> RoleRules:
    """Read a role rule file (default: the packaged one)."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    path = path or templates_dir() / ROLES_FILE
    data = load_yaml(path, what="规则文件", cached=True).data
    if not isinstance(data, Mapping):
        raise InputError(f"规则文件 {path} 应为映射")
    rank = _patterns(path, "rank", data.get("rank"), RANKS[1:])
    rank = tuple(sorted(rank, key=lambda r: -RANKS.index(r[0])))
    labels: dict[str, tuple[str, tuple[str, ...]]] = {}
    for key, raw in (data.get("labels") or {}).items():
        if key not in SETTINGS or not isinstance(raw, Mapping) or not isinstance(raw.get("label"), str):
            raise InputError(f"规则文件 {path} 有误", [Problem(f"labels.{key} 应写出 label（及可选的 aliases）")])
        labels[str(key)] = (raw["label"], tuple(str(a) for a in raw.get("aliases") or ()))
    needs = _patterns(path, "needs", data["needs"], SETTINGS) if data.get("needs") is not None else ()
    unsaid = _patterns(path, "unsaid", data["unsaid"], SETTINGS) if data.get("unsaid") is not None else ()
    keeps: dict[str, tuple[str, ...]] = {}
    for key, kept in (data.get("keeps_branch_setting") or {}).items():
        if key not in SETTINGS or not isinstance(kept, list) or any(k not in SETTINGS for k in kept):
            raise InputError(f"规则文件 {path} 有误", [Problem(
                f"keeps_branch_setting.{key} 应为 {'、'.join(SETTINGS)} 之一，其值为其中若干项的列表")])
        keeps[str(key)] = tuple(str(k) for k in kept)
    return RoleRules(rank, _patterns(path, "duty", data.get("duty"), DUTIES),
                     _patterns(path, "setting", data.get("setting"), SETTINGS), labels, needs,
                     keeps, unsaid)


@cache
def role_rules() -> RoleRules:
    """The packaged rules, read once per process."""
    return load_role_rules()


@cache
def standing(role: str, post: str, default_setting: str = "", rules: RoleRules | None = None) -> Standing:
    """The member's rank, setting and duties from the words of ``role`` and ``post``.

    The post decides the setting before the role does ("支部书记" says nothing about where one works);
    ``default_setting`` (the branch's ``setting:``) applies when neither names one; a member away or
    retired keeps it besides their own where the rules' ``keeps_branch_setting`` says so.
    """
    r = rules or role_rules()
    words = f"{role} {post}"
    rank = next((name for name, pattern in r.rank if pattern.search(words)), "member")
    duties = frozenset(name for name, pattern in r.duty if pattern.search(words))
    setting = next((name for name, pattern in r.setting if pattern.search(post)), "") \
        or next((name for name, pattern in r.setting if pattern.search(role)), "") or default_setting
    also = (default_setting,) if default_setting in r.keeps.get(setting, ()) and default_setting != setting else ()
    return Standing(rank, setting, duties, post, also, role)


def unsaid_by(text: str, rules: RoleRules | None = None) -> tuple[str, ...]:
    """Own settings whose members never say this wording (倒班、厂里组织的 for a member working away)."""
    r = rules or role_rules()
    return tuple(name for name, pattern in r.unsaid if pattern.search(text))


def setting_needed(text: str, rules: RoleRules | None = None) -> tuple[str, ...]:
    """Settings the wording needs among the member's own, whatever the entry's tags (村里、乡亲: rural)."""
    r = rules or role_rules()
    return tuple(name for name, pattern in r.needs if pattern.search(text))
