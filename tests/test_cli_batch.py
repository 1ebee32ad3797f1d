"""``draftgen batch`` end to end: drafts reopened and read; refusals leave the disk untouched."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from generator.text import half_width_punct

SPEC = """
meeting: 2025年度专题组织生活会
unit: 机关第一党支部
date: 2026-01-20
preset: 组织生活会四个方面
sections:
  last_year: 上年度查摆的3个问题已全部整改,建立了学习台账。
  case_study: 对照某单位干部违反中央八项规定精神的典型案例,深刻反思。
people:
  - name: 张明
    role: 支部书记
    facts:
      联系服务群众: 群众反映的停车难问题,转办后没有跟踪,拖了两个多月{{ 7*7 }}
  - name: 王丽
"""


def _h1(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]


def _body(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def test_batch_writes_one_draft_per_member(cli: Callable[..., object], write_spec: Callable[..., Path],
                                           tmp_path: Path) -> None:
    out = tmp_path / "初稿"
    result = cli("batch", write_spec(SPEC), "--out", out)
    assert result.code == 0, result
    paths = [Path(line) for line in result.out.splitlines()]
    assert [p.name for p in paths] == ["张明-2025年度专题组织生活会个人对照检查材料.docx",
                                       "王丽-2025年度专题组织生活会个人对照检查材料.docx"]
    assert result.err.startswith("已生成 2 份初稿")
    assert _h1(paths[0]) == ["一、上年度整改落实情况", "二、存在的问题", "三、典型案例剖析", "四、问题产生的原因",
                             "五、整改措施"]
    text = _body(paths[0])
    assert "拖了两个多月{{ 7*7 }}" in text and "49" not in text
    assert "上年度查摆的3个问题已全部整改，建立了学习台账。" in text
    for line in text.splitlines():
        assert not half_width_punct(line), line
    assert text.rstrip().endswith("2026年1月20日")


def test_same_spec_same_bytes_and_jobs_do_not_matter(cli: Callable[..., object], write_spec: Callable[..., Path],
                                                     tmp_path: Path) -> None:
    people = "\n".join(f"  - name: 党员{i:02d}" for i in range(12))
    spec = write_spec(f"date: 2026-01-20\npreset: 通用\npeople:\n{people}\n")
    assert cli("batch", spec, "--out", tmp_path / "a", "-j", "1").code == 0
    assert cli("batch", spec, "--out", tmp_path / "b", "-j", "2").code == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 12
    for name in names:
        assert _document_xml(tmp_path / "a" / name) == _document_xml(tmp_path / "b" / name)
    bigger = write_spec(f"date: 2026-01-20\npreset: 通用\npeople:\n{people}\n" + "\n".join(
        f"  - name: 成员{i:02d}" for i in range(60)) + "\n", "bigger.yaml")
    assert cli("batch", bigger, "--out", tmp_path / "d", "-j", "1").code == 0
    assert cli("batch", bigger, "--out", tmp_path / "e", "-j", "3").code == 0  # chunks of several drafts
    for path in (tmp_path / "d").iterdir():
        assert path.read_bytes() == (tmp_path / "e" / path.name).read_bytes()
    assert cli("batch", spec, "--out", tmp_path / "c", "--seed", "5").code == 0
    assert _document_xml(tmp_path / "c" / names[0]) != _document_xml(tmp_path / "a" / names[0])


def test_existing_files_are_never_overwritten_without_force(cli: Callable[..., object],
                                                            write_spec: Callable[..., Path], tmp_path: Path) -> None:
    spec = write_spec(SPEC)
    out = tmp_path / "out"
    assert cli("batch", spec, "--out", out).code == 0
    victim = out / "张明-2025年度专题组织生活会个人对照检查材料.docx"
    victim.write_bytes(b"edited by hand")
    (out / "王丽-2025年度专题组织生活会个人对照检查材料.docx").unlink()
    refused = cli("batch", spec, "--out", out)
    assert refused.code == 2 and "--force" in refused.err and "Traceback" not in refused.err
    assert victim.read_bytes() == b"edited by hand"
    assert not (out / "王丽-2025年度专题组织生活会个人对照检查材料.docx").exists()  # nothing written at all
    filled = cli("batch", spec, "--out", out, "--skip-existing")
    assert filled.code == 0 and "跳过已存在的 1 份" in filled.err
    assert victim.read_bytes() == b"edited by hand"
    assert cli("batch", spec, "--out", out, "--force").code == 0
    assert victim.read_bytes().startswith(b"PK")
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_bad_spec_writes_nothing(cli: Callable[..., object], write_spec: Callable[..., Path],
                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("batch", write_spec("name: 张三\nproblems_per_area: 7\n"), "--out", out)
    assert result.code == 2
    assert "第 2 行" in result.err and "problems_per_area" in result.err
    assert not out.exists()


def test_output_that_is_a_file(cli: Callable[..., object], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("batch", write_spec("name: 张三\n"), "--out", blocker)
    assert result.code == 2 and "不是文件夹" in result.err


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions")
def test_unwritable_output(cli: Callable[..., object], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = cli("batch", write_spec("name: 张三\n"), "--out", locked / "sub")
        assert result.code == 2 and "没有权限" in result.err
    finally:
        locked.chmod(0o700)


def test_duplicate_file_names_are_refused(cli: Callable[..., object], write_spec: Callable[..., Path],
                                          tmp_path: Path) -> None:
    spec = write_spec("output: '{unit}.docx'\npeople:\n  - name: 甲\n  - name: 乙\n")
    result = cli("batch", spec, "--out", tmp_path / "o")
    assert result.code == 2 and "文件名相同" in result.err
    assert not (tmp_path / "o").exists()


def test_file_names_cannot_leave_the_output_folder(cli: Callable[..., object], write_spec: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    spec = write_spec("people:\n  - name: ../../逃逸\n  - name: 'C:\\\\con'\n  - name: .隐藏\n")
    out = tmp_path / "o"
    result = cli("batch", spec, "--out", out)
    assert result.code == 0, result
    written = sorted(p.name for p in out.iterdir())
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in written)
    assert len(written) == 3 and not list(tmp_path.glob("*逃逸*"))


def test_quiet_prints_nothing_but_paths(cli: Callable[..., object], write_spec: Callable[..., Path],
                                        tmp_path: Path) -> None:
    result = cli("batch", write_spec("name: 张三\n"), "--out", tmp_path / "o", "-q")
    assert result.code == 0 and result.err == "" and result.out.strip().endswith(".docx")


def test_explain_report(cli: Callable[..., object], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = cli("batch", write_spec(SPEC), "--out", out, "--explain")
    assert result.code == 0
    report = (out / "选材说明.txt").read_text(encoding="utf-8")
    assert "张明-2025年度专题组织生活会个人对照检查材料.docx" in report
    assert "两两相似度" in report and "问题｜联系服务群众｜" in report and "措施｜" in report


def test_usage_errors_exit_2(cli: Callable[..., object], tmp_path: Path) -> None:
    assert cli("batch").code == 2
    assert cli("batch", tmp_path / "missing.yaml").code == 2
    assert cli("batch", tmp_path / "x.yaml", "--force", "--skip-existing").code == 2
    assert cli("nonsense").code == 2


def test_users_own_bank_is_added(cli: Callable[..., object], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    bank = tmp_path / "我的词库"
    (bank / "curated").mkdir(parents=True)
    (bank / "curated" / "mine.yaml").write_text(
        "add:\n"
        "  - {id: u-p1, kind: problem, dimension: 理论学习, title: 自己范文里的问题标题,"
        " text: 这是从自己收集的范文中整理的问题表现，写得很具体。, source: 我的范文.txt:3}\n"
        "  - {id: u-p2, kind: problem, dimension: 理论学习, title: 自己范文里的第二个问题,"
        " text: 这是第二条自己整理的问题表现。, source: 我的范文.txt:5}\n",
        encoding="utf-8")
    spec = write_spec("name: 张三\ndimensions: [理论学习]\n")
    result = cli("batch", spec, "--out", tmp_path / "o", "--bank", bank)
    assert result.code == 0, result
    assert cli("batch", spec, "--out", tmp_path / "o2", "--bank", tmp_path / "none").code == 2
    from generator.bank import load_bank

    merged = load_bank(extra=(bank,))
    assert merged.get("u-p1") is not None and len(merged) == len(load_bank()) + 2
