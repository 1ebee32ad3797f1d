"""Rules across files: 雷同 in a stack of members' drafts (rule 1) and the meeting's set (rule 7).

Each file is reduced, where it was read, to a :class:`Digest` (its sentences as
Chinese characters, opening, closing, and the set's problems and ledger), so
that the stack is compared in one pass over an index of sentences: linear in
the number of drafts.  A sentence counts as shared by its exact characters; two
drafts also match on a sentence that keeps its first or last 12 characters (a
copy touched up in the middle).  Pairs are counted only through sentences
found in at most ``PAIR_CAP`` drafts: a copied draft shares sentences no one
else wrote, while a sentence in many drafts is reported as such, once, instead
of as thousands of pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator.check.metrics import long_sentences, shared_shares
from generator.check.model import FileReport, Finding, Shared, Similar, excerpt, param
from generator.check.reviewer import PERSONAL, PROBLEM_LIST, RECTIFICATION, UNIT_KINDS, doc_kind
from generator.doctree import Paragraph, Signature, Subtitle, Table
from generator.ooxml.reader import ReadDocx, Source
from generator.render import PLACEHOLDER_RE
from generator.text import han_only

PAIR_CAP = 8
_EDGE = 12  # characters kept at either end for the touched-up match
_KIND_WORDS_RE = re.compile(r"个人对照检查材料|对照检查材料|问题清单|整改方案|整改台账|检视剖析材料")

Place = Callable[[Source], str]


@dataclass(frozen=True)
class Sentence:
    key: str  # Chinese characters only
    shown: str
    where: str
    paragraph: int | None


@dataclass
class Digest:
    """What the cross-file rules need of one file."""

    file: str
    kind: str
    group: str  # unit and meeting: the set a unit material belongs to
    author: str
    sentences: list[Sentence] = field(default_factory=list)
    opening: Sentence | None = None
    closing: Sentence | None = None
    listed: list[Sentence] = field(default_factory=list)  # a problem list's problems
    body: str = ""  # Chinese characters of the body (plan and committee's material)
    ledger: str = ""  # Chinese characters of the ledger's problem column


def _sentences(text: str, where: str, paragraph: int | None, shortest: int) -> list[Sentence]:
    return [Sentence(s.key, s.shown, where, paragraph) for s in long_sentences(text, shortest)]


def digest(read: ReadDocx, place: Place) -> Digest:
    doc = read.document
    kind = doc_kind(doc)
    group = "｜".join(x for x in (doc.meta.get("unit", ""), doc.meta.get("meeting", "")) if x) \
        or _KIND_WORDS_RE.sub("", doc.title.text).strip()
    who = doc.meta.get("name", "") or "".join(
        b.name for b in doc.blocks if isinstance(b, Signature)) or "".join(
        b.text for b in doc.blocks if isinstance(b, Subtitle))
    out = Digest(read.path, kind, group, who)
    shortest = int(param("shared-sentence", "min_han"))
    paragraphs = [s for s in read.sources if s.table is None and s.block is not None
                  and s.block < len(doc.blocks) and isinstance(doc.blocks[s.block], Paragraph)]
    for src in paragraphs:
        out.sentences.extend(_sentences(src.text, place(src), src.number or None, shortest))
    if paragraphs:
        first = _sentences(paragraphs[0].text, place(paragraphs[0]), paragraphs[0].number, 6)
        last = _sentences(paragraphs[-1].text, place(paragraphs[-1]), paragraphs[-1].number, 6)
        out.opening = first[0] if first else None
        out.closing = Sentence(han_only(PLACEHOLDER_RE.sub("", paragraphs[-1].text)), paragraphs[-1].text,
                               place(paragraphs[-1]), paragraphs[-1].number) if last else None
    if kind in UNIT_KINDS:
        out.body = han_only("".join(s.text for s in paragraphs))
        for t, block in enumerate((b for b in doc.blocks if isinstance(b, Table)), 1):
            headers = [c.header for c in block.columns]
            column = next((i for i, x in enumerate(headers) if "问题" in x), None)
            if column is None:
                continue
            for r, row in enumerate(block.rows, 2):
                cell = "".join(s.text for s in row[column]) if column < len(row) else ""
                if kind == PROBLEM_LIST:
                    title = re.split(r"[。；！？]", PLACEHOLDER_RE.sub("", cell), maxsplit=1)[0]
                    if len(han_only(title)) >= 4:
                        out.listed.append(Sentence(han_only(title), title, f"第 {t} 个表格第 {r} 行", None))
                else:
                    out.ledger += han_only(cell) + "|"
    return out


def check_ledger(read: ReadDocx) -> list[Finding]:
    """Each row of a ledger (a table with 责任人 or 完成时限 columns) names its owner and deadline."""
    out: list[Finding] = []
    tables = [b for b in read.document.blocks if isinstance(b, Table)]
    for t, table in enumerate(tables, 1):
        headers = [c.header for c in table.columns]
        owner = next((i for i, x in enumerate(headers) if "责任" in x), None)
        deadline = next((i for i, x in enumerate(headers) if re.search(r"时限|期限|完成时间", x)), None)
        for r, row in enumerate(table.rows, 2):
            if not any("".join(s.text for s in cell).strip() for cell in row):
                continue
            for column, rule, what in ((owner, "ledger-owner", "责任人"), (deadline, "ledger-deadline", "完成时限")):
                if column is None:
                    continue
                text = "".join(s.text for s in row[column]) if column < len(row) else ""
                if not han_only(PLACEHOLDER_RE.sub("", text)) and not re.search(r"\d", text):
                    where = f"第 {t} 个表格第 {r} 行第 {column + 1} 列"
                    shown = excerpt("".join(s.text for s in row[1]) if len(row) > 1 else "")
                    out.append(Finding(rule, f"整改台账第 {r - 1} 项没有写{what}", where, None, shown))
    return out


def _eligible(a: Digest, b: Digest) -> bool:
    """Two members' drafts of one kind; never two documents of one unit's set, nor two versions of one author."""
    if a.kind != b.kind:
        return False
    if a.kind == PERSONAL:
        return not (a.author and a.author == b.author)
    return a.group != b.group


def stack_rules(digests: Sequence[Digest], reports: dict[str, FileReport], disabled: frozenset[str]
                ) -> tuple[list[Similar], list[Shared]]:
    """雷同 across the stack and the set's correspondence; findings are added to ``reports``."""
    similar: list[Similar] = []
    shared: list[Shared] = []
    shares = shared_shares([[s.key for s in d.sentences] for d in digests],
                           lambda i, j: _eligible(digests[i], digests[j]))
    for d, share in zip(digests, shares, strict=True):
        reports[d.file].shared_share = share
    if len(digests) > 1:
        similar, shared = _look_alike(digests, reports, disabled)
    if "set-unanswered" not in disabled:
        _the_set(digests, reports)
    return similar, shared


def _look_alike(digests: Sequence[Digest], reports: dict[str, FileReport], disabled: frozenset[str]
                ) -> tuple[list[Similar], list[Shared]]:
    exact: dict[str, list[int]] = defaultdict(list)
    fuzzy: dict[str, set[int]] = defaultdict(set)
    for i, d in enumerate(digests):
        for key in dict.fromkeys(s.key for s in d.sentences):
            exact[key].append(i)
            fuzzy["<" + key[:_EDGE]].add(i)
            fuzzy[">" + key[-_EDGE:]].add(i)
    # Per sentence: in how many members' drafts.
    # Openings and closings are rules of their own: their sentences are not listed again here.
    shown: dict[str, Sentence] = {}
    for d in digests:
        edges = {x.paragraph for x in (d.opening, d.closing) if x is not None}
        for s in d.sentences:
            if s.paragraph not in edges:
                shown.setdefault(s.key, s)
    by_key = [{s.key: s for s in reversed(d.sentences)} for d in digests]
    shared: list[Shared] = []
    per_file: dict[int, list[tuple[Sentence, int]]] = defaultdict(list)
    for key, docs in exact.items():
        if len(docs) < 2 or key not in shown:
            continue
        first = digests[docs[0]]
        members = [i for i in docs if i == docs[0] or _eligible(first, digests[i])]
        authors = {digests[i].author or digests[i].file for i in members}
        if len(members) < 2 or len(authors) < 2:
            continue
        shared.append(Shared(shown[key].shown, tuple(digests[i].file for i in members)))
        for i in members:
            per_file[i].append((by_key[i][key], len(members)))
    shared.sort(key=lambda s: (-len(s.files), s.sentence))
    if "shared-sentence" not in disabled:
        for i, found in per_file.items():
            found.sort(key=lambda x: -x[1])
            top, count = found[0]
            reports[digests[i].file].findings.append(Finding(
                "shared-sentence", f"有 {len(found)} 句话也出现在其他党员的材料中（本文长句的 "
                f"{reports[digests[i].file].shared_share * 100:.0f}%），最多的一句见于 {count} 份材料："
                f"“{excerpt(top.shown, 0, 40)}”", top.where, top.paragraph, excerpt(top.shown)))
    # Pairs, through sentences found in few drafts.
    matched: dict[tuple[int, int], set[str]] = defaultdict(set)
    keys_of: list[dict[str, str]] = [{} for _ in digests]
    for i, d in enumerate(digests):
        for s in d.sentences:
            keys_of[i]["<" + s.key[:_EDGE]] = s.key
            keys_of[i][">" + s.key[-_EDGE:]] = s.key
    for key, near in fuzzy.items():
        if not 2 <= len(near) <= PAIR_CAP:
            continue
        ordered = sorted(near)
        for x, i in enumerate(ordered):
            for j in ordered[x + 1:]:
                if _eligible(digests[i], digests[j]):
                    matched[(i, j)].add(keys_of[i][key])
                    matched[(j, i)].add(keys_of[j][key])
    threshold = param("similar-pair", "threshold")
    similar: list[Similar] = []
    sizes = [sum(len(k) for k in {s.key for s in d.sentences}) or 1 for d in digests]
    for (i, j), keys in matched.items():
        if i > j:
            continue
        share_i = sum(len(k) for k in keys) / sizes[i]
        share_j = sum(len(k) for k in matched[(j, i)]) / sizes[j]
        if max(share_i, share_j) >= threshold:
            passages = sorted((s.shown for s in digests[i].sentences if s.key in keys), key=len, reverse=True)[:3]
            similar.append(Similar(digests[i].file, digests[j].file, share_i, share_j, tuple(passages)))
    similar.sort(key=lambda s: (-s.share, s.a, s.b))
    if "similar-pair" in disabled:
        similar = []
    for pair in similar:
        for file, other, share in ((pair.a, pair.b, pair.share_a), (pair.b, pair.a, pair.share_b)):
            reports[file].findings.append(Finding(
                "similar-pair", f"与 {other} 雷同：本文 {share * 100:.0f}% 的句子在对方材料中也有", "", None,
                excerpt(pair.passages[0]) if pair.passages else ""))
    for rule, attr in (("same-opening", "opening"), ("same-closing", "closing")):
        if rule in disabled:
            continue
        groups: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(digests):
            edge = getattr(d, attr)
            if edge is not None and len(edge.key) >= 6:
                groups[edge.key].append(i)
        for docs in groups.values():
            members = [i for i in docs if i == docs[0] or _eligible(digests[docs[0]], digests[i])]
            if len(members) < 2:
                continue
            for i in members:
                edge = getattr(digests[i], attr)
                what = "开头" if rule == "same-opening" else "结尾"
                reports[digests[i].file].findings.append(Finding(
                    rule, f"{what}与另外 {len(members) - 1} 份材料相同", edge.where, edge.paragraph,
                    excerpt(edge.shown)))
    return similar, shared


def _the_set(digests: Sequence[Digest], reports: dict[str, FileReport]) -> None:
    """Each problem of a unit's list is answered in its plan and the plan's ledger (and named in its material)."""
    by_group: dict[str, dict[str, Digest]] = defaultdict(dict)
    for d in digests:
        if d.kind in UNIT_KINDS:
            by_group[d.group].setdefault(d.kind, d)
    for members in by_group.values():
        listed = members.get(PROBLEM_LIST)
        plan = members.get(RECTIFICATION)
        if listed is None or plan is None:
            continue
        names = {"整改方案": plan.body, "整改台账": plan.ledger}
        committee = members.get("collective")
        if committee is not None:
            names["班子对照检查材料"] = committee.body
        for problem in listed.listed:
            probe = problem.key[:16]
            missing = [name for name, text in names.items() if text and probe not in text]
            if missing:
                reports[listed.file].findings.append(Finding(
                    "set-unanswered", f"问题“{excerpt(problem.shown, 0, 30)}”在{'、'.join(missing)}中没有对应"
                    f"（{plan.file}）", problem.where, None, excerpt(problem.shown)))
