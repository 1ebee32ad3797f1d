"""The roster: the spreadsheet a branch secretary passes round the office instead of a YAML spec.

``render_roster`` lays out an empty roster for one meeting (a 设置 sheet of meeting settings, a 成员表 sheet
with one row per member and one column per review area, a 填写说明 sheet).  ``read_roster`` turns a filled
one back into the same data a YAML spec holds — every cell as text, as :mod:`generator.yamlio` keeps every
scalar as text — with each value's cell recorded, so :func:`generator.spec.build_spec` validates it through
the one question model and its messages say "成员表 第 5 行 C 列（岗位）：…".

The reader is tolerant where people are (a re-save in LibreOffice or WPS, extra or reordered columns, blank
rows, a merged title row above the header, numbers typed as text, dates as date cells or as text) and strict
where the file is not a roster at all (.xls/.et, a CSV renamed, a password, a zip bomb — the package is vetted
with the same limits as a .docx, :mod:`generator.ooxml.safezip`, before openpyxl opens it).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from generator.branch import branch_rules
from generator.errors import CellLocation, InputError, Problem, os_reason
from generator.ooxml.safezip import check_archive
from generator.questions import MAX_PEOPLE, AnswerError, Context, default_meeting, question
from generator.taxonomy import Area, DocType, areas_from_dimensions, doctypes, find_doctype, presets, suggest
from generator.text import clean_text, display_width
from generator.yamlio import Loaded, PathKey, format_path

KIND = "名册"
SETTINGS, MEMBERS, GUIDE, LISTS = "设置", "成员表", "填写说明", "选项"
_LEGACY = {".xls": "Excel 97-2003 工作簿（.xls）", ".et": "WPS 表格文件（.et）", ".ett": "WPS 表格模板（.ett）",
           ".csv": "CSV 文本", ".ods": "OpenDocument 表格（.ods）"}
SAVE_AS = "请在 WPS 或 Excel 中打开，另存为“Excel 工作簿（*.xlsx）”后再试"

# Bounds besides the package's (safezip): how far the reader looks.  A roster has at most MAX_PEOPLE
# members (the limit a spec has too); a sheet ten times longer, or wider than this, is not one filled in by hand.
MAX_ROWS = 10 * MAX_PEOPLE
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 20

# The settings sheet: label → spec key.  The question model supplies each row's explanation.
SETTINGS_ROWS: tuple[tuple[str, str], ...] = (
    ("材料类型", "template"),
    ("会议", "meeting"),
    ("单位", "unit"),
    ("日期", "date"),
    ("会议预设", "preset"),
    ("自选维度", "dimensions"),
    ("每个方面问题数", "problems_per_area"),
    ("随机种子", "seed"),
    ("文件名格式", "output"),
    ("上年度整改情况", "sections.last_year"),
    ("典型案例剖析", "sections.case_study"),
    # the branch's own facts (the `branch` question;班子材料、问题清单和党建工作问题分析报告 use them)
    ("党组织基本情况", "branch.基本情况"),
    ("三会一课落实情况", "branch.三会一课"),
    ("主题党日开展情况", "branch.主题党日"),
    ("发展党员情况", "branch.发展党员"),
)
_SETTINGS_ALIASES = {"类型": "template", "材料": "template", "预设": "preset", "日期（落款）": "date",
                     "落款日期": "date", "每方面问题数": "problems_per_area", "种子": "seed",
                     "支部名称": "unit", "单位名称": "unit", "会议名称": "meeting"}
# The members sheet: header → person key; "事例：方面" and "问题：方面" columns are per area.
MEMBER_COLUMNS: tuple[tuple[str, str], ...] = (("姓名", "name"), ("身份", "role"), ("岗位", "post"))
_MEMBER_ALIASES = {"名字": "name", "党内身份": "role", "身份职务": "role", "党内职务": "role", "职务": "role",
                   "工作岗位": "post", "上年度整改落实情况": "last_year"}
LAST_YEAR = "上年度整改情况"
FACTS, PROBLEMS = "事例", "问题"
_AREA_HEADER_RE = re.compile(r"^(具体事例|事例|本人事例|自己写的问题|本人问题|问题)[:：](.+)$")
_AREA_KEYS = {"具体事例": "facts", "事例": "facts", "本人事例": "facts",
              "自己写的问题": "problems", "本人问题": "problems", "问题": "problems"}
ROLES = ("党员", "支部书记", "支部副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "群众工作委员",
         "预备党员")
BLANK_ROWS = 200  # rows of the members sheet prepared with dropdowns


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class RosterSettings:
    """What the roster's 设置 sheet starts with (the secretary may change any of it in the sheet)."""

    doctype: DocType
    meeting: str
    unit: str
    date: dt.date
    preset: str
    areas: tuple[Area, ...]
    problems_per_area: int = 2


def _width(texts: Sequence[str], least: float = 8, most: float = 60) -> float:
    """Excel column units: a Chinese character is about two, a Latin one about one."""
    widest = max((display_width(line) for t in texts for line in t.split("\n")), default=0)
    return min(most, max(least, widest * 2 + 3))


def _setting_help(key: str) -> str:
    """The explanation of a settings row: its question's help; a branch fact's own label."""
    head, _, name = key.partition(".")
    if head == "branch" and name:
        label = next((f.label for f in branch_rules() if f.key == name), name)
        return f"{label}；用于班子对照检查材料、问题清单和党建工作问题分析报告，可不填"
    return question(key).help


def member_headers(settings: RosterSettings) -> list[tuple[str, str]]:
    """(header, note) of each column of the members sheet for this kind of document."""
    cols = [(h, question(k).help) for h, k in MEMBER_COLUMNS]
    if settings.doctype.id in ("personal", "collective"):
        note = "这一方面的具体事例，一条一行（单元格内换行：Alt+Enter）"
        cols += [(f"{FACTS}：{a.heading}", note) for a in settings.areas]
    if settings.doctype.id == "personal":
        cols += [(f"{PROBLEMS}：{a.heading}", "自己查摆的问题，一条一行，可不填") for a in settings.areas]
        cols.append((LAST_YEAR, question("last_year").help))
    return cols


def render_roster(settings: RosterSettings, ctx: Context | None = None) -> bytes:
    """The workbook bytes of an empty roster for ``settings``."""
    ctx = ctx or Context()
    book = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    lists = book.active
    lists.title = LISTS
    titles = [d.title for d in doctypes()]
    preset_ids = list(presets(ctx.preset_dirs))
    for col, (head, options) in enumerate((("材料类型", titles), ("会议预设", preset_ids), ("身份", ROLES)), 1):
        lists.cell(1, col, head)
        for row, value in enumerate(options, 2):
            lists.cell(row, col, value)
    lists.sheet_state = "hidden"

    def listed(col: int, count: int) -> str:
        letter = get_column_letter(col)
        return f"'{LISTS}'!${letter}$2:${letter}${count + 1}"

    sheet = book.create_sheet(SETTINGS, 0)
    for col, head in enumerate(("项目", "填写内容", "说明"), 1):
        cell = sheet.cell(1, col, head)
        cell.font, cell.fill = bold, head_fill
    values: dict[str, Any] = {
        "template": settings.doctype.title, "meeting": settings.meeting, "unit": settings.unit,
        "date": settings.date, "preset": settings.preset, "problems_per_area": settings.problems_per_area,
        "seed": 0,
    }
    rows: dict[str, int] = {}
    for row, (label, key) in enumerate(SETTINGS_ROWS, 2):
        rows[key] = row
        sheet.cell(row, 1, label).font = bold
        value = sheet.cell(row, 2, values.get(key))
        value.alignment = wrap
        if key == "date":
            value.number_format = "yyyy-mm-dd"
        elif key in ("problems_per_area", "seed"):
            value.number_format = "0"
        else:
            value.number_format = "@"  # text: "001" or "2025" stay as typed
        sheet.cell(row, 3, _setting_help(key)).alignment = wrap
    checks = [
        (DataValidation(type="list", formula1=listed(1, len(titles)), allow_blank=True), "template"),
        (DataValidation(type="list", formula1=listed(2, len(preset_ids)), allow_blank=True), "preset"),
        (DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True),
         "problems_per_area"),
        (DataValidation(type="whole", operator="between", formula1="0", formula2="2147483647", allow_blank=True),
         "seed"),
        (DataValidation(type="date", operator="between", formula1="36526", formula2="73415", allow_blank=True),
         "date"),
    ]
    for check, key in checks:
        check.error, check.errorTitle = question(key).help[:255], "请按说明填写"
        sheet.add_data_validation(check)
        check.add(f"B{rows[key]}")
    sheet.column_dimensions["A"].width = _width([label for label, _ in SETTINGS_ROWS])
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 70
    sheet.freeze_panes = "A2"

    members = book.create_sheet(MEMBERS, 1)
    headers = member_headers(settings)
    for col, (head, note) in enumerate(headers, 1):
        cell = members.cell(1, col, head)
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(col)
        wide = head.startswith((FACTS, PROBLEMS)) or head == LAST_YEAR
        members.column_dimensions[letter].width = 36 if wide else _width([head, "支部副书记"], least=10)
        for row in range(2, BLANK_ROWS + 2):
            members.cell(row, col).alignment = wrap
            members.cell(row, col).number_format = "@"
        tip = DataValidation(allow_blank=True, showErrorMessage=False, showInputMessage=True)
        tip.promptTitle, tip.prompt = head[:32], note[:255]
        if head == "身份":  # a dropdown of the usual words; any other title is accepted too (issue 12)
            tip = DataValidation(type="list", formula1=listed(3, len(ROLES)), allow_blank=True,
                                 showErrorMessage=False, showInputMessage=True)
            tip.promptTitle, tip.prompt = head, note[:255]
        members.add_data_validation(tip)
        tip.add(f"{letter}2:{letter}{BLANK_ROWS + 1}")
    members.row_dimensions[1].height = 34
    members.freeze_panes = "B2"

    guide = book.create_sheet(GUIDE, 2)
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(_guide(settings), 1):
        cell = guide.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _guide(settings: RosterSettings) -> list[str]:
    per_person = settings.doctype.per_person
    return [
        f"{settings.meeting}{settings.doctype.title} 名册填写说明",
        "1. “设置”表：材料类型、会议、单位、日期、会议预设等对全体成员有效；可以从下拉框中选择，"
        "说明列写明了每一项的含义。不用会议预设而自选维度时，清空“会议预设”，在“自选维度”中写维度名称，用顿号分开。",
        "2. “成员表”：一行一名党员。姓名不能为空、不能重复；身份可从下拉框选，"
        "也可以直接写其他职务（如“组织委员兼纪检委员”）。",
        "3. “事例：××”列对应会议预设中的一个方面：写本人（或支部）在这一方面的具体事例，"
        "一条一行（单元格内换行按 Alt+Enter，WPS 同样）；写出时间、事情和表现，越具体越好。",
        ("4. “问题：××”列可写自己查摆的问题，生成时优先采用；“上年度整改情况”写本人上年度问题的整改落实情况，"
         "不写则用“设置”表中的同名一项。多行文字中，空一行表示另起一段。") if per_person else
        "4. 班子材料只有一份，成员表中的支委决定谈心谈话情况和整改台账的责任人。",
        "5. 可以增加列（如“序号”“备注”），程序只读取认识的列；列的顺序可以调整，空行会被跳过。"
        "若改了会议预设，请相应改“事例：××”列的方面名称，或用 draftgen roster 重新生成名册。",
        "6. 填好后运行：draftgen batch 本文件.xlsx --out 初稿/；为其中一人逐项修改："
        "draftgen wizard --answers 本文件.xlsx --person 姓名。",
        "7. 请保存为 .xlsx 格式（不要另存为 .xls、.et 或 .csv），也不要设置打开密码。",
    ]


# --------------------------------------------------------------------------- reading


@dataclass
class SheetLoaded(Loaded):
    """A roster read into spec data; each value's place is a cell."""

    cells: dict[PathKey, CellLocation] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)  # person index → sheet row
    people_hint = "请在“成员表”中每行填写一名党员（姓名必填）"

    def where(self, path: PathKey, *, key: bool = False) -> CellLocation:
        probe = path
        while probe not in self.cells and probe:
            probe = probe[:-1]
        found = self.cells.get(probe) or CellLocation(self.file, sheet=SETTINGS)
        return replace(found, path=format_path(path))

    def same_as(self, path: PathKey) -> str:
        if len(path) >= 2 and path[0] == "people" and isinstance(path[1], int) and path[1] in self.rows:
            return f"与第 {self.rows[path[1]]} 行重复"
        return super().same_as(path)


def _sniff(path: Path) -> None:
    """Refuse what openpyxl cannot read with a message that says what the file is and what to do."""
    name = str(path)
    if not path.exists():
        raise InputError(f"找不到名册 {name}")
    if path.is_dir():
        raise InputError(f"名册 {name} 是一个文件夹，请给出 .xlsx 文件的路径")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            # The directory of an OLE2 file names its streams in UTF-16; Office's encrypted packages hold
            # "EncryptionInfo" and are small enough that their directory sits in the first megabytes.
            sample = head + fh.read(8 * 1024 * 1024) if head.startswith(b"\xd0\xcf\x11\xe0") else head
    except OSError as exc:
        raise InputError(f"无法读取名册 {name}：{os_reason(exc)}") from None
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptionInfo".encode("utf-16-le") in sample:
            raise InputError(f"名册 {name} 设置了打开密码，无法读取；请在 WPS 或 Excel 中取消密码"
                             "（文件 → 文档加密 / 信息 → 保护工作簿），保存后再试")
        kind = _LEGACY.get(suffix, "Excel 或 WPS 的旧格式表格（.xls 或 .et）")
        raise InputError(f"名册 {name} 是 {kind}，不是 .xlsx；{SAVE_AS}")
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".ods":
            raise InputError(f"名册 {name} 是 {_LEGACY['.ods']}，不是 .xlsx；{SAVE_AS}")
        return
    if suffix in _LEGACY:
        raise InputError(f"名册 {name} 是 {_LEGACY[suffix]}，不是 .xlsx；{SAVE_AS}")
    if not head:
        raise InputError(f"名册 {name} 是空文件")
    if b"\0" not in sample and _looks_like_text(path):
        raise InputError(f"名册 {name} 其实是文本文件（可能是 CSV 改了扩展名），不是 .xlsx；{SAVE_AS}")
    raise InputError(f"名册 {name} 不是 .xlsx 格式的表格（文件已损坏或是其他格式）；{SAVE_AS}")


def _looks_like_text(path: Path) -> bool:
    """Text in an encoding a CSV from WPS or Excel has (the sample may end inside a character)."""
    with path.open("rb") as fh:
        raw = fh.read(64 * 1024)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            raw.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(raw) - 4:
                return True
    return False


def _open(path: Path) -> Any:
    """The workbook, streamed (read-only): memory stays small whatever the sheet's size."""
    _sniff(path)
    members = check_archive(path, kind="Excel 名册", fmt=".xlsx")
    if not any(m.filename == "xl/workbook.xml" for m in members):
        what = "Word 文件（.docx）" if any(m.filename.startswith("word/") for m in members) else "zip 压缩包"
        raise InputError(f"名册 {path} 是 {what}，不是 Excel 工作簿（.xlsx）")
    try:
        with warnings.catch_warnings():  # openpyxl warns in English about parts it drops; nothing we read
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    # openpyxl's ways to fail on a damaged package: the file is unreadable, not draftgen broken.
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
            AttributeError, SyntaxError) as exc:
        raise InputError(f"无法读取名册 {path}：文件已损坏，或不是 WPS/Excel 保存的 .xlsx（{type(exc).__name__}）；"
                         f"{SAVE_AS}") from None


def _text(value: Any) -> str | None:
    """A cell's value as the text a person would have typed (YAML keeps every scalar as text, too)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    # Excel stores a carriage return typed or pasted into a cell as "_x000D_", which openpyxl leaves as is.
    text = unescape(str(value))
    return text if text.strip() else None


def _key(text: str) -> str:
    """A header or label as compared: no spaces or line breaks, half-width colon as full-width."""
    return re.sub(r"\s+", "", clean_text(text)).replace(":", "：")


def _sheet(book: Any, wanted: str, path: Path) -> Any:
    names = list(book.sheetnames)
    for name in names:
        if _key(name) == wanted:
            return book[name]
    shown = "、".join(f"“{n}”" for n in names if n != LISTS) or "没有"
    raise InputError(f"名册 {path} 缺少工作表“{wanted}”（现有工作表：{shown}）；"
                     "请不要删除或改名，可用 draftgen roster 重新生成名册")


def _rows(sheet: Any, name: str, path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for each row, bounded in both directions."""
    sheet.reset_dimensions()  # a writer's <dimension> may be wrong; read what is there
    for number, values in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), 1):
        if number > MAX_ROWS:
            raise InputError(f"名册 {path} 的“{name}”表超过 {MAX_ROWS} 行，不像手工填写的名册；"
                             "请删去多余的行，或分成几个文件")
        yield number, values


class _Reader:
    """Reads the two sheets into spec data, recording each value's cell and the sheet's own problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.loaded = SheetLoaded({}, str(path), kind=KIND)
        self.order = {SETTINGS: 0, MEMBERS: 1}

    def cell(self, sheet: str, row: int | None, col: int | None, header: str) -> CellLocation:
        return CellLocation(str(self.path), row, col, sheet=sheet, sheet_index=self.order.get(sheet, 9),
                            letter=get_column_letter(col) if col else "", header=header)

    def problem(self, message: str, where: CellLocation) -> None:
        self.loaded.problems.append(Problem(message, where))

    def settings(self, sheet: Any) -> dict[str, Any]:
        labels = {label: key for label, key in SETTINGS_ROWS} | _SETTINGS_ALIASES
        data: dict[str, Any] = {}
        label_col, value_col, started = 0, 1, False
        seen: dict[str, int] = {}
        for number, values in _rows(sheet, SETTINGS, self.path):
            texts = [_key(_text(v) or "") for v in values]
            if not started and "项目" in texts:  # the header row; columns may have been moved
                label_col = texts.index("项目")
                value_col = next((i for i, t in enumerate(texts) if t in ("填写内容", "内容", "值", "设置")),
                                 label_col + 1)
                started = True
                continue
            label = texts[label_col] if label_col < len(texts) else ""
            if not label:
                continue
            raw = values[value_col] if value_col < len(values) else None
            key = labels.get(label)
            where = self.cell(SETTINGS, number, value_col + 1, label)
            if key is None:
                if _text(raw) is not None:  # a note of someone's own with no value is harmless
                    hint = suggest(label, [lb for lb, _ in SETTINGS_ROWS])
                    self.problem(f"未知的项目“{label}”{hint}", replace(where, column=label_col + 1,
                                                                  letter=get_column_letter(label_col + 1)))
                continue
            if key in seen:
                self.problem(f"“{label}”重复出现（第一次在第 {seen[key]} 行）", where)
                continue
            seen[key] = number
            text = _text(raw)
            parts = key.split(".")
            self.loaded.cells[tuple(parts)] = where
            if text is not None:
                target = data
                for part in parts[:-1]:
                    target = target.setdefault(part, {})
                target[parts[-1]] = text
        return data

    def members(self, sheet: Any) -> list[dict[str, Any]]:
        rows = _rows(sheet, MEMBERS, self.path)
        columns: dict[int, tuple[str, str, str]] = {}  # index → (person key, area or "", header text)
        header_row = 0
        pending: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in rows:
            texts = [_key(_text(v) or "") for v in values]
            if any(_MEMBER_KEY.get(t) == "name" for t in texts):
                header_row = number
                below = next(rows, None)
                joined = _two_row_header(values, below[1]) if below else None
                if joined is None and below:
                    pending.append(below)  # an ordinary first member, not a second header row
                columns = self.header(number, joined or values)
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not header_row:
            raise InputError(f"名册 {self.path} 的“{MEMBERS}”表前 {HEADER_SEARCH_ROWS} 行中没有“姓名”列，"
                             "请保留表头（姓名、身份、岗位……）")
        people: list[dict[str, Any]] = []
        for number, values in itertools.chain(pending, rows):
            person: dict[str, Any] = {}
            marks: dict[PathKey, CellLocation] = {}
            for index, (key, area, header) in columns.items():
                text = _text(values[index]) if index < len(values) else None
                where = self.cell(MEMBERS, number, index + 1, header)
                if key in ("facts", "problems"):
                    marks[(key, area)] = where
                    items = [line for line in re.split(r"\r\n|\r|\n", text or "") if line.strip()]
                    if items:
                        person.setdefault(key, {})[area] = items
                else:
                    marks[(key,)] = where
                    if text is not None:
                        person[key] = text
            if not person:  # a blank row, or one with only columns draftgen does not read (序号, 备注)
                continue
            i = len(people)
            self.loaded.rows[i] = number
            name_col = next((ix for ix, c in columns.items() if c[0] == "name"), 0)
            self.loaded.cells[("people", i)] = self.cell(MEMBERS, number, name_col + 1, "姓名")
            for sub, where in marks.items():
                place: PathKey = ("people", i, *sub)
                self.loaded.cells[place] = where
            people.append(person)
        self.loaded.cells[("people",)] = self.cell(MEMBERS, None, None, "")
        return people

    def header(self, number: int, values: Sequence[Any]) -> dict[int, tuple[str, str, str]]:
        columns: dict[int, tuple[str, str, str]] = {}
        seen: dict[tuple[str, str], int] = {}
        for index, value in enumerate(values):
            text = _key(_text(value) or "")
            if not text:
                continue  # a merged header cell's other half, or an unused column
            match = _AREA_HEADER_RE.match(text)
            if match:
                found = (_AREA_KEYS[match.group(1)], match.group(2))
            elif text in _MEMBER_KEY:
                found = (_MEMBER_KEY[text], "")
            else:
                continue  # a column of the secretary's own (序号, 联系电话, 备注): not ours to read
            if found in seen:
                where = self.cell(MEMBERS, number, index + 1, text)
                self.problem(f"与 {get_column_letter(seen[found] + 1)} 列重复，同一内容只能有一列", where)
                continue
            seen[found] = index
            columns[index] = (*found, text)
        return columns


_MEMBER_KEY = {h: k for h, k in MEMBER_COLUMNS} | _MEMBER_ALIASES | {LAST_YEAR: "last_year"}


def _two_row_header(top: Sequence[Any], below: Sequence[Any]) -> list[str] | None:
    """A header in two rows, as people draw it: "事例" merged across the area columns, each area's name in the
    row below.  Returns the joined headers ("事例：党性修养"), or None when ``below`` is not such a row."""
    headers: list[str] = []
    group, joined = "", False
    for index, value in enumerate(top):
        text = _key(_text(value) or "")
        if text in _AREA_KEYS:
            group = text
        elif text:
            group = ""
        sub = _key(_text(below[index]) or "") if index < len(below) else ""
        if group and sub:
            headers.append(f"{group}：{sub}")
            joined = True
        elif sub:
            return None  # text under an ordinary column (a name under 姓名): the row below is a member
        else:
            headers.append(text)
    return headers if joined else None


def read_roster(path: Path, ctx: Context | None = None) -> SheetLoaded:
    """A filled roster as spec data with the cell of every value; :func:`generator.spec.build_spec` validates it.

    Problems of the sheet's own shape (an unknown setting, a column twice) travel in ``loaded.problems`` and are
    reported together with the spec's; a file that is not a roster at all raises :class:`InputError` here.
    """
    ctx = ctx or Context()
    reader = _Reader(path)
    book = _open(path)
    try:
        settings, members = _sheet(book, SETTINGS, path), _sheet(book, MEMBERS, path)
        try:
            with warnings.catch_warnings():  # as in _open
                warnings.simplefilter("ignore")
                data = reader.settings(settings)
                people = reader.members(members)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError, SyntaxError, zipfile.BadZipFile) as exc:
            # openpyxl parses rows lazily: a damaged sheet shows up only now.
            raise InputError(f"无法读取名册 {path}：表格内容已损坏（{type(exc).__name__}）；{SAVE_AS}") from None
    finally:
        book.close()
    if people:
        data["people"] = people
    reader.loaded.data = data
    return reader.loaded


def default_settings(template: str, *, meeting: str | None, unit: str, date: dt.date | None, preset: str | None,
                     problems_per_area: int, ctx: Context) -> RosterSettings:
    """Settings for a new roster, each value parsed by its question (so the roster starts valid).

    A refused value raises :class:`AnswerError` whose ``subpath`` names the question (``("preset",)``).
    """
    def parse(key: str, raw: str) -> Any:
        try:
            return question(key).parse(raw, ctx)
        except AnswerError as exc:
            raise AnswerError(exc.message, (key,)) from None

    doctype = find_doctype(parse("template", template))
    assert doctype is not None  # the choice parser accepts only known types
    day = parse("date", date.isoformat()) if date else ctx.today
    chosen = parse("preset", preset) if preset else doctype.default_preset
    found = presets(ctx.preset_dirs)
    areas = found[chosen].areas if chosen in found else areas_from_dimensions(())
    return RosterSettings(doctype=doctype, meeting=parse("meeting", meeting) if meeting else default_meeting(day),
                          unit=(parse("unit", unit) or "") if unit else "", date=day, preset=chosen, areas=areas,
                          problems_per_area=problems_per_area)
