"""``draftgen wizard``: answer questions in a terminal, get a draft and an answers file to reuse."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "在终端中逐项回答问题，生成初稿和可重复使用的答题文件"
EPILOG = """\
示例：
  draftgen wizard                                   逐项回答，在当前文件夹生成初稿
  draftgen wizard --out 初稿/                        初稿和答题文件写入“初稿”文件夹
  draftgen wizard --answers 张明-….answers.yaml      用上次的回答直接打开核对页（也可以是配置文件）
  draftgen wizard --answers 支部.yaml --person 王丽   配置文件中有多名党员时，为其中一人起草
  draftgen wizard --answers 支部名册.xlsx --person 王丽  从填好的名册中为其中一人起草

每一项都有默认值，一路按回车即可得到完整的初稿；最后的核对页列出全部回答，选中任一项即可修改。
初稿旁边保存“<初稿文件名>.answers.yaml”：它就是一份配置文件，draftgen batch 用它生成同样的初稿。
每个画面按 Esc 返回上一步；按 Ctrl-C 随时中断，已回答和正在输入的内容都会保存下来，下次从中断的那一题接着填。
没有终端（例如在脚本中）时请改用 draftgen batch。
退出状态：0 完成；2 输入有误或没有终端；130 被 Ctrl-C 中断；143 被 kill 终止；129 终端被关闭（都保存已回答的内容）。"""

NO_TERMINAL = ("向导需要在终端中交互运行，但现在的标准输入不是终端。"
               "没有终端时，请把回答写进配置文件，再用 draftgen batch 配置文件.yaml --out 文件夹 生成"
               "（draftgen example -o 支部.yaml 输出一份带注释的示例，draftgen roster 生成名册表格；"
               "向导保存的 .answers.yaml 也是配置文件）。")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("wizard", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("-a", "--answers", type=Path, metavar="FILE",
                   help="用这个答题文件或配置文件预填每一项")
    p.add_argument("--person", metavar="NAME", help="配置文件中有多名党员时，预填其中这一位的回答")
    p.add_argument("-o", "--out", type=Path, default=Path("."), metavar="DIR",
                   help="初稿和答题文件的输出文件夹（默认当前文件夹）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名文件而不再询问")
    p.add_argument("--presets", type=Path, action="append", default=[], metavar="DIR",
                   help="另外读取这个文件夹中的会议预设（可重复）")
    p.set_defaults(run=run)


def has_terminal() -> bool:
    return sys.stdin.isatty()


def run(args: argparse.Namespace) -> int:
    from generator.errors import UsageError

    if args.person and not args.answers:
        raise UsageError("--person 选择配置文件中的一名党员，要和 --answers 配置文件 一起使用")
    if not has_terminal():
        raise UsageError(NO_TERMINAL)
    from generator.wizard.session import Options, run_wizard

    return run_wizard(Options(out=args.out, answers=args.answers, person=args.person, force=args.force,
                              preset_dirs=tuple(args.presets), quiet=args.quiet))
