"""Asking one question of the shared model: the prompt kind follows its type, and every typed answer goes
through ``Question.parse``, the parser the spec loader applies to YAML, so both accept exactly the same values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from generator.questions import AnswerError, Choice, Context, Question
from generator.wizard.prompts import Option, Prompter


def parse_error(q: Question, raw: Any, ctx: Context) -> str | None:
    """The parser's Chinese message for ``raw``, or None when it parses."""
    try:
        q.parse(raw, ctx)
    except AnswerError as exc:
        return exc.message
    return None


def shown(value: Any) -> str:
    """An answer as the text a member would type for it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return str(value)


def choice_title(c: Choice) -> str:
    """Latin ids are for files, so people see the label, or a more specific alias of it
    ("班子对照检查材料" for "对照检查材料"); Chinese ids are names and come first."""
    if c.value.isascii():
        label = c.label or c.value
        return max([label, *(a for a in c.aliases if a.endswith(label))], key=len)
    return f"{c.value}：{c.label}" if c.label and c.label != c.value else c.value


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def ask(p: Prompter, q: Question, current: Any, ctx: Context, answers: Mapping[str, Any],
        options: Callable[[Question], list[Option]] | None = None) -> Any:
    """Ask ``q`` with ``current`` pre-filled and return the parsed answer (its default when left empty)."""
    if q.help:
        p.say(f"  {q.help}", "class:help")
    if q.type == "choice":
        listed = options(q) if options else [Option(c.value, choice_title(c)) for c in q.choice_list(ctx)]
        value = q.parse(p.select(q.prompt, listed, default=current), ctx)
    elif q.type == "multichoice":
        chosen = set(current or ())
        listed = [Option(c.value, choice_title(c), checked=c.value in chosen) for c in q.choice_list(ctx)]
        checked = p.checkbox(q.prompt, listed, check=lambda vs: parse_error(q, list(vs), ctx) if vs else "至少选一项")
        value = q.parse(list(checked), ctx)
    elif q.type == "longtext":
        # In the prompt a line is a paragraph (an empty line ends the answer); in the spec a blank line is.
        typed = p.multiline(q.prompt, "\n".join(str(current or "").split("\n\n")),
                            check=lambda s: parse_error(q, "\n\n".join(lines(s)), ctx))
        value = q.parse("\n\n".join(lines(typed)), ctx)
    else:
        raw = p.text(q.prompt, shown(current), check=lambda s: parse_error(q, s, ctx))
        value = q.parse(raw, ctx)
    return q.default_value(ctx, answers) if value is None else value
