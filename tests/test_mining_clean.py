"""Cleaning: every kind of noise listed in docs/seeds.md, on the seed passages themselves."""

from __future__ import annotations

from mining_support import clean, corrections, seed

from generator.mining.clean import (
    Line,
    apply_pairs,
    full_width,
    is_furniture,
    is_paged,
    sentence_problem,
    split_run_in_headings,
    unrepaired,
)
from generator.mining.sources import read_lines
from generator.text import ascii_punct_in_zh


def _text(prefix: str) -> str:
    doc = clean("\n".join(ln.text for ln in read_lines(seed(prefix))), f"{prefix}.txt")
    return "\n".join(ln.text for ln in doc.lines)


# --------------------------------------------------------------------------- site furniture


def test_furniture_lines_are_recognised() -> None:
    for line in ("时间:2022-03-19 15:33:36 公文范文 浏览次数:", "上大学网>中国梦>正文", "VIP专免",
                 "免费2023-06-14 678", "作者:朝花夕拾", "属性:5 页", "大小:11.28KB", "格式:DOCX",
                 "教育引领联系服务群众方面存在问题【汇总】", "展开>>", "收起<<", "2022-08-28", "-"):
        assert is_furniture(line), line
    assert not is_furniture("一、存在的主要问题")
    assert not is_furniture("1943年6月，毛泽东同志在为中共中央起草的决定中第一次较为系统地阐述了群众路线。")


def test_seed_furniture_is_gone() -> None:
    whole = "\n".join(_text(p) for p in ("000", "001", "003", "004"))
    for junk in ("浏览次数", "上大学网", "推荐访问", "上一篇", "下一篇", "本站热搜", "VIP专免", "相关推荐",
                 "678", "朝花夕拾", "DOCX", "【汇总】", "最新在教育引领", "展开>>"):
        assert junk not in whole, junk
    assert "作者单位" not in _text("002") and "海西州纪律检查委员会" not in _text("002")


def test_page_footer_ends_the_text() -> None:
    doc = clean("正文第一句。\n相关推荐\n一、这不是正文\n作者:某某")
    assert [ln.text for ln in doc.lines] == ["正文第一句。"]
    assert {d.reason for d in doc.dropped} == {"网页页脚"}


def test_trailing_list_of_related_titles_is_dropped() -> None:
    doc = clean("一、存在问题。\n（一）学习不够。学习时间少，系统性不强。\n"
                "相关标题一\n相关标题二之类\n第三个相关标题")
    assert doc.lines[-1].text.startswith("（一）")


# --------------------------------------------------------------------------- punctuation and quotes


def test_half_width_punctuation_becomes_full_width_numbers_stay() -> None:
    doc = clean("55岁以上的党员109名,占总数的47.2%;46—54岁的党员41名(占17.8%)。"
                "1943年6月,会议15:30开始,共1,000人")
    text = doc.lines[0].text
    assert "47.2%" in text and "15:30" in text and "1,000" in text and "1943年6月" in text
    assert "，占总数的47.2%；46" in text and "（占17.8%）" in text
    assert ascii_punct_in_zh(text) == []


def test_full_width_leaves_latin_and_numbers() -> None:
    assert full_width("占47.2%;46岁") == "占47.2%；46岁"
    assert full_width("version 1.0;beta") == "version 1.0;beta"
    assert full_width("时间15:30") == "时间15:30"


def test_unbalanced_quotes_in_002_are_dropped() -> None:
    text = _text("002")
    assert "“" not in text and "”" not in text  # nine “ and no ”: none can be paired, all go
    assert "围绕经济抓党建" in text


def test_broken_ellipsis_in_003_is_repaired() -> None:
    text = _text("003")
    assert "„" not in text
    assert "迎难而上治“三害”……在他身上" in text


# --------------------------------------------------------------------------- substitutions (002)


def test_002_is_recognised_as_rewritten_and_repaired() -> None:
    doc = clean("\n".join(ln.text for ln in read_lines(seed("002"))), "002.txt")
    assert doc.rewritten and doc.paged
    text = "\n".join(ln.text for ln in doc.lines)
    for wrong, right in (("科学开展观", "科学发展观"), ("效劳", "服务"), ("广阔人民", "广大人民"),
                         ("根底", "基础"), ("稳固", "巩固"), ("一局部", "一部分"), ("改良", "改进"),
                         ("各工程标", "各项目标"), ("坚决理想信念", "坚定理想信念"), ("承当", "承担"),
                         ("浓厚气氛", "浓厚氛围"), ("表达党员先锋作用", "体现党员先锋作用")):
        assert wrong not in text, wrong
        assert right in text, right
    assert "深入开展创先争优活动" in text  # a right 开展 stays
    for line in doc.lines:
        for sentence in line.text.split("。"):
            assert not unrepaired(sentence, corrections()), sentence


def test_an_unrepaired_substitution_never_passes() -> None:
    doc = clean("科学开展观要落实。经济开展很快。根底要打牢。\n我们要推动事业开展得更好。")
    assert doc.rewritten
    assert sentence_problem("我们要推动事业开展得更好。", doc, corrections()) is not None
    assert sentence_problem("要深入开展调查研究。", doc, corrections()) is None
    plain = clean("我们要推动事业开展得更好。")  # not a rewritten document: 开展 is just a word
    assert not plain.rewritten
    assert sentence_problem("我们要推动事业开展得更好。", plain, corrections()) is None


def test_replacements_do_not_chain() -> None:
    assert apply_pairs("稳固根底", [("稳固", "巩固"), ("根底", "基础"), ("巩固", "X")]) == "巩固基础"


# --------------------------------------------------------------------------- censored, wraps, pages


def test_censored_sentences_are_refused() -> None:
    doc = clean("*条件下，社会阶层多元化。")
    assert sentence_problem("*条件下，社会阶层多元化。", doc, corrections()) == "含被网站屏蔽的字词（*）"
    assert sentence_problem("*同志曾谈到。", doc, corrections()) is not None


def test_hard_line_wraps_in_004_are_rejoined() -> None:
    doc = clean("\n".join(ln.text for ln in read_lines(seed("004"))), "004.txt")
    assert doc.wrapped
    text = "\n".join(ln.text for ln in doc.lines)
    assert "我们党的历代领导集体对党的自身建设问题都十分重视" in text
    assert "一、党务工作者对党建工作的认识不够。一般情况下，大部分党员领导干部" in text
    first = next(ln for ln in doc.lines if ln.text.startswith("四、"))
    assert first.no == 37 and first.text.endswith("感染力和说服力。")  # typo fixed by the table


def test_text_lost_at_a_page_gap_is_dropped() -> None:
    doc = clean("\n".join(ln.text for ln in read_lines(seed("004"))), "004.txt")
    sentence = next(s for ln in doc.lines for s in ln.text.split("。") if "意识淡线" in s)
    assert sentence_problem(sentence, doc, corrections()) == "原文此处缺页，句子前后不相连"


def test_page_number_fragments_in_002_are_removed() -> None:
    raw = read_lines(seed("002"))
    assert is_paged(raw)
    text = _text("002")
    assert "社会主义市场经济体制的完善" in text  # page 1 ends "社会主义", page 2 begins "2、市场经济"
    assert "先进性" in text and "十分重要的作用" in text
    for n in range(2, 10):
        assert f"{n}、" not in text.replace("一、", "").replace("二、", "").replace("三、", "")


def test_run_in_headings_in_002_become_headings() -> None:
    text = _text("002")
    for heading in ("（一）适应时代发展的需求", "（二）巩固执政地位的需求", "（三）满足群众期盼的要求",
                    "（一）对基层党建工作重要性认识不足", "（二）党建工作运行机制和工作方法缺乏创新",
                    "（一）基层党组织要不断创新工作方法", "（三）培养吸收优秀青年干部入党",
                    "（四）抓政治和业务学习，提高党员的综合素质"):
        assert f"\n{heading}\n" in f"\n{text}\n", heading


def test_run_in_split_takes_the_expected_number_at_its_last_place() -> None:
    lines = [Line(1, "二、存在的问题"), Line(1, "还存在一些不足一对重要性认识不足"), Line(1, "正文二是不算"),
             Line(2, "正文结束二工作方法缺乏创新")]
    out = [ln.text for ln in split_run_in_headings(lines)]
    assert out == ["二、存在的问题", "还存在一些不足", "（一）对重要性认识不足", "正文二是不算", "正文结束",
                   "（二）工作方法缺乏创新"]


def test_spaces_that_separate_a_heading_from_its_text_become_breaks() -> None:
    doc = clean("二、在解决问题时应注意的问题 第一，认真排查问题。党员要主动。\n我认真 学习了文件。")
    assert [ln.text for ln in doc.lines] == ["二、在解决问题时应注意的问题", "第一，认真排查问题。"
                                                               "党员要主动。",
                                             "我认真学习了文件。"]


def test_source_line_numbers_survive_cleaning() -> None:
    doc = clean("上大学网 > 中国梦 > 正文\n\n一、存在问题。\n\n（一）学习不够。学习少。")
    assert [(ln.no, ln.text[:4]) for ln in doc.lines] == [(3, "一、存在"), (5, "（一）学")]
