"""``draftgen example``: a commented example spec for each document type, shipped inside the package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "输出一份带注释的示例配置（YAML），改一改就能用"
EPILOG = """\
示例：
  draftgen example                              在屏幕上显示个人对照检查材料的示例配置
  draftgen example collective -o 支部.yaml        把班子（支部）对照检查材料的示例写进 支部.yaml
  draftgen example 整改方案 -o 整改方案.yaml       类型也可以写中文名称
  draftgen example set -o 全套.yaml              一次会议的全套材料：班子材料、问题清单、整改方案（问题一一对应）
  draftgen batch 支部.yaml --out 初稿/            按改好的配置生成初稿

类型：personal（个人对照检查材料）、collective（班子/支部对照检查材料）、problem-list（问题清单）、
rectification（整改方案）、unit-report（党建工作问题分析报告），以及 set（全套材料）。
用表格收集信息时，改用 draftgen roster 生成名册。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("example", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("type", nargs="?", default="personal", metavar="类型", help="材料类型（默认 personal）")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="写入这个文件，而不是显示在屏幕上")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名文件")
    p.set_defaults(run=run)


SET_NAMES = ("set", "全套", "全套材料")  # one spec for the set of a meeting's documents (examples/set.yaml)


def example_text(name: str) -> str:
    """The example spec for a document type (id, title or alias)."""
    from generator.errors import UsageError
    from generator.questions import AnswerError, Context, question
    from generator.resources import data_dir

    if name in SET_NAMES:
        return (data_dir("examples") / "set.yaml").read_text(encoding="utf-8")
    try:
        doctype = question("template").parse(name, Context())
    except AnswerError as exc:
        raise UsageError(f"材料类型有误：{exc.message}") from None
    if doctype is None:
        raise UsageError("请给出材料类型，例如 personal")
    return (data_dir("examples") / f"{doctype}.yaml").read_text(encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    from generator.fsio import atomic_writer

    text = example_text(args.type)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    with atomic_writer(args.output, force=args.force) as fh:
        fh.write(text.encode("utf-8"))
    print(args.output, flush=True)
    if not args.quiet:
        print(f"示例配置已写入 {args.output}；修改后运行：draftgen batch {args.output} --out 初稿/", file=sys.stderr)
    return 0
