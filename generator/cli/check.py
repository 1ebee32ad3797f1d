"""``draftgen check``: what would be sent back before the meeting, for one draft or a branch's whole stack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from generator.cli import _zh

HELP = "像组织部初审那样检查材料：提纲、口吻、身份、标题、问题与措施对应、雷同、配套材料、分页和版式"
EPILOG = """\
示例：
  draftgen check 张明.docx                        检查一份材料
  draftgen check 初稿/*.docx                      检查全支部的材料（含雷同：不同党员材料中相同的句子）
  draftgen check 初稿/*.docx --json > 结果.json   以 JSON 输出，内容与文字报告相同
  draftgen check 初稿/*.docx --by-rule            按规则列出问题（默认按文件）
  draftgen check 初稿/*.docx --disable too-short,same-opening
                                                  不检查某几条规则
  draftgen check --rules                          列出全部规则、类别和严重程度

检查内容（规则在 templates/rules/check.yaml，每条有编号、类别、严重程度“必须修改/建议修改”和理由）：
  提纲：“存在的问题—问题产生的原因—整改措施”是否齐全、有序，每个方面是否有问题、每条问题是否有措施；
  雷同：不同党员材料中相同的句子（12 字以上）、相同的开头和结尾、大部分句子相同的两份材料；
        同一支部同一次会议的班子材料、问题清单和整改方案本就相互对应，不算雷同；
  口吻：个人材料中以组织或第三方口吻评说他人（有的党员……、要……），班子材料中的个人口吻（本人、我）；
  身份：普通党员写了“分管”“靠前指挥”等领导用语，机关后台岗位写了“热线工单”等窗口用语
        （职务和岗位取自本工具写入的文档属性，其他文件取自副标题和落款）；
  标题：小标题断在半句话上，或在正文开头又重复一遍；
  对应：问题找不到对应的措施，原因或措施对不上任何问题；
  审核要求：缺“上年度整改落实情况”，问题先扬后抑，问题和原因不到全文一半，问题不见人见事，个人材料不足 2500 字；
  配套材料：问题清单的每个问题在整改方案和整改台账中都有对应，台账每行有责任人和完成时限；
  分页：按每页 22 行、每行 28 字估算分页，落款单独在最后一页、标题在页末、孤行；
  以及“【待补充】”、半角标点、纸张页边距页码和字体字号等 GB/T 9704 版式。

关闭规则：--disable 规则编号（可多次、可用逗号分隔），或在当前文件夹放一个 .draftgen-check.yaml：
  disable: [too-short, same-opening]

退出状态：0 没有发现问题；1 发现了问题；2 有文件无法读取（不是 .docx、已损坏或不存在）或参数有误；
130 按 Ctrl-C 中断、143 收到终止信号、129 终端关闭（已检查的部分仍会报告）。"""

MAX_SHARED_SHOWN = 20


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("check", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("files", type=Path, nargs="*", metavar="FILE", help="要检查的 Word 文件（.docx），可以给多个")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部结果（一份 JSON 文档）")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="不检查这条规则（规则编号见 --rules；可多次给出，或用逗号分隔）")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="检查配置文件（默认为当前文件夹的 .draftgen-check.yaml，如果有）")
    p.add_argument("--by-rule", action="store_true", help="按规则而不是按文件列出问题（JSON 中两种分组都有）")
    p.add_argument("--rules", action="store_true", help="列出全部规则后退出")
    p.add_argument("--jobs", type=int, metavar="N", help="同时使用的进程数（默认最多 2 个）")
    p.set_defaults(run=run)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _list_rules(out: TextIO) -> int:
    from generator.check import rules

    for rule in rules().values():
        out.write(f"{rule.id:<20} {rule.family:<6} {rule.severity}  {rule.reason}\n")
    return 0


def _text_report(report: object, out: TextIO, *, by_rule: bool = False) -> None:
    from generator.check import Report, rules

    assert isinstance(report, Report)
    if by_rule:
        for rid, found in report.by_rule().items():
            rule = rules()[rid]
            out.write(f"[{rule.family}·{rule.severity}] {rid}：{rule.reason}（{len(found)} 处）\n")
            for file, finding in found:
                place = f"{finding.where}：" if finding.where else ""
                out.write(f"  {file}：{place}{finding.message}\n")
        clean = [f.file for f in report.files if not f.error and not f.findings]
        for file in clean:
            out.write(f"{file}：未发现问题\n")
    for f in report.files if not by_rule else ():
        if f.error:
            continue
        if not f.findings:
            out.write(f"{f.file}：未发现问题\n")
            continue
        out.write(f"{f.file}：发现 {len(f.findings)} 处问题\n")
        for finding in f.findings:
            out.write(f"  {finding.line()}\n")
    for s in report.similar:
        out.write(f"{s.a} 与 {s.b} 雷同：前者有 {_percent(s.share_a)}、后者有 {_percent(s.share_b)} "
                  "的句子在对方材料中也有\n")
        for passage in s.passages:
            shown = passage if len(passage) <= 60 else passage[:60] + "…"
            out.write(f"  相同：“{shown}”\n")
    if report.shared:
        out.write(f"不同党员材料中相同的句子（{len(report.shared)} 句，按出现的材料数排序）：\n")
        for shared in report.shared[:MAX_SHARED_SHOWN]:
            shown = shared.sentence if len(shared.sentence) <= 50 else shared.sentence[:50] + "…"
            out.write(f"  {len(shared.files)} 份：“{shown}”\n")
        if len(report.shared) > MAX_SHARED_SHOWN:
            out.write(f"  （另有 {len(report.shared) - MAX_SHARED_SHOWN} 句，完整列表见 --json）\n")
    lines = report.summary_lines()
    if lines:
        out.write("按规则汇总：\n")
        for line in lines:
            out.write(f"  {line}\n")


def run(args: argparse.Namespace) -> int:
    import json

    from generator import interrupt
    from generator.check import check_files, disabled_rules
    from generator.cli.progress import progress
    from generator.errors import InputError

    out = sys.stdout
    if args.rules:
        return _list_rules(out)
    if not args.files:
        raise InputError("缺少必需的参数：请给出要检查的 Word 文件（.docx），如：draftgen check 初稿/*.docx")
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs 应为正整数")
    disabled = disabled_rules(args.disable, args.config)
    with progress(len(args.files), quiet=args.quiet, desc="检查") as advance:
        report = check_files(args.files, disabled=disabled, jobs=args.jobs, progress=advance)
    if args.json:
        json.dump(report.to_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _text_report(report, out, by_rule=args.by_rule)
    out.flush()
    for f in report.files:
        if f.error:
            print(f"错误：{f.error}", file=sys.stderr)
    checked = len(report.files)
    if report.interrupted and not args.quiet:
        how = interrupt.describe(report.interrupted_by or interrupt.SIGINT)
        print(f"{how}：检查了 {checked}/{len(args.files)} 份材料，以上是已检查部分的结果。", file=sys.stderr)
    elif not args.quiet:
        bad = sum(1 for f in report.files if f.findings)
        total = sum(len(f.findings) for f in report.files)
        errors = sum(1 for f in report.files if f.error)
        parts = [f"检查了 {checked} 份材料", f"{bad} 份发现问题（共 {total} 处）"]
        if errors:
            parts.append(f"{errors} 份无法读取")
        if report.similar:
            parts.append(f"{len(report.similar)} 对雷同")
        if report.shared:
            parts.append(f"{len(report.shared)} 句在不同党员的材料中重复")
        print("，".join(parts) + "。", file=sys.stderr)
    if report.interrupted:
        return interrupt.exit_status(report.interrupted_by or interrupt.SIGINT)
    return report.exit_code
