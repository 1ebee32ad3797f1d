"""The chains a draft was composed with (which cause and which measure answers which problem), kept in the .docx.

The composer knows every chain; a reader of the text alone can only guess them from shared words, and the
guess misses links a reviewer sees at once.  So the writer records them in a custom document property,
``draftgen.chains``: a compact JSON of the problems' keys and, per cause and per measure, its key and the
indices of the problems it answers.

Why a custom property and not bookmarks: Word and WPS keep custom properties through editing and saving
(文件 › 属性 › 自定义), LibreOffice keeps them too (tests/test_check.py round-trips them), the author never sees
them in the text, and the reader already reads ``draftgen.*``.  Bookmarks sit in the body: they go with a
deleted paragraph, travel with a paragraph pasted into another draft and are split when Word rewrites runs.
A property can go stale instead, when the author rewrites an item; so each entry names its item by the
first Chinese characters of its title (its first clause), and ``check`` trusts an entry only while that key
is still found in an item of its kind.  Items the record no longer matches are judged by their words.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.text import han_only

if TYPE_CHECKING:  # the Draft model pulls in the bank; check reads records without it
    from generator.draft import Draft

META_KEY = "chains"  # the property is draftgen.chains
VERSION = 1
KEY_HAN = 10  # Chinese characters of a title kept as its key: enough to tell the items of one draft apart


def key(text: str) -> str:
    """The first Chinese characters of an item's title (or of its text when it has no title)."""
    return han_only(unicodedata.normalize("NFC", text))[:KEY_HAN]


def searchable(text: str) -> str:
    """What keys are looked for in: the item's Chinese characters, normalised as keys are."""
    return han_only(unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class Link:
    """A cause or measure: its key and the indices (into ``Chains.problems``) of the problems it answers."""

    key: str
    answers: tuple[int, ...]


@dataclass(frozen=True)
class Chains:
    problems: tuple[str, ...]
    causes: tuple[Link, ...]
    measures: tuple[Link, ...]


def chains_of(draft: Draft) -> Chains:
    """The draft's chains, in the order its template prints problems, causes and measures."""
    problems = list(draft.problems)
    keys = tuple(key(p.title or p.text) for p in problems)
    index: dict[str, list[int]] = {}
    for i, p in enumerate(problems):
        if p.title:
            index.setdefault(p.title, []).append(i)

    def link(title: str, text: str, answers: Sequence[str]) -> Link:
        found = sorted({i for t in answers for i in index.get(t, ())})
        return Link(key(title or text), tuple(found))

    causes = tuple(link(c.title, c.text, c.answers) for c in draft.causes)
    measures = tuple(link(m.title, m.text, m.answers) for g in draft.measures for m in g.items)
    return Chains(keys, causes, measures)


def record(chains: Chains) -> str:
    """Compact JSON for the document property (deterministic: same chains, same text)."""
    data = {"v": VERSION, "p": list(chains.problems),
            "c": [[c.key, list(c.answers)] for c in chains.causes],
            "m": [[m.key, list(m.answers)] for m in chains.measures]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def parse(text: str) -> Chains | None:
    """The record read back; ``None`` when it is missing, of another version or not what we wrote."""
    if not text:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            return None
        problems = tuple(str(p) for p in data["p"])

        def links(rows: list[list[object]]) -> tuple[Link, ...]:
            out = []
            for k, answers in rows:
                if not isinstance(answers, list):
                    raise TypeError
                out.append(Link(str(k), tuple(int(a) for a in answers if 0 <= int(a) < len(problems))))
            return tuple(out)

        return Chains(problems, links(data["c"]), links(data["m"]))
    except (ValueError, TypeError, KeyError):
        return None


def _match(keys: Sequence[str], texts: Sequence[str]) -> list[int | None]:
    """For each text, the recorded entry whose key it still contains: the one at its own place first,
    else the first unused one (the author may have moved items).  ``None``: no entry matches any more."""
    used: set[int] = set()
    out: list[int | None] = []
    for i, text in enumerate(texts):
        hit: int | None = None
        if i < len(keys) and keys[i] and keys[i] in text:
            hit = i
        else:
            hit = next((j for j, k in enumerate(keys) if k and j not in used and k in text), None)
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out


@dataclass(frozen=True)
class Resolved:
    """The record laid over a document's items as they read now.

    ``causes[i]`` / ``measures[i]``: indices of the document's problems that item answers by the record, or
    ``None`` when the record no longer speaks for it (the item or every problem it answered was rewritten).
    """

    causes: tuple[tuple[int, ...] | None, ...]
    measures: tuple[tuple[int, ...] | None, ...]


def resolve(chains: Chains, problems: Sequence[str], causes: Sequence[str], measures: Sequence[str]) -> Resolved:
    """Match recorded keys to the document's items (texts as :func:`searchable` gives them)."""
    where = _match(chains.problems, problems)
    doc_of = {j: i for i, j in enumerate(where) if j is not None}

    def answers(links: Sequence[Link], texts: Sequence[str]) -> tuple[tuple[int, ...] | None, ...]:
        out: list[tuple[int, ...] | None] = []
        for hit in _match([x.key for x in links], texts):
            found = tuple(sorted(doc_of[j] for j in links[hit].answers if j in doc_of)) if hit is not None else ()
            out.append(found or None)
        return tuple(out)

    return Resolved(answers(chains.causes, causes), answers(chains.measures, measures))
