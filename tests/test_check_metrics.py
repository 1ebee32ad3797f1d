"""``draftgen check`` and benchmarks/branch_metrics.py quote the same figures (generator/check/metrics.py)."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO

from generator.check import check_files
from generator.check.metrics import long_sentences, shared_shares
from generator.cli import main


def _branch_metrics() -> ModuleType:
    spec = importlib.util.spec_from_file_location("branch_metrics", REPO / "benchmarks" / "branch_metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["branch_metrics"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("village")
    assert main(["batch", str(REPO / "examples" / "branch-village.yaml"), "--out", str(out), "--quiet",
                 "--jobs", "1"]) == 0
    return out


def test_check_and_branch_metrics_agree_on_a_generated_branch(village: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(village.glob("*.docx"))
    report = check_files(files, jobs=1)
    figures = [f.figures_json() for f in report.files]
    assert all(f is not None for f in figures)
    checked = [f for f in figures if f is not None]
    bench = _branch_metrics().report(village, None)
    capsys.readouterr()
    shares = [f["shared_sentence_share"] for f in checked]
    proportions = [f["problems_causes_share"] for f in checked]
    ratios = [f["measures_per_problem"] for f in checked]
    lengths = [f["han"] for f in checked]
    assert bench["drafts"] == len(files) == 16
    assert statistics.mean(shares) == pytest.approx(bench["shared_sentence_share_mean"], abs=1e-3)
    assert max(shares) == pytest.approx(bench["shared_sentence_share_max"], abs=1e-3)
    assert min(proportions) == pytest.approx(bench["problems_causes_share_min"], abs=1e-3)
    assert statistics.mean(proportions) == pytest.approx(bench["problems_causes_share_mean"], abs=1e-3)
    assert statistics.mean(ratios) == pytest.approx(bench["measures_per_problem_mean"], abs=1e-3)
    assert max(ratios) == pytest.approx(bench["measures_per_problem_max"], abs=1e-3)
    assert (min(lengths), max(lengths)) == (bench["han_min"], bench["han_max"])
    # not agreement on nothing: the branch shares some sentences and every problem has its measure
    assert 0 < max(shares) < 0.4 and min(ratios) >= 1
    # and check's rules act on those very figures
    low = {Path(f.file).name for f in report.files if f.figures and f.figures.share < 0.5}
    flagged = {Path(f.file).name for f in report.files if any(x.rule == "proportion" for x in f.findings)}
    assert low == flagged
    short = {Path(f.file).name for f in report.files if f.figures and f.figures.length < 2500}
    assert short == {Path(f.file).name for f in report.files if any(x.rule == "too-short" for x in f.findings)}
    for f in report.files:
        for x in f.findings:
            if x.rule == "shared-sentence":
                assert f"（本文长句的 {f.shared_share * 100:.0f}%）" in x.message


def test_long_sentences_drop_placeholders_and_short_ones() -> None:
    text = "我今年只参加了两次支部集中学习活动。【待补充：本人具体事例，例如参加学习的次数和时间】好的。"
    assert [s.key for s in long_sentences(text, 12)] == ["我今年只参加了两次支部集中学习活动"]


def test_shared_shares_count_only_drafts_compared() -> None:
    drafts = [{"甲", "乙"}, {"甲", "丙"}, {"甲", "乙", "丁", "戊"}]
    assert shared_shares(drafts) == [1.0, 0.5, 0.5]
    # drafts 0 and 2 are two versions by one author: not compared with each other
    assert shared_shares(drafts, lambda i, j: {i, j} != {0, 2}) == [0.5, 0.5, 0.25]
    assert shared_shares([set(), {"甲"}]) == [0.0, 0.0]
