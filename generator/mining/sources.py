"""Read the user's sample materials (.txt and .docx) into numbered lines.

Every way a file can fail to read becomes an :class:`InputError` with a Chinese
message naming the file: a damaged .docx in a folder of fifty must not end in a
traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.errors import InputError
from generator.mining.clean import Line
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
    """Body paragraphs and table cells in document order; heading styles become heading levels."""
    import zipfile

    from generator.ooxml.safezip import check_docx

    check_docx(path)  # a zip bomb is refused before python-docx unpacks it

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - python-docx is a core dependency
        raise InputError("读取 .docx 需要 python-docx，请重新安装 draftgen") from None
    try:
        document = docx.Document(str(path))
        lines: list[Line] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                para = Paragraph(block, document)
                lines.append(Line(len(lines) + 1, para.text, _heading_level(para)))
            elif tag == "tbl":
                for row in Table(block, document).rows:
                    for cell in row.cells:
                        for para in cell.paragraphs:
                            lines.append(Line(len(lines) + 1, para.text))
        return lines
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError) as exc:
        reason = {KeyError: "缺少必要的部件", AttributeError: "正文结构不对"}.get(type(exc), type(exc).__name__)
        raise InputError(f"无法读取 Word 文件 {path}：文件已损坏或不是 .docx 格式（{reason}）") from None
    except Exception as exc:  # lxml parse errors and the like inside a damaged package
        if type(exc).__module__.startswith(("lxml", "docx", "xml")):
            raise InputError(f"无法读取 Word 文件 {path}：文件内容已损坏") from None
        raise


def _heading_level(para: object) -> int:
    """1 for "Heading 1"/"标题 1" and so on; 0 for body text."""
    style = getattr(para, "style", None)
    name = str(getattr(style, "name", "") or "")
    for prefix in ("Heading ", "标题 ", "heading "):
        if name.startswith(prefix) and name[len(prefix):].strip().isdigit():
            return int(name[len(prefix):])
    return 0
