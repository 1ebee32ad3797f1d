"""``draftgen mine``: build a phrase bank from sample materials (.txt and .docx)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli import _zh

if TYPE_CHECKING:
    from generator.mining import MineResult

HELP = "从范文（.txt、.docx）中挖掘问题、原因、措施语句，生成词库"
EPILOG = """\
示例：
  draftgen mine                                  重新挖掘自带的五篇范文，写入自带词库的 mined/
  draftgen mine 我的范文/ --out 我的词库/          挖掘自己收集的范文，写入 我的词库/mined/*.yaml
  draftgen mine 范文1.docx 范文2.txt --out 词库/ --report
                                                 同时列出各类条目数量和被略去的内容及原因

说明：
  每个源文件生成一个 mined/<文件名>.yaml，重新挖掘时覆盖；人工修改请写在 curated/ 下，
  重新挖掘不会影响。输出文件夹中若有 corrections.yaml（修正表）或 cues.yaml（提示词表），
  优先使用它们，否则使用自带的。"""

_KIND_ZH = {"problem": "问题", "cause": "原因", "measure": "措施"}
_PROGRESS_MIN_FILES = 10


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("mine", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="范文文件或文件夹（可多个；默认：自带的 seeds/）")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="词库文件夹，写入 DIR/mined/（默认：不给 PATH 时为自带词库，否则为 ./phrasebank）")
    p.add_argument("--report", action="store_true", help="在标准输出列出各类条目数量和略去的内容及原因")
    p.add_argument("--words", action="store_true", help="按 jieba 分词边界匹配提示词（较慢，一般不需要）")
    p.set_defaults(run=run)


def _default_paths() -> tuple[list[Path], Path]:
    from generator.errors import InputError
    from generator.resources import data_dir, phrasebank_dir

    try:
        seeds = data_dir("seeds")
    except FileNotFoundError:
        raise InputError("没有找到自带的范文文件夹 seeds/，请指定要挖掘的文件或文件夹") from None
    return [seeds], phrasebank_dir()


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    """A tqdm wrapper on stderr for long runs in a terminal; otherwise None."""
    if quiet or not sys.stderr.isatty():
        return None

    def wrap(files):  # type: ignore[no-untyped-def]
        files = list(files)
        if len(files) < _PROGRESS_MIN_FILES:
            return files
        from tqdm import tqdm

        return tqdm(files, desc="挖掘", unit="篇", file=sys.stderr, leave=False)

    return wrap


def run(args: argparse.Namespace) -> int:
    from generator.mining import mine_paths, write_bank

    if args.paths:
        paths, out = list(args.paths), args.out or Path("phrasebank")
    else:
        paths, default_out = _default_paths()
        out = args.out or default_out
    result = mine_paths(paths, data_dir=out, words=args.words, progress=_progress(args.quiet))
    written = write_bank(result, out)
    if args.report:
        print(report(result, out))
    if not args.quiet:
        print(summary(result, len(written), out), file=sys.stderr)
    return 0


def summary(result: MineResult, files: int, out: Path) -> str:
    """The one line printed at the end."""
    phrases = result.phrases
    counts = "、".join(f"{zh} {sum(1 for p in phrases if p.kind == k)}" for k, zh in _KIND_ZH.items())
    skipped = len(result.dropped)
    hint = "，加 --report 查看原因。" if skipped else "。"
    voices = (f"其中单位口吻 {sum(1 for p in phrases if p.voice == 'organisation')} 条、"
              f"待人工核对 {sum(1 for p in phrases if p.flags)} 条")
    return (f"已从 {len(result.documents)} 个文件挖掘 {len(phrases)} 条（{counts}；{voices}），"
            f"写入 {out / 'mined'}/ 共 {files} 个文件；略去 {skipped} 处{hint}")


def report(result: MineResult, out: Path) -> str:
    """Counts by kind × dimension, then what was left out and why."""
    from collections import Counter

    from generator.mining.gate import REVIEW_FLAGS
    from generator.taxonomy import dimension_ids

    phrases = result.phrases
    dims = dimension_ids()
    table = Counter((p.dimension, p.kind) for p in phrases)
    lines = ["各维度条目数（挖掘所得，不含 curated/ 中的人工条目）：",
             "维度\t问题\t原因\t措施\t其中标注（待人工核对）"]
    for d in dims:
        flagged = sum(1 for p in phrases if p.dimension == d and p.flags)
        lines.append(f"{d}\t" + "\t".join(str(table[(d, k)]) for k in _KIND_ZH) + f"\t{flagged}")
    lines.append("合计\t" + "\t".join(str(sum(1 for p in phrases if p.kind == k)) for k in _KIND_ZH)
                 + f"\t{sum(1 for p in phrases if p.flags)}")
    usable = [p for p in phrases if not p.flags]
    lines += ["", f"口吻：单位（organisation）{sum(1 for p in phrases if p.voice == 'organisation')} 条，"
                  f"本人（self）{sum(1 for p in phrases if p.voice == 'self')} 条；"
                  f"无标注、可用于个人对照检查的 {sum(1 for p in usable if p.voice == 'self')} 条。"]
    by_flag = Counter(f for p in phrases for f in p.flags)
    if by_flag:
        lines += ["标注（条目仍写入 mined/，待人工核对）："]
        lines += [f"  {flag}（{REVIEW_FLAGS.get(flag, flag)}）：{n}" for flag, n in by_flag.most_common()]
    reasons = Counter(d.reason for d in result.dropped)
    lines += ["", f"略去 {len(result.dropped)} 处，按原因："]
    lines += [f"  {reason}：{n}" for reason, n in reasons.most_common()]
    lines += ["", "略去明细（来源\t原因\t内容）："]
    for gone in result.dropped:
        text = gone.text if len(gone.text) <= 60 else gone.text[:60] + "……"
        lines.append(f"  {gone.where}\t{gone.reason}\t{text}")
    orphans = orphaned_curation(out, {p.id for p in phrases})
    if orphans:
        lines += ["", "curated/ 中以下修正或删除指向的条目已不存在（原文或分类改变后编号会变），请核对："]
        lines += [f"  {where}\t{pid}" for where, pid in orphans]
    lines += ["", f"修正表：{result.corrections}", f"提示词表：{result.cues}"]
    return "\n".join(lines)


def orphaned_curation(out: Path, mined_ids: set[str]) -> list[tuple[str, str]]:
    """``fix``/``remove`` entries in DIR/curated/ whose target id is no longer mined."""
    from generator.errors import DraftgenError
    from generator.yamlio import load_yaml

    found: list[tuple[str, str]] = []
    added: set[str] = set()
    docs = []
    for path in sorted((out / "curated").glob("*.yaml")):
        try:
            data = load_yaml(path, what="词库整理文件").data
        except DraftgenError:
            continue
        if isinstance(data, dict):
            docs.append((path, data))
            added.update(str(e.get("id")) for e in data.get("add") or [] if isinstance(e, dict))
    for path, data in docs:
        for op in ("fix", "remove"):
            for raw in data.get(op) or []:
                pid = str(raw.get("id") if isinstance(raw, dict) else raw)
                if pid not in mined_ids and pid not in added:
                    found.append((f"{path.name} {op}", pid))
    return found
