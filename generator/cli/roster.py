"""``draftgen roster``: an empty roster spreadsheet for a meeting, the spreadsheet form of a spec."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "生成一份名册表格（.xlsx），发给各人填写后用 batch 生成初稿"
EPILOG = """\
示例：
  draftgen roster 支部名册.xlsx                               个人对照检查材料的名册（默认预设）
  draftgen roster 支部名册.xlsx --unit 机关第一党支部 --date 2026-01-20
  draftgen roster 班子名册.xlsx --type collective              班子（支部）对照检查材料的名册
  draftgen roster 名册.xlsx --preset 党纪学习教育六项纪律      按另一个会议预设分列“事例”
  draftgen batch 支部名册.xlsx --out 初稿/                     填好后为每名党员生成初稿
  draftgen wizard --answers 支部名册.xlsx --person 王丽        为其中一人逐项修改

名册有三张表：“设置”（材料类型、会议、单位、日期、会议预设等，可用下拉框选择）、“成员表”（一行一名党员：
姓名、身份、岗位、每个方面的具体事例、自己查摆的问题、上年度整改情况）和“填写说明”。可在 WPS、Excel 或
LibreOffice 中填写，请保存为 .xlsx。退出状态：0 完成；2 参数有误或文件已存在（加 --force 覆盖）。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("roster", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("target", type=Path, metavar="FILE", help="要写的名册文件（.xlsx）")
    p.add_argument("-t", "--type", default="personal", metavar="类型",
                   help="材料类型：personal（个人对照检查材料，默认）、collective、problem-list、rectification，"
                        "也可写中文名称")
    p.add_argument("--meeting", metavar="会议", help="会议名称（默认按日期推算，如“2025年度专题组织生活会”）")
    p.add_argument("--unit", default="", metavar="单位", help="党支部或单位名称")
    p.add_argument("--date", metavar="日期", help="落款日期，如 2026-01-20（默认今天）")
    p.add_argument("--preset", metavar="预设", help="会议预设（draftgen presets 可查看），决定“事例”分哪几列")
    p.add_argument("--presets", type=Path, action="append", default=[], metavar="DIR",
                   help="另外读取这个文件夹中的会议预设（可重复）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的同名文件")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.errors import UsageError
    from generator.fsio import atomic_writer
    from generator.questions import AnswerError, Context, parse_date
    from generator.roster import default_settings, render_roster

    if args.target.suffix.lower() != ".xlsx":
        raise UsageError(f"名册应保存为 .xlsx 文件，而不是 {args.target.name}")
    ctx = Context(preset_dirs=tuple(args.presets))
    options = {"template": "--type", "date": "--date", "preset": "--preset", "meeting": "--meeting", "unit": "--unit"}
    try:
        try:
            date = parse_date(args.date) if args.date else None
        except AnswerError as exc:
            raise AnswerError(exc.message, ("date",)) from None
        settings = default_settings(args.type, meeting=args.meeting, unit=args.unit, date=date,
                                    preset=args.preset, problems_per_area=2, ctx=ctx)
    except AnswerError as exc:
        option = options.get(str(exc.subpath[0]), "") if exc.subpath else ""
        raise UsageError(f"{option} 有误：{exc.message}" if option else exc.message) from None
    data = render_roster(settings, ctx)
    with atomic_writer(args.target, force=args.force) as fh:
        fh.write(data)
    print(args.target, flush=True)
    if not args.quiet:
        print(f"已生成{settings.doctype.title}名册 {args.target}（会议预设“{settings.preset}”，"
              f"{len(settings.areas)} 个方面）。填好后运行：draftgen batch {args.target} --out 初稿/", file=sys.stderr)
    return 0
