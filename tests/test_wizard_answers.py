"""The answers file and the fast first prompt: round trips, file names, and what loads before the first prompt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bank import load_bank
from generator.compose import split_own
from generator.errors import InputError
from generator.questions import Context
from generator.spec import spec_from_text
from generator.wizard import first
from generator.wizard.answers import SUFFIX, answers_path, free_path, from_spec, phrase_text
from generator.yamlio import dump_yaml

REPO = Path(__file__).resolve().parent.parent


def test_bank_entries_written_as_own_text_split_back_into_title_and_text() -> None:
    from generator.text import plain_alternatives

    entries = [p for p in load_bank() if 4 <= len(plain_alternatives(p.title)) <= 24 and "。" not in p.title]
    assert len(entries) > 400
    for phrase in entries:
        expected = (plain_alternatives(phrase.title), plain_alternatives(phrase.text))
        assert split_own(phrase_text(phrase)) == expected, phrase.id
        assert "{" not in phrase_text(phrase)


def test_answers_survive_a_round_trip_through_the_spec_loader() -> None:
    text = """
    template: personal
    meeting: 2025年度专题组织生活会
    unit: 机关第一党支部
    date: 2026-01-20
    dimensions: [理论学习, 纪律规矩]
    problems_per_area: 1
    seed: 7
    length: 2500
    placeholders: false
    sections: {last_year: 上年度的问题已整改。}
    name: 张明
    role: 支部书记
    facts: {理论学习: [全年只写了3篇笔记]}
    problems: {理论学习: [学习不够系统。满足于泛泛而读], 纪律规矩: [执行请示报告制度不严格]}
    causes: [放松了学习。总觉得工作忙]
    measures: {理论学习: [每月精读一篇原著]}
    wording: {pledge: 请同志们批评指正。}
    """
    import textwrap

    spec = spec_from_text(textwrap.dedent(text))
    data = from_spec(spec, 0).to_data()
    again = spec_from_text(dump_yaml(data))
    assert replace(again, source=spec.source) == spec
    assert from_spec(again, 0).to_data() == data


def test_answers_file_names(tmp_path: Path) -> None:
    draft = tmp_path / "张明-对照检查材料.docx"
    assert answers_path(draft) == tmp_path / f"张明-对照检查材料{SUFFIX}"
    taken = answers_path(draft)
    taken.write_text("x", encoding="utf-8")
    assert free_path(taken) == tmp_path / f"张明-对照检查材料-2{SUFFIX}"
    assert free_path(taken, [taken]) == taken  # the file being resumed may be replaced


def test_first_prompt_snapshot_follows_the_question_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTGEN_CACHE_DIR", str(tmp_path))
    made = first.snapshot()
    assert made == first.make_snapshot() and made["default"] == "personal"
    assert ["collective", "班子对照检查材料"] in made["options"]
    cached = tmp_path / "draftgen" / "wizard-first.json"
    stale = json.loads(cached.read_text(encoding="utf-8"))
    stale["stamp"][-1] = -1  # as if doctypes.yaml had changed since
    stale["prompt"] = "旧的问题"
    cached.write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    assert first.snapshot()["prompt"] == made["prompt"]


PROBE = """
import json, sys
from pathlib import Path
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from generator.wizard.terminal import Terminal
from generator.wizard.session import Options, run_wizard

class Probe(Terminal):
    def select(self, message, options, default=None):
        print(json.dumps({"message": message, "modules": sorted(sys.modules)}, ensure_ascii=False))
        raise KeyboardInterrupt

with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
    run_wizard(Options(out=Path(sys.argv[1])), Probe())
"""


def test_first_prompt_loads_neither_jieba_nor_the_bank_nor_yaml(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def probe() -> dict[str, object]:
        done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True,
                              env=env, cwd=REPO, timeout=60)
        assert done.returncode == 0, done.stderr
        result: dict[str, object] = json.loads(done.stdout.splitlines()[0])
        return result

    probe()  # the first run ever writes the snapshot
    seen = probe()
    assert seen["message"] == "要起草哪一种材料？"
    modules = set(seen["modules"])  # type: ignore[call-overload]
    for heavy in ("jieba", "yaml", "generator.bank", "generator.compose", "generator.questions", "jinja2"):
        assert heavy not in modules, heavy


def test_a_typed_answer_and_a_yaml_value_go_through_the_same_parser() -> None:
    from generator.questions import question
    from generator.wizard.ask import parse_error

    ctx = Context()
    q = question("date")
    assert parse_error(q, "2026年2月30日", ctx) == "“2026年2月30日”不存在：2026年2月没有30日"
    with pytest.raises(InputError) as caught:
        spec_from_text("name: 张明\ndate: 2026年2月30日\n")
    assert caught.value.problems[0].message == parse_error(q, "2026年2月30日", ctx)


PROBLEM_FACTS = """
name: 王丽
preset: 组织生活会四个方面
date: 2026-01-20
facts:
  联系服务群众: [给居民回电话时当场提高嗓门]
problems:
  联系服务群众:
    - 深入群众不够经常，到联系社区走访少
    - text: 对居民反映的诉求有时回应不及时，个别事项一拖再拖
      facts: [2026年8月一户居民反映的路灯问题拖了三周才答复]
"""


def test_a_problem_keeps_its_own_facts_in_the_spec_and_in_the_draft() -> None:
    import textwrap

    from generator.compose import Composer
    from generator.spec import spec_to_data

    spec = spec_from_text(textwrap.dedent(PROBLEM_FACTS))
    person = spec.people[0]
    assert person.problems["联系服务群众"][1] == "对居民反映的诉求有时回应不及时，个别事项一拖再拖"
    assert person.problem_facts["联系服务群众"] == ((), ("2026年8月一户居民反映的路灯问题拖了三周才答复",))
    assert spec_from_text(dump_yaml(spec_to_data(spec))).people[0] == person  # the form survives a round trip
    draft = Composer(spec, load_bank()).draft(0)
    area = next(a for a in draft.areas if a.heading == "联系服务群众")
    late = next(p for p in area.problems if p.title.startswith("对居民反映的诉求"))
    assert late.facts[0].startswith("2026年8月") and late.mark == "，"  # her comma, not a full stop
    assert "给居民回电话时当场提高嗓门" in [f for p in area.problems for f in p.facts]  # area facts still placed
    group = next(g for g in draft.measures if g.area == "联系服务群众")
    follow = [m for m in group.items if late.title in m.answers]
    assert follow and "2026年8月一户居民反映的路灯问题拖了三周才答复" in follow[0].text  # followed up


def test_a_malformed_problem_with_facts_is_refused_with_its_place() -> None:
    for item, said, line in (("- txt: 遇事急躁", "未知字段“txt”，是不是“text”", "第 4 行"),
                             ("- facts: [当场提高嗓门]", "缺少 text（问题本身）", "第 4 行")):
        with pytest.raises(InputError) as caught:
            spec_from_text(f"name: 王丽\nproblems:\n  党性修养:\n    {item}\n")
        shown = caught.value.render()
        assert said in shown and line in shown and "problems.党性修养[0]" in shown, shown
