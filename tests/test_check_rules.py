"""Each reviewer's rule on materials that break it and materials that do not.

Materials are written by draftgen's writer from document trees (``check_support``), edited with python-docx
as an author would, saved by LibreOffice, or made by pandoc from Markdown (no document properties: the
author is read from the subtitle and signature).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from check_support import MORE_TOPICS, TOPICS, Topic, found, personal, write
from conftest import CliResult
from edits import libreoffice_round_trip, replace_text
from external import tool

from generator.check import check_files, disabled_rules, rules
from generator.doctree import Column, Document, Heading, Paragraph, Signature, Span, Table, Title
from generator.errors import InputError

Cli = Callable[..., CliResult]




def test_the_rule_base_material_passes_every_rule(tmp_path: Path) -> None:
    """Twelve problems, last year's account, concrete facts, measures that answer: nothing to send back."""
    doc = personal(TOPICS + MORE_TOPICS)
    assert found(write(doc, tmp_path / "a.docx")) == {}


# --------------------------------------------------------------------------- 1. 雷同


def test_two_members_with_the_same_text(tmp_path: Path) -> None:
    a = write(personal(name="张三"), tmp_path / "张三.docx")
    b = write(personal(name="李四"), tmp_path / "李四.docx")
    result = found(a, b)
    assert {"shared-sentence", "same-opening", "same-closing", "similar-pair"} <= set(result)
    report = check_files([a, b], jobs=1)
    assert report.similar and report.similar[0].share_a == pytest.approx(1.0)
    top = report.shared[0]
    assert len(top.files) == 2 and len(top.sentence) >= 12
    assert any("见于 2 份" in f.message for f in result["shared-sentence"])


def test_a_touched_up_copy_is_still_a_pair(tmp_path: Path) -> None:
    """Every sentence of the copy changed in its middle: matched by its first or last 12 characters."""
    a = write(personal(name="张三"), tmp_path / "张三.docx")
    doc = personal(name="李四")
    blocks = tuple(Paragraph(tuple(Span(s.text.replace("，", "，确实", 1), s.style) for s in b.spans))
                   if isinstance(b, Paragraph) else b for b in doc.blocks)
    b = write(replace(doc, blocks=blocks), tmp_path / "李四.docx")
    report = check_files([a, b], jobs=1)
    assert report.similar and report.similar[0].share > 0.5


def test_different_members_and_one_units_set_are_not_look_alikes(tmp_path: Path) -> None:
    a = write(personal(TOPICS[:4], name="张三"), tmp_path / "张三.docx")
    b = write(personal(TOPICS[4:], name="李四", variant=1), tmp_path / "李四.docx")
    listed, plan = _set(tmp_path)
    result = found(a, b, listed, plan)
    assert not set(result) & {"shared-sentence", "same-opening", "same-closing", "similar-pair"}, result
    # two versions of one member's draft are not two members
    c = write(personal(name="张三"), tmp_path / "张三-修改稿.docx")
    assert "shared-sentence" not in found(a, c)


# --------------------------------------------------------------------------- 2. voice, 3. rank


def test_organisation_voice_in_a_self_review(tmp_path: Path) -> None:
    lecture = Paragraph((Span("有的党员对理论学习不够重视，必须进一步提高认识。"),))
    result = found(write(personal(extra=(lecture,)), tmp_path / "a.docx"))
    assert len(result["voice-organisation"]) == 1 and "有的党员" in result["voice-organisation"][0].message
    assert result["voice-organisation"][0].paragraph is not None


def test_organisation_voice_typed_into_an_edited_draft(tmp_path: Path) -> None:
    path = write(personal(), tmp_path / "a.docx")
    replace_text(path, "今年参加支部集中学习12次", "一些党员干部今年参加支部集中学习12次")
    assert "voice-organisation" in found(path)


def _collective(text: str) -> Document:
    return Document(Title("机关第一党支部2025年度专题组织生活会对照检查材料"), (
        Heading(1, "一、存在的问题"),
        Paragraph((Span("1.组织生活质量不高。", "lead"), Span(text))),
        Heading(1, "二、问题产生的原因"), Paragraph((Span("支委会对组织生活的计划安排不细，会前准备不足。"),)),
        Heading(1, "三、整改措施"), Paragraph((Span("1.提高组织生活质量。", "lead"),
                                             Span("每次支委会前一周确定议题，组织生活质量每季度评议一次。"))),
        Signature("中共机关第一党支部委员会", "2026年1月20日")), {"doctype": "collective"})


def test_personal_voice_in_the_committees_material(tmp_path: Path) -> None:
    bad = write(_collective("今年本人主持的4次主题党日有2次只读文件。"), tmp_path / "bad.docx")
    good = write(_collective("今年支部开展的4次主题党日有2次只读文件，我们没有组织讨论。"), tmp_path / "good.docx")
    assert "voice-personal" in found(bad)
    assert "voice-personal" not in found(good) and "voice-organisation" not in found(good)


def test_leader_wording_in_a_members_draft(tmp_path: Path) -> None:
    duty = (Paragraph((Span("在分管领域的工作中，今年有2项任务推进迟缓，我没有及时靠前指挥。"),)),)
    member = found(write(personal(extra=duty, role="党员", post="财务科科员"), tmp_path / "m.docx"))
    assert "rank" in member and "取自文档属性" in member["rank"][0].message
    leader = found(write(personal(extra=duty, role="支部书记", post="副局长"), tmp_path / "l.docx"))
    assert "rank" not in leader


def test_service_wording_in_a_back_office_draft(tmp_path: Path) -> None:
    hotline = (Paragraph((Span("今年经手的热线工单有3件超过时限才回复。"),)),)
    office = found(write(personal(extra=hotline, post="财务科科员"), tmp_path / "o.docx"))
    assert "setting" in office
    window = found(write(personal(extra=hotline, post="政务服务大厅窗口工作人员"), tmp_path / "w.docx"))
    assert "setting" not in window


def test_rank_of_a_pandoc_made_material_comes_from_its_subtitle(tmp_path: Path) -> None:
    pandoc = tool("pandoc")
    doc = personal(extra=(Paragraph((Span("今年在分管领域的3项工作中没有靠前指挥。"),)),))
    lines = ["% 2025年度专题组织生活会个人对照检查材料", "", "机关第一党支部科员　张三", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Signature):
            lines += [block.name, "", block.date, ""]
    source = tmp_path / "a.md"
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "a.docx"
    subprocess.run([pandoc, str(source), "-o", str(out)], check=True, timeout=60)
    result = found(out)
    assert "rank" in result and "取自副标题和落款" in result["rank"][0].message
    assert "last-year-missing" not in result and "missing-section" not in result


# --------------------------------------------------------------------------- 4. titles


def _with_first_item(doc: Document, spans: tuple[Span, ...]) -> Document:
    index = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.spans[0].style == "lead")
    return replace(doc, blocks=(*doc.blocks[:index], Paragraph(spans), *doc.blocks[index + 1:]))


def test_cut_and_repeated_titles(tmp_path: Path) -> None:
    base = personal()
    cut = _with_first_item(base, (Span("1.读原著原文的", "lead"), Span("今年自学笔记只写了3篇。")))
    doubled = _with_first_item(base, (Span("1.读原著原文不够系统。", "lead"),
                                      Span("读原著原文不够系统，今年自学笔记只写了3篇。")))
    assert "title-cut" in found(write(cut, tmp_path / "cut.docx"))
    assert "title-repeated" in found(write(doubled, tmp_path / "doubled.docx"))
    clean = found(write(base, tmp_path / "clean.docx"))
    assert "title-cut" not in clean and "title-repeated" not in clean


def test_a_title_pasted_twice_in_an_edited_draft(tmp_path: Path) -> None:
    path = write(personal(), tmp_path / "a.docx")
    document = docx.Document(str(path))
    title = document.paragraphs[0]
    title._p.addnext(docx.Document(str(path)).paragraphs[0]._p)  # the title again, right under it
    document.save(str(path))
    assert "title-repeated" in found(path)


# --------------------------------------------------------------------------- 5. correspondence


def test_a_problem_without_a_measure_and_a_measure_without_a_problem(tmp_path: Path) -> None:
    topics = list(TOPICS[:4])
    topics[3] = replace(topics[3], measure_title="按时交纳党费",
                        measure="每月第一个工作日交纳党费，党费收据由本人保管备查。")
    doc = personal(tuple(topics))
    blocks = tuple(Paragraph((b.spans[0], Span(topics[3].measure)))
                   if isinstance(b, Paragraph) and topics[3].measure_title in b.text else b for b in doc.blocks)
    result = found(write(replace(doc, blocks=blocks), tmp_path / "a.docx"))
    assert [f.excerpt[:8] for f in result["problem-unanswered"]] == ["2.党员义务履行不"[:8]]
    assert any("按时交纳党费" in f.excerpt for f in result["answer-unmatched"])


# --------------------------------------------------------------------------- 6. reviewing norms


def test_reviewing_norms(tmp_path: Path) -> None:
    praising = replace(TOPICS[0], problem="虽然今年参加了12次集中学习，但自学笔记只写了3篇，读原著多是挑章节看。")
    vague = replace(TOPICS[1], problem="学用结合不够紧密，学归学、干归干，学习的收获没有转化为工作的办法。")
    long_measures = tuple(Paragraph((Span("把整改措施落到实处，以钉钉子精神抓好每一项整改任务，确保取得实效，"
                                          "让组织放心、让群众满意，以新的作风和新的面貌投入工作。" * 3),))
                          for _ in range(6))
    result = found(write(personal((praising, vague, *TOPICS[2:4]), last_year=False, extra=long_measures),
                         tmp_path / "a.docx"))
    assert {"last-year-missing", "praise-first", "not-concrete", "proportion", "too-short"} <= set(result)
    assert len(result["praise-first"]) == 1 and "虽然" in result["praise-first"][0].excerpt
    assert len(result["not-concrete"]) == 1 and result["not-concrete"][0].excerpt.startswith("2.学用")


# --------------------------------------------------------------------------- 7. the set


def _set(folder: Path, *, drop: int | None = None, owner: str = "李强", deadline: str = "2026年6月底前"
         ) -> tuple[Path, Path]:
    problems = [t for t in TOPICS[:4]]
    meta = {"unit": "机关第一党支部", "meeting": "2025年度专题组织生活会"}
    header = ("序号", "方面", "问题表现", "责任人")
    rows = tuple(((Span(str(k + 1)),), (Span(t.area),), (Span(f"{t.title}。{t.problem}"),), (Span("张明"),))
                 for k, t in enumerate(problems))
    listed = Document(Title("机关第一党支部2025年度专题组织生活会问题清单"),
                      (Paragraph((Span("现将查摆出的问题汇总如下。"),)),
                       Table(tuple(Column(h) for h in header), rows),
                       Signature("中共机关第一党支部委员会", "2026年1月20日")), {**meta, "doctype": "problem-list"})
    answered = [t for k, t in enumerate(problems) if k != drop]
    body: list[Any] = [Heading(1, "一、存在的问题和整改措施")]
    for k, t in enumerate(answered):
        body += [Paragraph((Span(f"{k + 1}.{t.title}。", "lead"), Span(t.problem))),
                 Paragraph((Span("整改措施：", "lead"), Span(t.measure)))]
    ledger_header = ("序号", "问题", "整改措施", "责任人", "完成时限")
    ledger = tuple(((Span(str(k + 1)),), (Span(t.title),), (Span(t.measure_title),),
                    (Span(owner if k == 0 else "李强"),), (Span(deadline if k == 0 else "2026年6月底前"),))
                   for k, t in enumerate(answered))
    body += [Heading(1, "二、整改台账"), Table(tuple(Column(h) for h in ledger_header), ledger),
             Signature("中共机关第一党支部委员会", "2026年1月20日")]
    plan = Document(Title("机关第一党支部2025年度专题组织生活会整改方案"), tuple(body),
                    {**meta, "doctype": "rectification"})
    return write(listed, folder / "set" / "问题清单.docx"), write(plan, folder / "set" / "整改方案.docx")


def test_the_set_answers_every_listed_problem(tmp_path: Path) -> None:
    good = found(*_set(tmp_path / "good"))
    assert not set(good) & {"set-unanswered", "ledger-owner", "ledger-deadline"}, good
    missing = found(*_set(tmp_path / "missing", drop=2))
    assert len(missing["set-unanswered"]) == 1 and TOPICS[2].title in missing["set-unanswered"][0].message
    empty = found(*_set(tmp_path / "empty", owner="", deadline=""))
    assert len(empty["ledger-owner"]) == 1 and len(empty["ledger-deadline"]) == 1
    assert empty["ledger-owner"][0].where.startswith("第 1 个表格第 2 行")


# --------------------------------------------------------------------------- switches and report


def test_rules_are_switched_off_by_option_and_by_file(cli: Cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(personal(last_year=False), tmp_path / "a.docx")
    assert "last-year-missing" in cli("check", path).out
    assert "last-year-missing" not in cli("check", "--disable", "last-year-missing,too-short", path).out
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".draftgen-check.yaml").write_text("disable: [last-year-missing]\n", encoding="utf-8")
    data = json.loads(cli("check", "--json", path).out)
    assert "last-year-missing" in data["disabled"]
    assert all(f["rule"] != "last-year-missing" for e in data["files"] for f in e["findings"])
    wrong = cli("check", "--disable", "no-such-rule", path)
    assert wrong.code == 2 and "no-such-rule" in wrong.err and "Traceback" not in wrong.err
    with pytest.raises(InputError):
        disabled_rules(["nope"])


def test_every_rule_has_a_severity_and_a_chinese_reason(cli: Cli) -> None:
    listed = cli("check", "--rules")
    assert listed.code == 0
    for rule in rules().values():
        assert rule.severity in ("必须修改", "建议修改") and rule.reason
        assert rule.id in listed.out


def test_report_groups_by_file_and_by_rule(cli: Cli, tmp_path: Path) -> None:
    a = write(personal(name="张三", last_year=False), tmp_path / "张三.docx")
    b = write(personal(name="李四", last_year=False), tmp_path / "李四.docx")
    text = cli("check", a, b)
    assert text.code == 1
    assert "按规则汇总：" in text.out and "last-year-missing" in text.out and "涉及 2 份材料" in text.out
    grouped = cli("check", "--by-rule", a, b).out
    block = grouped.split("] last-year-missing：", 1)[1].split("\n[", 1)[0]
    assert "张三.docx" in block and "李四.docx" in block and "按规则汇总" in grouped
    data = json.loads(cli("check", "--json", a, b).out)
    by_rule = {r["rule"]: r for r in data["rules"]}
    assert by_rule["last-year-missing"]["files"] == 2 and by_rule["last-year-missing"]["severity"] == "必须修改"
    assert data["shared"] and data["shared"][0]["drafts"] == 2
    finding = data["files"][0]["findings"][0]
    assert {"file", "rule", "severity", "reason", "where", "paragraph", "excerpt"} <= set(finding)


# --------------------------------------------------------------------------- LibreOffice-saved


def test_rules_survive_a_libreoffice_save(tmp_path: Path) -> None:
    lecture = (Paragraph((Span("有的党员在分管领域的工作中不够主动。"),)),)
    sources = [write(personal(extra=lecture, last_year=False), tmp_path / "in" / "a.docx"),
               write(personal(TOPICS + MORE_TOPICS), tmp_path / "in" / "b.docx")]
    saved = libreoffice_round_trip(sources, tmp_path / "out")
    bad = found(saved[0])
    assert {"voice-organisation", "last-year-missing"} <= set(bad)
    good = found(saved[1])
    assert not set(good) - {"rank", "setting"}, good  # role and post may not survive as properties


# --------------------------------------------------------------------------- 5b. near-duplicate problems and causes

DUTY_A = Topic("党性修养", "第一责任人职责履行不到位",
               "作为支部书记，今年支委会专题研究党建只有两次，8月布置的党员积分管理拖到年底还没有推开。",
               "抓党建主业的意识不强", "总觉得业务指标是硬任务，党建工作放一放也不要紧，分心分力时先让业务。",
               "每季度专题研究一次党建", "每季度第一个月召开支委会专题研究党建，党员积分管理在6月底前推开。")
DUTY_B = Topic("党性修养", "第一责任人责任扛得不实",
               "身为支部书记，今年亲自讲党课只有一次，党建工作多交给组织委员去办，第一责任人的职责没有压实。",
               "党员身份意识淡化", "把党员身份看成一种政治面貌，平时对照党员标准检查自己的时候少。",
               "书记带头讲党课", "今年至少讲两次党课，支部党建重点任务由本人牵头，每月听取一次组织委员汇报。")
LECTURE = Topic("党性修养", "讲党课准备不充分",
                "今年讲的一次党课用的是往年的课件，只换了几个数字，讲完后有党员说内容和去年差不多。",
                "对讲党课看得太轻", "把讲党课当成每年例行的一项任务，没有花工夫琢磨党员想听什么。",
                "党课提前一个月备课", "讲党课前一个月开始备课，先听取三名以上党员的意见，课件当年新写。")


def test_two_problems_that_say_the_same(tmp_path: Path) -> None:
    """Two 第一责任人 problems, and 党员身份意识淡化 beside 党员意识有所淡化: each pair is one matter said twice."""
    result = found(write(personal((DUTY_A, DUTY_B, *TOPICS[2:4])), tmp_path / "a.docx"))
    near = result["near-duplicate"]
    assert [(f.excerpt[:6], f.message[:4]) for f in near] == [("2.第一责任", "这条问题"), ("觉得自己入党", "这条原因")]
    assert "“第一责任人职责履行不到位”" in near[0].message and "“党员身份意识淡化”" in near[1].message
    # a secretary's other problem beside the first: two matters, nothing to merge
    assert "near-duplicate" not in found(write(personal((DUTY_A, LECTURE, *TOPICS[2:4])), tmp_path / "b.docx"))


def test_near_duplicate_threshold_holds_on_the_seeds() -> None:
    """No two problems (or causes) of one seed article reach the threshold: the seeds are the false-positive
    measure the threshold was set on (check.yaml gives the highest: 0.57)."""
    from generator.check.model import param
    from generator.check.reviewer import comparable, sameness
    from generator.mining import mine_paths

    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for p in mine_paths([Path(__file__).resolve().parent.parent / "seeds"]).phrases:
        if p.kind in ("problem", "cause") and comparable(p.title):
            groups.setdefault((p.group, p.kind), []).append((p.title, p.title + p.text))
    scores = [sameness(ta, xa, tb, xb) for items in groups.values()
              for n, (ta, xa) in enumerate(items) for tb, xb in items[n + 1:]]
    assert len(scores) >= 50
    assert 0.5 < max(scores) < param("near-duplicate", "threshold") - 0.1
