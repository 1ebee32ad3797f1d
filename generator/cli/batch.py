"""``draftgen batch``: one draft per member from a YAML spec or a filled roster spreadsheet."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from generator.cli import _zh

HELP = "按配置文件（YAML）或填好的名册（.xlsx）为每名党员生成初稿"
EPILOG = """\
示例：
  draftgen batch 支部.yaml --out 初稿/                  为配置文件中的每名党员各生成一份 Word 初稿
  draftgen batch 支部名册.xlsx --out 初稿/              按填好的名册生成（名册由 draftgen roster 生成）
  draftgen batch 支部.yaml --out 初稿/ --seed 3          换一种写法（相同种子总是得到相同文字）
  draftgen batch 支部.yaml --out 初稿/ --skip-existing   只补齐还没有生成的初稿
  draftgen batch 支部.yaml --out 初稿/ --force           覆盖已有的同名文件
  draftgen batch 支部.yaml --out 初稿/ --bank 我的词库/   同时使用从自己收集的范文中挖掘的词库
  draftgen batch 整改方案.yaml --out 初稿/ --xlsx        整改台账另存一份 Excel 表格
  draftgen batch 全套.yaml --out 初稿/                  班子材料、问题清单、整改方案一次生成（同一批问题）

配置文件的写法：draftgen example 类型 -o 文件.yaml 输出一份带注释的示例（personal、collective、problem-list、
rectification、unit-report；set 是一次会议的全套材料：template 写成列表，问题在各份材料中一一对应）；
用表格收集信息时，draftgen roster 名册.xlsx 生成名册。标准输出逐行列出写好的文件，便于管道处理；
进度和摘要写到标准错误。退出状态：0 完成；2 配置或输出有误（此时不写任何文件；标准输出无法写入时初稿照常写完）；
130 被 Ctrl-C 中断；143 被 kill 终止；129 终端被关闭；141 读取标准输出的程序提前退出（如 | head -1）。
这四种情况下，正在写的初稿写完后停下，并说明已完成几份；用 --skip-existing 重新运行即可补齐。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("batch", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("spec", type=Path, metavar="SPEC", help="配置文件（YAML）或名册（.xlsx）")
    p.add_argument("-o", "--out", type=Path, default=Path("."), metavar="DIR", help="输出文件夹（默认当前文件夹）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名文件")
    p.add_argument("--skip-existing", action="store_true", help="跳过已存在的文件，只生成缺少的")
    p.add_argument("--seed", type=int, metavar="N", help="随机种子，覆盖配置文件中的 seed")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认为 CPU 核数）")
    p.add_argument("--no-placeholders", action="store_true", help="不插入“【待补充：…】”占位提示")
    p.add_argument("--presets", type=Path, action="append", default=[], metavar="DIR",
                   help="另外读取这个文件夹中的会议预设（可重复）")
    p.add_argument("--templates", type=Path, metavar="DIR", help="优先使用这个文件夹中的模板")
    p.add_argument("--bank", type=Path, metavar="DIR",
                   help="另外使用这个词库（draftgen mine 的输出文件夹），与自带词库合并")
    p.add_argument("--xlsx", action="store_true",
                   help="含表格的材料（问题清单、整改台账）另存一份同名 .xlsx 表格")
    p.add_argument("--explain", action="store_true",
                   help="另写一份“选材说明.txt”：每份初稿用了词库中的哪些条目、为什么，以及初稿之间的相似度")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from generator.errors import UsageError
    from generator.explain import EXPLAIN_NAME
    from generator.generate import generate
    from generator.questions import Context
    from generator.render import check_template_dir
    from generator.spec import load_spec

    if args.force and args.skip_existing:
        raise UsageError("--force 和 --skip-existing 不能同时使用")
    if args.jobs is not None and not 1 <= args.jobs <= 64:
        raise UsageError("--jobs 应在 1 到 64 之间")
    if args.seed is not None and not 0 <= args.seed <= 2**31 - 1:
        raise UsageError("--seed 应为 0 到 2147483647 之间的整数")
    if args.templates:
        check_template_dir(args.templates)
    if args.xlsx:
        from generator.xlsx import require

        require()
    started = time.perf_counter()
    spec = load_spec(args.spec, Context(preset_dirs=tuple(args.presets)))
    if args.seed is not None:
        spec = replace(spec, seed=args.seed)
    if args.no_placeholders:
        spec = replace(spec, placeholders=False)
    from generator.cli.listing import Listing
    from generator.cli.progress import progress
    from generator.interrupt import Interrupted

    # drafts to write: one per member, one per unit document of a set
    total = max(1, sum(len(spec.people) if d.per_person else 1 for d in spec.types) if spec.doctypes
                else len(spec.people))
    listing = Listing()
    with progress(total, quiet=args.quiet, desc="生成初稿") as advance:
        def written(path: Path) -> None:
            listing(path)  # one whole line at a time: a pipe reader sees each file as it lands
            if path.suffix == ".docx":
                advance(1)

        try:
            result = generate(spec, args.out, force=args.force, skip_existing=args.skip_existing,
                              jobs=args.jobs or os.cpu_count() or 1, template_dir=args.templates, xlsx=args.xlsx,
                              bank_dir=args.bank, explain=args.explain, on_written=written)
        except Interrupted as stop:
            if listing.failure is not None:
                stop.notes.append(listing.shortfall(stop.written))
            raise
    files = len(result.written) + len(result.sheets) + (result.report is not None)
    if not args.quiet:
        if result.report is not None:
            _tell(f"选材说明已写入 {result.report}。")
        elif args.explain:
            _tell(f"{args.out / EXPLAIN_NAME} 已存在，未覆盖（如要重写请加 --force）。")
        if args.xlsx and not result.sheets and result.written:
            _tell("这类材料没有表格，未导出 .xlsx。")
        skipped = f"，跳过已存在的 {len(result.skipped)} 份" if result.skipped else ""
        elapsed = time.perf_counter() - started
        sheets = f"和 {len(result.sheets)} 份 .xlsx 表格" if result.sheets else ""
        _tell(f"已生成 {len(result.written)} 份初稿{sheets}{skipped}，保存在 {args.out}（用时 {elapsed:.1f} 秒）。")
    if listing.failure is not None:
        _tell(f"错误：{listing.shortfall(files)}")
        return 2
    return 0


def _tell(text: str) -> None:
    """A line on stderr that must not fail in turn (stderr may be the same full device as stdout)."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)
