"""The question model shared by the wizard and batch specs.

Questions are data (``templates/questions.yaml``).  Each has a type whose parser
turns raw text into a value or raises :class:`AnswerError` with a Chinese
message; the spec loader feeds it YAML scalars (always text, see
:mod:`generator.yamlio`) and the wizard feeds it what the user typed, so both
paths accept and reject exactly the same values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from generator.text import clean_text, text_block

# The most members one request may name: a spec's ``people`` list and a roster's members sheet alike
# (a branch larger than this is split into several files).
MAX_PEOPLE = 2000


class AnswerError(ValueError):
    """An answer that does not parse; ``subpath`` points inside the value (e.g. a list item)."""

    def __init__(self, message: str, subpath: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.subpath = subpath


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OwnProblem:
    """A member's own problem and the facts that prove it (an item of ``problems.<area>``)."""

    text: str
    facts: tuple[str, ...] = ()


@dataclass
class Context:
    """What parsers and defaults may consult: today's date, extra preset folders, earlier answers."""

    today: dt.date = field(default_factory=dt.date.today)
    preset_dirs: Sequence[Path] = ()


# --------------------------------------------------------------------------- choices


def _doctype_choices(ctx: Context) -> list[Choice]:
    from generator.taxonomy import doctypes

    return [Choice(d.id, d.title, d.aliases) for d in doctypes()]


def _preset_choices(ctx: Context) -> list[Choice]:
    from generator.taxonomy import presets

    return [Choice(p.id, p.description) for p in presets(ctx.preset_dirs).values()]


def _dimension_choices(ctx: Context) -> list[Choice]:
    from generator.taxonomy import dimensions

    return [Choice(d.id, d.covers) for d in dimensions()]


WORDING_KEYS = ("preamble", "problems_intro", "causes_intro", "measures_intro", "pledge", "measure_headings",
                "verbatim")


def _wording_choices(ctx: Context) -> list[Choice]:
    return [Choice(k, k) for k in WORDING_KEYS]


def _branch_choices(ctx: Context) -> list[Choice]:
    from generator.branch import branch_rules

    return [Choice(fact.key, fact.label, fact.aliases) for fact in branch_rules()]


def _setting_choices(ctx: Context) -> list[Choice]:
    from generator.roles import role_rules

    return [Choice(key, label, aliases) for key, (label, aliases) in role_rules().labels.items()]


CHOICES: dict[str, Callable[[Context], list[Choice]]] = {
    "@settings": _setting_choices,
    "@doctypes": _doctype_choices,
    "@presets": _preset_choices,
    "@dimensions": _dimension_choices,
    "@wording_keys": _wording_choices,
    "@branch_keys": _branch_choices,
}


# --------------------------------------------------------------------------- defaults


def default_meeting(date: dt.date) -> str:
    """Meetings reviewing year Y are held from late Y to mid Y+1."""
    year = date.year - 1 if date.month <= 6 else date.year
    return f"{year}年度专题组织生活会"


def _default_preset(ctx: Context, answers: Mapping[str, Any]) -> str:
    from generator.taxonomy import find_doctype

    doctype = find_doctype(str(answers.get("template") or "personal"))
    return doctype.default_preset if doctype else "通用"


def _default_output(ctx: Context, answers: Mapping[str, Any]) -> str:
    from generator.taxonomy import find_doctype

    doctype = find_doctype(str(answers.get("template") or "personal"))
    return "{name}-{title}.docx" if doctype is None or doctype.per_person else "{title}.docx"


DEFAULTS: dict[str, Callable[[Context, Mapping[str, Any]], Any]] = {
    "@today": lambda ctx, answers: ctx.today,
    "@meeting": lambda ctx, answers: default_meeting(answers.get("date") or ctx.today),
    "@default_preset": _default_preset,
    "@default_output": _default_output,
}


# --------------------------------------------------------------------------- parsers


def _want_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    raise AnswerError("应为一段文字" + ("，不能是列表" if isinstance(raw, list) else "，不能是多个字段"))


def _limit(value: str, q: Question) -> str:
    if q.max is not None and len(value) > q.max:
        raise AnswerError(f"太长了（{len(value)} 字，最多 {q.max} 字）")
    return value


def _parse_text(q: Question, raw: Any, ctx: Context) -> str:
    value = clean_text(_want_text(raw))
    if "\n" in value:
        raise AnswerError("只能写一行")
    return _limit(value, q)


def _parse_longtext(q: Question, raw: Any, ctx: Context) -> str:
    """Paragraphs as in Markdown: a blank line between them, single line breaks only wrap (see text_block)."""
    return _limit(text_block(clean_text(_want_text(raw))), q)


def _parse_int(q: Question, raw: Any, ctx: Context) -> int:
    text = clean_text(_want_text(raw))
    if not re.fullmatch(r"[+-]?\d{1,12}", text):
        raise AnswerError(f"“{text[:20]}”不是整数")
    value = int(text)
    if q.min is not None and value < q.min:
        raise AnswerError(f"不能小于 {q.min}，现在是 {value}" if q.max is None else
                          f"应在 {q.min} 到 {q.max} 之间，现在是 {value}")
    if q.max is not None and value > q.max:
        raise AnswerError(f"不能大于 {q.max}，现在是 {value}" if q.min is None else
                          f"应在 {q.min} 到 {q.max} 之间，现在是 {value}")
    return value


_DATE_RE = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> dt.date:
    """Accept 2026-01-20, 2026/1/20, 2026.1.20 and 2026年1月20日."""
    m = _DATE_RE.fullmatch(text.strip())
    if not m:
        raise AnswerError(f"“{text[:20]}”不是日期，请写成 2026-01-20 或 2026年1月20日")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise AnswerError(f"“{text}”的月份 {month} 不存在")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise AnswerError(f"“{text}”不存在：{year}年{month}月没有{day}日") from None
    if not 2000 <= year <= 2100:
        raise AnswerError(f"“{text}”的年份不合理")
    return value


def _parse_date(q: Question, raw: Any, ctx: Context) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    return parse_date(clean_text(_want_text(raw)))


def _match_choice(text: str, choices: Sequence[Choice]) -> str:
    for c in choices:
        if text in (c.value, c.label, *c.aliases):
            return c.value
    from generator.taxonomy import suggest

    raise AnswerError(f"没有“{text[:30]}”这一项{suggest(text, [c.value for c in choices])}")


def _parse_choice(q: Question, raw: Any, ctx: Context) -> str:
    return _match_choice(clean_text(_want_text(raw)), q.choice_list(ctx))


def _parse_multichoice(q: Question, raw: Any, ctx: Context) -> tuple[str, ...] | None:
    split = [] if isinstance(raw, list) else re.split(r"[,，、;；\s]+", clean_text(_want_text(raw)))
    items = raw if isinstance(raw, list) else [s for s in split if s]
    choices = q.choice_list(ctx)
    values: list[str] = []
    for i, item in enumerate(items):
        try:
            value = _match_choice(clean_text(_want_text(item)), choices)
        except AnswerError as exc:
            raise AnswerError(exc.message, (i,)) from None
        if value in values:
            raise AnswerError(f"“{value}”重复了", (i,))
        values.append(value)
    if isinstance(raw, list) and not values:
        raise AnswerError("列表是空的，至少要选一项")
    return tuple(values) or None


def _parse_texts(q: Question, raw: Any, ctx: Context) -> tuple[str, ...]:
    """One text or a list of texts."""
    items = raw if isinstance(raw, list) else [raw]
    texts: list[str] = []
    for i, item in enumerate(items):
        if item is None:
            continue
        try:
            text = _limit(text_block(clean_text(_want_text(item))), q)
        except AnswerError as exc:
            raise AnswerError(exc.message, (i,) if isinstance(raw, list) else ()) from None
        if text:
            texts.append(text)
    return tuple(texts)


def _parse_textmap(q: Question, raw: Any, ctx: Context) -> dict[str, Any]:
    """Named texts from a fixed set of keys; ``measure_headings`` maps area headings to a heading each."""
    if isinstance(raw, str) and not raw.strip():
        return {}
    if not isinstance(raw, Mapping):
        raise AnswerError("应写成“名称: 文字”的映射")
    choices = q.choice_list(ctx)
    allowed = [c.value for c in choices]
    names = {name: c.value for c in choices for name in (c.value, c.label, *c.aliases)}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        key = names.get(str(key), str(key))  # a label or alias stands for its key
        if key not in allowed:
            from generator.taxonomy import suggest

            raise AnswerError(f"未知的名称“{key}”{suggest(str(key), allowed)}", (key,))
        if key == "measure_headings":
            if not isinstance(value, Mapping):
                raise AnswerError("measure_headings 应按方面写，例如“党性修养: 严肃党内政治生活”", (key,))
            headings: dict[str, str] = {}
            for area, text in value.items():
                try:
                    headings[clean_text(str(area))] = _parse_text(q, text, ctx) if text else ""
                except AnswerError as exc:
                    raise AnswerError(exc.message, (key, area)) from None
            out[key] = {k: v for k, v in headings.items() if v}
        else:
            try:
                out[key] = _parse_longtext(q, value, ctx)
            except AnswerError as exc:
                raise AnswerError(exc.message, (key,)) from None
    return {k: v for k, v in out.items() if v}


def _parse_areatexts(q: Question, raw: Any, ctx: Context) -> dict[str, tuple[str, ...]]:
    """A mapping from an area (heading or dimension id) to one text or a list of texts."""
    if isinstance(raw, str) and not raw.strip():
        return {}
    if not isinstance(raw, Mapping):
        raise AnswerError("应按方面分别填写，例如“理论学习: 具体事例……”")
    out: dict[str, tuple[str, ...]] = {}
    for area, value in raw.items():
        try:
            texts = _parse_texts(q, value, ctx)
        except AnswerError as exc:
            raise AnswerError(exc.message, (area, *exc.subpath)) from None
        if texts:
            out[clean_text(str(area))] = texts
    return out


def _parse_problem(q: Question, raw: Any, ctx: Context) -> OwnProblem | None:
    """One own problem: a text, or ``{text: …, facts: [..]}`` keeping its facts with it."""
    if not isinstance(raw, Mapping):
        text = _limit(clean_text(_want_text(raw)), q)
        return OwnProblem(text) if text else None
    for key in raw:
        if key not in ("text", "facts"):
            from generator.taxonomy import suggest

            raise AnswerError(f"未知字段“{key}”{suggest(str(key), ['text', 'facts'])}", (key,))
    if raw.get("text") in (None, ""):
        raise AnswerError("缺少 text（问题本身）", ("text",))
    try:
        text = _limit(clean_text(_want_text(raw["text"])), q)
    except AnswerError as exc:
        raise AnswerError(exc.message, ("text",)) from None
    try:
        facts = _parse_texts(replace(q, max=FACT_MAX), raw.get("facts"), ctx)
    except AnswerError as exc:
        raise AnswerError(exc.message, ("facts", *exc.subpath)) from None
    return OwnProblem(text, facts) if text else None


FACT_MAX = 2000  # as the ``facts`` question's limit


def _parse_areaproblems(q: Question, raw: Any, ctx: Context) -> dict[str, tuple[OwnProblem, ...]]:
    """Like ``areatexts``, but an item may carry the facts of that problem: ``{text: …, facts: [..]}``."""
    if isinstance(raw, str) and not raw.strip():
        return {}
    if not isinstance(raw, Mapping):
        raise AnswerError("应按方面分别填写，例如“理论学习: 自己写的问题……”")
    out: dict[str, tuple[OwnProblem, ...]] = {}
    for area, value in raw.items():
        items = value if isinstance(value, list) else [value]
        found: list[OwnProblem] = []
        for i, item in enumerate(items):
            if item is None:
                continue
            try:
                problem = _parse_problem(q, item, ctx)
            except AnswerError as exc:
                raise AnswerError(exc.message, (area, *((i,) if isinstance(value, list) else ()), *exc.subpath)
                                  ) from None
            if problem is not None:
                found.append(problem)
        if found:
            out[clean_text(str(area))] = tuple(found)
    return out


PARSERS: dict[str, Callable[[Question, Any, Context], Any]] = {
    "text": _parse_text,
    "longtext": _parse_longtext,
    "int": _parse_int,
    "date": _parse_date,
    "choice": _parse_choice,
    "multichoice": _parse_multichoice,
    "areatexts": _parse_areatexts,
    "areaproblems": _parse_areaproblems,
    "texts": _parse_texts,
    "textmap": _parse_textmap,
}


@dataclass(frozen=True)
class Question:
    """One question: how to ask it, and how to parse and check its answer."""

    key: str
    scope: str
    type: str
    prompt: str
    help: str = ""
    default: str | None = None
    choices: str | None = None
    min: int | None = None
    max: int | None = None
    required: bool = False
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unless: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    def parse(self, raw: Any, ctx: Context) -> Any:
        """Parse a raw answer (YAML scalar or typed text); ``None`` or empty text means 'not given'."""
        mapping = self.type in ("areatexts", "areaproblems", "textmap")
        if raw is None or (isinstance(raw, str) and not raw.strip() and not mapping):
            if self.required:
                raise AnswerError("不能为空")
            return None
        value = PARSERS[self.type](self, raw, ctx)
        if self.required and value in ("", (), {}):
            # e.g. a name made only of zero-width or control characters, which cleaning removes
            raise AnswerError("不能为空（只有空白或不可见的字符）")
        return value

    def choice_list(self, ctx: Context) -> list[Choice]:
        return CHOICES[self.choices](ctx) if self.choices else []

    def default_value(self, ctx: Context, answers: Mapping[str, Any]) -> Any:
        """The value used when the question is not answered (computed defaults may use earlier answers)."""
        if self.default is None or self.default == "":
            empty: dict[str, Any] = {"areatexts": {}, "areaproblems": {}, "textmap": {}, "texts": (), "text": "",
                                     "longtext": ""}
            return empty.get(self.type)
        if self.default.startswith("@"):
            return DEFAULTS[self.default](ctx, answers)
        return self.parse(self.default, ctx)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether to ask this question given the answers so far."""
        if any(answers.get(other) for other in self.unless):
            return False
        return all(answers.get(key) in values for key, values in self.when.items())


def _question_from(raw: Mapping[str, Any]) -> Question:
    def opt_int(name: str) -> int | None:
        return int(raw[name]) if raw.get(name) not in (None, "") else None

    when = {k: tuple(v) if isinstance(v, list) else (v,) for k, v in (raw.get("when") or {}).items()}
    return Question(
        key=raw["key"], scope=raw["scope"], type=raw["type"], prompt=raw["prompt"], help=raw.get("help") or "",
        default=raw.get("default"), choices=raw.get("choices"), min=opt_int("min"), max=opt_int("max"),
        required=str(raw.get("required", "")).lower() == "true", when=when, unless=tuple(raw.get("unless") or ()),
    )


@cache
def questions() -> tuple[Question, ...]:
    """All questions, in the order the wizard asks them."""
    from generator.resources import templates_dir
    from generator.yamlio import load_yaml

    return tuple(_question_from(q) for q in load_yaml(templates_dir() / "questions.yaml", cached=True).data)


def by_scope(scope: str) -> tuple[Question, ...]:
    return tuple(q for q in questions() if q.scope == scope)


def question(key: str) -> Question:
    for q in questions():
        if q.key == key:
            return q
    raise KeyError(key)
