"""Standard streams made safe for a command: closed ones reopened, failures named, odd file names printable.

* Started with stdout or stderr closed (``>&-``): /dev/null is put there, or the next file opened (a
  draft's temp file) would take descriptor 1 or 2 and receive what is printed.
* A failure to write stdout (``> /dev/full``, a reader gone) carries the file name "标准输出", so the
  message at the CLI boundary says what could not be written instead of a bare "磁盘空间不足".
* File names that are not UTF-8 (GBK bytes, from a Windows archive) reach stdout as their own bytes,
  as ``ls`` prints them, and stderr as readable text (:func:`generator.fsio.printable`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from typing import Any

STDOUT = "标准输出"


class _NamedOutput(io.FileIO):
    """fd 1, whose write errors name it."""

    discarding = False

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(data)
        try:
            return super().write(data)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, STDOUT) from None  # EPIPE stays a BrokenPipeError


class _ClosedOutput(io.RawIOBase):
    """Stands for a stdout that was closed when the command started: each write fails, naming it."""

    discarding = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.discarding:
            return len(data)
        raise OSError(errno.EBADF, "启动时已被关闭", STDOUT)


def _names_as_text(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Codec error handler for stderr: escaped bytes of a file name shown as the GBK text they nearly always are."""
    from generator.fsio import printable

    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start:exc.end]
    if exc.encoding.replace("-", "").lower() in ("utf8",):
        fixed = printable(text)
        if fixed != text:  # as bytes: the UTF-8 encoder takes only ASCII text from a handler
            return fixed.encode("utf-8"), exc.end
    return codecs.backslashreplace_errors(exc)


codecs.register_error("draftgen-names", _names_as_text)


_CURRENT: list[_NamedOutput | _ClosedOutput] = []


def discard() -> None:
    """Nothing more goes to stdout (its reader left, or it cannot take more): what is pending is dropped,
    so that no later flush fails a second time."""
    for raw in _CURRENT:
        raw.discarding = True


def _reopen_closed() -> None:
    for fd in (1, 2):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)


@contextlib.contextmanager
def prepared() -> Iterator[None]:
    """For the duration of a command (the previous streams are given back after)."""
    _reopen_closed()
    out, err = sys.stdout, sys.stderr
    raw: _NamedOutput | _ClosedOutput | None = None
    if out is None:  # ``>&-``: Python found no stdout; writing to it fails with a message, never silently
        raw = _ClosedOutput()
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="surrogateescape")
    elif isinstance(out, io.TextIOWrapper) and _is_fd(out, 1):
        with contextlib.suppress(OSError, ValueError):
            out.flush()
            errors = "surrogateescape" if (out.encoding or "").replace("-", "").lower() == "utf8" else out.errors
            raw = _NamedOutput(1, "w", closefd=False)
            sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=out.encoding, errors=errors,
                                          line_buffering=out.line_buffering)
    if raw is not None:
        _CURRENT.append(raw)
    named = err if isinstance(err, io.TextIOWrapper) and _is_fd(err, 2) else None
    before = named.errors if named is not None else "strict"
    if named is not None:
        with contextlib.suppress(ValueError, LookupError):
            named.reconfigure(errors="draftgen-names")
    try:
        yield
    finally:
        if named is not None:
            with contextlib.suppress(ValueError, LookupError):
                named.reconfigure(errors=before)
        if raw is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
            raw.discarding = True  # whatever could not be flushed is dropped now, not at exit as a second error
            _CURRENT.remove(raw)
            sys.stdout = out


def _is_fd(stream: io.TextIOWrapper, fd: int) -> bool:
    try:
        return stream.fileno() == fd
    except (OSError, ValueError):
        return False
