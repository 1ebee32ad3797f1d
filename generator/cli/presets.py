"""``draftgen presets``: list the meeting presets (review areas) that specs can name."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.cli import _zh

HELP = "列出会议预设（查摆的几个方面）"
EPILOG = """\
示例：
  draftgen presets                      列出全部预设及其方面
  draftgen presets --presets 我的预设/    同时列出某个文件夹里自定义的预设

自定义预设：把 YAML 文件放进 ~/.config/draftgen/presets/（或用 --presets 指定的文件夹），格式如：
  id: 2026年度组织生活会
  description: 本年度上级通知要求的四个方面
  areas:
    - {heading: 学习贯彻党的创新理论, dimensions: [理论学习]}
    - {heading: 党性修养, dimensions: [党性修养]}"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("presets", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("--presets", type=Path, action="append", default=[], metavar="DIR",
                   help="另外读取这个文件夹中的预设 YAML（可重复）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator import taxonomy

    found = taxonomy.presets(args.presets)
    for preset in found.values():
        areas = "；".join(f"{a.heading}（{'、'.join(a.dimensions)}）" for a in preset.areas)
        print(f"{preset.id}\t{areas}")
    if not args.quiet:
        print(f"共 {len(found)} 个预设。", file=sys.stderr)
    return 0
