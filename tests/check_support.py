"""Materials that pass every reviewer's rule, built as document trees, for the rule tests to break one at a time.

Each topic is one problem with its fact, cause and measure, written for these tests.  A material of four
topics has an account of last year's rectification, concrete problems, causes and measures that answer
them, and more than 2,500 Chinese characters, most of them in the problems and causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.check import Finding, check_files
from generator.doctree import Block, Document, Heading, Paragraph, Signature, Span, Subtitle, Title
from generator.ooxml import render_docx

CN = "一二三四五六七八九十"


@dataclass(frozen=True)
class Topic:
    area: str
    title: str
    problem: str
    cause_title: str
    cause: str
    measure_title: str
    measure: str


TOPICS = (
    Topic("学习贯彻党的创新理论", "读原著原文不够系统",
          "今年参加支部集中学习12次，自学笔记只写了3篇，读原著多是挑章节看，读到第二卷后半部分就停了下来；"
          "6月支部开展的读书交流，我准备的发言稿大段摘抄辅导材料，自己的体会只有两百来字，"
          "同志们提出的两个理论问题当场没能答上来，会后也没有再去查找原文弄清楚。",
          "学习计划停留在纸面",
          "年初订的自学计划没有分解到每个月，忙的时候一推再推，读原著原文的时间被挤占后没有补上。",
          "按月落实读原著计划",
          "把原著原文的篇目分到每个月，每月读完两篇并写出一篇笔记，每季度在支部交流一次读书体会。"),
    Topic("学习贯彻党的创新理论", "学用结合不够紧密",
          "3月起草科室年度工作要点时，我把学习中记下的几条要求原样搬进文稿，没有结合科室12项重点任务逐条细化，"
          "处领导退回修改了两次；下半年参加的4次专题辅导，我都没有写出联系本职工作的具体打算，学归学、干归干。",
          "缺少带着问题学的自觉",
          "学习时只求记住要点，没有先把手头工作中的难题列出来，所以学了以后找不到落脚的地方。",
          "带着工作难题去学习",
          "每次专题学习前先列出科室两到三个工作难题，学完后写出一条改进办法，月底对照检查落实情况。"),
    Topic("党性修养", "批评和自我批评辣味不足",
          "去年12月的组织生活会上，我给3名同志提的意见都是“注意劳逸结合”一类的建议，没有一条点到具体问题；"
          "自我批评时谈客观原因多，把年中报表延误的责任说成系统调整造成的，会后2名党员私下给我指出这一点。",
          "怕伤和气的心理作怪",
          "总想着同事之间天天见面，话说重了不好相处，把一团和气当成团结，批评的勇气一年比一年弱。",
          "提意见做到见人见事",
          "今年的组织生活会上，给每名同志提的意见至少有一条写明时间和事情，自我批评先讲主观原因。"),
    Topic("党性修养", "党员义务履行不够主动",
          "今年支部组织的8次志愿服务我只参加了3次，其中2次是支部书记点名后才报名；"
          "9月社区结对帮扶分配的两户困难群众，我只在中秋节前去过一次，后来的电话回访也交给了同科室的小刘代办。",
          "党员意识有所淡化",
          "觉得自己入党多年、工作也还过得去，对党员义务的要求放松了，把参加活动当成额外负担。",
          "按月认领志愿服务",
          "每月至少参加一次志愿服务，结对帮扶的两户困难群众每季度上门走访一次，回访由本人亲自打电话。"),
    Topic("联系服务群众", "调研走访浮在面上",
          "全年到联系点调研2次，每次都是听汇报、看材料，面对面和群众交流不到半小时；"
          "4月收集到的5条意见建议，到年底只办结了2条，其余3条没有回复提意见的群众，有一位老党员当面问过我两次。",
          "宗旨意识树得不牢",
          "把调研当成完成任务，心里想的是材料交得上去，对群众关心的事情放在第二位，办不办结没有盯住。",
          "建立意见建议办理台账",
          "每季度到联系点住一天，收集的意见建议逐条登记、明确办理时限，办结后当面或电话告诉群众结果。"),
    Topic("联系服务群众", "转办事项跟踪不到底",
          "今年经我转办的群众来电共17件，有6件转出后没有再过问，其中办公区停车难的问题拖了两个多月才解决；"
          "11月有群众反映的路灯损坏问题，我转给物业后就当作办完，结果群众第二次打来电话才发现还没有修好。",
          "责任链条意识不强",
          "认为转出去就是别人的事，没有把群众反映的问题当成自己的事情来办，缺少一抓到底的韧劲。",
          "转办事项跟踪到办结",
          "每件转办事项记录在本，三个工作日内回访承办人，办结后电话回访群众，每月底清理一次未办结事项。"),
    Topic("发挥先锋模范作用", "急难任务主动请缨不多",
          "今年单位迎接年度考核期间，科室有4项材料汇总任务，我只承担了分给自己的1项，其余都等领导分配；"
          "7月防汛值班排班时，我以孩子放暑假为由调换了2次，把本该自己承担的夜班推给了年轻同志。",
          "安逸思想有所抬头",
          "工作年限长了，觉得急难任务应该让年轻人多锻炼，自己守住本职就行，冲锋在前的劲头弱了。",
          "急难任务带头承担",
          "科室遇到急难任务时第一个报名，今年至少牵头完成两项材料汇总任务，值班排班不以私事调换。"),
    Topic("发挥先锋模范作用", "钻研业务劲头不足",
          "今年单位推行新的财务报销系统，我直到10月才把操作手册看完，期间3次因为填报错误被退回；"
          "科室组织的2次业务培训，我有1次提前离场，培训考试成绩在科室8名同志中排在第6位。",
          "本领恐慌意识不强",
          "认为凭多年经验能应付过去，对新系统新规定不愿花时间钻研，没有看到业务更新带来的差距。",
          "每季度学一项新业务",
          "每季度确定一项新业务逐条学透，新系统上线一个月内掌握全部操作，培训全程参加并争取排进前三。"),
)

# Four more topics, one for each area, so that a material can be long enough without repeating a problem.
MORE_TOPICS = (
    Topic("学习贯彻党的创新理论", "网上学习平台应付了事",
          "今年学习平台的积分有一半是在月底集中刷出来的，11月为了补分一晚上连看了6段视频，内容基本没有记住；"
          "支部要求每月写的学习心得，我有4个月是照着平台上的文章改了几句交上去的。",
          "把学习当作考核指标",
          "心里想的是积分够不够、心得交没交，没有把学习看成自己的需要，只求过关，不求真懂。",
          "平时学、按周学",
          "每周固定两个晚上在平台上学习，每次学完记下一条要点，月底心得只写自己的体会，不再照抄文章。"),
    Topic("党性修养", "对不良风气抵制不够坚决",
          "5月科室聚餐时有同事提议用公务接待的名义报销，我当时没有出声反对，事后也没有向支部报告；"
          "工作群里转发的小道消息，我有两次跟着点了赞，被支部书记提醒后才删掉。",
          "政治敏锐性不强",
          "觉得都是身边的小事，说多了伤感情，对违反纪律的苗头看得太轻，放松了警惕。",
          "遇到不良风气当场说不",
          "发现违反八项规定精神的苗头当场指出并向支部报告，工作群里不转发、不点赞未经核实的消息。"),
    Topic("联系服务群众", "答复基层来电不够耐心",
          "今年科室接到基层单位咨询报表口径的电话40多次，我接的有十几次是三言两语就挂断，"
          "让对方自己去看通知；10月有一个乡镇的同志因为没弄懂填报要求，同一张表被退回了三次。",
          "换位思考不够",
          "习惯按自己的理解解释政策，没有站在基层同志的角度想一想，把对方的不明白当成了对方的不认真。",
          "把填报要求讲清讲透",
          "接到基层咨询当场讲清填报要求，讲不清的在两个工作日内书面答复，每季度整理一次常见问题发给基层。"),
    Topic("发挥先锋模范作用", "节约意识带头不够",
          "今年办公室的空调和电脑我常常下班时忘了关，被机关后勤通报过2次；"
          "单面打印的草稿纸我很少再利用，科室一年的打印纸用量比上一年多了三成，其中不少是我打的。",
          "勤俭节约意识有所淡化",
          "认为这些都是公家的小开支，算不上什么问题，没有把厉行节约当作党员应有的自觉。",
          "从关灯关机做起",
          "下班前逐一关掉空调、电脑和灯，草稿一律双面打印，科室打印纸用量比今年减少两成。"),
)


OPENINGS = ("按照支部关于召开2025年度专题组织生活会的通知，本人会前逐篇学习了规定的材料，"
            "与支部党员逐一谈心，征求到意见建议若干条，现将对照检查情况报告如下。",
            "会前本人把支部印发的学习篇目通读了一遍，又找联系的几位党员和服务对象听了意见，"
            "对照党章和岗位职责把自己摆进去，下面报告检查的情况。")
LAST_YEARS = ("上年度查摆的4个问题中，学习笔记不全、走访不够两项已整改到位，"
              "批评不够严肃、业务钻研不深两项还在持续整改，今年继续对照落实。",
              "去年会上认领的三项整改任务，建立读书台账一项已经完成，另两项只完成了一半，"
              "主要是联系群众的次数没有达到承诺，这次一并检查。")
CLOSINGS = ("以上是本人的对照检查，请同志们批评指正。", "检查得还不够深，恳请大家多提意见，帮助我改进。")


def personal(topics: tuple[Topic, ...] = TOPICS[:4], *, name: str = "张三", role: str = "党员",
             post: str = "科员", last_year: bool = True, extra: tuple[Block, ...] = (),
             meta: dict[str, str] | None = None, variant: int = 0) -> Document:
    """A personal material that passes the reviewer's rules (``topics`` in pairs of one area each).

    ``variant`` picks another opening, last-year account and closing, so that two members' drafts differ.
    """
    blocks: list[Block] = [Subtitle(f"机关第一党支部　{name}"), Paragraph((Span(OPENINGS[variant]),))]
    n = 1
    if last_year:
        blocks += [Heading(1, f"{CN[n - 1]}、上年度整改落实情况"), Paragraph((Span(LAST_YEARS[variant]),))]
        n += 1
    areas = list(dict.fromkeys(t.area for t in topics))
    blocks.append(Heading(1, f"{CN[n - 1]}、存在的问题"))
    for a, area in enumerate(areas):
        blocks.append(Heading(2, f"（{CN[a]}）{area}方面"))
        for k, topic in enumerate(t for t in topics if t.area == area):
            blocks.append(Paragraph((Span(f"{k + 1}.{topic.title}。", "lead"), Span(topic.problem))))
    blocks.append(Heading(1, f"{CN[n]}、问题产生的原因"))
    for c, topic in enumerate(topics):
        number = CN[c] if c < 10 else "十" + CN[c - 10]
        blocks.append(Heading(2, f"（{number}）{topic.cause_title}"))
        blocks.append(Paragraph((Span(topic.cause),)))
    blocks.append(Heading(1, f"{CN[n + 1]}、整改措施"))
    for a, area in enumerate(areas):
        blocks.append(Heading(2, f"（{CN[a]}）在{area}上改进"))
        for k, topic in enumerate(t for t in topics if t.area == area):
            blocks.append(Paragraph((Span(f"{k + 1}.{topic.measure_title}。", "lead"),
                                     Span(f"针对{topic.title}的问题，{topic.measure}"))))
    blocks += [*extra, Paragraph((Span(CLOSINGS[variant]),)),
               Signature(name, "2026年1月20日")]
    props = {"doctype": "personal", "name": name, "role": role, "post": post, "unit": "机关第一党支部",
             "meeting": "2025年度专题组织生活会", "generator": "draftgen test"}
    props.update(meta or {})
    return Document(Title("2025年度专题组织生活会个人对照检查材料"), tuple(blocks), props)


def write(doc: Document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_docx(doc))
    return path


def found(*paths: Path) -> dict[str, list[Finding]]:
    """Rule → findings over the files checked together."""
    out: dict[str, list[Finding]] = {}
    for f in check_files(list(paths), jobs=1).files:
        assert not f.error, f.error
        for x in f.findings:
            out.setdefault(x.rule, []).append(x)
    return out
