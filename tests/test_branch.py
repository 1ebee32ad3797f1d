"""A mixed branch drafted from a small bank built here: the guarantees the composer gives by construction.

Chains (每个问题有自己的措施, 原因和措施都回应本材料的问题), voice (no organisation's register), rank, setting and
duty fit, no long sentence in more than two members' drafts while the bank offers another wording, the
last-year section, distinct openings and closings, and facts that pin their problem whatever the seed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from generator.bank import Bank, load_bank
from generator.compose import Composer
from generator.doctree import Heading, Paragraph
from generator.draft import Draft
from generator.errors import InputError
from generator.plan import fits_member
from generator.register import markers
from generator.render import render_document
from generator.roles import standing
from generator.spec import Spec, spec_from_text
from generator.text import han_only

_MARKS = "甲乙丙丁戊己庚辛壬癸"
# Titles that share no character pairs, so none is "too close" to another.
_TITLES = {"理论学习": ["读原著偏少", "笔记草率", "研讨发言浮浅", "自学时间挤占", "调查研究走过场", "联系点跑得稀",
                      "起草照搬旧稿", "带富邻里乏力", "风险研判滞后", "第一责任落空", "一岗双责虚化"],
           "宗旨意识": ["群众来信积压", "走访敷衍", "答复拖沓", "服务态度生硬", "回访缺位", "解难题不彻底",
                      "通知照抄上级", "示范带动不足", "隐患摸排粗疏", "书记抓得不实", "委员分工悬空"]}
_CAUSES = {"理论学习": ["求知欲减退", "进取心消磨", "纪律松弛", "本领恐慌", "浮躁心态"],
           "宗旨意识": ["宗旨观念淡薄", "公仆情怀弱化", "群众感情变淡", "服务本领欠缺", "作风漂浮"]}


def _problem(dim: str, i: int, **fields: object) -> dict[str, object]:
    mark, title = _MARKS[i], _TITLES[dim][i]
    return {"id": f"t-{dim}-p{i}", "kind": "problem", "dimension": dim, "voice": "self",
            "title": _TITLES[dim][i],
            # the title recurs every few characters: no run of 14 characters is shared by two entries
            "text": f"本人在{dim}{mark}项上{{做得|落实得}}不够，{title}。{title}全年{{只有|仅有}}两次达标，"
                    f"回头看{title}，{{问题|毛病}}{{还在|未改}}，{title}{{群众|同事}}意见不少。",
            **fields}


def _bank_yaml(dims: tuple[str, ...]) -> str:
    import yaml

    entries: list[dict[str, object]] = []
    for dim in dims:
        for i in range(6):
            entries.append(_problem(dim, i))
        entries.append(_problem(dim, 6, settings=["office"],
                                text=f"本人起草{dim}文稿{{时|的时候}}照搬{{旧稿|往年材料}}，"
                                     f"全年{{有三篇|三篇}}{dim}文稿被退回{{修改|重写}}。"))
        entries.append(_problem(dim, 7, settings=["rural"], text=f"本人种植{dim}合作社{{项目|田块}}时只顾自家，"
                                f"全年{{只带动|仅带动}}两户{dim}农户{{一起|共同}}增收。"))
        entries.append(_problem(dim, 8, rank="leader", settings=["office"],
                                text=f"本人对分管领域的{dim}{{风险|隐患}}研判不够，"
                                     f"{{全年|一年里}}只到{dim}基层{{调研|走访}}两次。"))
        entries.append(_problem(dim, 9, duty="secretary",
                                text=f"作为第一责任人，本人{{抓|推动}}{dim}支部建设{{用力不够|不够有力}}，"
                                     f"全年{dim}专题研究{{只有|仅有}}一次。"))
        entries.append({"id": f"t-{dim}-pk", "kind": "problem", "dimension": dim, "voice": "self", "duty": "committee",
                        "title": _TITLES[dim][10],
                        "text": f"本人履行{dim}委员职责{{用力不够|不够到位}}，一岗双责{{落实得|抓得}}不实，"
                                f"全年{dim}分工事项{{只|仅}}推进一半。"})
        entries.append({"id": f"t-{dim}-org", "kind": "problem", "dimension": dim, "voice": "organisation",
                        "title": "有的党员学习不够", "text": f"有的党员{dim}学习不够，要加强{dim}学习。"})
        entries.append({"id": f"t-{dim}-mined", "kind": "problem", "dimension": dim,
                        "title": "一些单位不够重视", "text": f"一些单位对{dim}工作重视不够，各级党组织要抓好。"})
        problem_ids = [f"t-{dim}-p{i}" for i in range(10)] + [f"t-{dim}-pk"]
        for i in range(5):
            mark = _MARKS[i]
            entries.append({"id": f"t-{dim}-c{i}", "kind": "cause", "dimension": dim, "voice": "self",
                            "title": _CAUSES[dim][i],
                            "text": f"对{dim}{mark}类工作{{认识|理解}}不深，{_CAUSES[dim][i]}，{{思想上|心里}}"
                                    f"满足于{_CAUSES[dim][i]}，{_CAUSES[dim][i]}的苗头{{没有|未能}}及时纠正。",
                            "answers": problem_ids[i::5]})
        for pid, title in zip(problem_ids, _TITLES[dim][:10] + _TITLES[dim][10:], strict=True):
            entries.append({"id": f"{pid}-m", "kind": "measure", "dimension": dim, "voice": "self",
                            "title": f"{title}{{限期|按时}}整改",
                            "text": f"针对{title}，{{每月|每个月}}{{对照|比照}}清单检查一次{title}的进度，"
                                    f"{{年底前|当年底前}}把{title}{{整改到位|改完}}并向支部报告。",
                            "answers": [pid]})
    return yaml.safe_dump({"add": entries}, allow_unicode=True, sort_keys=False)


DIMS = ("理论学习", "宗旨意识")


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    root = tmp_path_factory.mktemp("bank")
    (root / "curated").mkdir()
    (root / "curated" / "base.yaml").write_text(_bank_yaml(DIMS), encoding="utf-8")
    return load_bank(root, use_cache=False)


SPEC = """
template: personal
meeting: 2025年度专题组织生活会
unit: 第一党支部
date: 2026-01-20
dimensions: [理论学习, 宗旨意识]
problems_per_area: 2
setting: 机关
study: 深入贯彻中央八项规定精神学习教育
seed: {seed}
people:
  - {{name: 书记甲, role: 支部书记, post: 人事科科长}}
  - {{name: 委员乙, role: 组织委员, post: 科员}}
  - {{name: 党员丙, role: 党员, post: 科员}}
  - {{name: 党员丁, role: 党员, post: 科员}}
  - {{name: 党员戊, role: 党员, post: 档案管理员}}
  - {{name: 领导己, role: 党员, post: 副局长}}
  - {{name: 大户庚, role: 党员, post: 种植大户}}
  - {{name: 老党员辛, role: 党员, post: 退休教师}}
  - {{name: 外出壬, role: 党员, post: 外出务工}}
  - name: 工程师癸
    role: 党员
    post: 信息中心工程师
    facts:
      理论学习: 理论学习丙项工作上全年只有两次按要求完成，回头看问题还在
"""


def _spec(seed: int = 0) -> Spec:
    return spec_from_text(SPEC.format(seed=seed))


def _drafts(bank: Bank, seed: int = 0) -> list[Draft]:
    composer = Composer(_spec(seed), bank)
    return [composer.draft(i) for i in range(len(composer.plans))]


def test_chains_every_item_answers_a_problem_of_its_draft(bank: Bank) -> None:
    drafts = _drafts(bank)
    per_problem = []
    for draft in drafts:
        titles = [p.title for p in draft.problems]
        # two areas of two problems, and a short draft takes more (the bank's entries here are short)
        assert len(titles) == len(set(titles)) >= 4
        for title in titles:
            answering = [m for g in draft.measures for m in g.items if title in m.answers]
            assert 1 <= len(answering) <= 2, (draft.person, title)
            per_problem.append(len(answering))
        for group in draft.measures:
            for m in group.items:
                assert set(m.answers) <= set(titles) and m.answers
                if m.phrase and any(p.phrase for p in draft.problems if p.title in m.answers):
                    answered = {p.phrase.id for p in draft.problems if p.phrase and p.title in m.answers}
                    assert answered & set(m.phrase.answers), (m.phrase.id, answered)  # the bank's own link
        for cause in draft.causes:
            assert set(cause.answers) & set(titles), cause.title
            assert cause.phrase is not None
            ids = {p.phrase.id for p in draft.problems if p.phrase}
            assert ids & set(cause.phrase.answers), cause.phrase.id  # a cause of this draft's problems
    assert sum(per_problem) / len(per_problem) <= 1.5


def test_no_organisation_voice_and_everything_fits_its_author(bank: Bank) -> None:
    spec = _spec()
    for person, draft in zip(spec.people, _drafts(bank), strict=True):
        who = standing(person.role, person.post, spec.setting)
        for choice in draft.explain:
            phrase = bank.get(choice.phrase_id)
            assert phrase is not None and phrase.voice != "organisation" and not phrase.id.endswith("mined")
            assert fits_member(phrase, who), (person.name, phrase.id)
        text = "".join(p.title + p.text for p in draft.problems) + "".join(c.text for c in draft.causes)
        text += "".join(m.text for g in draft.measures for m in g.items)
        assert not list(markers(text, "organisation")), person.name
        if "分管" in text:
            assert who.rank == "leader", person.name
        if "文稿" in text:
            assert "office" in who.settings, person.name  # a member away keeps the branch's office work
        if "合作社" in text:
            assert "rural" in who.settings, person.name


def test_secretary_and_committee_member_carry_their_duty(bank: Bank) -> None:
    drafts = {d.person.name: d for d in _drafts(bank) if d.person}
    duties = {name: {p.phrase.duty for p in d.problems if p.phrase and p.phrase.duty} for name, d in drafts.items()}
    assert duties.pop("书记甲") == {"secretary"}
    assert duties.pop("委员乙") == {"committee"}
    assert all(not found for found in duties.values()), duties


def _sentences(draft: Draft) -> set[str]:
    doc = render_document(draft.spec.doctype.template, {"d": draft})
    found: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = re.sub(r"【待补充[^【】]*】", "", block.text)
            found |= {han_only(s) for s in re.split("(?<=[。！？；])", text) if len(han_only(s)) >= 12}
    return found


def test_no_long_sentence_in_more_than_two_drafts(bank: Bank) -> None:
    drafts = _drafts(bank)
    spread = Counter(s for d in drafts for s in _sentences(d))
    own = han_only(_spec().people[-1].facts["理论学习"][0])
    over = {s: n for s, n in spread.items() if n > 2 and s not in own}
    assert not over, over


def test_openings_and_closings_differ_and_name_the_member(bank: Bank) -> None:
    drafts = _drafts(bank)
    openings = [d.wording["preamble"] for d in drafts]
    closings = [d.wording["pledge"] for d in drafts]
    assert len(set(openings)) == len(openings) and len(set(closings)) == len(closings)
    for draft, opening in zip(drafts, openings, strict=True):
        assert draft.person is not None and draft.spec.meeting in opening
        assert "深入贯彻中央八项规定精神学习教育" in opening
        assert draft.person.post in opening or draft.person.role in opening


def test_last_year_section_by_default(bank: Bank) -> None:
    def h1(draft: Draft) -> list[str]:
        doc = render_document(draft.spec.doctype.template, {"d": draft})
        return [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]

    draft = _drafts(bank)[0]
    assert h1(draft)[0] == "一、上年度整改落实情况"
    assert "【待补充" in draft.wording["last_year"]
    given = replace(_spec(), last_year="上年度查摆的三个问题已整改两个。")
    composed = Composer(given, bank).draft(0)
    doc = render_document("personal.j2", {"d": composed})
    assert "上年度查摆的三个问题已整改两个。" in doc.plain_text()
    assert h1(Composer(replace(_spec(), placeholders=False), bank).draft(0))[0] == "一、存在的问题"


def test_a_fact_pins_its_problem_whatever_the_seed(bank: Bank) -> None:
    def pinned(seed: int) -> str:
        draft = _drafts(bank, seed)[-1]
        first = draft.areas[0].problems[0]
        assert first.facts and first.phrase is not None
        return first.phrase.id

    assert pinned(0) == pinned(5) == pinned(123) == "t-理论学习-p2"
    draft = _drafts(bank)[-1]
    measure = next(m for m in draft.measures[0].items if draft.areas[0].problems[0].title in m.answers)
    assert "理论学习丙项工作上全年只有两次按要求完成" in measure.text and "2026年3月底前" in measure.text


def test_a_fact_nothing_fits_becomes_the_problem(bank: Bank) -> None:
    spec = spec_from_text(SPEC.format(seed=0).replace("理论学习丙项工作上全年只有两次按要求完成，回头看问题还在",
                                                       "去年冬天帮邻居修水管时摔伤了腿"))
    draft = Composer(spec, bank).draft(len(spec.people) - 1)
    first = draft.areas[0].problems[0]
    assert first.phrase is None and "修水管" in first.title + first.text
    assert any(first.title in m.answers for m in draft.measures[0].items)


@pytest.mark.parametrize(("text", "why"), [
    ("全年{只有|仅}三次{多是跟着安排去。", "不成对"),
    ("全年{只有|}三次。", "空的选项"),
    ("全年{只有。|仅}三次。", "句末标点"),
    ("全年{只有|{仅|才}}三次。", "不成对"),
])
def test_malformed_alternatives_are_refused_at_load(tmp_path: Path, text: str, why: str) -> None:
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "grow-9.yaml").write_text(
        f"add:\n  - id: bad-p1\n    kind: problem\n    dimension: 理论学习\n    text: '{text}'\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bank(tmp_path, use_cache=False)
    message = caught.value.render()
    assert "bad-p1" in message and "grow-9.yaml" in message and why in message
