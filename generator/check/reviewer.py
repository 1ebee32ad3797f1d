"""The reviewer's single-file rules: voice, rank, titles, correspondence and the reviewing norms.

What a 组织部 first review sends back (see review-norms.md), read from one
document: who is speaking (register.yaml via :mod:`generator.register`), whether
the words fit the author's rank and post (roles.yaml, read as the composer reads it), whether titles
are cut or doubled, whether every problem has a measure and every cause or measure
answers a problem, and the norms (上年度整改落实情况, 先扬后抑, proportions,
见人见事, length).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator import chains, register
from generator.check.metrics import Item, block_sources, figures, items
from generator.check.model import Finding, excerpt, param
from generator.doctree import Document, Heading, Paragraph, Signature, Subtitle
from generator.ooxml.reader import ReadDocx, Source
from generator.outline import NUMBER_RE, last_year_heading, strip_number
from generator.render import PLACEHOLDER_RE
from generator.roles import standing
from generator.text import han_only

PERSONAL, COLLECTIVE, PROBLEM_LIST, RECTIFICATION = "personal", "collective", "problem-list", "rectification"
UNIT_KINDS = (COLLECTIVE, PROBLEM_LIST, RECTIFICATION)

Place = Callable[[Source], str]


# --------------------------------------------------------------------------- what the document is


def doc_kind(doc: Document) -> str:
    """personal, collective, problem-list or rectification: from the generator's property, else the title."""
    kind = doc.meta.get("doctype", "")
    if kind in (PERSONAL, *UNIT_KINDS):
        return kind
    title = doc.title.text
    if "问题清单" in title:
        return PROBLEM_LIST
    if "整改方案" in title or "整改台账" in title:
        return RECTIFICATION
    if re.search(r"班子|支部委员会|支委会|领导班子|党组|委员会对照", title):
        return COLLECTIVE
    return PERSONAL


@dataclass(frozen=True)
class Author:
    """Rank (leader, cadre, member) and setting words of the author, and where they were read."""

    rank: str
    setting: str  # "" when the words name none
    text: str  # the role and post as read
    source: str  # 文档属性 | 副标题和落款


def author(doc: Document) -> Author | None:
    """The author's standing, from the custom properties the generator writes, or the subtitle and signature.

    Role and post are read by the same rules the composer uses (templates/rules/roles.yaml), so check and
    the generator never disagree about who may say what.
    """
    role, post = doc.meta.get("role", ""), doc.meta.get("post", "")
    if role or post or doc.meta.get("generator"):
        text, source = "、".join(x for x in (role, post) if x) or "党员", "文档属性"
    else:
        lines = [b.text for b in doc.blocks if isinstance(b, Subtitle)]
        lines += [b.name for b in doc.blocks if isinstance(b, Signature)]
        text, source = "　".join(lines), "副标题和落款"
        if not text:
            return None
        role, post = "", text
    who = standing(role, post)
    return Author(who.rank, who.setting, text, source)


# --------------------------------------------------------------------------- items of the outline


def _body_sources(read: ReadDocx) -> Iterator[Source]:
    """Paragraphs and table cells with the author's text (no title, subtitle, headings or signature)."""
    blocks = read.document.blocks
    for src in read.sources:
        block = blocks[src.block] if src.block is not None and src.block < len(blocks) else None
        if src.table is not None or isinstance(block, Paragraph):
            yield src


def _finding(rule: str, message: str, src: Source | None, place: Place, text: str = "", at: int = 0) -> Finding:
    if src is None:
        return Finding(rule, message, "", None, excerpt(text, at) if text else "")
    return Finding(rule, message, place(src), src.number or None, excerpt(text or src.text, at))


# --------------------------------------------------------------------------- 2. voice, 3. rank


def check_voice(read: ReadDocx, place: Place, kind: str) -> list[Finding]:
    """Organisation voice in a self-review (personal or the committee's); personal voice in a unit's material."""
    out: list[Finding] = []
    organisation = kind in (PERSONAL, COLLECTIVE)
    personal = kind in UNIT_KINDS
    for src in _body_sources(read):
        text = PLACEHOLDER_RE.sub("", src.text)
        if organisation:
            marker = register.first(text, "organisation")
            if marker is not None:
                out.append(_finding("voice-organisation", f"“{text[marker.start:marker.end]}”：{marker.reason}",
                                    src, place, text, marker.start))
        if personal:
            marker = register.first(text, "personal")
            if marker is not None:
                out.append(_finding("voice-personal", f"“{text[marker.start:marker.end]}”：{marker.reason}",
                                    src, place, text, marker.start))
    return out


_RANK_ORDER = {"member": 0, "cadre": 1, "leader": 2}


def check_rank(read: ReadDocx, place: Place, kind: str) -> list[Finding]:
    """Leader- or cadre-only wording, and wording of another setting, in a member's own material."""
    if kind != PERSONAL:
        return []
    who = author(read.document)
    if who is None:
        return []
    own = _RANK_ORDER[who.rank]
    # Office wording does not fit members outside offices; service wording does not fit a back office.
    wrong_setting = "service" if who.setting == "office" else "" if who.setting in ("", "service") else "office"
    said = f"（作者：{who.text}，取自{who.source}）"
    out: list[Finding] = []
    for src in _body_sources(read):
        text = PLACEHOLDER_RE.sub("", src.text)
        for marker in register.markers(text, "rank"):
            if _RANK_ORDER.get(marker.rule, 0) > own:
                out.append(_finding("rank", f"“{text[marker.start:marker.end]}”：{marker.reason}{said}",
                                    src, place, text, marker.start))
                break
        if wrong_setting:
            for marker in register.markers(text, "setting"):
                if marker.rule == wrong_setting:
                    out.append(_finding("setting", f"“{text[marker.start:marker.end]}”：{marker.reason}{said}",
                                        src, place, text, marker.start))
                    break
    return out


# --------------------------------------------------------------------------- 4. titles

# A title that stops on one of these has lost its end: a function word that needs what follows, a
# comma, an open bracket or quote.  (A cut inside a word, "交流机", is left to the reader.)
_CUT_END_RE = re.compile(r"[的和与及或对把被之而并且于、，“（《—]$")
_OPEN_CLOSE = (("“", "”"), ("（", "）"), ("《", "》"))


def _cut(title: str) -> bool:
    core = title.rstrip("。！？ ")
    if not core or len(han_only(core)) < 2:
        return False
    if any(core.count(a) != core.count(b) for a, b in _OPEN_CLOSE):
        return True
    return bool(_CUT_END_RE.search(core))


def check_titles(read: ReadDocx, place: Place) -> list[Finding]:
    """Run-in and level-2+ titles cut mid-phrase; a title repeated at the start of its body; a doubled title."""
    doc = read.document
    out: list[Finding] = []
    sources = block_sources(read)
    title_han = han_only(doc.title.text)
    for index, block in enumerate(doc.blocks):
        src = sources.get(index)
        if isinstance(block, Heading | Subtitle | Paragraph) and title_han and index < 3 \
                and han_only(block.text) == title_han:
            out.append(_finding("title-repeated", "文档标题重复出现了一次", src, place, block.text))
            continue
        if isinstance(block, Heading) and block.level >= 2:
            name = strip_number(block.text)
            if _cut(name):
                out.append(_finding("title-cut", f"小标题“{name}”不完整", src, place, block.text))
            nxt = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
            head = han_only(re.sub(r"方面$", "", name))
            if isinstance(nxt, Paragraph) and len(head) >= 4 and han_only(strip_number(nxt.text)).startswith(head):
                out.append(_finding("title-repeated", f"小标题“{name}”在正文开头又重复了一遍",
                                    sources.get(index + 1), place, nxt.text))
        if isinstance(block, Paragraph):
            lead = "".join(s.text for s in block.spans if s.style == "lead")
            rest = block.text[len(lead):] if lead and block.text.startswith(lead) else ""
            if not lead:
                m = re.match(r"^\s*(?:\d{1,2}[.．、]|[（(]\d{1,2}[）)])([^。！？]{2,30})[。！？]", block.text)
                if m:
                    lead, rest = m.group(0), block.text[m.end():]
            if not lead:
                continue
            name = strip_number(lead)
            if _cut(name) and not rest.startswith(("。", "，")):
                out.append(_finding("title-cut", f"小标题“{name}”不完整", src, place, block.text))
            head = han_only(name)
            if len(head) >= 4 and han_only(rest).startswith(head):
                out.append(_finding("title-repeated", f"小标题“{name.rstrip('。')}”在正文开头又重复了一遍",
                                    src, place, block.text))
    return out


# --------------------------------------------------------------------------- 5. correspondence

# Bigrams so common in these materials that sharing them says nothing about answering a problem.
_COMMON = frozenset((
    "工作", "问题", "存在", "方面", "不够", "没有", "自己", "本人", "党员", "加强", "进一", "一步",
    "提高", "坚持", "认真", "主动", "及时", "落实", "学习", "同志", "时候", "有时", "一些", "习惯",
    "情况", "要求", "开展", "做到", "每月", "每年", "每季", "季度", "半年", "一次", "年度", "组织",
    "支部", "不足", "意识", "能力", "思想", "认识", "重视", "以上", "今后", "持续", "切实", "深入",
    "全面", "推动", "推进", "进行", "方式", "形式", "作用", "发挥", "措施", "整改", "原因", "群众",
    "服务", "党的", "我们", "他们", "以及", "对于", "通过", "结合", "不断", "还有", "还不", "不是",
    "但是", "只是", "就是", "已经", "这些", "那些",
))


# Time and place words every problem and measure uses ("今年", "科室"): they answer nothing either.
_COMMON_TOO = frozenset(("今年", "去年", "全年", "上年", "明年", "年初", "年底", "年中", "每周", "每天", "科室",
                         "单位", "部门", "同事", "领导", "本职", "岗位"))


def _bigrams(text: str) -> set[str]:
    han = han_only(PLACEHOLDER_RE.sub("", text))
    return {han[i:i + 2] for i in range(len(han) - 1)} - _COMMON - _COMMON_TOO


def content_grams(found: list[Item]) -> dict[int, set[str]]:
    """Each item's content bigrams, by ``id``: worked out once for the rules that compare items."""
    return {id(i): _bigrams(i.text) for i in found}


def check_correspondence(read: ReadDocx, place: Place, kind: str, found: list[Item] | None = None,
                         grams: dict[int, set[str]] | None = None) -> list[Finding]:
    """Each problem answered by some measure; each cause or measure answering some problem.

    A draft the generator wrote carries its chains (:mod:`generator.chains`); an item the record still
    matches is judged by it.  Hand-written text, and items the author has rewritten since, are judged by
    lexical closeness (shared bigrams beyond the words every such material uses), and a finding on an
    item the record no longer matches says so.
    """
    if kind not in (PERSONAL, COLLECTIVE):
        return []
    found = found if found is not None else items(read)
    problems = [i for i in found if i.kind == "problems"]
    causes = [i for i in found if i.kind == "causes"]
    measures = [i for i in found if i.kind == "measures"]
    if not problems or not measures:
        return []
    recorded = chains.parse(read.document.meta.get(chains.META_KEY, ""))
    by_record: dict[int, tuple[int, ...] | None] = {}
    if recorded is not None:
        text = [chains.searchable(f"{i.area}{i.text}") for i in found]
        at = {id(i): n for n, i in enumerate(found)}
        resolved = chains.resolve(recorded, [text[at[id(i)]] for i in problems],
                                  [text[at[id(i)]] for i in causes], [text[at[id(i)]] for i in measures])
        by_record.update(zip((id(i) for i in causes), resolved.causes, strict=True))
        by_record.update(zip((id(i) for i in measures), resolved.measures, strict=True))
    note = "（生成时记录的对应关系与现在的文字已对不上，按字面判断）" if recorded is not None else ""
    answered = {n for m in measures for n in by_record.get(id(m)) or ()}
    need = int(param("problem-unanswered", "min_overlap"))
    grams = grams if grams is not None else content_grams(found)
    out: list[Finding] = []
    for n, problem in enumerate(problems):
        if n in answered:
            continue
        if not any(len(grams[id(problem)] & grams[id(m)]) >= need for m in measures):
            out.append(_finding("problem-unanswered", f"这条问题在“整改措施”中找不到对应的措施{note}",
                                problem.source, place, problem.text))
    need = int(param("answer-unmatched", "min_overlap"))
    for answer in causes + measures:
        if by_record.get(id(answer)):
            continue
        if not any(len(grams[id(answer)] & grams[id(p)]) >= need for p in problems):
            what = "原因" if answer.kind == "causes" else "措施"
            out.append(_finding("answer-unmatched", f"这条{what}与所列的问题都对不上{note}", answer.source, place,
                                answer.text))
    return out


_CLAUSE_END_RE = re.compile(r"[。；，！？：]")


def item_title(item: Item) -> str:
    """The title of a problem or cause: its run-in title, or the level-2 heading it is the only text of."""
    text = strip_number(item.text)
    if item.area and not NUMBER_RE.match(item.text) and item.kind == "causes":
        return strip_number(item.area)
    return _CLAUSE_END_RE.split(PLACEHOLDER_RE.sub("", text), maxsplit=1)[0]


def _in_order(a: str, b: str) -> int:
    """Characters of ``a`` found in ``b`` in the same order (the longest common subsequence)."""
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag, row[0] = 0, 0
        for j, y in enumerate(b, 1):
            prev_diag, row[j] = row[j], prev_diag + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def sameness(title_a: str, text_a: str, title_b: str, text_b: str) -> float:
    """How much two items say the same, from 0 to 2: the characters the two titles share in order, over
    their mean length ("党员身份意识淡化" / "党员意识有所淡化": 6 of 8 and 8, 0.75), plus the share of the smaller
    set of content bigrams of the items (less their titles' own) found in the other (two 第一责任人 problems
    share their matter even when titled apart).  Over the mean, not the shorter: "勤俭节约意识有所淡化" and
    "党员意识有所淡化" share a long tail but not their matter."""
    return _sameness(_said(title_a, _bigrams(text_a) - _bigrams(title_a)),
                     _said(title_b, _bigrams(text_b) - _bigrams(title_b)))


@dataclass(frozen=True)
class _Said:
    """What :func:`sameness` compares of one item, worked out once per item."""

    title: str  # Chinese characters of the title
    repeats: int  # characters of the title that repeat an earlier one
    chars: frozenset[str]  # with ``repeats``, bounds the characters two titles can share in order
    grams: set[str]  # content bigrams of the text under the title


def _said(title: str, grams: set[str]) -> _Said:
    han = han_only(title)
    chars = frozenset(han)
    return _Said(han, len(han) - len(chars), chars, grams)


def _sameness(a: _Said, b: _Said, enough: float = 0.0) -> float:
    """:func:`sameness`; with ``enough``, a pair that cannot reach it is not compared in order (returns 0)."""
    words = len(a.grams & b.grams) / min(len(a.grams), len(b.grams)) if a.grams and b.grams else 0.0
    if not (a.title and b.title):
        return words
    size = len(a.title) + len(b.title)
    if enough:
        # no more characters in order than shared ones, each at most as often as it repeats
        bound = len(a.chars & b.chars) + min(a.repeats, b.repeats)
        if words + 2 * bound / size < enough:
            return 0.0
    return words + 2 * _in_order(a.title, b.title) / size


def comparable(title: str) -> bool:
    """A title that names one matter: four Chinese characters or more, and not a list ("形式主义、官僚主义、
    享乐主义…" heads the items that take each of them up)."""
    return len(han_only(title)) >= 4 and title.count("、") < 2


def check_near_duplicates(read: ReadDocx, place: Place, kind: str, found: list[Item],
                          grams: dict[int, set[str]] | None = None) -> list[Finding]:
    """Two problems, or two causes, of one draft that say the same (threshold measured on the seeds).

    The text under a title is compared by the item's content bigrams less the title's own."""
    if kind not in (PERSONAL, COLLECTIVE):
        return []
    grams = grams if grams is not None else content_grams(found)
    threshold = param("near-duplicate", "threshold")
    out: list[Finding] = []
    for what, name in (("problems", "问题"), ("causes", "原因")):
        listed = [(i, t, _said(t, grams[id(i)] - _bigrams(t)))
                  for i, t in ((i, item_title(i)) for i in found if i.kind == what) if comparable(t)]
        for n, (_a, ta, sa) in enumerate(listed):
            for b, _tb, sb in listed[n + 1:]:
                if _sameness(sa, sb, threshold) >= threshold:
                    out.append(_finding("near-duplicate", f"这条{name}与“{ta}”说的是同一件事，应合并或换一条",
                                        b.source, place, b.text))
    return out


# --------------------------------------------------------------------------- 6. the reviewing norms

_PRAISE_FIRST_RE = re.compile(r"(?:虽然|虽|尽管)[^。；]{0,60}(?:但是|但|却|可是)")
# 见人见事: a time, a number or a named matter.
_CONCRETE_RE = re.compile(
    r"\d|[一二两三四五六七八九十百千万]+(?:次|个|篇|项|天|周|月|年|人|件|条|户|名|场|期|份|本|元|小时|余)|"
    r"今年|去年|前年|上半年|下半年|年初|年中|年底|年末|季度|月份|期间|《[^》]+》|“[^”]{2,20}”(?:活动|工作|项目|会议)")


def check_norms(read: ReadDocx, place: Place, kind: str, found: list[Item] | None = None) -> list[Finding]:
    """上年度整改落实情况, 先扬后抑, proportions, 见人见事 and length."""
    doc = read.document
    out: list[Finding] = []
    if kind not in (PERSONAL, COLLECTIVE):
        return out
    found = found if found is not None else items(read)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    early = [b.text for b in doc.blocks[:6] if isinstance(b, Paragraph)]
    if not any(last_year_heading(t) for t in headings) and not any(
            re.search(r"(?:上年度|去年|上一年度|上次).{0,12}整改", t) for t in early):
        out.append(Finding("last-year-missing", "没有写“上年度整改落实情况”（上年度承诺了什么、做到了什么、"
                                                "还有哪些没有完成），应放在查摆问题之前"))
    for item in found:
        if item.kind != "problems":
            continue
        m = _PRAISE_FIRST_RE.search(item.text)
        if m:
            out.append(_finding("praise-first", "问题先扬后抑（“虽然……但……”），应直接写问题的表现",
                                item.source, place, item.text, m.start()))
        if not _CONCRETE_RE.search(strip_number(item.text)) and not PLACEHOLDER_RE.search(item.text):
            out.append(_finding("not-concrete", "这条问题没有具体的时间、数字或事例，看不出是哪件事",
                                item.source, place, item.text))
    measured = figures(doc, found)  # the same figures benchmarks/branch_metrics.py reports
    minimum = param("proportion", "min_share")
    if measured.han and found and measured.share < minimum:
        out.append(Finding("proportion", f"查摆问题和剖析原因只占全文的 {int(measured.share * 100)}%，"
                                         f"应在 {minimum * 100:.0f}% 以上，措施和套话不宜过多"))
    shortest = int(param("too-short", "min_han"))
    if kind == PERSONAL and measured.length < shortest:
        out.append(Finding("too-short", f"全文只有约 {measured.length} 字，个人对照检查材料一般应有 {shortest} 字以上"))
    return out


def check_reviewer(read: ReadDocx, place: Place, found: list[Item] | None = None) -> list[Finding]:
    """All of the reviewer's single-file rules (``found``: the document's :func:`items`, when already read)."""
    kind = doc_kind(read.document)
    found = found if found is not None else items(read)
    grams = content_grams(found) if kind in (PERSONAL, COLLECTIVE) else {}
    return [*check_voice(read, place, kind), *check_rank(read, place, kind), *check_titles(read, place),
            *check_correspondence(read, place, kind, found, grams),
            *check_near_duplicates(read, place, kind, found, grams),
            *check_norms(read, place, kind, found)]
