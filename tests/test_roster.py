"""The roster: ``draftgen roster`` writes it, people fill it (and re-save it in LibreOffice), ``batch`` reads it
through the same question model as YAML; a bad roster names sheet, row, column and field, and writes nothing."""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document
from external import tool

from generator.roster import MEMBERS, SETTINGS
from generator.spec import load_spec
from generator.taxonomy import doctypes

CliRun = Callable[..., Any]

# The YAML spec the filled roster below must be equivalent to.
EQUIVALENT_YAML = """\
template: personal
meeting: 2025年度专题组织生活会
unit: 机关第一党支部
date: 2026-01-20
preset: 组织生活会四个方面
problems_per_area: 2
seed: 3
people:
  - name: 张明
    role: 支部书记
    post: 办公室主任
    facts:
      学习贯彻党的创新理论:
        - 全年参加支部集中学习12次，但个人自学笔记只有3篇
        - 读原著原文不够系统
      联系服务群众: [全年只到基层联系点调研2次，听汇报多、面对面交流少]
    last_year: |
      上年度查摆的3个问题已全部整改，
      建立了个人学习台账。

      但联系群众不够经常的问题还需要继续整改。
  - name: 王丽
    role: 组织委员兼纪检委员
    post: "12345"
    problems:
      发挥先锋模范作用: [在急难任务中主动请缨不多，习惯等分配。]
  - name: 李强
    role: 党员
"""


def _roster(cli: CliRun, path: Path, *extra: str) -> Path:
    result = cli("roster", path, "--unit", "机关第一党支部", "--date", "2026-01-20", *extra)
    assert result.code == 0, result.err
    assert result.out.strip() == str(path)
    return path


def _columns(sheet: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def _fill(path: Path) -> None:
    """What a secretary does: settings edited, three members, an own column, a blank row, a merged title row."""
    book = openpyxl.load_workbook(path)
    settings = book[SETTINGS]
    labels = {settings.cell(r, 1).value: r for r in range(2, settings.max_row + 1)}
    settings.cell(labels["会议"], 2, "2025年度专题组织生活会")
    settings.cell(labels["随机种子"], 2, "3")  # a number typed as text
    members = book[MEMBERS]
    col = _columns(members)
    rows: list[dict[str, str | int]] = [
        {"姓名": "张明", "身份": "支部书记", "岗位": "办公室主任",
         "事例：学习贯彻党的创新理论": "全年参加支部集中学习12次，但个人自学笔记只有3篇\n读原著原文不够系统",
         "事例：联系服务群众": "全年只到基层联系点调研2次，听汇报多、面对面交流少",
         "上年度整改情况": "上年度查摆的3个问题已全部整改，\n建立了个人学习台账。\n\n"
                           "但联系群众不够经常的问题还需要继续整改。"},
        {},  # a blank row between members
        {"姓名": "王丽", "身份": "组织委员兼纪检委员", "岗位": 12345,  # a number where text is expected
         "问题：发挥先锋模范作用": "在急难任务中主动请缨不多，习惯等分配。"},
        {"姓名": "李强", "身份": "党员"},
    ]
    for r, row in enumerate(rows, 2):
        for header, value in row.items():
            members.cell(r, col[header], value)
    # The secretary's own column (序号) at the front, and a merged title row above the header.
    members.insert_cols(1)
    members.cell(1, 1, "序号")
    for r in (2, 4, 5):
        members.cell(r, 1, r - 1)
    members.insert_rows(1)
    members.cell(1, 1, "机关第一党支部党员名册")
    members.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    book.save(path)


def _resave(path: Path, out: Path) -> Path:
    """Open and save the roster with LibreOffice Calc, as a person would (soffice --convert-to xlsx)."""
    soffice = tool("soffice")
    if not Path("/usr/lib/libreoffice/program/libsclo.so").exists() and not list(
            Path(soffice).resolve().parent.glob("libsclo*")):
        pytest.skip("LibreOffice Calc is not installed")
    out.mkdir()
    profile = out.parent / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "xlsx:Calc Office Open XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    saved = out / path.name
    assert saved.exists()
    return saved


def _document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_filled_roster_resaved_in_libreoffice_gives_the_yaml_drafts(cli: CliRun, tmp_path: Path) -> None:
    roster = _roster(cli, tmp_path / "支部名册.xlsx")
    _fill(roster)
    resaved = _resave(roster, tmp_path / "lo")
    # LibreOffice keeps the dropdowns (a headless conversion has no window, so it drops frozen panes: not checked)
    kept = openpyxl.load_workbook(resaved)
    assert any(dv.type == "list" for dv in kept[SETTINGS].data_validations.dataValidation)
    assert any(dv.type == "list" for dv in kept[MEMBERS].data_validations.dataValidation)
    spec_path = tmp_path / "支部.yaml"
    spec_path.write_text(EQUIVALENT_YAML, encoding="utf-8")
    same = {"source": ""}
    assert replace(load_spec(resaved), **same) == replace(load_spec(roster), **same)
    assert replace(load_spec(resaved), **same) == replace(load_spec(spec_path), **same)
    from_roster = cli("batch", resaved, "--out", tmp_path / "a", "-j", "1")
    from_yaml = cli("batch", spec_path, "--out", tmp_path / "b", "-j", "1")
    assert from_roster.code == 0, from_roster.err
    assert from_yaml.code == 0, from_yaml.err
    drafts = [Path(line) for line in from_roster.out.splitlines()]
    assert [p.name for p in drafts] == [Path(line).name for line in from_yaml.out.splitlines()]
    assert len(drafts) == 3
    for draft in drafts:
        assert _document_xml(draft) == _document_xml(tmp_path / "b" / draft.name), draft.name
    # The member's own last-year text: a single line break joined, a blank line a new paragraph.
    texts = [p.text for p in Document(str(drafts[0])).paragraphs]
    start = texts.index("一、上年度整改落实情况")
    assert texts[start + 1:start + 3] == ["上年度查摆的3个问题已全部整改，建立了个人学习台账。",
                                          "但联系群众不够经常的问题还需要继续整改。"]
    assert "读原著原文不够系统" in "".join(texts)
    others = [p.text for p in Document(str(drafts[2])).paragraphs]
    # 李强 has no last-year text and the settings sheet none either: the section stays, with a placeholder to fill.
    start = others.index("一、上年度整改落实情况")
    assert others[start + 1].startswith("【待补充") and others[start + 2] == "二、存在的问题"


def test_two_row_header_with_merged_cells(cli: CliRun, tmp_path: Path) -> None:
    """A header drawn by hand: 姓名 and 身份 merged over two rows, 事例 merged across the areas named below."""
    path = _roster(cli, tmp_path / "名册.xlsx")
    book = openpyxl.load_workbook(path)
    del book[MEMBERS]
    ws = book.create_sheet(MEMBERS, 1)
    for col, text in ((1, "序号"), (2, "姓名"), (3, "身份"), (4, "事例"), (6, "备注")):
        ws.cell(1, col, text)
    ws.cell(2, 4, "党性修养")
    ws.cell(2, 5, "联系服务群众")
    for col in (1, 2, 3, 6):
        ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    ws.merge_cells("D1:E1")
    # Excel's own escape for a carriage return ("_x000D_") in a cell with a line break pasted from elsewhere
    ws.append([1, "张明", "支部书记", "提意见时顾虑较多", "调研只有2次_x000D_\n停车难问题拖了两个月", "无"])
    ws.append([])
    ws.append([2, "王丽", "组织委员"])
    book.save(path)
    spec = load_spec(path)
    assert [p.name for p in spec.people] == ["张明", "王丽"]
    assert dict(spec.people[0].facts) == {"党性修养": ("提意见时顾虑较多",),
                                          "联系服务群众": ("调研只有2次", "停车难问题拖了两个月")}


def test_one_row_header_and_first_member_right_below(cli: CliRun, tmp_path: Path) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx")
    _cell(path, MEMBERS, 2, "姓名", "张明")
    _cell(path, MEMBERS, 2, "事例：党性修养", "提意见时顾虑较多")
    spec = load_spec(path)
    assert [p.name for p in spec.people] == ["张明"] and spec.people[0].facts == {"党性修养": ("提意见时顾虑较多",)}


def test_roster_layout(cli: CliRun, tmp_path: Path) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx", "--preset", "党纪学习教育六项纪律")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == [SETTINGS, MEMBERS, "填写说明"]
    members = book[MEMBERS]
    headers = [c.value for c in members[1]]
    areas = ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"]
    assert headers == ["姓名", "身份", "岗位", *(f"事例：{a}" for a in areas), *(f"问题：{a}" for a in areas),
                       "上年度整改情况"]
    assert members.freeze_panes == "B2"
    assert members.column_dimensions["D"].width >= 30 and members.column_dimensions["A"].width >= 8
    role_check = next(dv for dv in members.data_validations.dataValidation if dv.type == "list")
    assert "B2" in str(role_check.sqref) and role_check.showErrorMessage is False  # other titles allowed
    settings = book[SETTINGS]
    values = {settings.cell(r, 1).value: settings.cell(r, 2).value for r in range(2, settings.max_row + 1)}
    assert values["材料类型"] == "个人对照检查材料" and values["会议预设"] == "党纪学习教育六项纪律"
    assert values["会议"] == "2025年度专题组织生活会" and values["单位"] == "机关第一党支部"
    kinds = {dv.type for dv in settings.data_validations.dataValidation}
    assert {"list", "whole", "date"} <= kinds
    again = cli("roster", path)
    assert again.code == 2 and "已存在" in again.err
    collective = _roster(cli, tmp_path / "班子.xlsx", "--type", "班子对照检查材料")
    heads = [c.value for c in openpyxl.load_workbook(collective)[MEMBERS][1]]
    assert heads[:3] == ["姓名", "身份", "岗位"] and "上年度整改情况" not in heads
    assert all(not str(h).startswith("问题：") for h in heads)


@pytest.mark.parametrize("args, message", [
    (["--date", "2026-13-01"], "--date 有误：“2026-13-01”的月份 13 不存在"),
    (["--preset", "五个方面"], "--preset 有误：没有“五个方面”这一项"),
    (["--type", "述职报告"], "--type 有误：没有“述职报告”这一项"),
])
def test_roster_options_are_checked_before_writing(cli: CliRun, tmp_path: Path, args: list[str],
                                                   message: str) -> None:
    result = cli("roster", tmp_path / "名册.xlsx", *args)
    assert result.code == 2 and message in result.err, result.err
    assert not (tmp_path / "名册.xlsx").exists()
    wrong = cli("roster", tmp_path / "名册.xls")
    assert wrong.code == 2 and "名册应保存为 .xlsx 文件" in wrong.err


def test_empty_roster_says_to_fill_the_members_sheet(cli: CliRun, tmp_path: Path) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx")
    result = cli("batch", path, "--out", tmp_path / "out")
    assert result.code == 2
    assert "成员表：缺少党员信息：请在“成员表”中每行填写一名党员" in result.err


# --------------------------------------------------------------------------- bad rosters


def _cell(path: Path, sheet: str, row: int, header: str, value: Any) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    if sheet == SETTINGS:
        labels = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        ws.cell(labels[header], 2).value = value  # None clears the cell
    else:
        col = _columns(ws)
        if header not in col:
            col[header] = ws.max_column + 1
            ws.cell(1, col[header], header)
        ws.cell(row, col[header], value)
    book.save(path)


def _member(path: Path, row: int, name: str, role: str = "党员") -> None:
    _cell(path, MEMBERS, row, "姓名", name)
    _cell(path, MEMBERS, row, "身份", role)


def _ole2(streams: dict[str, bytes]) -> bytes:
    """A compound file (CFB v3, MS-CFB) holding ``streams``: the container Office and WPS write a
    password-protected .xlsx in (MS-OFFCRYPTO: streams EncryptionInfo and EncryptedPackage)."""
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts: list[int] = []
    body = b""
    for data in streams.values():
        data = data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0")  # ≥ 4096: no mini stream
        count = len(data) // sector
        first = len(fat)
        starts.append(first)
        fat += [*range(first + 1, first + count), end]
        body += data
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, 1, free, end, 0)
    for i, name in enumerate(names, 1):
        directory += entry(name, 2, free, i + 1 if i < len(names) else free, starts[i - 1], len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == sector
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            block = b"<row/>" * 100_000
            for _ in range(120):  # 72 MB of XML, a few hundred KB compressed
                fh.write(block)


def _bad_type(p: Path) -> None:
    _member(p, 2, "张明")
    _cell(p, SETTINGS, 0, "材料类型", "述职报告")


def _bad_preset(p: Path) -> None:
    _member(p, 2, "张明")
    _cell(p, SETTINGS, 0, "会议预设", "五个方面")


def _unknown_area(p: Path) -> None:
    _member(p, 2, "张明")
    _cell(p, MEMBERS, 2, "事例：学习强国", "每天学习积分40分以上")


def _date_text(p: Path) -> None:
    _member(p, 2, "张明")
    _cell(p, SETTINGS, 0, "日期", "下个月召开")


def _empty_name(p: Path) -> None:
    _member(p, 2, "张明")
    _cell(p, MEMBERS, 3, "身份", "组织委员")
    _cell(p, MEMBERS, 3, "岗位", "人事科科长")


def _duplicate(p: Path) -> None:
    _member(p, 2, "张明")
    _member(p, 4, "张明", "组织委员")


def _long_post(p: Path) -> None:
    _member(p, 2, "张明")
    _member(p, 3, "王丽")
    _cell(p, MEMBERS, 4, "姓名", "李强")
    _cell(p, MEMBERS, 5, "姓名", "赵敏")
    _cell(p, MEMBERS, 5, "岗位", "办公室" * 20)


def _sheet_missing(p: Path) -> None:
    book = openpyxl.load_workbook(p)
    del book[SETTINGS]
    book.save(p)


def _renamed_members(p: Path) -> None:
    book = openpyxl.load_workbook(p)
    book[MEMBERS].title = "Sheet1"
    book.save(p)


def _password(p: Path) -> None:
    p.write_bytes(_ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x01" * 6000}))


def _csv(p: Path) -> None:
    p.write_text("姓名,身份,岗位\n张明,支部书记,办公室主任\n", encoding="utf-8")


def _xls(p: Path) -> None:
    p.write_bytes(_ole2({"Workbook": b"\x09\x08" + b"\0" * 5000}))


def _docx(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")


def _damaged(p: Path) -> None:
    """The members sheet's XML cut off half-way (a copy interrupted, a disk error)."""
    with zipfile.ZipFile(p) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"][:1500]
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _unknown_setting(p: Path) -> None:
    _member(p, 2, "张明")
    book = openpyxl.load_workbook(p)
    ws = book[SETTINGS]
    ws.cell(ws.max_row + 1, 1, "会义")
    ws.cell(ws.max_row, 2, "某会议")
    book.save(p)


BAD_ROSTERS: list[tuple[str, Callable[[Path], None], str, str]] = [
    # A dropdown column holding a value its choice field refuses (an unknown role word is *not* an error,
    # issue 12: 身份 is free text with a dropdown of the usual words).
    ("bad doctype", _bad_type, "设置 第 2 行 B 列（材料类型）", "没有“述职报告”这一项"),
    ("bad preset", _bad_preset, "设置 第 6 行 B 列（会议预设）", "没有“五个方面”这一项"),
    ("unknown area column", _unknown_area, "成员表 第 2 行 M 列（事例：学习强国）", "本材料没有“学习强国”这个方面"),
    ("date cell holding text", _date_text, "设置 第 5 行 B 列（日期）", "“下个月召开”不是日期"),
    ("empty name", _empty_name, "成员表 第 3 行 A 列（姓名）", "不能为空"),
    ("duplicate names", _duplicate, "成员表 第 4 行 A 列（姓名）", "姓名“张明”与第 2 行重复"),
    ("post too long", _long_post, "成员表 第 5 行 C 列（岗位）", "太长了（60 字，最多 40 字）"),
    ("unknown setting", _unknown_setting, "设置 第 17 行 A 列（会义）", "未知的项目“会义”，是不是“会议”？"),
    ("sheet missing", _sheet_missing, "缺少工作表“设置”", "draftgen roster 重新生成"),
    ("members sheet renamed", _renamed_members, "缺少工作表“成员表”", "现有工作表：“设置”、“Sheet1”"),
    ("password", _password, "设置了打开密码", "取消密码"),
    ("csv renamed .xlsx", _csv, "其实是文本文件（可能是 CSV 改了扩展名）", "另存为“Excel 工作簿（*.xlsx）”"),
    ("xls renamed .xlsx", _xls, "是 Excel 或 WPS 的旧格式表格（.xls 或 .et）", "另存为“Excel 工作簿（*.xlsx）”"),
    ("docx renamed .xlsx", _docx, "是 Word 文件（.docx），不是 Excel 工作簿", ""),
    ("damaged sheet", _damaged, "表格内容已损坏", "另存为“Excel 工作簿（*.xlsx）”"),
    ("zip bomb", _zip_bomb, "解压后过大", "已拒绝读取"),
]


@pytest.mark.parametrize("make, where, message", [b[1:] for b in BAD_ROSTERS], ids=[b[0] for b in BAD_ROSTERS])
def test_bad_roster_names_its_cell_and_writes_nothing(cli: CliRun, tmp_path: Path, make: Callable[[Path], None],
                                                      where: str, message: str) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx")
    make(path)
    out = tmp_path / "初稿"
    result = cli("batch", path, "--out", out)
    assert result.code == 2, result.err
    assert where in result.err and message in result.err, result.err
    assert "Traceback" not in result.err and "内部错误" not in result.err
    assert not out.exists()


@pytest.mark.parametrize("suffix, kind", [(".xls", "Excel 97-2003 工作簿（.xls）"), (".et", "WPS 表格文件（.et）"),
                                          (".csv", "CSV 文本")])
def test_other_spreadsheet_formats_say_save_as_xlsx(cli: CliRun, tmp_path: Path, suffix: str, kind: str) -> None:
    path = tmp_path / f"名册{suffix}"
    if suffix == ".csv":
        _csv(path)
    else:
        _xls(path)
    result = cli("batch", path, "--out", tmp_path / "out")
    assert result.code == 2
    assert f"是 {kind}，不是 .xlsx；请在 WPS 或 Excel 中打开，另存为“Excel 工作簿（*.xlsx）”后再试" in result.err


def test_huge_sheet_is_refused_without_reading_it_all(cli: CliRun, tmp_path: Path) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book[MEMBERS]
    for r in range(2, 20_010):
        ws.cell(r, 4, "x")  # a column draftgen does not read as a name: rows are still counted
    book.save(path)
    result = cli("batch", path, "--out", tmp_path / "out")
    assert result.code == 2 and "超过 20000 行" in result.err


def test_wizard_answers_from_a_roster(tmp_path: Path, cli: CliRun) -> None:
    from generator.questions import Context
    from generator.wizard.answers import from_spec, load_spec_leniently

    path = _roster(cli, tmp_path / "名册.xlsx")
    _fill(path)
    spec, nameless = load_spec_leniently(path, Context())
    assert not nameless and [p.name for p in spec.people] == ["张明", "王丽", "李强"]
    answers = from_spec(spec, 0)
    assert answers.values["post"] == "办公室主任"
    assert answers.values["sections.last_year"].startswith("上年度查摆的3个问题已全部整改，建立了个人学习台账。\n\n")
    assert answers.area("学习贯彻党的创新理论").facts == ("全年参加支部集中学习12次，但个人自学笔记只有3篇",
                                                      "读原著原文不够系统")


# --------------------------------------------------------------------------- examples and text blocks


@pytest.mark.parametrize("doctype", [d.id for d in doctypes()])
def test_example_for_each_type_passes_batch_unchanged(cli: CliRun, tmp_path: Path, doctype: str) -> None:
    shown = cli("example", doctype)
    assert shown.code == 0 and shown.out.startswith("# 示例")
    target = tmp_path / f"{doctype}.yaml"
    written = cli("example", doctype, "-o", target)
    assert written.code == 0 and target.read_text(encoding="utf-8") == shown.out
    assert "examples/" not in shown.out
    result = cli("batch", target, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert result.out.strip()
    again = cli("example", doctype, "-o", target)
    assert again.code == 2 and "已存在" in again.err


def test_example_type_by_chinese_name_and_unknown_type(cli: CliRun) -> None:
    assert "template: rectification" in cli("example", "整改方案").out
    bad = cli("example", "述职报告")
    assert bad.code == 2 and "没有“述职报告”这一项" in bad.err


def test_collective_example_last_year_is_one_paragraph(cli: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "c.yaml"
    assert cli("example", "collective", "-o", target).code == 0
    result = cli("batch", target, "--out", tmp_path / "out")
    texts = [p.text for p in Document(result.out.splitlines()[0]).paragraphs]
    start = texts.index("一、上年度整改落实情况")
    paragraph = texts[start + 1]
    assert paragraph.startswith("上年度组织生活会支部班子查摆的5个问题已全部整改完成")
    assert paragraph.endswith("需要继续整改。")
    assert texts[start + 2].startswith("二、")


def test_text_blocks_read_as_markdown_in_every_multiline_field(tmp_path: Path) -> None:
    from generator.spec import spec_from_text, spec_to_data
    from generator.yamlio import dump_yaml

    text = """\
meeting: 2025年度专题组织生活会
preset: 组织生活会四个方面
sections:
  case_study: |
    对照典型案例，
    深刻反思。

    举一反三。
people:
  - name: 张明
    facts:
      党性修养:
        - |
          开展批评时顾虑较多，
          提的多是工作建议
    causes:
      - |
        理论学习不够深入。
        满足于完成规定动作。
    wording:
      pledge: |
        我将以这次组织生活会为新起点，
        切实把整改落到实处。
"""
    spec = spec_from_text(text)
    assert spec.case_study == "对照典型案例，深刻反思。\n\n举一反三。"
    person = spec.people[0]
    assert person.facts["党性修养"] == ("开展批评时顾虑较多，提的多是工作建议",)
    assert person.causes == ("理论学习不够深入。满足于完成规定动作。",)
    assert person.wording["pledge"] == "我将以这次组织生活会为新起点，切实把整改落到实处。"
    assert spec_from_text(dump_yaml(spec_to_data(spec))) == spec  # paragraphs survive an answers file


def test_roster_reader_bytes_are_not_decoded_as_yaml(tmp_path: Path) -> None:
    # A roster saved with a .yaml name is still refused by the YAML reader with its own message.
    from generator.errors import InputError

    path = tmp_path / "名册.yaml"
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="不是 YAML 文本"):
        load_spec(path)


def test_wizard_lines_are_paragraphs_and_its_answers_file_keeps_them(tmp_path: Path) -> None:
    """In the wizard's prompt a line is a paragraph (an empty line ends the answer); the answers file keeps
    them apart with a blank line, so batch reads the same paragraphs back."""
    from wizard_support import Canned

    from generator.wizard.session import Options, run_wizard

    me = tmp_path / "me.yaml"
    me.write_text("name: 张明\nmeeting: 2025年度专题组织生活会\ndate: 2026-01-20\n", encoding="utf-8")
    canned = Canned({"上年度整改落实情况（可不填）": ["上年度的3个问题已整改完成。\n学习不够系统的问题还需继续整改。"]})
    out = tmp_path / "out"
    assert run_wizard(Options(out=out, answers=me), canned) == 0
    draft = next(out.glob("*.docx"))
    saved = load_spec(draft.with_name(draft.name[:-5] + ".answers.yaml"))
    assert saved.last_year == "上年度的3个问题已整改完成。\n\n学习不够系统的问题还需继续整改。"
    texts = [p.text for p in Document(str(draft)).paragraphs]
    start = texts.index("一、上年度整改落实情况")
    assert texts[start + 1:start + 3] == ["上年度的3个问题已整改完成。", "学习不够系统的问题还需继续整改。"]


def test_import_keeps_the_paragraphs_of_a_section(cli: CliRun, tmp_path: Path) -> None:
    """An imported section writes its paragraphs a blank line apart, so they stay paragraphs when regenerated."""
    spec = tmp_path / "me.yaml"
    spec.write_text("name: 张明\nmeeting: 2025年度专题组织生活会\ndate: 2026-01-20\nsections:\n  last_year: |\n"
                    "    上年度的3个问题已整改完成，\n    建立了学习台账。\n\n    学习不够系统的问题还需继续整改。\n",
                    encoding="utf-8")
    first = cli("batch", spec, "--out", tmp_path / "a")
    assert first.code == 0, first.err
    draft = Path(first.out.splitlines()[0])
    assert cli("import", draft, "-o", tmp_path / "back.yaml").code == 0
    assert load_spec(tmp_path / "back.yaml").last_year == load_spec(spec).last_year
    again = cli("batch", tmp_path / "back.yaml", "--out", tmp_path / "b")
    texts = [p.text for p in Document(again.out.splitlines()[0]).paragraphs]
    start = texts.index("一、上年度整改落实情况")
    assert texts[start + 1:start + 3] == ["上年度的3个问题已整改完成，建立了学习台账。",
                                          "学习不够系统的问题还需继续整改。"]


def test_roster_with_own_dimensions_instead_of_a_preset(cli: CliRun, tmp_path: Path) -> None:
    path = _roster(cli, tmp_path / "名册.xlsx")
    _member(path, 2, "张明")
    _cell(path, MEMBERS, 2, "事例：担当作为", "牵头完成了档案数字化")
    _cell(path, SETTINGS, 0, "自选维度", "理论学习、担当作为")
    both = cli("batch", path, "--out", tmp_path / "a")
    assert both.code == 2 and "设置 第 7 行 B 列（自选维度）：preset 和 dimensions 只能给出其中一个" in both.err
    _cell(path, SETTINGS, 0, "会议预设", None)
    result = cli("batch", path, "--out", tmp_path / "b")
    assert result.code == 0, result.err
    spec = load_spec(path)
    assert spec.dimensions == ("理论学习", "担当作为")
    assert spec.people[0].facts == {"担当作为": ("牵头完成了档案数字化",)}
