"""Kind and dimension of a sentence or a mined item, from context first, then wording.

The wording model is a weighted cue lexicon (``phrasebank/cues.yaml``): a
reviewer can read why a sentence was called a cause, and add a cue when a new
phrasing appears, which a statistical model trained on five documents could not
offer.  Chosen over a naive-Bayes model by measurement on the development set
(see ``benchmarks/bench_classify.py``).  Matching works on characters; with
``words=True`` a cue must also start and end on a jieba word boundary, which the
same measurement showed does not pay for jieba's one-second start, so it is off
by default and jieba is imported only when asked for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

from generator import register
from generator.mining.data import Cues
from generator.mining.segment import Item
from generator.text import split_sentences

KINDS = ("problem", "cause", "measure")
_CLOSING = re.compile("^(总之|总在|综上|综上所述|以上)")
FALLBACK_DIMENSION = "工作作风"

# Frames in front of the verb that carries the kind: "一是" "今后，" "要" "我将".
_FRAME = re.compile(
    "^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\\d]{1,3}[）)]|\\d{1,2}[、．.](?!\\d)|"
    "[一二三四五六七八九十][是要]|第[一二三四五六七八九十]+[，、]|首先，|其次，|再次，|最后，|同时，|"
    "今后，?|下一步，?|在今后的工作中，|今后我将|我将|本人将|支部将|我们将|我要|本人要|将|要|还要|更要|必须)+"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a text is, how sure the classifier is (0–1), and the scores behind it."""

    kind: str
    dimension: str | None
    confidence: float
    dimension_confidence: float = 0.0
    scores: dict[str, float] = field(default_factory=dict, compare=False)




@dataclass(frozen=True)
class _Cue:
    text: str
    weight: float
    prefix: bool = False
    pattern: re.Pattern[str] | None = None

    def hit(self, text: str, start: str, bounds: frozenset[int] | None) -> bool:
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        if self.prefix:
            return start.startswith(self.text) or text.startswith(self.text)
        if bounds is None or len(self.text) < 2:
            return self.text in text
        return any(m.start() in bounds and m.end() in bounds for m in re.finditer(re.escape(self.text), text))


def _compile(weights: dict[str, float]) -> tuple[_Cue, ...]:
    out = []
    for cue, weight in weights.items():
        if cue.startswith("re:"):
            out.append(_Cue(cue, weight, pattern=re.compile(cue[3:])))
        elif cue.startswith("^"):
            out.append(_Cue(cue[1:], weight, prefix=True))
        else:
            out.append(_Cue(cue, weight))
    return tuple(out)


@dataclass(frozen=True)
class Lexicon:
    """The cue lexicon compiled for matching."""

    kinds: dict[str, tuple[_Cue, ...]]
    dimensions: dict[str, tuple[_Cue, ...]]
    areas: dict[str, tuple[str, ...]]
    threshold: float
    ordered: tuple[tuple[str, _Cue], ...] = ()  # all kind cues, longest literal first
    register: tuple[tuple[str, str, float], ...] = ()  # (register family, kind, weight): reviewers' markers vote


@cache
def lexicon(cues: Cues) -> Lexicon:
    """Compile once per loaded cue file."""
    kinds = {k: _compile(w) for k, w in cues.kinds.items()}
    ordered = sorted(((k, c) for k, cs in kinds.items() for c in cs), key=lambda kc: -len(kc[1].text))
    return Lexicon(
        kinds=kinds,
        ordered=tuple(ordered),
        dimensions={d: _compile(w) for d, w in cues.dimensions.items()},
        areas=cues.areas,
        threshold=cues.other_threshold,
        register=tuple((family, kind, w) for family, votes in cues.register.items() for kind, w in votes.items()),
    )


def _bounds(text: str) -> frozenset[int]:
    """Word boundaries by jieba (imported here only: generating a draft never needs it)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return frozenset(b for _w, s, e in jieba.tokenize(text) for b in (s, e))


def _score(cues: tuple[_Cue, ...], text: str, start: str, bounds: frozenset[int] | None) -> float:
    return sum(c.weight for c in cues if c.hit(text, start, bounds))


def kind_scores(text: str, lex: Lexicon, *, words: bool = False) -> dict[str, float]:
    """Score of each kind (problem, cause, measure, other) for one text.

    Literal cues are matched longest first and a shorter cue inside a longer
    one's match does not count again: "认识不够" is a cause, and its "不够" must
    not add a problem vote.  The register rules vote too (``register:`` in the
    cue file): reviewers' cause markers ("根源在于", "政绩观存在偏差") for a cause,
    closing formulas ("以上是我的……恳请……") for ``other``.
    """
    bounds = _bounds(text) if words else None
    start = _FRAME.sub("", text)
    scores = dict.fromkeys(lex.kinds, 0.0)
    taken = [False] * len(text)
    for kind, cue in lex.ordered:
        if cue.pattern is not None or cue.prefix:
            if cue.hit(text, start, bounds):
                scores[kind] += cue.weight
            continue
        size = len(cue.text)
        at = text.find(cue.text)
        while at >= 0:  # successive non-overlapping occurrences (str.find: no regex per cue and text)
            end = at + size
            if not all(taken[at:end]) and (bounds is None or size < 2 or (at in bounds and end in bounds)):
                scores[kind] += cue.weight
                taken[at:end] = [True] * size
                break
            at = text.find(cue.text, end)
    for family, kind, weight in lex.register:
        if register.first(text, family) is not None:
            scores[kind] += weight
    return scores


def dimension_scores(text: str, lex: Lexicon, *, words: bool = False) -> dict[str, float]:
    bounds = _bounds(text) if words else None
    return {d: _score(cues, text, text, bounds) for d, cues in lex.dimensions.items()}


def _softmax_top(scores: dict[str, float], chosen: str, scale: float = 1.0) -> float:
    top = max(scores.values())
    total = sum(math.exp((s - top) * scale) for s in scores.values())
    return round(math.exp((scores[chosen] - top) * scale) / total, 3)


def decide_kind(scores: dict[str, float], threshold: float, bonus: str | None = None) -> tuple[str, float]:
    """The winning kind: `other` when no kind reaches the threshold or the other-cues outweigh them."""
    s = dict(scores)
    if bonus in KINDS and s.get(bonus, 0.0) > 0:
        s[bonus] += 2.0  # the section's kind tips the balance, but only with some word of its own
    best = max(KINDS, key=lambda k: s[k])
    other = s.get("other", 0.0)
    if s[best] < threshold or other >= s[best]:
        s["other"] = max(other, threshold)
        return "other", _softmax_top(s, "other")
    s["other"] = max(other, threshold)
    return best, _softmax_top(s, best)


def decide_dimension(scores: dict[str, float]) -> tuple[str, float]:
    best = max(scores, key=lambda d: scores[d])
    if scores[best] <= 0:
        return FALLBACK_DIMENSION, 0.0
    return best, _softmax_top(scores, best, scale=0.5)


def classify(text: str, cues: Cues, *, words: bool = False, model: bool = True) -> Verdict:
    """Kind and dimension of one sentence, from its wording alone (``draftgen classify``).

    With ``model`` (and weights in the cue file's ``model:`` section) the bank-trained model of
    :mod:`generator.mining.model` adds its opinion to the cue scores.
    """
    lex = lexicon(cues)
    scores = kind_scores(text, lex, words=words)
    dims = dimension_scores(text, lex, words=words)
    weight, dim_weight = cues.model.get("kind_weight", 0.0), cues.model.get("dimension_weight", 0.0)
    if scores["other"] > 0 and decide_kind(scores, lex.threshold)[0] == "other":
        weight = 0.0  # words of an opening or a pledge ("这次", "如下") outweigh any kind: the model does not overrule
    floor = lex.threshold
    if model and weight and scores["other"] == 0 and max(scores[k] for k in KINDS) < lex.threshold:
        # The lexicon abstains (no word of `other`, too few of any kind), as it does on many plain sentences of
        # other hands ("放手让年轻同志牵头起草材料，不再事事包办"): its floor would overrule the model, so a lower
        # one (``abstain_floor`` in the cue file) lets the model's opinion decide.
        floor = cues.model.get("abstain_floor", lex.threshold)
    if model and (weight or dim_weight):
        from generator.mining.model import bank_models  # loads the bank: only for sentences classified alone

        models = bank_models(cues.model_other)
        temperature = cues.model.get("temperature", 1.0)
        opinion = models.kind.posterior(text, temperature)
        scores = {k: v + weight * opinion.get(k, 0.0) for k, v in scores.items()}
        scores["other"] = max(scores["other"] - weight * opinion.get("other", 0.0), floor) \
            + weight * opinion.get("other", 0.0)  # the lexicon's floor for `other`, then the model's share
        dim_opinion = models.dimension.posterior(text, temperature)
        dims = {d: v + dim_weight * dim_opinion.get(d, 0.0) for d, v in dims.items()}
    kind, confidence = decide_kind(scores, floor)
    if kind == "other":
        return Verdict("other", None, confidence, 0.0, scores)
    dimension, dconf = decide_dimension(dims)
    return Verdict(kind, dimension, confidence, dconf, scores)


def area_dimension(area: str, lex: Lexicon) -> str | None:
    """The dimension a review-area heading names ("在理论武装方面" → 理论学习), if any."""
    for dim, words in lex.areas.items():
        if any(w in area for w in words):
            return dim
    return None


def classify_item(item: Item, cues: Cues, *, words: bool = False) -> Verdict:
    """Kind from the section context where the layout states it, else from wording; then dimension."""
    lex = lexicon(cues)
    body = f"{item.title}。{item.text}" if item.title else item.text
    scores = kind_scores(body, lex, words=words)
    if item.context == "other":
        kind, confidence = "other", 0.9
    elif item.context in KINDS and item.form != "段落":
        kind, confidence = item.context, 0.95
        if not item.title and len(item.text) <= 40 and not any(scores[k] > 0 for k in KINDS):
            kind, confidence = "other", 0.5  # a bare heading with no word of any kind: a stray line
    elif item.form == "段落" and _CLOSING.match(item.text):
        kind, confidence = "other", 0.9  # "总之，……" closes the document: a pledge
    else:
        kind, confidence = decide_kind(scores, lex.threshold, bonus=item.context)
        if kind != "other" and (item.context is None or item.form == "段落"):
            # Nothing but wording says what this is (an essay, a loose paragraph): its first
            # sentence must say so too, not only its heading or a later sentence.
            first = " ".join(split_sentences(item.text)[:1]) or item.title
            first_scores = kind_scores(first, lex, words=words)
            text_kind, _ = decide_kind(first_scores, lex.threshold, bonus=item.context)
            if text_kind != kind:
                kind, confidence = "other", 0.5
    if kind == "other":
        return Verdict("other", None, confidence, 0.0, scores)
    dimension, dconf = _item_dimension(item, lex, words)
    return Verdict(kind, dimension, confidence, dconf, scores)


def _item_dimension(item: Item, lex: Lexicon, words: bool) -> tuple[str, float]:
    total = dimension_scores(item.text, lex, words=words)
    if item.title:
        for d, s in dimension_scores(item.title, lex, words=words).items():
            total[d] += 2 * s
    named = area_dimension(item.area, lex) if item.area else None
    if named:
        total[named] += 10 * item.area_weight  # the author filed it under this area
    return decide_dimension(total)
