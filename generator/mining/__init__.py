"""The phrase-bank miner: sample materials in, reviewable YAML bank entries out.

    read (sources) → clean → segment → classify → build (checks, ids, links) → dedupe → write

Every step is a pure function on text except reading and writing, so each can
be tested on the exact seed passage it exists for.  jieba is never imported
here unless word-level matching is asked for: ``import generator.mining`` stays
cheap and generating a draft never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.bank import Phrase
from generator.fsio import readable
from generator.mining.build import DocResult, build_document, dedupe
from generator.mining.clean import Dropped, Line, clean_lines
from generator.mining.data import Corrections, Cues, data_file, load_corrections, load_cues
from generator.mining.gate import REVIEW_FLAGS
from generator.mining.segment import segment

__all__ = ["MineResult", "mine_lines", "mine_paths", "write_bank"]

# What the who-may-say-it fields and the flags of a mined entry mean, for the person reviewing the file.
FILE_LEGEND = (
    "# voice: organisation 为单位或上级的口吻（评说他人、提出要求、议论），只用于单位的分析材料，不进入个人\n"
    "#   或班子的对照检查材料；self 为本人口吻。rank/settings 为措辞所需的职务和工作场景。\n"
    "# flags 中的条目不会自动进入初稿，原因如下（在 curated/ 中用 fix 改写 title 或 text 后，\n"
    "#   除 dated、specific 外的标注即解除）：\n"
    + "".join(f"#   {flag}：{reason}\n" for flag, reason in REVIEW_FLAGS.items())
)


@dataclass
class MineResult:
    """What a mining run produced, per source, and everything it left out."""

    documents: list[DocResult] = field(default_factory=list)
    corrections: str = ""
    cues: str = ""

    @property
    def phrases(self) -> list[Phrase]:
        return [p for d in self.documents for p in d.phrases]

    @property
    def dropped(self) -> list[Dropped]:
        return [x for d in self.documents for x in d.dropped]


def mine_lines(name: str, lines: list[Line], corrections: Corrections, cues: Cues,
               *, words: bool = False) -> DocResult:
    """Mine one document given as numbered lines (no deduplication against others)."""
    doc = clean_lines(name, lines, corrections)
    return build_document(doc, segment(doc.lines, cues), corrections, cues, words=words)


def mine_paths(paths: Sequence[Path], *, data_dir: Path | None = None, words: bool = False,
               progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None) -> MineResult:
    """Mine every .txt/.docx file under ``paths``; ``data_dir`` may hold the user's own tables."""
    from generator.mining.sources import collect, read_lines

    corrections = load_corrections(data_file("corrections.yaml", data_dir))
    cues = load_cues(data_file("cues.yaml", data_dir))
    files = collect(paths)
    result = MineResult(corrections=corrections.source, cues=cues.source)
    for path in progress(files) if progress else files:
        name = readable(path.name)  # a GBK name from a Windows archive becomes text the YAML can hold
        result.documents.append(mine_lines(name, read_lines(path), corrections, cues, words=words))
    dedupe(result.documents)
    return result


def write_bank(result: MineResult, out_dir: Path) -> list[Path]:
    """Write ``out_dir/mined/<source>.yaml`` for each source, atomically; returns the files written."""
    from generator.fsio import atomic_writer
    from generator.yamlio import dump_yaml

    folder = out_dir / "mined"
    written: list[Path] = []
    for doc in result.documents:
        stem = doc.name.rsplit(".", 1)[0]
        target = folder / f"{stem}.yaml"
        n = 1
        while target in written:  # 范文.txt and 范文.docx, or one name in two folders
            n += 1
            target = folder / f"{stem}-{n}.yaml"
        header = (f"# 由 draftgen mine 从 {doc.name} 自动生成：重新挖掘时会被覆盖。\n"
                  "# 要修改、删除或补充条目，请写在 curated/ 下的文件里（add / fix / remove）。\n"
                  f"{FILE_LEGEND}")
        body = dump_yaml({"source": doc.name, "entries": [p.to_yaml_dict() for p in doc.phrases]})
        with atomic_writer(target, force=True) as fh:
            fh.write((header + body).encode("utf-8"))
        written.append(target)
    return written
