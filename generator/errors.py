"""One exception base for every failure a user can cause or fix.

The CLI catches :class:`DraftgenError` at a single boundary and prints its Chinese
message without a traceback; anything else that escapes is a bug in draftgen.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem sits (1-based line and column)."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
            if self.column is not None:
                parts.append(f"第 {self.column} 列")
        where = "，".join(parts)
        if self.path:
            where += f"，字段 {self.path}"
        return where


class DraftgenError(Exception):
    """Base of all user-facing errors; ``exit_code`` follows the CLI convention (2 = bad input)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        """The text printed to stderr."""
        return f"错误：{self.message}"


@dataclass
class Problem:
    """One finding about an input: a message and, where known, its place."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}：{self.message}" if self.location else self.message


class InputError(DraftgenError):
    """An input file or value is wrong; may carry several located problems."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])

    def render(self) -> str:
        if not self.problems:
            return super().render()
        shown = self.problems[:10]
        lines = [f"错误：{self.message}"] + [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  （另有 {len(self.problems) - len(shown)} 处问题未列出）")
        return "\n".join(lines)


class OutputError(DraftgenError):
    """An output cannot be written (exists without --force, folder not writable, …)."""


class UsageError(DraftgenError):
    """The command line itself is wrong."""


@dataclass
class Interrupted(Exception):
    """Raised when the user pressed Ctrl-C; carries what was finished so far."""

    done: int = 0
    total: int = 0
    notes: list[str] = field(default_factory=list)
