"""``draftgen wizard`` driven through its real prompts: keys fed to a prompt_toolkit pipe, output to DummyOutput."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliResult
from docx import Document
from wizard_support import CTRL_C, CTRL_U, DOWN, ENTER, PROMPTS_BEFORE_REVIEW, SPACE, UP, document_xml, run_keys

from generator.cli import wizard as wizard_command
from generator.wizard.answers import SUFFIX

DRAFT = "张明-{year}年度专题组织生活会个人对照检查材料.docx"
REAL_TERMINAL_CHECK = wizard_command.has_terminal


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipe stands in for the terminal."""
    monkeypatch.setattr("generator.cli.wizard.has_terminal", lambda: True)


@pytest.fixture
def me(tmp_path: Path) -> Path:
    path = tmp_path / "me.yaml"
    path.write_text("name: 张明\nmeeting: 2025年度专题组织生活会\ndate: 2026-01-20\n", encoding="utf-8")
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _outputs(out: Path) -> tuple[Path, Path]:
    drafts = sorted(out.glob("*.docx"))
    assert len(drafts) == 1, drafts
    answers = drafts[0].with_name(drafts[0].name[:-5] + SUFFIX)
    assert answers.is_file()
    return drafts[0], answers


def test_enter_through_every_prompt_gives_the_draft_batch_would_write(
        me: Path, tmp_path: Path, cli: Callable[..., CliResult], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = run_keys(ENTER * (PROMPTS_BEFORE_REVIEW + 1), "--answers", me, "--out", out)
    printed = capsys.readouterr()
    assert code == 0, printed.err
    draft, answers = _outputs(out)
    assert draft.name == DRAFT.format(year=2025)
    assert printed.out.splitlines() == [str(draft), str(answers)]
    assert f"draftgen batch {answers}" in printed.err
    text = _text(draft)
    assert text.startswith("2025年度专题组织生活会个人对照检查材料\n")
    for heading in ("一、上年度整改落实情况", "二、存在的问题", "三、问题产生的原因", "四、整改措施",
                    "（四）发挥先锋模范作用方面"):
        assert heading in text
    # a complete draft, not a skeleton (issue 12: causes and second measures only where the bank links them,
    # so four areas of two problems come to about 2,200–2,800 characters before the member's facts)
    assert len(text) > 2000
    # The answers file is a batch spec that writes the same document …
    replay = cli("batch", answers, "--out", tmp_path / "replay", "-q")
    assert replay.code == 0, replay
    assert document_xml(tmp_path / "replay" / draft.name) == document_xml(draft)
    # … and the defaults are exactly what batch writes for the name alone.
    plain = cli("batch", me, "--out", tmp_path / "plain", "-q")
    assert plain.code == 0, plain
    assert document_xml(tmp_path / "plain" / draft.name) == document_xml(draft)


def test_review_screen_changes_an_earlier_answer(me: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "out"
    keys = ENTER * PROMPTS_BEFORE_REVIEW
    keys += DOWN * 2 + ENTER + CTRL_U + "2025年度民主生活会" + ENTER  # 会议, cleared and retyped
    keys += DOWN * 10 + ENTER  # the first area: swap its first problem for the third candidate
    keys += SPACE + DOWN * 2 + SPACE + ENTER + ENTER + ENTER  # problems, facts, measures (pre-selected anew)
    keys += ENTER  # the causes, asked again because the problems changed
    keys += ENTER  # confirm on the review screen
    assert run_keys(keys, "--answers", me, "--out", out) == 0
    draft, answers = _outputs(out)
    assert draft.name == "张明-2025年度民主生活会个人对照检查材料.docx"
    saved = answers.read_text(encoding="utf-8")
    assert "meeting: 2025年度民主生活会" in saved
    plain = cli("batch", me, "--out", tmp_path / "plain", "-q")
    before = _text(next((tmp_path / "plain").glob("*.docx")))
    after = _text(draft)
    first_area = lambda text: text.split("（一）")[1].split("（二）")[0]  # noqa: E731
    assert plain.code == 0 and first_area(before) != first_area(after)
    assert first_area(after).count("。") >= 2
    replay = cli("batch", answers, "--out", tmp_path / "replay", "-q")
    assert replay.code == 0 and document_xml(tmp_path / "replay" / draft.name) == document_xml(draft)


def test_ctrl_c_keeps_the_answers_and_says_how_to_resume(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    keys = ENTER * 2 + "机关第一党支部" + ENTER + ENTER * 3 + "李强" + ENTER + CTRL_C  # stop at 党内身份
    assert run_keys(keys, "--out", out) == 130
    err = capsys.readouterr().err
    saved = next(out.glob("*" + SUFFIX))
    assert f"draftgen wizard --answers {saved} --out {out}" in err
    partial = saved.read_text(encoding="utf-8")
    assert "unit: 机关第一党支部" in partial and "name: 李强" in partial and "role:" not in partial
    # Resuming pre-fills everything answered; Enter through the rest finishes the draft in the same place.
    assert run_keys(ENTER * (PROMPTS_BEFORE_REVIEW + 1), "--answers", saved, "--out", out) == 0
    draft, answers = _outputs(out)
    assert answers == saved
    assert "机关第一党支部　李强" in _text(draft)
    assert "向导中途中断" not in answers.read_text(encoding="utf-8")


def test_ctrl_c_at_the_first_prompt_saves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_keys(CTRL_C, "--out", tmp_path / "out") == 130
    assert "还没有需要保存的回答" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_own_problem_facts_and_measure_reach_the_draft_and_replay(me: Path, tmp_path: Path,
                                                                  cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "out"
    own = "理论学习不够系统，存在以干代学的现象，读原著原文少"
    keys = ENTER * 9
    keys += UP + SPACE + ENTER + own + ENTER  # "＋ 自己写一条问题" is the last entry
    keys += ENTER  # three checked now: refused …
    keys += DOWN * 2 + SPACE + ENTER  # … until the second bank problem is unchecked
    keys += "全年只写了3篇学习笔记" + ENTER + "读原著不系统" + ENTER + ENTER  # two facts, then an empty line
    keys += UP + SPACE + ENTER + "每月精读一篇原著，写出心得" + ENTER + ENTER  # an own measure as well
    keys += ENTER * (3 * 3 + 1 + 2 + 1)
    assert run_keys(keys, "--answers", me, "--out", out) == 0
    draft, answers = _outputs(out)
    saved = answers.read_text(encoding="utf-8")
    assert f"  - {own}" in saved and "  - 读原著不系统" in saved and "  - 每月精读一篇原著，写出心得" in saved
    text = _text(draft)
    first_area = text.split("（一）")[1].split("（二）")[0]
    assert "1.理论学习不够系统。存在以干代学的现象，读原著原文少" in first_area  # own problems lead
    assert "全年只写了3篇学习笔记" in first_area and first_area.count("【待补充") == 0
    assert "每月精读一篇原著。写出心得" in text
    replay = cli("batch", answers, "--out", tmp_path / "replay", "-q")
    assert replay.code == 0 and document_xml(tmp_path / "replay" / draft.name) == document_xml(draft)


def test_an_existing_draft_is_not_replaced_without_asking(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_keys(ENTER * (PROMPTS_BEFORE_REVIEW + 1), "--answers", me, "--out", out) == 0
    draft, _answers = _outputs(out)
    draft.write_bytes(b"edited by hand")
    # Confirm, decline to overwrite (the default), and then stop: the edited file stays.
    assert run_keys(ENTER * (PROMPTS_BEFORE_REVIEW + 1) + ENTER + CTRL_C, "--answers", me, "--out", out) == 130
    assert draft.read_bytes() == b"edited by hand"
    assert run_keys(ENTER * (PROMPTS_BEFORE_REVIEW + 1), "--answers", me, "--out", out, "--force") == 0
    assert draft.read_bytes() != b"edited by hand"


def test_without_a_terminal_it_points_to_batch(monkeypatch: pytest.MonkeyPatch,
                                               cli: Callable[..., CliResult]) -> None:
    monkeypatch.setattr("generator.cli.wizard.has_terminal", REAL_TERMINAL_CHECK)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    result = cli("wizard")
    assert result.code == 2
    assert "不是终端" in result.err and "draftgen batch" in result.err
    assert "Traceback" not in result.err
