"""The package layer of the .docx reader: a zip checked before anything is inflated (a roster .xlsx too).

A .docx is a zip archive, and a few hundred KB of zeros compressed can declare a
gigabyte of XML.  The sizes each member declares are what :mod:`zipfile` will
ever return for it, so they are vetted before a part is inflated, and only the
few XML parts a reader needs are inflated at all (never images).  ``check``,
``import`` and ``mine`` all open .docx files here, with one set of limits.

The limits come from real documents, not guesses:

* a 300-page text is about 5 MB of ``document.xml``; a table of 2,500 rows as
  Word writes it (every empty cell with its own width and font) is 5.7 MB;
* ordinary OOXML deflates 20–40 : 1; that same table, whose rows are all alike,
  reaches 192 : 1 (measured), so a bomb is named at 400 : 1, twice that;
* a part may inflate to 32 MB and the parts read together to 64 MB, which keeps
  the parsed tree of the largest legal document within a few hundred MB.

XML is parsed with entity resolution, network access and huge text nodes off,
and a document type declaration (never present in OOXML) is refused.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from generator.errors import InputError, os_reason

MAX_FILE_BYTES = 200_000_000  # the .docx on disk (images may be large; they are never inflated)
MAX_PARTS = 5000  # members of the zip; Word writes a few dozen, plus one per image
MAX_PART_BYTES = 32 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all parts read by one reader, uncompressed
MAX_RATIO = 400  # uncompressed : compressed, for parts over RATIO_FLOOR; Word's own XML stays under 200
RATIO_FLOOR = 4 * 1024 * 1024


def bad(path: str, why: str) -> InputError:
    """The one message shape for a .docx that cannot be read: the file, then why."""
    return InputError(f"无法读取 Word 文件 {path}：{why}")


class Package:
    """A vetted zip: the member list checked on opening, each part's declared size checked on reading."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.read_total = 0
        if not path.exists():
            raise InputError(f"找不到文件 {path}")
        if path.is_dir():
            raise InputError(f"{path} 是一个文件夹，请给出 .docx 文件")
        try:
            if not path.is_file():
                raise bad(self.name, "不是普通文件（可能是管道或设备），不是 .docx")
            size = path.stat().st_size
            if size == 0:
                raise bad(self.name, "文件是空的")
            if size > MAX_FILE_BYTES:
                raise bad(self.name, f"文件太大（{size // 1_000_000} MB），不像正常的 .docx")
            with path.open("rb") as fh:
                head = fh.read(8)
            if head.startswith(b"\xd0\xcf\x11\xe0"):
                raise bad(self.name, "这是旧版 .doc 格式或加密的文档；请在 Word 或 WPS 中去掉密码并另存为 .docx")
            self.zip = zipfile.ZipFile(path)
        except InputError:
            raise
        except PermissionError:
            raise InputError(f"没有权限读取 {path}") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError,
                UnicodeDecodeError, struct.error):
            raise bad(self.name, "不是 Word 文档（.docx），或者文件已损坏") from None
        except OSError as exc:
            raise InputError(f"无法读取 {path}：{os_reason(exc)}") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            self.zip.close()
            raise bad(self.name, f"压缩包内文件数异常（{len(infos)} 个），不像正常的 .docx")
        self.entries = {i.filename.replace("\\", "/").lstrip("/"): i for i in infos}
        self.folded = {k.casefold(): k for k in self.entries}

    def close(self) -> None:
        self.zip.close()

    def find(self, part: str) -> str | None:
        """The member name of ``part`` as stored (Word matches part names case-insensitively)."""
        part = part.lstrip("/")
        if part in self.entries:
            return part
        return self.folded.get(part.casefold())

    def read(self, part: str) -> bytes | None:
        """The bytes of ``part``, or None when absent; refuses bombs by their declared numbers."""
        name = self.find(part)
        if name is None:
            return None
        info = self.entries[name]
        # The ratio first: a bomb is named as such, whatever its size.
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise bad(self.name, f"{name} 的压缩比异常（疑似“压缩炸弹”），已拒绝解压")
        if info.file_size > MAX_PART_BYTES:
            raise bad(self.name, f"{name} 大小异常（{info.file_size // 1_000_000} MB），文档过大或已损坏")
        if self.read_total + info.file_size > MAX_TOTAL_BYTES:
            raise bad(self.name, "文档内容大小异常，文档过大或已损坏")
        self.read_total += info.file_size
        try:
            with self.zip.open(info) as fh:
                data = fh.read(info.file_size + 1)  # zipfile never yields more than the declared size
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError):
            raise bad(self.name, f"{name} 已损坏或已加密，无法解压") from None
        except Exception:  # zlib.error and kin from a damaged stream: the library's name means nothing to a user
            raise bad(self.name, f"{name} 已损坏（压缩数据有误），无法解压") from None
        return data

    def xml(self, part: str) -> Any | None:
        """``part`` parsed (see :func:`parse_xml`), or None when absent."""
        data = self.read(part)
        return None if data is None else parse_xml(data, self.name, part)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of ``part``: id → (type tail, resolved part name)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root:
            if not isinstance(rel.tag, str) or not rel.tag.endswith("Relationship"):
                continue
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], resolved)
        return out


def parse_xml(data: bytes, file: str, part: str) -> Any:
    """Parse one part safely: no DTD, no entities, no network, no huge trees."""
    probe = data[:4096].decode("utf-16", "ignore") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
    if (b"<!DOCTYPE" in probe or b"<!ENTITY" in probe) if isinstance(probe, bytes) else \
            ("<!DOCTYPE" in probe or "<!ENTITY" in probe):
        raise bad(file, f"{part} 含有文档类型声明（DOCTYPE），不是 Word 生成的内容")
    parser = etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "huge" in str(exc).lower():
            raise bad(file, f"{part} 中有一段文字过长，文档过大或已损坏") from None
        line = f"（第 {exc.lineno} 行）" if getattr(exc, "lineno", None) else ""
        raise bad(file, f"{part} 不是有效的 XML{line}，文件已损坏") from None
    except (ValueError, etree.LxmlError):
        raise bad(file, f"{part} 不是有效的 XML，文件已损坏") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise bad(file, f"{part} 含有文档类型声明（DOCTYPE），不是 Word 生成的内容")
    return root


def check_docx(path: Path) -> None:
    """Raise :class:`InputError` if ``path`` is not a .docx the reader would open (same limits)."""
    Package(path).close()


def check_archive(path: Path, *, kind: str, fmt: str) -> list[zipfile.ZipInfo]:
    """The same limits for a package read whole by another library (a roster .xlsx by openpyxl).

    ``kind`` names the file in messages ("Word 文件", "Excel 名册") and ``fmt`` its format (".docx", ".xlsx").
    Every member counts here, since such a reader inflates them all.
    """
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"无法读取 {kind} {name}：文件已损坏或不是 {fmt} 格式（不是有效的压缩包）") from None
    except OSError as exc:
        raise InputError(f"无法读取 {kind} {name}：{os_reason(exc)}") from None
    if len(members) > MAX_PARTS:
        raise InputError(f"{kind} {name} 异常：包含 {len(members)} 个部件，不像正常的 {fmt}")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        ratio = size / max(member.compress_size, 1)
        if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (size > RATIO_FLOOR and ratio > MAX_RATIO):
            part = f"{member.filename[:60]} 为 {size // 1024 // 1024} MB"
            raise InputError(f"{kind} {name} 异常：解压后过大（{part}），可能是恶意构造的文件，已拒绝读取")
    return members
