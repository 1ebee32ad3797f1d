"""Single-file rules of ``draftgen check`` that predate the reviewer's rules: outline, text, house style.

Every rule works on what :mod:`generator.ooxml.reader` recovered from a .docx
(the document tree, where each paragraph came from, the styles in use and the
page setup), so the same checks apply to our drafts after editing in Word, WPS
or LibreOffice and to materials draftgen never wrote.  Findings are data with a
Chinese message and a place ("第 12 段（一、存在的问题 › （二）党性修养方面）");
the CLI prints them or dumps them as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.check.model import Finding, excerpt
from generator.doctree import Block, Document, Heading, Paragraph
from generator.ooxml import house as h
from generator.ooxml.reader import ReadDocx, Source, StyleInfo, StyleProps, house_styles
from generator.outline import NUMBER_RE, SECTIONS, section_starts
from generator.render import PLACEHOLDER_RE
from generator.text import half_width_punct, has_han, unbalanced_quotes

TOLERANCE_TWIPS = 20  # ≈ 0.35 mm: what unit conversions in Word and WPS may round away


# --------------------------------------------------------------------------- places


class _Places:
    """Turns a source into "第 12 段（一、存在的问题 › （二）党性修养方面）"."""

    def __init__(self, doc: Document) -> None:
        self.context: list[str] = []
        h1 = h2 = ""
        for block in doc.blocks:
            if isinstance(block, Heading) and block.level == 1:
                h1, h2 = block.text, ""
                self.context.append("")
                continue
            if isinstance(block, Heading) and block.level == 2:
                h2 = block.text
                self.context.append(h1)
                continue
            self.context.append(" › ".join(x for x in (h1, h2) if x))

    def __call__(self, src: Source) -> str:
        if src.table:
            t, r, c = src.table
            where = f"第 {t} 个表格第 {r} 行第 {c} 列"
        elif src.block is None:
            return "标题"
        else:
            where = f"第 {src.number} 段"
        context = self.context[src.block] if src.block is not None and src.block < len(self.context) else ""
        return f"{where}（{context}）" if context else where


# --------------------------------------------------------------------------- outline

_SECTIONS = SECTIONS
_NUMBER_RE = NUMBER_RE
_OUTLINE_TYPES = (None, "", "personal", "collective")


@dataclass
class _Part:
    """A level-2 division of a section (an area, a cause, a group of measures) and its blocks."""

    heading: str
    blocks: list[tuple[int, Block]] = field(default_factory=list)

    def items(self) -> list[int]:
        """Block indices of the items: numbered paragraphs or level-3 headings if any, else all paragraphs."""
        paras = [(i, b) for i, b in self.blocks if isinstance(b, Paragraph) and _has_text(b.text)]
        numbered = [i for i, b in paras if _NUMBER_RE.match(b.text) or (b.spans and b.spans[0].style == "lead")]
        subheads = [i for i, b in self.blocks if isinstance(b, Heading) and b.level >= 3]
        return sorted(set(numbered) | set(subheads)) or [i for i, _ in paras]


def _has_text(text: str) -> bool:
    return has_han(PLACEHOLDER_RE.sub("", text))


def outline_parts(doc: Document) -> dict[str, list[_Part]]:
    """Each required section's level-2 parts (one unnamed part when it has no level-2 headings)."""
    out: dict[str, list[_Part]] = {}
    current: list[_Part] | None = None
    intro = True
    starts = {s.index: s for s in section_starts(doc.blocks)}
    for index, block in enumerate(doc.blocks):
        if index in starts:
            kind = starts[index].kind
            current = out.setdefault(kind, []) if kind else None
            if current is not None:
                current.append(_Part(""))
            intro = True
            if not starts[index].restored:
                continue
        if current is None:
            continue
        if isinstance(block, Heading) and block.level == 2:
            if intro and current and not current[-1].heading:
                current.pop()  # the section's lead-in paragraph is no item
            current.append(_Part(block.text))
            intro = False
            continue
        current[-1].blocks.append((index, block))
    return out


def _area_name(heading: str) -> str:
    return re.sub(r"方面$", "", _NUMBER_RE.sub("", heading).strip())


def check_outline(doc: Document) -> list[Finding]:
    """The three sections in order; every area has problems; every problem has a measure."""
    if doc.meta.get("doctype") not in _OUTLINE_TYPES:
        return []
    findings: list[Finding] = []
    starts = section_starts(doc.blocks)
    if not starts:
        return [Finding("no-headings", "没有找到一级标题（“一、存在的问题”等），无法核对提纲；"
                        "如果标题是手工输入的，请使用“标题 1”样式")]
    if starts[0].restored:
        findings.append(Finding("no-headings", "一级标题（“一、存在的问题”“二、问题产生的原因”"
                                "“三、整改措施”）被删除了，请补上；以下按二级标题的编号推断各部分"))
    first: dict[str, int] = {}
    for start in starts:
        first.setdefault(start.kind, start.index)
    for kind, title in _SECTIONS:
        if kind not in first:
            findings.append(Finding("missing-section", f"缺少“{title}”部分"))
    present = [k for k, _ in _SECTIONS if k in first]
    ordered = sorted(present, key=lambda k: first[k])
    if ordered != present:
        names = dict(_SECTIONS)
        findings.append(Finding("section-order",
                                "各部分顺序不对：应为“存在的问题—问题产生的原因—整改措施”，现在是"
                                + "—".join(f"“{names[k]}”" for k in ordered)))
    parts = outline_parts(doc)
    areas = [p for p in parts.get("problems", []) if p.heading or p.blocks]
    wanted = [a for a in doc.meta.get("areas", "").split("、") if a]
    headings = [_area_name(a.heading) for a in areas]
    for name in wanted:
        if not any(name in heading or heading in name for heading in headings if heading):
            findings.append(Finding("missing-area", f"“存在的问题”中缺少“{name}”方面"))
    for area in areas:
        if not area.items():
            name = area.heading or "“存在的问题”部分"
            findings.append(Finding("empty-area", f"{name}下没有写具体问题", area.heading))
    if "measures" in first and "problems" in first:
        findings.extend(_measures_answer(areas, [g for g in parts.get("measures", []) if g.heading or g.blocks],
                                         by_area=bool(wanted)))
    return findings


def _measures_answer(areas: list[_Part], groups: list[_Part], *, by_area: bool) -> list[Finding]:
    """Each problem needs a measure: area by area for our drafts, in total for others."""
    problems = [len(a.items()) for a in areas]
    measures = [len(g.items()) for g in groups]
    if not sum(measures):
        return [Finding("no-measures", "“整改措施”部分没有写具体措施")]
    if by_area and all(a.heading for a in areas) and all(g.heading for g in groups):
        out: list[Finding] = []
        if len(groups) < len(areas):
            out.append(Finding("measure-groups",
                               f"“存在的问题”有 {len(areas)} 个方面，“整改措施”只有 {len(groups)} 部分，"
                               "请为每个方面的问题写出措施"))
        for area, group, n_problems, n_measures in zip(areas, groups, problems, measures, strict=False):
            if n_measures < n_problems:
                out.append(Finding("missing-measure",
                                   f"{area.heading}有 {n_problems} 条问题，对应的整改措施“{group.heading}”"
                                   f"只有 {n_measures} 条，每条问题都应有措施", group.heading))
        return out
    if sum(measures) < sum(problems):
        return [Finding("missing-measure",
                        f"“存在的问题”共 {sum(problems)} 条，“整改措施”只有 {sum(measures)} 条，"
                        "请核对每条问题是否都有对应的措施")]
    return []


# --------------------------------------------------------------------------- text


def check_text(read: ReadDocx, place: Callable[[Source], str]) -> list[Finding]:
    """Leftover placeholders, half-width punctuation in Chinese text, unbalanced quotes."""
    findings: list[Finding] = []
    for src in read.sources:
        text = src.text
        for m in PLACEHOLDER_RE.finditer(text):
            findings.append(Finding("placeholder", f"还有待补充的内容“{m.group(0)}”",
                                    place(src), src.number or None, excerpt(text, m.start())))
        if not has_han(text):
            continue
        offsets = half_width_punct(text)
        if offsets:
            marks = "".join(dict.fromkeys(text[i] for i in offsets))
            findings.append(Finding("half-width",
                                    f"中文里用了半角标点“{marks}”（共 {len(offsets)} 处），应改为全角，"
                                    f"如：“{excerpt(text, offsets[0], 16)}”",
                                    place(src), src.number or None, excerpt(text, offsets[0])))
        if unbalanced_quotes(text):
            findings.append(Finding("quotes", "引号不成对", place(src), src.number or None,
                                    excerpt(text)))
    return findings


# --------------------------------------------------------------------------- house style

_PROP_NAMES = {"east_asia": "中文字体", "latin": "西文字体", "size": "字号", "bold": "加粗", "line": "行距",
               "indent": "首行缩进", "jc": "对齐方式"}
_JC = {"both": "两端对齐", "left": "左对齐", "right": "右对齐", "center": "居中", None: "左对齐"}
_DIRECT = {"font": "字体", "size": "字号", "bold": "加粗", "italic": "倾斜", "underline": "下划线", "color": "颜色",
           "highlight": "突出显示", "shading": "底纹", "letter_spacing": "字间距", "scale": "字符缩放",
           "position": "字符位置", "strike": "删除线", "caps": "大写"}
_PARA_DIRECT = {"line_spacing": "行距", "indent": "缩进", "alignment": "对齐方式"}


def _pt(half_points: int | None) -> str:
    if half_points is None:
        return "未指定"
    value = half_points / 2
    return f"{value:g}磅"


def _line(props: StyleProps) -> str:
    if props.line is None:
        return "单倍行距"
    if props.line_rule in ("exact", "atLeast"):
        return f"{'固定值' if props.line_rule == 'exact' else '最小值'}{props.line / 20:g}磅"
    return f"{props.line / 240:g}倍行距"


def _show(key: str, props: StyleProps) -> str:
    if key in ("east_asia", "latin"):
        return f"“{getattr(props, key)}”" if getattr(props, key) else "未指定"
    if key == "size":
        return _pt(props.size)
    if key == "bold":
        return "加粗" if props.bold else "不加粗"
    if key == "line":
        return _line(props)
    if key == "indent":
        chars = props.indent_chars() or 0.0
        return f"{chars:g}个字符"
    return _JC.get(props.jc, props.jc or "")


def _differs(key: str, actual: StyleProps, expected: StyleProps) -> bool:
    if key == "bold":
        return bool(actual.bold) != bool(expected.bold)
    if key == "line":
        return expected.line is not None and (actual.line != expected.line or actual.line_rule != expected.line_rule)
    if key == "indent":
        want = expected.indent_chars()
        return want is not None and abs((actual.indent_chars() or 0.0) - want) > 0.05
    if key == "jc":
        return (actual.jc or "left") != (expected.jc or "left")
    want = getattr(expected, key)
    return want is not None and getattr(actual, key) != want


def _expected(info: StyleInfo) -> tuple[str, StyleProps] | None:
    house = house_styles()
    if info.canonical in house:
        return info.canonical, house[info.canonical]
    outline = info.props.outline
    if outline is not None and 0 <= outline <= 3:
        sid = h.HEADINGS[outline]
        return sid, house[sid]
    return None


def check_styles(read: ReadDocx) -> list[Finding]:
    """Styles in use against the house style (fonts, sizes, bold, line spacing, indent, alignment)."""
    findings: list[Finding] = []
    for info in read.styles_used.values():
        found = _expected(info)
        if found is None or info.kind != "paragraph":
            continue
        _, expected = found
        diffs = [f"{_PROP_NAMES[k]}是{_show(k, info.props)}，应为{_show(k, expected)}"
                 for k in _PROP_NAMES if _differs(k, info.props, expected)]
        if diffs:
            findings.append(Finding("style-drift", "；".join(diffs), f"样式“{info.name}”"))
    return findings


def _mm(twips: int) -> str:
    return f"{twips / h.TWIPS_PER_MM:.0f}毫米"


def check_page(read: ReadDocx) -> list[Finding]:
    """Paper, margins, 22-line grid and odd/even page numbers."""
    findings: list[Finding] = []
    if not read.sections:
        return [Finding("paper", "没有页面设置（纸张、页边距），应为 A4、上 37 下 35 左 28 右 26 毫米")]
    for n, sec in enumerate(read.sections, 1):
        where = f"第 {n} 节" if len(read.sections) > 1 else "页面设置"
        # a wide table (整改台账) may have an A4 landscape section of its own, in the house's landscape margins
        landscape = len(read.sections) > 1 and sec.page_w is not None and sec.page_h is not None \
            and abs(sec.page_w - h.PAGE_H) <= TOLERANCE_TWIPS and abs(sec.page_h - h.PAGE_W) <= TOLERANCE_TWIPS
        if not landscape and (sec.page_w is None or sec.page_h is None or abs(sec.page_w - h.PAGE_W) > TOLERANCE_TWIPS
                              or abs(sec.page_h - h.PAGE_H) > TOLERANCE_TWIPS):
            size = f"{_mm(sec.page_w)}×{_mm(sec.page_h)}" if sec.page_w and sec.page_h else "未指定"
            findings.append(Finding("paper", f"纸张是 {size}，应为 A4 纵向（210×297 毫米）", where))
        top = h.LANDSCAPE_MARGIN_TOP if landscape else h.MARGIN_TOP
        wanted = {"top": (top, "上"), "bottom": (h.MARGIN_BOTTOM, "下"), "left": (h.MARGIN_LEFT, "左"),
                  "right": (h.MARGIN_RIGHT, "右")}
        wrong = [f"{label} {_mm(sec.margins[k]) if k in sec.margins else '未指定'}（应为 {_mm(v)}）"
                 for k, (v, label) in wanted.items()
                 if k not in sec.margins or abs(sec.margins[k] - v) > TOLERANCE_TWIPS]
        if wrong:
            findings.append(Finding("margins", "页边距不对：" + "，".join(wrong), where))
        if sec.grid_type not in ("lines", "linesAndChars") or sec.line_pitch is None \
                or abs(sec.line_pitch - h.LINE_PITCH) > 2:
            findings.append(Finding("grid", "文档网格不是每页 22 行（行距 28.95 磅的行网格）", where))
        kinds = {f.kind: f for f in sec.footers}
        if not any(f.has_page for f in sec.footers):
            findings.append(Finding("page-number", "没有页码（应为页脚中的“— 1 —”式页码）", where))
            continue
        if not read.even_and_odd or "even" not in kinds:
            findings.append(Finding("odd-even",
                                    "没有设置奇偶页不同的页脚（单页页码居右、双页页码居左）", where))
        for kind, label in (("default", "单页"), ("even", "双页")):
            footer = kinds.get(kind)
            if footer is not None and not footer.has_page:
                findings.append(Finding("page-number", f"{label}页脚中没有页码", where))
    return findings


def check_direct(read: ReadDocx, place: Callable[[Source], str]) -> list[Finding]:
    """Formatting set on text or paragraphs instead of in styles (pasted text, headings typed by hand)."""
    findings: list[Finding] = []
    typed = [src for src in read.sources if src.typed_heading]
    if typed:
        numbers = "、".join(str(src.number) for src in typed[:12]) + ("等" if len(typed) > 12 else "")
        example = excerpt(typed[0].text, 0, 20)
        findings.append(Finding("typed-heading",
                                f"有 {len(typed)} 个标题是手工排的（第 {numbers} 段，如“{example}”），"
                                "没有使用“标题 1”“标题 2”等样式，导航窗格中看不到，格式也不会统一",
                                "", typed[0].number or None, excerpt(typed[0].text)))
    for src in read.sources:
        runs = [(k, v) for k, v in src.direct_runs if not (src.typed_heading and k == "bold")]
        if runs:
            parts = []
            for key, value in dict.fromkeys(runs):
                label = _DIRECT.get(key, key)
                if key == "font":
                    parts.append(f"{label}“{value}”")
                elif key == "size" and value.isdigit():
                    parts.append(f"{label} {_pt(int(value))}")
                elif value in ("是", ""):
                    parts.append(label)
                elif value == "否":
                    parts.append(f"取消{label}")
                else:
                    parts.append(f"{label} {value}")
            findings.append(Finding("direct-run",
                                    f"文字直接设置了格式（{'、'.join(parts)}），不随样式统一；"
                                    "可选中后“清除格式”（Ctrl+空格）", place(src), src.number or None,
                                    excerpt(src.text)))
        if src.direct_para:
            names = "、".join(dict.fromkeys(_PARA_DIRECT.get(k, k) for k, _ in src.direct_para))
            findings.append(Finding("direct-paragraph", f"段落直接设置了{names}，与样式不一致",
                                    place(src), src.number or None, excerpt(src.text)))
        if src.stale_placeholder:
            findings.append(Finding("placeholder-style", "已填写的内容仍带“待补充”的黄色底纹，"
                                    "请清除该字符样式", place(src), src.number or None, excerpt(src.text)))
    return findings


