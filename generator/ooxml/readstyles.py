"""The styles layer of the .docx reader: what a style says once ``docDefaults`` and ``basedOn`` are applied.

Word, WPS and LibreOffice spell style names differently (and LibreOffice
renumbers custom style ids), so a style is recognised by id, by name and by
outline level.  The writer's own styles are resolved by this same code to give
``check`` the house style it compares against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.ooxml import house as h
from generator.ooxml.safezip import parse_xml
from generator.ooxml.styles import all_styles, styles_xml

W = f"{{{h.NS_W}}}"
MAX_STYLE_DEPTH = 30


@dataclass(frozen=True)
class StyleProps:
    """Resolved formatting (docDefaults → basedOn chain → style); ``None`` where nothing says."""

    east_asia: str | None = None
    latin: str | None = None
    size: int | None = None  # half-points
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    line: int | None = None
    line_rule: str | None = None
    first_line: int | None = None  # twips, negative for a hanging indent
    first_line_chars: int | None = None  # hundredths of a character
    jc: str | None = None
    outline: int | None = None  # 0-based outline level; 9 = body text
    # Pagination: what Word does at a page break (None: not said, i.e. Word's defaults).
    keep_next: bool | None = None
    keep_lines: bool | None = None
    widow_control: bool | None = None  # Word's default when nothing says is on
    page_break_before: bool | None = None
    space_before: int | None = None  # twips
    space_after: int | None = None

    def indent_chars(self) -> float | None:
        """First-line indent in characters, whichever way it was written."""
        if self.first_line_chars is not None:
            return self.first_line_chars / 100
        if self.first_line is not None:
            return self.first_line / ((self.size or h.SIZE_BODY) * 10)
        return None


@dataclass(frozen=True)
class StyleInfo:
    sid: str
    name: str
    kind: str
    canonical: str  # our style id ("Heading1", "Lead"…) when recognised, else ""
    props: StyleProps


def on(el: Any) -> bool:
    return (el.get(W + "val") or "true").lower() not in ("0", "false", "off", "none")


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


def apply_props(ppr: Any, rpr: Any, base: StyleProps) -> StyleProps:
    """``base`` overridden by what ``ppr``/``rpr`` set."""
    values = {f: getattr(base, f) for f in StyleProps.__dataclass_fields__}
    if rpr is not None:
        fonts = rpr.find(W + "rFonts")
        if fonts is not None:
            for key, attr in (("east_asia", "eastAsia"), ("latin", "ascii")):
                theme = fonts.get(W + attr + "Theme")
                if theme:
                    values[key] = f"主题字体（{theme}）"
                elif fonts.get(W + attr):
                    values[key] = fonts.get(W + attr)
        sz = rpr.find(W + "sz")
        if sz is not None and to_int(sz.get(W + "val")) is not None:
            values["size"] = to_int(sz.get(W + "val"))
        for key, tag in (("bold", "b"), ("italic", "i")):
            el = rpr.find(W + tag)
            if el is not None:
                values[key] = on(el)
        color = rpr.find(W + "color")
        if color is not None:
            values["color"] = color.get(W + "val")
    if ppr is not None:
        spacing = ppr.find(W + "spacing")
        if spacing is not None and spacing.get(W + "line") is not None:
            values["line"] = to_int(spacing.get(W + "line"))
            values["line_rule"] = spacing.get(W + "lineRule") or "auto"
        if spacing is not None:
            for key, attr in (("space_before", "before"), ("space_after", "after")):
                if spacing.get(W + attr) is not None:
                    values[key] = to_int(spacing.get(W + attr))
        ind = ppr.find(W + "ind")
        if ind is not None:
            first, hang, first_c, hang_c = (to_int(ind.get(W + name)) for name in
                                            ("firstLine", "hanging", "firstLineChars", "hangingChars"))
            if hang_c:
                values["first_line_chars"] = -hang_c
            elif first_c is not None and (first_c or not first):
                values["first_line_chars"] = first_c
            elif first is not None or hang is not None:
                values["first_line_chars"] = None  # twips written without characters: the twips count
            if hang:
                values["first_line"] = -hang
            elif first is not None:
                values["first_line"] = first
            elif hang is not None:
                values["first_line"] = 0
        jc = ppr.find(W + "jc")
        if jc is not None:
            values["jc"] = {"start": "left", "end": "right", "distribute": "both"}.get(
                jc.get(W + "val") or "", jc.get(W + "val"))
        for key, tag in (("keep_next", "keepNext"), ("keep_lines", "keepLines"),
                         ("widow_control", "widowControl"), ("page_break_before", "pageBreakBefore")):
            el = ppr.find(W + tag)
            if el is not None:
                values[key] = on(el)
        outline = ppr.find(W + "outlineLvl")
        if outline is not None:
            values["outline"] = to_int(outline.get(W + "val"))
    return StyleProps(**values)


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


@cache
def _name_aliases() -> dict[str, str]:
    """Style display names (ours, Word's, WPS's, LibreOffice's) → our style id."""
    out = {_squash(s.name): s.sid for s in all_styles()}
    out.update({_squash(s.sid): s.sid for s in all_styles()})
    for level in range(1, 5):
        for pattern in ("heading {}", "标题 {}", "标题{}"):
            out[_squash(pattern.format(level))] = h.HEADINGS[level - 1]
    out.update({"标题": h.TITLE, "副标题": h.SUBTITLE, "签名": h.SIGNATURE, "正文": h.NORMAL,
                "页脚": h.FOOTER, "defaultparagraphfont": "DefaultParagraphFont"})
    return out


def _canonical(sid: str, name: str) -> str:
    aliases = _name_aliases()
    if sid in aliases.values():
        return sid
    return aliases.get(_squash(name)) or aliases.get(_squash(sid)) or ""


class Styles:
    """The styles part, resolved lazily by id with cycle and depth guards."""

    def __init__(self, root: Any | None) -> None:
        self.raw: dict[str, Any] = {}
        self.default: dict[str, str] = {}
        self.base = StyleProps()
        self.cache: dict[str, StyleInfo] = {}
        if root is None:
            return
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
            ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
            self.base = apply_props(ppr, rpr, self.base)
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId") or ""
            self.raw.setdefault(sid, style)
            if _on_attr(style.get(W + "default")):
                self.default.setdefault(style.get(W + "type") or "paragraph", sid)

    def info(self, sid: str | None, kind: str = "paragraph") -> StyleInfo:
        key = sid if sid in self.raw else self.default.get(kind, "")
        if key in self.cache:
            return self.cache[key]
        chain: list[Any] = []
        probe: str | None = key
        while probe in self.raw and len(chain) < MAX_STYLE_DEPTH:
            el = self.raw[probe]
            if any(el is c for c in chain):
                break
            chain.append(el)
            based = el.find(W + "basedOn")
            probe = based.get(W + "val") if based is not None else None
        props = self.base
        for el in reversed(chain):
            props = apply_props(el.find(W + "pPr"), el.find(W + "rPr"), props)
        el = chain[0] if chain else None
        name_el = el.find(W + "name") if el is not None else None
        name = (name_el.get(W + "val") if name_el is not None else "") or key or "Normal"
        info = StyleInfo(key or h.NORMAL, name, kind, _canonical(key or h.NORMAL, name), props)
        self.cache[key] = info
        return info


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


@cache
def house_styles() -> dict[str, StyleProps]:
    """Our writer's styles, resolved by the same code that reads edited files: what check compares against."""
    styles = Styles(parse_xml(styles_xml().encode("utf-8"), "styles.xml", "styles.xml"))
    return {sid: styles.info(sid).props for sid in styles.raw}

