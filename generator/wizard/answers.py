"""The wizard's answers, and their form as a spec: the answers file.

An answers file is an ordinary batch spec for one member.  Problems, causes and
measures chosen from the bank are written as the member's own ``problems``,
``causes`` and ``measures`` text (a bank entry's run-in title, a full stop, its
text, which the composer splits back the same way), so the file needs no bank
ids, survives a change of the bank, and ``draftgen batch`` on it writes exactly
the draft the wizard wrote: the wizard itself generates from the file's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.bank import Phrase
    from generator.questions import Context
    from generator.spec import Spec

# Stands in for a name not yet given, so a partial answers file still loads through the spec validator.
NO_NAME = "（未填写）"
SUFFIX = ".answers.yaml"
PARTIAL_NAME = "向导未完成" + SUFFIX


def phrase_text(phrase: Phrase) -> str:
    """A bank entry as own text: ``split_own`` turns "title。text" back into its title and text.

    Clause alternatives ``{甲|乙}`` read as their first option (the wizard's suggestions use the
    expansion the composer chose instead, see ``BankView.text_of``).
    """
    from generator.text import plain_alternatives

    title, text = plain_alternatives(phrase.title), plain_alternatives(phrase.text)
    return f"{title}。{text}" if title else text


@dataclass(frozen=True)
class Pick:
    """A chosen problem, cause or measure: the text written to the file, and the bank entry it came from."""

    text: str
    phrase_id: str = ""

    @property
    def own(self) -> bool:
        return not self.phrase_id


@dataclass
class AreaAnswers:
    """One review area.  ``None`` means not answered yet; ``own_*`` keeps what the member typed, checked or not.

    ``problem_facts`` holds the facts of each problem by its text, so a problem kept through a change of the
    others keeps its facts; ``facts`` are the area's facts not tied to a problem (from a spec).
    """

    problems: list[Pick] | None = None
    facts: tuple[str, ...] | None = None
    problem_facts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    measures: list[Pick] | None = None
    measures_for: tuple[str, ...] = ()  # the problems the measures were chosen for
    own_problems: list[str] = field(default_factory=list)
    own_measures: list[str] = field(default_factory=list)


@dataclass
class Answers:
    """Everything answered so far.  ``values`` holds parsed answers by question key."""

    values: dict[str, Any] = field(default_factory=dict)
    areas: dict[str, AreaAnswers] = field(default_factory=dict)
    causes: list[Pick] | None = None
    causes_for: tuple[str, ...] = ()
    own_causes: list[str] = field(default_factory=list)
    wording: dict[str, Any] = field(default_factory=dict)  # carried over from a spec; the wizard does not ask
    options: dict[str, Any] = field(default_factory=dict)  # length, placeholders: likewise
    source: Path | None = None
    step: str = ""  # the question being asked (where a resumed session starts)
    unsaved: dict[str, str] = field(default_factory=dict)  # typed text that is no valid answer yet, by step

    def area(self, heading: str) -> AreaAnswers:
        return self.areas.setdefault(heading, AreaAnswers())

    def problem_texts(self) -> tuple[str, ...]:
        return tuple(p.text for a in self.areas.values() for p in a.problems or ())

    def empty(self) -> bool:
        return not (self.values or self.areas or self.causes)

    def to_data(self) -> dict[str, Any]:
        """The answers as spec data (what the answers file holds); only what has been answered."""
        from generator.questions import by_scope

        data: dict[str, Any] = {}
        values = dict(self.values)
        if values.get("dimensions"):
            values.pop("preset", None)
        else:
            values.pop("dimensions", None)
        for q in by_scope("document"):
            value = _plain(values.get(q.key))
            if value in (None, "", []):
                continue
            if len(q.path) == 2:
                data.setdefault(q.path[0], {})[q.path[1]] = value
            else:
                data[q.key] = value
        data.update(self.options)
        for key in ("name", "role", "post"):
            if values.get(key) not in (None, ""):
                data[key] = values[key]
        data.update(self._person_texts())
        if self.wording:
            data["wording"] = {k: dict(v) if isinstance(v, Mapping) else v for k, v in self.wording.items()}
        return data

    def _person_texts(self) -> dict[str, Any]:
        facts = {h: list(a.facts) for h, a in self.areas.items() if a.facts}
        problems = {h: [_problem(p.text, a.problem_facts.get(p.text, ())) for p in a.problems]
                    for h, a in self.areas.items() if a.problems}
        measures = {h: [m.text for m in a.measures] for h, a in self.areas.items() if a.measures}
        out: dict[str, Any] = {}
        for key, value in (("facts", facts), ("problems", problems), ("causes", [c.text for c in self.causes or ()]),
                           ("measures", measures)):
            if value:
                out[key] = value
        return out


def _problem(text: str, facts: tuple[str, ...]) -> Any:
    """A problem as the spec writes it: its text, or ``{text, facts}`` when it has facts of its own."""
    return {"text": text, "facts": list(facts)} if facts else text


def _plain(value: Any) -> Any:
    """YAML-ready: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


# --------------------------------------------------------------------------- from a spec


def load_spec_leniently(path: Path, ctx: Context) -> tuple[Spec, bool]:
    """Read a spec or answers file through the batch validator; a file saved before the name was given still loads.

    Returns the spec and whether the name was missing (then ``NO_NAME`` stands in for it).
    """
    from dataclasses import replace

    from generator.spec import SHEET_SUFFIXES, build_spec, read_spec
    from generator.yamlio import load_yaml

    loaded = read_spec(path, ctx) if path.suffix.lower() in SHEET_SUFFIXES else load_yaml(path, what="答题文件")
    data = loaded.data
    nameless = isinstance(data, Mapping) and data.get("people") is None and not data.get("name")
    if nameless:
        loaded = replace(loaded, data={**data, "name": NO_NAME})
    return build_spec(loaded, ctx), nameless


def from_spec(spec: Spec, person_index: int | None, *, nameless: bool = False) -> Answers:
    """Pre-fill every question from a spec: its document answers and one member's."""
    values: dict[str, Any] = {
        "template": spec.doctype.id, "meeting": spec.meeting, "unit": spec.unit, "date": spec.date,
        "problems_per_area": spec.problems_per_area, "seed": spec.seed, "output": spec.output,
        "sections.last_year": spec.last_year, "sections.case_study": spec.case_study,
    }
    if spec.dimensions:
        values["dimensions"] = spec.dimensions
    else:
        values["preset"] = spec.preset
    options: dict[str, Any] = {}
    if spec.length:
        options["length"] = spec.length
    if not spec.placeholders:
        options["placeholders"] = False
    answers = Answers(values=values, options=options, source=Path(spec.source) if spec.source else None)
    if person_index is None or not spec.people:
        return answers
    person = spec.people[person_index]
    if not nameless:
        values["name"] = person.name
    values.update(role=person.role, post=person.post)
    if person.last_year:  # a roster's own 上年度整改情况 is what this member's draft shows
        values["sections.last_year"] = person.last_year
    for area in spec.areas:
        problems, facts = person.problems.get(area.heading), person.facts.get(area.heading)
        measures = person.measures.get(area.heading)
        if not (problems or facts or measures):
            continue
        entry = answers.area(area.heading)
        entry.facts = facts
        if problems:
            entry.problems = [Pick(t) for t in problems]
            own_facts = person.problem_facts.get(area.heading, ())
            entry.problem_facts = {t: f for t, f in zip(problems, own_facts, strict=False) if f}
        if measures:
            entry.measures = [Pick(t) for t in measures]
            entry.measures_for = tuple(problems or ())
    if person.causes:
        answers.causes = [Pick(t) for t in person.causes]
        answers.causes_for = answers.problem_texts()
    answers.wording = dict(person.wording)
    return answers


# --------------------------------------------------------------------------- files


def answers_path(draft: Path) -> Path:
    """``<draft file name without .docx>.answers.yaml`` beside the draft."""
    stem = draft.name[:-5] if draft.name.lower().endswith(".docx") else draft.name
    return draft.with_name(stem + SUFFIX)


STOPPED = "# 中断于："
TYPED = "# 中断时正在输入："


def partial_note(answers: Answers) -> str:
    """The comment lines of an interrupted session: where it stopped, and typed text no field could take."""
    note = "# 向导中途中断时保存，尚未完成。\n"
    if answers.step:
        note += f"{STOPPED}{answers.step}\n"
    for step, text in answers.unsaved.items():
        note += "".join(f"{TYPED}{step}｜{line}\n" for line in text.splitlines() or [""])
    return note


def resume_step(text: str) -> str | None:
    """The step an interrupted session stopped at ("" for a file the wizard finished; None for any other)."""
    if not text.startswith("# draftgen 向导的回答"):
        return None
    for line in text.splitlines():
        if line.startswith(STOPPED):
            return line[len(STOPPED):].strip()
    return "" if "# 向导中途中断" not in text else None


def header(today: dt.date) -> str:
    return (f"# draftgen 向导的回答（{today.isoformat()}）。这是一份普通的配置文件：\n"
            "#   draftgen wizard --answers 本文件     逐项修改后重新生成\n"
            "#   draftgen batch 本文件 --out 文件夹   不经提问，直接生成同样的初稿\n")


def final_spec(answers: Answers, ctx: Context) -> tuple[Spec, str]:
    """The answers file's text and the spec it loads into (through the batch loader, so that
    ``draftgen batch`` on the file writes the draft the wizard writes)."""
    from generator.spec import build_spec
    from generator.yamlio import dump_yaml, parse_yaml

    text = header(ctx.today) + dump_yaml(answers.to_data())
    return build_spec(parse_yaml(text, "向导的回答"), ctx), text


def write_text(path: Path, text: str, *, force: bool) -> None:
    from generator.fsio import atomic_writer

    with atomic_writer(path, force=force) as fh:
        fh.write(text.encode("utf-8"))


def free_path(path: Path, keep: Sequence[Path] = ()) -> Path:
    """``path``, or ``path`` numbered -2, -3 … when taken by a file we must not replace."""
    allowed = {p.resolve() for p in keep}
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    candidate, n = path, 1
    while candidate.exists() and candidate.resolve() not in allowed:
        n += 1
        candidate = path.with_name(f"{stem}-{n}{SUFFIX}")
    return candidate
