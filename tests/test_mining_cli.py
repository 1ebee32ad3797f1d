"""The mine, classify and phrases commands: exit codes, output streams, Chinese messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mining_support import DATA, SEEDS, run_cli

LAYOUT = DATA / "new_layout.txt"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTGEN_CACHE_DIR", str(tmp_path / "cache"))


# --------------------------------------------------------------------------- mine


def test_mine_writes_one_yaml_per_source(tmp_path: Path) -> None:
    out = tmp_path / "词库"
    run = run_cli(["mine", str(LAYOUT), str(SEEDS / next(SEEDS.glob("004_*")).name), "--out", str(out)])
    assert run.status == 0, run.err
    assert run.out == ""  # nothing on stdout without --report
    assert sorted(p.name for p in (out / "mined").glob("*.yaml")) == [
        next(SEEDS.glob("004_*")).stem + ".yaml", "new_layout.yaml"]
    assert run.err.startswith("已从 2 个文件挖掘") and run.err.count("\n") == 1
    assert not list((out / "mined").glob("*.part"))


def test_mine_report_goes_to_stdout(tmp_path: Path) -> None:
    run = run_cli(["mine", str(LAYOUT), "--out", str(tmp_path), "--report"])
    assert run.status == 0
    assert "维度\t问题\t原因\t措施" in run.out
    assert "理论学习\t2\t1\t1" in run.out
    assert "网页杂项" in run.out and "网页页脚" in run.out  # what was dropped, and why


def test_mine_quiet_prints_nothing(tmp_path: Path) -> None:
    run = run_cli(["mine", str(LAYOUT), "--out", str(tmp_path), "-q"])
    assert (run.status, run.out, run.err) == (0, "", "")


def test_mine_report_names_orphaned_curation(tmp_path: Path) -> None:
    (tmp_path / "curated").mkdir()
    (tmp_path / "curated" / "x.yaml").write_text("remove:\n  - p-0000000000\n", encoding="utf-8")
    run = run_cli(["mine", str(LAYOUT), "--out", str(tmp_path), "--report"])
    assert "p-0000000000" in run.out


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.txt", None, "找不到"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
    ("notes.pdf", b"%PDF", "不是 .txt 或 .docx"),
    ("gbk.txt", "一、存在问题".encode("gbk"), "不是 UTF-8"),
    ("bad.docx", b"PK\x03\x04junk", "无法读取 Word 文件"),
])
def test_mine_bad_input_is_a_chinese_message(
        tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    run = run_cli(["mine", str(path), "--out", str(tmp_path / "out")])
    assert run.status == 2
    assert run.err.startswith("错误：") and message in run.err
    assert "Traceback" not in run.err


def test_mine_empty_folder(tmp_path: Path) -> None:
    run = run_cli(["mine", str(tmp_path), "--out", str(tmp_path / "out")])
    assert run.status == 2 and "没有找到可以读取的范文" in run.err


# --------------------------------------------------------------------------- classify


def test_classify_json_lines() -> None:
    stdin = "理论学习不够系统，存在以干代学的现象。\n\n坚持每周自学半天。\n以上对照检查，请同志们批评指正。\n"
    run = run_cli(["classify", "--json"], stdin=stdin.encode("utf-8"))
    assert run.status == 0
    records = [json.loads(line) for line in run.out.splitlines()]
    kinds = [(r["kind"], r["dimension"]) for r in records]
    assert kinds == [("problem", "理论学习"), ("measure", "理论学习"), ("other", None)]
    assert records[0]["text"] == "理论学习不够系统，存在以干代学的现象。"
    assert all(0 < r["confidence"] <= 1 for r in records)


def test_classify_plain_is_tab_separated() -> None:
    run = run_cli(["classify"], stdin="思想上放松了对自己的要求,党性锻炼有所放松。\n".encode())
    assert run.status == 0
    kind, dimension, confidence, text = run.out.rstrip("\n").split("\t")
    assert (kind, dimension) == ("cause", "党性修养")
    assert float(confidence) > 0.5 and text == "思想上放松了对自己的要求,党性锻炼有所放松。"


def test_classify_bad_encoding() -> None:
    run = run_cli(["classify"], stdin="理论学习不够。".encode("gbk"))
    assert run.status == 2 and "不是 UTF-8" in run.err


def test_classify_does_not_load_jieba_by_default() -> None:
    import subprocess
    import sys

    code = ("import sys, io; from generator.cli import main; sys.stdin = io.StringIO('学习不够。\\n'); "
            "main(['classify', '-q']); print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


# --------------------------------------------------------------------------- phrases


def test_phrases_search_and_filters() -> None:
    run = run_cli(["phrases", "两张皮"])
    assert run.status == 0
    rows = [line.split("\t") for line in run.out.splitlines()]
    assert rows and all(len(r) == 7 for r in rows)
    assert all("两张皮" in r[4] + r[5] for r in rows)
    assert run.err.startswith("共 ")
    run = run_cli(["phrases", "--kind", "措施", "--dimension", "理论学习", "--unflagged", "-q"])
    rows = [line.split("\t") for line in run.out.splitlines()]
    assert len(rows) >= 4 and {(r[1], r[2], r[3]) for r in rows} == {("measure", "理论学习", "")}
    assert run.err == ""


def test_phrases_by_id_and_own_bank(tmp_path: Path) -> None:
    assert run_cli(["mine", str(LAYOUT), "--out", str(tmp_path), "-q"]).status == 0
    run = run_cli(["phrases", "--bank", str(tmp_path), "-q"])
    rows = [line.split("\t") for line in run.out.splitlines()]
    assert len(rows) == 12
    first = rows[0][0]
    assert run_cli(["phrases", first, "--bank", str(tmp_path), "-q"]).out.splitlines()[0].startswith(first)


@pytest.mark.parametrize(("argv", "message"), [
    (["phrases", "--kind", "建议"], "未知类型"),
    (["phrases", "--dimension", "理论"], "是不是“理论学习”"),
    (["phrases", "--bank", "/nonexistent/bank"], "找不到词库文件夹"),
])
def test_phrases_bad_options(argv: list[str], message: str) -> None:
    run = run_cli(argv)
    assert run.status == 2 and message in run.err and run.out == ""


def test_help_is_chinese_with_examples() -> None:
    for command in ("mine", "classify", "phrases"):
        run = run_cli([command, "--help"])
        assert run.status == 0
        assert "用法：" in run.out and "示例：" in run.out and "选项：" in run.out


def test_mine_keeps_sources_with_one_name_apart(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "范文.txt").write_text(LAYOUT.read_text(encoding="utf-8"), encoding="utf-8")
    run = run_cli(["mine", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "out"), "-q"])
    assert run.status == 0
    assert sorted(p.name for p in (tmp_path / "out" / "mined").glob("*.yaml")) == ["范文-2.yaml", "范文.yaml"]
