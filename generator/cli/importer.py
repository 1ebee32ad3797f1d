"""``draftgen import``: recover a spec from an edited draft, so it can be regenerated without losing text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "从已修改的初稿反推配置文件，重新生成时保留本人写的每一句话"
EPILOG = """\
示例：
  draftgen import 张明.docx -o 张明.yaml               从初稿导出配置
  draftgen batch 张明.yaml --out 新稿/                 按导出的配置重新生成（可先改会议、材料类型或日期）
  draftgen import 张明.docx -o 张明.yaml --force       覆盖已有的配置文件

导出的配置里，本人写的问题、原因、措施、开头、导语和结尾都作为“本人自己写的”内容保存，重新生成时优先采用；
具体事例保留在原来的问题段落中。无法原样保留的地方（例如改过的方面标题）会在标准错误中逐条说明。
退出状态：0 完成；2 文件无法读取或输出文件已存在。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("import", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("file", type=Path, metavar="FILE", help="已修改的 Word 初稿（.docx）")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="SPEC", help="写出的配置文件（YAML）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的配置文件")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.fsio import atomic_writer, readable
    from generator.importer import check_output, import_docx
    from generator.yamlio import dump_yaml

    check_output(args.output, args.file, force=args.force)
    imported = import_docx(args.file)
    header = f"# 由 draftgen import 从 {readable(args.file.name)} 导出；用 draftgen batch 重新生成。\n"
    with atomic_writer(args.output, force=args.force) as fh:
        fh.write((header + dump_yaml(imported.data)).encode("utf-8"))
    print(args.output)
    if imported.notes:
        print("注意：", file=sys.stderr)
        for note in imported.notes:
            print(f"  - {note}", file=sys.stderr)
    if not args.quiet:
        print(f"已从 {args.file} 导出配置 {args.output}。", file=sys.stderr)
    return 0
