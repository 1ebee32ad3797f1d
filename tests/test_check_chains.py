"""The chains the composer knows, written into the .docx and read back by ``check`` (generator/chains.py).

A generated draft says which cause and measure answers which problem in the custom property
``draftgen.chains``; check trusts it while the recorded titles are still where they were, and falls back to
lexical closeness (and says so) where the author has rewritten an item.  Hand-written materials carry no
record and keep the lexical judgement.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from check_support import TOPICS, found, personal, write
from edits import copy, fill_placeholders, generate, libreoffice_round_trip
from lxml import etree

from generator import chains
from generator.bank import load_bank
from generator.compose import compose
from generator.doctree import Paragraph, Span
from generator.ooxml import house as h
from generator.ooxml.reader import read_docx
from generator.spec import spec_from_text

CORRESPONDENCE = ("answer-unmatched", "problem-unanswered")
UNRELATED = ("2.绿植浇水换盆。", "周末把阳台上的花盆搬进屋里晒晒太阳，顺手给鱼缸换一次清水。")




@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("chains"))


# --------------------------------------------------------------------------- the record


def test_the_record_is_the_composers_chains(drafts: dict[str, Path]) -> None:
    """What the file carries is exactly what the composer linked, problem by problem."""
    from edits import SPEC

    composed = {d.person.name: d for d in compose(spec_from_text(SPEC), load_bank()) if d.person}
    for name, path in drafts.items():
        meta = read_docx(path).document.meta
        recorded = chains.parse(meta[chains.META_KEY])
        assert recorded == chains.chains_of(composed[name])
        draft = composed[name]
        titles = [p.title for p in draft.problems]
        assert len(recorded.problems) == len(titles) and all(recorded.problems)
        for link, measure in zip(recorded.measures, (m for g in draft.measures for m in g.items), strict=True):
            assert {titles[i] for i in link.answers} == set(measure.answers)
        assert all(link.answers for link in (*recorded.causes, *recorded.measures))


def test_generated_drafts_have_no_correspondence_findings(drafts: dict[str, Path]) -> None:
    result = found(*drafts.values())
    assert not any(rule in result for rule in CORRESPONDENCE), {r: result.get(r) for r in CORRESPONDENCE}


@pytest.mark.parametrize("example", ["branch-office", "branch-village"])
def test_example_branches_have_no_correspondence_findings(example: str, tmp_path: Path) -> None:
    from conftest import REPO

    from generator.cli import main

    assert main(["batch", str(REPO / "examples" / f"{example}.yaml"), "--out", str(tmp_path), "--quiet",
                 "--jobs", "1"]) == 0
    files = sorted(tmp_path.glob("*.docx"))
    assert len(files) >= 16
    assert all(chains.META_KEY in read_docx(p).document.meta for p in files)
    result = found(*files)
    assert not any(rule in result for rule in CORRESPONDENCE), {r: result.get(r) for r in CORRESPONDENCE}


# --------------------------------------------------------------------------- edits


def _measure_paragraphs(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    """Numbered paragraphs after the 整改措施 heading."""
    out, inside = [], False
    for para in document.paragraphs:
        name = para.style.name if para.style is not None else ""
        if name == "Heading 1":
            inside = "整改措施" in para.text
        elif inside and para.runs and para.runs[0].style is not None and para.runs[0].style.name == "段首小标题":
            out.append(para)
    return out


def test_a_measure_rewritten_by_the_author_is_judged_by_its_words(drafts: dict[str, Path], tmp_path: Path) -> None:
    path = copy(drafts["王丽"], tmp_path / "王丽.docx")
    fill_placeholders(path)
    assert not any(rule in found(path) for rule in CORRESPONDENCE)
    document = docx.Document(str(path))
    measure = _measure_paragraphs(document)[1]
    old = measure.text
    for run in measure.runs[1:]:
        run.text = ""
    measure.runs[0].text = UNRELATED[0]
    measure.add_run(UNRELATED[1])
    document.save(str(path))
    result = found(path)
    unmatched = result.get("answer-unmatched", [])
    assert [f.excerpt[:6] for f in unmatched] == [UNRELATED[0][:6]], (old, unmatched)
    assert "按字面判断" in unmatched[0].message
    # the record still speaks for every other item: at most the problem that measure answered is left open
    unanswered = result.get("problem-unanswered", [])
    assert len(unanswered) <= 1 and all("按字面判断" in f.message for f in unanswered)


def test_moved_items_keep_their_chains(drafts: dict[str, Path], tmp_path: Path) -> None:
    """An author who swaps two measures has not broken a chain: keys are found wherever the items went."""
    path = copy(drafts["李强"], tmp_path / "李强.docx")
    fill_placeholders(path)
    document = docx.Document(str(path))
    first, second = _measure_paragraphs(document)[:2]
    first._p.addprevious(second._p)
    document.save(str(path))
    assert not any(rule in found(path) for rule in CORRESPONDENCE)


def test_libreoffice_keeps_the_record(drafts: dict[str, Path], tmp_path: Path) -> None:
    source = copy(drafts["张明"], tmp_path / "in" / "张明.docx")
    fill_placeholders(source)
    (saved,) = libreoffice_round_trip([source], tmp_path / "out")
    before, after = read_docx(source).document.meta, read_docx(saved).document.meta
    assert after[chains.META_KEY] == before[chains.META_KEY]
    assert len(before[chains.META_KEY]) > h.META_PIECE_CHARS  # the test covers a record written in pieces
    assert not any(rule in found(saved) for rule in CORRESPONDENCE)


# --------------------------------------------------------------------------- hand-written and lexical


def _unrelated_measure(tmp_path: Path, meta: dict[str, str] | None) -> Path:
    """The rule base material with one measure that shares no words with any problem."""
    topics = list(TOPICS[:4])
    topics[3] = replace(topics[3], measure_title="按时交纳党费",
                        measure="每月第一个工作日交纳党费，收据由本人保管备查。")
    doc = personal(tuple(topics), meta=meta)
    blocks = tuple(Paragraph((b.spans[0], Span(topics[3].measure)))
                   if isinstance(b, Paragraph) and topics[3].measure_title in b.text else b for b in doc.blocks)
    return write(replace(doc, blocks=blocks), tmp_path / "a.docx")


def test_without_a_record_check_judges_by_words(tmp_path: Path) -> None:
    result = found(_unrelated_measure(tmp_path, None))
    assert any("按时交纳党费" in f.excerpt for f in result["answer-unmatched"])
    assert not any("按字面判断" in f.message for f in result["answer-unmatched"])


def test_a_record_that_still_matches_is_believed(tmp_path: Path) -> None:
    """The author's record says the dues measure answers the fourth problem: check takes its word."""
    keys = tuple(chains.key(t.title) for t in TOPICS[:4])
    record = chains.Chains(keys, tuple(chains.Link(chains.key(t.cause_title), (i,)) for i, t in enumerate(TOPICS[:4])),
                           tuple(chains.Link(chains.key(t), (i,)) for i, t in
                                 enumerate((*(t.measure_title for t in TOPICS[:3]), "按时交纳党费"))))
    result = found(_unrelated_measure(tmp_path, {chains.META_KEY: chains.record(record)}))
    assert not any(rule in result for rule in CORRESPONDENCE), result


@pytest.mark.parametrize("text", ["", "not json", '{"v": 2, "p": []}', '{"v": 1, "p": ["a"], "c": [["a", 3]]}',
                                  '{"v": 1, "p": ["甲乙"], "c": [], "m": [["丙丁", [0, 9, -1]]]}'])
def test_a_damaged_record_is_ignored_or_bounded(text: str) -> None:
    parsed = chains.parse(text)
    if parsed is not None:  # only the last is usable; out-of-range indices are dropped
        assert parsed.measures == (chains.Link("丙丁", (0,)),)


# --------------------------------------------------------------------------- the package

# The custom file properties part as ECMA-376 Part 1 §22.3 (custom properties) and §22.4 (variant types)
# define it, narrowed to the text properties draftgen writes.
_CUSTOM_XSD = f"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{h.NS_CUSTOM}"
           xmlns="{h.NS_CUSTOM}" xmlns:vt="{h.NS_VT}" elementFormDefault="qualified">
  <xs:import namespace="{h.NS_VT}" schemaLocation="vt.xsd"/>
  <xs:element name="Properties">
    <xs:complexType><xs:sequence>
      <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:choice><xs:element ref="vt:lpwstr"/></xs:choice>
          <xs:attribute name="fmtid" use="required">
            <xs:simpleType><xs:restriction base="xs:token">
              <xs:pattern value="\\{{[0-9A-F]{{8}}-[0-9A-F]{{4}}-[0-9A-F]{{4}}-[0-9A-F]{{4}}-[0-9A-F]{{12}}\\}}"/>
            </xs:restriction></xs:simpleType>
          </xs:attribute>
          <xs:attribute name="pid" type="xs:int" use="required"/>
          <xs:attribute name="name" type="xs:string" use="optional"/>
          <xs:attribute name="linkTarget" type="xs:string" use="optional"/>
        </xs:complexType>
      </xs:element>
    </xs:sequence></xs:complexType>
    <xs:unique name="pids"><xs:selector xpath="property"/><xs:field xpath="@pid"/></xs:unique>
    <xs:unique name="names"><xs:selector xpath="property"/><xs:field xpath="@name"/></xs:unique>
  </xs:element>
</xs:schema>
"""
_VT_XSD = f"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{h.NS_VT}"
           elementFormDefault="qualified">
  <xs:element name="lpwstr" type="xs:string"/>
</xs:schema>
"""


def test_the_custom_part_is_valid_and_word_keeps_every_value(drafts: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "vt.xsd").write_text(_VT_XSD, encoding="utf-8")
    (tmp_path / "custom.xsd").write_text(_CUSTOM_XSD, encoding="utf-8")
    schema = etree.XMLSchema(etree.parse(str(tmp_path / "custom.xsd")))
    for path in drafts.values():
        with zipfile.ZipFile(path) as archive:
            root = etree.parse(io.BytesIO(archive.read(h.PART_CUSTOM)))
            types = archive.read("[Content_Types].xml").decode()
            rels = archive.read("_rels/.rels").decode()
        schema.assertValid(root)
        assert h.CT_CUSTOM in types and h.REL_CUSTOM in rels
        props = root.getroot()
        assert all(int(p.get("pid")) >= 2 for p in props)
        values = ["".join(p.itertext()) for p in props]
        assert max(map(len, values)) <= h.META_PIECE_CHARS  # Word keeps 255 characters of a text property
        names = [p.get("name") for p in props]
        assert f"{h.META_PREFIX}{chains.META_KEY}{h.META_PIECE}2" in names
