"""The Spec: one typed request for drafts, read from YAML or built by the wizard.

``load_spec`` reads a batch spec (or a wizard answers file — they are the same
format), runs every value through the question model and collects *all*
problems with file, line, column and field path before giving up, so a user
fixes a spec in one pass.  ``spec_to_data`` writes a Spec back as YAML data that
loads into an equal Spec (answers files, ``draftgen import``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator.branch import last_year_text
from generator.errors import InputError, Problem
from generator.questions import MAX_PEOPLE, AnswerError, Context, Question, by_scope, question
from generator.taxonomy import Area, DocType, areas_from_dimensions, find_doctype, presets, suggest
from generator.yamlio import Loaded, PathKey, load_yaml, parse_yaml

T = TypeVar("T")
# Kept here (not imported from generator.roster) so reading a YAML spec does not import openpyxl.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ett", ".csv", ".ods")

# Keys accepted besides the questions: the list of people, and draft-shaping options.
_EXTRA_DOC_KEYS = ("people", "length", "placeholders")


@dataclass(frozen=True)
class Person:
    """One member: the facts and problems they wrote, keyed by area heading."""

    name: str
    role: str = "党员"
    post: str = ""
    facts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    problems: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    causes: tuple[str, ...] = ()
    # the facts of each own problem, aligned with ``problems`` (an empty tuple where none were given)
    problem_facts: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    measures: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    wording: Mapping[str, Any] = field(default_factory=dict)
    last_year: str = ""  # one's own 上年度整改落实情况 (a roster's column); else the spec's sections.last_year


@dataclass(frozen=True)
class Spec:
    """A validated request: document type, occasion, review areas, people and options."""

    doctype: DocType
    meeting: str
    unit: str
    date: dt.date
    areas: tuple[Area, ...]
    people: tuple[Person, ...]
    preset: str | None = None
    dimensions: tuple[str, ...] | None = None
    problems_per_area: int = 2
    seed: int = 0
    output: str = "{name}-{title}.docx"
    last_year: str = ""
    case_study: str = ""
    length: int | None = None
    placeholders: bool = True
    source: str = ""
    setting: str = ""  # where the branch's members work (office, rural …): the default for posts that do not say
    study: str = ""  # the year's study content, from the spec or its preset
    # A linked set (``template: [collective, problem-list, rectification]``): every type to write, in the
    # order given; ``doctype`` is then the first of them.  Empty for a single type.
    doctypes: tuple[DocType, ...] = ()
    branch: Mapping[str, str] = field(default_factory=dict)  # the branch's own facts (三会一课 held …)

    @property
    def types(self) -> tuple[DocType, ...]:
        """Every document type this spec asks for (one, or the types of a set)."""
        return self.doctypes or (self.doctype,)


# --------------------------------------------------------------------------- helpers


def _get(data: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class _Collector:
    """Parses answers one question at a time and keeps every problem with its location."""

    def __init__(self, loaded: Loaded, ctx: Context) -> None:
        self.loaded = loaded
        self.ctx = ctx
        self.problems: list[Problem] = list(loaded.problems)

    def error(self, message: str, path: PathKey, *, key: bool = False) -> None:
        self.problems.append(Problem(message, self.loaded.where(path, key=key)))

    def answers(self, questions: Sequence[Question], data: Mapping[str, Any], base: PathKey) -> dict[str, Any]:
        """Parse every given value first, then fill defaults, so a default sees all answers given
        (the default meeting's year follows the spec's date, wherever ``date`` is written)."""
        given: dict[str, Any] = {}
        failed: set[str] = set()
        for q in questions:
            try:
                given[q.key] = q.parse(_get(data, q.path), self.ctx)
            except AnswerError as exc:
                self.error(exc.message, (*base, *q.path, *exc.subpath))
                failed.add(q.key)
        known = {k: v for k, v in given.items() if v is not None}
        out: dict[str, Any] = {}
        for q in questions:
            value = given.get(q.key)
            if value is None and q.key not in failed:
                value = q.default_value(self.ctx, {**known, **out})
            out[q.key] = value
        return out

    def unknown_keys(self, data: Mapping[str, Any], allowed: Sequence[str], base: PathKey) -> None:
        for key in data:
            if key not in allowed:
                self.error(f"未知字段“{key}”{suggest(key, allowed)}", (*base, key), key=True)


def _doc_keys() -> list[str]:
    keys = [q.path[0] for q in by_scope("document")]
    return list(dict.fromkeys([*keys, *_EXTRA_DOC_KEYS]))


def _person_keys() -> list[str]:
    return [q.key for q in by_scope("person")]


# --------------------------------------------------------------------------- areas and facts


def _resolve_area_key(key: str, areas: Sequence[Area]) -> tuple[str | None, str]:
    """Map a facts/problems key (an area heading or a dimension id) to an area heading."""
    for area in areas:
        if key == area.heading:
            return area.heading, ""
    matches = [a.heading for a in areas if key in a.dimensions]
    if len(matches) == 1:
        return matches[0], ""
    if len(matches) > 1:
        return None, f"维度“{key}”对应多个方面（{'、'.join(matches)}），请改用方面的标题"
    headings = [a.heading for a in areas]
    return None, f"本材料没有“{key}”这个方面{suggest(key, headings)}"


def _area_texts(col: _Collector, texts: Mapping[str, tuple[T, ...]], areas: Sequence[Area],
                base: PathKey) -> dict[str, tuple[T, ...]]:
    out: dict[str, tuple[T, ...]] = {}
    if not areas:  # the preset itself was wrong and is reported already
        return out
    for key, items in texts.items():
        heading, why = _resolve_area_key(key, areas)
        if heading is None:
            col.error(why, (*base, key), key=True)
            continue
        out[heading] = out.get(heading, ()) + items
    return out


def _areas(col: _Collector, answers: Mapping[str, Any], data: Mapping[str, Any]) -> tuple[Area, ...]:
    if data.get("preset") not in (None, "") and data.get("dimensions") not in (None, "", []):
        col.error("preset 和 dimensions 只能给出其中一个", ("dimensions",), key=True)
    if answers.get("dimensions"):
        return areas_from_dimensions(answers["dimensions"])
    preset_id = answers.get("preset")
    found = presets(col.ctx.preset_dirs)
    if preset_id in found:
        return found[preset_id].areas
    return ()


# --------------------------------------------------------------------------- people


def _person(col: _Collector, data: Mapping[str, Any], base: PathKey, areas: Sequence[Area]) -> Person | None:
    if not isinstance(data, Mapping):
        col.error("每名党员应写成包含 name 等字段的映射", base)
        return None
    col.unknown_keys(data, _person_keys(), base)
    answers = col.answers(by_scope("person"), data, base)
    if not answers.get("name"):
        return None
    own = _area_texts(col, answers.get("problems") or {}, areas, (*base, "problems"))
    return Person(
        name=answers["name"],
        role=answers.get("role") or "",
        post=answers.get("post") or "",
        facts=_area_texts(col, answers.get("facts") or {}, areas, (*base, "facts")),
        problems={area: tuple(p.text for p in items) for area, items in own.items()},
        causes=answers.get("causes") or (),
        problem_facts={area: tuple(p.facts for p in items) for area, items in own.items()
                       if any(p.facts for p in items)},
        measures=_area_texts(col, answers.get("measures") or {}, areas, (*base, "measures")),
        wording=_wording(col, answers.get("wording") or {}, areas, (*base, "wording")),
        last_year=answers.get("last_year") or "",
    )


def _wording(col: _Collector, wording: Mapping[str, Any], areas: Sequence[Area], base: PathKey) -> dict[str, Any]:
    """Own set phrases; measure headings are keyed by area like facts are."""
    out = dict(wording)
    if "measure_headings" in out:
        headings = {k: (v,) for k, v in out["measure_headings"].items()}
        out["measure_headings"] = {k: v[0] for k, v in
                                   _area_texts(col, headings, areas, (*base, "measure_headings")).items()}
    return out


def _people(col: _Collector, data: Mapping[str, Any], doctype: DocType | None,
            areas: Sequence[Area]) -> tuple[Person, ...]:
    person_keys = _person_keys()
    top_level = [k for k in person_keys if k in data]
    raw_people = data.get("people")
    if raw_people is not None and top_level:
        col.error("已经有 people 列表，就不要再在顶层写 " + "、".join(top_level), (top_level[0],), key=True)
        return ()
    if raw_people is None:
        if top_level:
            person = _person(col, {k: data[k] for k in top_level}, (), areas)
            return (person,) if person else ()
        if doctype and doctype.people == "required":
            col.error(f"缺少党员信息：{col.loaded.people_hint}", ("people",))
        return ()
    if not isinstance(raw_people, list):
        col.error("people 应为列表，每项是一名党员", ("people",))
        return ()
    if not raw_people:
        col.error("people 列表是空的", ("people",))
        return ()
    if len(raw_people) > MAX_PEOPLE:
        col.error(f"人数太多（{len(raw_people)} 人，上限 {MAX_PEOPLE} 人），请分成几个文件", ("people",))
        return ()
    people: list[Person] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_people):
        person = _person(col, raw, ("people", i), areas)
        if person is None:
            continue
        if person.name in seen:
            col.error(f"姓名“{person.name}”{col.loaded.same_as(('people', seen[person.name]))}", ("people", i, "name"))
            continue
        seen[person.name] = i
        people.append(person)
    return tuple(people)


# --------------------------------------------------------------------------- output names

_OUTPUT_FIELDS = ("name", "unit", "title", "meeting", "date")
_FIELD_RE = re.compile(r"\{([^{}]*)\}")


def _check_output(col: _Collector, pattern: str) -> None:
    if re.search(r"[/\\]", pattern) or pattern.startswith("."):
        col.error("output 只能是文件名格式，不能包含路径（/ 或 \\）或以“.”开头", ("output",))
    for name in _FIELD_RE.findall(pattern):
        if name not in _OUTPUT_FIELDS:
            col.error(f"文件名格式里的 {{{name}}} 无法识别{suggest(name, _OUTPUT_FIELDS)}", ("output",))
    if pattern.count("{") != pattern.count("}"):
        col.error("文件名格式里的花括号不成对", ("output",))


# --------------------------------------------------------------------------- a set of documents


def _template_list(col: _Collector, data: Mapping[str, Any]) -> list[DocType] | None:
    """``template: [collective, problem-list, rectification]``: each type once, each known.

    Every item goes through the template question's own parser (ids, Chinese titles and aliases alike);
    None when ``template`` is not a list (one type, parsed as usual).
    """
    raw = data.get("template")
    if not isinstance(raw, list):
        return None
    if not raw:
        col.error("template 列表是空的，至少写一种材料", ("template",))
        return []
    q = question("template")
    found: list[DocType] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        try:
            value = q.parse(item, col.ctx)
        except AnswerError as exc:
            col.error(f"template 第 {i + 1} 项：{exc.message}", ("template", i, *exc.subpath))
            continue
        doctype = find_doctype(str(value)) if value else None
        if doctype is None:
            col.error(f"template 第 {i + 1} 项是空的", ("template", i))
            continue
        if doctype.id in seen:
            col.error(f"template 第 {i + 1} 项“{item}”与第 {seen[doctype.id] + 1} 项是同一种材料（{doctype.title}），"
                      "每种只能写一次", ("template", i))
            continue
        seen[doctype.id] = i
        found.append(doctype)
    return found


# --------------------------------------------------------------------------- entry points


def _options(col: _Collector, data: Mapping[str, Any]) -> tuple[int | None, bool]:
    length = data.get("length")
    value: int | None = None
    if length not in (None, ""):
        if isinstance(length, str) and re.fullmatch(r"\d{3,5}", length.strip()) and 800 <= int(length) <= 20000:
            value = int(length)
        else:
            col.error("length 应为 800 到 20000 之间的字数", ("length",))
    placeholders = data.get("placeholders")
    flag = True
    if placeholders not in (None, ""):
        text = str(placeholders).strip().lower()
        if text in ("true", "yes", "是", "1"):
            flag = True
        elif text in ("false", "no", "否", "0"):
            flag = False
        else:
            col.error("placeholders 应为 true 或 false", ("placeholders",))
    return value, flag


def build_spec(loaded: Loaded, ctx: Context | None = None) -> Spec:
    """Validate parsed YAML into a Spec, or raise InputError listing every problem found."""
    ctx = ctx or Context()
    col = _Collector(loaded, ctx)
    data = loaded.data
    if not isinstance(data, Mapping):
        kind = "列表" if isinstance(data, list) else "一段文字"
        raise InputError("配置文件格式有误", [Problem(f"顶层应为“字段: 值”的映射，而不是{kind}", loaded.where(()))])
    col.unknown_keys(data, [*_doc_keys(), *_person_keys()], ())
    sections = data.get("sections")
    if sections is not None:
        if isinstance(sections, Mapping):
            col.unknown_keys(sections, ["last_year", "case_study"], ("sections",))
        else:
            col.error("sections 应为映射，例如 last_year: ……", ("sections",))
    listed = _template_list(col, data)
    if listed is not None:  # a set: the answers see its first type (defaults: preset, output names)
        data = {**data, "template": listed[0].id if listed else None}
    answers = col.answers(by_scope("document"), data, ())
    doctype = find_doctype(answers.get("template") or "personal") if listed != [] else None
    areas = _areas(col, answers, data)
    people = _people(col, data, doctype, areas)
    if listed and any(d.per_person for d in listed) and not listed[0].per_person and "people" not in data:
        col.error("template 中有个人对照检查材料（personal），需要同时给出 people（每名党员一份）", ("template",))
    output = answers["output"]
    if isinstance(output, str):  # None when the value itself was refused (reported already)
        _check_output(col, output)
    length, placeholders = _options(col, data)
    study = answers.get("study") or ""
    if not study and not answers.get("dimensions") and answers.get("preset"):
        found = presets(col.ctx.preset_dirs).get(answers["preset"])
        study = found.study if found else ""
    last_year = answers.get("sections.last_year") or ""
    if not last_year and not any(d.per_person for d in (listed or [doctype] if doctype else [])):
        # a unit's own documents only: the branch's 上年度整改 is the section (members keep theirs)
        last_year = last_year_text(answers.get("branch") or {})
    if col.problems:
        ordered = sorted(col.problems, key=lambda p: p.location.sort_key if p.location else (0,))
        raise InputError(f"{loaded.kind} {loaded.file} 有 {len(ordered)} 处错误", ordered)
    assert doctype is not None  # a failed choice would have been reported above
    if not output.lower().endswith(".docx"):
        output += ".docx"
    return Spec(
        doctype=doctype, meeting=answers["meeting"], unit=answers.get("unit") or "", date=answers["date"],
        areas=areas, people=people, preset=None if answers.get("dimensions") else answers.get("preset"),
        dimensions=answers.get("dimensions"), problems_per_area=answers["problems_per_area"],
        seed=answers["seed"], output=output, last_year=last_year,
        case_study=answers.get("sections.case_study") or "", length=length, placeholders=placeholders,
        source=loaded.file, setting=answers.get("setting") or "", study=study,
        doctypes=tuple(listed) if listed and len(listed) > 1 else (), branch=answers.get("branch") or {},
    )


def load_spec(path: Path, ctx: Context | None = None) -> Spec:
    """Read and validate a spec file: YAML, or a roster spreadsheet (``draftgen roster``)."""
    return build_spec(read_spec(path, ctx), ctx)


def read_spec(path: Path, ctx: Context | None = None) -> Loaded:
    """A spec file's data and places, before validation; the suffix tells a roster from YAML."""
    if path.suffix.lower() in SHEET_SUFFIXES:
        # Lazy: openpyxl takes about 0.18 s to import, more than the rest of a YAML spec's load
        # (python -X importtime, 2026-12); only rosters pay for it.
        from generator.roster import read_roster

        return read_roster(path, ctx)
    return load_yaml(path, what="配置文件")


def spec_from_text(text: str, name: str = "<spec>", ctx: Context | None = None) -> Spec:
    return build_spec(parse_yaml(text, name), ctx)


def problems_data(person: Person) -> dict[str, list[Any]]:
    """A member's own problems as spec data: a text, or ``{text, facts}`` for one with its own facts."""
    out: dict[str, list[Any]] = {}
    for area, texts in person.problems.items():
        facts = person.problem_facts.get(area, ())
        out[area] = [{"text": t, "facts": list(facts[i])} if i < len(facts) and facts[i] else t
                     for i, t in enumerate(texts)]
    return out


def spec_to_data(spec: Spec) -> dict[str, Any]:
    """The Spec as YAML-ready data; loading it again gives an equal Spec."""
    template: str | list[str] = [d.id for d in spec.doctypes] if spec.doctypes else spec.doctype.id
    data: dict[str, Any] = {"template": template, "meeting": spec.meeting, "unit": spec.unit,
                            "date": spec.date.isoformat()}
    if spec.dimensions:
        data["dimensions"] = list(spec.dimensions)
    else:
        data["preset"] = spec.preset
    data.update(problems_per_area=spec.problems_per_area, seed=spec.seed, output=spec.output)
    sections = {k: v for k, v in (("last_year", spec.last_year), ("case_study", spec.case_study)) if v}
    if sections:
        data["sections"] = sections
    if spec.length:
        data["length"] = spec.length
    if not spec.placeholders:
        data["placeholders"] = False
    if spec.setting:
        data["setting"] = spec.setting
    if spec.study:
        data["study"] = spec.study
    if spec.branch:
        data["branch"] = dict(spec.branch)
    people = []
    for p in spec.people:
        entry: dict[str, Any] = {"name": p.name, "role": p.role}
        if p.post:
            entry["post"] = p.post
        if p.facts:
            entry["facts"] = {k: list(v) for k, v in p.facts.items()}
        if p.problems:
            entry["problems"] = problems_data(p)
        if p.causes:
            entry["causes"] = list(p.causes)
        if p.measures:
            entry["measures"] = {k: list(v) for k, v in p.measures.items()}
        if p.last_year:
            entry["last_year"] = p.last_year
        if p.wording:
            entry["wording"] = {k: dict(v) if isinstance(v, Mapping) else v for k, v in p.wording.items()}
        people.append(entry)
    if people:
        data["people"] = people
    return data
