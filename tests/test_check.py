"""``draftgen check`` on drafts edited as people edit them, and on files that are not drafts at all."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from edits import (
    copy,
    delete_section,
    fill_placeholders,
    generate,
    insert_after,
    libreoffice_round_trip,
    paste_paragraph,
    rename_styles,
    type_headings_by_hand,
)

from generator.check import check_files
from generator.doctree import Heading, Paragraph, Table
from generator.ooxml.reader import read_docx

Cli = Callable[..., Any]

# The reviewer's rules (issue 14) have tests of their own (test_check_rules.py); the tests here are about the
# outline, text and house-style rules, so they switch the reviewer's rules off, as a user can.
REVIEWER = ("similar-pair,shared-sentence,same-opening,same-closing,voice-organisation,voice-personal,rank,setting,"
            "title-cut,title-repeated,problem-unanswered,answer-unmatched,near-duplicate,last-year-missing,praise-first,"
            "proportion,"
            "not-concrete,too-short,set-unanswered,ledger-owner,ledger-deadline,signature-alone,heading-at-foot,"
            "widow,orphan")


@pytest.fixture
def cli(cli: Cli) -> Cli:
    def run(*args: str | Path) -> Any:
        if args and args[0] == "check" and "--rules" not in args:
            args = ("check", "--disable", REVIEWER.replace("similar-pair,", ""), *args[1:])
        return cli(*args)

    return run


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("check"))


@pytest.fixture
def draft(drafts: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of 王丽's draft to edit."""
    return copy(drafts["王丽"], tmp_path / "王丽.docx")


@pytest.fixture
def clean(draft: Path) -> Path:
    """The draft with every placeholder filled in: nothing left to find."""
    fill_placeholders(draft)
    return draft


def codes(cli: Cli, *files: Path) -> tuple[int, list[str], dict[str, Any]]:
    result = cli("check", "--json", *files)
    data = json.loads(result.out)
    return result.code, [f["rule"] for entry in data["files"] for f in entry["findings"]], data


# --------------------------------------------------------------------------- generated drafts


def test_a_fresh_draft_only_lacks_its_facts(cli: Cli, draft: Path) -> None:
    result = cli("check", draft)
    assert result.code == 1
    assert "【待补充" in result.out and "[待补充·必须修改]" in result.out
    assert "第 " in result.out and "段（一、上年度整改落实情况）" in result.out  # the last-year section comes first
    assert "段（二、存在的问题 › " in result.out
    _, found, _ = codes(cli, draft)
    assert set(found) == {"placeholder"}


def test_filled_draft_is_clean(cli: Cli, clean: Path) -> None:
    result = cli("check", clean)
    assert result.code == 0, result
    assert "未发现问题" in result.out
    assert "检查了 1 份材料" in result.err
    quiet = cli("check", "--quiet", clean)
    assert quiet.code == 0 and quiet.err == ""


def test_typing_over_a_placeholder_keeps_its_highlight(cli: Cli, draft: Path) -> None:
    fill_placeholders(draft, keep_style=True)
    code, found, _ = codes(cli, draft)
    assert code == 1 and "placeholder-style" in found and "placeholder" not in found


def test_deleted_section_is_reported(cli: Cli, clean: Path) -> None:
    delete_section(clean, "原因")
    code, found, data = codes(cli, clean)
    assert code == 1
    messages = [f["message"] for f in data["files"][0]["findings"]]
    assert "missing-section" in found
    assert any("问题产生的原因" in m for m in messages)


def test_deleted_measures_are_reported(cli: Cli, clean: Path) -> None:
    # Keep only the first measure of the first area: its problems (two, or three when a short draft took a
    # further one) are then answered by one measure.
    document = docx.Document(str(clean))
    measures = False
    group = 0
    kept = 0
    for para in list(document.paragraphs):
        if para.style.name == "Heading 1":
            measures = "整改" in para.text
        elif measures and para.style.name == "Heading 2":
            group += 1
        elif measures and group == 1 and para.runs and para.runs[0].style.name == "段首小标题":
            if kept:
                para._element.getparent().remove(para._element)
            kept += 1
    document.save(str(clean))
    code, found, data = codes(cli, clean)
    assert code == 1 and "missing-measure" in found
    finding = next(f for f in data["files"][0]["findings"] if f["rule"] == "missing-measure")
    assert re.search("有 [23] 条问题", finding["message"]) and "只有 1 条" in finding["message"]


def test_area_without_problems(cli: Cli, clean: Path) -> None:
    document = docx.Document(str(clean))
    area = False
    for para in list(document.paragraphs):
        if para.style.name == "Heading 2":
            area = para.text.startswith("（二）") and "方面" in para.text
        elif para.style.name == "Heading 1":
            area = False
        elif area:
            para._element.getparent().remove(para._element)
    document.save(str(clean))
    code, found, _ = codes(cli, clean)
    assert code == 1 and "empty-area" in found


def test_sections_out_of_order(cli: Cli, clean: Path) -> None:
    document = docx.Document(str(clean))
    h1 = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    h1 = h1[next(i for i, p in enumerate(h1) if "存在的问题" in p.text):]  # after 上年度整改落实情况
    body = document.element.body
    # Move the problem section (its heading up to the causes heading) to just before the signature.
    moving, block = False, []
    for element in list(body):
        if element is h1[0]._p:
            moving = True
        elif element is h1[1]._p:
            moving = False
        if moving:
            block.append(element)
    signature = next(p for p in document.paragraphs if p.style.name == "Signature")
    for element in block:
        signature._p.addprevious(element)
    document.save(str(clean))
    code, found, _ = codes(cli, clean)
    assert code == 1 and "section-order" in found


def test_pasted_paragraph_in_another_font(cli: Cli, clean: Path) -> None:
    paste_paragraph(clean, "这是从网页上复制来的一段话，字体和字号都不一样。", after="（一）")
    result = cli("check", clean)
    assert result.code == 1
    line = next(x for x in result.out.splitlines() if "直接设置了格式" in x)
    assert "宋体" in line and "12磅" in line and "第 " in line and "（二、存在的问题 › （一）" in line
    assert "这是从网页上复制" in json.dumps(json.loads(cli("check", "--json", clean).out), ensure_ascii=False)


def test_formatting_that_repeats_the_style_is_not_drift(cli: Cli, clean: Path) -> None:
    """WPS writes the style's own font and size on every run; that changes nothing a reader sees."""
    document = docx.Document(str(clean))
    for para in document.paragraphs:
        if para.style.name == "Normal":
            for run in para.runs:
                run.font.name = "Times New Roman"
                run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
                run.font.size = Pt(16)
    document.save(str(clean))
    code, found, _ = codes(cli, clean)
    assert code == 0, found


def test_half_width_punctuation_and_quotes(cli: Cli, clean: Path) -> None:
    document = docx.Document(str(clean))
    anchor = next(p for p in document.paragraphs if p.style.name == "Normal" and "。" in p.text)
    insert_after(anchor, "我对照检查,发现了问题;还有“引号没有配对。")
    document.save(str(clean))
    code, found, data = codes(cli, clean)
    assert code == 1 and "half-width" in found and "quotes" in found
    finding = next(f for f in data["files"][0]["findings"] if f["rule"] == "half-width")
    assert "“,;”" in finding["message"] and finding["paragraph"] is not None


def test_renamed_styles_are_still_recognised(cli: Cli, clean: Path) -> None:
    rename_styles(clean)
    read = read_docx(clean)
    headings = [b.text for b in read.document.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[:2] == ["一、上年度整改落实情况", "二、存在的问题"]
    code, found, _ = codes(cli, clean)
    assert code == 0, found


def test_headings_typed_as_bold_body_text(cli: Cli, clean: Path) -> None:
    typed = type_headings_by_hand(clean)
    read = read_docx(clean)
    assert [b.text for b in read.document.blocks if isinstance(b, Heading) and b.level == 1] == typed
    code, found, _ = codes(cli, clean)
    assert code == 1
    assert found == ["typed-heading"]  # the outline is still found; only the missing style is reported
    assert f"有 {len(typed)} 个标题是手工排的" in cli("check", clean).out


def test_style_drift_and_page_setup(cli: Cli, clean: Path) -> None:
    document = docx.Document(str(clean))
    normal = document.styles["Normal"]
    normal.font.size = docx.shared.Pt(14)
    normal.paragraph_format.line_spacing = 1.5
    section = document.sections[0]
    section.left_margin = docx.shared.Mm(20)
    section.even_page_footer.is_linked_to_previous = True
    document.settings.odd_and_even_pages_header_footer = False
    document.save(str(clean))
    code, found, data = codes(cli, clean)
    assert code == 1
    assert {"style-drift", "margins", "odd-even"} <= set(found)
    drift = next(f for f in data["files"][0]["findings"] if f["rule"] == "style-drift" and "Normal" in f["where"])
    assert "字号是14磅，应为16磅" in drift["message"] and "行距" in drift["message"]


def test_tracked_changes_comments_and_tables(cli: Cli, clean: Path) -> None:
    document = docx.Document(str(clean))
    para = next(p for p in document.paragraphs if p.style.name == "Normal" and "。" in p.text)
    document.add_comment(para.runs[-1], text="这里再具体些", author="审阅人")
    run = para.runs[0]
    deleted = wrap(run._r, "w:del")
    for t in deleted.iter(docx.oxml.ns.qn("w:t")):
        t.tag = docx.oxml.ns.qn("w:delText")
    inserted = docx.oxml.OxmlElement("w:ins")
    new_run = docx.oxml.OxmlElement("w:r")
    text = docx.oxml.OxmlElement("w:t")
    text.text = "修订后插入的一句话。"
    new_run.append(text)
    inserted.append(new_run)
    deleted.addnext(inserted)
    for n, mark in enumerate((deleted, inserted)):
        mark.set(docx.oxml.ns.qn("w:id"), str(900 + n))
        mark.set(docx.oxml.ns.qn("w:author"), "审阅人")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "问题", "措施"
    table.cell(1, 0).text, table.cell(1, 1).text = "学习不够", "每月读一本书"
    document.save(str(clean))
    read = read_docx(clean)
    texts = [b.text for b in read.document.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("修订后插入的一句话。") for t in texts)
    assert not any("这里再具体些" in t for t in texts)
    (table,) = [b for b in read.document.blocks if isinstance(b, Table)]
    assert [c.header for c in table.columns] == ["问题", "措施"]
    assert [[s.text for s in cell] for cell in table.rows[0]] == [["学习不够"], ["每月读一本书"]]
    code, found, _ = codes(cli, clean)
    assert code == 0, found


def wrap(element: Any, tag: str) -> Any:
    """Wrap ``element`` in a new element ``tag`` in place."""
    wrapper = docx.oxml.OxmlElement(tag)
    element.addprevious(wrapper)
    wrapper.append(element)
    return wrapper


# --------------------------------------------------------------------------- across files


def test_two_copies_of_one_draft(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    a = copy(drafts["张明"], tmp_path / "a" / "张明.docx")
    b = copy(drafts["王丽"], tmp_path / "b" / "王丽.docx")
    fill_placeholders(a)
    fill_placeholders(b)
    document = docx.Document(str(b))  # 王丽 hands in 张明's text under her own name
    source = docx.Document(str(a))
    body = [p for p in document.paragraphs if p.style is not None and p.style.name == "Normal"]
    for mine, theirs in zip(body, [p for p in source.paragraphs if p.style is not None
                                   and p.style.name == "Normal"], strict=False):
        for run in mine.runs[1:]:
            run.text = ""
        if mine.runs:
            mine.runs[0].text = theirs.text
    document.save(str(b))
    result = cli("check", a, b)
    assert result.code == 1
    assert "雷同" in result.out and "相同：“" in result.out
    data = json.loads(cli("check", "--json", a, b).out)
    assert len(data["similar"]) == 1
    pair = data["similar"][0]
    assert pair["share_a"] > 0.8 and pair["share_b"] > 0.8 and pair["passages"]


def test_a_generated_branch_does_not_read_alike(drafts: dict[str, Path]) -> None:
    report = check_files(list(drafts.values()))
    assert report.similar == []


# --------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def round_tripped(drafts: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lo")
    sources = [copy(p, folder / "in" / p.name) for p in drafts.values()]
    for path in sources:
        fill_placeholders(path)
    results = libreoffice_round_trip(sources, folder / "out")
    return {p.name.split("-")[0]: p for p in results}


def test_libreoffice_round_trip_reads_the_same(drafts: dict[str, Path], round_tripped: dict[str, Path],
                                              tmp_path: Path) -> None:
    ours = copy(drafts["张明"], tmp_path / "张明.docx")
    fill_placeholders(ours)
    before, after = read_docx(ours), read_docx(round_tripped["张明"])
    assert "LibreOffice" in after.application
    assert after.document.title == before.document.title
    assert after.document.blocks == before.document.blocks
    assert after.document.meta == before.document.meta
    # LibreOffice renumbers our custom style ids but keeps their names.
    assert any(info.sid != info.canonical and info.canonical for info in after.styles_used.values())


def test_libreoffice_round_trip_is_clean(cli: Cli, round_tripped: dict[str, Path]) -> None:
    result = cli("check", *round_tripped.values())
    assert result.code == 0, result


# --------------------------------------------------------------------------- damaged input


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


_DOC = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>%s</w:body></w:document>')


def _damaged(folder: Path, drafts: dict[str, Path]) -> dict[str, Path]:
    good = drafts["李强"].read_bytes()
    out = {}
    out["empty"] = folder / "empty.docx"
    out["empty"].write_bytes(b"")
    out["text"] = folder / "notes.docx"
    out["text"].write_text("这不是 Word 文档", encoding="utf-8")
    out["doc"] = folder / "old.docx"
    out["doc"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out["no-document"] = _zip(folder / "nodoc.docx", {"word/styles.xml": b"<x/>"})
    out["truncated"] = folder / "truncated.docx"
    out["truncated"].write_bytes(good[: len(good) // 2])
    out["malformed"] = _zip(folder / "malformed.docx", {"word/document.xml": b"<w:document><w:body><w:p>"})
    out["entities"] = _zip(folder / "lol.docx", {"word/document.xml": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;&c;&c;&c;</d>')})
    out["bomb"] = _zip(folder / "bomb.docx", {"word/document.xml": _DOC % (b" " * 30_000_000)})
    out["ratio"] = _zip(folder / "ratio.docx", {"word/document.xml": _DOC % (b" " * 5_000_000)})
    paragraph = "<w:p><w:r><w:t>很长的文档里的一段。</w:t></w:r></w:p>".encode()
    # More paragraphs than any real document (a 2,500-row table of 8 columns has 20,000 cells).
    out["large"] = _zip(folder / "large.docx", {"word/document.xml": _DOC % (paragraph * 210_000)})
    out["folder"] = folder / "folder.docx"
    out["folder"].mkdir()
    out["missing"] = folder / "missing.docx"
    return out


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory, drafts: dict[str, Path]) -> dict[str, Path]:
    return _damaged(tmp_path_factory.mktemp("damaged"), drafts)


@pytest.mark.parametrize("kind", ["empty", "text", "doc", "no-document", "truncated", "malformed", "entities",
                                  "bomb", "ratio", "large", "folder", "missing"])
@pytest.mark.parametrize("command", ["check", "import"])
def test_damaged_input_exits_2_with_a_message(cli: Cli, damaged: dict[str, Path], kind: str, command: str,
                                              tmp_path: Path) -> None:
    path = damaged[kind]
    started = time.perf_counter()
    args = ("check", path) if command == "check" else ("import", path, "-o", tmp_path / "out.yaml")
    result = cli(*args)
    assert time.perf_counter() - started < 10
    assert result.code == 2, result
    assert path.name in result.err and "错误" in result.err
    assert "Traceback" not in result.err + result.out and "内部错误" not in result.err
    assert not (tmp_path / "out.yaml").exists()


def test_one_bad_file_among_good_ones(cli: Cli, damaged: dict[str, Path], clean: Path) -> None:
    result = cli("check", clean, damaged["truncated"])
    assert result.code == 2
    assert "未发现问题" in result.out and "truncated.docx" in result.err
    data = json.loads(cli("check", "--json", clean, damaged["truncated"]).out)
    assert [f["status"] for f in data["files"]] == ["ok", "error"]


def test_json_is_one_document(cli: Cli, drafts: dict[str, Path]) -> None:
    result = cli("check", "--json", "--quiet", *drafts.values())
    data = json.loads(result.out)
    assert data["summary"]["files"] == 3 and data["threshold"] == 0.4
    assert {f["status"] for f in data["files"]} == {"found"}
    finding = data["files"][0]["findings"][0]
    assert set(finding) == {"file", "rule", "family", "severity", "reason", "message", "where", "paragraph",
                            "excerpt"}
    assert finding["severity"] in ("必须修改", "建议修改")
    assert result.err == ""


def test_foreign_document_without_styles(cli: Cli, tmp_path: Path) -> None:
    """A material typed from scratch: headings by numbering only, python-docx's default template."""
    document = docx.Document()
    for text in ("2025年度组织生活会个人对照检查材料", "一、存在的问题", "（一）理论学习方面",
                 "1.学习不深入。平时学得少。", "二、问题产生的原因", "理想信念有所松懈。", "三、整改措施",
                 "1.加强学习。每月读一本书。", "张三", "2026年1月20日"):
        document.add_paragraph(text)
    path = tmp_path / "foreign.docx"
    document.save(str(path))
    read = read_docx(path)
    assert read.document.title.text == "2025年度组织生活会个人对照检查材料"
    assert [b.text for b in read.document.blocks if isinstance(b, Heading)] == [
        "一、存在的问题", "（一）理论学习方面", "二、问题产生的原因", "三、整改措施"]
    code, found, _ = codes(cli, path)
    assert code == 1
    assert "missing-section" not in found and "typed-heading" in found
    assert {"paper", "margins", "page-number"} <= set(found)


def test_help_is_chinese(cli: Cli) -> None:
    result = cli("check", "--help")
    assert result.code == 0 and "示例：" in result.out and "退出状态" in result.out


def test_reader_is_quick_on_a_draft(drafts: dict[str, Path]) -> None:
    started = time.perf_counter()
    for _ in range(10):
        read_docx(drafts["张明"])
    assert time.perf_counter() - started < 3


def test_zip_with_huge_declared_entry_is_refused_before_inflating(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 20_000_000)
    path = tmp_path / "z.docx"
    path.write_bytes(buffer.getvalue())
    from generator.errors import InputError

    with pytest.raises(InputError, match=r"过大|压缩比异常"):
        read_docx(path)


# --------------------------------------------------------------------------- fuzzing (issue 9)


def _mutations(data: bytes, seed: int) -> bytes:
    """Damage a .docx the ways disks and mail clients do: flipped bytes, cut tails, cut-and-spliced blocks."""
    import random

    rng = random.Random(seed)
    buf = bytearray(data)
    choice = seed % 3
    if choice == 0:
        for _ in range(rng.randint(1, 20)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif choice == 1:
        del buf[rng.randrange(len(buf)):]
    else:
        start = rng.randrange(len(buf))
        buf[start:start + rng.randint(1, 2000)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 50)))
    return bytes(buf)


def _xml_mutations(draft: Path, folder: Path, seed: int) -> Path:
    """Same zip, but document.xml or styles.xml damaged inside (the zip itself stays valid)."""
    import random

    rng = random.Random(seed)
    with zipfile.ZipFile(draft) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    name = rng.choice(["word/document.xml", "word/styles.xml", "word/settings.xml", "docProps/custom.xml",
                       "word/footer1.xml", "word/_rels/document.xml.rels"])
    xml = bytearray(parts[name])
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(xml))
        xml[at:at + rng.randint(0, 30)] = rng.choice([b"<", b">", b"&", b"\"", b"", b"<w:p>", b"</w:r>",
                                                      b"<w:pStyle w:val=\"x\"/>", b"\xff\xfe", b"<!--"])
    parts[name] = bytes(xml)
    path = folder / f"xml-{seed}.docx"
    return _zip(path, parts)


def test_fuzzed_drafts_never_crash(cli: Cli, drafts: dict[str, Path], tmp_path: Path) -> None:
    data = drafts["张明"].read_bytes()
    files = []
    for seed in range(60):
        path = tmp_path / f"bytes-{seed}.docx"
        path.write_bytes(_mutations(data, seed))
        files.append(path)
    files += [_xml_mutations(drafts["张明"], tmp_path, seed) for seed in range(60)]
    started = time.perf_counter()
    for path in files:
        for command in ("check", "import"):
            args = ("check", "--json", path) if command == "check" else ("import", path, "-o", tmp_path / "o.yaml",
                                                                        "--force")
            result = cli(*args)
            assert result.code in (0, 1, 2), (path.name, result)
            assert "内部错误" not in result.err and "Traceback" not in result.err, (path.name, result)
            if result.code == 2:
                assert path.name in result.err
            if command == "check" and result.code != 2:
                json.loads(result.out)
    assert time.perf_counter() - started < 60


def test_headings_numbered_by_a_word_list(tmp_path: Path) -> None:
    """"一、" produced by Word's automatic numbering is not in the text; the list level still makes a heading."""
    document = docx.Document()
    document.add_paragraph("个人对照检查材料")
    for text, level in (("存在的问题", 0), ("理论学习方面", 1), ("学习不深入，平时学得少。", None),
                        ("问题产生的原因", 0), ("整改措施", 0)):
        para = document.add_paragraph(text)
        if level is not None:
            num = docx.oxml.OxmlElement("w:numPr")
            ilvl = docx.oxml.OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), str(level))
            num_id = docx.oxml.OxmlElement("w:numId")
            num_id.set(qn("w:val"), "1")
            num.append(ilvl)
            num.append(num_id)
            para._p.get_or_add_pPr().append(num)
    path = tmp_path / "list.docx"
    document.save(str(path))
    blocks = read_docx(path).document.blocks
    assert [(b.level, b.text) for b in blocks if isinstance(b, Heading)] == [
        (1, "存在的问题"), (2, "理论学习方面"), (1, "问题产生的原因"), (1, "整改措施")]
