"""Segmentation: every heading form the seeds and real materials use, and the context it sets."""

from __future__ import annotations

from mining_support import clean, cues, seed

from generator.mining.segment import Item, inline_items, section_kind, segment, split_title
from generator.mining.sources import read_lines


def items_of(*lines: str) -> list[Item]:
    """Segment a document given line by line."""
    return segment(clean("\n".join(lines)).lines, cues())


def seed_items(prefix: str) -> list[Item]:
    doc = clean("\n".join(ln.text for ln in read_lines(seed(prefix))), f"{prefix}.txt")
    return segment(doc.lines, cues())


def summary(items: list[Item]) -> list[tuple[str | None, str, str]]:
    return [(it.context, it.title, it.text) for it in items]


def test_split_title() -> None:
    assert split_title("主动学习有所欠缺。虽然能够按时参加集中学习。") == (
        "主动学习有所欠缺", "虽然能够按时参加集中学习。")
    assert split_title("在理论武装方面") == ("在理论武装方面", "")
    long = ("党员普遍存在年龄偏大，文化偏低的现象，入党积极分子逐年减少，"
            "逐步萎缩，使得整个农村党员队伍成了无源之流。")
    assert split_title(long) == ("", long)


def test_section_kind_of_headings() -> None:
    c = cues()
    assert section_kind("产生问题的原因分析", c) == "cause"
    assert section_kind("问题产生的根源", c) == "cause"
    assert section_kind("整改措施及努力方向", c) == "measure"
    assert section_kind("下一步整改措施", c) == "measure"
    assert section_kind("存在的主要问题", c) == "problem"
    assert section_kind("对照党史目标要求，自身还有哪些差距和不足", c) == "problem"
    assert section_kind("当前基层党建工作存在的问题及对策建议", c) is None  # a page title naming both
    assert section_kind("基层党建工作的重要意义", c) == "other"
    assert section_kind("对基层党建工作重要性认识不足", c) is None  # an item, not a section


def test_chinese_numeral_headings_with_parenthesised_items() -> None:
    items = items_of(
        "一、存在问题",
        "（一）学习不够深入。满足于读过看过，思考少。",
        "(二)作风不够扎实。调研少。",
        "二、原因分析",
        "（一）理论学习有所放松。思想上重视不够。",
        "三、整改措施",
        "（一）加强理论学习。每周自学半天。",
    )
    assert summary(items) == [
        ("problem", "学习不够深入", "满足于读过看过，思考少。"),
        ("problem", "作风不够扎实", "调研少。"),
        ("cause", "理论学习有所放松", "思想上重视不够。"),
        ("measure", "加强理论学习", "每周自学半天。"),
    ]


def test_arabic_numbered_items() -> None:
    items = items_of(
        "一、存在问题",
        "1、学习不够深入。满足于读过看过。",
        "2.作风不够扎实。调研少。",
        "（3）纪律意识淡薄。小节不注意。",
    )
    assert [(it.title, it.form) for it in items] == [
        ("学习不够深入", "L3"), ("作风不够扎实", "L3"), ("纪律意识淡薄", "L3")]
    assert all(it.context == "problem" for it in items)


def test_inline_enumeration() -> None:
    listed = inline_items("存在些许不足。一是工作担当尽职不够。求稳怕乱。二是艰苦奋斗意识有待加强。"
                          "三是帮带作用发挥不好。")
    assert listed is not None
    lead, parts = listed
    assert lead == "存在些许不足。"
    assert [p[0] for p in parts] == ["一", "二", "三"]
    assert inline_items("统一是前提，第二是基础。") is None  # "统一是" is not an ordinal
    items = items_of(
        "四、还有哪些差距",
        "对照检查，存在些许不足。一是工作担当尽职不够。求稳怕乱。二是艰苦奋斗意识有待加强。有时追求高质量生活。",
    )
    assert summary(items) == [("problem", "工作担当尽职不够", "求稳怕乱。"),
                              ("problem", "艰苦奋斗意识有待加强", "有时追求高质量生活。")]


def test_line_initial_ordinals() -> None:
    items = items_of(
        "三、整改措施",
        "一是加强思想引领。筑牢思想基础。",
        "二是改进工作方法。维护群众利益。",
    )
    assert [(it.context, it.title) for it in items] == [
        ("measure", "加强思想引领"), ("measure", "改进工作方法")]


def test_first_second_ordinals() -> None:
    items = items_of(
        "三、努力方向",
        "第一，认真排查问题。要采取群众提、自己找的方式。",
        "第二，深入查找瓶颈。要抓住基层。",
    )
    assert [(it.context, it.title) for it in items] == [
        ("measure", "认真排查问题"), ("measure", "深入查找瓶颈")]


def test_labelled_problem_measure_pairs() -> None:
    items = items_of(
        "开展实践活动，就要解决好问题清单。存在问题一：思想滑坡，宗旨不牢。有的干部只管领导满意。"
        "整改措施：牢固树立宗旨意识。",
        "要把群众满意作为出发点。",
        "存在问题二：心浮气躁。",
        "有的干部口号喊得响。",
        "整改措施：沉下心来深入一线。",
        "要扑下身子。",
    )
    pairs = [(it.form, it.label, it.answers, it.title, it.text) for it in items if it.form != "段落"]
    assert pairs == [
        ("存在问题", "一", "", "思想滑坡，宗旨不牢", "有的干部只管领导满意。"),
        ("整改措施", "", "一", "牢固树立宗旨意识", "要把群众满意作为出发点。"),
        ("存在问题", "二", "", "心浮气躁", "有的干部口号喊得响。"),
        ("整改措施", "", "二", "沉下心来深入一线", "要扑下身子。"),
    ]


def test_heading_alone_takes_the_next_paragraph_as_its_text() -> None:
    items = items_of(
        "本人认真剖析问题产生的根源，主要有以下几个方面：",
        "（一）理想信念还不够牢固。",
        "对理论的认识不深。",
        "（二）宗旨意识没有时时提升。",
        "渐渐觉得自己对基层很熟悉。",
    )
    assert summary(items) == [("cause", "理想信念还不够牢固", "对理论的认识不深。"),
                              ("cause", "宗旨意识没有时时提升", "渐渐觉得自己对基层很熟悉。")]


def test_bare_headings_do_not_swallow_the_closing_paragraph() -> None:
    items = items_of(
        "与此同时，也存在着一些不足，主要表现在：",
        "1.政治理论学习深度和广度还不够。",
        "2.学习工作的主动性不强。不能积极探索。",
        "3.开拓创新精神不够。",
        "总在今后的工作中，我要更加努力，勤奋学习。",
    )
    assert [(it.title, it.text) for it in items[:3]] == [
        ("", "政治理论学习深度和广度还不够。"),
        ("学习工作的主动性不强", "不能积极探索。"),
        ("", "开拓创新精神不够。"),
    ]


def test_area_headings_give_the_dimension_context() -> None:
    items = items_of(
        "一、存在的主要问题",
        "（一）在理论武装方面",
        "一是学习的系统性不强。自学少。二是学用结合不紧。凭经验办事。",
        "（二）在廉洁自律方面",
        "一是节约意识有所淡化。有浪费现象。",
    )
    assert [(it.area, it.area_weight, it.title) for it in items] == [
        ("在理论武装方面", 2.0, "学习的系统性不强"),
        ("在理论武装方面", 2.0, "学用结合不紧"),
        ("在廉洁自律方面", 2.0, "节约意识有所淡化"),
    ]


def test_lead_in_sets_the_kind_of_numbered_items() -> None:
    items = items_of(
        "我觉得主要存在有以下几个方面的问题。",
        "一、党务工作者认识不够。重视程度不够。",
        "针对上述问题，应该着重从以下几个方面抓起。",
        "一、优化党务干部结构。要多培养干部。",
    )
    assert [(it.context, it.title) for it in items] == [
        ("problem", "党务工作者认识不够"), ("measure", "优化党务干部结构")]


def test_intro_paragraph_of_a_section_is_not_an_item() -> None:
    items = items_of(
        "二、基层党建工作存在的问题",
        "基层党建是整个党建工作的重中之重，但还存在一些不足",
        "（一）重要性认识不足",
        "一部分同志认为党建工作是软任务。",
    )
    assert summary(items) == [("problem", "重要性认识不足", "一部分同志认为党建工作是软任务。")]


def test_articles_of_a_multi_article_page() -> None:
    assert sorted({it.article for it in seed_items("000")}) == [1, 2, 3, 4, 5, 6, 7]
    assert len({it.article for it in seed_items("003")}) >= 5  # 第一篇…第五篇, and essays inside them


def test_001_articles_are_the_title_repeated_with_a_number() -> None:
    items = seed_items("001")
    first = [it for it in items if it.article == 1]
    assert [it.title for it in first] == ["群众观念淡薄", "工作方法落后", "不会协调群众利益",
                                          "理想信念不坚定", "作风飘浮脱离群众", "工作目标错位漠视群众需求"]
    assert [it.context for it in first] == ["problem"] * 3 + ["cause"] * 3
    assert {it.article for it in items} == {1, 2, 3}


def test_002_headings_run_into_the_text_are_found() -> None:
    items = seed_items("002")
    problems = [it.title for it in items if it.context == "problem"]
    assert problems == ["对基层党建工作重要性认识不足", "管理关系脱节", "监督职能不足，缺少应有的抓手",
                        "活动内容、方式陈旧，组织生活松懈"]
    measures = [it.title for it in items if it.context == "measure" and it.title]
    assert measures[:4] == ["基层党组织要不断创新工作方法", "充分发挥党组织的教育引导作用",
                            "培养吸收优秀青年干部入党", "抓政治和业务学习，提高党员的综合素质"]
    assert all(it.context == "other" for it in items if "需求" in it.title or "要求" in it.title)


def test_part_headings_and_headings_with_colons() -> None:
    items = items_of(
        "XX同志民主生活会对照检查材料",
        "根据会议安排，结合思想和工作实际，现对照检查如下：",
        "第一部分 存在的主要问题",
        "（一）在干事创业、担当作为方面：",
        "１．创新意识不够强。习惯于按老办法开展工作。",
        "第二部分 问题产生的原因",
        "一是党性修养有所放松，自我要求有所降低。二是宗旨意识有所淡化，与群众的感情不如以前深厚。",
        "第三部分 整改措施",
        "（一）强化担当意识。主动认领难度大的工作任务。",
    )
    assert [(it.context, it.title or it.text) for it in items] == [
        ("problem", "创新意识不够强"),
        ("cause", "党性修养有所放松，自我要求有所降低"),
        ("cause", "宗旨意识有所淡化，与群众的感情不如以前深厚"),
        ("measure", "强化担当意识"),
    ]
    assert items[0].area == "在干事创业、担当作为方面"


def test_numbered_labels_with_causes() -> None:
    items = items_of(
        "问题1：组织生活不够规范。",
        "整改措施：严格落实“三会一课”制度。",
        "问题2：党员教育管理不严格。",
        "原因：支部书记抓党建责任落实不够。",
        "整改措施：建立党员积分管理台账。",
    )
    assert [(it.form, it.label, it.answers, it.context) for it in items] == [
        ("存在问题", "1", "", "problem"), ("整改措施", "", "1", "measure"),
        ("存在问题", "2", "", "problem"), ("原因", "", "2", "cause"), ("整改措施", "", "2", "measure"),
    ]


def test_a_label_alone_is_a_section_heading() -> None:
    items = items_of("整改措施：", "1．加强理论学习。每周自学半天。")
    assert [(it.context, it.title) for it in items] == [("measure", "加强理论学习")]
