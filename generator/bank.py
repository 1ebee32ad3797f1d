"""The phrase bank: problem statements, cause analyses and measures, by dimension.

The YAML in ``phrasebank/`` is the source of truth people review:

* ``mined/*.yaml`` is written by ``draftgen mine`` (re-mining replaces it);
* ``curated/*.yaml`` holds hand-made ``add`` / ``fix`` / ``remove`` operations that
  are applied on top, so curation survives re-mining.

Parsing YAML is slow (seconds for a large bank), so :func:`load_bank` keeps a
compiled copy in the user's cache folder keyed by a hash of the YAML bytes and
rebuilds it only when a file changes.  The copy is a ``marshal`` of plain tuples
(a few ms to load; JSON plus keyword construction took three times as long).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from generator import register
from generator.errors import InputError, Location, Problem
from generator.fsio import cache_dir, read_bounded, special_kind, write_cache_file
from generator.text import alternatives_problem, plain_alternatives
from generator.yamlio import MAX_BYTES, Loaded

KINDS = ("problem", "cause", "measure")
CACHE_VERSION = 8  # 4: who-may-say-it fields; 5: {甲|乙} checked; 6: fixes settle the miner's wording flags;
# 7: each entry's register judgement (see :func:`judge`) kept beside it; 8: rank_max
# Flags about what a text refers to (a stale year, someone else's figures) or who may say it (register, set by
# a person).  Every other flag is the miner's doubt about the mined wording itself (no title, a fragment…),
# settled by a fix of title or text.
REFERENCE_FLAGS = ("dated", "specific", "register")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One bank entry.

    ``group`` links entries mined from one article (its problem, cause and
    measure sections belong together); ``answers`` lists ids of problems a
    cause or measure answers directly; ``flags`` marks entries that must not
    reach a draft unchosen (``dated`` for stale years, places or people,
    ``specific`` for someone else's figures and units, and the miner's review
    flags such as ``no-title`` or ``fragment``, listed with their reasons in
    ``generator/mining/gate.py``: a curated ``fix`` of title or text settles those).

    Who may say it (reviewers send back a draft whose words do not fit its author):

    * ``voice``: ``self`` (only a member about themself: 本人, 我), ``branch`` (only
      the branch committee: 我们, 支部班子), ``any`` (no subject; either voice), or
      ``organisation`` (a unit writing about others: 一些支部…, 要…; never in a
      self-review or a committee's material, only in a unit's analysis report).
      Mined entries may also say ``members`` (third party, read as organisation);
      empty when unknown.
    * ``rank``: the lowest rank that can say it: ``member`` (anyone, the default),
      ``cadre`` (a post of responsibility: 科长, 主任, 支部委员…), ``leader``
      (分管 duties).
    * ``rank_max``: the highest rank that can say it, for words only the rank and file
      say of themself ("难题是管理人员的事", "听从上面安排"): ``member`` keeps the entry
      from cadres and leaders; empty means no ceiling.
    * ``settings``: where the author works or lives, any of ``office`` (机关 back
      office), ``service`` (public-facing: 窗口, 社区, 热线), ``rural``, ``school``,
      ``enterprise``, ``health``, ``retired``, ``away`` (working away from the
      branch); empty means it fits every setting.
    * ``posts``: words of a post the entry is written for (人事, 财务, 教师…);
      such an entry is preferred for a member whose post contains one.
    * ``duty``: ``secretary`` (第一责任人) or ``committee`` (一岗双责): only for
      members holding that duty.

    ``titles`` are alternative run-in titles with the same meaning; ``variants``
    alternative whole texts.  ``title`` and ``text`` may hold clause-level
    alternatives written ``{甲|乙}`` (no nesting; every option grammatical in place),
    so one entry reads differently in different members' drafts.
    """

    id: str
    kind: str
    dimension: str
    text: str
    title: str = ""
    source: str = ""
    group: str = ""
    answers: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    voice: str = ""
    rank: str = ""
    settings: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    duty: str = ""
    titles: tuple[str, ...] = ()
    rank_max: str = ""

    def to_yaml_dict(self) -> dict[str, Any]:
        """Plain mapping for YAML output, leaving out empty optional fields."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in ("", ()) and f.name not in ("id", "kind", "dimension", "text"):
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


# What an entry's wording says about who may say it (templates/rules/register.yaml): whether it speaks as the
# organisation, the rank it assumes, the settings it assumes.
Judgement = tuple[bool, str, tuple[str, ...]]


def judge(phrase: Phrase) -> Judgement:
    """The register judgement of an entry's wording (first options of its ``{甲|乙}`` groups)."""
    return _judge_text(plain_alternatives(phrase.title + phrase.text))


@cache
def _judge_text(text: str) -> Judgement:
    return register.speaks_as_organisation(text), register.rank_needed(text), register.settings_assumed(text)


@dataclass
class Bank:
    """All entries, with indexes built on first use.

    ``judged`` holds each entry's :func:`judge`, kept in the compiled cache: reading every entry for its
    register at each run took a tenth of a one-draft batch (and compiling the rules, more).
    """

    entries: tuple[Phrase, ...]
    digest: str = ""
    judged: dict[str, Judgement] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Phrase] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.entries}

    def judgement(self, phrase: Phrase) -> Judgement:
        """:func:`judge` of ``phrase``, from the cache when it is this bank's entry."""
        found = self.judged.get(phrase.id)
        if found is None or self._by_id.get(phrase.id) is not phrase:
            found = judge(phrase)
        return found

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Phrase]:
        return iter(self.entries)

    def get(self, phrase_id: str) -> Phrase | None:
        return self._by_id.get(phrase_id)

    @cached_property
    def _index(self) -> dict[tuple[str, str], tuple[Phrase, ...]]:
        index: dict[tuple[str, str], list[Phrase]] = {}
        for p in self.entries:
            index.setdefault((p.kind, p.dimension), []).append(p)
        return {k: tuple(v) for k, v in index.items()}

    def select(self, kind: str, dimension: str, *, include_flagged: bool = False) -> tuple[Phrase, ...]:
        """Entries of one kind and dimension, in bank order; flagged ones only on request."""
        found = self._index.get((kind, dimension), ())
        if include_flagged:
            return found
        return tuple(p for p in found if not p.flags)


# --------------------------------------------------------------------------- loading


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for sub in ("mined", "curated") for p in (root / sub).glob("*.yaml"))


def _digest(files: Iterable[Path]) -> str:
    """The cache key of a bank: its files' names and contents, each read once and bounded.

    A bank file must be a regular file: a FIFO would give its content to this read and none to the
    load after it, and a device may never end.
    """
    h = hashlib.sha256(str(CACHE_VERSION).encode())
    for path in files:
        kind = special_kind(path)
        if kind is not None and kind != "文件夹":  # a folder gets its own message from the read
            raise InputError(f"词库文件 {path} 是{kind}，不是普通文件")
        h.update(path.name.encode())
        h.update(read_bounded(path, MAX_BYTES, what="词库文件"))
    return h.hexdigest()[:20]


_TUPLE_FIELDS = ("answers", "flags", "variants", "settings", "posts", "titles")


def _field_values(raw: Any, where: Location) -> dict[str, Any]:
    """Fields of one entry (or of a ``fix``), each checked for its type: text, or a list of texts."""
    if not isinstance(raw, Mapping):
        raise InputError("词库条目格式有误", [Problem("每个条目应写成“字段: 值”的映射", where)])
    known = {f.name for f in fields(Phrase)}
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise InputError("词库条目有未知字段", [Problem(f"未知字段 {', '.join(unknown)}", where)])
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _TUPLE_FIELDS:
            items = [] if value is None else value if isinstance(value, list) else [value]
            if not all(isinstance(x, str) for x in items):
                raise InputError("词库条目格式有误", [Problem(f"{key} 应为文字或文字的列表", where)])
            values[key] = tuple(items)
        elif value is None or isinstance(value, str):
            values[key] = value or ""
        else:
            raise InputError("词库条目格式有误", [Problem(f"{key} 应为一段文字", where)])
    return values


def _phrase_from(raw: Any, where: Location) -> Phrase:
    values = _field_values(raw, where)
    missing = [k for k in ("id", "kind", "dimension", "text") if not values.get(k)]
    if missing:
        raise InputError("词库条目缺少字段", [Problem(f"缺少 {', '.join(missing)}", where)])
    _check_alternatives(values, where)
    return Phrase(**values)


def _check_alternatives(values: Mapping[str, Any], where: Location) -> None:
    """``{甲|乙}`` groups must parse: a bad one would print braces into a member's draft."""
    for key in ("title", "text", "titles", "variants"):
        value = values.get(key)
        for text in value if isinstance(value, tuple) else (value,) if value else ():
            why = alternatives_problem(text)
            if why:
                entry = values.get("id") or "（无编号）"
                raise InputError(f"词库条目 {entry} 的 {key} 写法有误", [Problem(why, where)])


def _read_yaml(path: Path) -> Loaded:
    """A bank file through the same safe loader as specs (limits, tags, Chinese errors with lines)."""
    from generator.yamlio import load_yaml

    return load_yaml(path, what="词库文件", allow_empty=True)


def _list(loaded: Loaded, key: str) -> list[Any]:
    value = loaded.data.get(key) if isinstance(loaded.data, Mapping) else None
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"词库文件 {loaded.file} 有误", [Problem(f"{key} 应为列表", loaded.where((key,)))])
    return value


def _apply_curation(entries: dict[str, Phrase], loaded: Loaded) -> None:
    """Apply one curated file: ``add`` new entries, ``fix`` fields of existing ones, ``remove`` ids."""
    for i, raw in enumerate(_list(loaded, "add")):
        phrase = _phrase_from(raw, loaded.where(("add", i)))
        entries[phrase.id] = phrase
    for i, raw in enumerate(_list(loaded, "fix")):
        changes = _field_values(raw, loaded.where(("fix", i)))
        _check_alternatives(changes, loaded.where(("fix", i)))
        target = entries.get(changes.pop("id", ""))
        if target is None:
            continue  # the mined entry is gone after re-mining; the fix no longer applies
        if ("title" in changes or "text" in changes) and "flags" not in changes:
            # A person rewrote the mined wording: the miner's doubts about it no longer apply.
            changes["flags"] = tuple(f for f in target.flags if f in REFERENCE_FLAGS)
        entries[target.id] = replace(target, **changes)
    for i, raw in enumerate(_list(loaded, "remove")):
        pid = raw.get("id") if isinstance(raw, Mapping) else raw
        if not isinstance(pid, str):
            raise InputError(f"词库整理文件 {loaded.file} 有误",
                             [Problem("remove 的每一项应为条目编号", loaded.where(("remove", i)))])
        entries.pop(pid, None)


def _compile(root: Path) -> list[Phrase]:
    entries: dict[str, Phrase] = {}
    for path in sorted((root / "mined").glob("*.yaml")):
        loaded = _read_yaml(path)
        bare = isinstance(loaded.data, list)  # a bare list of entries
        items = loaded.data if bare else _list(loaded, "entries")
        for i, raw in enumerate(items):
            phrase = _phrase_from(raw, loaded.where((i,) if bare else ("entries", i)))
            entries[phrase.id] = phrase
    for path in sorted((root / "curated").glob("*.yaml")):
        loaded = _read_yaml(path)
        if loaded.data is not None and not isinstance(loaded.data, Mapping):
            raise InputError(f"词库整理文件 {path} 应为映射（add / fix / remove）")
        _apply_curation(entries, loaded)
    return list(entries.values())


def load_bank(root: Path | None = None, *, use_cache: bool = True, extra: Sequence[Path] = ()) -> Bank:
    """Load the bank under ``root`` (default: the packaged ``phrasebank/``), via the compiled cache.

    ``extra`` banks (a user's own mined and curated folders) are added on top; an entry with the
    same id in a later bank replaces the earlier one.
    """
    base = _load_one(root, use_cache)
    if not extra:
        return base
    merged = {p.id: p for p in base.entries}
    judged = dict(base.judged)
    digests = [base.digest]
    for folder in extra:
        if not (folder / "mined").is_dir() and not (folder / "curated").is_dir():
            raise InputError(f"{folder} 不是词库文件夹（里面应有 mined/ 或 curated/，可用 draftgen mine 生成）")
        bank = _load_one(folder, use_cache)
        merged.update((p.id, p) for p in bank.entries)
        judged.update(bank.judged)
        digests.append(bank.digest)
    return Bank(tuple(merged.values()), "+".join(digests), judged)


def _load_one(root: Path | None, use_cache: bool) -> Bank:
    from generator.resources import phrasebank_dir, templates_dir

    if root is None:
        root = phrasebank_dir()
    # the register rules judge the entries: a change to them compiles the bank again
    files = _yaml_files(root)
    digest = _digest([*files, templates_dir() / register.RULES_FILE])
    # marshal's format belongs to the Python version that wrote it
    folder = cache_dir()
    cache_file = folder / f"bank-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal" if folder else None
    if use_cache and cache_file is not None:
        try:
            names, rows, judgements = marshal.loads(cache_file.read_bytes())
            if names == _FIELDS:
                entries = tuple(Phrase(*row) for row in rows)
                judged = {p.id: (o, r, s) for p, (o, r, s) in zip(entries, judgements, strict=True)}
                return Bank(entries, digest, judged)
        except (OSError, ValueError, EOFError, TypeError, AttributeError):
            pass  # missing, damaged or from another layout: compile again
    phrases = _compile(root)
    judged = {p.id: judge(p) for p in phrases}
    if use_cache and cache_file is not None:
        write_cache_file(cache_file, marshal.dumps((_FIELDS, [tuple(getattr(p, f) for f in _FIELDS) for p in phrases],
                                                [judged[p.id] for p in phrases])))
    return Bank(tuple(phrases), digest, judged)


_FIELDS = tuple(f.name for f in fields(Phrase))
