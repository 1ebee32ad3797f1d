"""Chinese for argparse's own messages ("usage:", "options", error texts).

argparse looks its strings up through the module-global ``_`` and ``ngettext``
at call time, so replacing them translates the help and the usage errors
without re-implementing any parsing.
"""

from __future__ import annotations

import argparse
import re

_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
}
_PLURALS = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个值",
}


def _gettext(text: str) -> str:
    return _TEXTS.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _PLURALS.get((singular, plural), singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Chinese (idempotent)."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps our hand-wrapped examples and ends section titles with a full-width colon."""

    _HEADING = re.compile(r"^(\S[^\n]*):$", re.MULTILINE)

    def format_help(self) -> str:
        return self._HEADING.sub(r"\1：", super().format_help())
