"""From classified items to bank entries: trimming, checks, ids, links, flags, dedupe.

An entry goes into a document handed to a Party committee, so everything that
could embarrass the author is checked here, per sentence, and reported when it
is left out: censored words, broken characters, unrepaired substitutions,
quotations, bare lists of terms, fragments, half-width punctuation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from generator.bank import Phrase
from generator.mining.classify import Verdict, classify_item
from generator.mining.clean import CleanDoc, Dropped, sentence_problem
from generator.mining.data import Corrections, Cues
from generator.mining.segment import Item
from generator.text import (
    ascii_punct_in_zh,
    half_width_punct,
    han_only,
    split_sentences,
    unbalanced_quotes,
)
from generator.text import shingles as text_shingles

MAX_TEXT = 180  # characters of manifestation kept per entry (one to three sentences)
MAX_FIRST = 240  # a single first sentence may run longer, never beyond this
MAX_TITLE = 30
MIN_HAN = 8
MIN_CONFIDENCE = 0.6  # for items whose kind only the wording decides
OTHER = "不是问题、原因或措施（背景、表态、引文等）"
UNSURE = "仅凭措辞无法确定类型"

_STOP_END = ("。", "！", "？", "”", "）", "…", "；")
_LIST_SPLIT = re.compile("[、，,；;：:]")
_FURNITURE_LEFT = re.compile(r"https?://|www\.|\.com|上一篇|下一篇|浏览次数|推荐访问|>>|<<")
_LEADING_JUNK = re.compile("^[，、；：。,;:.\\s]+")
_DANGLING = re.compile("[的和与及或在对把被将从向为了、，“（《]$")


@dataclass
class DocResult:
    """Entries mined from one source and what was left out."""

    name: str
    phrases: list[Phrase] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    items: int = 0


def entry_id(kind: str, title: str, text: str) -> str:
    """Stable across re-mining: kind plus a hash of the Chinese characters of title and text."""
    digest = hashlib.sha1(f"{kind}:{han_only(title + text)}".encode()).hexdigest()[:10]
    return f"{kind[0]}-{digest}"


def is_term_list(piece: str) -> bool:
    """"不求实效、文山会海、花拳绣腿……等" is a list of terms, not a sentence."""
    parts = [han_only(p) for p in _LIST_SPLIT.split(piece.rstrip("。；！？等")) if han_only(p)]
    short = sum(1 for p in parts if len(p) <= 4)
    return len(parts) >= 3 and short >= 0.75 * len(parts) and all(len(p) <= 8 for p in parts)


def text_problems(text: str) -> list[str]:
    """What makes a finished title or text unfit for a draft (empty when it is fit)."""
    found = []
    if half_width_punct(text) or ascii_punct_in_zh(text):
        found.append("中文中夹有半角标点")
    if unbalanced_quotes(text) or text.count("‘") != text.count("’"):
        found.append("引号不成对")
    if re.search("[*＊„〓\ufffd]", text):
        found.append("含残缺或屏蔽字符")
    if _FURNITURE_LEFT.search(text):
        found.append("含网页杂项")
    if '"' in text or "'" in text:
        found.append("含英文引号")
    return found


class _Builder:
    def __init__(self, doc: CleanDoc, corrections: Corrections, cues: Cues) -> None:
        self.doc = doc
        self.corrections = corrections
        self.cues = cues
        self.result = DocResult(doc.name)
        self.stem = doc.name.rsplit(".", 1)[0]

    def drop(self, item: Item, reason: str, text: str = "") -> None:
        where = f"{self.doc.name}:{item.line}"
        self.result.dropped.append(Dropped(where, reason, text or item.title or item.text))

    def sentence_ok(self, item: Item, piece: str) -> bool:
        reason = sentence_problem(piece, self.doc, self.corrections)
        if reason is None and any(_matches(q, piece) for q in self.cues.quotation):
            reason = "引语或出处"
        if reason is None and is_term_list(piece):
            reason = "词语罗列，不成句"
        if reason:
            self.drop(item, reason, piece)
            return False
        return True

    def body(self, item: Item) -> str:
        """The manifestation sentences that pass every check, within the length budget."""
        pieces = split_sentences(item.text, semicolons=True)
        kept: list[str] = []
        for piece in pieces:
            piece = _LEADING_JUNK.sub("", piece).strip()
            if not piece:
                continue
            if not piece.endswith(_STOP_END):
                if len(han_only(piece)) < 6 or _DANGLING.search(piece):
                    self.drop(item, "残句（原文到此中断）", piece)
                    continue
                piece += "。"
            if not self.sentence_ok(item, piece):
                continue
            size = sum(len(k) for k in kept)
            if kept and size + len(piece) > MAX_TEXT:
                break
            if not kept and len(piece) > MAX_FIRST:
                self.drop(item, "句子过长", piece)
                continue
            kept.append(piece)
        text = "".join(kept)
        if text.endswith("；"):
            text = text[:-1] + "。"
        return text

    def title(self, item: Item) -> str | None:
        """The cleaned heading phrase; None when the heading itself is unusable."""
        title = item.title.strip().rstrip("。；，：！？、 ")
        if not title:
            return ""
        if not self.sentence_ok(item, title + "。"):
            return None
        return title

    def build(self, item: Item, verdict: Verdict) -> Phrase | None:
        title = self.title(item)
        if title is None:
            return None
        text = self.body(item)
        if title and len(title) > MAX_TITLE:
            text, title = f"{title}。{text}", ""
        if not text and title:
            text, title = f"{title}。", ""
        if len(han_only(text)) < MIN_HAN:
            if not any(d.where == f"{self.doc.name}:{item.line}" for d in self.result.dropped[-3:]):
                self.drop(item, "内容过短", item.title or item.text)
            return None
        problems = text_problems(title) + text_problems(text)
        if problems:
            self.drop(item, "；".join(problems), text)
            return None
        kind = verdict.kind
        return Phrase(
            id=entry_id(kind, title, text),
            kind=kind,
            dimension=verdict.dimension or "",
            text=text,
            title=title,
            source=f"{self.doc.name}:{item.line}",
            group=f"{self.stem}#{item.article}",
            flags=self.flags(title + text),
            voice=self.voice(title, text),
        )

    def flags(self, text: str) -> tuple[str, ...]:
        found = []
        if any(_matches(c, text) for c in self.cues.dated):
            found.append("dated")
        if any(_matches(c, text) for c in self.cues.specific):
            found.append("specific")
        return tuple(found)

    def voice(self, title: str, text: str) -> str:
        """Who the entry speaks about: the author (self), some members, or the organisation."""
        head = (title + "。" + text)[:30] if title else text[:24]
        if head.startswith(("党员", "部分")):
            return "members"
        for voice in ("organisation", "members"):
            if any(w in head for w in self.cues.voice.get(voice, ())):
                return voice
        return "self"


def _matches(cue: str, text: str) -> bool:
    if cue.startswith("re:"):
        return re.search(cue[3:], text) is not None
    return cue in text


def build_document(doc: CleanDoc, items: list[Item], corrections: Corrections, cues: Cues,
                   *, words: bool = False) -> DocResult:
    """Classify and build every item of one document; link answers within each article."""
    builder = _Builder(doc, corrections, cues)
    result = builder.result
    result.items = len(items)
    result.dropped.extend(doc.dropped)
    labels: dict[tuple[int, str], str] = {}
    pending: list[tuple[int, Item]] = []
    for item in items:
        verdict = classify_item(item, cues, words=words)
        if verdict.kind == "other":
            builder.drop(item, OTHER)  # background, praise, pledges, quotations: not bank material
            continue
        if item.context is None and verdict.confidence < MIN_CONFIDENCE:
            builder.drop(item, UNSURE)
            continue
        phrase = builder.build(item, verdict)
        if phrase is None:
            continue
        if item.label:
            labels[(item.article, item.label)] = phrase.id
        if item.answers:
            pending.append((len(result.phrases), item))
        result.phrases.append(phrase)
    for index, item in pending:
        target = labels.get((item.article, item.answers))
        if target:
            from dataclasses import replace

            result.phrases[index] = replace(result.phrases[index], answers=(target,))
    return result


def shingles(text: str, n: int = 6) -> set[str]:
    """The miner's shingles: a text shorter than ``n`` is one shingle of its own."""
    return text_shingles(text, n, whole_if_short=True)


def dedupe(results: list[DocResult], *, threshold: float = 0.6) -> None:
    """Drop exact and near duplicates across all documents (the first occurrence stays)."""
    seen_ids: set[str] = set()
    kept: list[tuple[str, set[str]]] = []
    for result in results:
        unique: list[Phrase] = []
        for phrase in result.phrases:
            grams = shingles(phrase.title + phrase.text)
            duplicate = phrase.id in seen_ids or any(
                len(grams & other) / max(1, min(len(grams), len(other))) >= threshold for _id, other in kept)
            if duplicate:
                result.dropped.append(Dropped(phrase.source, "与已收条目重复", phrase.text))
                continue
            seen_ids.add(phrase.id)
            kept.append((phrase.id, grams))
            unique.append(phrase)
        result.phrases = unique
