"""Kinds, dimensions, document types and meeting presets, read from YAML data.

They are data, not code, because the meeting presets change every year: a user
adds a preset by dropping a YAML file into ``~/.config/draftgen/presets/`` (or a
folder given with ``--presets``); packaged presets live in ``templates/presets/``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.errors import InputError, Problem
from generator.fsio import user_folder
from generator.resources import phrasebank_dir, templates_dir
from generator.yamlio import Loaded, load_yaml


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    covers: str


@dataclass(frozen=True, slots=True)
class DocType:
    id: str
    title: str
    aliases: tuple[str, ...]
    template: str
    default_preset: str
    people: str  # "required" or "optional"
    title_pattern: str = "{meeting}{title}"
    length: int | None = None  # target characters; None leaves the length to the areas and problems
    causes: str = "area"  # "area": one cause answers an area's problems; "problem": one per problem (tables)

    @property
    def per_person(self) -> bool:
        """Personal materials are one per member; the others are one document for the whole unit."""
        return self.people == "required"


@dataclass(frozen=True, slots=True)
class Area:
    """A review area of the problem section: its heading and the dimensions whose phrases it uses."""

    heading: str
    dimensions: tuple[str, ...]
    # words an entry of the area is about (严格组织生活: 三会一课、主题党日…): when several areas draw on one
    # dimension, the entries about an area's own matter come first for it
    topics: tuple[str, ...] = ()

    @property
    def dimension(self) -> str:
        return self.dimensions[0]


@dataclass(frozen=True, slots=True)
class Preset:
    id: str
    description: str
    areas: tuple[Area, ...]
    source: str = ""
    study: str = ""  # the year's study content, named in the opening (e.g. 深入贯彻中央八项规定精神学习教育)


def suggest(word: str, options: Iterable[str]) -> str:
    """A Chinese hint naming the closest valid option, or the list of options if few."""
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.4)
    if close:
        return f"，是不是“{close[0]}”？"
    if len(options) <= 12:
        return "，可选：" + "、".join(options)
    return ""


@cache
def dimensions() -> tuple[Dimension, ...]:
    data = load_yaml(phrasebank_dir() / "taxonomy.yaml", cached=True).data
    return tuple(Dimension(d["id"], d.get("covers", "")) for d in data["dimensions"])


def dimension_ids() -> tuple[str, ...]:
    return tuple(d.id for d in dimensions())


KIND_IDS = ("problem", "cause", "measure", "other")


@cache
def doctypes() -> tuple[DocType, ...]:
    data = load_yaml(templates_dir() / "doctypes.yaml", cached=True).data
    return tuple(
        DocType(d["id"], d["title"], tuple(d.get("aliases") or ()), d["template"], d["default_preset"],
                d.get("people", "optional"), d.get("title_pattern") or "{meeting}{title}",
                int(d["length"]) if d.get("length") else None, d.get("causes") or "area")
        for d in data
    )


def find_doctype(name: str) -> DocType | None:
    """Match an id, a Chinese title or an alias."""
    for dt in doctypes():
        if name in (dt.id, dt.title, *dt.aliases):
            return dt
    return None


def user_presets_dir() -> Path | None:
    """``$XDG_CONFIG_HOME/draftgen/presets`` (``~/.config/…``); None without a home folder."""
    base = user_folder("XDG_CONFIG_HOME", ".config")
    return base / "draftgen" / "presets" if base is not None else None


def _preset_from(loaded: Loaded) -> Preset:
    data = loaded.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError("预设文件格式有误", [Problem("应为包含 id 和 areas 的映射", loaded.where(()))])
    for key in data:
        if key not in ("id", "description", "areas", "study"):
            problems.append(Problem(f"未知字段“{key}”{suggest(key, ['id', 'description', 'areas', 'study'])}",
                                    loaded.where((key,), key=True)))
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        problems.append(Problem("缺少预设名称 id", loaded.where(("id",))))
    areas_raw = data.get("areas")
    areas: list[Area] = []
    if not isinstance(areas_raw, list) or not areas_raw:
        problems.append(Problem("areas 应为非空列表", loaded.where(("areas",))))
        areas_raw = []
    valid = dimension_ids()
    headings: set[str] = set()
    for i, raw in enumerate(areas_raw):
        if not isinstance(raw, dict) or not isinstance(raw.get("heading"), str):
            problems.append(Problem("每个方面应写成 {heading: 标题, dimensions: [维度]}（可加 topics: [词语]）",
                                    loaded.where(("areas", i))))
            continue
        heading = raw["heading"].strip()
        if not heading or heading in headings:  # facts and problems are keyed by heading
            why = "方面的标题不能为空" if not heading else f"方面的标题“{heading}”重复了"
            problems.append(Problem(why, loaded.where(("areas", i, "heading"))))
            continue
        headings.add(heading)
        dims = raw.get("dimensions")
        if isinstance(dims, str):
            dims = [dims]
        if not isinstance(dims, list) or not dims:
            problems.append(Problem("dimensions 应为非空列表", loaded.where(("areas", i, "dimensions"))))
            continue
        for j, d in enumerate(dims):
            if d not in valid:
                problems.append(Problem(f"未知维度“{d}”{suggest(str(d), valid)}",
                                        loaded.where(("areas", i, "dimensions", j))))
        topics = raw.get("topics") or []
        if isinstance(topics, str):
            topics = [topics]
        if not isinstance(topics, list) or not all(isinstance(t, str) and t.strip() for t in topics):
            problems.append(Problem("topics 应为词语列表", loaded.where(("areas", i, "topics"))))
            topics = []
        unknown = [k for k in raw if k not in ("heading", "dimensions", "topics")]
        for key in unknown:
            problems.append(Problem(f"未知字段“{key}”{suggest(str(key), ['heading', 'dimensions', 'topics'])}",
                                    loaded.where(("areas", i, key), key=True)))
        areas.append(Area(raw["heading"].strip(), tuple(str(d) for d in dims), tuple(t.strip() for t in topics)))
    study = data.get("study")
    if study is not None and not isinstance(study, str):
        problems.append(Problem("study 应为一段文字（本年度学习教育的名称）", loaded.where(("study",))))
    if problems:
        raise InputError(f"预设文件 {loaded.file} 有误", problems)
    return Preset(str(data["id"]).strip(), str(data.get("description") or ""), tuple(areas), loaded.file,
                  (study or "").strip())


@cache
def _presets_in(folder: Path) -> tuple[Preset, ...]:
    return tuple(_preset_from(load_yaml(p, what="预设文件", cached=True)) for p in sorted(folder.glob("*.yaml")))


def presets(extra_dirs: Sequence[Path] = ()) -> dict[str, Preset]:
    """All presets by id: packaged ones, then the user's folder, then ``extra_dirs`` (later wins)."""
    found: dict[str, Preset] = {}
    for folder in extra_dirs:
        if not folder.is_dir():
            raise InputError(f"找不到预设文件夹 {folder}")
    user = user_presets_dir()
    folders = [templates_dir() / "presets", *([user] if user is not None else []), *extra_dirs]
    for folder in folders:
        if folder.is_dir():
            for preset in _presets_in(folder.resolve()):
                found[preset.id] = preset
    return found


def areas_from_dimensions(ids: Sequence[str]) -> tuple[Area, ...]:
    return tuple(Area(d, (d,)) for d in ids)

