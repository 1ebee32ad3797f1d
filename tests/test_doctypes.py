"""The unit-level document types end to end: 班子对照检查材料, 问题清单, 整改方案 with 整改台账.

Each draft is generated through the CLI in-process, reopened with python-docx
and read as an author would: outline, table header, who answers for what and by
when, the voice, the signature, and the house style of the tables.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from external import tool

from generator.ledger import deadline, month_end, responsible, rules
from generator.ooxml import house
from generator.render import signing_body
from generator.spec import Person, spec_from_text
from generator.taxonomy import Area

REPO = Path(__file__).resolve().parent.parent
MEETING = dt.date(2026, 1, 20)
COMMITTEE = """
people:
  - {name: 张明, role: 支部书记}
  - {name: 刘洋, role: 支部副书记}
  - {name: 王丽, role: 组织委员}
  - {name: 李强, role: 宣传委员}
  - {name: 赵敏, role: 纪检委员}
"""


def spec_text(template: str, extra: str = "") -> str:
    return (f"template: {template}\nmeeting: 2025年度专题组织生活会\nunit: 机关第一党支部\n"
            f"date: {MEETING.isoformat()}\n{extra}")


@pytest.fixture
def make(cli: Callable[..., Any], write_spec: Callable[..., Path], tmp_path: Path) -> Callable[..., Any]:
    """Generate one unit-level draft through the CLI and reopen it."""

    def run(template: str, extra: str = "", *args: str) -> Any:
        out = tmp_path / "out"
        result = cli("batch", write_spec(spec_text(template, extra)), "--out", out, "--force", *args)
        assert result.code == 0, result
        (path,) = [Path(line) for line in result.out.splitlines() if line.endswith(".docx")]
        return docx.Document(str(path))

    return run


def headings(document: Any, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def text(document: Any) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def due_date(cell: str) -> dt.date:
    """The date a 完成时限 cell names ("2026年\\n4月底前" → 2026-04-30)."""
    match = re.search(r"(\d{4})年\s*(\d{1,2})月底", cell)
    assert match, cell
    return month_end(dt.date(int(match[1]), int(match[2]), 1), 0)


def signature(document: Any) -> tuple[str, str]:
    name = next(p.text for p in document.paragraphs if p.style.name == "Signature")
    date = next(p.text for p in document.paragraphs if p.style.name == "落款日期")
    return name, date


# --------------------------------------------------------------------------- house style of tables


def assert_house_table(document: Any, headers: list[str], *, landscape: bool = False) -> None:
    """Named style, header repeated, rows kept whole, widths = text block (of a landscape page for the
    ledger), 仿宋/黑体 cells without indent."""
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == headers
    assert table.style.name == "台账表格"
    tbl = table._tbl
    grid = [int(col.get(qn("w:w"))) for col in tbl.find(qn("w:tblGrid"))]
    assert sum(grid) == (house.LANDSCAPE_TEXT_W if landscape else house.TEXT_W)
    assert tbl.find(qn("w:tblPr")).find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    trs = tbl.findall(qn("w:tr"))
    assert trs[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert all(tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for tr in trs)
    for tr in trs:
        widths = [int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
        assert widths == grid
    styles = document.styles
    assert {c.paragraphs[0].style.name for c in table.rows[0].cells} == {"表头"}
    body = {p.style.name for row in table.rows[1:] for c in row.cells for p in c.paragraphs}
    assert body <= {"表格文字", "表格文字居中"}
    for name, font in (("表头", "黑体"), ("表格文字", "仿宋_GB2312"), ("表格文字居中", "仿宋_GB2312")):
        style = styles[name]
        assert style.element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == font
        assert Pt(10.5) <= style.font.size <= Pt(16)
        ind = style.element.find(qn("w:pPr")).find(qn("w:ind"))
        assert ind.get(qn("w:firstLine")) == "0" and ind.get(qn("w:firstLineChars")) == "0"
    for row in table.rows:  # nothing in a cell overrides its style's indent
        for cell in row.cells:
            for p in cell.paragraphs:
                ppr = p._p.find(qn("w:pPr"))
                assert ppr is None or ppr.find(qn("w:ind")) is None


# --------------------------------------------------------------------------- collective


def test_collective_follows_the_outline_in_the_branch_voice(make: Callable[..., Any]) -> None:
    sections = "sections:\n  last_year: 上年度查摆的问题已整改完成。\n  case_study: 对照典型案例深刻反思。\n"
    doc = make("collective", sections)
    assert headings(doc, 1) == ["一、上年度整改落实情况", "二、存在的问题", "三、典型案例剖析", "四、问题产生的原因",
                                "五、整改措施"]
    areas = [h for h in headings(doc, 2) if h.endswith("方面")]
    assert [re.sub("^（.）", "", h) for h in areas] == [
        "组织开展学习教育方面", "执行上级组织决定方面", "严格组织生活方面", "加强党员教育管理监督方面",
        "联系服务群众方面", "抓好自身建设方面"]
    body = text(doc)
    assert "本人" not in body
    assert not re.search("(?<!自)我(?!们)", body)
    assert "支部" in doc.paragraphs[2].text  # title, blank line, preamble
    assert "【待补充：支部在此方面的具体事例" in body
    measure_headings = headings(doc, 2)[-6:]
    assert len(set(measure_headings)) == 6, measure_headings
    assert signature(doc) == ("中共机关第一党支部委员会", "2026年1月20日")
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text.replace("\n", "") == \
        "机关第一党支部2025年度专题组织生活会对照检查材料"


def test_collective_names_committee_members_only_when_given(make: Callable[..., Any]) -> None:
    with_people = make("collective", COMMITTEE).paragraphs[2].text
    assert "张明、刘洋、王丽、李强、赵敏" in with_people
    assert with_people.endswith("。") and ("如下" in with_people[-20:])
    assert "张明" not in make("collective").paragraphs[2].text


def test_collective_takes_committee_members_facts_as_the_branchs(make: Callable[..., Any]) -> None:
    people = ("people:\n  - name: 张明\n    role: 支部书记\n    facts:\n"
              "      严格组织生活: [全年召开支委会9次，其中2次推迟召开]\n")
    doc = make("collective", people)
    paragraphs = [p.text for p in doc.paragraphs]
    start = paragraphs.index(next(p for p in paragraphs if p.endswith("严格组织生活方面")))
    area = paragraphs[start + 1 : start + 3]
    assert any("全年召开支委会9次，其中2次推迟召开。" in p for p in area)
    assert not any("【待补充" in p for p in area)


def test_collective_voice_filter_drops_first_person_and_private_life() -> None:
    from generator.bank import load_bank
    from generator.compose import Composer

    spec = spec_from_text(spec_text("collective", "dimensions: [党性修养, 纪律规矩, 理论学习]\nproblems_per_area: 5\n"))
    composer = Composer(spec, load_bank())
    pooled = [p for key, pool in composer.planner.pools.items() for p in pool]
    assert pooled
    for phrase in pooled:
        assert not re.search(r"本人|(?<!自)我(?!们)|自己|个人|家属|子女", phrase.title + phrase.text), phrase.id
    branch = [p for p in pooled if "支部" in p.text or "党员" in p.text]
    assert branch, "entries about the branch and its members stay in"


# --------------------------------------------------------------------------- problem list


def test_problem_list_is_a_table_of_problems_and_their_causes(make: Callable[..., Any]) -> None:
    doc = make("problem-list")
    assert_house_table(doc, ["序号", "方面", "问题表现", "原因"])
    body = rows(doc.tables[0])[1:]
    assert [r[0] for r in body] == [str(i) for i in range(1, 13)]
    assert all(r[2] and r[3] for r in body)
    causes = [r[3] for r in body]
    assert len(set(causes)) == len(causes), "every problem gets its own cause while the bank has them"
    assert signature(doc)[0] == "中共机关第一党支部委员会"
    intro = doc.paragraphs[2].text
    assert "问题" in intro and "12" not in intro  # counts are written 十二, not 12


def test_problem_list_names_who_answers_when_people_are_given(make: Callable[..., Any]) -> None:
    doc = make("problem-list", COMMITTEE)
    assert_house_table(doc, ["序号", "方面", "问题表现", "原因", "责任人"])
    by_area: dict[str, str] = {}  # an area's first row goes to the member whose duty it is
    for r in rows(doc.tables[0])[1:]:
        by_area.setdefault(r[1], r[4])
    assert by_area["组织开展学习教育"] == "李强"  # 宣传委员
    assert by_area["严格组织生活"] == "王丽"  # 组织委员
    assert by_area["执行上级组织决定"] == "张明"  # 支部书记
    assert by_area["联系服务群众"] == "刘洋"  # no 群众工作委员 → 副书记


# --------------------------------------------------------------------------- rectification


def test_rectification_outline_and_ledger(make: Callable[..., Any]) -> None:
    doc = make("rectification", COMMITTEE)
    assert headings(doc, 1) == ["一、总体要求", "二、存在的问题和整改措施", "三、整改台账", "四、保障措施"]
    assert headings(doc, 2)[:3] == ["（一）指导思想", "（二）整改目标", "（三）基本原则"]
    assert headings(doc, 2)[-4:] == ["（一）加强组织领导", "（二）强化督促检查", "（三）注重建章立制",
                                     "（四）公开整改成效"]
    assert_house_table(doc, ["序号", "问题", "整改措施", "整改目标/标准", "责任人", "完成时限"], landscape=True)
    ledger = rows(doc.tables[0])[1:]
    assert len(ledger) == 12
    names = {"张明", "刘洋", "王丽", "李强", "赵敏"}
    for number, problem, measure, target, who, when in ledger:
        assert problem and measure and target, number  # every problem has a measure and a target
        assert who in names
        assert due_date(when) > MEETING
    assert len({r[3] for r in ledger}) == len(ledger), "targets are not repeated"
    assert signature(doc) == ("中共机关第一党支部委员会", "2026年1月20日")


def test_ledger_rows_match_the_measures_in_the_body(make: Callable[..., Any]) -> None:
    doc = make("rectification", COMMITTEE)
    paragraphs = [p.text for p in doc.paragraphs]
    problems = [p for p in paragraphs if re.match(r"\d+\.", p)]
    measures = [p for p in paragraphs if p.startswith("整改措施：")]
    ledger = rows(doc.tables[0])[1:]
    assert len(problems) == len(measures) == len(ledger)
    for problem, measure, row in zip(problems, measures, ledger, strict=True):
        assert row[1] in problem  # the ledger names the problem by its title
        assert row[2].split("。")[0] in measure  # …and the measure the body gives it
        assert f"责任人：{row[4]}" in measure
        assert due_date(row[5]).month == due_date(measure.split("完成时限：")[1]).month


def test_deadlines_come_in_order_after_the_meeting(make: Callable[..., Any]) -> None:
    ledger = rows(make("rectification").tables[0])[1:]
    by_kind: dict[str, set[dt.date]] = {}
    for row in ledger:
        kind = "长期坚持" if row[5].startswith("长期坚持") else "dated"
        by_kind.setdefault(kind, set()).add(due_date(row[5]))
    assert "长期坚持" in by_kind and "dated" in by_kind
    assert max(by_kind["dated"]) < min(by_kind["长期坚持"]), "checkpoints of long-term items come last"
    assert min(by_kind["dated"]) > MEETING
    # Without people the ledger names the role, so the secretary can fill in names later.
    assert {row[4] for row in ledger} <= set(rules().roles)


def test_same_spec_same_text_and_seed_changes_it(make: Callable[..., Any]) -> None:
    first, again = text(make("rectification", COMMITTEE)), text(make("rectification", COMMITTEE))
    assert first == again
    assert text(make("rectification", COMMITTEE + "seed: 5\n")) != first


def test_shipped_examples_generate(cli: Callable[..., Any], tmp_path: Path) -> None:
    for name, expect in (("collective", "对照检查材料"), ("problem-list", "问题清单"), ("rectification", "整改方案")):
        result = cli("batch", REPO / "examples" / f"{name}.yaml", "--out", tmp_path / name)
        assert result.code == 0, result
        (path,) = [Path(line) for line in result.out.splitlines()]
        assert path.name.endswith(f"{expect}.docx")
        assert signature(docx.Document(str(path)))[0] == "中共机关第一党支部委员会"


def test_bad_unit_spec_is_an_input_error(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                         tmp_path: Path) -> None:
    result = cli("batch", write_spec(spec_text("rectification", "preset: 不存在的预设\n")), "--out", tmp_path / "o")
    assert result.code == 2
    assert "preset" in result.err and "不存在的预设" in result.err
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- the rules


def test_month_end_is_always_after_the_start() -> None:
    assert month_end(dt.date(2026, 1, 20), 1) == dt.date(2026, 2, 28)
    assert month_end(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert month_end(dt.date(2025, 11, 5), 3) == dt.date(2026, 2, 28)
    assert month_end(dt.date(2027, 12, 31), 6) == dt.date(2028, 6, 30)


@pytest.mark.parametrize(("title", "body", "kind", "months"), [
    ("限期答复下级请示", "对下级请示事项实行限期答复", "立行立改", 1),
    ("建立学习督促机制", "用好学习平台", "建章立制", 3),
    ("提高发展党员质量", "制定三至五年发展党员规划，注重培养", "建章立制", 3),
    ("常态化开展风险排查", "每季度开展一次风险隐患排查", "长期坚持", 6),
    ("提高政治判断力", "自觉站在全局高度思考问题", "长期坚持", 6),  # nothing matches → the default
])
def test_deadline_rules(title: str, body: str, kind: str, months: int) -> None:
    found = deadline(title, body, MEETING)
    assert (found.kind, found.due) == (kind, month_end(MEETING, months))
    assert "|" not in found.text and all(found.cell)
    assert f"{found.due.year}年{found.due.month}月底" in found.text


def test_responsible_person_by_role_then_lead_then_role_name() -> None:
    people = (Person("甲", "党支部书记"), Person("乙", "组织委员兼纪检委员"), Person("丙", "党员"))
    assert responsible(Area("严格组织生活", ("组织建设",)), people) == "乙"
    assert responsible(Area("廉洁纪律", ("纪律规矩",)), people) == "乙"
    assert responsible(Area("理论学习", ("理论学习",)), people) == "乙"  # no 宣传委员 → 组织委员
    assert responsible(Area("联系服务群众", ("宗旨意识",)), people) == "甲"  # nobody fits → the secretary
    assert responsible(Area("担当作为", ("担当作为",)), (Person("丁", "支部副书记"),)) == "丁"
    assert responsible(Area("担当作为", ("担当作为",)), (Person("戊", "副书记"),)) == "戊"
    assert responsible(Area("理想信念", ("理想信念",)), (Person("戊", "副书记"),)) == "支部书记"  # no lead: the role
    assert responsible(Area("严格组织生活", ("组织建设",)), ()) == "组织委员"
    assert responsible(Area("某个新方面", ("理论学习",)), ()) == "宣传委员"


@pytest.mark.parametrize(("unit", "signed"), [
    ("机关第一党支部", "中共机关第一党支部委员会"),
    ("中共机关第一党支部", "中共机关第一党支部委员会"),
    ("机关第一党支部委员会", "中共机关第一党支部委员会"),
    ("信息中心党总支", "中共信息中心党总支委员会"),
    ("某某局机关党委", "中共某某局机关党委"),
    ("财务处", "财务处"),
    ("工会委员会", "工会委员会"),
    ("", "【待补充：党组织名称】"),
])
def test_signing_body(unit: str, signed: str) -> None:
    assert signing_body(unit) == signed


# --------------------------------------------------------------------------- xlsx


def test_ledger_also_as_xlsx(cli: Callable[..., Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    result = cli("batch", write_spec(spec_text("rectification", COMMITTEE)), "--out", out, "--xlsx")
    assert result.code == 0, result
    docx_path, xlsx_path = [Path(line) for line in result.out.splitlines()]
    assert xlsx_path == docx_path.with_suffix(".xlsx")
    assert "1 份 .xlsx 表格" in result.err
    sheet = openpyxl.load_workbook(xlsx_path)["整改台账"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    table = rows(docx.Document(str(docx_path)).tables[0])
    assert values[1] == table[0]
    assert [[str(v) for v in row] for row in values[2:]] == table[1:]
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
    # The workbook exists now: a second run refuses it without --force, writing nothing.
    again = cli("batch", write_spec(spec_text("rectification", COMMITTEE)), "--out", out, "--xlsx")
    assert again.code == 2 and ".xlsx" in again.err


def test_xlsx_is_skipped_for_drafts_without_tables(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    result = cli("batch", write_spec(spec_text("collective")), "--out", tmp_path / "o", "--xlsx")
    assert result.code == 0, result
    assert [Path(line).suffix for line in result.out.splitlines()] == [".docx"]
    assert "没有表格" in result.err


def test_xlsx_without_openpyxl_is_a_usage_error(cli: Callable[..., Any], write_spec: Callable[..., Path],
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.xlsx

    monkeypatch.setattr(generator.xlsx, "available", lambda: False)
    result = cli("batch", write_spec(spec_text("rectification")), "--out", tmp_path / "o", "--xlsx")
    assert result.code == 2
    assert "draftgen[xlsx]" in result.err
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- LibreOffice



def test_tables_run_over_page_breaks_cleanly_in_libreoffice(cli: Callable[..., Any],
                                                            write_spec: Callable[..., Path], tmp_path: Path) -> None:
    """Across pages: the header row repeats wherever the table goes on, and no row is split between pages."""
    import os
    import subprocess

    soffice, pdftotext = tool("soffice"), tool("pdftotext")
    out = tmp_path / "out"
    drafts = {}
    for template, header, key_column in (("rectification", "整改目标/标准", 2), ("problem-list", "问题表现", 3)):
        result = cli("batch", write_spec(spec_text(template, COMMITTEE), f"{template}.yaml"), "--out", out)
        assert result.code == 0, result
        drafts[template] = (Path(result.out.strip()), header, key_column)
    env = {**os.environ, "FONTCONFIG_FILE": str(REPO / "tools" / "fonts.conf")}
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *(str(p) for p, _, _ in drafts.values())],
                   check=True, capture_output=True, timeout=300, env=env)
    for path, header, key_column in drafts.values():
        pdf_text = subprocess.run([pdftotext, str(path.with_suffix(".pdf")), "-"], check=True, capture_output=True,
                                  text=True).stdout
        pages = [re.sub(r"\s", "", page) for page in pdf_text.split("\f")]
        with_table = [i for i, page in enumerate(pages) if header in page]
        assert len(with_table) >= 2, f"{path.name}: the table should run over a page break"
        for row in rows(docx.Document(str(path)).tables[0])[1:]:
            cell = re.sub(r"\s", "", row[key_column])  # the body above repeats measures: look from the table on
            found = {i for key in (cell[:12], cell[-12:]) for i, page in enumerate(pages)
                     if key in page and i >= with_table[0]}
            assert len(found) == 1, f"{path.name} row {row[0]} is split over pages {sorted(found)}"
            assert found <= set(with_table), f"{path.name}: page {min(found) + 1} lacks the header row"
