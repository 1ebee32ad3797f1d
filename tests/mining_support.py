"""Helpers shared by the tests of the phrase-bank miner (tests/test_mining_*.py)."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.mining.clean import CleanDoc, Line, clean_lines
from generator.mining.data import Corrections, Cues, load_corrections, load_cues

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BANK = ROOT / "phrasebank"
DATA = Path(__file__).resolve().parent / "data"


@cache
def corrections() -> Corrections:
    return load_corrections(BANK / "corrections.yaml")


@cache
def cues() -> Cues:
    return load_cues(BANK / "cues.yaml")


def lines_of(text: str) -> list[Line]:
    return [Line(i, t) for i, t in enumerate(text.split("\n"), 1)]


def clean(text: str, name: str = "t.txt") -> CleanDoc:
    return clean_lines(name, lines_of(text), corrections())


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def read_tsv(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, kind, dimension = line.split("\t")
            rows.append((text, kind, dimension))
    return rows


@dataclass
class Run:
    status: int
    out: str
    err: str


def run_cli(argv: Sequence[str], stdin: bytes | None = None) -> Run:
    """Run ``draftgen`` in-process, capturing stdout and stderr (and feeding stdin)."""
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main(list(argv))
            except SystemExit as exc:  # argparse usage errors
                status = int(exc.code or 0)
    finally:
        sys.stdin = saved
    return Run(status, out.getvalue(), err.getvalue())
