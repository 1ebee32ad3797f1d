"""From classified items to bank entries: trimming, checks, ids, links, flags, dedupe.

An entry goes into a document handed to a Party committee, so everything that
could embarrass the author is checked here, per sentence, and reported when it
is left out: censored words, broken characters, unrepaired substitutions,
quotations, bare lists of terms, fragments, half-width punctuation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from generator import register
from generator.bank import Phrase
from generator.mining.classify import Verdict, classify_item
from generator.mining.clean import CleanDoc, Dropped, sentence_problem
from generator.mining.data import Corrections, Cues
from generator.mining.gate import (
    TEXT_FLAGS,
    TITLE_MAX,
    flag_for,
    is_whole_phrase,
    rank_and_settings,
    settle_voices,
    strip_doubled,
    title_from_text,
    voice_of,
)
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
_QUOTED = re.compile("“[^”]*”")
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
        self.source = {line.no: line.text for line in doc.lines}

    def drop(self, item: Item, reason: str, text: str = "") -> None:
        where = f"{self.doc.name}:{item.line}"
        self.result.dropped.append(Dropped(where, reason, text or item.title or item.text))

    def sentence_fault(self, piece: str) -> str | None:
        """Why one sentence cannot go into a draft, or None."""
        reason = sentence_problem(piece, self.doc, self.corrections)
        if reason is None and any(_matches(q, piece) for q in self.cues.quotation):
            reason = "引语或出处"
        if reason is None and is_term_list(piece):
            reason = "词语罗列，不成句"
        return reason

    def body(self, item: Item) -> tuple[str, str, list[str]]:
        """The manifestation sentences that pass every check, within the length budget.

        Returns (text, raw, faults): ``raw`` is the text with the faulty sentences left in (for a
        flagged entry when nothing usable is left) and ``faults`` the reasons, in order; a faulty
        sentence left out of a usable text is reported as dropped.
        """
        pieces = split_sentences(item.text, semicolons=True)
        kept: list[str] = []
        raw: list[str] = []
        faults: list[tuple[str, str]] = []
        for piece in pieces:
            piece = _LEADING_JUNK.sub("", piece).strip()
            if not piece:
                continue
            fault = None
            if not piece.endswith(_STOP_END):
                if len(han_only(piece)) < 6 or _DANGLING.search(piece):
                    fault = "残句（原文到此中断）"
                else:
                    piece += "。"
            fault = fault or self.sentence_fault(piece)
            if not kept and not fault and len(piece) > MAX_FIRST:
                fault = "句子过长"
            if sum(len(r) for r in raw) + len(piece) <= MAX_TEXT or not raw:
                raw.append(piece)
            if fault:
                faults.append((fault, piece))
                continue
            if kept and sum(len(k) for k in kept) + len(piece) > MAX_TEXT:
                break
            kept.append(piece)
        text = _close("".join(kept))
        if len(han_only(text)) >= MIN_HAN:
            for fault, piece in faults:
                self.drop(item, fault, piece)
        return text, _close("".join(raw)), [f for f, _p in faults]

    def build(self, item: Item, verdict: Verdict) -> Phrase | None:
        flags: list[str] = []
        title = item.title.strip().rstrip("。；，：！？、 ")
        if title:
            fault = self.sentence_fault(title + "。")
            if fault:
                flags.append(flag_for(fault))
        text, raw, faults = self.body(item)
        if title and len(title) > MAX_TITLE:
            text, raw, title = f"{title}。{text}", f"{title}。{raw}", ""
        if not text and title:
            text, raw, title = f"{title}。", f"{title}。{raw}", ""
        if len(han_only(text)) < MIN_HAN:
            if len(han_only(raw)) < MIN_HAN:
                self.drop(item, "内容过短", item.title or item.text)
                return None
            text = raw
            flags.extend(flag_for(f) for f in faults or ["内容过短"])
        flags.extend(flag_for(p) for p in text_problems(title) + text_problems(text))
        kind = verdict.kind
        if kind in ("problem", "cause"):
            title, text, more = self.settle_title(item, title, text)
            flags.extend(more)
        flags.extend(self.reference_flags(title + text))
        rank, settings = rank_and_settings(title, text)
        return Phrase(
            id=entry_id(kind, title, text),
            kind=kind,
            dimension=verdict.dimension or "",
            text=text,
            title=title,
            source=f"{self.doc.name}:{item.line}",
            group=f"{self.stem}#{item.article}",
            flags=tuple(dict.fromkeys(flags)),
            voice=voice_of(title, text, self.cues),
            rank=rank,
            settings=settings,
        )

    def settle_title(self, item: Item, title: str, text: str) -> tuple[str, str, list[str]]:
        """A problem or cause needs a whole run-in title that its text does not repeat."""
        if title:
            text = strip_doubled(title, text) or text
            if han_only(text).startswith(han_only(title)):
                return "", text, ["title-only"] if len(han_only(text)) <= TITLE_MAX + 2 else ["no-title"]
            line = self.source.get(item.line, "")
            return title, text, ([] if is_whole_phrase(title, line) else ["title-cut"])
        derived = title_from_text(text)
        if derived:
            return derived[0], derived[1], []
        one = split_sentences(text)
        return "", text, ["title-only" if len(one) == 1 and len(han_only(text)) <= TITLE_MAX + 2 else "no-title"]

    def reference_flags(self, text: str) -> list[str]:
        found = []
        if any(_matches(c, text) for c in self.cues.dated):
            found.append("dated")
        if any(_matches(c, text) for c in self.cues.specific):
            found.append("specific")
        return found


def _close(text: str) -> str:
    return text[:-1] + "。" if text.endswith("；") else text


def _matches(cue: str, text: str) -> bool:
    if cue.startswith("re:"):
        return re.search(cue[3:], text) is not None
    return cue in text


def build_document(doc: CleanDoc, items: list[Item], corrections: Corrections, cues: Cues,
                   *, words: bool = False) -> DocResult:
    """Classify and build every item of one document; settle voices and link answers within each article."""
    builder = _Builder(doc, corrections, cues)
    result = builder.result
    result.items = len(items)
    result.dropped.extend(doc.dropped)
    labels: dict[tuple[int, str], str] = {}
    pending: list[tuple[int, Item]] = []
    articles: list[int] = []
    for item in items:
        verdict = classify_item(item, cues, words=words)
        if verdict.kind == "other":
            builder.drop(item, OTHER)  # background, praise, pledges, quotations: not bank material
            continue
        phrase = builder.build(item, verdict)
        if phrase is None:
            continue
        if item.context is None and verdict.confidence < MIN_CONFIDENCE:
            phrase = replace(phrase, flags=(*phrase.flags, flag_for(UNSURE)))  # a person decides the kind
        if item.label:
            labels[(item.article, item.label)] = phrase.id
        if item.answers:
            pending.append((len(result.phrases), item))
        result.phrases.append(phrase)
        articles.append(item.article)
    personal = {item.article for item in items  # 本人/我 outside quotes ("我为群众办实事" is an activity's name)
                if register.first(_QUOTED.sub("", item.title + item.text), "personal")}
    voices = settle_voices([p.voice for p in result.phrases], articles, personal)
    result.phrases = [replace(p, voice=v) for p, v in zip(result.phrases, voices, strict=True)]
    for index, item in pending:
        target = labels.get((item.article, item.answers))
        if target:
            result.phrases[index] = replace(result.phrases[index], answers=(target,))
    return result


def shingles(text: str, n: int = 6) -> set[str]:
    """The miner's shingles: a text shorter than ``n`` is one shingle of its own."""
    return text_shingles(text, n, whole_if_short=True)


def dedupe(results: list[DocResult], *, threshold: float = 0.6) -> None:
    """Drop exact and near duplicates across all documents (the first occurrence stays).

    Usable entries are compared first, so an entry flagged for review never pushes out a usable
    one that happens to come later; a flagged entry is kept only when it repeats none of them.
    """
    seen_ids: set[str] = set()
    kept: list[set[str]] = []
    keep: set[int] = set()
    for flagged in (False, True):
        for result in results:
            for phrase in result.phrases:
                if bool(set(phrase.flags) & TEXT_FLAGS) != flagged:
                    continue
                grams = shingles(phrase.title + phrase.text)
                duplicate = phrase.id in seen_ids or any(
                    len(grams & other) / max(1, min(len(grams), len(other))) >= threshold for other in kept)
                if duplicate:
                    result.dropped.append(Dropped(phrase.source, "与已收条目重复", phrase.text))
                    continue
                seen_ids.add(phrase.id)
                kept.append(grams)
                keep.add(id(phrase))
    for result in results:
        result.phrases = [p for p in result.phrases if id(p) in keep]
