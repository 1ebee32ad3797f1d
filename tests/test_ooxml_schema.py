"""Every document type we write passes the OOXML schema and structure checks Word applies (openxml-audit).

LibreOffice forgives much that Word refuses ("Word found unreadable content"); openxml-audit checks the
package, the parts' XML against the ECMA-376 schemas and the structural rules in pure Python, so CI needs
neither Word nor .NET.  The shipped examples cover every document type, a unit set and three branches.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from openxml_audit import OpenXmlValidator

from generator.cli import main

EXAMPLES = ("personal", "collective", "problem-list", "rectification", "unit-report", "set",
            "branch-office", "branch-village", "branch-workshop")


def _errors(path: Path | io.BytesIO) -> list[str]:
    result = OpenXmlValidator().validate(path)
    return [str(e) for e in result.errors]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for name in EXAMPLES:
        folder = tmp_path_factory.mktemp(name)
        assert main(["batch", str(REPO / "examples" / f"{name}.yaml"), "--out", str(folder),
                     "--quiet", "--jobs", "1"]) == 0
        out[name] = sorted(folder.glob("*.docx"))
    return out


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_written_document_is_valid_ooxml(written: dict[str, list[Path]], name: str) -> None:
    assert written[name], name
    for path in written[name]:
        assert _errors(path) == [], path.name


def test_the_validator_sees_an_element_word_refuses(written: dict[str, list[Path]]) -> None:
    """The check above can fail: the same draft with one paragraph property out of schema order is refused."""
    source = written["personal"][0]
    broken = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert "<w:p>" in text or "<w:p " in text
                # a run inside a run: no schema allows it, Word reports unreadable content
                text = text.replace("<w:r>", "<w:r><w:r/>", 1) if "<w:r>" in text else \
                    text.replace("<w:r ", "<w:r><w:r/></w:r><w:r ", 1)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    path = source.parent / "broken.docx"
    path.write_bytes(broken.getvalue())
    assert _errors(path), "openxml-audit accepted a run nested in a run"
