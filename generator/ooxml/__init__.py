"""All raw OOXML of draftgen: the house-style constants and the .docx writer.

Nothing outside this package builds or parses WordprocessingML; the rest of the
code works on :mod:`generator.doctree`.
"""

from __future__ import annotations

from generator.ooxml.writer import render_docx, write_docx

__all__ = ["render_docx", "write_docx"]
