"""Look at a .docx (or a roster .xlsx) before opening it: a zip bomb must be refused, not unpacked.

A .docx is a zip archive, and python-docx reads each part whole into memory: a
few hundred KB of zeros compressed can declare a gigabyte of XML.  The sizes
each member declares are what :mod:`zipfile` will ever return for it, so
checking them up front bounds memory and time whoever reads the file next
(``mine``).  The reader behind ``check`` and ``import`` inflates only the few
XML parts it needs and vets each the same way as it reads it, with the same
limit on the number of parts.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from generator.errors import InputError, os_reason

MAX_PART_BYTES = 64 * 1024 * 1024  # one part, uncompressed (a 500-page text is about 5 MB of XML)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts together, uncompressed (images included)
MAX_PARTS = 5000
MAX_RATIO = 200  # uncompressed : compressed, for parts over 1 MB; ordinary XML stays under 20


def check_docx(path: Path) -> None:
    """Raise :class:`InputError` if ``path`` is not a zip or would unpack into far too much."""
    check_archive(path, kind="Word 文件", fmt=".docx")


def check_archive(path: Path, *, kind: str, fmt: str) -> list[zipfile.ZipInfo]:
    """The same vetting for any Office Open XML package (a roster .xlsx too); returns its members.

    ``kind`` names the file in messages ("Word 文件", "Excel 名册") and ``fmt`` its format (".docx", ".xlsx").
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
        if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (size > 1024 * 1024 and ratio > MAX_RATIO):
            part = f"{member.filename[:60]} 为 {size // 1024 // 1024} MB"
            raise InputError(f"{kind} {name} 异常：解压后过大（{part}），可能是恶意构造的文件，已拒绝读取")
    return members
