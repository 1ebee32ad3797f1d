"""Read the user's sample materials (.txt and .docx) into numbered lines.

Every way a file can fail to read becomes an :class:`InputError` with a Chinese
message naming the file: a damaged .docx in a folder of fifty must not end in a
traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.doctree import Heading
from generator.errors import InputError
from generator.mining.clean import Line
from generator.ooxml.reader import read_docx as read_docx_file
from generator.yamlio import read_text

SUFFIXES = (".txt", ".docx")
MAX_BYTES = 20_000_000


def collect(paths: Iterable[Path]) -> list[Path]:
    """The .txt and .docx files named, or found (recursively) in the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"找不到 {path}")
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if _wanted(p))
        elif path.suffix.lower() == ".doc":
            raise InputError(f"{path} 是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再试")
        elif path.suffix.lower() not in SUFFIXES:
            raise InputError(f"{path} 不是 .txt 或 .docx 文件")
        else:
            found.append(path)
    if not found:
        raise InputError("没有找到可以读取的范文（.txt 或 .docx 文件）")
    unique: dict[Path, None] = dict.fromkeys(p.resolve() for p in found)
    return [Path(p) for p in unique]


def _wanted(path: Path) -> bool:
    """A .txt/.docx file, not a Word lock file ("~$…") or a hidden one."""
    return path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", "."))


def read_lines(path: Path) -> list[Line]:
    """The lines of a .txt file or the paragraphs of a .docx file, numbered from 1."""
    if path.suffix.lower() == ".docx":
        return read_docx(path)
    text = read_text(path, what="范文", max_bytes=MAX_BYTES)
    return [Line(i, line) for i, line in enumerate(text.splitlines(), 1)]


def read_docx(path: Path) -> list[Line]:
    """Body paragraphs and table cells in document order, numbered as ``check`` numbers them.

    The one .docx reader (:mod:`generator.ooxml.reader`) reads them, with its zip and XML limits; a
    paragraph in a heading style carries its level, a heading typed as body text does not (the
    segmenter reads its numbering itself).
    """
    read = read_docx_file(path)
    lines: list[Line] = []
    for src in read.sources:
        block = read.document.blocks[src.block] if src.block is not None and src.table is None else None
        level = block.level if isinstance(block, Heading) and not src.typed_heading else 0
        lines.append(Line(len(lines) + 1, src.text, level))
    return lines
