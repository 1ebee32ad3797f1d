"""The register gate on mined text: voice, rank and settings from the register rules; whole, undoubled titles;
what no document can use kept in the mined YAML with a flag for a person to review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mining_support import SEEDS, corrections, cues, lines_of

from generator.bank import Phrase, load_bank
from generator.mining import MineResult, mine_lines, mine_paths, write_bank
from generator.mining.build import entry_id
from generator.mining.clean import clean_lines
from generator.mining.gate import TEXT_FLAGS, settle_voices, strip_doubled, title_from_text
from generator.mining.sources import read_lines
from generator.register import markers
from generator.text import han_only

# A personal self-review in the seeds' layout, written for these tests.
PERSONAL = """个人对照检查材料
按照支部通知要求，本人认真学习了有关文件，现将个人对照检查情况报告如下。
一、存在的问题
1.对分管领域风险研判不够。对分管领域潜在风险研判不够前瞻，应急预案多年未修订。
2.起草文稿照搬照抄。起草文稿时习惯套用上级提法，结合本单位实际不够，一份材料改了三稿才定稿。
3.联系群众不够经常。联系群众不够经常。全年到联系社区走访3次，收集意见5条，办结2条。
4.有的党员学习不够主动，满足于完成规定动作，学习笔记摘抄多、思考少。
5.学习笔记*记得不认真，心得体会写得空泛，流于形式。
二、整改措施
1.加强理论学习。每周安排半天时间集中自学，每月参加一次支部学习交流。
2.要坚持群众路线，经常深入基层，真诚倾听群众呼声。
"""


@pytest.fixture(scope="module")
def mined() -> MineResult:
    return mine_paths([SEEDS])


@pytest.fixture(scope="module")
def personal() -> dict[str, Phrase]:
    result = mine_lines("本人.txt", lines_of(PERSONAL), corrections(), cues())
    return {p.title or p.text[:10]: p for p in result.phrases}


def _usable(flags: tuple[str, ...]) -> bool:
    return not set(flags) & TEXT_FLAGS


# --------------------------------------------------------------------------- voice, on the seeds


def test_no_seed_entry_speaks_as_an_organisation_unmarked(mined: MineResult) -> None:
    """Whatever holds a marker of the organisation's register is tagged for that voice or flagged."""
    for p in mined.phrases:
        found = list(markers(f"{p.title}。{p.text}", "organisation"))
        if found:
            assert p.voice == "organisation" or p.flags, (p.id, found[0].excerpt(f"{p.title}。{p.text}"))


def test_the_issue_examples_are_organisation_voice(mined: MineResult) -> None:
    for needle in ("在全社会形成学先进", "坚持群众路线，要做到思想上尊重群众", "一些单位的机关党委是机关内设",
                   "私营企业对党建工作不够重视", "基层党委与基层党组织是松散型"):
        found = [p for p in mined.phrases if needle in p.text]
        assert found and all(p.voice == "organisation" for p in found), needle


def test_voices_are_the_two_the_miner_knows(mined: MineResult) -> None:
    assert {p.voice for p in mined.phrases} == {"self", "organisation"}
    # The seeds' personal self-review (000, 篇1) stays the author's own.
    first = [p for p in mined.phrases if p.group == "000_18e8b69136d53be3#1"]
    assert len(first) >= 10 and all(p.voice == "self" for p in first)


def test_an_article_of_a_unit_speaks_as_the_organisation_throughout() -> None:
    assert settle_voices(["organisation", "", "organisation", ""], [1, 1, 1, 1]) == ["organisation"] * 4
    assert settle_voices(["organisation", "", "", "self"], [1, 1, 1, 1]) == [
        "organisation", "self", "self", "self"]
    # An article that says 本人/我 anywhere is the author's own, whatever its 要-measures say.
    assert settle_voices(["organisation", ""], [2, 2], personal={2}) == ["organisation", "self"]


# --------------------------------------------------------------------------- voice, rank, settings on a member's text


def test_a_members_own_text_is_self_with_rank_and_settings(personal: dict[str, Phrase]) -> None:
    leader = personal["对分管领域风险研判不够"]
    office = personal["起草文稿照搬照抄"]
    plain = personal["加强理论学习"]
    assert (leader.voice, leader.rank, leader.settings) == ("self", "leader", ())
    # 本单位 is the member's own unit, not a third party.
    assert (office.voice, office.rank, office.settings) == ("self", "", ("office",))
    assert (plain.voice, plain.rank, plain.settings) == ("self", "", ())


def test_third_parties_and_directives_in_a_members_text(personal: dict[str, Phrase]) -> None:
    others = personal["有的党员学习不够主动"]
    directive = personal["要坚持群众路线，经常"]
    assert others.voice == "organisation" and directive.voice == "organisation"


# --------------------------------------------------------------------------- titles


def _source_text(name: str) -> str:
    doc = clean_lines(name, read_lines(SEEDS / name), corrections())
    return "\n".join(line.text for line in doc.lines)


def test_seed_titles_are_whole_and_never_repeated(mined: MineResult) -> None:
    sources: dict[str, str] = {}
    for p in mined.phrases:
        if not _usable(p.flags):
            continue
        if p.kind in ("problem", "cause"):
            assert p.title, f"{p.id} has no title: a draft would cut one from its text"
        if not p.title:
            continue
        name = p.source.rsplit(":", 1)[0]
        source = sources.setdefault(name, _source_text(name))
        at = source.find(p.title)
        assert at >= 0, p.id
        after = source[at + len(p.title): at + len(p.title) + 1]
        assert not re.match("[\u4e00-\u9fff]", after), f"{p.id}: title cut before “{after}”: {p.title}"
        assert not re.search("[的和与及、，“（《]$", p.title), p.id
        assert not han_only(p.text).startswith(han_only(p.title)), f"{p.id}: title repeated: {p.title}"


def test_the_issue_examples_of_titles(mined: MineResult) -> None:
    for p in mined.phrases:
        assert p.title != "群众利益诉求渠道、干群沟通交流机"
        if "政治理论学习深度和广度还不够" in p.title + p.text:
            assert p.flags == ("title-only",)  # a heading with nothing under it: a person writes the text
        if p.text.startswith("群众利益诉求渠道"):
            assert "no-title" in p.flags


def test_a_doubled_title_is_removed_and_a_lone_heading_flagged(personal: dict[str, Phrase]) -> None:
    doubled = personal["联系群众不够经常"]
    assert doubled.text == "全年到联系社区走访3次，收集意见5条，办结2条。"
    assert _usable(doubled.flags)
    assert strip_doubled("标题", "标题。标题。正文。") == "正文。"


def test_a_short_first_sentence_becomes_the_title_and_keeps_the_id() -> None:
    text = "机关党组织的职能定位不明确。有的领导干部把机关党组织等同于群团组织。"
    title, rest = title_from_text(text) or ("", "")
    assert title == "机关党组织的职能定位不明确" and rest.startswith("有的领导干部")
    assert entry_id("problem", title, rest) == entry_id("problem", "", text)
    assert title_from_text("群众利益诉求渠道、干群沟通交流机制、群众工作体制机制还不够完善，疏远了与干群关系。") is None


# --------------------------------------------------------------------------- kept for review


def test_what_no_document_can_use_stays_flagged(personal: dict[str, Phrase], mined: MineResult) -> None:
    censored = personal["学习笔记*记得不认真"]
    assert "censored" in censored.flags and censored.text.startswith("学习笔记*")
    unsure = [p for p in mined.phrases if "unsure-kind" in p.flags]
    assert unsure and all(p.source.startswith("003_") for p in unsure)


def test_a_curated_fix_of_the_wording_settles_the_miners_doubts(tmp_path: Path, mined: MineResult) -> None:
    out = tmp_path / "bank"
    write_bank(mined, out)
    lone = next(p for p in mined.phrases if p.flags == ("title-only",))
    dated = next(p for p in mined.phrases if "dated" in p.flags)
    (out / "curated").mkdir()
    (out / "curated" / "fit.yaml").write_text(
        f"fix:\n  - id: {lone.id}\n    title: 理论学习的深度和广度不够\n"
        "    text: 学习多停留在规定篇目上，对原著原文读得不全不细，遇到新情况时理论储备跟不上。\n"
        f"  - id: {dated.id}\n    text: 改写后的文字，仍须核对其中的提法。\n", encoding="utf-8")
    bank = load_bank(out, use_cache=False)
    assert bank.get(lone.id).flags == ()  # type: ignore[union-attr]
    assert "dated" in bank.get(dated.id).flags  # type: ignore[union-attr]  # references stay flagged
