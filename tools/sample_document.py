"""Build a realistic sample draft and write it as .docx, for looking at with tools/preview.sh.

    python tools/sample_document.py /tmp/sample.docx && tools/preview.sh /tmp/sample.docx

The document exercises every block the writer knows: a title long enough to
break into two lines, the author line, headings 1–3, body paragraphs with lead
spans and a placeholder, a six-column ledger table that runs over a page break,
and the signature.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.doctree import (
    Block,
    Column,
    Document,
    Heading,
    Paragraph,
    Signature,
    Span,
    Subtitle,
    Table,
    Title,
)
from generator.ooxml import write_docx

_TITLE_WORDS = ("中共", "某某市", "某某局", "机关", "第一党支部", "2025年度", "组织生活会",
                "党员", "个人", "对照检查", "材料")

_INTRO = (
    "根据市直机关工委关于召开2025年度基层党组织组织生活会的通知要求，本人认真学习了习近平新时代中国特色"
    "社会主义思想和党的二十届历次全会精神，通过谈心谈话、征求意见等方式广泛听取意见建议，对照检视内容，"
    "结合思想和工作实际，深入查找了自身存在的问题和不足，剖析了产生问题的根源，明确了今后的努力方向。"
    "现将有关情况报告如下，请同志们批评指正。"
)

_PROBLEMS = (
    ("1.理论学习不够深入。",
     "对党的创新理论满足于读原文、记笔记，学用结合不够紧密，"
     "用理论指导实践的能力还有差距。在学习时间安排上，"
     "存在“工作忙时少学、工作闲时多学”的现象，全年参加集中学习12次，"
     "个人自学笔记不足1万字，学习的系统性和连续性不强，"
     "对一些新提法、新要求理解得还不够透彻。"),
    ("2.担当作为不够有力。",
     "面对急难险重任务，有时存在畏难情绪，习惯于按部就班、照章办事，"
     "主动谋划、攻坚克难的劲头还不够足。在推进重点项目过程中，"
     "对协调中遇到的问题研究不深，推动落实的办法不多，"
     "个别事项办结时间超出预期，完成率仅为47.2%。"),
    ("3.联系群众不够紧密。", "深入基层调查研究的次数偏少，全年到基层单位调研"),
)
_PROBLEM_3_REST = "，对群众反映强烈的问题跟踪问效不够，存在“重部署、轻落实”的情况。"

_CAUSES = (
    ("一是理想信念有所松懈。",
     "认为自己参加工作多年，经受过各种考验，思想上不会出什么问题，"
     "放松了对主观世界的改造，理想信念这个“总开关”拧得不够紧，"
     "在思想深处对加强党性修养的极端重要性认识不足。"),
    ("二是宗旨意识有所淡化。",
     "对全心全意为人民服务的根本宗旨理解不深，把为群众办实事停留在口头上、文件里，"
     "没有真正把群众的急难愁盼作为工作的出发点和落脚点，"
     "导致在服务群众方面用心用力不够。"),
    ("三是纪律规矩意识有所弱化。",
     "对党的纪律规矩的严肃性认识不足，认为只要不触碰底线、不踩红线就行，"
     "对一些看似小事小节的问题警惕性不高，自我要求有所放松，慎独慎微做得还不够。"),
)

_MEASURES = (
    ("（一）持续加强理论武装。",
     "坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，"
     "制定个人学习计划，每周安排不少于4小时自学时间，每季度撰写1篇学习体会，"
     "切实做到学思用贯通、知信行统一。"),
    ("（二）切实提升担当本领。",
     "对照岗位职责，主动认领急难险重任务，建立重点工作台账，"
     "实行清单化管理、项目化推进，确保各项任务按时保质完成，"
     "以实际行动践行“为民服务解难题”的承诺。"),
    ("（三）不断密切联系群众。",
     "每季度至少到基层单位调研2次，每次与不少于5名群众面对面交流，"
     "认真梳理群众反映的问题，能解决的立即解决，一时解决不了的做好解释说明并跟踪落实。"),
)

_LEDGER = (
    ("理论学习不够深入",
     "制定个人学习计划，每周自学不少于4小时，每季度撰写1篇学习体会", "张"
     "三", "2026年3月底"),
    ("学用结合不够紧密", "围绕分管工作开展专题调研，形成1篇有分量的调研报告", "张三", "2026年6月底"),
    ("担当作为不够有力", "建立重点工作台账，实行清单化管理、项目化推进", "张三", "2026年2月底"),
    ("推动落实办法不多", "对超期事项逐项分析原因，明确责任人和完成时限，每月通报进展", "张三", "长期坚持"),
    ("联系群众不够紧密", "每季度到基层调研不少于2次，建立群众反映问题清单", "张三", "长期坚持"),
    ("服务意识有所淡化", "参加“我为群众办实事”实践活动，全年办结实事不少于5件", "张三", "2026年12月底"),
    ("纪律规矩意识弱化", "系统学习《中国共产党纪律处分条例》，撰写心得体会1篇", "张三", "2026年1月底"),
    ("廉洁自律要求放松", "严格执行中央八项规定及其实施细则精神，主动接受组织和群众监督", "张三", "长期坚持"),
    ("批评与自我批评不够", "在组织生活中开展批评与自我批评，敢于指出问题、勇于接受批评", "张三", "长期坚持"),
    ("工作作风不够扎实", "坚持问题导向，每月对照台账自查一次，及时纠正苗头性问题", "张三", "长期坚持"),
    ("调查研究不够深入", "聚焦群众急难愁盼，每半年形成一份问题清单并推动解决", "张三", "2026年6月底"),
    ("创新意识不够强", "学习先进地区经验做法，提出改进工作的意见建议不少于3条", "张三", "2026年9月底"),
)


def _title() -> Title:
    breaks, offset = [], 0
    for word in _TITLE_WORDS[:-1]:
        offset += len(word)
        breaks.append(offset)
    return Title("".join(_TITLE_WORDS), tuple(breaks))


def _lead_paragraphs(items: tuple[tuple[str, str], ...], role: str) -> list[Paragraph]:
    return [Paragraph((Span(lead, "lead"), Span(body)), role) for lead, body in items]


def _ledger() -> Table:
    columns = (Column("序号", 1), Column("存在问题", 4), Column("整改措施", 7), Column("责任人", 2),
               Column("完成时限", 3), Column("备注", 2))
    rows = tuple(
        (((Span(str(i)),), (Span(problem),), (Span(measure),), (Span(who),), (Span(when),), ()))
        for i, (problem, measure, who, when) in enumerate(_LEDGER, 1)
    )
    return Table(columns, rows, caption="问题整改台账")


def sample_document() -> Document:
    """The sample draft (pure: always the same tree)."""
    problems = _lead_paragraphs(_PROBLEMS, "problem")
    problems[-1] = Paragraph((Span(_PROBLEMS[2][0], "lead"), Span(_PROBLEMS[2][1]),
                              Span("【待补充：调研次数及具体单位】", "placeholder"),
                              Span(_PROBLEM_3_REST)), "problem")
    blocks: list[Block] = [
        Subtitle("第一党支部　张三"),
        Paragraph((Span(_INTRO),), "intro"),
        Heading(1, "一、存在的主要问题"),
        Heading(2, "（一）在深刻领悟“两个确立”决定性意义方面"),
        *problems,
        Heading(2, "（二）在践行宗旨、服务群众方面"),
        Heading(3, "1.为民服务的主动性不强"),
        Paragraph((Span("对群众的合理诉求有时回应不够及时，习惯于通过电话、文件了解情况，"
                        "面对面倾听群众意见的时候少，解决问题的针对性和实效性有待提高。"),), "problem"),
        Heading(1, "二、产生问题的原因"),
        *_lead_paragraphs(_CAUSES, "cause"),
        Heading(1, "三、下一步整改措施"),
        *_lead_paragraphs(_MEASURES, "measure"),
        _ledger(),
        Paragraph((Span("以上是我的个人对照检查，不妥之处，恳请各位同志批评指正。"),), "closing"),
        Signature("张三", "2026年1月20日"),
    ]
    return Document(_title(), tuple(blocks), meta={"seed": "20260120", "date": "2026-01-20",
                                                   "template": "组织生活会/个人对照检查"})


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "sample.docx")
    write_docx(sample_document(), target, force=True)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
