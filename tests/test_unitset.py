"""A meeting's linked set: 班子对照检查材料 = 问题清单 = 整改方案 and its 整改台账, from one spec and one plan.

Read as a reviewer reads the stack side by side: the same problems in the same
order and wording in every document, the same causes and measures where two
documents repeat them, one ledger row per problem of the list, the committee's
voice throughout, owners spread over the committee, a target that answers the
measure beside it, and the ledger on a landscape page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from generator.bank import load_bank
from generator.compose import compose
from generator.doctree import Document, Paragraph, Table
from generator.ledger import rules, telling_pairs
from generator.register import markers
from generator.spec import Spec, spec_from_text, spec_to_data
from generator.taxonomy import presets
from generator.unitset import SetComposer, member_spec, render_unit
from generator.yamlio import dump_yaml

SET = "[collective, problem-list, rectification]"
COMMITTEE4 = """people:
  - {name: 张明, role: 支部书记}
  - {name: 王丽, role: 组织委员}
  - {name: 李强, role: 宣传委员}
  - {name: 赵敏, role: 纪检委员}
"""


def set_spec(extra: str = "", template: str = SET) -> str:
    return f"template: {template}\nmeeting: 2025年度专题组织生活会\nunit: 机关第一党支部\ndate: 2026-01-20\n{extra}"


@pytest.fixture(scope="module")
def bank() -> Any:
    return load_bank()


def documents(spec: Spec, bank: Any) -> dict[str, Document]:
    drafts = SetComposer(spec, bank)
    return {d.id: render_unit(spec, d, drafts, None) for d in drafts.unit_types()}


def lead_title(spans: Any) -> str:
    """The run-in title of a problem paragraph or cell, without its number and full stop."""
    lead = next((s.text for s in spans if s.style == "lead"), "")
    return re.sub(r"^\d+\.", "", lead).rstrip("。")


def collective_titles(doc: Document) -> list[str]:
    """Problem titles of the 存在的问题 section, in order."""
    return [lead_title(b.spans) for b in doc.blocks if isinstance(b, Paragraph) and b.role == "problem"]


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


# --------------------------------------------------------------------------- one plan, every preset


@pytest.mark.parametrize("preset", sorted(presets()))
def test_every_problem_appears_in_list_plan_and_ledger_in_the_same_order(preset: str, bank: Any) -> None:
    spec = spec_from_text(set_spec(f"preset: {preset}\n{COMMITTEE4}"))
    docs = documents(spec, bank)
    titles = collective_titles(docs["collective"])
    # an area the bank has nothing for in the committee's voice keeps one placeholder row (no title)
    draft = SetComposer(spec, bank).draft(spec.types[0])
    assert len(titles) == sum(len(part.problems) for part in draft.areas) >= len(spec.areas)
    assert sum(bool(t) for t in titles) >= len(spec.areas)
    (listed,) = tables(docs["problem-list"])
    assert [lead_title(row[2]) for row in listed.rows] == titles
    plan_titles = [lead_title(b.spans) for b in docs["rectification"].blocks
                   if isinstance(b, Paragraph) and b.role == "problem"]
    assert plan_titles == titles
    (ledger,) = tables(docs["rectification"])
    ledger_titles = ["".join(s.text for s in row[1]) for row in ledger.rows]  # one row per problem of the list
    assert [t if not t.startswith("【待补充") else "" for t in ledger_titles] == titles
    # the committee's voice throughout: no 本人, no 我 outside 我们 (register.yaml's personal family)
    for name, doc in docs.items():
        found = [m.excerpt(doc.plain_text()) for m in markers(doc.plain_text(), "personal")]
        assert not found, (preset, name, found)


def test_causes_and_measures_are_word_for_word_the_same_where_documents_repeat_them(bank: Any) -> None:
    spec = spec_from_text(set_spec(COMMITTEE4))
    docs = documents(spec, bank)
    collective = docs["collective"].plain_text()
    (listed,) = tables(docs["problem-list"])
    for row in listed.rows:
        cause = "".join(s.text for s in row[3])
        if cause.startswith("【待补充"):  # an area the bank has nothing for: nothing to repeat
            continue
        title, _, text = cause.partition("。")
        assert title in collective and text in collective, cause
    plan_measures = [b for b in docs["rectification"].blocks if isinstance(b, Paragraph) and b.role == "measure"]
    assert len(plan_measures) == sum(bool(lead_title(row[2])) for row in listed.rows)
    for para in plan_measures:
        text = para.text.removeprefix("整改措施：")
        measure = text.split("（责任人")[0]
        title, _, body = measure.partition("。")
        assert title in collective and body in collective, measure


def test_same_spec_and_seed_give_the_same_set(bank: Any) -> None:
    one = documents(spec_from_text(set_spec(COMMITTEE4)), bank)
    two = documents(spec_from_text(set_spec(COMMITTEE4)), bank)
    assert {k: d.plain_text() for k, d in one.items()} == {k: d.plain_text() for k, d in two.items()}


def test_the_collective_uses_only_entries_the_committee_may_say(bank: Any) -> None:
    spec = spec_from_text(set_spec(COMMITTEE4))
    draft = SetComposer(spec, bank).draft(spec.types[0])
    used = [bank.get(c.phrase_id) for c in draft.explain]
    assert used and all(p is not None and p.voice in ("", "branch", "any") for p in used)


# --------------------------------------------------------------------------- the ledger


def test_a_four_member_committee_shares_eight_problems(bank: Any) -> None:
    spec = spec_from_text(set_spec(f"preset: 组织生活会四个方面\n{COMMITTEE4}"))
    draft = SetComposer(spec, bank).draft(spec.types[2])
    owners = [row.responsible for row in draft.ledger]
    assert len(owners) == 8
    assert len(set(owners)) >= 3, owners
    assert max(owners.count(n) for n in set(owners)) <= 4, owners


def test_each_target_answers_the_measure_beside_it(bank: Any) -> None:
    for preset in sorted(presets()):
        spec = spec_from_text(set_spec(f"preset: {preset}\n{COMMITTEE4}"))
        draft = SetComposer(spec, bank).draft(spec.types[2])
        for row in draft.ledger:
            assert row.measure is not None
            measure = f"{row.measure.title}{row.measure.text}"
            if "【待补充" in measure:  # an area the bank has nothing for: the target waits for the measure
                assert row.target == rules().missing
                continue
            shared = len(telling_pairs(row.target) & telling_pairs(measure))
            derived = row.target.split("，")[0] in measure
            assert shared >= rules().target_fit or derived, (preset, row.problem.title, measure, row.target)
            assert "\n" not in row.deadline.text and "|" not in row.deadline.text


def test_the_ledger_is_on_a_landscape_page_and_in_the_workbook(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("batch", write_spec(set_spec(COMMITTEE4)), "--out", out, "--xlsx")
    assert result.code == 0, result
    written = [Path(line) for line in result.out.splitlines()]
    docs = {p.stem[-4:]: p for p in written if p.suffix == ".docx"}
    assert sorted(docs) == ["对照检查材料"[-4:], "会问题清单", "整改方案"[-4:]] or len(docs) == 3
    plan = next(p for p in written if p.name.endswith("整改方案.docx"))
    document = docx.Document(str(plan))
    sections = document.sections
    assert len(sections) == 3  # portrait text, the landscape ledger, portrait safeguards
    assert [s.orientation for s in sections] == [0, 1, 0]  # WD_ORIENT.PORTRAIT, LANDSCAPE, PORTRAIT
    assert sections[1].page_width > sections[1].page_height
    for section in sections:  # the page numbers run on: every section keeps the odd and even footers
        refs = section._sectPr.findall(qn("w:footerReference"))
        assert {r.get(qn("w:type")) for r in refs} == {"default", "even"}
    body = document.element.body
    ledger_section = body.find(qn("w:tbl")).getnext().find(qn("w:pPr")).find(qn("w:sectPr"))
    assert ledger_section.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
    # the heading travels with the table onto the landscape page
    heading = body.find(qn("w:tbl")).getprevious()
    assert "".join(t.text for t in heading.iter(qn("w:t"))) == "三、整改台账"
    assert heading.getprevious().find(qn("w:pPr")).find(qn("w:sectPr")) is not None
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert all("\n" not in cell for row in rows for cell in row)  # no forced breaks in 完成时限
    import openpyxl

    sheet = openpyxl.load_workbook(plan.with_suffix(".xlsx")).worksheets[0]
    titles = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert titles == [r[1] for r in rows[1:]]


# --------------------------------------------------------------------------- the branch's facts


def test_branch_facts_sit_under_the_problem_they_prove(bank: Any) -> None:
    extra = ("branch:\n  三会一课: 全年召开支部党员大会4次、支委会12次，其中2次支委会推迟召开\n"
             "  发展党员: 全年确定入党积极分子2名，发展预备党员1名\n  上年度整改: 上年度查摆的6个问题已整改5个\n")
    spec = spec_from_text(set_spec(extra))
    assert spec.last_year == "上年度查摆的6个问题已整改5个"
    text = documents(spec, bank)["collective"].plain_text()
    lines = text.split("\n")
    meeting = next(line for line in lines if "支委会12次" in line)
    develop = next(line for line in lines if "入党积极分子2名" in line)
    assert "组织生活" in meeting.split("。")[0] or "三会一课" in meeting.split("。")[0], meeting
    assert "发展党员" in develop.split("。")[0] or "党员发展" in develop.split("。")[0], develop
    assert "【待补充：本年度开展主题党日" in text  # what was not given is asked for where it belongs
    assert "上年度查摆的6个问题已整改5个" in text
    assert spec_from_text(dump_yaml(spec_to_data(spec))) == spec


def test_without_branch_facts_the_areas_ask_for_them(bank: Any) -> None:
    text = documents(spec_from_text(set_spec()), bank)["collective"].plain_text()
    assert "【待补充：本年度召开支部党员大会、支委会、党小组会和讲党课的次数" in text
    assert "【待补充：本年度培养入党积极分子" in text


# --------------------------------------------------------------------------- members too; bad input


def test_personal_in_the_set_drafts_every_member(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                                 tmp_path: Path) -> None:
    spec = set_spec(COMMITTEE4, "[collective, problem-list, rectification, personal]")
    result = cli("batch", write_spec(spec), "--out", tmp_path / "o")
    assert result.code == 0, result
    names = sorted(Path(line).name for line in result.out.splitlines())
    assert len(names) == 7
    assert sum(n.endswith("个人对照检查材料.docx") for n in names) == 4
    assert "张明-2025年度专题组织生活会个人对照检查材料.docx" in names


@pytest.mark.parametrize("template, says", [
    ("[collective, 问题清单, nonsense]", "template 第 3 项"),
    ("[collective, 支部对照检查材料]", "每种只能写一次"),
    ("[collective, personal]", "需要同时给出 people"),
    ("[]", "template 列表是空的"),
])
def test_bad_sets_are_refused_before_anything_is_written(template: str, says: str, cli: Callable[..., Any],
                                                        write_spec: Callable[..., Path], tmp_path: Path) -> None:
    result = cli("batch", write_spec(set_spec("", template)), "--out", tmp_path / "o")
    assert result.code == 2, result
    assert says in result.err and "template" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "o").exists()


def test_a_set_whose_names_collide_is_refused(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                              tmp_path: Path) -> None:
    result = cli("batch", write_spec(set_spec("output: 支部材料.docx\n")), "--out", tmp_path / "o")
    assert result.code == 2 and "{title}" in result.err
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- the unit's analysis report


REPORT = """branch:
  基本情况: 机关党委下设党支部6个，共有党员87名，其中离退休党员16名。
  三会一课: 各支部全年共召开支部党员大会26次、支委会68次
"""


def test_the_chinese_title_selects_the_unit_report(bank: Any) -> None:
    spec = spec_from_text(set_spec(REPORT, "党建工作问题分析报告").replace("机关第一党支部", "机关党委"))
    assert spec.doctype.id == "unit-report" and not spec.doctypes
    (doc,) = documents(spec, bank).values()
    h1 = [b.text for b in doc.blocks if getattr(b, "level", 0) == 1]
    assert h1 == ["一、基本情况", "二、存在的问题", "三、原因分析", "四、对策建议"]
    text = doc.plain_text()
    assert doc.title.text == "机关党委党建工作问题分析报告"
    assert "机关党委下设党支部6个" in text and "支委会68次" in text
    assert not list(markers(text, "personal"))
    draft = SetComposer(spec, bank).draft(spec.doctype)
    used = [bank.get(c.phrase_id) for c in draft.explain]
    # the organisation's voice: entries tagged so, or untagged ones that read so; never a member's own words
    assert used and all(p is not None and p.voice in ("organisation", "members", "") for p in used)
    assert any(p is not None and p.id.startswith("fit-unit-") for p in used)


def test_a_report_can_drive_the_rectification_plan(bank: Any) -> None:
    spec = spec_from_text(set_spec(REPORT, "[unit-report, rectification]"))
    docs = documents(spec, bank)
    report = collective_titles(docs["unit-report"])
    (ledger,) = tables(docs["rectification"])
    assert ["".join(s.text for s in row[1]) for row in ledger.rows] == report
    assert all("".join(s.text for s in row[2]) for row in ledger.rows)  # every problem has its measure


def test_committee_material_and_self_reviews_never_take_the_reports_entries(bank: Any) -> None:
    spec = spec_from_text(set_spec(COMMITTEE4, "[collective, personal]"))
    used = [c.phrase_id for c in SetComposer(spec, bank).draft(spec.types[0]).explain]
    for draft in compose(member_spec(spec, spec.types[1]), bank):
        used += [c.phrase_id for c in draft.explain]
    assert len(used) > 40
    assert not [i for i in used if i.startswith("fit-unit-") or bank.get(i).voice in ("organisation", "members")]


# --------------------------------------------------------------------------- presets


def test_executing_decisions_is_not_party_spirit() -> None:
    areas = {a.heading: a for a in presets()["支部班子六个方面"].areas}
    assert areas["执行上级组织决定"].dimensions == ("理想信念",)


@pytest.mark.parametrize("preset", sorted(p for p, v in presets().items() if any(a.topics for a in v.areas)))
def test_areas_sharing_a_dimension_take_entries_about_their_own_matter(preset: str, bank: Any) -> None:
    """严格组织生活 lists problems of 三会一课 and 主题党日, not of 发展党员, though both draw on 组织建设."""
    for seed in (0, 1):
        spec = spec_from_text(set_spec(f"preset: {preset}\nseed: {seed}\n"))
        draft = SetComposer(spec, bank).draft(spec.types[0])
        for area, part in zip(spec.areas, draft.areas, strict=True):
            if area.topics and any(p.title for p in part.problems):
                on = [p.title for p in part.problems if any(t in p.title + p.text for t in area.topics)]
                assert on, (preset, seed, area.heading, [p.title for p in part.problems])


def test_the_set_example_ships_and_runs(cli: Callable[..., Any], tmp_path: Path) -> None:
    shown = cli("example", "set")
    assert shown.code == 0 and shown.out.startswith("# 示例") and "template: [collective" in shown.out
    target = tmp_path / "全套.yaml"
    assert cli("example", "全套", "-o", target).code == 0
    result = cli("batch", target, "--out", tmp_path / "out", "--xlsx")
    assert result.code == 0, result.err
    names = sorted(Path(line).name for line in result.out.splitlines())
    assert [n for n in names if n.endswith(".docx")] == [
        "机关第一党支部2025年度专题组织生活会对照检查材料.docx", "机关第一党支部2025年度专题组织生活会整改方案.docx",
        "机关第一党支部2025年度专题组织生活会问题清单.docx"]
    assert "已生成 3 份初稿和 2 份 .xlsx 表格" in result.err


def test_branch_facts_come_from_the_roster_too(cli: Callable[..., Any], tmp_path: Path) -> None:
    import openpyxl

    from generator.roster import MEMBERS, SETTINGS
    from generator.spec import load_spec

    path = tmp_path / "名册.xlsx"
    assert cli("roster", path, "--type", "collective", "--unit", "机关第一党支部").code == 0
    book = openpyxl.load_workbook(path)
    sheet = book[SETTINGS]
    labels = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(labels["三会一课落实情况"], 2, "全年召开支部党员大会4次")
    sheet.cell(labels["发展党员情况"], 2, "发展预备党员1名")
    book[MEMBERS].cell(2, 1, "张明")
    book.save(path)
    spec = load_spec(path)
    assert dict(spec.branch) == {"三会一课": "全年召开支部党员大会4次", "发展党员": "发展预备党员1名"}


def test_check_takes_the_landscape_ledger_as_house_style(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("batch", write_spec(set_spec(COMMITTEE4)), "--out", out).code == 0
    plan = next(out.glob("*整改方案.docx"))
    result = cli("check", plan)
    assert "纸张" not in result.out + result.err and "页边距" not in result.out + result.err, result


def test_explain_on_a_set_needs_members_drafts(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                               tmp_path: Path) -> None:
    result = cli("batch", write_spec(set_spec(COMMITTEE4)), "--out", tmp_path / "o", "--explain")
    assert result.code == 2 and "--explain" in result.err and not (tmp_path / "o").exists()
    spec = set_spec(COMMITTEE4, "[collective, personal]")
    result = cli("batch", write_spec(spec), "--out", tmp_path / "p", "--explain")
    assert result.code == 0, result.err
    assert (tmp_path / "p" / "选材说明.txt").exists()
