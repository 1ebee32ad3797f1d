"""``draftgen phrases``: browse and search the phrase bank."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "浏览、搜索词库中的问题、原因、措施语句"
EPILOG = """\
示例：
  draftgen phrases                                  列出全部条目
  draftgen phrases 两张皮                           搜索标题或正文含“两张皮”的条目
  draftgen phrases --kind 措施 --dimension 理论学习   只看理论学习方面的整改措施
  draftgen phrases --bank 我的词库/ | grep curated     浏览自己的词库，配合其他命令使用

输出：
  每条一行，以制表符分隔：编号、类型、方面、标记、标题、正文、来源。
  标记为 dated（含过时的年份、地点、人物）或 specific（他人的具体数字、单位），
  这些条目不会自动用于初稿。"""

_KIND_ALIASES = {"problem": "problem", "问题": "problem", "存在问题": "problem",
                 "cause": "cause", "原因": "cause", "原因分析": "cause",
                 "measure": "measure", "措施": "measure", "整改措施": "measure"}


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("phrases", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("query", nargs="?", default="", metavar="QUERY", help="要搜索的文字或条目编号（可省略）")
    p.add_argument("--kind", metavar="K", help="类型：problem/问题、cause/原因、measure/措施")
    p.add_argument("--dimension", metavar="D", help="方面，如 理论学习、工作作风（见 draftgen presets）")
    p.add_argument("--bank", type=Path, metavar="DIR", help="词库文件夹（默认：自带词库）")
    p.add_argument("--unflagged", action="store_true",
                   help="只列出可直接用于初稿的条目（不含 dated、specific）")
    p.set_defaults(run=run)


def _check(args: argparse.Namespace) -> tuple[str | None, str | None]:
    from generator.errors import InputError
    from generator.taxonomy import dimension_ids, suggest

    kind = None
    if args.kind:
        kind = _KIND_ALIASES.get(args.kind.strip())
        if kind is None:
            raise InputError(f"未知类型“{args.kind}”{suggest(args.kind, list(_KIND_ALIASES))}")
    dimension = None
    if args.dimension:
        dimension = args.dimension.strip()
        if dimension not in dimension_ids():
            raise InputError(f"未知方面“{dimension}”{suggest(dimension, dimension_ids())}")
    if args.bank is not None and not args.bank.is_dir():
        raise InputError(f"找不到词库文件夹 {args.bank}")
    return kind, dimension


def run(args: argparse.Namespace) -> int:
    from generator.bank import load_bank

    kind, dimension = _check(args)
    bank = load_bank(args.bank)
    query = args.query.strip()
    shown = 0
    for p in bank:
        if (kind and p.kind != kind) or (dimension and p.dimension != dimension):
            continue
        if args.unflagged and p.flags:
            continue
        if query and query != p.id and query not in p.title and query not in p.text:
            continue
        print("\t".join((p.id, p.kind, p.dimension, ",".join(p.flags), p.title, p.text, p.source)))
        shown += 1
    if not args.quiet:
        print(f"共 {shown} 条（词库共 {len(bank)} 条）。", file=sys.stderr)
    return 0
