"""Composition: correspondence, the member's own material, placeholders, determinism, distinct drafts."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.bank import load_bank
from generator.compose import Composer, compose
from generator.doctree import Heading, Paragraph
from generator.questions import Context
from generator.render import render_document
from generator.similarity import compared_text, pairwise, sentence_spread
from generator.spec import Spec, spec_from_text

SPEC = """
meeting: 2025年度专题组织生活会
unit: 机关第一党支部
date: 2026-01-20
preset: 组织生活会四个方面
people:
  - name: 张明
    facts:
      学习贯彻党的创新理论: 全年自学笔记只有3篇,读原著不系统
      联系服务群众: [全年只调研2次, 停车难问题拖了两个多月]
    problems:
      党性修养: [给同志提意见时顾虑较多。, 参加组织生活时发言准备不足]
  - name: 王丽
  - name: 李强
    facts:
      发挥先锋模范作用: 年底考核材料汇总任务中没有主动请缨
"""


def _spec(text: str = SPEC) -> Spec:
    return spec_from_text(text)


def _docs(spec: Spec) -> list:
    return [render_document(spec.doctype.template, {"d": d}) for d in compose(spec, load_bank())]


def _area_paragraphs(doc) -> dict[str, list[str]]:
    """Problem paragraphs by area heading."""
    out: dict[str, list[str]] = {}
    area = None
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 2 and block.text.endswith("方面"):
            area = block.text
        elif isinstance(block, Heading):
            area = None if block.level == 1 else area
        elif isinstance(block, Paragraph) and block.role == "problem" and area:
            out.setdefault(area, []).append(block.text)
    return out


def test_facts_land_in_their_area_with_full_width_punctuation() -> None:
    zhang = _area_paragraphs(_docs(_spec())[0])
    assert "全年自学笔记只有3篇，读原著不系统" in "".join(zhang["（一）学习贯彻党的创新理论方面"])
    assert "全年只调研2次；停车难问题拖了两个多月。" in "".join(zhang["（三）联系服务群众方面"])
    assert "笔记" not in "".join(zhang["（三）联系服务群众方面"])


def test_placeholders_exactly_where_facts_are_missing() -> None:
    docs = _docs(_spec())
    for doc, with_facts in zip(docs, [{"（一）学习贯彻党的创新理论方面", "（三）联系服务群众方面"}, set(),
                                      {"（四）发挥先锋模范作用方面"}], strict=True):
        areas = _area_paragraphs(doc)
        assert len(areas) == 4
        for heading, paragraphs in areas.items():
            marked = sum("【待补充" in p for p in paragraphs)
            assert marked == (0 if heading in with_facts else 1), (heading, paragraphs)


def test_no_placeholders_option() -> None:
    from dataclasses import replace

    docs = _docs(replace(_spec(), placeholders=False))
    assert not any("【待补充" in d.plain_text() for d in docs)


def test_own_problems_come_first() -> None:
    zhang = _area_paragraphs(_docs(_spec())[0])["（二）党性修养方面"]
    assert zhang[0].startswith("1.给同志提意见时顾虑较多。")
    assert zhang[1].startswith("2.参加组织生活时发言准备不足。")


@pytest.mark.parametrize("preset", ["组织生活会四个方面", "通用", "党纪学习教育六项纪律", "民主生活会五个带头"])
def test_every_problem_has_one_measure_and_no_orphans(preset: str) -> None:
    people = "\n".join(f"  - name: 党员{i}" for i in range(8))
    spec = _spec(f"preset: {preset}\nproblems_per_area: 3\npeople:\n{people}\n")
    for draft in compose(spec, load_bank()):
        problem_titles = [p.title for p in draft.problems]
        answered = [t for g in draft.measures for m in g.items for t in m.answers]
        assert set(answered) == set(problem_titles)  # every problem answered, no measure orphaned
        for area, group in zip(draft.areas, draft.measures, strict=True):
            assert {t for m in group.items for t in m.answers} == {p.title for p in area.problems}
        ids = [c.phrase_id for c in draft.explain]
        assert len(ids) == len(set(ids))  # no entry twice in one draft
        assert draft.causes and all(c.answers for c in draft.causes)


def test_measures_follow_bank_links() -> None:
    draft = next(compose(_spec(), load_bank()))
    linked = 0
    for area, group in zip(draft.areas, draft.measures, strict=True):
        for problem in area.problems:
            first = next(m for m in group.items if problem.title in m.answers)
            if problem.phrase and first.phrase and problem.phrase.id in first.phrase.answers:
                linked += 1
    assert linked >= 6


def test_same_spec_and_seed_give_same_text_and_seed_changes_it() -> None:
    first = [d.plain_text() for d in _docs(_spec())]
    assert first == [d.plain_text() for d in _docs(_spec())]
    other = [d.plain_text() for d in _docs(_spec(SPEC.replace("date:", "seed: 7\ndate:")))]
    assert other != first


def test_drafts_do_not_depend_on_process_or_order() -> None:
    spec = _spec()
    composer = Composer(spec, load_bank())
    backwards = [composer.draft(i) for i in reversed(range(3))][::-1]
    assert [d.explain for d in backwards] == [d.explain for d in compose(spec, load_bank())]


def test_personal_drafts_keep_one_voice() -> None:
    for doc in _docs(_spec()):
        text = "".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
        for marker in ("我们", "一些党员", "少数党员", "有的党员"):
            assert marker not in text


def test_user_preset_drives_the_areas(tmp_path: Path) -> None:
    folder = tmp_path / "presets"
    folder.mkdir()
    (folder / "p.yaml").write_text("id: 本年度三个方面\nareas:\n  - {heading: 政治学习, dimensions: [理论学习]}\n"
                                   "  - {heading: 廉洁从业, dimensions: [纪律规矩]}\n"
                                   "  - {heading: 作风建设, dimensions: [工作作风]}\n", encoding="utf-8")
    from generator.spec import build_spec
    from generator.yamlio import parse_yaml

    spec = build_spec(parse_yaml("name: 张三\npreset: 本年度三个方面\n", "s.yaml"), Context(preset_dirs=(folder,)))
    headings = [h.text for h in _docs(spec)[0].headings(2)]
    assert headings[:3] == ["（一）政治学习方面", "（二）廉洁从业方面", "（三）作风建设方面"]


def test_twenty_members_read_differently() -> None:
    """The issue's bar: 8-character shingle share ≤ 0.40 for every pair, ≤ 0.20 on average; no long sentence
    in more than 6 of 20 drafts."""
    people = "\n".join(f"  - name: 党员{i:02d}" for i in range(20))
    spec = _spec(f"preset: 组织生活会四个方面\nproblems_per_area: 2\npeople:\n{people}\n")
    texts = [compared_text(doc) for doc in _docs(spec)]
    shares = [s for _, _, s in pairwise(texts)]
    assert max(shares) <= 0.40, max(shares)
    assert sum(shares) / len(shares) <= 0.20, sum(shares) / len(shares)
    assert max(sentence_spread(texts).values()) <= 6


def test_own_causes_measures_and_wording_replace_the_bank() -> None:
    spec = _spec("""
name: 张明
dimensions: [理论学习, 工作作风]
problems:
  理论学习: [学习不系统。平时只看摘要。]
causes: [思想上放松了。总觉得业务更要紧。, 自律不够。]
measures:
  理论学习: [每周读原著两小时。坚持写笔记。]
wording:
  preamble: 这是我自己写的开头。
  pledge: 这是我自己写的结尾。
  measure_headings: {工作作风: 下大力气改作风}
""")
    doc = _docs(spec)[0]
    text = doc.plain_text()
    assert "这是我自己写的开头。" in text and text.rstrip().splitlines()[-3] == "这是我自己写的结尾。"
    h2 = [h.text for h in doc.headings(2)]
    assert "（一）思想上放松了" in h2 and "（二）自律不够" in h2 and len([h for h in h2 if "方面" not in h]) == 4
    assert "（二）下大力气改作风" in h2
    assert "1.每周读原著两小时。坚持写笔记。" in text
    draft = next(compose(spec, load_bank()))
    assert draft.measures[0].items[0].answers == ("学习不系统",)
    assert all(c.phrase is None for c in draft.causes)


# Four areas of two problems reach about 2,300 characters before the member adds facts: causes and second
# measures are added only where the bank links them to a chosen problem (issue 12), so the bank's links
# decide how close a four-area draft comes to 2,500.
@pytest.mark.parametrize(("preset", "low", "high"), [("组织生活会四个方面", 2200, 4000), ("通用", 2500, 4000)])
def test_default_length_fits_a_personal_draft(preset: str, low: int, high: int) -> None:
    people = "\n".join(f"  - name: 党员{i}" for i in range(6))
    for doc in _docs(_spec(f"preset: {preset}\npeople:\n{people}\n")):
        assert low <= len(doc.plain_text()) <= high


def test_length_is_adjustable() -> None:
    people = "\n".join(f"  - name: 党员{i}" for i in range(4))
    short = [len(d.plain_text()) for d in _docs(_spec(f"preset: 通用\nlength: 2000\npeople:\n{people}\n"))]
    long = [len(d.plain_text()) for d in _docs(_spec(f"preset: 通用\nlength: 4000\npeople:\n{people}\n"))]
    # Longer drafts take more causes and second measures, within the reviewers' limits (no more causes than
    # problems, a second measure for at most half the problems, none repeating a sentence already in two other
    # drafts), so 4000 is approached, not forced.
    assert max(short) < min(long) and min(long) >= 3000


def test_a_draft_does_not_repeat_itself() -> None:
    """No sentence twice in one draft, and no passage of 16+ characters in two paragraphs.

    Shorter echoes are allowed: a measure naturally restates the problem it answers.
    """
    from generator.render import PLACEHOLDER_RE
    from generator.similarity import sentences, shared_passages

    people = "\n".join(f"  - name: 党员{i:02d}" for i in range(12))
    for preset in ("组织生活会四个方面", "通用", "民主生活会五个带头"):
        for doc in _docs(_spec(f"preset: {preset}\npeople:\n{people}\n")):
            paras = [PLACEHOLDER_RE.sub("", b.text) for b in doc.blocks if isinstance(b, Paragraph)]
            all_sentences = [s for p in paras for s in sentences(p, min_len=10)]
            assert len(all_sentences) == len(set(all_sentences))
            for i, a in enumerate(paras):
                for b in paras[i + 1:]:
                    assert not shared_passages(a, b, min_len=16), (a[:30], b[:30])


def test_own_measures_stay_with_their_problem_when_facts_reorder() -> None:
    spec = _spec("""
name: 张明
dimensions: [理论学习]
problems:
  理论学习: [读原著不系统。, 调研报告写得少。]
measures:
  理论学习: [每周读原著两小时。, 每季度写一篇调研报告。]
facts:
  理论学习: 全年只写了一篇调研报告
""")
    draft = next(compose(spec, load_bank()))
    assert [p.title for p in draft.areas[0].problems] == ["调研报告写得少", "读原著不系统"]
    pairs = {m.answers[0]: m.title for m in draft.measures[0].items}
    assert pairs == {"读原著不系统": "每周读原著两小时", "调研报告写得少": "每季度写一篇调研报告"}
