"""The miner's reviewed data: the correction table and the cue lexicon.

Both are YAML beside the bank (``phrasebank/corrections.yaml``,
``phrasebank/cues.yaml``) so that reviewers change wording rules without
touching code; a user mining into ``--out DIR`` may put their own copies in DIR.
Loading goes through :mod:`generator.yamlio`, so a mistake in either file is
reported with its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.errors import InputError, Problem
from generator.yamlio import Loaded, load_yaml

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Corrections:
    """Repairs applied while cleaning; see the comments in ``corrections.yaml``."""

    markers: tuple[str, ...] = ()
    min_markers: int = 2
    suspects: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    rewrite: tuple[Pair, ...] = ()
    fixes: tuple[Pair, ...] = ()
    drops: tuple[Pair, ...] = ()  # (substring, reason)
    source: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Cues:
    """The classification lexicon; see the comments in ``cues.yaml`` (hashed by identity)."""

    kinds: dict[str, dict[str, float]]
    dimensions: dict[str, dict[str, float]]
    sections: dict[str, tuple[str, ...]]
    lead_in: tuple[str, ...]
    areas: dict[str, tuple[str, ...]]
    voice: dict[str, tuple[str, ...]]
    dated: tuple[str, ...]
    specific: tuple[str, ...]
    quotation: tuple[str, ...]
    other_threshold: float
    register: dict[str, dict[str, float]] = field(default_factory=dict)  # register family → kind → weight
    model: dict[str, float] = field(default_factory=dict)  # kind_weight, dimension_weight, temperature
    model_other: tuple[str, ...] = ()  # wording.yaml keys whose sentences teach the model `other`
    source: str = ""


def _fail(loaded: Loaded, path: tuple[str | int, ...], message: str) -> InputError:
    return InputError(f"{loaded.file} 有误", [Problem(message, loaded.where(path))])


def _strings(loaded: Loaded, path: tuple[str | int, ...], value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(loaded, path, "应为非空文字的列表")
    return tuple(value)


def _pairs(loaded: Loaded, path: tuple[str | int, ...], value: Any) -> tuple[Pair, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(loaded, path, "应为 [错误写法, 正确写法] 的列表")
    out: list[Pair] = []
    for i, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
            raise _fail(loaded, (*path, i), "每一项应写成 [错误写法, 正确写法]")
        out.append((pair[0], pair[1]))
    # Longest first, so that a specific repair wins over a general one.
    return tuple(sorted(out, key=lambda p: -len(p[0])))


def _mapping(loaded: Loaded, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A section that must be a mapping (absent means empty): a list there is the user's mistake, not ours."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(loaded, path, "应为映射（“名称: 内容”）")
    return value


def _weights(loaded: Loaded, path: tuple[str | int, ...], value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise _fail(loaded, path, "应为“提示词: 权重”的映射")
    out: dict[str, float] = {}
    for cue, weight in value.items():
        try:
            out[cue] = float(weight)
        except (TypeError, ValueError):
            raise _fail(loaded, (*path, cue), f"权重“{weight}”不是数字") from None
    return out


@cache
def load_corrections(path: Path) -> Corrections:
    """Read a correction table (cached per path)."""
    loaded = load_yaml(path, what="修正表")
    data = _mapping(loaded, (), loaded.data)
    rw = _mapping(loaded, ("rewritten",), data.get("rewritten"))
    ev = _mapping(loaded, ("everywhere",), data.get("everywhere"))
    drops: list[Pair] = []
    for i, raw in enumerate(ev.get("drop") or []):
        if not isinstance(raw, dict) or not raw.get("text"):
            raise _fail(loaded, ("everywhere", "drop", i), "每一项应写成 {text: 片段, why: 原因}")
        drops.append((str(raw["text"]), str(raw.get("why") or "人工标记为不可用")))
    try:
        min_markers = int(rw.get("min_markers") or 2)
    except ValueError:
        raise _fail(loaded, ("rewritten", "min_markers"), "应为整数") from None
    return Corrections(
        markers=_strings(loaded, ("rewritten", "markers"), rw.get("markers")),
        min_markers=min_markers,
        suspects=_strings(loaded, ("rewritten", "suspects"), rw.get("suspects")),
        keep=_strings(loaded, ("rewritten", "keep"), rw.get("keep")),
        rewrite=_pairs(loaded, ("rewritten", "replace"), rw.get("replace")),
        fixes=_pairs(loaded, ("everywhere", "replace"), ev.get("replace")),
        drops=tuple(drops),
        source=str(path),
    )


@cache
def load_cues(path: Path) -> Cues:
    """Read the cue lexicon (cached per path)."""
    from generator.taxonomy import dimension_ids

    loaded = load_yaml(path, what="提示词表")
    data = loaded.data
    if not isinstance(data, dict):
        raise _fail(loaded, (), "应为映射")

    def section(key: str) -> Any:
        return _mapping(loaded, (key,), data.get(key)).items()

    kinds = {k: _weights(loaded, ("kinds", k), v) for k, v in section("kinds")}
    for kind in ("problem", "cause", "measure", "other"):
        if kind not in kinds:
            raise _fail(loaded, ("kinds",), f"缺少类型 {kind}")
    dims = {d: _weights(loaded, ("dimensions", d), v) for d, v in section("dimensions")}
    valid = set(dimension_ids())
    for d in dims:
        if d not in valid:
            raise _fail(loaded, ("dimensions", d), f"未知维度“{d}”")
    sections = {k: _strings(loaded, ("sections", k), v) for k, v in section("sections")}
    areas = {d: _strings(loaded, ("areas", d), v) for d, v in section("areas")}
    voice = {v: _strings(loaded, ("voice", v), w) for v, w in section("voice")}
    register = {f: _weights(loaded, ("register", f), v) for f, v in section("register")}
    for family, votes in register.items():
        for kind in votes:
            if kind not in kinds:
                raise _fail(loaded, ("register", family, kind), f"未知类型“{kind}”")
    raw_model = _mapping(loaded, ("model",), data.get("model"))
    model_other = _strings(loaded, ("model", "other_from"), raw_model.get("other_from"))
    model = _weights(loaded, ("model",), {k: v for k, v in raw_model.items() if k != "other_from"})
    try:
        threshold = float(data.get("other_threshold") or 1.0)
    except ValueError:
        raise _fail(loaded, ("other_threshold",), "应为数字") from None
    return Cues(
        kinds=kinds,
        dimensions=dims,
        sections=sections,
        lead_in=_strings(loaded, ("lead_in",), data.get("lead_in")),
        areas=areas,
        voice=voice,
        dated=_strings(loaded, ("dated",), data.get("dated")),
        specific=_strings(loaded, ("specific",), data.get("specific")),
        quotation=_strings(loaded, ("quotation",), data.get("quotation")),
        other_threshold=threshold,
        register=register,
        model=model,
        model_other=model_other,
        source=str(path),
    )


def data_file(name: str, out_dir: Path | None = None) -> Path:
    """``out_dir/name`` when the user keeps their own copy there, else the packaged one."""
    if out_dir is not None and (out_dir / name).is_file():
        return out_dir / name
    from generator.resources import phrasebank_dir

    return phrasebank_dir() / name
