"""What the wizard's flow asks of a terminal: the four kinds of prompt, as a :class:`Prompter`.

The flow talks to a :class:`Prompter`, never to questionary directly, so tests
can replace the single prompt call with canned answers (level one), drive the
real prompts through a prompt_toolkit pipe (level two) or a terminal (level
three).  This module holds what both sides share (the protocol, :class:`Option`,
:class:`Back`, text widths and wrapping); the real prompts are
:class:`generator.wizard.terminal.Terminal`, whose list prompts are assembled in
:mod:`generator.wizard.lists`.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Check = Callable[[Any], "str | None"]  # an error message, or None when the answer is fine

BACK_HINT = "Esc 返回上一步"


def wrap_for(stream: Any, text: str) -> str:
    """``text`` wrapped for ``stream`` when it is a terminal; unchanged for a pipe or a file."""
    isatty = getattr(stream, "isatty", None)
    return wrap(text) if isatty is not None and isatty() else text


class Back(Exception):
    """The member pressed the back key: ask the previous question again, its answer kept."""


# a path (Latin letters with / or \, Chinese file names included, up to a space or Chinese punctuation),
# a Latin word (a command, an option), a run of spaces, or any one character
_TOKEN = r"[!-~]*[/\\][^\s，。；：、（）“”]*|[!-~]+|\s+|."
_NO_LINE_START = "）》」』】〕，。、；：！？”’…"


def wrap(text: str, columns: int | None = None, indent: str = "") -> str:
    """``text`` broken into lines of at most ``columns`` terminal columns: between any two Chinese
    characters, but a word of Latin text or a path only at a space, so a command is never cut mid-word
    (a path longer than a line is broken where it must)."""
    import re

    if columns is None:
        columns = max(20, shutil.get_terminal_size().columns - 1)
    out: list[str] = []
    for paragraph in text.split("\n"):
        lead = paragraph[: len(paragraph) - len(paragraph.lstrip())]
        line, used, paragraph = lead, width(lead), paragraph.lstrip()
        tokens: list[str] = []
        for token in re.findall(_TOKEN, paragraph):
            tokens += list(token) if width(token) > columns else [token]
        for token in tokens:
            size = width(token)
            if token.isspace():
                if line and used + size <= columns:
                    line, used = line + token, used + size
                elif line:
                    out.append(line.rstrip())
                    line, used = indent, width(indent)
                continue
            if used + size > columns and line.strip():
                carry = ""
                if token[0] in _NO_LINE_START and len(line.strip()) > 1:  # "）" never opens a line
                    line, carry = line[:-1], line[-1]
                out.append(line.rstrip())
                line, used = indent + carry, width(indent + carry)
            line, used = line + token, used + size
        out.append(line.rstrip())
    return "\n".join(out)


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

    def checkbox(self, message: str, options: Sequence[Option], check: Check | None = None,
                 limit: int | None = None) -> list[Any]: ...

    def text(self, message: str, default: str = "", check: Check | None = None) -> str: ...

    def multiline(self, message: str, default: str = "", check: Check | None = None) -> str: ...

    def typed(self) -> str | None:
        """What was in the text box when the last text prompt was left by Ctrl-C, kill or the back key."""

    def say(self, text: str, style: str = "") -> None: ...

    def later(self, work: Callable[[], object]) -> None:
        """Do ``work`` while the member reads the next prompt (or at once, where nobody reads)."""
