"""Rules as data (templates/rules/check.yaml), findings, the report, and the user's switches.

A rule has an id, a family (the reviewer's heading: 提纲, 雷同, 口吻…), a severity
(必须修改 / 建议修改), a one-line reason in Chinese and parameters.  A finding
names its rule, file, place (paragraph or table cell), an excerpt and a message.
Rules are switched off with ``--disable`` or a ``.draftgen-check.yaml`` file
(``disable: [rule, …]``) in the current folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import InputError, Problem

if TYPE_CHECKING:  # metrics reads documents; the model only carries its figures
    from generator.check.metrics import Figures

RULES_FILE = Path("rules") / "check.yaml"
CONFIG_NAME = ".draftgen-check.yaml"
SEVERITIES = ("必须修改", "建议修改")


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: str
    reason: str
    params: Mapping[str, float] = field(default_factory=dict)


@cache
def rules() -> dict[str, Rule]:
    """The packaged rules, read once per process, in file order."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    path = templates_dir() / RULES_FILE
    data = load_yaml(path, what="规则文件").data
    if not isinstance(data, Mapping):
        raise InputError(f"规则文件 {path} 应为映射")
    out: dict[str, Rule] = {}
    for rid, body in data.items():
        if not isinstance(body, Mapping) or body.get("severity") not in SEVERITIES \
                or not isinstance(body.get("reason"), str) or not isinstance(body.get("family"), str):
            raise InputError(f"规则文件 {path} 有误",
                             [Problem(f"{rid} 应有 family、severity（必须修改/建议修改）和 reason 三项")])
        params = body.get("params") or {}
        try:
            if not isinstance(params, Mapping):
                raise ValueError
            values = {str(k): float(v) for k, v in params.items()}
        except (TypeError, ValueError):
            raise InputError(f"规则文件 {path} 有误", [Problem(f"{rid} 的 params 应为名称到数值的映射")]) from None
        out[str(rid)] = Rule(str(rid), body["family"], body["severity"], body["reason"], values)
    return out


def param(rule: str, name: str) -> float:
    return rules()[rule].params[name]


def read_config(path: Path) -> list[str]:
    """The rules a ``.draftgen-check.yaml`` switches off."""
    from generator.yamlio import load_yaml

    data = load_yaml(path, what="检查配置").data
    if data is None:
        return []
    disable = data.get("disable", []) if isinstance(data, Mapping) else None
    if isinstance(disable, str):
        disable = [disable]
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise InputError(f"检查配置 {path} 有误", [Problem("应写成 disable: [规则编号, …]")])
    return list(disable)


def disabled_rules(names: Iterable[str], config: Path | None = None) -> frozenset[str]:
    """Rule ids switched off by ``--disable`` and the config file; an unknown id is a clear error."""
    wanted: list[str] = []
    for name in names:
        wanted.extend(n.strip() for n in name.replace("，", ",").split(",") if n.strip())
    config = config if config is not None else (Path.cwd() / CONFIG_NAME)
    if config.is_file():
        wanted.extend(read_config(config))
    unknown = [n for n in wanted if n not in rules()]
    if unknown:
        raise InputError(f"没有这条检查规则：{'、'.join(unknown)}（draftgen check --rules 列出全部规则）")
    return frozenset(wanted)


@dataclass(frozen=True)
class Finding:
    """One thing to fix, with where it is."""

    rule: str  # an id of check.yaml
    message: str
    where: str = ""
    paragraph: int | None = None
    excerpt: str = ""

    @property
    def severity(self) -> str:
        return rules()[self.rule].severity

    @property
    def family(self) -> str:
        return rules()[self.rule].family

    def line(self) -> str:
        place = f"{self.where}：" if self.where else ""
        return f"[{self.family}·{self.severity}] {place}{self.message}"

    def to_json(self, file: str) -> dict[str, Any]:
        return {"file": file, "rule": self.rule, "family": self.family, "severity": self.severity,
                "reason": rules()[self.rule].reason, "message": self.message, "where": self.where,
                "paragraph": self.paragraph, "excerpt": self.excerpt}


@dataclass
class FileReport:
    file: str
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    figures: Figures | None = None  # length, proportions, counts (generator.check.metrics)
    shared_share: float = 0.0  # share of its long sentences found in another member's draft

    def figures_json(self) -> dict[str, Any] | None:
        """The figures as ``--json`` and benchmarks/branch_metrics.py quote them."""
        f = self.figures
        if f is None:
            return None
        return {"han": f.length, "han_written": f.han, "problems": f.problems, "measures": f.measures,
                "problems_causes_share": round(f.share, 3), "measures_per_problem": round(f.measures_per_problem, 3),
                "shared_sentence_share": round(self.shared_share, 3)}


@dataclass(frozen=True)
class Similar:
    """Two members' drafts that share most of their sentences; ``share_a`` is the share of ``a`` found in ``b``."""

    a: str
    b: str
    share_a: float
    share_b: float
    passages: tuple[str, ...]

    @property
    def share(self) -> float:
        return max(self.share_a, self.share_b)


@dataclass(frozen=True)
class Shared:
    """A sentence found in several members' drafts."""

    sentence: str
    files: tuple[str, ...]


@dataclass
class Report:
    files: list[FileReport]
    similar: list[Similar] = field(default_factory=list)
    shared: list[Shared] = field(default_factory=list)
    threshold: float = 0.4
    disabled: frozenset[str] = frozenset()
    interrupted: bool = False
    interrupted_by: int | None = None  # the signal that stopped it (generator.interrupt causes)
    pagination: str = "estimate"  # how pages were measured: estimate (22 × 28 grid)

    @property
    def exit_code(self) -> int:
        if any(f.error for f in self.files):
            return 2
        return 1 if self.similar or any(f.findings for f in self.files) else 0

    def by_rule(self) -> dict[str, list[tuple[str, Finding]]]:
        """Findings grouped by rule, in the order of check.yaml."""
        out: dict[str, list[tuple[str, Finding]]] = {rid: [] for rid in rules()}
        for f in self.files:
            for finding in f.findings:
                out[finding.rule].append((f.file, finding))
        return {k: v for k, v in out.items() if v}

    def summary_lines(self) -> list[str]:
        """One line per rule that found something: its reason, how many findings in how many files."""
        lines = []
        for rid, found in self.by_rule().items():
            rule = rules()[rid]
            files = len({file for file, _ in found})
            lines.append(f"{rule.family}·{rule.severity}  {rid}：{rule.reason}——{len(found)} 处，涉及 {files} 份材料")
        return lines

    def to_json(self) -> dict[str, Any]:
        files = [{"file": f.file, "status": "error" if f.error else ("found" if f.findings else "ok"),
                  "error": f.error, "figures": f.figures_json(),
                  "findings": [x.to_json(f.file) for x in f.findings]} for f in self.files]
        similar = [{"a": s.a, "b": s.b, "share_a": round(s.share_a, 3), "share_b": round(s.share_b, 3),
                    "passages": list(s.passages)} for s in self.similar]
        shared = [{"sentence": s.sentence, "drafts": len(s.files), "files": list(s.files)} for s in self.shared]
        by_rule = [{"rule": rid, "family": rules()[rid].family, "severity": rules()[rid].severity,
                    "reason": rules()[rid].reason, "findings": len(found), "files": len({f for f, _ in found})}
                   for rid, found in self.by_rule().items()]
        return {"version": 2, "threshold": self.threshold, "pagination": self.pagination,
                "disabled": sorted(self.disabled), "interrupted": self.interrupted,
                "files": files, "rules": by_rule, "similar": similar, "shared": shared,
                "summary": {"files": len(self.files), "with_findings": sum(1 for f in self.files if f.findings),
                            "errors": sum(1 for f in self.files if f.error),
                            "findings": sum(len(f.findings) for f in self.files),
                            "similar_pairs": len(self.similar), "shared_sentences": len(self.shared)}}


def excerpt(text: str, start: int = 0, width: int = 24) -> str:
    """A short quote of ``text`` around ``start`` for messages."""
    text = text.replace("\n", " ")
    begin = max(0, start - width // 3)
    piece = text[begin:begin + width]
    return ("…" if begin else "") + piece + ("…" if begin + width < len(text) else "")
