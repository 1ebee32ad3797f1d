"""Helpers for the wizard tests: canned answers (level one) and a prompt_toolkit pipe (level two)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.cli import main
from generator.wizard.prompts import Option

ENTER, SPACE, DOWN, UP, CTRL_C, CTRL_U, BACKSPACE, TAB = "\r", " ", "\x1b[B", "\x1b[A", "\x03", "\x15", "\x7f", "\t"
DEFAULT = object()  # in a rule's list: answer this occurrence with the default
BACK = object()  # in a rule's list: press the back key at this prompt
ESC = "\x1b"

# Prompts of a personal draft: template, meeting, unit, preset, name, role, post; for each of four areas
# problems, the facts of each of its two problems, measures; last year's rectification (the causes are
# matched to the problems and changed on the review page).
PROMPTS_BEFORE_REVIEW = 7 + 4 * 4 + 1


class Stop:
    """In a rule's list: Ctrl-C at this prompt with ``typed`` in its text box."""

    def __init__(self, typed: str = "") -> None:
        self.typed = typed


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def problem_lines(path: Path) -> list[str]:
    """The problem section's paragraphs of a draft, numbering removed (“3.学习…” → “学习…”), by area."""
    from generator.doctree import Heading, Paragraph
    from generator.ooxml.reader import read_docx

    out: list[str] = []
    inside = False
    for block in read_docx(path).document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = "存在的问题" in block.text
        elif inside and isinstance(block, Heading):
            out.append(block.text)
        elif inside and isinstance(block, Paragraph):
            out.append(re.sub(r"^\d+[.．]", "", block.text))
    return out


def holds_in_order(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    """Every line of ``shorter`` is in ``longer``, in the same order (``longer`` may hold more)."""
    rest = iter(longer)
    return all(any(line == other for other in rest) for line in shorter)


def run_keys(keys: str, *args: str | Path) -> int:
    """``draftgen wizard ARGS`` in-process, its prompts reading ``keys`` from a pipe (no terminal needed).

    The pipe is closed after the keys, so a prompt that finds no key ends the run like Ctrl-D
    instead of waiting for ever.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return main(["wizard", *map(str, args)])


class Canned:
    """A Prompter that answers each prompt with its default, unless a rule for its message says otherwise.

    ``rules`` maps a part of a prompt's message to a list of answers used in turn (``DEFAULT`` for the
    default; a callable receives the options, or the default text); everything asked and said is recorded.
    """

    def __init__(self, rules: dict[str, list[Any]] | None = None) -> None:
        self.rules = {k: list(v) for k, v in (rules or {}).items()}
        self.asked: list[str] = []
        self.shown: list[str] = []
        self.said: list[str] = []
        self._typed: str | None = None

    def typed(self) -> str | None:
        return self._typed

    def _rule(self, message: str) -> Any:
        from generator.wizard.prompts import Back

        self.asked.append(message)
        self._typed = None
        for key, answers in self.rules.items():
            if key in message and answers:
                rule = answers.pop(0)
                if rule is BACK:
                    raise Back()
                if isinstance(rule, Stop):
                    self._typed = rule.typed
                    raise KeyboardInterrupt
                return rule
        return DEFAULT

    def select(self, message: str, options: Sequence[Option], default: Any = None) -> Any:
        self.shown += [o.title for o in options]
        rule = self._rule(message)
        if rule is DEFAULT:
            return default if default is not None else options[0].value
        return rule(options) if callable(rule) else rule

    def checkbox(self, message: str, options: Sequence[Option], check: Callable[[Any], str | None] | None = None,
                 limit: int | None = None) -> list[Any]:
        self.shown += [o.title for o in options]
        rule = self._rule(message)
        values = [o.value for o in options if o.checked] if rule is DEFAULT else \
            (rule(options) if callable(rule) else rule)
        error = check(values) if check else None
        assert error is None, f"{message}: {error}"
        chosen = [v for v in values if not any(o.value == v and o.action for o in options)]
        assert limit is None or len(chosen) <= limit, f"{message}: {len(chosen)} > {limit}"
        return list(values)

    def text(self, message: str, default: str = "", check: Callable[[Any], str | None] | None = None) -> str:
        rule = self._rule(message)
        value = default if rule is DEFAULT else (rule(default) if callable(rule) else rule)
        error = check(value) if check else None
        assert error is None, f"{message}: {error}"
        return str(value)

    multiline = text

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)

    def later(self, work: Callable[[], object]) -> None:
        work()


def titled(*parts: str, keep_checked: bool = False) -> Callable[[Sequence[Option]], list[Any]]:
    """A checkbox rule: check the options whose title contains one of ``parts`` (and, if asked, the checked ones)."""

    def pick(options: Sequence[Option]) -> list[Any]:
        return [o.value for o in options
                if any(p in o.title or p in o.detail for p in parts) or (keep_checked and o.checked)]

    return pick


def entry(prefix: str) -> Callable[[Sequence[Option]], Any]:
    """A select rule: the option whose title starts with ``prefix``."""

    def pick(options: Sequence[Option]) -> Any:
        return next(o.value for o in options if o.title.startswith(prefix))

    return pick
