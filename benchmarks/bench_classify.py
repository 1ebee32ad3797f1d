"""Compare ways of classifying sentences, to choose the one `draftgen classify` ships.

Run:  python benchmarks/bench_classify.py

Methods, each scored on the hand-written development set (tuning allowed) and on
the held-out evaluation set (never tuned on):

* lexicon+model - the cue lexicon plus the bank-trained naive Bayes of generator/mining/model.py,
  weighted as the `model:` section of cues.yaml says (shipped: `draftgen classify`);
* lexicon/chars - the cue lexicon in phrasebank/cues.yaml matched on characters, alone;
* lexicon/jieba - the same cues, counted only where they start and end on a jieba word boundary;
* bayes/bigrams - multinomial naive Bayes on character unigrams and bigrams, trained on the
  labelled items we have: the bank entries (mined and curated) and the seed passages the
  segmenter puts in non-review sections (as `other`).

Dimension accuracy counts sentences whose gold kind is not `other`; a sentence wrongly
called `other` gets no dimension and counts as wrong.
"""

from __future__ import annotations

import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.bank import load_bank  # noqa: E402
from generator.mining.classify import classify  # noqa: E402
from generator.mining.clean import clean_lines  # noqa: E402
from generator.mining.data import load_corrections, load_cues  # noqa: E402
from generator.mining.segment import segment  # noqa: E402
from generator.mining.sources import read_lines  # noqa: E402
from generator.text import han_only, split_sentences  # noqa: E402

Row = tuple[str, str, str]
Predict = Callable[[str], tuple[str, str | None]]


def read_tsv(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, kind, dim = line.split("\t")
            rows.append((text, kind, dim))
    return rows


def score(predict: Predict, rows: list[Row]) -> tuple[float, float, dict[str, str], dict[str, str]]:
    kind_ok = dim_ok = dim_n = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_dim: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text, kind, dim in rows:
        k, d = predict(text)
        per_kind[kind][1] += 1
        if k == kind:
            kind_ok += 1
            per_kind[kind][0] += 1
        if kind != "other":
            dim_n += 1
            per_dim[dim][1] += 1
            if d == dim:
                dim_ok += 1
                per_dim[dim][0] += 1
    fmt = {k: f"{a}/{n} = {a / n:.0%}" for k, (a, n) in per_kind.items()}
    fmtd = {k: f"{a}/{n} = {a / n:.0%}" for k, (a, n) in per_dim.items()}
    return kind_ok / len(rows), dim_ok / max(1, dim_n), fmt, fmtd


# --------------------------------------------------------------------------- naive Bayes


def features(text: str) -> list[str]:
    han = han_only(text)
    return list(han) + [han[i:i + 2] for i in range(len(han) - 1)]


class NaiveBayes:
    def __init__(self, examples: list[tuple[str, str]]) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.docs = Counter(label for _t, label in examples)
        for text, label in examples:
            self.counts[label].update(features(text))
        self.vocab = {f for c in self.counts.values() for f in c}
        self.totals = {label: sum(c.values()) for label, c in self.counts.items()}

    def predict(self, text: str) -> str:
        n = sum(self.docs.values())
        best, best_score = "", -math.inf
        for label, counts in self.counts.items():
            s = math.log(self.docs[label] / n)
            denom = self.totals[label] + len(self.vocab)
            s += sum(math.log((counts[f] + 1) / denom) for f in features(text))
            if s > best_score:
                best, best_score = label, s
        return best


def training_data() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    bank = load_bank(ROOT / "phrasebank", use_cache=False)
    kinds = [(f"{p.title}。{p.text}", p.kind) for p in bank]
    dims = [(f"{p.title}。{p.text}", p.dimension) for p in bank]
    corrections = load_corrections(ROOT / "phrasebank" / "corrections.yaml")
    cues = load_cues(ROOT / "phrasebank" / "cues.yaml")
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        doc = clean_lines(path.name, read_lines(path), corrections)
        for item in segment(doc.lines, cues):
            if item.context == "other":
                kinds.extend((s, "other") for s in split_sentences(item.text)[:3])
    return kinds, dims


def main() -> list[tuple[str, str, float, float, float]]:
    """Print the comparison; return (method, set, kind accuracy, dimension accuracy, ms per sentence) rows."""
    cues = load_cues(ROOT / "phrasebank" / "cues.yaml")
    dev = read_tsv(ROOT / "tests" / "data" / "classify_dev.tsv")
    held = read_tsv(ROOT / "tests" / "data" / "classify_eval.tsv")
    sets = [("dev", dev), ("eval", held)]
    other_hand = ROOT / "tests" / "data" / "classify_heldout.tsv"  # written by another helper, never tuned on
    if other_hand.is_file():
        sets.append(("held", read_tsv(other_hand)))
    kinds, dims = training_data()
    nb_kind, nb_dim = NaiveBayes(kinds), NaiveBayes(dims)

    def lexicon(words: bool, model: bool = False) -> Predict:
        def predict(text: str) -> tuple[str, str | None]:
            v = classify(text, cues, words=words, model=model)
            return v.kind, v.dimension
        return predict

    def bayes(text: str) -> tuple[str, str | None]:
        kind = nb_kind.predict(text)
        return kind, (nb_dim.predict(text) if kind != "other" else None)

    methods: list[tuple[str, Predict]] = [("lexicon+model", lexicon(False, model=True)),
                                          ("lexicon/chars", lexicon(False)), ("lexicon/jieba", lexicon(True)),
                                          ("bayes/bigrams", bayes)]
    print(f"training items for bayes: {len(kinds)} (kinds), {len(dims)} (dimensions)")
    print(f"{'method':<16}{'set':<6}{'kind':>8}{'dimension':>11}{'ms/sentence':>13}")
    details = {}
    results = []
    for name, predict in methods:
        predict("预热。")  # jieba loads its dictionary on first use; not part of the per-sentence cost
        for label, rows in sets:
            start = time.perf_counter()
            k, d, pk, pd = score(predict, rows)
            ms = (time.perf_counter() - start) * 1000 / len(rows)
            print(f"{name:<16}{label:<6}{k:>8.1%}{d:>11.1%}{ms:>13.2f}")
            results.append((name, label, k, d, ms))
            details[(name, label)] = (pk, pd)
    pk, pd = details[("lexicon+model", "eval")]
    print("\nshipped method on the held-out set, per kind:")
    for kind in ("problem", "cause", "measure", "other"):
        print(f"  {kind:<8} {pk.get(kind, '-')}")
    print("per dimension:")
    for dim, value in pd.items():
        print(f"  {dim:<6} {value}")
    return results


if __name__ == "__main__":
    main()
