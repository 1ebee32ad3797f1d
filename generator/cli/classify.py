"""``draftgen classify``: kind and dimension of sentences read from stdin, one per line."""

from __future__ import annotations

import argparse
import io
import sys

from generator.cli import _zh

HELP = "判断句子是问题、原因、措施还是其他，以及属于哪个方面"
EPILOG = """\
示例：
  echo 理论学习的系统性不够，存在以干代学的现象。 | draftgen classify
  draftgen classify --json < 句子.txt > 结果.jsonl       每行输出一个 JSON 对象

输出：
  默认每行一条，以制表符分隔：类型、方面、置信度、原句；
  --json 时每行一个 JSON 对象：{"text", "kind", "dimension", "confidence"}。
  类型为 problem（问题）、cause（原因）、measure（措施）或 other（其他），
  other 的方面为空（JSON 中为 null）。"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("classify", help=HELP, description=HELP, epilog=EPILOG, parents=[common],
                              formatter_class=_zh.HelpFormatter)
    p.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")
    p.add_argument("--words", action="store_true", help="按 jieba 分词边界匹配提示词（较慢）")
    p.set_defaults(run=run)


def _read_stdin() -> list[tuple[int, str]]:
    from generator.errors import InputError
    from generator.fsio import read_stream
    from generator.yamlio import MAX_BYTES

    # Bounded: stdin may be a device or a pipe that never ends (``< /dev/zero``).
    if hasattr(sys.stdin, "buffer"):
        raw = read_stream(sys.stdin.buffer, MAX_BYTES)
    else:
        raw = read_stream(io.BytesIO(sys.stdin.read(MAX_BYTES + 1).encode("utf-8")), MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"标准输入不是 UTF-8 编码（第 {line} 行有无法识别的字节）") from None
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def run(args: argparse.Namespace) -> int:
    import json

    from generator.mining.classify import classify
    from generator.mining.data import data_file, load_cues
    from generator.text import normalize

    if sys.stdin.isatty() and not args.quiet:
        print("请输入句子，每行一句；输入完毕按 Ctrl-D（Windows 上为 Ctrl-Z 回车）。", file=sys.stderr)
    cues = load_cues(data_file("cues.yaml"))
    rows = _read_stdin()
    for _n, text in rows:
        verdict = classify(normalize(text), cues, words=args.words)
        if args.json:
            record = {"text": text, "kind": verdict.kind, "dimension": verdict.dimension,
                      "confidence": verdict.confidence}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{verdict.kind}\t{verdict.dimension or ''}\t{verdict.confidence:.2f}\t{text}")
    if not args.quiet and not args.json and sys.stdout.isatty():
        print(f"共 {len(rows)} 句。", file=sys.stderr)
    return 0
