"""``draftgen check``: what would be sent back before the meeting, for one or many edited drafts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "检查已修改的初稿：提纲、待补充内容、标点、版式，以及多份材料是否雷同"
EPILOG = """\
示例：
  draftgen check 张明.docx                    检查一份材料
  draftgen check 初稿/*.docx                  检查全支部的材料，并找出内容相近的两份
  draftgen check 初稿/*.docx --json > 结果.json  以 JSON 输出，便于其他程序处理

检查内容：“存在的问题—问题产生的原因—整改措施”三部分是否齐全、顺序是否正确，每个方面是否写了问题、
每条问题是否有措施；是否还有“【待补充…】”；中文里的半角标点和不成对的引号；纸张、页边距、每页行数、
页码和各级标题、正文的字体字号等是否偏离 GB/T 9704 版式，以及粘贴进来的文字是否带了别的格式；
同时给出的几份材料中，问题、原因和措施部分有 40% 以上的 8 字片段相同的，列出相同的段落。

退出状态：0 没有发现问题；1 发现了问题；2 有文件无法读取（不是 .docx、已损坏或不存在）。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要检查的 Word 文件（.docx），可以给多个")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部结果（一份 JSON 文档）")
    p.set_defaults(run=run)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def run(args: argparse.Namespace) -> int:
    from generator.check import check_files

    report = check_files(args.files)
    out = sys.stdout
    if args.json:
        import json

        json.dump(report.to_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for f in report.files:
            if f.error:
                continue
            if not f.findings:
                out.write(f"{f.file}：未发现问题\n")
                continue
            out.write(f"{f.file}：发现 {len(f.findings)} 处问题\n")
            for finding in f.findings:
                out.write(f"  {finding.line()}\n")
        for s in report.similar:
            out.write(f"{s.a} 与 {s.b} 内容相近：问题、原因和措施部分的 8 字片段，前者有 {_percent(s.share_a)}、"
                      f"后者有 {_percent(s.share_b)} 与对方相同\n")
            for passage in s.passages:
                shown = passage if len(passage) <= 60 else passage[:60] + "…"
                out.write(f"  相同：“{shown}”\n")
    out.flush()
    for f in report.files:
        if f.error:
            print(f"错误：{f.error}", file=sys.stderr)
    if not args.quiet:
        bad = sum(1 for f in report.files if f.findings)
        total = sum(len(f.findings) for f in report.files)
        errors = sum(1 for f in report.files if f.error)
        parts = [f"检查了 {len(report.files)} 份材料", f"{bad} 份发现问题（共 {total} 处）"]
        if errors:
            parts.append(f"{errors} 份无法读取")
        if report.similar:
            parts.append(f"{len(report.similar)} 对内容相近")
        print("，".join(parts) + "。", file=sys.stderr)
    return report.exit_code
