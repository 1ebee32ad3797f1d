"""One exception base for every failure a user can cause or fix.

The CLI catches :class:`DraftgenError` at a single boundary and prints its Chinese
message without a traceback; anything else that escapes is a bug in draftgen.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

# Longest stretch of a message, field path or file name echoed back: a 1 MB value
# pasted by mistake must not come back as 1 MB of error text.
MAX_ECHO = 200
MAX_MESSAGE = 500


def clip(text: str, limit: int = MAX_ECHO) -> str:
    """Shorten ``text`` in the middle, keeping its start and its end (where hints like "是不是…" sit)."""
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]}"


_ERRNO_ZH = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "是一个文件夹",
    errno.EEXIST: "已存在",
    errno.EROFS: "位于只读的磁盘或分区上",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ELOOP: "符号链接形成了循环",
    errno.EIO: "读写出错（磁盘或网络故障）",
    errno.EMFILE: "同时打开的文件太多",
    errno.EBUSY: "正被其他程序占用",
    errno.EINVAL: "名称或参数无效",
}
for _name, _zh in (("EDQUOT", "超出磁盘配额"), ("ETXTBSY", "正被其他程序占用")):
    if hasattr(errno, _name):
        _ERRNO_ZH[getattr(errno, _name)] = _zh


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese where the errno is a common one."""
    return _ERRNO_ZH.get(exc.errno or 0) or exc.strerror or type(exc).__name__


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem sits (1-based line and column)."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        parts = [clip(self.file)]
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
            if self.column is not None:
                parts.append(f"第 {self.column} 列")
        where = "，".join(parts)
        if self.path:
            where += f"，字段 {clip(self.path, 80)}"
        return where

    @property
    def sort_key(self) -> tuple[int, ...]:
        """Problems are listed in the order they sit in the file."""
        return (self.line or 0, self.column or 0)


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of a spreadsheet: "成员表 第 5 行 C 列（岗位）" (the file is named once, above the list)."""

    sheet: str = ""
    sheet_index: int = 0
    letter: str = ""
    header: str = ""

    def __str__(self) -> str:
        where = clip(self.sheet, 40)
        if self.line is not None:
            where += f" 第 {self.line} 行"
        if self.letter:
            where += f" {self.letter} 列"
        if self.header:
            where += f"（{clip(self.header, 40)}）"
        return where

    @property
    def sort_key(self) -> tuple[int, ...]:
        return (self.sheet_index, self.line or 0, self.column or 0)


class DraftgenError(Exception):
    """Base of all user-facing errors; ``exit_code`` follows the CLI convention (2 = bad input)."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        """The text printed to stderr."""
        return f"错误：{clip(self.message, MAX_MESSAGE)}"


@dataclass
class Problem:
    """One finding about an input: a message and, where known, its place."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        message = clip(self.message, MAX_MESSAGE)
        return f"{self.location}：{message}" if self.location else message


class InputError(DraftgenError):
    """An input file or value is wrong; may carry several located problems."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])

    def render(self) -> str:
        if not self.problems:
            return super().render()
        shown = self.problems[:10]
        lines = [f"错误：{clip(self.message, MAX_MESSAGE)}"] + [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  （另有 {len(self.problems) - len(shown)} 处问题未列出）")
        return "\n".join(lines)


class OutputError(DraftgenError):
    """An output cannot be written (exists without --force, folder not writable, …)."""


class AlreadyExists(OutputError):
    """The target exists and may not be replaced (no ``--force``); found when the file is about to be written."""

    def __init__(self, target: object) -> None:
        super().__init__(f"{target} 已存在；如要覆盖，请加 --force")
        self.target = target

    def __reduce__(self) -> tuple[type, tuple[object]]:  # drafts are written in worker processes
        return type(self), (self.target,)


class UsageError(DraftgenError):
    """The command line itself is wrong."""


class DraftFailed(DraftgenError):
    """One draft of a batch could not be written (a user's template failing on this member's data, a full
    disk…): says whose, and, once the batch has stopped, how many drafts it had written."""

    def __init__(self, message: str, who: str, written: int | None = None, left: int = 0) -> None:
        super().__init__(message)
        self.who, self.written, self.left = who, written, left

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None, int]]:  # raised in worker processes
        return type(self), (self.message, self.who, self.written, self.left)

    def render(self) -> str:
        text = f"错误：{self.who}没有写成：{clip(self.message, MAX_MESSAGE)}"
        if self.written == 0:
            return text + "\n没有写入任何初稿。"
        if self.written:
            text += (f"\n已写入 {self.written} 份初稿（已在标准输出列出）；"
                     f"修正后用 --skip-existing 重新运行即可补齐其余 {self.left} 份。")
        return text
