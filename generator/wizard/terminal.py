"""The real prompts: the wizard's :class:`~generator.wizard.prompts.Prompter` on questionary and prompt_toolkit.

The list prompts are assembled in :mod:`generator.wizard.lists` (Chinese
throughout, and leaner than questionary's own); text prompts are questionary's.
questionary and prompt_toolkit cost about 0.2 s to import, so they are imported
on the first prompt, not with this module (the first prompt of
:mod:`generator.wizard.first` is on the screen before they are needed in full).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from generator.interrupt import Stopped
from generator.wizard.lists import list_prompt
from generator.wizard.prompts import BACK_HINT, Back, Check, Option, wrap

TEXT_HELP = f"回车确认；{BACK_HINT}"
MULTILINE_HELP = f"可写多行，每行一条；在空行上按回车结束；{BACK_HINT}"


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
        values: list[Any] = self._run(list_prompt(message, options, self.style, multiple=True, validate=check,
                                                  limit=limit))
        return values

    def say(self, text: str, style: str = "") -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(FormattedText([(style, text)]), style=self.style)
