"""Edits people make to a draft in Word, WPS or LibreOffice, done with python-docx or soffice.

Shared by the check and import tests.  Each helper opens a .docx, changes it the
way an author would, and saves it (to the same path unless told otherwise).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from external import tool

from generator.cli import main

PLACEHOLDER_RE = re.compile(r"【待补充[^【】]*】")

SPEC = """\
template: personal
meeting: 2025年度专题组织生活会
unit: 机关第一党支部
date: 2026-01-20
preset: 组织生活会四个方面
people:
  - name: 张明
    role: 支部书记
    post: 办公室主任
    facts:
      联系服务群众: 群众反映的办公区停车难问题，转办后没有跟踪，拖了两个多月才解决
  - name: 王丽
    role: 组织委员
  - name: 李强
"""


def generate(folder: Path, spec: str = SPEC) -> dict[str, Path]:
    """Write the drafts of ``spec`` into ``folder``; name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    spec_path = folder / "spec.yaml"
    spec_path.write_text(spec, encoding="utf-8")
    assert main(["batch", str(spec_path), "--out", str(folder / "drafts"), "--quiet", "--jobs", "1"]) == 0
    return {p.name.split("-")[0]: p for p in sorted((folder / "drafts").glob("*.docx"))}


def copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def paragraphs_with(document: docx.document.Document, style_name: str) -> list[Paragraph]:
    return [p for p in document.paragraphs if p.style is not None and p.style.name == style_name]


def fill_placeholders(path: Path, fact: str = "今年只参加了两次集中学习，笔记只记了一篇", *,
                      keep_style: bool = False) -> list[str]:
    """Type the author's facts over every 【待补充…】; returns the sentences written."""
    document = docx.Document(str(path))
    written = []
    for n, para in enumerate(document.paragraphs):
        for run in para.runs:
            if PLACEHOLDER_RE.search(run.text):
                text = f"例如，{fact}（第{n}段）。"
                run.text = PLACEHOLDER_RE.sub(text, run.text)
                if not keep_style:
                    run.style = None
                written.append(text)
    document.save(str(path))
    return written


def delete_section(path: Path, heading_part: str) -> None:
    """Delete a level-1 heading containing ``heading_part`` and everything up to the next one."""
    document = docx.Document(str(path))
    deleting = False
    for para in list(document.paragraphs):
        if para.style is not None and para.style.name == "Heading 1":
            deleting = heading_part in para.text
        if deleting:
            para._element.getparent().remove(para._element)
    document.save(str(path))


def insert_after(para: Paragraph, text: str) -> Paragraph:
    """A new plain paragraph right after ``para``."""
    element = OxmlElement("w:p")
    para._p.addnext(element)
    new = Paragraph(element, para._parent)
    new.add_run(text)
    return new


def paste_paragraph(path: Path, text: str, *, after: str, font: str = "宋体", size: float = 12) -> None:
    """Paste a paragraph that carries its own font and size (as text copied from a web page does)."""
    document = docx.Document(str(path))
    anchor = next(p for p in document.paragraphs if after in p.text)
    new = insert_after(anchor, "")
    run = new.add_run(text)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = Pt(size)
    document.save(str(path))


def rename_styles(path: Path) -> None:
    """Rename the heading styles and renumber their ids (what LibreOffice does to custom styles)."""
    document = docx.Document(str(path))
    renamed = {}
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        old_id = style.style_id
        style.style_id = f"Style9{level}"
        style.name = f"我的{level}级标题"
        renamed[old_id] = style.style_id
    for para in document.paragraphs:
        ppr = para._p.pPr
        if ppr is not None and ppr.pStyle is not None and ppr.pStyle.val in renamed:
            ppr.pStyle.val = renamed[ppr.pStyle.val]
    document.save(str(path))


def type_headings_by_hand(path: Path, level_name: str = "Heading 1") -> list[str]:
    """Turn headings into Normal paragraphs with bold text, as people who do not use styles type them."""
    document = docx.Document(str(path))
    texts = []
    for para in paragraphs_with(document, level_name):
        para.style = document.styles["Normal"]
        for run in para.runs:
            run.bold = True
        texts.append(para.text)
    document.save(str(path))
    return texts


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` inside one run (an author retyping a sentence)."""
    document = docx.Document(str(path))
    for para in document.paragraphs:
        for run in para.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                document.save(str(path))
                return
    raise AssertionError(f"{old!r} not found in {path}")


def first_sentence(path: Path, style: str = "Normal", start: str = "") -> str:
    """The first full sentence of the first body paragraph starting with ``start`` (after any run-in title)."""
    document = docx.Document(str(path))
    for para in document.paragraphs:
        if para.style is not None and para.style.name == style and para.text.startswith(start) and \
                "。" in para.text:
            runs = [r for r in para.runs if r.style is None or r.style.name != "段首小标题"]
            text = "".join(r.text for r in runs)
            if "。" in text:
                return text.split("。")[0] + "。"
    raise AssertionError("no such paragraph")



def libreoffice_round_trip(files: list[Path], out: Path) -> list[Path]:
    """Open and save each file with LibreOffice (``soffice --convert-to docx``) into ``out``."""
    soffice = tool("soffice")
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), *map(str, files)], check=True, capture_output=True, timeout=300)
    results = [out / f.name for f in files]
    assert all(p.exists() for p in results)
    return results
