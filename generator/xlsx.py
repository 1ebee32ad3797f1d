"""A draft's tables as an .xlsx workbook, for secretaries who tick off the 整改台账 in a spreadsheet.

Optional (``pip install 'draftgen[xlsx]'``): openpyxl is well kept, pure Python
and writes the workbook XML itself, so this module only lays out cells.  It works
on the document tree, not on a document type, so any template's tables export
the same way: one sheet per table, the document title on top, the header row
frozen and repeated on printed pages, wrapped text, widths from the column
weights.  The cell text is deterministic; the file's bytes are not quite
(openpyxl stamps the save time), which is why the .docx stays the deliverable.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.doctree import Document, Heading, Table
from generator.errors import UsageError
from generator.fsio import atomic_writer

INSTALL_HINT = "导出 .xlsx 需要 openpyxl，请先安装：pip install 'draftgen[xlsx]'"
# Total width of a sheet's columns in Excel's character units (about an A4 landscape page at 12 pt).
SHEET_WIDTH = 120
# A 12 pt Chinese character is about 2.1 of Excel's width units; a wrapped line is about 16 pt high.
UNITS_PER_EM = 2.1
LINE_PT = 16
_HEADING_NUMBER_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)")
_SHEET_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")


def available() -> bool:
    """Whether openpyxl is installed (checked before anything is written)."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Refuse ``--xlsx`` up front when the extra is missing."""
    if not available():
        raise UsageError(INSTALL_HINT)


def named_tables(doc: Document) -> list[tuple[str, Table]]:
    """Each table with a sheet name: its caption, else the heading above it (without its number), else the title."""
    found: list[tuple[str, Table]] = []
    heading = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = _HEADING_NUMBER_RE.sub("", block.text).strip()
        elif isinstance(block, Table):
            found.append((block.caption or heading or doc.title.text, block))
    names: list[tuple[str, Table]] = []
    seen: set[str] = set()
    for i, (name, table) in enumerate(found, 1):
        name = _SHEET_FORBIDDEN_RE.sub("", name)[:28] or f"表{i}"
        while name in seen:
            name = f"{name[:25]}（{i}）"
        seen.add(name)
        names.append((name, table))
    return names


def cell_text(cell: Sequence[Any]) -> str:
    return "".join(span.text for span in cell)


def row_height(texts: Sequence[str], widths: Sequence[int]) -> float:
    """Points for a row whose cells wrap: neither Excel nor LibreOffice grows rows written by a library."""
    import math

    from generator.text import display_width

    lines = 1
    for text, width in zip(texts, widths, strict=True):
        per_line = max(1.0, width / UNITS_PER_EM - 0.5)
        lines = max(lines, sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n")))
    return lines * LINE_PT + 6


def _value(text: str) -> str | int:
    """Row numbers become numbers so the sheet sorts and filters; everything else stays text."""
    return int(text) if text.isdigit() and len(text) < 6 else text


def render_xlsx(doc: Document) -> bytes:
    """The workbook for ``doc``'s tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = doc.title.text
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name="仿宋_GB2312", size=12)
    head_font = Font(name="黑体", size=12)
    wrap = Alignment(wrap_text=True, vertical="center")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for name, table in named_tables(doc):
        sheet = workbook.create_sheet(name)
        ncols = len(table.columns)
        heading = doc.title.text if name == doc.title.text else f"{doc.title.text}（{name}）"
        sheet.cell(1, 1, heading).font = Font(name="黑体", size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        if ncols > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        total = sum(max(1, c.width) for c in table.columns)
        widths = [max(6, round(SHEET_WIDTH * max(1, c.width) / total)) for c in table.columns]
        sheet.row_dimensions[1].height = 28
        for col, column in enumerate(table.columns, 1):
            sheet.column_dimensions[get_column_letter(col)].width = widths[col - 1]
            cell = sheet.cell(2, col, column.header)
            cell.font, cell.alignment, cell.border = head_font, centred, border
        sheet.row_dimensions[2].height = row_height([c.header for c in table.columns], widths)
        for r, row in enumerate(table.rows, 3):
            texts = [cell_text(spans) for spans in row]
            for col, text in enumerate(texts, 1):
                cell = sheet.cell(r, col, _value(text))
                cell.font, cell.border = body_font, border
                cell.alignment = centred if isinstance(cell.value, int) else wrap
            sheet.row_dimensions[r].height = row_height(texts, widths)
        sheet.freeze_panes = "A3"
        sheet.print_title_rows = "2:2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(doc: Document, target: Path, *, force: bool = False) -> bool:
    """Write ``doc``'s tables to ``target`` atomically; a document without tables writes nothing (False)."""
    if not any(isinstance(block, Table) for block in doc.blocks):
        return False
    data = render_xlsx(doc)
    with atomic_writer(target, force=force) as fh:
        fh.write(data)
    return True
