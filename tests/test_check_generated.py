"""The generator passes its own reviewer: a fresh branch from each shipped example and preset has no finding
but the placeholders left for facts.

The composer and the phrase bank are being rebuilt (issue 12), and today's bank still breaks some of the
reviewer's rules.  Those are listed exactly in ``BANK_FAULTS`` (rule by source) and marked ``xfail`` with
``strict=True``: when the bank is fixed the test turns red until the entry is removed, so the two issues meet
in the middle and nothing is silently allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

from generator.check import Report, check_files, rules
from generator.cli import main

EXAMPLES = ("personal", "collective", "problem-list", "rectification")
PRESETS = {"通用": "personal", "主题教育六个方面": "personal", "组织生活会四个方面": "personal",
           "党纪学习教育六项纪律": "personal", "支部班子六个方面": "collective", "民主生活会五个带头": "personal"}
PEOPLE = """\
people:
  - {name: 张明, role: 支部书记, post: 办公室主任}
  - {name: 王丽, role: 组织委员, post: 人事科科长}
  - {name: 李强, role: 党员, post: 财务科科员}
  - {name: 赵刚, role: 党员, post: 退休干部}
"""
SOURCES = ("examples", *PRESETS)

# Rules today's bank and composer break, per source (issue 12 is rebuilding them).  Remove an entry when
# the generator stops breaking it: the strict xfail makes that visible.
# In every source: problems without a time, number or named matter where no fact was given.  In some, measures
# and set phrases outweigh problems and causes (the proportion is measured on the text written, without the
# placeholders, by generator/check/metrics.py as benchmarks/branch_metrics.py measures it).
# answer-unmatched is in no source: the drafts record their chains (generator/chains.py), which check reads.
_ALL = {"not-concrete"}
BANK_FAULTS: dict[str, set[str]] = {
    "examples": _ALL | {"proportion", "too-short"},
    "通用": _ALL | {"title-cut", "title-repeated"},
    "主题教育六个方面": _ALL | {"title-cut", "title-repeated"},
    # too-short and rank pass for these two since issue 12's composer faults (further problems for length,
    # entries written for a post kept to that post)
    # near-duplicate: 自我约束不够严格 beside 对自己要求不够严格 (the planner's closeness on character pairs
    # misses what check's word-level sameness sees; issue 12's composer fault 4 is only partly closed)
    "组织生活会四个方面": _ALL | {"proportion", "near-duplicate"},
    "党纪学习教育六项纪律": _ALL | {"title-cut"},
    "支部班子六个方面": _ALL,
    "民主生活会五个带头": _ALL,
}


def _spec(preset: str, template: str) -> str:
    return (f"template: {template}\nmeeting: 2025年度专题组织生活会\nunit: 机关第一党支部\ndate: 2026-01-20\n"
            f"preset: {preset}\nseed: 7\noutput: \"{{name}}-{{title}}.docx\"\n" + PEOPLE)


def _generate(source: str, folder: Path) -> list[Path]:
    out = folder / "drafts"
    if source == "examples":
        for name in EXAMPLES:
            assert main(["batch", str(REPO / "examples" / f"{name}.yaml"), "--out", str(out), "--quiet",
                         "--jobs", "1"]) == 0
    else:
        spec = folder / "spec.yaml"
        spec.write_text(_spec(source, PRESETS[source]), encoding="utf-8")
        assert main(["batch", str(spec), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    return sorted(out.glob("*.docx"))


_REPORTS: dict[str, Report] = {}


def _report(source: str, tmp_path_factory: pytest.TempPathFactory) -> Report:
    if source not in _REPORTS:
        files = _generate(source, tmp_path_factory.mktemp("gen"))
        _REPORTS[source] = check_files(files, jobs=1)
    return _REPORTS[source]


def _cases() -> Iterator[object]:
    for source in SOURCES:
        faults = BANK_FAULTS.get(source, set())
        for rule in rules():
            if rule == "placeholder":
                continue
            marks = [pytest.mark.xfail(strict=True, reason="today's bank (issue 12)")] if rule in faults else []
            yield pytest.param(source, rule, marks=marks, id=f"{source}-{rule}")


@pytest.mark.parametrize(("source", "rule"), list(_cases()))
def test_a_generated_branch_passes_its_own_reviewer(source: str, rule: str,
                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    report = _report(source, tmp_path_factory)
    assert not any(f.error for f in report.files)
    found = [(Path(f.file).name, x.where, x.message) for f in report.files for x in f.findings if x.rule == rule]
    assert not found, found[:3]
