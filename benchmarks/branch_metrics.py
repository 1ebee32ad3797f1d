"""How a branch's drafts read side by side: the figures a 组织部 reviewer's complaints come down to.

Run:  python benchmarks/branch_metrics.py OUT_DIR [--spec SPEC.yaml]

Reads every .docx in OUT_DIR (as written by ``draftgen batch``) and reports:

* sentences (≥ 12 Chinese characters, 【待补充…】 removed) found verbatim in another draft: the share per
  draft (mean, max) and how many sentences appear in more than two drafts;
* distinct openings (the first paragraph) and closings (the paragraph before the signature);
* register markers (templates/rules/register.yaml) in the problem, cause and measure sections: the
  organisation's voice anywhere, and — with ``--spec``, which says each member's role and post —
  rank and setting markers a member of that standing may not use;
* measures per problem (numbered items), Chinese characters per draft, and the share of 查摆问题 and
  剖析原因 (problem and cause items, and the causes' titles) in the text written (placeholders removed).

Sentences, shares, lengths, proportions and counts come from :mod:`generator.check.metrics`, the functions
``draftgen check`` calls for its rules and its ``--json`` figures, so the two never disagree on a draft
(tests/test_check_metrics.py proves it on a generated branch).

With ``--spec`` the member's own words (facts, problems, measures) do not count as shared (check cannot know
them, so there its share can be higher), and the drafts
are also composed in this process to count items that answer nothing (a cause or measure answering no
problem of its draft, a problem without a measure).  Nothing is asserted: tests/test_branch.py holds the
guarantees.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.check.metrics import body_paragraphs, figures, items, long_sentences, shared_shares  # noqa: E402
from generator.check.model import param  # noqa: E402
from generator.doctree import Document, Heading  # noqa: E402
from generator.ooxml.reader import read_docx  # noqa: E402
from generator.register import markers  # noqa: E402
from generator.render import PLACEHOLDER_RE  # noqa: E402
from generator.text import han_only  # noqa: E402

LONG = int(param("shared-sentence", "min_han"))  # check's rule: the same sentences, counted the same way


@dataclass
class Read:
    """One draft as the metrics see it: the figures check computes, and the text of its sections."""

    name: str
    opening: str = ""
    closing: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)  # problems | causes | measures (items' text)
    last_year: bool = False
    sentences: set[str] = field(default_factory=set)  # keys of its long sentences (generator.check.metrics)
    han: int = 0
    share: float = 0.0
    problems: int = 0
    measures: int = 0


def read(path: Path) -> Read:
    docx = read_docx(path)
    doc: Document = docx.document
    found = items(docx)
    measured = figures(doc, found)
    paragraphs = body_paragraphs(doc)
    out = Read(path.stem, han=measured.length, share=measured.share, problems=measured.problems,
               measures=measured.measures)
    out.opening = paragraphs[0] if paragraphs else ""
    out.closing = paragraphs[-1] if paragraphs else ""
    for item in found:
        out.sections.setdefault(item.kind, []).append(item.text)
    out.last_year = any(isinstance(b, Heading) and b.level == 1 and "上年度" in b.text for b in doc.blocks)
    out.sentences = {s.key for p in paragraphs for s in long_sentences(p, LONG)}
    return out


def sentences(text: str) -> list[str]:
    return [s.key for s in long_sentences(text, LONG)]


def own_sentences(spec_path: Path | None) -> dict[str, set[str]]:
    """Sentences each member wrote themself (facts, problems, causes, measures, own wording), by name."""
    if spec_path is None:
        return {}
    from generator.spec import load_spec

    spec = load_spec(spec_path)
    out: dict[str, set[str]] = {}
    for p in spec.people:
        texts = [t for ts in (*p.facts.values(), *p.problems.values(), *p.measures.values()) for t in ts]
        texts += [*p.causes, *(str(v) for v in p.wording.values() if isinstance(v, str))]
        out[p.name] = {s for t in texts for s in sentences(t)} | {han_only(t) for t in texts}
    return out


def _owner(name: str, owners: Sequence[str]) -> str:
    """The member a file belongs to (file names start with the name by default)."""
    return next((o for o in sorted(owners, key=len, reverse=True) if name.startswith(o)), "")


def report(folder: Path, spec_path: Path | None) -> dict[str, float]:
    drafts = [read(p) for p in sorted(folder.glob("*.docx"))]
    if not drafts:
        raise SystemExit(f"{folder} 中没有 .docx 文件")
    own = own_sentences(spec_path)
    per_draft: list[set[str]] = []
    for d in drafts:
        mine = own.get(_owner(d.name, list(own)), set())
        found = d.sentences
        per_draft.append({s for s in found if not any(s in m or m in s for m in mine if len(m) >= LONG)}
                         if mine else found)
    shares = shared_shares(per_draft)
    spread = Counter(s for found in per_draft for s in found)
    over = sorted((s for s, n in spread.items() if n > 2), key=lambda s: -spread[s])
    out: dict[str, float] = {
        "drafts": len(drafts),
        "shared_sentence_share_mean": statistics.mean(shares),
        "shared_sentence_share_max": max(shares),
        "sentences_in_more_than_two_drafts": len(over),
        "distinct_openings": len({d.opening for d in drafts}),
        "distinct_closings": len({d.closing for d in drafts}),
    }
    han = [d.han for d in drafts]
    ratios = [d.measures / d.problems for d in drafts if d.problems]
    out.update({
        "han_min": min(han), "han_mean": statistics.mean(han), "han_max": max(han),
        "problems_causes_share_min": min(d.share for d in drafts),
        "problems_causes_share_mean": statistics.mean(d.share for d in drafts),
        "measures_per_problem_mean": statistics.mean(ratios) if ratios else 0.0,
        "measures_per_problem_max": max(ratios, default=0.0),
        "last_year_section": sum(d.last_year for d in drafts),
    })
    out.update(_markers(drafts, spec_path))
    if spec_path is not None:
        out.update(_chains(spec_path))
    for key, value in out.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    for s in over[:10]:
        print(f"  in {spread[s]} drafts: {s}")
    return out


def _markers(drafts: Sequence[Read], spec_path: Path | None) -> dict[str, float]:
    """Register markers in the problem, cause and measure sections (rank and setting against the member)."""
    standings = {}
    if spec_path is not None:
        from generator.roles import standing
        from generator.spec import load_spec

        spec = load_spec(spec_path)
        standings = {p.name: standing(p.role, p.post, spec.setting) for p in spec.people}
    counts: Counter[str] = Counter()
    for d in drafts:
        text = PLACEHOLDER_RE.sub("", "".join(t for k in ("problems", "causes", "measures")
                                              for t in d.sections.get(k, [])))
        who = standings.get(_owner(d.name, list(standings)))
        for m in markers(text, "organisation"):
            counts["organisation_markers"] += 1
            print(f"  {d.name}: {m.rule}: …{m.excerpt(text)}…")
        if who is None:
            continue
        for m in markers(text, "rank"):
            if not who.outranks(m.rule):
                counts["rank_markers_above_member"] += 1
                print(f"  {d.name}（{who.rank}）: {m.rule}: …{m.excerpt(text)}…")
        for m in markers(text, "setting"):
            if who.setting != m.rule:
                counts["setting_markers_outside_setting"] += 1
                print(f"  {d.name}（{who.setting or '未知'}）: {m.rule}: …{m.excerpt(text)}…")
    return {k: counts[k] for k in ("organisation_markers", "rank_markers_above_member",
                                   "setting_markers_outside_setting")}


def _chains(spec_path: Path) -> dict[str, float]:
    """Items that answer nothing, composed in this process from the same spec."""
    from generator.bank import load_bank
    from generator.compose import compose
    from generator.spec import load_spec

    unanswered = 0
    for draft in compose(load_spec(spec_path), load_bank()):
        titles = {p.title for p in draft.problems}
        measured = {t for g in draft.measures for m in g.items for t in m.answers}
        unanswered += len(titles - measured)
        unanswered += sum(not (set(c.answers) & titles) for c in draft.causes)
        unanswered += sum(not (set(m.answers) & titles) for g in draft.measures for m in g.items)
    return {"items_answering_nothing_or_unanswered": unanswered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--spec", type=Path)
    args = parser.parse_args()
    report(args.folder, args.spec)


if __name__ == "__main__":
    main()
