"""The register rules (templates/rules/register.yaml) judge sentences as reviewers do."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.register import first, load_rules, markers, rank_needed, settings_assumed, speaks_as_organisation


@pytest.mark.parametrize("text", [
    "有的党员理想信念动摇，对党的事业缺乏信心。",
    "一些单位的机关党委是机关内设的一个直属处室，人手少、任务重。",
    "坚持群众路线，要做到思想上尊重群众、感情上贴近群众。",
    "在全社会形成学先进、做先进、争先进的浓厚氛围。",
    "各级党组织必须把政治建设摆在首位。",
])
def test_organisation_register_is_recognised(text: str) -> None:
    assert speaks_as_organisation(text)


@pytest.mark.parametrize("text", [
    "本人对党的创新理论学习不够系统，读原著原文少。",
    "全年到联系社区走访3次，收集意见5条，办结2条，跟踪问效不够。",
    "这项工作很重要，需要主动作为，我向组织提出了要求。",
    "对照党章要求，在发挥先锋模范作用方面做得不够。",
])
def test_own_words_are_not_the_organisation(text: str) -> None:
    assert not speaks_as_organisation(text), list(markers(text, "organisation"))


def test_personal_voice_but_not_we() -> None:
    assert first("本人学习不够深入", "personal")
    assert first("我对自己要求不严", "personal")
    assert not first("我们支部班子学习不够深入，我党的优良传统坚持得不够", "personal")


def test_rank_and_setting_words() -> None:
    assert rank_needed("对分管领域潜在风险研判不够前瞻") == "leader"
    assert rank_needed("靠前指挥的时候少，习惯在办公室通过电话调度") == "leader"
    assert rank_needed("带队伍严管厚爱结合不够") == "cadre"
    assert rank_needed("学习笔记记得少") == "member"
    assert settings_assumed("起草文稿时照搬上级提法") == ("office",)
    assert settings_assumed("热线工单回复不及时") == ("service",)
    assert settings_assumed("种地时没按技术规程施药") == ()


def test_a_broken_rule_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "register.yaml"
    bad.write_text("organisation:\n  x:\n    reason: 理由\n    patterns: ['(']\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(bad)
    assert "register.yaml" in str(caught.value)


@pytest.mark.parametrize("text", [
    "当前个别党支部党员教育管理的工作模式还不能完全适应新形势的需要。",
    "有的领导干部把机关党组织等同于群团组织。",
    "当前，不少党员干部的上班场所仅在机关，对基层的情况了解甚少。",
    "现如今，大部分机关党务干部都是一身兼多职，专职的比较少。",
    "基层党组织要不断创新工作方法。",
    "从社会利益格局调整上看，市场经济主体多元化、利益关系复杂化。",
])
def test_organisation_markers_the_seeds_showed(text: str) -> None:
    assert speaks_as_organisation(text)
