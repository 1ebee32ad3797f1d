"""The static parts of a draft package, built once per process.

Settings, font table, theme, the two page-number footers, content types and
relationships are the same for every draft; only ``document.xml`` and the
document properties change.  They are kept minimal (no python-docx template,
no ``stylesWithEffects``) and compressed once per process; :func:`assemble`
then lays out each draft's zip directly: the static members as they are, its
own parts deflated, and the central directory.  The bytes are exactly those
``zipfile`` writes for the same entries (``tests/test_writer.py`` checks it),
at a third of the cost: no re-reading of the base archive for every draft.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from functools import cache

from generator.ooxml import house as h
from generator.ooxml.styles import styles_xml

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# A fixed timestamp in every zip entry, so the same Document gives the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def settings_xml() -> str:
    """Odd/even footers, no punctuation compression (keeps 28 characters a line), zh-CN theme fonts."""
    return (
        f'{XML_DECL}<w:settings xmlns:w="{h.NS_W}">'
        '<w:zoom w:percent="100"/>'
        f'<w:defaultTabStop w:val="{h.EM_BODY}"/>'
        "<w:evenAndOddHeaders/>"
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1"'
        ' w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5"'
        ' w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


# name, alternative name, charset (86 = GB2312), family, pitch
_FONTS = (
    (h.LATIN, "", "00", "roman", "variable"),
    (h.SONGTI, "SimSun", "86", "auto", "variable"),
    (h.FANGSONG, "仿宋", "86", "modern", "fixed"),
    (h.HEITI, "SimHei", "86", "modern", "fixed"),
    (h.KAITI, "楷体", "86", "modern", "fixed"),
    (h.XIAOBIAOSONG, "", "86", "script", "fixed"),
)


def font_table_xml() -> str:
    """The fonts the styles name; the alternative names help Word substitute on machines without them."""
    items = []
    for name, alt, charset, family, pitch in _FONTS:
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        items.append(f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/>'
                     f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    return f'{XML_DECL}<w:fonts xmlns:w="{h.NS_W}">{"".join(items)}</w:fonts>'


def theme_xml() -> str:
    """A minimal theme whose fonts are Times New Roman / 宋体 (WPS complains when theme fonts are missing)."""
    colours = (("dk2", "44546A"), ("lt2", "E7E6E6"), ("accent1", "4472C4"), ("accent2", "ED7D31"),
               ("accent3", "A5A5A5"), ("accent4", "FFC000"), ("accent5", "5B9BD5"), ("accent6", "70AD47"),
               ("hlink", "0563C1"), ("folHlink", "954F72"))
    clr = ('<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
           '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
           + "".join(f'<a:{n}><a:srgbClr val="{v}"/></a:{n}>' for n, v in colours))
    face = (f'<a:latin typeface="{h.LATIN}"/><a:ea typeface="{h.SONGTI}"/><a:cs typeface="{h.LATIN}"/>'
            f'<a:font script="Hans" typeface="{h.SONGTI}"/>')
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        f'{XML_DECL}<a:theme xmlns:a="{h.NS_A}" name="draftgen"><a:themeElements>'
        f'<a:clrScheme name="draftgen">{clr}</a:clrScheme>'
        f'<a:fontScheme name="draftgen"><a:majorFont>{face}</a:majorFont><a:minorFont>{face}</a:minorFont>'
        "</a:fontScheme>"
        f'<a:fmtScheme name="draftgen"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst><a:effectStyleLst>{effect * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def footer_xml(style_id: str, shown: int) -> str:
    """A footer with "— PAGE —"; ``shown`` is the cached field result before Word updates it."""
    def text(value: str) -> str:
        return f'<w:r><w:t xml:space="preserve">{value}</w:t></w:r>'

    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             f"{text(str(shown))}"
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    paragraph = f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{text("— ")}{field}{text(" —")}</w:p>'
    return f'{XML_DECL}<w:ftr xmlns:w="{h.NS_W}" xmlns:r="{h.NS_R}">{paragraph}</w:ftr>'


def content_types_xml() -> str:
    overrides = (
        (h.PART_DOCUMENT, h.CT_DOCUMENT), (h.PART_STYLES, h.CT_STYLES), (h.PART_SETTINGS, h.CT_SETTINGS),
        (h.PART_FONT_TABLE, h.CT_FONT_TABLE), (h.PART_THEME, h.CT_THEME),
        (h.PART_FOOTER_ODD, h.CT_FOOTER), (h.PART_FOOTER_EVEN, h.CT_FOOTER),
        (h.PART_CORE, h.CT_CORE), (h.PART_APP, h.CT_EXTENDED), (h.PART_CUSTOM, h.CT_CUSTOM),
    )
    items = "".join(f'<Override PartName="/{part}" ContentType="{ct}"/>' for part, ct in overrides)
    return (f'{XML_DECL}<Types xmlns="{h.NS_CONTENT_TYPES}">'
            f'<Default Extension="rels" ContentType="{h.CT_RELS}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f"{items}</Types>")


def _rels(items: tuple[tuple[str, str, str], ...]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{rel}" Target="{target}"/>' for rid, rel, target in items)
    return f'{XML_DECL}<Relationships xmlns="{h.NS_PKG_RELS}">{body}</Relationships>'


def package_rels_xml() -> str:
    return _rels((("rId1", h.REL_DOCUMENT, h.PART_DOCUMENT), ("rId2", h.REL_CORE, h.PART_CORE),
                  ("rId3", h.REL_EXTENDED, h.PART_APP), ("rId4", h.REL_CUSTOM, h.PART_CUSTOM)))


def document_rels_xml() -> str:
    def local(part: str) -> str:
        return part.removeprefix("word/")

    return _rels((
        ("rIdStyles", h.REL_STYLES, local(h.PART_STYLES)),
        ("rIdSettings", h.REL_SETTINGS, local(h.PART_SETTINGS)),
        ("rIdFontTable", h.REL_FONT_TABLE, local(h.PART_FONT_TABLE)),
        ("rIdTheme", h.REL_THEME, local(h.PART_THEME)),
        (h.RID_FOOTER_ODD, h.REL_FOOTER, local(h.PART_FOOTER_ODD)),
        (h.RID_FOOTER_EVEN, h.REL_FOOTER, local(h.PART_FOOTER_EVEN)),
    ))


def app_xml() -> str:
    return (f'{XML_DECL}<Properties xmlns="{h.NS_EXTENDED}" xmlns:vt="{h.NS_VT}">'
            "<Application>draftgen</Application><DocSecurity>0</DocSecurity></Properties>")


def static_parts() -> list[tuple[str, str]]:
    """(part name, XML) for every part that is the same in all drafts, in zip order."""
    return [
        ("[Content_Types].xml", content_types_xml()),
        ("_rels/.rels", package_rels_xml()),
        ("word/_rels/document.xml.rels", document_rels_xml()),
        (h.PART_STYLES, styles_xml()),
        (h.PART_SETTINGS, settings_xml()),
        (h.PART_FONT_TABLE, font_table_xml()),
        (h.PART_THEME, theme_xml()),
        (h.PART_FOOTER_ODD, footer_xml(h.PAGE_NUMBER_ODD, 1)),
        (h.PART_FOOTER_EVEN, footer_xml(h.PAGE_NUMBER_EVEN, 2)),
        (h.PART_APP, app_xml()),
    ]


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A deflated zip entry with a fixed date (deterministic output)."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    return info


# Central directory entry and end record, as zipfile writes them (no zip64: parts are kilobytes).
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = (1 << 31) - 1


def _member(name: str, data: bytes, offset: int) -> tuple[bytes, bytes]:
    """The local record (header + deflated data) of one part at ``offset``, and its central entry."""
    if len(data) > _LIMIT:
        raise ValueError(f"{name} is too large for a plain zip entry")
    info = zip_entry(name)
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's settings
    packed = packer.compress(data) + packer.flush()
    info.CRC, info.compress_size, info.file_size = zlib.crc32(data), len(packed), len(data)
    local = info.FileHeader(False) + packed
    year, month, day, hour, minute, second = info.date_time
    filename = info.filename.encode("ascii")
    central = _CENTRAL.pack(
        b"PK\x01\x02", info.create_version, info.create_system, info.extract_version, info.reserved,
        info.flag_bits, info.compress_type, hour << 11 | minute << 5 | second // 2,
        (year - 1980) << 9 | month << 5 | day, info.CRC, info.compress_size, info.file_size,
        len(filename), 0, 0, 0, info.internal_attr, info.external_attr, offset) + filename
    return local, central


@cache
def _static_members() -> tuple[bytes, bytes, int]:
    """Local records and central entries of the static parts, compressed once per process."""
    records: list[bytes] = []
    entries: list[bytes] = []
    offset = 0
    for name, xml in static_parts():
        local, central = _member(name, xml.encode("utf-8"), offset)
        records.append(local)
        entries.append(central)
        offset += len(local)
    return b"".join(records), b"".join(entries), len(entries)


def assemble(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """The whole package: the static parts, then ``parts`` (name, bytes) in order."""
    records, entries, count = _static_members()
    out = [records]
    central = [entries]
    offset = len(records)
    for name, data in parts:
        local, entry = _member(name, data, offset)
        out.append(local)
        central.append(entry)
        offset += len(local)
    directory = b"".join(central)
    count += len(parts)
    out += [directory, _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)]
    return b"".join(out)


def base_zip() -> bytes:
    """A zip holding only the static parts."""
    return assemble(())
