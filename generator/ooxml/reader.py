"""Any .docx → the document tree, plus the page and style facts ``check`` needs.

Drafts come back edited in Word, WPS or LibreOffice, and people also feed in
materials draftgen never wrote.  So the reader trusts nothing about the file:

* it is a zip only if :mod:`zipfile` says so; declared sizes, compression
  ratios and the number of entries are checked *before* anything is inflated,
  and only the few XML parts needed are read, each with a hard byte cap;
* XML is parsed by lxml with entity resolution, network access and huge trees
  off, and a document type declaration (never present in OOXML) is refused;
* styles are recognised by id, by name (Word, WPS and LibreOffice spell them
  differently, and LibreOffice renumbers custom style ids) and by outline
  level; headings typed as body text are recognised by their numbering;
* tracked insertions are kept and deletions dropped; comments, field codes and
  drawings are skipped.

Every way a file can fail becomes an :class:`InputError` naming the file.
"""

from __future__ import annotations

import os
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.doctree import Block, Column, Document, Heading, Paragraph, Signature, Span, Subtitle, Table, Title
from generator.errors import InputError
from generator.ooxml import house as h
from generator.ooxml.safezip import MAX_PARTS

# --------------------------------------------------------------------------- limits

MAX_FILE_BYTES = 200_000_000  # the .docx on disk (images may be large; they are never read)
MAX_ENTRIES = MAX_PARTS  # the same limit as every other reader of .docx files (safezip)
MAX_PART_BYTES = 16_000_000  # one XML part, uncompressed (a 300-page document is ~5 MB)
MAX_TOTAL_BYTES = 40_000_000  # all parts read, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FLOOR bytes
RATIO_FLOOR = 1_000_000
MAX_PARAGRAPHS = 20_000
MAX_STYLE_DEPTH = 30

W = f"{{{h.NS_W}}}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_TYPE_TAIL = {"officeDocument", "styles", "settings", "footer", "custom-properties", "core-properties",
                  "extended-properties"}

# Containers whose content is part of the visible text.
_TRANSPARENT = {W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "sdt", "sdtContent", "customXml",
                                "fldSimple", "dir", "bdo")}
# Never visible: deletions, field codes, comments' anchors, drawings and text boxes.
_DROPPED = {W + t for t in ("del", "moveFrom", "instrText", "delText", "delInstrText", "drawing", "pict",
                            "object", "commentReference", "footnoteReference", "endnoteReference")}
_DROPPED.add(_MC + "AlternateContent")

_PLACEHOLDER_RE = re.compile(r"【待补充[^【】]*】")
_CN = "一二三四五六七八九十"
HEADING_NUMBER_RES = (
    re.compile(f"^[{_CN}]+[、．.]"),
    re.compile(f"^[（(][{_CN}]+[）)]"),
    re.compile(r"^\d{1,2}[.．、](?!\d)"),
    re.compile(r"^[（(]\d{1,2}[）)]"),
)
_SENTENCE_MARK_RE = re.compile(r"[。，；：！？,;:!?]")
_DATE_LINE_RE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月"
                           r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日\s*$")


def _bad(path: str, why: str) -> InputError:
    return InputError(f"无法读取 {path}：{why}")


# --------------------------------------------------------------------------- facts for check


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


@dataclass(frozen=True)
class Footer:
    kind: str  # default | even | first
    has_page: bool
    text: str


@dataclass(frozen=True)
class Section:
    page_w: int | None
    page_h: int | None
    margins: dict[str, int]
    grid_type: str | None
    line_pitch: int | None
    footers: tuple[Footer, ...]


@dataclass
class Source:
    """Where a piece of the tree came from, for messages: "第 12 段" or "第 1 个表格第 2 行第 3 列"."""

    number: int  # 1-based among non-empty body paragraphs; 0 for table cells
    text: str
    block: int | None  # index into Document.blocks (None: title)
    style: str  # the style's display name
    canonical: str
    table: tuple[int, int, int] | None = None  # (table, row, column), 1-based
    typed_heading: bool = False  # a heading recognised by its numbering, not by a heading style
    direct_runs: tuple[tuple[str, str], ...] = ()  # direct run formatting: (property, value)
    direct_para: tuple[tuple[str, str], ...] = ()
    stale_placeholder: bool = False  # filled-in text that still carries the placeholder style


@dataclass
class ReadDocx:
    """What the reader found: the tree, where each part came from, and the layout facts."""

    path: str
    document: Document
    sources: list[Source]
    styles_used: dict[str, StyleInfo]  # by style id, paragraph styles referenced by body paragraphs (+ Normal)
    sections: list[Section]
    even_and_odd: bool
    application: str = ""
    core: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- the package


class _Package:
    """A checked zip: sizes and ratios vetted before any part is inflated."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.read_total = 0
        if not path.exists():
            raise InputError(f"找不到文件 {path}")
        if path.is_dir():
            raise InputError(f"{path} 是一个文件夹，请给出 .docx 文件")
        try:
            size = path.stat().st_size
            if size == 0:
                raise _bad(self.name, "文件是空的")
            if size > MAX_FILE_BYTES:
                raise _bad(self.name, f"文件太大（{size // 1_000_000} MB）")
            with path.open("rb") as fh:
                head = fh.read(8)
            if head.startswith(b"\xd0\xcf\x11\xe0"):
                raise _bad(self.name, "这是旧版 .doc 格式或加密的文档；请在 Word 或 WPS 中去掉密码并另存为 .docx")
            self.zip = zipfile.ZipFile(path)
        except InputError:
            raise
        except PermissionError:
            raise InputError(f"没有权限读取 {path}") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError,
                UnicodeDecodeError, struct.error):
            raise _bad(self.name, "不是 Word 文档（.docx），或者文件已损坏") from None
        except OSError as exc:
            raise InputError(f"无法读取 {path}：{exc.strerror or exc}") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _bad(self.name, f"压缩包内文件数异常（{len(infos)} 个），不像正常的 .docx")
        self.entries = {i.filename.replace("\\", "/").lstrip("/"): i for i in infos}
        self.folded = {k.casefold(): k for k in self.entries}

    def find(self, part: str) -> str | None:
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
            raise _bad(self.name, f"{name} 的压缩比异常（疑似“压缩炸弹”），已拒绝解压")
        if info.file_size > MAX_PART_BYTES:
            raise _bad(self.name, f"{name} 过大（{info.file_size // 1_000_000} MB），文档过大或已损坏")
        if self.read_total + info.file_size > MAX_TOTAL_BYTES:
            raise _bad(self.name, "文档内容过大")
        self.read_total += info.file_size
        try:
            with self.zip.open(info) as fh:
                data = fh.read(info.file_size + 1)  # zipfile never yields more than the declared size
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError):
            raise _bad(self.name, f"{name} 已损坏，无法解压") from None
        except Exception as exc:  # zlib.error and kin from a damaged stream
            raise _bad(self.name, f"{name} 已损坏，无法解压（{type(exc).__name__}）") from None
        return data

    def xml(self, part: str) -> Any | None:
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
    from lxml import etree

    probe = data[:4096].decode("utf-16", "ignore") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
    if (b"<!DOCTYPE" in probe or b"<!ENTITY" in probe) if isinstance(probe, bytes) else \
            ("<!DOCTYPE" in probe or "<!ENTITY" in probe):
        raise _bad(file, f"{part} 含有文档类型声明（DOCTYPE），不是 Word 生成的内容")
    parser = etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "huge" in str(exc).lower():
            raise _bad(file, f"{part} 中有一段文字过长，文档过大或已损坏") from None
        line = f"（第 {exc.lineno} 行）" if getattr(exc, "lineno", None) else ""
        raise _bad(file, f"{part} 不是有效的 XML{line}，文件已损坏") from None
    except (ValueError, etree.LxmlError):
        raise _bad(file, f"{part} 不是有效的 XML，文件已损坏") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise _bad(file, f"{part} 含有文档类型声明（DOCTYPE），不是 Word 生成的内容")
    return root


# --------------------------------------------------------------------------- styles


def _on(el: Any) -> bool:
    return (el.get(W + "val") or "true").lower() not in ("0", "false", "off", "none")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


def _props(ppr: Any, rpr: Any, base: StyleProps) -> StyleProps:
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
        if sz is not None and _int(sz.get(W + "val")) is not None:
            values["size"] = _int(sz.get(W + "val"))
        for key, tag in (("bold", "b"), ("italic", "i")):
            el = rpr.find(W + tag)
            if el is not None:
                values[key] = _on(el)
        color = rpr.find(W + "color")
        if color is not None:
            values["color"] = color.get(W + "val")
    if ppr is not None:
        spacing = ppr.find(W + "spacing")
        if spacing is not None and spacing.get(W + "line") is not None:
            values["line"] = _int(spacing.get(W + "line"))
            values["line_rule"] = spacing.get(W + "lineRule") or "auto"
        ind = ppr.find(W + "ind")
        if ind is not None:
            first, hang, first_c, hang_c = (_int(ind.get(W + name)) for name in
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
        outline = ppr.find(W + "outlineLvl")
        if outline is not None:
            values["outline"] = _int(outline.get(W + "val"))
    return StyleProps(**values)


def _squash(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


@cache
def _name_aliases() -> dict[str, str]:
    """Style display names (ours, Word's, WPS's, LibreOffice's) → our style id."""
    from generator.ooxml.styles import all_styles

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


class _Styles:
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
            self.base = _props(ppr, rpr, self.base)
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
            props = _props(el.find(W + "pPr"), el.find(W + "rPr"), props)
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
    from generator.ooxml.styles import styles_xml

    styles = _Styles(parse_xml(styles_xml().encode("utf-8"), "styles.xml", "styles.xml"))
    return {sid: styles.info(sid).props for sid in styles.raw}


# --------------------------------------------------------------------------- runs and paragraphs

_RUN_DIRECT = {"rFonts": "font", "sz": "size", "szCs": "", "b": "bold", "bCs": "", "i": "italic", "iCs": "",
               "u": "underline", "color": "color", "highlight": "highlight", "shd": "shading",
               "spacing": "letter_spacing", "w": "scale", "position": "position", "strike": "strike",
               "caps": "caps", "vertAlign": "", "eastAsianLayout": "", "kern": "", "lang": "", "noProof": "",
               "rStyle": "", "rPrChange": "", "webHidden": "", "specVanish": "", "cs": "", "rtl": ""}


def _direct_run(rpr: Any) -> list[tuple[str, str]]:
    """Direct formatting a run carries beyond its character style (hint-only rFonts is not formatting)."""
    out: list[tuple[str, str]] = []
    if rpr is None:
        return out
    for el in rpr:
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1]
        prop = _RUN_DIRECT.get(local, "")
        if not prop:
            continue
        if local == "rFonts":
            name = el.get(W + "eastAsia") or el.get(W + "ascii") or el.get(W + "hAnsi")
            theme = el.get(W + "eastAsiaTheme") or el.get(W + "asciiTheme")
            if name or theme:
                out.append((prop, name or f"主题字体（{theme}）"))
        elif local in ("b", "i", "strike", "caps"):
            out.append((prop, "是" if _on(el) else "否"))
        elif local == "shd":
            fill = el.get(W + "fill") or ""
            if fill.lower() not in ("", "auto"):
                out.append((prop, fill))
        elif local == "color":
            val = el.get(W + "val") or ""
            if val.lower() not in ("", "auto", "000000"):
                out.append((prop, val))
        elif local == "highlight":
            if (el.get(W + "val") or "none") != "none":
                out.append((prop, el.get(W + "val") or ""))
        else:
            out.append((prop, el.get(W + "val") or ""))
    return out


@dataclass
class _Run:
    text: str
    char: str  # canonical character style ("Lead", "Placeholder") or ""
    bold: bool
    direct: list[tuple[str, str]]


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag == W + "br":
            if (child.get(W + "type") or "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag == W + "cr":
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


class _Body:
    """Walks document.xml into blocks and sources."""

    def __init__(self, styles: _Styles, path: str) -> None:
        self.styles = styles
        self.path = path
        self.paragraphs = 0

    def runs(self, el: Any, out: list[_Run]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _DROPPED:
                continue
            if tag == W + "r":
                rpr = child.find(W + "rPr")
                rstyle = rpr.find(W + "rStyle") if rpr is not None else None
                info = self.styles.info(rstyle.get(W + "val") if rstyle is not None else None, "character")
                direct = _direct_run(rpr)
                bold_el = rpr.find(W + "b") if rpr is not None else None
                bold = _on(bold_el) if bold_el is not None else bool(info.props.bold and rstyle is not None)
                text = _run_text(child)
                if text:
                    out.append(_Run(text, info.canonical if rstyle is not None else "", bold, direct))
            elif tag in _TRANSPARENT:
                self.runs(child, out)

    def paragraph(self, p: Any) -> tuple[list[_Run], StyleInfo, Any]:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise _bad(self.path, f"段落过多（超过 {MAX_PARAGRAPHS} 段），文档过大")
        ppr = p.find(W + "pPr")
        pstyle = ppr.find(W + "pStyle") if ppr is not None else None
        info = self.styles.info(pstyle.get(W + "val") if pstyle is not None else None)
        runs: list[_Run] = []
        self.runs(p, runs)
        return runs, info, ppr


def _mark_deleted(ppr: Any) -> bool:
    """A paragraph mark deleted with tracked changes: the paragraph merges with the next one."""
    if ppr is None:
        return False
    rpr = ppr.find(W + "rPr")
    return rpr is not None and rpr.find(W + "del") is not None


def _block_items(body: Any) -> Iterator[Any]:
    """Body-level paragraphs and tables in order, looking through content controls."""
    for child in body:
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo"):
            yield from _block_items(child)


def _direct_para(ppr: Any, canonical: str) -> list[tuple[str, str]]:
    """Paragraph properties set on the paragraph itself (the signature's own right indent is ours)."""
    out: list[tuple[str, str]] = []
    if ppr is None:
        return out
    for tag, prop in (("spacing", "line_spacing"), ("ind", "indent"), ("jc", "alignment")):
        el = ppr.find(W + tag)
        if el is None:
            continue
        if tag == "ind" and canonical in (h.SIGNATURE, h.SIGNATURE_DATE):
            continue
        attrs = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
        if tag == "spacing":
            attrs = {k: v for k, v in attrs.items() if k in ("line", "lineRule", "before", "after")
                     and not (k in ("before", "after") and v == "0")}
            if not attrs:
                continue
        out.append((prop, "，".join(f"{k}={v}" for k, v in sorted(attrs.items()))))
    return out


def _spans(runs: list[_Run], para_bold: bool) -> tuple[tuple[Span, ...], bool]:
    """Runs → spans: Lead style (or leading hand-bolded runs) → lead; 【待补充…】 → placeholder."""
    spans: list[Span] = []
    stale = False
    lead_done = False
    any_plain_after = any(not r.bold for r in runs)
    for i, run in enumerate(runs):
        style: str | None = None
        typed_lead = not lead_done and run.bold and not para_bold and any_plain_after and \
            all(r.bold for r in runs[:i]) and run.char != h.PLACEHOLDER
        if run.char == h.LEAD or typed_lead:
            style = "lead"
        if style != "lead":
            lead_done = True
        if run.char == h.PLACEHOLDER and not _PLACEHOLDER_RE.fullmatch(run.text.strip()):
            stale = stale or bool(run.text.strip())
        if style == "lead":
            spans.append(Span(run.text, "lead"))
            continue
        pos = 0
        for m in _PLACEHOLDER_RE.finditer(run.text):
            if m.start() > pos:
                spans.append(Span(run.text[pos:m.start()]))
            spans.append(Span(m.group(0), "placeholder"))
            pos = m.end()
        if pos < len(run.text):
            spans.append(Span(run.text[pos:]))
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].style == span.style and span.style != "placeholder":
            merged[-1] = Span(merged[-1].text + span.text, span.style)
        else:
            merged.append(span)
    return tuple(merged), stale


def typed_heading_level(text: str, bold: bool) -> int:
    """The level of a heading typed as body text ("一、" "（一）", bold "1." "（1）"), else 0."""
    text = text.strip()
    if not text or len(text) > 40 or "。" in text.rstrip("。"):
        return 0
    for level, pattern in enumerate(HEADING_NUMBER_RES, 1):
        if pattern.match(text) and (level <= 2 or bold) and not text.endswith(("；", "，")):
            return level
    return 0


def _list_heading_level(ppr: Any, text: str) -> int:
    """A short line numbered by Word's automatic list ("一、" not in the text): a heading at the list level."""
    num = ppr.find(W + "numPr") if ppr is not None else None
    if num is None or not text.strip() or len(text.strip()) > 40 or _SENTENCE_MARK_RE.search(text.rstrip("。")):
        return 0
    ilvl = num.find(W + "ilvl")
    return min(4, (_int(ilvl.get(W + "val")) or 0) + 1) if ilvl is not None else 1


def _heading_level(info: StyleInfo, ppr: Any) -> int:
    if info.canonical in h.HEADINGS:
        return h.HEADINGS.index(info.canonical) + 1
    outline = info.props.outline
    if ppr is not None:
        el = ppr.find(W + "outlineLvl")
        if el is not None:
            outline = _int(el.get(W + "val"))
    if outline is not None and 0 <= outline <= 3:
        return outline + 1
    return 0


# --------------------------------------------------------------------------- assembling the tree


@dataclass
class _Para:
    text: str
    spans: tuple[Span, ...]
    info: StyleInfo
    level: int
    typed: bool
    bold: bool
    direct_runs: list[tuple[str, str]]
    direct_para: list[tuple[str, str]]
    stale: bool
    title_breaks: tuple[int, ...] = ()


def _read_paragraph(body: _Body, p: Any) -> tuple[_Para, bool]:
    runs, info, ppr = body.paragraph(p)
    text = "".join(r.text for r in runs)
    para_bold = bool(info.props.bold)
    all_bold = bool(runs) and all(r.bold for r in runs if r.text.strip())
    spans, stale = _spans(runs, para_bold)
    level = _heading_level(info, ppr)
    typed = False
    if not level and info.canonical not in (h.TITLE, h.SUBTITLE, h.SIGNATURE, h.SIGNATURE_DATE):
        level = typed_heading_level(text, para_bold or all_bold) or _list_heading_level(ppr, text)
        typed = bool(level)
    direct: list[tuple[str, str]] = []
    for r in runs:
        for item in r.direct:
            if item not in direct and not _same_as_style(item, info.props, lead=r.char == h.LEAD):
                direct.append(item)
    breaks: list[int] = []
    if info.canonical == h.TITLE or not level:
        offset = 0
        for r in runs:
            for piece_index, piece in enumerate(r.text.split("\n")):
                if piece_index:
                    breaks.append(offset)
                offset += len(piece)
    para = _Para(text, spans, info, level, typed, para_bold or all_bold, direct, _direct_para(ppr, info.canonical),
                 stale, tuple(breaks))
    return para, _mark_deleted(ppr)


def _same_as_style(item: tuple[str, str], props: StyleProps, *, lead: bool) -> bool:
    """Direct formatting that repeats the style (WPS writes the font and size on every run) changes nothing."""
    key, value = item
    if key == "font":
        return value in (props.east_asia, props.latin)
    if key == "size":
        return value == str(props.size)
    if key == "bold":
        return lead or (value == "是") == bool(props.bold)
    if key == "italic":
        return (value == "是") == bool(props.italic)
    return False


def _join(a: _Para, b: _Para) -> _Para:
    """A paragraph whose mark was deleted flows into the next one."""
    spans = a.spans + b.spans
    return _Para(a.text + b.text, spans, b.info, b.level, b.typed, a.bold and b.bold, a.direct_runs + b.direct_runs,
                 b.direct_para, a.stale or b.stale)


def _cell_paragraphs(body: _Body, tc: Any) -> list[_Para]:
    out: list[_Para] = []
    for el in tc.iter(W + "p"):
        para, _ = _read_paragraph(body, el)
        out.append(para)
    return out


class _Assembler:
    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.sources: list[Source] = []
        self.title: Title | None = None
        self.number = 0
        self.tables = 0
        self.used: dict[str, StyleInfo] = {}

    def source(self, para: _Para, block: int | None) -> Source:
        self.number += 1
        self.used.setdefault(para.info.sid, para.info)
        return Source(self.number, para.text, block, para.info.name, para.info.canonical, None, para.typed,
                      tuple(para.direct_runs), tuple(para.direct_para), para.stale)

    def paragraphs(self, paras: list[_Para], *, last: bool) -> None:
        """Classify body paragraphs into title, subtitle, headings, body, signature.

        Called for each run of paragraphs between tables; only the last run can end in a signature.
        """
        visible = [p for p in paras if p.text.strip()]
        has_title_style = any(p.info.canonical == h.TITLE for p in visible)
        signature_at = self._signature_start(visible) if last else None
        pending_name: _Para | None = None
        for i, para in enumerate(visible):
            canonical = para.info.canonical
            if signature_at is not None and i >= signature_at:
                if pending_name is None and i == signature_at and not _DATE_LINE_RE.match(para.text):
                    pending_name = para
                    self.sources.append(self.source(para, len(self.blocks)))
                    continue
                name = pending_name.text.strip() if pending_name else ""
                self.sources.append(self.source(para, len(self.blocks)))
                self.blocks.append(Signature(name, para.text.strip()))
                pending_name = None
                continue
            if self.title is None and not self.blocks and not self.tables and (
                    canonical == h.TITLE or (not has_title_style and not para.level and len(para.text) <= 80
                                             and "。" not in para.text)):
                text = para.text.replace("\n", "")
                self.title = Title(text.strip(), tuple(b for b in para.title_breaks if 0 < b < len(text)))
                self.sources.append(self.source(para, None))
                continue
            index = len(self.blocks)
            self.sources.append(self.source(para, index))
            if canonical == h.SUBTITLE or (index == 0 and self.title is not None and not para.level
                                           and len(para.text) <= 40 and not _SENTENCE_MARK_RE.search(para.text)):
                self.blocks.append(Subtitle(para.text.strip()))
            elif para.level:
                self.blocks.append(Heading(para.level, para.text.strip()))
            else:
                self.blocks.append(Paragraph(para.spans))

    @staticmethod
    def _signature_start(visible: list[_Para]) -> int | None:
        """Index of the signature's first paragraph (name, or the date alone), if the document ends with one."""
        if not visible:
            return None
        last = visible[-1]
        if last.info.canonical == h.SIGNATURE_DATE or _DATE_LINE_RE.match(last.text):
            before = visible[-2] if len(visible) >= 2 else None
            if before is not None and (before.info.canonical == h.SIGNATURE or (
                    len(before.text.strip()) <= 30 and not before.level and "。" not in before.text
                    and before.info.canonical not in h.HEADINGS)):
                return len(visible) - 2
            return len(visible) - 1
        return None

    def table(self, body: _Body, tbl: Any) -> None:
        caption = ""
        if self.blocks and isinstance(self.blocks[-1], Paragraph) and self.sources \
                and self.sources[-1].canonical == h.TABLE_CAPTION:
            caption = self.blocks.pop().text  # type: ignore[union-attr]
        self.tables += 1
        rows: list[list[tuple[Span, ...]]] = []
        for r, tr in enumerate(_rows(tbl), 1):
            cells: list[tuple[Span, ...]] = []
            for c, tc in enumerate(_cells(tr), 1):
                paras = _cell_paragraphs(body, tc)
                spans: list[Span] = []
                for k, para in enumerate(p for p in paras if p.text.strip()):
                    if k:
                        spans.append(Span("\n"))
                    spans.extend(para.spans)
                    self.used.setdefault(para.info.sid, para.info)
                    self.sources.append(Source(0, para.text, len(self.blocks), para.info.name, para.info.canonical,
                                               (self.tables, r, c), False, tuple(para.direct_runs)))
                cells.append(tuple(spans))
            rows.append(cells)
        if not rows:
            return
        header, body_rows = rows[0], rows[1:]
        columns = tuple(Column("".join(s.text for s in cell)) for cell in header)
        width = len(columns)
        fixed = tuple(tuple(row[:width]) + ((),) * (width - len(row)) for row in body_rows)
        self.blocks.append(Table(columns, fixed, caption))


_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "ins")


def _children(node: Any, tag: str) -> Iterator[Any]:
    """``tag`` children, looking through content controls, custom XML and tracked insertions."""
    for child in node:
        if child.tag == W + tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _rows(tbl: Any) -> Iterator[Any]:
    return _children(tbl, "tr")


def _cells(tr: Any) -> Iterator[Any]:
    return _children(tr, "tc")


# --------------------------------------------------------------------------- sections, settings, properties


def _footer(pkg: _Package, kind: str, part: str) -> Footer:
    root = pkg.xml(part)
    if root is None:
        return Footer(kind, False, "")
    instr = " ".join((el.text or "") for el in root.iter(W + "instrText"))
    instr += " " + " ".join(el.get(W + "instr") or "" for el in root.iter(W + "fldSimple"))
    has_page = bool(re.search(r"(?<![A-Z])PAGE(?![A-Z])", instr.upper()))
    text = "".join((el.text or "") for el in root.iter(W + "t"))
    return Footer(kind, has_page, text)


def _sections(pkg: _Package, root: Any, rels: dict[str, tuple[str, str]]) -> list[Section]:
    out: list[Section] = []
    footers_read: dict[str, Footer] = {}
    for sect in root.iter(W + "sectPr"):
        size = sect.find(W + "pgSz")
        mar = sect.find(W + "pgMar")
        grid = sect.find(W + "docGrid")
        margins = {}
        if mar is not None:
            for key in ("top", "bottom", "left", "right", "footer", "header"):
                value = _int(mar.get(W + key))
                if value is not None:
                    margins[key] = value
        footers: list[Footer] = []
        for ref in sect.findall(W + "footerReference"):
            kind = ref.get(W + "type") or "default"
            rid = ref.get(f"{{{h.NS_R}}}id") or ""
            rel = rels.get(rid)
            if rel is None:
                continue
            if rel[1] not in footers_read:
                footers_read[rel[1]] = _footer(pkg, kind, rel[1])
            found = footers_read[rel[1]]
            footers.append(Footer(kind, found.has_page, found.text))
        out.append(Section(
            _int(size.get(W + "w")) if size is not None else None,
            _int(size.get(W + "h")) if size is not None else None,
            margins,
            grid.get(W + "type") if grid is not None else None,
            _int(grid.get(W + "linePitch")) if grid is not None else None,
            tuple(footers)))
    return out


def _custom_properties(pkg: _Package, part: str) -> dict[str, str]:
    root = pkg.xml(part)
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root:
        name = prop.get("name") or ""
        if isinstance(prop.tag, str) and name.startswith(h.META_PREFIX):
            out[name[len(h.META_PREFIX):]] = "".join(prop.itertext()).strip()
    return out


def _text_of(root: Any | None, tag: str) -> str:
    if root is None:
        return ""
    for el in root.iter(tag):
        return "".join(el.itertext()).strip()
    return ""


# --------------------------------------------------------------------------- entry point


def read_docx(path: Path) -> ReadDocx:
    """Read any .docx into a :class:`ReadDocx`, or raise :class:`InputError` with a Chinese message."""
    pkg = _Package(path)
    try:
        return _read(pkg)
    except InputError:
        raise
    except Exception as exc:  # damaged input must never become a traceback (issue 9)
        if os.environ.get("DRAFTGEN_DEBUG"):
            raise
        raise _bad(pkg.name, f"文件结构异常，可能已损坏（{type(exc).__name__}）") from None
    finally:
        pkg.zip.close()


def _read(pkg: _Package) -> ReadDocx:
    root_rels = pkg.rels("")
    by_type = {tail: target for tail, target in root_rels.values()}
    doc_part = by_type.get("officeDocument") or h.PART_DOCUMENT
    if pkg.find(doc_part) is None:
        doc_part = h.PART_DOCUMENT
    root = pkg.xml(doc_part)
    if root is None:
        raise _bad(pkg.name, "缺少正文（word/document.xml），不是 Word 文档")
    if root.tag != W + "document":
        raise _bad(pkg.name, "正文部分不是 Word 文档的格式（可能是 Strict Open XML 或其他格式，请另存为普通 .docx）")
    rels = pkg.rels(doc_part)
    doc_rel_types = {tail: target for tail, target in rels.values()}
    styles = _Styles(pkg.xml(doc_rel_types.get("styles", "word/styles.xml")))
    settings = pkg.xml(doc_rel_types.get("settings", "word/settings.xml"))
    even_odd = False
    if settings is not None:
        el = settings.find(W + "evenAndOddHeaders")
        even_odd = el is not None and _on(el)
    body_el = root.find(W + "body")
    body = _Body(styles, pkg.name)
    asm = _Assembler(pkg.name)
    pending: list[_Para] = []
    carry: _Para | None = None
    for item in _block_items(body_el) if body_el is not None else ():
        if item.tag == W + "p":
            para, merged_away = _read_paragraph(body, item)
            if carry is not None:
                para = _join(carry, para)
                carry = None
            if merged_away:
                carry = para
                continue
            pending.append(para)
        else:
            if carry is not None:
                pending.append(carry)
                carry = None
            asm.paragraphs(pending, last=False)
            pending = []
            asm.table(body, item)
    if carry is not None:
        pending.append(carry)
    asm.paragraphs(pending, last=True)
    asm.used.setdefault(styles.info(None).sid, styles.info(None))
    meta = _custom_properties(pkg, by_type.get("custom-properties", h.PART_CUSTOM))
    core_root = pkg.xml(by_type.get("core-properties", h.PART_CORE))
    app_root = pkg.xml(by_type.get("extended-properties", h.PART_APP))
    core = {"title": _text_of(core_root, f"{{{h.NS_DC}}}title"),
            "creator": _text_of(core_root, f"{{{h.NS_DC}}}creator")}
    application = _text_of(app_root, f"{{{h.NS_EXTENDED}}}Application")
    document = Document(asm.title or Title(""), tuple(asm.blocks), meta)
    return ReadDocx(pkg.name, document, asm.sources, asm.used, _sections(pkg, root, rels), even_odd,
                    application, core)
