"""The spec: valid forms load into the right values; every kind of mistake is reported with its place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.spec import load_spec, spec_from_text, spec_to_data
from generator.yamlio import dump_yaml

GOOD = """
template: 个人对照检查材料
meeting: 2025年度专题组织生活会
unit: 机关第一党支部
date: 2026-01-20
preset: 组织生活会四个方面
people:
  - name: 张三
    role: 支部书记
    facts:
      理论学习: 全年自学笔记只有3篇
      联系服务群众: [调研2次, 停车问题拖了两个月]
  - name: 李四
"""


def test_good_spec_loads_with_defaults() -> None:
    spec = spec_from_text(GOOD)
    assert spec.doctype.id == "personal"
    assert spec.date == dt.date(2026, 1, 20)
    assert [a.heading for a in spec.areas] == ["学习贯彻党的创新理论", "党性修养", "联系服务群众", "发挥先锋模范作用"]
    assert spec.problems_per_area == 2 and spec.seed == 0
    zhang, li = spec.people
    # a dimension id as the key lands in the area that draws on that dimension
    assert zhang.facts == {
        "学习贯彻党的创新理论": ("全年自学笔记只有3篇",),
        "联系服务群众": ("调研2次", "停车问题拖了两个月"),
    }
    assert li.role == "党员"


def test_single_person_at_top_level_and_defaults() -> None:
    spec = spec_from_text("name: 王五\ndimensions: [理论学习, 工作作风]\n")
    assert [p.name for p in spec.people] == ["王五"]
    assert [a.heading for a in spec.areas] == ["理论学习", "工作作风"]
    assert spec.meeting.endswith("年度专题组织生活会")
    assert spec.date == dt.date.today()


def test_round_trip_through_yaml() -> None:
    spec = spec_from_text(GOOD)
    again = spec_from_text(dump_yaml(spec_to_data(spec)))
    assert again == spec


def test_values_are_text_not_yaml_booleans() -> None:
    spec = spec_from_text("name: no\nunit: 2025\n")
    assert spec.people[0].name == "no" and spec.unit == "2025"


BAD_CASES = [
    ("templte: personal\nname: 张三\n", 1, "templte", "是不是“template”"),
    ("name: 张三\ndate: 2025-02-30\n", 2, "date", "2025年2月没有30日"),
    ("name: 张三\npreset: 组织生活会4个方面\n", 2, "preset", "是不是“组织生活会四个方面”"),
    ("name: 张三\nproblems_per_area: 9\n", 2, "problems_per_area", "1 到 5"),
    ("name: 张三\nseed: abc\n", 2, "seed", "不是整数"),
    ("name: 张三\ndimensions: [理论学习, 宗旨]\n", 2, "dimensions[1]", "是不是“宗旨意识”"),
    ("people:\n  - name: 张三\n  - name: 张三\n", 3, "people[1].name", "重复"),
    ("people: []\n", 1, "people", "空"),
    ("people:\n  - role: 党员\n", 2, "people[0].name", "不能为空"),
    ("name: 张三\nfacts:\n  不存在的方面: 事例\n", 3, "facts.不存在的方面", "没有“不存在的方面”这个方面"),
    ("name: 张三\npreset: 通用\ndimensions: [理论学习]\n", 3, "dimensions", "只能给出其中一个"),
    ("name: [张三]\n", 1, "name", "不能是列表"),
    ("name: 张三\noutput: ../{name}.docx\n", 2, "output", "不能包含路径"),
    ("name: 张三\noutput: \"{nam}.docx\"\n", 2, "output", "{nam}"),
    ("name: 张三\nsections:\n  lastyear: 文字\n", 3, "sections.lastyear", "last_year"),
    ("name: 张三\nname: 李四\n", 2, "name", "重复"),
    ("name: 张三\nunit: !!python/object/apply:os.system [ls]\n", 2, "unit", "不支持的 YAML 标签"),
    ("- name: 张三\n", 1, "", "映射"),
    ("name: 张三\n\tunit: x\n", 2, "", "Tab"),
    ("a: &a [*a]\n", 1, "a[0]", "循环引用"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), BAD_CASES)
def test_bad_spec_is_located(text: str, line: int, field: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        spec_from_text(text, "bad.yaml")
    rendered = info.value.render()
    assert f"bad.yaml，第 {line} 行" in rendered, rendered
    if field:
        assert f"字段 {field}" in rendered, rendered
    assert words in rendered, rendered


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(InputError) as info:
        spec_from_text("name: 张三\ndate: 2025-13-01\nseed: x\nproblems_per_area: 0\n", "bad.yaml")
    assert len(info.value.problems) == 3


def test_alias_bomb_fails_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(InputError) as info:
        spec_from_text("\n".join(lines) + "\n", "bomb.yaml")
    assert "别名" in info.value.render()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "是空的"), (b"name: \xff\xfe\n", "不是 UTF-8"), (b"name: [\n", "YAML 语法错误")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_spec(path)
    assert words in info.value.render()


def test_missing_and_folder_specs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="文件夹"):
        load_spec(tmp_path)


def test_user_preset_folder(tmp_path: Path, write_spec: Callable[..., Path]) -> None:
    from generator.questions import Context

    presets = tmp_path / "presets"
    presets.mkdir()
    (presets / "mine.yaml").write_text(
        "id: 我的预设\nareas:\n"
        "  - {heading: 学习, dimensions: [理论学习]}\n  - {heading: 作风, dimensions: [工作作风]}\n",
        encoding="utf-8",
    )
    spec = load_spec(write_spec("name: 张三\npreset: 我的预设\n"), Context(preset_dirs=(presets,)))
    assert [a.heading for a in spec.areas] == ["学习", "作风"]


def test_default_meeting_follows_the_specs_date() -> None:
    assert spec_from_text("name: 张三\ndate: 2026-01-20\n").meeting == "2025年度专题组织生活会"
    assert spec_from_text("name: 张三\ndate: 2026-11-20\n").meeting == "2026年度专题组织生活会"
