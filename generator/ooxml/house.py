"""House-style numbers and OOXML names shared by the writer and (later) the reader.

Everything here is a plain constant: the page geometry of GB/T 9704-2012 in
twips, the style ids the writer defines, the fonts, and the namespaces and
content types of a WordprocessingML package.  The reader of edited files can
import the same names to recognise our styles, so nothing writer-only lives here.
"""

from __future__ import annotations

from typing import Final

# --------------------------------------------------------------------------- units

TWIPS_PER_MM: Final = 1440 / 25.4  # 56.69…

# --------------------------------------------------------------------------- page (A4, GB/T 9704 margins)

PAGE_W: Final = 11906
PAGE_H: Final = 16838
MARGIN_TOP: Final = 2098  # 37 mm
MARGIN_BOTTOM: Final = 1984  # 35 mm
MARGIN_LEFT: Final = 1587  # 28 mm (订口)
MARGIN_RIGHT: Final = 1474  # 26 mm
TEXT_W: Final = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 tw = 156 mm
TEXT_H: Final = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 tw = 225 mm

# A landscape A4 section for a wide table (整改台账): the same side margins and the same bottom margin, so the
# page number keeps its place below the text block; a smaller top margin, as there is no title on it.
LANDSCAPE_MARGIN_TOP: Final = 1587  # 28 mm
LANDSCAPE_TEXT_W: Final = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT  # 13777 tw = 243 mm

LINE_PITCH: Final = TEXT_H // 22  # 579 tw = ⌊225 mm ÷ 22⌋: 22 lines per page
LETTER_SPACING: Final = -5  # −0.25 pt so that 28 × 15.75 pt fits the 442 pt line

# Page number: its line box top sits 7 mm below the text block (GB/T 9704 §7.5).
# Word measures w:footer from the paper edge up to the *bottom* of the footer's
# last line, so: footer = bottom margin − 7 mm − one exact 14 pt line
#                       = 1984 − 397 − 280 = 1307 tw (≈ 23.1 mm).
PAGE_NUMBER_GAP: Final = round(7 * TWIPS_PER_MM)  # 397
PAGE_NUMBER_LINE: Final = 280  # exact 14 pt
FOOTER_DISTANCE: Final = MARGIN_BOTTOM - PAGE_NUMBER_GAP - PAGE_NUMBER_LINE  # 1307
HEADER_DISTANCE: Final = 851  # 15 mm; there is no header, Word wants a value

# --------------------------------------------------------------------------- sizes (half-points)

SIZE_TITLE: Final = 44  # 2号 22 pt
SIZE_BODY: Final = 32  # 3号 16 pt
SIZE_PAGE_NUMBER: Final = 28  # 4号 14 pt
SIZE_TABLE: Final = 24  # 小四 12 pt: a ledger row of six columns stays a few lines high

TITLE_LINE: Final = 700  # exact 35 pt
EM_BODY: Final = SIZE_BODY * 10  # one 16 pt character in twips (640 per 2 characters)
EM_TABLE: Final = SIZE_TABLE * 10
EM_PAGE_NUMBER: Final = SIZE_PAGE_NUMBER * 10
EM_TITLE: Final = SIZE_TITLE * 10
TITLE_LINE_EM: Final = TEXT_W / EM_TITLE  # ≈ 20.1 characters of 22 pt per title line

# --------------------------------------------------------------------------- fonts

LATIN: Final = "Times New Roman"
FANGSONG: Final = "仿宋_GB2312"
HEITI: Final = "黑体"
KAITI: Final = "楷体_GB2312"
XIAOBIAOSONG: Final = "方正小标宋简体"
SONGTI: Final = "宋体"

# --------------------------------------------------------------------------- style ids

NORMAL: Final = "Normal"
TITLE: Final = "Title"
SUBTITLE: Final = "Subtitle"
HEADINGS: Final = ("Heading1", "Heading2", "Heading3", "Heading4")
LEAD: Final = "Lead"
PLACEHOLDER: Final = "Placeholder"
SIGNATURE: Final = "Signature"
SIGNATURE_DATE: Final = "SignatureDate"
FOOTER: Final = "Footer"
PAGE_NUMBER_ODD: Final = "PageNumberOdd"
PAGE_NUMBER_EVEN: Final = "PageNumberEven"
TABLE_STYLE: Final = "LedgerTable"
TABLE_TEXT: Final = "TableText"
TABLE_TEXT_CENTER: Final = "TableTextCenter"
TABLE_HEADER: Final = "TableHeader"
TABLE_CAPTION: Final = "TableCaption"

# Indents in characters (hundredths, as w:*Chars wants them).
SIGNATURE_RIGHT_CHARS: Final = 2.0
PLACEHOLDER_FILL: Final = "FFFF00"

# Prefix of the custom document properties that carry Document.meta.
META_PREFIX: Final = "draftgen."
# A value longer than this is split into pieces named "<name>#2", "<name>#3"… (Word keeps 255 characters).
META_PIECE: Final = "#"
META_PIECE_CHARS: Final = 255

# --------------------------------------------------------------------------- namespaces

NS_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_R: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_A: Final = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_PKG_RELS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CONTENT_TYPES: Final = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_CP: Final = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
NS_DC: Final = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS: Final = "http://purl.org/dc/terms/"
NS_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
NS_EXTENDED: Final = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_CUSTOM: Final = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT: Final = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID: Final = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_DOCUMENT: Final = _OFFICE_RELS + "officeDocument"
REL_STYLES: Final = _OFFICE_RELS + "styles"
REL_SETTINGS: Final = _OFFICE_RELS + "settings"
REL_FONT_TABLE: Final = _OFFICE_RELS + "fontTable"
REL_THEME: Final = _OFFICE_RELS + "theme"
REL_FOOTER: Final = _OFFICE_RELS + "footer"
REL_EXTENDED: Final = _OFFICE_RELS + "extended-properties"
REL_CUSTOM: Final = _OFFICE_RELS + "custom-properties"
REL_CORE: Final = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

_WML_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_DOCUMENT: Final = _WML_CT + "document.main+xml"
CT_STYLES: Final = _WML_CT + "styles+xml"
CT_SETTINGS: Final = _WML_CT + "settings+xml"
CT_FONT_TABLE: Final = _WML_CT + "fontTable+xml"
CT_FOOTER: Final = _WML_CT + "footer+xml"
CT_THEME: Final = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE: Final = "application/vnd.openxmlformats-package.core-properties+xml"
CT_EXTENDED: Final = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_CUSTOM: Final = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CT_RELS: Final = "application/vnd.openxmlformats-package.relationships+xml"

# --------------------------------------------------------------------------- part names

PART_DOCUMENT: Final = "word/document.xml"
PART_STYLES: Final = "word/styles.xml"
PART_SETTINGS: Final = "word/settings.xml"
PART_FONT_TABLE: Final = "word/fontTable.xml"
PART_THEME: Final = "word/theme/theme1.xml"
PART_FOOTER_ODD: Final = "word/footer1.xml"
PART_FOOTER_EVEN: Final = "word/footer2.xml"
PART_CORE: Final = "docProps/core.xml"
PART_APP: Final = "docProps/app.xml"
PART_CUSTOM: Final = "docProps/custom.xml"

# Relationship ids of document.xml.rels that document.xml refers to.
RID_FOOTER_ODD: Final = "rIdFooterOdd"
RID_FOOTER_EVEN: Final = "rIdFooterEven"
