"""Find the data folders that ship with the package.

In a wheel, ``templates/`` and ``phrasebank/`` are installed inside the package
(``generator/templates``); in a source checkout or editable install they sit at
the project root.  Everything that reads packaged data asks here, so the two
layouts never leak into the rest of the code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``"templates"`` or ``"phrasebank"``)."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"draftgen installation is missing its {name}/ folder")


def templates_dir() -> Path:
    return data_dir("templates")


def phrasebank_dir() -> Path:
    return data_dir("phrasebank")
