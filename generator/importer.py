"""``draftgen import``: an edited draft back into a spec that regenerates it without losing a sentence.

The author's text becomes the person's own problems, causes, measures and set
phrases (``wording``), which the composer always prefers to the bank.  Facts
stay inside the problem paragraph they were written in (the composer would
otherwise move them to the problem they match best), and placeholders are
switched off so that no new 【待补充】 appears where the author already wrote.

What the spec cannot express is reported as notes rather than silently
changed: edited area headings, paragraph breaks inside one item, and run-in
titles that the composer would cut differently (see :func:`_own`).  Imported specs set
``wording: {verbatim: true}`` so the composer cuts a run-in title only at the author's first "。".
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.doctree import Block, Document, Heading, Paragraph, Signature, Subtitle
from generator.errors import InputError, Problem
from generator.ooxml.reader import ReadDocx, read_docx
from generator.outline import NUMBER_RE, section_kind, section_starts, strip_number

_MAX_PER_AREA = 5


@dataclass
class Imported:
    """The recovered spec (YAML-ready) and what could not be carried over, in Chinese."""

    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _strip_item_number(text: str, ordinal: int) -> str:
    """:func:`strip_number`, and also the item's own ordinal before a digit: item 1 "1.3次…" says "3次…"."""
    own = re.match(rf"\s*{ordinal}[.．、]\s*", text)
    return text[own.end():].strip() if own else strip_number(text)


def _numbered(block: Block) -> bool:
    if isinstance(block, Heading):
        return block.level >= 3
    return isinstance(block, Paragraph) and (bool(NUMBER_RE.match(block.text))
                                             or bool(block.spans and block.spans[0].style == "lead"))


def _text(block: Block) -> str:
    return block.text.strip() if isinstance(block, Paragraph | Heading | Subtitle) else ""


# --------------------------------------------------------------------------- the outline


@dataclass
class _Part:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class _Section:
    kind: str
    heading: str
    intro: list[str] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)


def _sections(doc: Document) -> tuple[list[str], list[_Section]]:
    """Paragraphs before the first level-1 heading, and the level-1 sections with their level-2 parts."""
    before: list[str] = []
    sections: list[_Section] = []
    # Deleted level-1 headings are restored from the level-2 numbering (outline.section_starts).
    restored = {s.index: s for s in section_starts(doc.blocks) if s.restored}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Signature | Subtitle):
            continue
        if index in restored:
            sections.append(_Section(restored[index].kind, restored[index].heading))
        if isinstance(block, Heading) and block.level == 1:
            text = strip_number(block.text)
            kind = section_kind(block.text) or ("last_year" if "上年度" in text else
                                               "case_study" if "案例" in text else "other")
            sections.append(_Section(kind, block.text))
            continue
        if not sections:
            if _text(block):
                before.append(_text(block))
            continue
        section = sections[-1]
        if isinstance(block, Heading) and block.level == 2:
            section.parts.append(_Part(block.text))
        elif section.parts:
            section.parts[-1].blocks.append(block)
        elif _text(block):
            section.intro.append(_text(block))
    return before, sections


def _items(blocks: Sequence[Block]) -> tuple[list[str], list[str]]:
    """Numbered items of a part (continuation paragraphs joined to their item) and any text before them."""
    items: list[str] = []
    lead_in: list[str] = []
    any_numbered = any(_numbered(b) for b in blocks)
    heading_pending = False
    for block in blocks:
        text = _text(block)
        if not text:
            continue
        if isinstance(block, Heading):
            items.append(strip_number(text).rstrip("。") + "。")
            heading_pending = True
        elif not any_numbered or _numbered(block):
            if heading_pending and not _numbered(block):
                items[-1] += text
            else:
                items.append(_strip_item_number(text, len(items) + 1) if _numbered(block) else text)
            heading_pending = False
        elif items:
            items[-1] += text
        else:
            lead_in.append(text)
    return items, lead_in


# --------------------------------------------------------------------------- verbatim checks


def _own(text: str, where: str, notes: list[str]) -> str:
    """The own-text form of an item; notes when the composer would re-cut its run-in title."""
    from generator.compose import split_own
    from generator.render import sentence

    title, rest = split_own(text, verbatim=True)
    rendered = (sentence(title) if title else "") + rest
    if rendered != text:
        notes.append(f"{where}“{text[:20]}…”重新生成时会写作“{rendered[:24]}…”")
    return text


def _own_cause(heading: str, body: str, where: str, notes: list[str]) -> str:
    from generator.compose import split_own

    text = f"{heading.rstrip('。')}。{body}" if heading else body
    title, rest = split_own(text, verbatim=True)
    if heading and (title, rest) != (heading.rstrip("。"), body):
        notes.append(f"{where}“{heading[:20]}”重新生成时标题与正文的分界会改变")
    return text


# --------------------------------------------------------------------------- document fields


def _doctype_from(title: str, meta: dict[str, str]) -> Any:
    from generator.taxonomy import doctypes, find_doctype

    found = find_doctype(meta.get("doctype", "")) if meta.get("doctype") else None
    if found:
        return found
    best: tuple[int, Any] | None = None
    for dt in doctypes():
        for name in (dt.title, *dt.aliases):
            if name and title.endswith(name) and (best is None or len(name) > best[0]):
                best = (len(name), dt)
    return best[1] if best else find_doctype("personal")


def _meeting_from(title: str, doctype: Any, unit: str) -> str:
    for name in sorted((doctype.title, *doctype.aliases), key=len, reverse=True):
        if title.endswith(name):
            title = title[: -len(name)]
            break
    if unit and title.startswith(unit) and not doctype.per_person:
        title = title[len(unit):]
    return title.strip()


def _areas(doc_areas: list[str], meta: dict[str, str], doctype: Any, notes: list[str]) -> tuple[dict[str, Any],
                                                                                               list[str]]:
    """``preset``/``dimensions`` for the spec and the spec's area heading for each of the draft's areas."""
    from generator.taxonomy import areas_from_dimensions, dimension_ids, presets

    found = presets(())
    choice: dict[str, Any]
    if meta.get("dimensions"):
        dims = [d for d in meta["dimensions"].split("、") if d in dimension_ids()]
        choice, headings = {"dimensions": dims}, [a.heading for a in areas_from_dimensions(tuple(dims))]
    elif meta.get("preset") in found:
        choice, headings = {"preset": meta["preset"]}, [a.heading for a in found[meta["preset"]].areas]
    else:
        names = set(doc_areas)
        match = next((p for p in found.values() if names and names <= {a.heading for a in p.areas}), None)
        if match:
            choice, headings = {"preset": match.id}, [a.heading for a in match.areas]
        elif doc_areas and all(a in dimension_ids() for a in doc_areas):
            choice, headings = {"dimensions": list(doc_areas)}, list(doc_areas)
        else:
            preset = found.get(doctype.default_preset) or next(iter(found.values()))
            choice, headings = {"preset": preset.id}, [a.heading for a in preset.areas]
            if doc_areas:
                notes.append(f"“存在的问题”的各方面（{'、'.join(doc_areas)}）与已有预设对不上，"
                             f"暂按预设“{preset.id}”的方面依次对应，请核对")
    mapping: list[str] = []
    free = list(headings)
    for name in doc_areas:
        exact = next((hd for hd in free if hd == name), None) or \
            next((hd for hd in free if hd in name or name in hd), None)
        if exact is None and free:
            exact = free[0]
            notes.append(f"方面“{name}”的标题改动不能保留，重新生成时写作“{exact}”")
        if exact is None:
            notes.append(f"方面“{name}”多于预设的方面数，其内容无法导入")
            mapping.append("")
            continue
        free.remove(exact)
        mapping.append(exact)
    for left in free:
        if doc_areas:
            notes.append(f"草稿中没有“{left}”方面，重新生成时会按词库补上")
    return choice, mapping


def _area_name(heading: str) -> str:
    return re.sub(r"方面$", "", strip_number(heading))


def _date_from(doc: Document, meta: dict[str, str]) -> str:
    from generator.questions import AnswerError, parse_date

    candidates = [meta.get("date", "")] + [b.date for b in doc.blocks if isinstance(b, Signature)]
    for text in candidates:
        if not text:
            continue
        try:
            return parse_date(text).isoformat()
        except AnswerError:
            continue
    return ""


# --------------------------------------------------------------------------- the importer


def import_read(read: ReadDocx) -> Imported:
    """Build spec data from a read draft."""
    doc, meta = read.document, read.document.meta
    notes: list[str] = []
    doctype = _doctype_from(doc.title.text, meta)
    subtitle = next((b.text for b in doc.blocks if isinstance(b, Subtitle)), "")
    parts = [p for p in re.split(r"[\u3000\s]+", subtitle) if p]
    signature = next((b for b in doc.blocks if isinstance(b, Signature)), None)
    unit = meta.get("unit") or (parts[0] if len(parts) >= 2 else "")
    name = meta.get("name") or (parts[-1] if parts else "") or (signature.name if signature else "")
    data: dict[str, Any] = {"template": doctype.id,
                            "meeting": meta.get("meeting") or _meeting_from(doc.title.text, doctype, unit),
                            "unit": unit}
    date = _date_from(doc, meta)
    if date:
        data["date"] = date
    if not data["meeting"]:
        del data["meeting"]
    before, sections = _sections(doc)
    by_kind: dict[str, _Section] = {}
    for section in sections:
        by_kind.setdefault(section.kind, section)
    problems = by_kind.get("problems")
    doc_areas = [_area_name(p.heading) for p in problems.parts] if problems else []
    choice, mapping = _areas(doc_areas, meta, doctype, notes)
    data.update(choice)
    if meta.get("seed", "").isdigit():
        data["seed"] = int(meta["seed"])
    for kind in ("last_year", "case_study"):
        if kind in by_kind:
            section = by_kind[kind]
            texts = section.intro + [_text(b) for p in section.parts for b in p.blocks if _text(b)]
            data.setdefault("sections", {})[kind] = "\n\n".join(texts)  # a blank line between paragraphs (text_block)
    if not doctype.per_person:
        notes.append(f"“{doctype.title}”只导入标题、单位、日期和方面，正文暂不能导入")
        return Imported(data, notes)
    person: dict[str, Any] = {"name": name or "（姓名）"}
    if not name:
        notes.append("没有找到姓名，请在 name 处填写")
    if meta.get("role"):
        person["role"] = meta["role"]
    if meta.get("post"):
        person["post"] = meta["post"]
    wording: dict[str, Any] = {"verbatim": "true"}  # cut run-in titles only where the author put a "。"
    _join_into(wording, "preamble", before, "开头", notes)
    per_area = _problems(problems, mapping, person, wording, notes)
    data["problems_per_area"] = max(1, min(_MAX_PER_AREA, max(per_area.values(), default=2)))
    for heading, count in per_area.items():
        if count < data["problems_per_area"]:
            notes.append(f"“{heading}”只有 {count} 条问题，重新生成时会从词库补足 {data['problems_per_area']} 条")
    _causes(by_kind.get("causes"), person, wording, notes)
    _measures(by_kind.get("measures"), mapping, person, wording, notes)
    person["wording"] = wording
    data["placeholders"] = False
    data["people"] = [person]
    return Imported(data, notes)


def _join_into(wording: dict[str, Any], key: str, texts: list[str], label: str, notes: list[str]) -> None:
    texts = [t for t in texts if t]
    if not texts:
        return
    if len(texts) > 1:
        notes.append(f"{label}的 {len(texts)} 段会合并为一段")
    wording[key] = "".join(texts)


def _problems(section: _Section | None, mapping: list[str], person: dict[str, Any], wording: dict[str, Any],
              notes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    if section is None:
        notes.append("没有找到“存在的问题”部分，问题将全部来自词库")
        return counts
    _join_into(wording, "problems_intro", section.intro, "“存在的问题”导语", notes)
    own: dict[str, list[str]] = {}
    for part, heading in zip(section.parts, mapping, strict=False):
        if not heading:
            continue
        items, lead_in = _items(part.blocks)
        if lead_in:  # text before the first numbered problem belongs to it
            items[0] = "".join(lead_in) + items[0]
        texts = [_own(t, f"{part.heading}中", notes) for t in items]
        if len(texts) > _MAX_PER_AREA:
            notes.append(f"{part.heading}有 {len(texts)} 条问题，最多保留 {_MAX_PER_AREA} 条，"
                         f"其余 {len(texts) - _MAX_PER_AREA} 条并入第 {_MAX_PER_AREA} 条")
            texts = [*texts[: _MAX_PER_AREA - 1], "".join(texts[_MAX_PER_AREA - 1:])]
        if texts:
            own[heading] = texts
            counts[heading] = len(texts)
    if own:
        person["problems"] = own
    return counts


def _causes(section: _Section | None, person: dict[str, Any], wording: dict[str, Any], notes: list[str]) -> None:
    if section is None:
        notes.append("没有找到“问题产生的原因”部分，原因将全部来自词库")
        return
    causes: list[str] = []
    intro = list(section.intro)
    if section.parts:
        for part in section.parts:
            body = "".join(_text(b) for b in part.blocks if _text(b))
            causes.append(_own_cause(strip_number(part.heading), body, "原因", notes))
    else:  # no level-2 headings: the first paragraph leads in, every other paragraph is a cause
        texts = intro[1:] if len(intro) > 1 else intro
        intro = intro[:1] if len(intro) > 1 else []
        causes = [_own(strip_number(t), "原因", notes) for t in texts]
    _join_into(wording, "causes_intro", intro, "“问题产生的原因”导语", notes)
    if causes:
        person["causes"] = causes


def _measures(section: _Section | None, mapping: list[str], person: dict[str, Any], wording: dict[str, Any],
              notes: list[str]) -> None:
    if section is None:
        notes.append("没有找到“整改措施”部分，措施将全部来自词库")
        return
    _join_into(wording, "measures_intro", section.intro, "“整改措施”导语", notes)
    own: dict[str, list[str]] = {}
    headings: dict[str, str] = {}
    pledge: list[str] = []
    for index, part in enumerate(section.parts):
        blocks = list(part.blocks)
        if index == len(section.parts) - 1:
            while blocks and not _numbered(blocks[-1]) and any(_numbered(b) for b in blocks[:-1]):
                pledge.insert(0, _text(blocks.pop()))
        if index >= len(mapping) or not mapping[index]:
            notes.append(f"整改措施“{part.heading}”没有对应的方面，无法导入")
            continue
        items, lead_in = _items(blocks)
        if lead_in:
            items[0] = "".join(lead_in) + items[0]
        area = mapping[index]
        headings[area] = strip_number(part.heading)
        if items:
            own[area] = [_own(t, f"整改措施“{part.heading}”中", notes) for t in items]
    if not section.parts and section.intro:
        notes.append("“整改措施”没有分部分的小标题，全部内容作为导语保留")
    if own:
        person["measures"] = own
    if headings:
        wording["measure_headings"] = headings
    _join_into(wording, "pledge", [p for p in pledge if p], "结尾", notes)


def check_output(target: Path, source: Path, *, force: bool) -> None:
    """Refuse, before the .docx is read, an output the spec must not or cannot be written to.

    The output is one file named by the user, so unlike ``batch --out`` a missing
    folder is not created: it is more often a typing slip than a wish.  Writing
    YAML over the .docx being imported (or any .docx) would lose the author's
    draft, so that is refused even with ``--force``.
    """
    from generator.errors import OutputError
    from generator.fsio import check_writable_folder

    if target.is_dir():
        raise OutputError(f"{target} 是一个文件夹；-o 应给出配置文件的路径，例如 {target / 'spec.yaml'}")
    if target.suffix.lower() in (".docx", ".doc", ".docm", ".wps"):
        raise OutputError(f"-o {target} 是 Word 文件的名字；导出的是配置文件，请用 .yaml 结尾的文件名")
    with contextlib.suppress(OSError):
        if target.exists() and source.exists() and target.samefile(source):
            raise OutputError(f"-o {target} 就是要导入的文件；请另给一个 .yaml 文件名")
    if target.exists() and not force:
        raise OutputError(f"{target} 已存在；如要覆盖，请加 --force")
    folder = target.parent
    if not folder.exists():
        raise OutputError(f"文件夹 {folder} 不存在；请先建好它，或把 -o 指向已有的文件夹")
    check_writable_folder(folder)


def import_docx(path: Path) -> Imported:
    """Read ``path`` and recover a spec; the spec is validated before it is returned."""
    from generator.spec import build_spec
    from generator.yamlio import dump_yaml, parse_yaml

    imported = import_read(read_docx(path))
    try:
        build_spec(parse_yaml(dump_yaml(imported.data), f"{path} 导入的配置"))
    except InputError as exc:
        # The spec exists only in memory: its lines and columns mean nothing to the author, the fields do.
        problems = [Problem(f"字段 {p.location.path}：{p.message}" if p.location and p.location.path else p.message)
                    for p in exc.problems]
        raise InputError(f"无法从 {path} 导出配置：文档的内容不能构成有效的配置", problems) from None
    return imported
