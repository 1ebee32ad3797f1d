"""A document in a layout the seeds do not use, with site furniture around it, as .txt and as .docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from mining_support import DATA

from generator.bank import Phrase
from generator.mining import mine_paths
from generator.mining.sources import read_lines

LAYOUT = DATA / "new_layout.txt"

EXPECTED = [
    ("problem", "理论学习", "学习的系统性不强"),
    ("problem", "理论学习", "学用结合不够紧密"),
    ("problem", "宗旨意识", "深入基层不够经常"),
    ("problem", "宗旨意识", "为民服务的耐心不够"),
    ("problem", "纪律规矩", "勤俭节约意识有所淡化"),
    ("problem", "纪律规矩", "对身边人要求不够严格"),
    ("cause", "理论学习", "理论学习的自觉性有所松懈"),
    ("cause", "宗旨意识", "宗旨意识有所淡化"),
    ("cause", "纪律规矩", "纪律规矩意识有所放松"),
    ("measure", "理论学习", "坚持不懈强化理论武装"),
    ("measure", "宗旨意识", "真心实意为群众办实事"),
    ("measure", "纪律规矩", "严守纪律规矩"),
]


def mine_one(path: Path) -> list[Phrase]:
    return mine_paths([path]).phrases


def check(phrases: list[Phrase], name: str) -> None:
    assert [(p.kind, p.dimension, p.title) for p in phrases] == EXPECTED
    texts = "".join(p.text for p in phrases)
    for junk in ("浏览次数", "上一篇", "相关文章", "首页", "报告如下", "批评指正"):
        assert junk not in texts
    assert phrases[0].text == ("参加集中学习多，个人自学少，对党的创新理论往往满足于读过、"
                               "看过，缺少前后贯通的系统思考。")
    assert all(p.source.startswith(f"{name}:") for p in phrases)
    assert len({p.group for p in phrases}) == 1


def test_new_layout_as_text() -> None:
    phrases = mine_one(LAYOUT)
    check(phrases, "new_layout.txt")
    assert phrases[0].source == "new_layout.txt:7" and phrases[-1].source == "new_layout.txt:19"


def _write_docx(path: Path, lines: list[str], styles: dict[int, str] | None = None) -> None:
    import docx

    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line, style=(styles or {}).get(i))
    document.save(str(path))


def test_new_layout_as_docx(tmp_path: Path) -> None:
    target = tmp_path / "new_layout.docx"
    _write_docx(target, LAYOUT.read_text(encoding="utf-8").splitlines())
    check(mine_one(target), "new_layout.docx")


def test_docx_heading_styles_stand_for_numbers(tmp_path: Path) -> None:
    """Word's own numbering does not reach the text: a heading style marks the heading instead."""
    lines = ["个人对照检查材料", "存在的问题", "理论学习不够深入。满足于读过看过，思考少。",
             "原因分析", "理论学习的自觉性有所松懈。思想上把理论学习当成软任务。",
             "整改措施", "坚持不懈强化理论武装。每周安排固定时间自学。"]
    target = tmp_path / "styled.docx"
    _write_docx(target, lines, {0: "Title", 1: "Heading 1", 3: "Heading 1", 5: "Heading 1"})
    assert [ln.level for ln in read_lines(target)][:4] == [0, 1, 0, 1]
    phrases = mine_one(target)
    assert [(p.kind, p.title) for p in phrases] == [("problem", "理论学习不够深入"),
                                                   ("cause", "理论学习的自觉性有所松懈"),
                                                   ("measure", "坚持不懈强化理论武装")]


def test_docx_tables_are_read_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("表前段落")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "甲"
    table.cell(0, 1).text = "乙"
    document.add_paragraph("表后段落")
    target = tmp_path / "table.docx"
    document.save(str(target))
    assert [ln.text for ln in read_lines(target)] == ["表前段落", "甲", "乙", "表后段落"]


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_damaged_docx_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    from generator.errors import InputError

    target = tmp_path / "broken.docx"
    target.write_bytes(content)
    with pytest.raises(InputError, match="无法读取 Word 文件"):
        read_lines(target)
