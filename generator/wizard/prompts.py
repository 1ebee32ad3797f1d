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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

Check = Callable[[Any], "str | None"]  # an error message, or None when the answer is fine

BACK_HINT = "Esc 返回上一步"
TEXT_HELP = f"回车确认；{BACK_HINT}"
MULTILINE_HELP = f"可写多行，每行一条；在空行上按回车结束；{BACK_HINT}"


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


def _validator(check: Check | None) -> Callable[[Any], bool | str]:
    def validate(value: Any) -> bool | str:
        message = check(value) if check else None
        return True if message is None else message

    return validate


STYLE = [("help", "fg:ansibrightblack"), ("note", "fg:ansicyan"), ("warn", "fg:ansiyellow"),
         ("detail", "fg:ansibrightblack"), ("checked", "fg:ansigreen"), ("error", "fg:ansired bold")]


@contextmanager
def _kill_ends(app: Any) -> Iterator[None]:
    """While ``app`` runs, kill (SIGTERM) or a closed terminal (SIGHUP) ends it the way Ctrl-C does, from
    inside its event loop, as :class:`~generator.interrupt.Stopped` with that cause.

    Raising from the signal handler instead (what :mod:`generator.interrupt` does elsewhere) could land
    anywhere, even in a callback where Python ignores the exception, and the prompt would go on waiting.
    """
    import signal

    from generator.interrupt import Stopped

    def handler(signum: int, frame: object) -> None:
        loop = getattr(app, "loop", None)
        if loop is None or not app.is_running:
            raise Stopped(signum)
        loop.call_soon_threadsafe(lambda: app.exit(exception=Stopped(signum)) if app.is_running else None)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, handler)
        except (ValueError, OSError):  # not the main thread: the usual meaning stays
            continue
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


class Terminal:
    """The real prompts (questionary and prompt_toolkit), reading the current prompt_toolkit session's input."""

    def __init__(self) -> None:
        from prompt_toolkit.styles import Style

        self.style = Style(STYLE)
        self._later: list[Callable[[], object]] = []
        self._typed: str | None = None

    def later(self, work: Callable[[], object]) -> None:
        self._later.append(work)

    def typed(self) -> str | None:
        return self._typed

    def _run(self, question: Any, *, text_box: str | None = None) -> Any:
        """Run a questionary question; pending work starts in a thread once the prompt is on the screen.

        A text prompt left by Ctrl-C, kill (SIGTERM, raised here as a KeyboardInterrupt) or the back key
        leaves its text behind in :meth:`typed`, confirmed lines and the line in progress alike.
        """
        if self._later:
            work, self._later = self._later, []

            def start(_app: object) -> None:
                import threading

                while work:  # once, on the first render
                    threading.Thread(target=work.pop(0), daemon=True).start()

            question.application.after_render += start
        self._typed = None
        try:
            with _kill_ends(question.application):
                return question.unsafe_ask()
        except (KeyboardInterrupt, Back):
            typed = question.application.current_buffer.text
            if text_box is not None and typed.strip() != text_box.strip():  # what the member typed, not the default
                self._typed = typed
            raise

    def _text_keys(self, multiline: bool) -> Any:
        from prompt_toolkit.key_binding import KeyBindings

        keys = KeyBindings()

        @keys.add("escape", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(exception=Back())

        @keys.add("c-c", eager=True)
        def _stop(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        if multiline:
            @keys.add("enter")
            def _enter(event: Any) -> None:
                buffer = event.current_buffer
                if buffer.document.current_line.strip():
                    buffer.insert_text("\n")
                else:
                    buffer.validate_and_handle()

        return keys

    def select(self, message: str, options: Sequence[Option], default: Any = None) -> Any:
        from generator.wizard.lists import list_prompt

        return self._run(list_prompt(message, options, self.style, default=default))

    def text(self, message: str, default: str = "", check: Check | None = None) -> str:
        import questionary

        self.say(wrap(f"  （{TEXT_HELP}）"), "class:help")
        answer: str = self._run(questionary.text(message, default=default, validate=_validator(check),
                                                 key_bindings=self._text_keys(False), style=self.style),
                                text_box=default)
        return answer

    def multiline(self, message: str, default: str = "", check: Check | None = None) -> str:
        """Enter on an empty line finishes, so pressing Enter at once keeps the pre-filled text."""
        import questionary

        self.say(wrap(f"  （{MULTILINE_HELP}）"), "class:help")
        start = default.strip("\n") + "\n" if default.strip() else ""
        answer: str = self._run(questionary.text(message, default=start, validate=_validator(check), multiline=True,
                                                 instruction="\n", key_bindings=self._text_keys(True),
                                                 style=self.style), text_box=start)
        return answer.strip("\n")

    def checkbox(self, message: str, options: Sequence[Option], check: Check | None = None,
                 limit: int | None = None) -> list[Any]:
        from generator.wizard.lists import list_prompt

        values: list[Any] = self._run(list_prompt(message, options, self.style, multiple=True, validate=check,
                                                  limit=limit))
        return values

    def say(self, text: str, style: str = "") -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(FormattedText([(style, text)]), style=self.style)
