"""Who a member is: rank, setting and duty from role and post (templates/rules/roles.yaml), and the spec fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import InputError
from generator.roles import load_role_rules, standing
from generator.spec import spec_from_text


@pytest.mark.parametrize(("role", "post", "setting", "expected"), [
    ("党员", "科员", "", ("member", "office", frozenset())),
    ("支部书记", "人事科科长", "", ("cadre", "office", frozenset({"secretary"}))),
    ("组织委员", "副局长", "", ("leader", "office", frozenset({"committee"}))),
    ("党员", "副局长，分管行政审批", "", ("leader", "office", frozenset())),
    ("党员", "信息中心工程师", "", ("member", "office", frozenset())),
    ("党员", "工程师", "enterprise", ("member", "enterprise", frozenset())),  # the branch's setting decides
    ("宣传委员", "档案管理员", "", ("cadre", "office", frozenset({"committee"}))),
    ("党员", "种植大户", "office", ("member", "rural", frozenset())),  # the post wins over the branch
    ("党员", "数控车工", "", ("member", "enterprise", frozenset())),
    ("党员", "退休教师", "school", ("member", "retired", frozenset())),
    ("党员", "外出务工", "rural", ("member", "away", frozenset())),
    ("党员", "小学教师", "", ("member", "school", frozenset())),
    ("党员", "护士", "", ("member", "health", frozenset())),
    ("党员", "村医", "rural", ("member", "health", frozenset())),
    ("副书记", "", "", ("cadre", "", frozenset({"committee"}))),
])
def test_role_and_post_words_give_rank_setting_and_duty(role: str, post: str, setting: str,
                                                        expected: tuple[str, str, frozenset[str]]) -> None:
    found = standing(role, post, setting)
    assert (found.rank, found.setting, found.duties) == expected


def test_unknown_words_fall_back_to_any_member() -> None:
    found = standing("热心群众", "自由职业者", "")
    assert (found.rank, found.setting, found.duties) == ("member", "", frozenset())
    assert found.outranks("member") and not found.outranks("cadre")


def test_a_broken_rule_file_is_reported_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "roles.yaml"
    bad.write_text("rank:\n  general: [将军]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_role_rules(bad)
    assert "general" in caught.value.render() and "member" not in caught.value.render().split("之一")[0][-3:]


_HEAD = "meeting: 2025年度专题组织生活会\ndate: 2026-01-20\npeople:\n  - name: 甲\n"


def test_spec_setting_accepts_labels_and_aliases() -> None:
    assert spec_from_text(_HEAD + "setting: 农村\n").setting == "rural"
    assert spec_from_text(_HEAD + "setting: 车间\n").setting == "enterprise"
    assert spec_from_text(_HEAD + "setting: office\n").setting == "office"
    assert spec_from_text(_HEAD).setting == ""
    with pytest.raises(InputError) as caught:
        spec_from_text(_HEAD + "setting: 太空站\n")
    assert "setting" in caught.value.render() and "太空站" in caught.value.render()


def test_study_comes_from_the_spec_or_its_preset(tmp_path: Path) -> None:
    from generator.questions import Context

    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "p.yaml").write_text("id: 学习教育专题\ndescription: 测试\nstudy: 深入贯彻中央八项规定精神学习教育\n"
                                    "areas:\n  - {heading: 理论学习, dimensions: [理论学习]}\n", encoding="utf-8")
    ctx = Context(preset_dirs=(presets,))
    assert spec_from_text(_HEAD + "preset: 学习教育专题\n", ctx=ctx).study == "深入贯彻中央八项规定精神学习教育"
    assert spec_from_text(_HEAD + "preset: 学习教育专题\nstudy: 另一项学习\n", ctx=ctx).study == "另一项学习"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "q.yaml").write_text("id: 坏预设\nstudy: [一, 二]\nareas:\n  - {heading: 甲, dimensions: [理论学习]}\n",
                                encoding="utf-8")
    with pytest.raises(InputError) as caught:
        spec_from_text(_HEAD + "preset: 坏预设\n", ctx=Context(preset_dirs=(bad,)))
    assert "study" in caught.value.render()


def test_a_broken_keeps_branch_setting_is_reported_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "roles.yaml"
    bad.write_text("rank:\n  cadre: [科长]\nkeeps_branch_setting:\n  away: [月球]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_role_rules(bad)
    assert "keeps_branch_setting.away" in caught.value.render()
