"""The one .docx reader (package → styles → body → outline), as check, import and mine use it.

Issue 15 classes 10 and 11: a normal document with a 2,500-row table is read by all three; a title styled
as Heading 1 or deleted level-1 headings keep the outline; ``import`` never cites a place in a config that
was never written.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import CliResult
from edits import generate

from generator.doctree import Heading
from generator.ooxml.reader import read_docx
from generator.ooxml.safezip import MAX_RATIO, RATIO_FLOOR
from generator.outline import section_starts

Cli = Callable[..., CliResult]
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("reader"))


def _big_table_docx(rows: int = 2500, cols: int = 8) -> bytes:
    """A document whose table is written as Word writes one: every empty cell with its width and font."""
    cell = ('<w:tc><w:tcPr><w:tcW w:w="1382" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            '<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3"><w:pPr><w:jc w:val="center"/><w:rPr>'
            '<w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="24"/></w:rPr></w:pPr></w:p></w:tc>')
    head = "".join(f"<w:tc><w:p><w:r><w:t>第{c}列</w:t></w:r></w:p></w:tc>" for c in range(cols))
    body = (f'<w:p><w:r><w:t>整改台账</w:t></w:r></w:p><w:tbl><w:tr>{head}</w:tr>'
            + f'<w:tr w:rsidR="00A1B2C3"><w:trPr><w:jc w:val="center"/></w:trPr>{cell * cols}</w:tr>' * rows
            + "</w:tbl><w:p/>")
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    d = docx.Document()
    buf = io.BytesIO()
    d.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_a_2500_row_table_is_read_by_every_command(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "台账.docx"
    path.write_bytes(_big_table_docx())
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    ratio = info.file_size / info.compress_size
    assert info.file_size > RATIO_FLOOR and 100 < ratio < MAX_RATIO  # the old limit (100 : 1) refused it
    table = read_docx(path).document.blocks[-1]
    assert len(table.rows) == 2500  # type: ignore[union-attr]
    assert cli("check", path).code in (0, 1)
    assert cli("import", path, "-o", tmp_path / "spec.yaml").code in (0, 2)  # no outline to import: a clean 2
    assert "压缩" not in cli("import", path, "-o", tmp_path / "spec.yaml").err
    mined = cli("mine", path, "--out", tmp_path / "bank")
    assert mined.code == 0 and "压缩" not in mined.err, mined


def _restyle(src: Path, dst: Path, *, delete_level1: bool = False, title_as_heading: bool = False) -> Path:
    document = docx.Document(str(src))
    for p in list(document.paragraphs):
        name = p.style.name if p.style is not None else ""
        if delete_level1 and name == "Heading 1":
            p._element.getparent().remove(p._element)
        if title_as_heading and name == "Title":
            p.style = document.styles["Heading 1"]
    document.save(str(dst))
    return dst


def test_a_title_styled_as_heading_1_stays_the_title(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    path = _restyle(drafts["张明"], tmp_path / "t.docx", title_as_heading=True)
    doc = read_docx(path).document
    assert doc.title.text.endswith("对照检查材料")
    assert [s.kind for s in section_starts(doc.blocks) if s.kind] == ["problems", "causes", "measures"]
    rules = {f["rule"] for entry in json.loads(cli("check", "--json", path).out)["files"] for f in entry["findings"]}
    assert not rules & {"missing-section", "no-headings", "section-order", "title-repeated"}


def test_deleted_level_1_headings_are_restored(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    path = _restyle(drafts["张明"], tmp_path / "d.docx", delete_level1=True)
    doc = read_docx(path).document
    assert not list(doc.headings(1))
    starts = section_starts(doc.blocks)
    assert [(s.kind, s.restored) for s in starts] == [("problems", True), ("causes", True), ("measures", True)]
    result = cli("check", path)
    assert result.out.count("被删除") == 1 and "missing-section" not in result.out, result
    found = [f["rule"] for entry in json.loads(cli("check", "--json", path).out)["files"] for f in entry["findings"]]
    assert found.count("no-headings") == 1 and "missing-section" not in found
    # import rebuilds a spec whose draft has the three sections again (issue 15, class 10)
    spec = tmp_path / "spec.yaml"
    imported = cli("import", path, "-o", spec)
    assert imported.code == 0, imported
    again = cli("batch", spec, "--out", tmp_path / "again", "--quiet")
    assert again.code == 0, again
    (new,) = (tmp_path / "again").glob("*.docx")
    headings = [h.text for h in read_docx(new).document.headings(1)]
    assert headings == ["一、存在的问题", "二、问题产生的原因", "三、整改措施"]


def test_import_never_cites_a_config_that_was_not_written(cli: Cli, tmp_path: Path) -> None:
    """Everything before the first heading is the preamble; too long a preamble names the field, not a line."""
    document = docx.Document()
    document.add_paragraph("2025年度专题组织生活会个人对照检查材料", style="Title")
    for _ in range(60):
        document.add_paragraph("本人对照要求认真查摆，发现在学习和工作中还存在一些不足，需要在今后加以改进。")
    path = tmp_path / "长.docx"
    document.save(str(path))
    result = cli("import", path, "-o", tmp_path / "spec.yaml")
    assert result.code == 2, result
    assert "长.docx" in result.err and "第 " not in result.err.split("\n", 1)[1] and "字段" in result.err
    assert not (tmp_path / "spec.yaml").exists()


def test_mine_reads_headings_from_styles(drafts: dict[str, Path]) -> None:
    from generator.mining.sources import read_docx as read_lines

    lines = read_lines(drafts["张明"])
    levels = {line.text: line.level for line in lines}
    problems = next(text for text in levels if text.endswith("、存在的问题"))
    assert levels[problems] == 1 and levels["（一）学习贯彻党的创新理论方面"] == 2
    assert lines[0].no == 1 and lines[0].text.endswith("对照检查材料")
    read = read_docx(drafts["张明"])
    assert len(lines) == len(read.sources)
    assert all(isinstance(b, Heading) for b in read.document.blocks if getattr(b, "level", 0))
