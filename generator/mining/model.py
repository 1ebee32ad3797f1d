"""A second opinion on a sentence's wording: naive Bayes on Chinese characters and character pairs.

The cue lexicon (``cues.yaml``) is readable and exact on the phrasings it lists, but a sentence
written by someone else often holds none of them, and is then called ``other`` or filed under
the fallback dimension.  The bank itself is a few hundred sentences of every kind and dimension
in the register of the seeds, written by several hands; a model trained on it knows their
vocabulary.  ``classify`` adds its tempered posterior to the lexicon's scores (weights in the
``model:`` section of ``cues.yaml``), measured in ``benchmarks/bench_classify.py``.  The
``other`` class learns from the framing sentences of ``templates/wording.yaml`` (openings,
section introductions, pledges).  Training takes a fraction of a second and happens once per
process, only when a sentence is classified on its own (``draftgen classify``, the wizard), never
while mining or generating a draft.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from generator.text import han_only, split_sentences


def features(text: str) -> list[str]:
    """Characters and character pairs of the Chinese in ``text`` (no word segmentation, no jieba)."""
    han = han_only(text)
    return list(han) + [han[i:i + 2] for i in range(len(han) - 1)]


@dataclass(frozen=True)
class WordModel:
    """Feature counts per label; Laplace-smoothed, uniform prior (the labels' shares in the bank are not the
    shares in what users classify)."""

    counts: Mapping[str, Counter[str]]
    totals: Mapping[str, int]
    vocabulary: int

    def posterior(self, text: str, temperature: float) -> dict[str, float]:
        """P(label | text) with the mean log-likelihood per feature scaled by ``temperature``.

        A raw naive-Bayes posterior is almost always 0 or 1; the mean per feature, tempered, gives
        a graded opinion that can be weighed against the lexicon's scores.
        """
        found = features(text)
        if not found:
            return dict.fromkeys(self.counts, 1 / max(1, len(self.counts)))
        logs = {}
        mean = sum(self.totals.values()) / max(1, len(self.totals))
        for label, counts in self.counts.items():
            # Counts scaled to one common total: a dimension with more entries in the bank gets no pull
            # of its own (the bank grows unevenly, dimension by dimension).
            scale = mean / max(1, self.totals[label])
            denominator = mean + self.vocabulary
            logs[label] = sum(math.log((counts[f] * scale + 1) / denominator) for f in found) / len(found) \
                * temperature
        top = max(logs.values())
        total = sum(math.exp(v - top) for v in logs.values())
        return {label: math.exp(v - top) / total for label, v in logs.items()}


def train(examples: Iterable[tuple[str, str]]) -> WordModel:
    """A model from (text, label) pairs."""
    counts: dict[str, Counter[str]] = {}
    for text, label in examples:
        counts.setdefault(label, Counter()).update(features(text))
    vocabulary = len({f for c in counts.values() for f in c})
    return WordModel(counts, {label: sum(c.values()) for label, c in counts.items()}, vocabulary)


@dataclass(frozen=True)
class Models:
    kind: WordModel  # problem | cause | measure | other
    dimension: WordModel


def framing_sentences(keys: Iterable[str]) -> list[str]:
    """The sentences of ``templates/wording.yaml`` under ``keys`` in any document type: examples of ``other``."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    data = load_yaml(templates_dir() / "wording.yaml", what="固定用语").data
    wanted = set(keys)
    found: list[str] = []
    if not isinstance(data, Mapping):
        return found
    for doc in data.values():
        if not isinstance(doc, Mapping):
            continue
        for key, value in doc.items():
            if key in wanted and isinstance(value, list):
                found += [s for v in value if isinstance(v, str) for s in split_sentences(v)]
    return found


@cache
def bank_models(other_keys: tuple[str, ...]) -> Models:
    """Models trained on the packaged bank's usable entries and the framing sentences (once per process)."""
    from generator.bank import load_bank

    entries = [p for p in load_bank() if not p.flags]
    kinds = [(f"{p.title}。{p.text}", p.kind) for p in entries]
    kinds += [(s, "other") for s in framing_sentences(other_keys)]
    dims = [(f"{p.title}。{p.text}", p.dimension) for p in entries]
    return Models(train(kinds), train(dims))
