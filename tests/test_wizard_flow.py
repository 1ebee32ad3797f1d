"""The wizard's flow with canned answers in place of the prompts (the fast level of prompt testing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliResult
from wizard_support import BACK, DEFAULT, Canned, Stop, entry, holds_in_order, problem_lines, titled

from generator.bank import load_bank
from generator.errors import InputError, UsageError
from generator.questions import Context
from generator.spec import load_spec
from generator.wizard.answers import Answers
from generator.wizard.flow import ADD, FACTS_PROMPT, Wizard
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
    # batch for the name alone writes the wizard's problems, and further ones for length (the wizard's
    # member chose how many to confess; batch fills a short draft: issue 12)
    wizard, plain = problem_lines(draft), problem_lines(tmp_path / "plain" / draft.name)
    assert wizard and holds_in_order(plain, wizard) and len(plain) > len(wizard)
    assert canned.asked[-1].startswith("请核对全部回答")


def test_every_prompt_and_message_is_chinese(me: Path, tmp_path: Path) -> None:
    own = "理论学习不够系统，存在以干代学的现象"
    def own_and_first(options: list) -> list:  # type: ignore[type-arg]
        return [o.value for o in options if o.checked][:2]  # the own problem is listed first

    canned = Canned({"学习贯彻党的创新理论：选 2 条问题": [titled("自己写", keep_checked=True), own_and_first],
                     "自己写的问题": [own]})
    _run(tmp_path, canned, me)
    from generator.wizard import lists, terminal

    texts = [*canned.asked, *canned.shown, *canned.said, lists.SELECT_HELP, lists.CHECKBOX_HELP,
             terminal.MULTILINE_HELP]
    for text in texts:
        bare = re.sub(r"\{\w+\}|\.docx|draftgen|--\w+|Esc|Tab|Backspace|Word|WPS", "", text)
        assert not re.search(r"[A-Za-z]{2,}", bare), text
    assert all(re.search("[\u4e00-\u9fff]", t) for t in canned.asked)


def test_own_problem_is_classified_and_its_measures_follow_the_closest_bank_problem(me: Path, tmp_path: Path) -> None:
    own = "在组织生活会上给同志提意见时顾虑较多，怕得罪人"
    seen: dict[str, list[str]] = {}

    def measures(options: list) -> list:  # type: ignore[type-arg]
        seen["checked"] = [o.title for o in options if o.checked]
        return [o.value for o in options if o.checked]

    def own_and_a_bank_problem(options: list) -> list:  # type: ignore[type-arg]
        return [o.value for o in options if o.value == f"own:{own}"] + \
            [o.value for o in options if o.value.startswith("bank:")][:1]

    canned = Canned({"党性修养：选 2 条问题": [titled("自己写"), own_and_a_bank_problem],
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
    from generator.wizard.suggest import BankView

    bank = load_bank()
    view = BankView(load_spec(me), bank)  # what this member is offered (the composer's fit filter)
    area = view.spec.areas[0]
    measures_offered = view.candidates("measure", area)
    problem, linked = next((p, m) for p in view.candidates("problem", area)
                           if p not in view.defaults[area.heading].problems
                           for m in measures_offered if p.id in m.answers)
    seen: list[str] = []

    def measures(options: list) -> list:  # type: ignore[type-arg]
        seen.extend(o.title for o in options if o.checked)
        return [o.value for o in options if o.checked]

    def swap_second(options: list) -> list:  # type: ignore[type-arg]
        return [*[o.value for o in options if o.checked][:1], f"bank:{problem.id}"]

    canned = Canned({"学习贯彻党的创新理论：选 2 条问题": [swap_second],
                     "学习贯彻党的创新理论：整改措施": [measures]})
    _draft, saved = _run(tmp_path, canned, me)
    assert view.text_of(linked).split("。")[0] in seen
    assert view.text_of(problem) in saved and view.text_of(linked) in saved


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
    # the causes: matched without a question in the main flow, asked after each change of the problems
    assert sum(m.startswith("原因分析") for m in canned.asked) == 2


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
                 "退出状态：0 完成；2 输入有误或没有终端；130 被 Ctrl-C 中断；143 被 kill 终止；129 终端被关闭"):
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


# --------------------------------------------------------------------------- issue 17: facts, back, resume, lists

AREA = "联系服务群众"
FACTS = FACTS_PROMPT


def test_facts_of_each_problem_are_asked_and_kept_with_it(me: Path, tmp_path: Path) -> None:
    canned = Canned({FACTS: [DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, "全年入户走访不到40户\n当场提高嗓门"]})
    draft, saved = _run(tmp_path, canned, me)
    assert sum(m.startswith(FACTS) for m in canned.asked) == 8  # two problems in each of four areas
    spec = load_spec(next((tmp_path / "out").glob("*.answers.yaml")))
    person = spec.people[0]
    assert person.problem_facts[AREA] == ((), ("全年入户走访不到40户", "当场提高嗓门"))
    assert "facts:\n    - 全年入户走访不到40户\n    - 当场提高嗓门" in saved
    from docx import Document

    texts = [p.text for p in Document(str(draft)).paragraphs]
    second = person.problems[AREA][1].split("。")[0]
    [under] = [t for t in texts if "全年入户走访不到40户" in t and t[:1].isdigit() and second in t]
    assert under.startswith("2.") and "当场提高嗓门" in under


def test_back_returns_to_the_previous_question_with_its_answer(me: Path, tmp_path: Path) -> None:
    canned = Canned({"所在党支部或单位名称": ["机关第一党支部", Stop("机关第二党")], "按哪个会议预设": [BACK]})
    assert run_wizard(Options(out=tmp_path / "out", answers=me), canned) == 130
    units = [i for i, m in enumerate(canned.asked) if m.startswith("所在党支部")]
    assert len(units) == 2 and canned.asked[units[0] + 1].startswith("按哪个会议预设")
    [saved] = (tmp_path / "out").glob("*.answers.yaml")
    text = saved.read_text(encoding="utf-8")
    # Ctrl-C in the text box: what was typed is kept (it is a valid unit), and the resume starts there
    assert "unit: 机关第二党" in text and "# 中断于：q:unit" in text


def test_back_at_a_list_and_in_a_fact_and_from_the_review_page(me: Path, tmp_path: Path) -> None:
    canned = Canned({f"{AREA}：选 2 条问题": [DEFAULT, BACK, DEFAULT], FACTS: [DEFAULT] * 4 + [BACK],
                     "上年度整改落实情况": [DEFAULT, BACK], "请核对全部回答": [BACK, CONFIRM]})
    _run(tmp_path, canned, me)
    asked = canned.asked
    # back at the area's first fact: its list again; back there: the previous area's measures
    first = [i for i, m in enumerate(asked) if m.startswith(f"{AREA}：选")]
    assert len(first) == 3 and asked[first[1] - 1].startswith(FACTS)
    assert asked[first[2] - 1].startswith("党性修养：整改措施")
    # from the review page one step back to last year's rectification, and from there back over the causes
    # (matched without a question) to the last area's measures
    last_year = [i for i, m in enumerate(asked) if m.startswith("上年度整改落实情况")]
    assert len(last_year) == 3 and asked[last_year[1] + 1].startswith("发挥先锋模范作用：整改措施")


def test_ctrl_c_in_a_fact_keeps_both_lines_and_the_resume_starts_there(me: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    canned = Canned({FACTS: [DEFAULT, DEFAULT, Stop("全年只写了3篇学习笔记\n读原著不系统，常")]})
    assert run_wizard(Options(out=out, answers=me), canned) == 130
    [saved] = out.glob("*.answers.yaml")
    text = saved.read_text(encoding="utf-8")
    assert "- 全年只写了3篇学习笔记\n" in text and "- 读原著不系统，常\n" in text
    assert "# 中断于：facts:党性修养:0" in text
    again = Canned()
    _run(tmp_path, again, saved)
    assert again.asked[0].startswith(FACTS) and "要起草哪一种材料" not in "".join(again.asked)


def test_a_finished_answers_file_opens_the_review_page(me: Path, tmp_path: Path) -> None:
    _draft, _saved = _run(tmp_path, Canned(), me)
    saved = next((tmp_path / "out").glob("*.answers.yaml"))
    again = Canned({"已存在": [True]})
    _run(tmp_path, again, saved)
    assert again.asked[0].startswith("请核对全部回答")


def test_a_hand_written_spec_resumes_at_its_first_open_question(write_spec: Callable[..., Path],
                                                                 tmp_path: Path) -> None:
    spec = write_spec("template: personal\nmeeting: 2025年度专题组织生活会\nunit: 一支部\npreset: 组织生活会四个方面\n"
                      "name: 张明\nrole: 党员\n", "mine.yaml")
    canned = Canned()
    _run(tmp_path, canned, spec)
    assert canned.asked[0].startswith("工作岗位")


def test_lists_fit_the_member_count_and_never_repeat_or_cut(me: Path, tmp_path: Path) -> None:
    seen: dict[str, list[tuple[str, ...]]] = {}

    def keep(options: list) -> list:  # type: ignore[type-arg]
        seen.setdefault("lists", []).append(tuple(o.title for o in options))
        return [o.value for o in options if o.checked]

    canned = Canned({"选 2 条问题": [keep] * 4, "整改措施": [keep] * 4})
    _run(tmp_path, canned, me)
    for titles in seen["lists"]:
        assert titles[0].startswith("＋ 自己写一条")
        assert len(titles) == len(set(titles))
        assert not any(t.endswith("…") for t in titles[1:])
    spec = load_spec(next((tmp_path / "out").glob("*.answers.yaml")))
    measures = [m for ms in spec.people[0].measures.values() for m in ms]
    assert len(measures) == len(set(measures))  # no measure twice in one draft
    # a retired member is offered nothing that assumes a job (the composer's own filter)
    retired = Canned({"选 2 条问题": [keep] * 4, "党内身份或职务": ["党员"], "工作岗位": ["退休干部"]})
    seen.clear()
    _run(tmp_path / "r", retired, me)
    from generator.bank import load_bank
    from generator.plan import fits_member
    from generator.roles import standing

    who = standing("党员", "退休干部")
    by_title = {p.title: p for p in load_bank() if p.kind == "problem"}
    offered = [by_title[t] for titles in seen["lists"] for t in titles if t in by_title]
    assert offered and all(fits_member(p, who) or any(q.title == p.title and fits_member(q, who)
                                                      for q in load_bank() if q.kind == "problem") for p in offered)


def test_the_limit_holds_when_an_own_problem_is_added(me: Path, tmp_path: Path) -> None:
    own = "对居民反映的诉求有时回应不及时，个别事项一拖再拖"
    canned = Canned({f"{AREA}：选 2 条问题": [titled("自己写", keep_checked=True), DEFAULT],
                     "自己写的问题": [own]})
    draft, _saved = _run(tmp_path, canned, me)
    spec = load_spec(next((tmp_path / "out").glob("*.answers.yaml")))
    assert len(spec.people[0].problems[AREA]) == 2 and own in spec.people[0].problems[AREA]
    from docx import Document

    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "回应不及时，个别事项一拖再拖" in text  # her comma kept
    assert "维度" not in "".join(canned.said) and "词库" not in "".join(canned.said)


def test_review_page_speaks_plainly_and_keeps_the_cursor(me: Path, tmp_path: Path) -> None:
    defaults: list[object] = []

    def look(options: list) -> object:  # type: ignore[type-arg]
        return next(o.value for o in options if o.title.startswith("写法"))

    class Watch(Canned):
        def select(self, message: str, options, default=None):  # type: ignore[no-untyped-def]
            if message.startswith("请核对"):
                defaults.append(default)
                self.labels = [o.title for o in options]
            return super().select(message, options, default)

    canned = Watch({"请核对全部回答": [look, CONFIRM]})
    _draft, saved = _run(tmp_path, canned, me)
    labels = "\n".join(canned.labels)
    assert "写法：第 2 种" in labels and "种子" not in labels and "{name}" not in labels
    assert "文件名：张明-2025年度专题组织生活会个人对照检查材料.docx" in labels
    assert defaults[0] == CONFIRM and defaults[1] != CONFIRM  # back on the item just changed
    assert "seed: 1" in saved


def test_role_and_post_reach_the_draft_and_a_change_on_the_review_page_shows(me: Path, tmp_path: Path) -> None:
    canned = Canned({"党内身份或职务": ["支部书记"], "工作岗位": ["社区居委会主任", "社区网格员"],
                     "请核对全部回答": [entry("岗位"), CONFIRM]})
    draft, saved = _run(tmp_path, canned, me)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "支部书记和社区网格员" in text and "社区居委会主任" not in text
    assert "post: 社区网格员" in saved and "role: 支部书记" in saved
