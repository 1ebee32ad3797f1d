"""The register gate: who a mined passage speaks as, what post and setting it assumes, and its title.

A reviewer sends back a self-review that lectures others ("有的党员……", "要……"), a
科员's draft that speaks of 分管领域, and a problem whose run-in title is cut or
repeated in its text.  The judgement of voice, rank and setting is the project's one
rule file (``templates/rules/register.yaml`` read by :mod:`generator.register`); this
module applies it to mined entries and decides what a person must review before an
entry may reach a draft.  Review flags are data too: :data:`REVIEW_FLAGS` below gives
each its Chinese reason, written into the header of every mined file.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from generator import register
from generator.bank import REFERENCE_FLAGS
from generator.mining.data import Cues
from generator.text import han_only, split_sentences

# Flags the miner sets, with the reason a person reads in the mined file.  ``dated`` and
# ``specific`` concern references (a year, someone else's figures); the others concern the
# mined wording itself, so a curated ``fix`` that rewrites the title or text settles them.
REVIEW_FLAGS: dict[str, str] = {
    "dated": "含过时的年份、提法、地名或人名",
    "specific": "含他人的具体数字、单位或对象",
    "register": "口吻、职务或场景与条目标注不符（人工标注）",
    "no-title": "问题或原因没有完整的小标题，不能截取正文充当标题",
    "title-only": "只有一句标题，没有具体表现",
    "title-cut": "小标题不是完整的短语（在词中间断开或以虚词结尾）",
    "fragment": "残句或内容过短（原文到此中断）",
    "page-break": "原文此处缺页，句子前后不相连",
    "censored": "含被网站屏蔽或残缺的字词",
    "substitution": "同义词替换未能修复",
    "furniture": "含网页杂项",
    "punctuation": "标点有误（半角标点或引号不成对）",
    "quotation": "是引语或出处，不是本人的话",
    "term-list": "只是词语罗列，不成句",
    "too-long": "句子过长",
    "unsure-kind": "仅凭措辞无法确定是问题、原因还是措施",
}
TEXT_FLAGS = frozenset(REVIEW_FLAGS) - set(REFERENCE_FLAGS)

# The reasons the miner reports (clean.sentence_problem, build) mapped to review flags.
_REASON_FLAGS: tuple[tuple[str, str], ...] = (
    ("屏蔽", "censored"), ("残缺", "censored"), ("同义词替换", "substitution"), ("缺页", "page-break"),
    ("引语", "quotation"), ("词语罗列", "term-list"), ("残句", "fragment"), ("过短", "fragment"),
    ("过长", "too-long"), ("半角", "punctuation"), ("引号", "punctuation"), ("网页", "furniture"),
    ("无法确定类型", "unsure-kind"),
)

# A title ends a phrase: never on a particle, a conjunction or an opening mark.
_DANGLING = re.compile("[的地得和与及或而并、，；：“‘（《]$")
_PAIRS = (("“", "”"), ("‘", "’"), ("（", "）"), ("《", "》"))
_AFTER_TITLE = re.compile("^(?:$|[。！？；，：、”’）》…\\s])")
TITLE_MIN, TITLE_MAX = 4, 20  # Chinese characters of a title taken from a first sentence
_OWN_UNIT = re.compile("本单位|本部门|本支部|所在单位|所在支部|所在党支部|所在部门")


def flag_for(reason: str) -> str:
    """The review flag of a reason the miner reports ("残句（原文到此中断）" → ``fragment``)."""
    for word, flag in _REASON_FLAGS:
        if word in reason:
            return flag
    return "fragment"


def voice_of(title: str, text: str, cues: Cues) -> str:
    """``organisation`` when the passage speaks as a unit, about others or to them; ``self`` when it says 本人/我.

    Empty when nothing in the wording decides: the article it comes from does (see :func:`settle_voices`).
    """
    whole = f"{title}。{text}" if title else text
    if register.speaks_as_organisation(whole):
        return "organisation"
    # The subject: the run-in title and the text's first clause ("党务干部精力不足", "基层党委与……"),
    # without the member's own unit ("结合本单位实际", "所在支部").
    head = _OWN_UNIT.sub("", title + "。" + re.split("[，。；！？]", text, maxsplit=1)[0])
    if head.lstrip("。").startswith(("党员", "部分")) or any(
            w in head for v in ("organisation", "members") for w in cues.voice.get(v, ())):
        return "organisation"  # a unit's subject at the start: 党支部……、党务干部……
    if register.first(whole, "personal") is not None:
        return "self"
    return ""


def settle_voices(voices: Sequence[str], articles: Sequence[int], personal: Collection[int] = ()) -> list[str]:
    """Fill undecided voices from the article: a unit's analysis speaks as the organisation throughout.

    An article is a unit's when it says 本人/我 nowhere (``personal`` lists those that do, counting
    its preamble and pledge) and at least half of its entries speak as the organisation by their
    own wording; otherwise an undecided entry is the author's own.
    """
    org: dict[int, int] = {}
    total: dict[int, int] = {}
    for voice, article in zip(voices, articles, strict=True):
        total[article] = total.get(article, 0) + 1
        org[article] = org.get(article, 0) + (voice == "organisation")
    out = []
    for voice, article in zip(voices, articles, strict=True):
        if not voice:
            n, k = total[article], org[article]
            voice = "organisation" if article not in personal and k and 2 * k >= n else "self"
        out.append(voice)
    return out


def rank_and_settings(title: str, text: str) -> tuple[str, tuple[str, ...]]:
    """The rank a passage needs (empty for any member) and the settings its wording assumes."""
    whole = f"{title}。{text}"
    rank = register.rank_needed(whole)
    return ("" if rank == "member" else rank), register.settings_assumed(whole)


def is_whole_phrase(title: str, source: str = "") -> bool:
    """A title is a whole phrase: no dangling particle at its end, marks in pairs, and in ``source``
    (the line it came from, when known) followed by a stop or the end, never by more of a word."""
    if len(han_only(title)) < TITLE_MIN - 2 or _DANGLING.search(title):
        return False
    if any(title.count(a) != title.count(b) for a, b in _PAIRS):
        return False
    if source:
        at = source.find(title)
        if at >= 0 and not _AFTER_TITLE.match(source[at + len(title):]):
            return False
    return True


def strip_doubled(title: str, text: str) -> str:
    """The text without a leading repeat of its title ("标题。标题。正文" → "正文")."""
    if not title:
        return text
    key = han_only(title)
    sentences = split_sentences(text, semicolons=True)
    while sentences and han_only(sentences[0]) == key:
        sentences = sentences[1:]
    return "".join(sentences)


def title_from_text(text: str) -> tuple[str, str] | None:
    """A short first sentence as the run-in title, the rest as the text; None when there is none.

    Only a whole sentence becomes a title (never a cut clause); the Chinese characters are
    unchanged, so the entry's id stays the same.
    """
    sentences = split_sentences(text)
    if len(sentences) < 2 or not sentences[0].endswith("。"):
        return None
    first = sentences[0][:-1]
    size = len(han_only(first))
    rest = "".join(sentences[1:])
    if not TITLE_MIN <= size <= TITLE_MAX or "，" in first or len(han_only(rest)) < 8:
        return None
    if not is_whole_phrase(first):
        return None
    return first, rest
