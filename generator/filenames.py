"""Safe file names for drafts: built from names and patterns, they can never leave the output folder."""

from __future__ import annotations

import re
from collections.abc import Mapping

_UNSAFE_RE = re.compile('[\x00-\x1f\x7f<>:"/\\\\|?*\ud800-\udfff]')  # surrogates cannot be encoded
_DIGITS = "123456789¹²³"  # Windows reserves COM¹ … as well
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"COM{i}" for i in _DIGITS),
             *(f"LPT{i}" for i in _DIGITS)}
MAX_NAME_BYTES = 200


def clean_component(value: str) -> str:
    """One value (a name, a unit) made safe to appear inside a file name."""
    value = _UNSAFE_RE.sub("_", value).strip()
    return value.lstrip(". ").rstrip(". ")


def file_name(pattern: str, fields: Mapping[str, str]) -> str:
    """Fill ``pattern`` ({name}, {title}, …) and make the result a safe, single-component .docx name."""
    safe = {key: clean_component(value) for key, value in fields.items()}
    name = re.sub(r"\{(\w+)\}", lambda m: safe.get(m.group(1), ""), pattern)
    name = clean_component(name)
    stem, dot, ext = name.rpartition(".")
    if not dot or ext.lower() != "docx":
        stem, ext = name, "docx"
    stem = stem.rstrip(". ") or "初稿"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:  # Windows ignores "CON .txt"'s space too
        stem = f"_{stem}"
    while len(stem.encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ") or "初稿"  # cutting may leave "名字. " at the end
    return f"{stem}.{ext}"
