"""The command line: a thin layer that parses arguments and calls the library.

Every command lives in its own module here with ``register(subparsers, common)``
and ``run(args) -> int``.  Command modules import only the standard library at
top level, so ``draftgen --help`` stays fast; heavy work is imported inside
``run``.  This module is the single boundary where user-facing errors
(:class:`generator.errors.DraftgenError`) become a Chinese message and an exit
status, without a traceback.

Exit status: 0 done; 1 done but something was found or failed (e.g. ``check``
findings); 2 bad input or usage; then 128 + the signal, as a shell shows it: 130
Ctrl-C, 143 SIGTERM (``kill``), 129 SIGHUP (the terminal closed), 141 a reader of
stdout that went away (``| head``).  All four take one path (:mod:`generator.interrupt`):
drafts in flight finish, temp files go, and the count is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from generator import __version__
from generator.cli import _zh

# (command name, module) in the order shown by --help.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("batch", "generator.cli.batch"),
    ("wizard", "generator.cli.wizard"),
    ("roster", "generator.cli.roster"),
    ("example", "generator.cli.example"),
    ("presets", "generator.cli.presets"),
    ("mine", "generator.cli.mine"),
    ("classify", "generator.cli.classify"),
    ("phrases", "generator.cli.phrases"),
    ("check", "generator.cli.check"),
    ("import", "generator.cli.importer"),
)

EXIT_OK, EXIT_FOUND, EXIT_BAD_INPUT = 0, 1, 2  # and 128 + signal when stopped: generator.interrupt.exit_status

_EPILOG = """\
示例：
  draftgen wizard --out 初稿/                 在终端中逐项回答，生成自己的初稿和答题文件
  draftgen batch 支部.yaml --out 初稿/         按配置文件为每名党员（或全支部）生成初稿
  draftgen roster 支部名册.xlsx                生成名册表格，各人填好后 draftgen batch 支部名册.xlsx 生成初稿
  draftgen example collective -o 支部.yaml     输出一份带注释的示例配置（个人、班子、问题清单、整改方案）
  draftgen check 初稿/*.docx                  会前检查改好的材料：缺项、待补充、标点、版式、雷同
  draftgen import 张明.docx -o 张明.yaml       从改好的初稿反推配置，以后重新生成时保留本人文字
  draftgen mine 我的范文/ --out 我的词库/        从自己收集的范文中挖掘词库
  draftgen phrases 两张皮                      浏览、搜索词库
  draftgen presets                            查看会议预设（查摆的几个方面）
  draftgen 子命令 --help                       查看某个子命令的用法

退出状态：0 完成；1 完成但发现问题；2 输入有误；130 被 Ctrl-C 中断；143 被 kill（SIGTERM）终止；
129 终端被关闭（SIGHUP）；141 读取输出的程序提前退出（如 | head）。"""


def _common_options() -> argparse.ArgumentParser:
    """Options every command accepts (placed after the command name too)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="不显示进度条和结束时的摘要，只报告错误")
    common.add_argument("--version", action="version", version=f"draftgen {__version__}", help="显示版本号并退出")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full parser; each command module adds its own subparser."""
    _zh.install()
    parser = argparse.ArgumentParser(
        prog="draftgen",
        description="起草对照检查材料、问题清单和整改方案的 Word 初稿（存在问题—原因分析—整改措施）。",
        epilog=_EPILOG,
        formatter_class=_zh.HelpFormatter,
        parents=[_common_options()],
    )
    subparsers = parser.add_subparsers(dest="command", metavar="<子命令>", title="子命令")
    common = _common_options()
    for _name, module in COMMANDS:
        importlib.import_module(module).register(subparsers, common)
    return parser


def _internal_error(exc: BaseException) -> int:
    """An unexpected exception is a bug: keep the traceback in a file, tell the user where."""
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="draftgen-error-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        traceback.print_exception(exc, file=fh)
    print(f"内部错误：{type(exc).__name__}。这是 draftgen 的缺陷，详细信息已保存到 {path}，请反馈给维护者。",
          file=sys.stderr)
    return EXIT_FOUND


def _quiet_stdout() -> None:
    """After the reader of stdout went away, nothing more goes there (nor at exit, as a second error)."""
    from generator.cli import streams

    streams.discard()
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _say(text: str) -> None:
    """A last message on stderr, which may be gone too (the terminal closed): then it is dropped."""
    from generator.fsio import printable

    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(printable(text), file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``draftgen`` command; returns the exit status."""
    from generator.cli import streams

    with streams.prepared():
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help(sys.stderr)
            return EXIT_BAD_INPUT
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the command; every way it can end becomes an exit status and, where due, one message."""
    from generator import interrupt
    from generator.cli import streams
    from generator.errors import DraftgenError, clip, os_reason

    try:
        with interrupt.handling():
            status: int = args.run(args)
            if sys.stdout is not None:
                sys.stdout.flush()  # a stdout that cannot take the output fails here, inside the boundary
        return status
    except DraftgenError as exc:
        _say(exc.render())
        return exc.exit_code
    except interrupt.Interrupted as exc:
        if exc.cause == interrupt.PIPE:
            _quiet_stdout()
        _say(exc.render())
        return interrupt.exit_status(exc.cause)
    except KeyboardInterrupt as exc:
        cause = interrupt.cause_of(exc)
        if cause == interrupt.PIPE:  # the reader took what it wanted (``draftgen phrases … | head``)
            _quiet_stdout()
        else:
            _say(f"\n{interrupt.describe(cause)}。")
        return interrupt.exit_status(cause)
    except BrokenPipeError:
        # The reader of our stdout went away (``| head``) outside a batch: it has what it wanted; the
        # status is that of a process ended by SIGPIPE, as a shell shows it.
        _quiet_stdout()
        return interrupt.exit_status(interrupt.PIPE)
    except OSError as exc:
        if exc.filename == streams.STDOUT:  # ``draftgen check … > /dev/full``
            _quiet_stdout()
            _say(f"错误：标准输出无法写入（{os_reason(exc)}），输出不完整。")
            return EXIT_BAD_INPUT
        # A path the system refuses (too long, on a read-only disk, a disk that filled up…)
        # that no command anticipated: the user's environment, not a bug; say which file.
        where = f"{clip(str(exc.filename))}：" if exc.filename is not None else ""
        _say(f"错误：{where}{os_reason(exc)}")
        return EXIT_BAD_INPUT
    except UnicodeEncodeError as exc:
        if exc.encoding.replace("-", "").lower() == "utf8":  # text of ours that UTF-8 cannot hold: a bug
            return _internal_error(exc)
        _quiet_stdout()
        _say(f"错误：标准输出的编码（{exc.encoding}）无法表示中文，输出不完整；"
             "请使用 UTF-8 的终端，或设置环境变量 PYTHONIOENCODING=utf-8 后重试。")
        return EXIT_BAD_INPUT
    except Exception as exc:  # the one place that turns a bug into a message
        if os.environ.get("DRAFTGEN_DEBUG"):
            raise
        return _internal_error(exc)
