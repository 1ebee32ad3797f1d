"""The promises of the README: its two commands, the installed command working from any folder."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__

REPO = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return [next(line for line in b.splitlines() if line and not line.startswith("#")) for b in blocks[:2]]


def test_readme_starts_with_the_two_fresh_machine_commands() -> None:
    make_draft, run_tests = _readme_commands()
    assert "pip install ." in make_draft and "draftgen batch examples/" in make_draft
    assert "pytest" in run_tests
    # Tests run against the pinned versions, so a new library release is a deliberate update, not a red CI.
    assert "-c constraints.txt" in run_tests
    pins = (REPO / "constraints.txt").read_text(encoding="utf-8")
    for name in ("pyyaml", "python-docx", "jinja2", "jieba", "questionary", "lxml", "pytest", "openpyxl"):
        assert re.search(rf"^{name}==\S+$", pins, re.M), name
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert run_tests in ci.splitlines(), "the CI script must run the README's test command verbatim"


def _installed_files() -> list[str]:
    files = importlib.metadata.files("draftgen") or []
    return [str(f) for f in files]


def test_wheel_ships_templates_and_phrasebank() -> None:
    files = _installed_files()
    if "generator/__init__.py" not in files:
        pytest.skip("editable install: data is read from the source tree")
    for needed in ("generator/templates/personal.j2", "generator/templates/questions.yaml",
                   "generator/templates/rectification.j2", "generator/templates/ledger.yaml",
                   "generator/templates/presets/1-general.yaml", "generator/phrasebank/taxonomy.yaml",
                   "generator/phrasebank/curated/base.yaml", "generator/examples/personal.yaml",
                   "generator/examples/rectification.yaml"):
        assert needed in files


def _draftgen() -> list[str]:
    script = Path(sys.executable).parent / "draftgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def test_installed_command_works_from_any_folder(tmp_path: Path) -> None:
    env = {**os.environ, "DRAFTGEN_CACHE_DIR": str(tmp_path / "cache")}
    version = subprocess.run([*_draftgen(), "--version"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"draftgen {__version__}"
    out = tmp_path / "初稿"
    run = subprocess.run([*_draftgen(), "batch", str(REPO / "examples" / "personal.yaml"), "--out", str(out)],
                         cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    written = [Path(line) for line in run.stdout.splitlines()]
    assert len(written) == 3 and all(p.exists() for p in written)
    assert "已生成 3 份初稿" in run.stderr
    from docx import Document

    doc = Document(str(written[0]))
    assert doc.paragraphs[0].style.name == "Title"
    assert "个人对照检查材料" in doc.paragraphs[0].text


def test_python_dash_m_works() -> None:
    run = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "示例" in run.stdout
