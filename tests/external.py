"""External programs the rendering tests use (LibreOffice, pdftotext, pandoc)."""

from __future__ import annotations

import os
import shutil

import pytest


def tool(name: str) -> str:
    """Path of an external tool; skip without it, except in CI where it must be present."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI")
    pytest.skip(f"{name} not installed")
