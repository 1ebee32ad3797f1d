"""Templates render to markup that parses into the document tree; values stay inert text."""

from __future__ import annotations

import pytest

from generator.doctree import Heading, Paragraph, Signature, Subtitle, Table
from generator.render import TemplateError, cn_number, environment, parse_markup, render_markup


def test_markup_parses_into_blocks() -> None:
    doc = parse_markup(
        "::title 2025年度专题组织生活会\ue000个人对照检查材料\n"
        "::subtitle 第一党支部　张三\n"
        "::h1 一、存在的问题\n"
        "::p.problem \ue0011.学习不够。\ue002学习不深,不透。【待补充：具体事例】\n"
        "::table 台账\n::col 1 序号\n::col 4 问题\n::row\n::cell 1\n::cell 学习不够\n::end\n"
        "::signature 张三\n::date 2026年1月20日\n"
    )
    assert doc.title.text == "2025年度专题组织生活会个人对照检查材料"
    assert doc.title.breaks == (13,)
    subtitle, h1, para, table, sig = doc.blocks
    assert isinstance(subtitle, Subtitle) and isinstance(h1, Heading) and h1.level == 1
    assert isinstance(para, Paragraph) and para.role == "problem"
    assert [(s.text, s.style) for s in para.spans] == [
        ("1.学习不够。", "lead"), ("学习不深，不透。", None), ("【待补充：具体事例】", "placeholder")]
    assert isinstance(table, Table) and [c.header for c in table.columns] == ["序号", "问题"]
    assert table.rows[0][1][0].text == "学习不够"
    assert sig == Signature("张三", "2026年1月20日")


@pytest.mark.parametrize("bad", ["just text\n::title x\n", "::title x\n::cell y\n", "::title x\n::table t\n::p y\n",
                                 "::p no title\n"])
def test_bad_markup_is_a_template_error(bad: str) -> None:
    with pytest.raises(TemplateError):
        parse_markup(bad)


def test_values_cannot_inject_markup_or_jinja() -> None:
    env = environment()
    template = env.from_string("::title T\n::p {{ v }}\n::p {{ w | lead }}end\n")
    hostile = "{{ 7*7 }} {% if true %}x{% endif %}\n::h1 注入\n\ue001假\ue002"
    markup = template.render(v=hostile, w=hostile)
    doc = parse_markup(markup)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(isinstance(b, Heading) for b in doc.blocks)
    assert "{{ 7*7 }}" in texts[0] and "49" not in texts[0]
    assert "::h1注入" in texts[0]  # the would-be directive stays text inside the paragraph


def test_sandbox_blocks_attribute_escapes() -> None:
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        environment().from_string("{{ ''.__class__.__mro__ }}").render()


def test_strict_undefined_reports_template_bugs() -> None:
    with pytest.raises(TemplateError):
        render_markup("personal.j2", {})


def test_chinese_numbers() -> None:
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
