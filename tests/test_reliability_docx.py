"""Damaged .docx files against every command that reads .docx: exit 2, a message naming the file, bounded cost.

The damaged files come from :func:`reliability_support.damaged_docx` and the
zip bombs from :func:`reliability_support.zip_bomb` / ``many_parts``.  Each
reader is a row of ``READERS`` (``mine``, ``check`` in text and JSON, ``import``),
and every damaged file and bomb is tried against each of them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_support import (
    Run,
    assert_clean_message,
    changes,
    damaged_docx,
    good_docx,
    many_parts,
    run_cli,
    run_process,
    tree,
    zip_bomb,
)

# command name → argv for reading one .docx at PATH with scratch folder D.
READERS: dict[str, Callable[[Path, Path], list[str | Path]]] = {
    "mine": lambda path, d: ["mine", path, "--out", d / "bank"],
    "check": lambda path, d: ["check", path],
    "check-json": lambda path, d: ["check", "--json", path],
    "import": lambda path, d: ["import", path, "-o", d / "spec.yaml"],
}

DAMAGED = damaged_docx()
# Readers may accept these: the text itself is intact (the entity is left unresolved; Word opens
# a package without word/_rels/document.xml.rels too, just without its styles).  The reader behind
# check and import finds the body by its usual name when the package's index parts are missing or
# broken, as Word's repair does; it refuses any DOCTYPE, so the external entity is not among them.
_PACKAGE_DAMAGE = {"no-content-types", "no-package-rels", "no-document-rels", "content-types-broken"}
# One reader behind every command: they all accept and refuse the same files.
SOFT = {"mine": _PACKAGE_DAMAGE, "check": _PACKAGE_DAMAGE, "check-json": _PACKAGE_DAMAGE, "import": _PACKAGE_DAMAGE}
# What a reader may write when it accepts a file (paths under the scratch folder starting so).
WRITES = {"mine": ("bank",), "import": ("spec.yaml",)}


@pytest.fixture(scope="session")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Zip bombs, built once per session (a deep one: 256 MB of XML in ~1 MB; a wide one: 6000 parts)."""
    folder = tmp_path_factory.mktemp("bombs")
    paths = {"deep": folder / "deep.docx", "wide": folder / "wide.docx"}
    paths["deep"].write_bytes(zip_bomb())
    paths["wide"].write_bytes(many_parts())
    return paths


def _read(reader: str, path: Path, scratch: Path) -> tuple[Run, list[str]]:
    before = tree(scratch)
    run = run_cli(READERS[reader](path, scratch), cwd=scratch)
    return run, changes(before, tree(scratch))


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("variant", sorted(DAMAGED))
def test_damaged_docx_is_refused(reader: str, variant: str, tmp_path: Path) -> None:
    path = tmp_path / f"{variant}.docx"
    path.write_bytes(DAMAGED[variant])
    started = time.perf_counter()
    run, changed = _read(reader, path, tmp_path)
    assert time.perf_counter() - started < 20
    if variant in SOFT.get(reader, set()) and run.code in (0, 1):
        assert "passwd" not in run.out and "root:" not in run.out  # an external entity is never fetched
        assert all(p.startswith(WRITES.get(reader, ())) for p in changed), changed
        return
    assert run.code == 2, run
    assert_clean_message(run, words=[path.name])
    assert not changed, changed


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("bomb", ["deep", "wide"])
def test_zip_bombs_are_refused_before_unpacking(reader: str, bomb: str, bombs: dict[str, Path],
                                                tmp_path: Path) -> None:
    started = time.perf_counter()
    run, changed = _read(reader, bombs[bomb], tmp_path)
    assert time.perf_counter() - started < 10
    assert run.code == 2, run
    assert_clean_message(run, words=[bombs[bomb].name, "异常"])
    assert not changed


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is what bounds memory here (Linux)")
@pytest.mark.parametrize("reader", sorted(READERS))
def test_zip_bomb_under_a_memory_limit(reader: str, bombs: dict[str, Path], tmp_path: Path) -> None:
    """In a process limited to 400 MB of address space, a 256 MB bomb still gets a clean refusal."""
    run = run_process(READERS[reader](bombs["deep"], tmp_path), cwd=tmp_path, limit_memory=400 * 1024 * 1024,
                      timeout=60)
    assert run.code == 2, run
    assert_clean_message(run, words=["异常"])


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_good_docx_is_read(reader: str, tmp_path: Path) -> None:
    """The control: the same generator of files, undamaged, passes every reader."""
    path = tmp_path / "good.docx"
    path.write_bytes(good_docx())
    run, _ = _read(reader, path, tmp_path)
    # check reads it and reports what a reviewer would (a one-paragraph-per-section stub is too short): 0 or 1
    assert run.code == (0 if reader in ("mine", "import") else 1), run
    assert "无法读取" not in run.err


def test_one_damaged_file_in_a_folder_stops_mining_before_anything_is_written(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a-good.docx").write_bytes(good_docx())
    (src / "b-bad.docx").write_bytes(DAMAGED["truncated-tail"])
    run, changed = _read("mine", src, tmp_path)
    assert run.code == 2 and "b-bad.docx" in run.err, run
    assert not changed


def test_check_reports_a_damaged_file_and_still_checks_the_others(tmp_path: Path) -> None:
    (tmp_path / "a-good.docx").write_bytes(good_docx())
    (tmp_path / "b-bad.docx").write_bytes(DAMAGED["truncated-tail"])
    (tmp_path / "c-bomb.docx").write_bytes(DAMAGED["billion-laughs"])
    before = tree(tmp_path)
    run = run_cli(["check", *sorted(tmp_path.iterdir())], cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["b-bad.docx", "c-bomb.docx", "3 份材料", "2 份无法读取"])
    assert "a-good.docx：" in run.out and "a-good.docx" not in run.err, run
    assert not changes(before, tree(tmp_path))


def test_safezip_accepts_real_drafts(tmp_path: Path) -> None:
    """No false alarm on what draftgen itself writes (the limits are far above a real draft)."""
    from generator.ooxml.safezip import check_docx

    path = tmp_path / "good.docx"
    path.write_bytes(good_docx())
    check_docx(path)


def count_variants() -> int:
    """Damaged files tried per reader (reported in the issue note)."""
    return len(DAMAGED) + 2
