"""One way to stop: Ctrl-C, ``kill``, a closed terminal and a reader that went away all end a command alike.

Four causes, one path.  SIGINT (Ctrl-C), SIGTERM (``kill``), SIGHUP (the terminal
was closed) and a broken pipe on stdout (``draftgen batch … | head -1``) each
become a *stop request* through :func:`request`:

* Inside :func:`deferred` (a batch writing drafts) the request is only recorded;
  the batch stops between whole drafts, lets the drafts in flight finish, lists
  them and reports its count.  Raising wherever a signal lands cannot be made
  exact: landing after a draft was renamed into place but before it was listed
  leaves a file the summary does not count.  A flag read at safe points can.
* Anywhere else under :func:`handling` (the CLI boundary) it raises
  :class:`Stopped`, a ``KeyboardInterrupt``, so that every command unwinds the
  way it unwinds for Ctrl-C (the wizard saves its answers, temp files go).

Exit statuses follow the shell's 128 + signal number: 130 Ctrl-C, 143 SIGTERM,
129 SIGHUP, 141 a broken pipe (as a process killed by SIGPIPE shows in a shell).
Outside the main thread signals keep their usual meaning.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# signal.SIGPIPE and signal.SIGHUP do not exist on Windows; their numbers stand for the causes everywhere.
SIGINT = int(signal.SIGINT)
SIGTERM = int(getattr(signal, "SIGTERM", 15))
SIGHUP = int(getattr(signal, "SIGHUP", 1))
PIPE = int(getattr(signal, "SIGPIPE", 13))

# What the summary says happened, per cause.
_HOW = {
    SIGINT: "已中断",
    SIGTERM: "已终止（收到终止信号 SIGTERM）",
    SIGHUP: "已停止（终端已关闭，收到 SIGHUP）",
    PIPE: "已停止（标准输出已被关闭，例如接在 | head 之后）",
}


def exit_status(cause: int) -> int:
    """128 + the signal's number, as a shell reports a process that a signal ended."""
    return 128 + cause


def describe(cause: int) -> str:
    return _HOW.get(cause, f"已停止（收到信号 {cause}）")


class Stopped(KeyboardInterrupt):
    """A stop request raised where Ctrl-C would be; ``cause`` is the signal (or :data:`PIPE`)."""

    def __init__(self, cause: int = SIGINT) -> None:
        super().__init__(cause)
        self.cause = cause


def cause_of(stop: BaseException) -> int:
    """The cause of a ``KeyboardInterrupt``: a plain one (prompt_toolkit's Ctrl-C) is SIGINT."""
    return stop.cause if isinstance(stop, Stopped) else SIGINT


@dataclass
class Interrupted(Exception):
    """A command stopped on request; carries what was finished so far (reported at the CLI boundary)."""

    done: int = 0
    total: int = 0
    notes: list[str] = field(default_factory=list)
    cause: int = SIGINT
    written: int = 0  # drafts written by this run (``done`` also counts those skipped as present)

    def render(self) -> str:
        return f"{describe(self.cause)}：完成 {self.done}/{self.total}" + ("".join(self.notes) or "。")


class StopRequest:
    """A stop asked for while :func:`deferred` was in force: the first cause wins."""

    def __init__(self) -> None:
        self.cause: int | None = None

    @property
    def requested(self) -> bool:
        return self.cause is not None


_DEFERRED: list[StopRequest] = []


def request(cause: int) -> None:
    """Ask to stop: recorded while a batch defers stops, otherwise raised as :class:`Stopped`."""
    if _DEFERRED:
        if _DEFERRED[-1].cause is None:
            _DEFERRED[-1].cause = cause
        return
    raise Stopped(cause)


def _handler(signum: int, frame: Any) -> None:
    request(signum)


def _signals() -> list[int]:
    return [s for s in (SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]


def _redeliver(unraisable: Any) -> None:
    """A stop raised where Python cannot raise (a weakref callback or ``__del__`` that a garbage collection
    ran just as the signal came) is reported and dropped by Python: send the same signal again in a moment,
    when the handler can raise, so that a stop is never lost.
    """
    stop = unraisable.exc_value
    if isinstance(stop, Stopped) and stop.cause in _signals() and hasattr(os, "kill"):
        threading.Timer(0.05, os.kill, (os.getpid(), stop.cause)).start()
        return
    sys.__unraisablehook__(unraisable)


@contextlib.contextmanager
def _installed() -> Iterator[None]:
    """Our handler for the three signals, the previous ones given back after (only in the main thread)."""
    previous: dict[int, Any] = {}
    for sig in _signals():
        with contextlib.suppress(ValueError, OSError):  # not the main thread: the usual meaning stays
            previous[sig] = signal.signal(sig, _handler)
    hook = sys.unraisablehook
    if previous:
        sys.unraisablehook = _redeliver
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sys.unraisablehook = hook


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """While a command runs: each signal raises :class:`Stopped` (or is recorded, inside :func:`deferred`)."""
    with _installed():
        yield


@contextlib.contextmanager
def deferred() -> Iterator[StopRequest]:
    """While drafts are written: stops are recorded in the returned request, to be acted on between drafts.

    Usable without :func:`handling` (the library called directly): the handlers are installed for its
    duration.  Ctrl-C arriving just as it ends is raised, not lost.
    """
    stop = StopRequest()
    with _installed():
        _DEFERRED.append(stop)
        try:
            yield stop
        finally:
            _DEFERRED.remove(stop)


def ignore_in_worker() -> None:
    """A worker process leaves every stop to the batch that started it, which decides when to stop."""
    for sig in _signals():
        signal.signal(sig, signal.SIG_IGN)
