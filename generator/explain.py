"""The ``--explain`` report: which bank entries each draft uses and why, and how alike the drafts are.

Made from the run itself: each draft's part (:class:`Explained`) is taken where the draft was composed
and rendered — in a worker, with several jobs — and travels back with it, so the report costs no second
composition or rendering of the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.spec import Spec

EXPLAIN_NAME = "选材说明.txt"
MAX_PAIRWISE = 300  # beyond this many drafts the pairwise figures cost more than the batch


@dataclass(frozen=True)
class Explained:
    """One draft's part of the report: a line per chosen entry, and the text similarity is measured on."""

    lines: tuple[str, ...]
    compared: str = ""


def explain_draft(draft: Any, doc: Any, bank: Any, *, compare: bool) -> Explained:
    """The report's part for one composed and rendered draft."""
    from generator.similarity import compared_text

    lines = []
    for c in draft.explain:
        phrase = bank.get(c.phrase_id)
        title = phrase.title if phrase else c.phrase_id
        lines.append(f"  {c.section}｜{c.area}｜{title}｜来源 {c.source}｜{c.reason}")
    return Explained(tuple(lines), compared_text(doc) if compare else "")


def report(spec: Spec, parts: Sequence[tuple[str, Explained]], *, total: int, skipped: int = 0) -> str:
    """The whole report from the parts of the drafts written (file name and part), in spec order.

    ``total`` is the number of drafts of the batch; drafts skipped as present (``--skip-existing``)
    were not composed in this run and are not described, which the report says.
    """
    from generator import __version__
    from generator.similarity import pairwise, sentence_spread

    lines = [f"选材说明（draftgen {__version__}；配置 {spec.source}；种子 {spec.seed}）", ""]
    for name, part in parts:
        lines.append(name)
        lines.extend(part.lines)
        lines.append("")
    texts = [part.compared for _, part in parts]
    if len(parts) >= 2 and total <= MAX_PAIRWISE:
        shares = pairwise(texts)
        i, j, top = max(shares, key=lambda s: s[2])
        mean = sum(s for _, _, s in shares) / len(shares)
        spread = max(sentence_spread(texts).values(), default=0)
        lines.insert(1, f"两两相似度（问题、原因、措施部分8字片段的重合比例）：最高 {top:.2f}"
                        f"（{parts[i][0]} 与 {parts[j][0]}），平均 {mean:.2f}；"
                        f"同一个20字以上的句子最多出现在 {spread} 份初稿中。")
    elif total > MAX_PAIRWISE:
        lines.insert(1, f"人数超过 {MAX_PAIRWISE}，未计算两两相似度。")
    if skipped:
        lines.insert(1, f"本次跳过了已存在的 {skipped} 份初稿，未重新生成，以下只说明本次写出的 {len(parts)} 份。")
    return "\n".join(lines) + "\n"
