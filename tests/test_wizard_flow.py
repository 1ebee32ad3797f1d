"""The wizard's flow with canned answers in place of the prompts (the fast level of prompt testing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliResult
from wizard_support import DEFAULT, Canned, document_xml, entry, titled

from generator.bank import load_bank
from generator.errors import InputError, UsageError
from generator.questions import Context
from generator.spec import load_spec
from generator.wizard.answers import Answers, phrase_text
from generator.wizard.flow import ADD, Wizard
from generator.wizard.review import CONFIRM
from generator.wizard.session import Options, run_wizard

ME = "name: 张明\nmeeting: 2025年度专题组织生活会\ndate: 2026-01-20\n"


@pytest.fixture
def me(write_spec: Callable[..., Path]) -> Path:
    return write_spec(ME, "me.yaml")


def _run(tmp_path: Path, canned: Canned, answers: Path | None = None, **options: object) -> tuple[Path, str]:
    out = tmp_path / "out"
    assert run_wizard(Options(out=out, answers=answers, **options), canned) == 0  # type: ignore[arg-type]
    draft = next(out.glob("*.docx"))
    return draft, draft.with_name(draft.name[:-5] + ".answers.yaml").read_text(encoding="utf-8")


def test_defaults_are_what_batch_writes(me: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    canned = Canned()
    draft, _saved = _run(tmp_path, canned, me)
    assert cli("batch", me, "--out", tmp_path / "plain", "-q").code == 0
    assert document_xml(tmp_path / "plain" / draft.name) == document_xml(draft)
    assert canned.asked[-1].startswith("请核对全部回答")


def test_every_prompt_and_message_is_chinese(me: Path, tmp_path: Path) -> None:
    own = "理论学习不够系统，存在以干代学的现象"
    def own_and_first(options: list) -> list:  # type: ignore[type-arg]
        return [o.value for o in options if o.checked][:2]  # the own problem is listed first

    canned = Canned({"学习贯彻党的创新理论：选 2 条问题": [titled("自己写", keep_checked=True), own_and_first],
                     "自己写的问题": [own]})
    _run(tmp_path, canned, me)
    from generator.wizard import lists, prompts

    texts = [*canned.asked, *canned.shown, *canned.said, lists.SELECT_HELP, lists.CHECKBOX_HELP,
             prompts.MULTILINE_HELP]
    for text in texts:
        bare = re.sub(r"\{\w+\}|\.docx|draftgen|--\w+|Esc|Backspace|Word|WPS", "", text)
        assert not re.search(r"[A-Za-z]{2,}", bare), text
    assert all(re.search("[\u4e00-\u9fff]", t) for t in canned.asked)


def test_own_problem_is_classified_and_its_measures_follow_the_closest_bank_problem(me: Path, tmp_path: Path) -> None:
    own = "在组织生活会上给同志提意见时顾虑较多，怕得罪人"
    seen: dict[str, list[str]] = {}

    def measures(options: list) -> list:  # type: ignore[type-arg]
        seen["checked"] = [o.title for o in options if o.checked]
        return [o.value for o in options if o.checked]

    canned = Canned({"党性修养：选 2 条问题": [titled("自己写"), titled(own, "遇事急躁")],
                     "自己写的问题": [own], "党性修养：整改措施": [measures]})
    _draft, saved = _run(tmp_path, canned, me)
    said = "\n".join(canned.said)
    assert "这条问题将照您写的原样印出，小标题是“在组织生活会上给同志提意见时顾虑较多”" in said
    assert "维度" not in said and "词库" not in said
    closest = re.search("参照相近的问题“(.+?)”", said)
    assert closest is not None
    bank = load_bank()
    anchor = next(p for p in bank if p.kind == "problem" and p.title == closest.group(1))
    linked = [m.title for m in bank if m.kind == "measure" and anchor.id in m.answers]
    assert linked and seen["checked"][0] in linked  # the own problem's first measure answers its stand-in
    assert f"  - {own}" in saved


def test_other_problems_bring_the_measures_linked_to_them(me: Path, tmp_path: Path) -> None:
    bank = load_bank()
    problem = next(p for p in bank if p.id == "grow-理论学习-p02")
    linked = next(m for m in bank if m.kind == "measure" and problem.id in m.answers)
    seen: list[str] = []

    def measures(options: list) -> list:  # type: ignore[type-arg]
        seen.extend(o.title for o in options if o.checked)
        return [o.value for o in options if o.checked]

    canned = Canned({"学习贯彻党的创新理论：选 2 条问题": [titled(problem.title, "理论学习重视不够")],
                     "学习贯彻党的创新理论：整改措施": [measures]})
    _draft, saved = _run(tmp_path, canned, me)
    assert linked.title in seen
    assert phrase_text(problem) in saved and phrase_text(linked) in saved


def test_review_can_switch_to_own_dimensions_and_fewer_problems(me: Path, tmp_path: Path) -> None:
    canned = Canned({
        "请核对全部回答": [entry("会议预设"), entry("每个方面的问题"), CONFIRM],
        "按哪个会议预设": [DEFAULT, "\0dimensions"],
        "自己选查摆的方面": [titled("纪律规矩：", "能力本领：")],
        "每个方面写几条问题": ["1"],
    })
    _draft, saved = _run(tmp_path, canned, me)
    spec = load_spec(next((tmp_path / "out").glob("*.answers.yaml")))
    assert spec.dimensions == ("纪律规矩", "能力本领") and spec.problems_per_area == 1
    assert [len(v) for v in spec.people[0].problems.values()] == [1, 1]
    assert set(spec.people[0].measures) == {"纪律规矩", "能力本领"}
    assert "preset:" not in saved
    # The new areas were asked as soon as they appeared, and again when the count changed.
    assert sum(m.startswith("纪律规矩：选") for m in canned.asked) == 2
    assert sum(m.startswith("原因分析") for m in canned.asked) == 3


def test_unit_level_documents_skip_member_and_areas() -> None:
    canned = Canned({"要起草哪一种材料": ["collective"]})
    wizard = Wizard(Answers(values={"template": "collective"}), canned, Context())
    wizard.run(start="q:meeting")
    assert not any(m in canned.asked for m in ("姓名", "党内身份或职务"))
    assert not any("选 2 条问题" in m for m in canned.asked)
    assert "班子（支部）材料的问题" in "\n".join(canned.said)
    assert wizard.a.to_data()["template"] == "collective"


def test_a_member_of_a_branch_spec_is_chosen(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "personal.yaml"
    canned = Canned({"名党员，为谁起草": [1]})
    draft, saved = _run(tmp_path, canned, example)
    assert draft.name.startswith("王丽-")
    assert "在年底干部考核材料汇总等急难任务中主动请缨不多" in saved  # her own problem, pre-filled and kept
    assert "给同志提意见时顾虑较多" in saved  # her facts
    _draft, by_option = _run(tmp_path / "again", Canned(), example, person="李强")
    assert "name: 李强" in by_option
    with pytest.raises(UsageError, match="没有“赵六”"):
        run_wizard(Options(out=tmp_path / "x", answers=example, person="赵六"), Canned())


def test_a_bad_answers_file_is_refused_before_any_question(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    bad = write_spec("name: 张明\nproblems_per_area: 9\n", "bad.yaml")
    canned = Canned()
    with pytest.raises(InputError) as caught:
        run_wizard(Options(out=tmp_path, answers=bad), canned)
    assert "第 2 行" in caught.value.render() and "problems_per_area" in caught.value.render()
    assert canned.asked == []


def test_a_file_saved_before_the_name_asks_for_it(write_spec: Callable[..., Path], tmp_path: Path) -> None:
    partial = write_spec("unit: 机关第一党支部\nmeeting: 2025年度专题组织生活会\n", "partial.yaml")
    canned = Canned({"姓名": ["赵六"]})
    draft, saved = _run(tmp_path, canned, partial)
    assert draft.name.startswith("赵六-2025年度")
    assert "unit: 机关第一党支部" in saved and "（未填写）" not in saved


def test_the_add_entry_is_an_action_not_a_choice(me: Path, tmp_path: Path) -> None:
    canned = Canned({"学习贯彻党的创新理论：选 2 条问题": [titled("自己写", keep_checked=True), DEFAULT],
                     "自己写的问题": [""]})  # opened, then nothing typed: back to the list as it was
    _run(tmp_path, canned, me)
    assert sum("学习贯彻党的创新理论：选 2 条问题" in m for m in canned.asked) == 2
    assert ADD.startswith("\0")


def test_help_explains_the_wizard_in_chinese(cli: Callable[..., CliResult]) -> None:
    result = cli("wizard", "--help")
    assert result.code == 0
    for line in ("用法：draftgen wizard", "-a FILE, --answers FILE", "用这个答题文件或配置文件预填每一项",
                 "draftgen wizard --answers 支部.yaml --person 王丽", "一路按回车即可得到完整的初稿",
                 "退出状态：0 完成；2 输入有误或没有终端；130 被 Ctrl-C 中断；143 被 kill 终止"):
        assert line in result.out
    assert "wizard" in cli("--help").out


def test_answers_are_kept_when_the_folder_refuses_them_at_the_end(me: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The folder was fine at the first question and fails at the last (disk full): the answers go elsewhere."""
    from generator.errors import OutputError
    from generator.wizard import answers as answers_module

    out = tmp_path / "out"
    real = answers_module.write_text

    def full_disk(path: Path, text: str, *, force: bool) -> None:
        if path.parent == out:
            raise OutputError(f"无法写入 {path}：磁盘空间不足")
        real(path, text, force=force)

    monkeypatch.setattr(answers_module, "write_text", full_disk)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    with pytest.raises(OutputError, match="磁盘空间不足"):
        run_wizard(Options(out=out, answers=me), Canned())
    [spare] = (tmp_path / "home").glob("*.answers.yaml")
    assert "name: 张明" in spare.read_text(encoding="utf-8")
    assert f"已另存到 {spare}" in capsys.readouterr().err
