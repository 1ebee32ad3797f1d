"""The four kinds of prompt the wizard needs, in Chinese, on top of questionary.

The flow talks to a :class:`Prompter`, never to questionary directly, so tests
can replace the single prompt call with canned answers (level one), drive the
real prompts through a prompt_toolkit pipe (level two) or a terminal (level
three).  questionary costs about 0.2 s to import, so it is imported on the first
prompt, not with this module.

The list prompts are assembled in :mod:`generator.wizard.lists` (Chinese
throughout, and leaner than questionary's own); text prompts are questionary's.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Check = Callable[[Any], "str | None"]  # an error message, or None when the answer is fine

MULTILINE_HELP = "（可写多行；在空行上按回车结束）"


@dataclass(frozen=True)
class Option:
    """One entry of a list prompt; ``detail`` is shown in full while it is highlighted.

    An ``action`` entry (e.g. "type one's own") does something rather than being chosen.
    """

    value: Any
    title: str
    checked: bool = False
    detail: str = ""
    action: bool = False


def width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int | None = None) -> str:
    """``text`` on one line of at most ``limit`` columns (default: the terminal's width less a margin)."""
    if limit is None:
        limit = max(30, shutil.get_terminal_size().columns - 6)
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    out, used = "", 1
    for ch in text:
        used += width(ch)
        if used > limit:
            break
        out += ch
    return out + "…"


class Prompter(Protocol):
    """What the flow asks of a terminal.  Every call raises KeyboardInterrupt on Ctrl-C."""

    def select(self, message: str, options: Sequence[Option], default: Any = None) -> Any: ...

    def checkbox(self, message: str, options: Sequence[Option], check: Check | None = None) -> list[Any]: ...

    def text(self, message: str, default: str = "", check: Check | None = None) -> str: ...

    def multiline(self, message: str, default: str = "", check: Check | None = None) -> str: ...

    def say(self, text: str, style: str = "") -> None: ...

    def later(self, work: Callable[[], object]) -> None:
        """Do ``work`` while the member reads the next prompt (or at once, where nobody reads)."""


def _validator(check: Check | None) -> Callable[[Any], bool | str]:
    def validate(value: Any) -> bool | str:
        message = check(value) if check else None
        return True if message is None else message

    return validate


STYLE = [("help", "fg:ansibrightblack"), ("note", "fg:ansicyan"), ("warn", "fg:ansiyellow"),
         ("detail", "fg:ansibrightblack"), ("checked", "fg:ansigreen"), ("error", "fg:ansired bold")]


class Terminal:
    """The real prompts (questionary and prompt_toolkit), reading the current prompt_toolkit session's input."""

    def __init__(self) -> None:
        from prompt_toolkit.styles import Style

        self.style = Style(STYLE)
        self._later: list[Callable[[], object]] = []

    def later(self, work: Callable[[], object]) -> None:
        self._later.append(work)

    def _run(self, question: Any) -> Any:
        """Run a questionary question; pending work starts in a thread once the prompt is on the screen."""
        if self._later:
            work, self._later = self._later, []

            def start(_app: object) -> None:
                import threading

                while work:  # once, on the first render
                    threading.Thread(target=work.pop(0), daemon=True).start()

            question.application.after_render += start
        return question.unsafe_ask()

    def select(self, message: str, options: Sequence[Option], default: Any = None) -> Any:
        from generator.wizard.lists import list_prompt

        return self._run(list_prompt(message, options, self.style, default=default))

    def text(self, message: str, default: str = "", check: Check | None = None) -> str:
        import questionary

        answer: str = self._run(questionary.text(message, default=default, validate=_validator(check),
                                                 style=self.style))
        return answer

    def multiline(self, message: str, default: str = "", check: Check | None = None) -> str:
        """Enter on an empty line finishes, so pressing Enter at once keeps the pre-filled text."""
        import questionary
        from prompt_toolkit.key_binding import KeyBindings

        keys = KeyBindings()

        @keys.add("enter")
        def _enter(event: Any) -> None:
            buffer = event.current_buffer
            if buffer.document.current_line.strip():
                buffer.insert_text("\n")
            else:
                buffer.validate_and_handle()

        start = default.strip("\n") + "\n" if default.strip() else ""
        answer: str = self._run(questionary.text(message, default=start, validate=_validator(check), multiline=True,
                                                 instruction=MULTILINE_HELP + "\n", key_bindings=keys,
                                                 style=self.style))
        return answer.strip("\n")

    def checkbox(self, message: str, options: Sequence[Option], check: Check | None = None) -> list[Any]:
        from generator.wizard.lists import list_prompt

        values: list[Any] = self._run(list_prompt(message, options, self.style, multiple=True, validate=check))
        return values

    def say(self, text: str, style: str = "") -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(FormattedText([(style, text)]), style=self.style)
