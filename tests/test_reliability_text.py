"""Any text survives: cleaned or refused with a message, and every .docx produced is well-formed.

Examples first (each kind of troublesome text in every field of a spec, through
the real CLI), then property-based tests with hypothesis over the spec loader,
the composer and renderer, the writer, file names and ``clean_text``.  The
hypothesis profile is deterministic (``derandomize``) and keeps no database,
so CI runs the same few hundred examples every time.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import (
    FORBIDDEN_IN_DRAFTS,
    assert_clean_message,
    assert_complete_draft,
    assert_safe_file_name,
    assert_valid_xml,
    document_text,
    drafts,
    leftovers,
    run_cli,
    yaml_quote,
)

from generator.errors import InputError

NASTY = {
    "c0-controls": "甲" + "".join(chr(i) for i in range(0x20) if chr(i) not in "\t\n\r") + "乙",
    "nul": "前\x00后",
    "c1-controls": "甲" + "".join(chr(i) for i in range(0x7F, 0xA0)) + "乙",
    "ansi-escape": "红\x1b[31m色\x1b[0m",
    "emoji": "学习😀👍🏽👨‍👩‍👧🇨🇳到位",
    "bidi": "\u202e反向\u202c\u2066隔离\u2069\u200f标记",
    "zero-width": "零\u200b宽\u200c字\u200d符\ufeff号",
    "lone-surrogates": "\ud800孤立\udfff代理",
    "line-separators": "甲\u2028乙\u2029丙",
    "combining": "e\u0301 a\u0308 Z" + "\u0336" * 30,
    "noncharacters": "非\ufffe字\uffff符\U0001fffe",
    "private-use": "\ue000\ue001假标题\ue002\uf8ff私用",
    "tag-characters": "标\U000e0041\U000e007f签",
    "crlf": "甲\r\n乙\r丙",
    "spaces": "\t甲 \u00a0 乙\u3000丙  ",
    "xml-specials": "<w:p>&amp;&lt;]]>'\"",
    "ascii-punct": "学习不够,存在问题;(一)...等等!",
    "cjk-extension-b": "𠀀𪚥𬌗",
    "rtl-scripts": "مرحبا שלום",
    "math-alphanumerics": "𝐀𝐁𝟙",
    "only-invisible": "\u200b\u200d\ufeff",
    "very-long": "长" * 999,
}

LONG_FIELDS = ("facts", "problems", "causes", "measures", "pledge", "last_year")
SHORT_FIELDS = ("meeting", "unit", "name", "role", "post")


def _spec(long: str, short: str) -> str:
    q, s = yaml_quote(long), yaml_quote(short)
    return f"""meeting: {s}
unit: {s}
date: 2026-01-20
preset: 组织生活会四个方面
sections:
  last_year: {q}
people:
  - name: {yaml_quote("张" + short[:18])}
    role: {s}
    post: {s}
    facts:
      理论学习: [{q}]
    problems:
      党性修养: [{q}]
    causes: [{q}]
    measures:
      宗旨意识: [{q}]
    wording:
      pledge: {q}
"""


@pytest.mark.parametrize("kind", sorted(NASTY))
def test_troublesome_text_is_cleaned_or_refused(kind: str, tmp_path: Path) -> None:
    text = NASTY[kind]
    (tmp_path / "spec.yaml").write_text(_spec(text, text[:30]), encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out], cwd=tmp_path)
    if run.code == 2:  # a single-line field given several lines, or a name of invisible characters only
        assert_clean_message(run, words=["spec.yaml"])
        # libyaml refuses lone surrogates even as escapes; the pure-Python loader lets clean_text drop them
        assert any(w in run.err for w in ("只能写一行", "不能为空", "转义不是有效的字符")), run
        if "转义" in run.err:
            return
        assert not out.exists()
        # the same text where several lines are allowed is accepted
        (tmp_path / "spec.yaml").write_text(_spec(text, "第一党支部"), encoding="utf-8")
        run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out], cwd=tmp_path)
    assert run.code == 0, run
    [path] = drafts(out)
    assert not leftovers(out)
    assert_safe_file_name(path.name)
    assert_complete_draft(path)
    body = document_text(path)
    bad = FORBIDDEN_IN_DRAFTS.search(body)
    assert bad is None, (f"U+{ord(bad.group()):04X}" if bad else "", kind)


def test_visible_text_survives_cleaning(tmp_path: Path) -> None:
    """Cleaning removes the invisible, never the visible: each fact's words reach the draft."""
    facts = {"bidi": "反向隔离标记", "zero-width": "零宽字符号", "emoji": "学习到位", "c0-controls": "甲乙",
             "private-use": "假标题私用", "cjk-extension-b": "𠀀𪚥𬌗"}
    items = ", ".join(yaml_quote(NASTY[k]) for k in facts)
    (tmp_path / "spec.yaml").write_text(f"name: 张三\npreset: 通用\nfacts:\n  理论学习: [{items}]\n",
                                        encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 0, run
    body = "".join(p.text for p in docx.Document(str(drafts(tmp_path / "out")[0])).paragraphs)
    for kind, visible in facts.items():
        assert visible in body, kind


# --------------------------------------------------------------------------- property-based

PROFILE = settings(derandomize=True, database=None, deadline=None, print_blob=False,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])
# Everything, surrogates and controls included: what pasted text and YAML escapes can carry.
ANY_CHAR = st.characters(codec=None, categories=None)
ANY_TEXT = st.text(ANY_CHAR, max_size=60)
EXAMPLES = {"loader": 120, "yaml": 120, "bytes": 40, "composer": 40, "writer": 80, "names": 120, "clean": 80,
            "normalize": 300, "import": 30}

FIELD_TEMPLATES = {
    "meeting": "name: 张三\nmeeting: {v}\n",
    "unit": "name: 张三\nunit: {v}\n",
    "date": "name: 张三\ndate: {v}\n",
    "template": "name: 张三\ntemplate: {v}\n",
    "preset": "name: 张三\npreset: {v}\n",
    "dimensions": "name: 张三\ndimensions: [{v}]\n",
    "seed": "name: 张三\nseed: {v}\n",
    "problems_per_area": "name: 张三\nproblems_per_area: {v}\n",
    "output": "name: 张三\noutput: {v}\n",
    "length": "name: 张三\nlength: {v}\n",
    "placeholders": "name: 张三\nplaceholders: {v}\n",
    "name": "people:\n  - name: {v}\n  - name: 李四\n",
    "role": "name: 张三\nrole: {v}\n",
    "facts": "name: 张三\npreset: 通用\nfacts:\n  理论学习: [{v}]\n",
    "facts-key": "name: 张三\nfacts:\n  {v}: 事例\n",
    "problems": "name: 张三\nproblems:\n  工作作风: {v}\n",
    "causes": "name: 张三\ncauses: [{v}, {v}]\n",
    "wording": "name: 张三\nwording:\n  preamble: {v}\n",
    "measure-heading": "name: 张三\nwording:\n  measure_headings:\n    {v}: {v}\n",
    "last_year": "name: 张三\nsections:\n  last_year: {v}\n",
    "unknown-key": "name: 张三\n{v}: 1\n",
}


def _loads_or_refuses(text: str) -> None:
    """The loader's whole contract: a Spec, or an InputError whose message is short and Chinese."""
    from generator.spec import spec_from_text

    try:
        spec = spec_from_text(text, "hyp.yaml")
    except InputError as exc:
        rendered = exc.render()
        assert rendered.startswith("错误：") and len(rendered) < 2000
        return
    assert spec.people or not spec.doctype.per_person


@settings(PROFILE, max_examples=EXAMPLES["loader"])
@given(field=st.sampled_from(sorted(FIELD_TEMPLATES)), value=ANY_TEXT)
def test_spec_loader_takes_any_value(field: str, value: str) -> None:
    _loads_or_refuses(FIELD_TEMPLATES[field].format(v=yaml_quote(value)))


YAML_PIECES = ["name:", "people:", "facts:", "理论学习:", "unit:", "date:", " ", "  ", "\n", "- ", "[", "]", "{", "}",
               ":", ",", "&a ", "*a", "!!str ", "!!python/name:os.system ", "'", '"', "#", "张三", "2026-01-20",
               "\t", "---", "? ", "|", ">", "<<: ", "null", "~", "\\u0000", "%YAML 1.1", "\x00", "\u2028"]


@settings(PROFILE, max_examples=EXAMPLES["yaml"])
@given(st.lists(st.one_of(st.sampled_from(YAML_PIECES), ANY_TEXT), max_size=30))
def test_spec_loader_takes_any_document(pieces: list[str]) -> None:
    _loads_or_refuses("".join(pieces))


@settings(PROFILE, max_examples=EXAMPLES["bytes"])
@given(st.binary(max_size=400))
def test_spec_loader_takes_any_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    from generator.spec import load_spec

    path = tmp_path_factory.mktemp("bytes") / "spec.yaml"
    path.write_bytes(b"name: \xe5\xbc\xa0\xe4\xb8\x89\n" + raw)
    try:
        load_spec(path)
    except InputError as exc:
        assert len(exc.render()) < 2000


@settings(PROFILE, max_examples=EXAMPLES["composer"])
@given(name=st.text(ANY_CHAR, min_size=1, max_size=20), fact=ANY_TEXT, problem=ANY_TEXT, cause=ANY_TEXT,
       measure=ANY_TEXT, pledge=ANY_TEXT, heading=st.text(ANY_CHAR, max_size=20))
def test_composer_and_renderer_take_any_text(name: str, fact: str, problem: str, cause: str, measure: str,
                                             pledge: str, heading: str) -> None:
    from generator.builder import Builder
    from generator.ooxml import render_docx
    from generator.spec import spec_from_text

    q = yaml_quote
    text = (f"preset: 通用\ndate: 2026-01-20\npeople:\n  - name: {q(name)}\n"
            f"    facts:\n      理论学习: [{q(fact)}]\n    problems:\n      工作作风: [{q(problem)}]\n"
            f"    causes: [{q(cause)}]\n    measures:\n      理论学习: [{q(measure)}]\n"
            f"    wording:\n      pledge: {q(pledge)}\n      measure_headings:\n        工作作风: {q(heading)}\n")
    try:
        spec = spec_from_text(text, "hyp.yaml")
    except InputError:
        return  # e.g. a name of invisible characters only, or several lines in a heading
    data = render_docx(Builder(spec).document(0))
    assert_valid_xml(data)
    assert docx.Document(__import__("io").BytesIO(data)).paragraphs


def _document(title: str, heading: str, spans: list[tuple[str, str | None]], cells: list[str], sign: str) -> object:
    from generator.doctree import Column, Document, Heading, Paragraph, Signature, Span, Table, Title

    return Document(
        Title(title, (len(title) // 2,)),
        (Heading(1, heading), Paragraph(tuple(Span(t, s) for t, s in spans)),  # type: ignore[arg-type]
         Table((Column(cells[0] if cells else "", 2), Column("序号")), ((tuple(Span(c) for c in cells[:3]),),)),
         Signature(sign, "2026年1月20日")),
        {"name": sign, "odd": title},
    )


@settings(PROFILE, max_examples=EXAMPLES["writer"])
@given(title=ANY_TEXT, heading=ANY_TEXT,
       spans=st.lists(st.tuples(ANY_TEXT, st.sampled_from([None, "lead", "placeholder"])), max_size=4),
       cells=st.lists(ANY_TEXT, max_size=3), sign=ANY_TEXT)
def test_writer_takes_any_span_text(title: str, heading: str, spans: list[tuple[str, str | None]],
                                    cells: list[str], sign: str) -> None:
    import io

    from generator.ooxml import render_docx
    from generator.ooxml.writer import clean

    data = render_docx(_document(title, heading, spans, cells, sign))  # type: ignore[arg-type]
    assert_valid_xml(data)
    reopened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in reopened.paragraphs]
    assert clean(heading).replace("\r", "\n").replace("\t", "") in [t.replace("\t", "") for t in texts]


@settings(PROFILE, max_examples=EXAMPLES["names"])
@given(pattern=st.one_of(st.sampled_from(["{name}-{title}.docx", "{unit}{name}", "{name}.DOCX", "{meeting}.docx"]),
                         ANY_TEXT),
       name=ANY_TEXT, unit=st.text(ANY_CHAR, max_size=200))
def test_file_names_are_single_safe_components(pattern: str, name: str, unit: str) -> None:
    from generator.filenames import file_name

    fields = {"name": name, "unit": unit, "title": "个人对照检查材料", "meeting": unit[:60], "date": "2026-01-20"}
    assert_safe_file_name(file_name(pattern, fields))


@settings(PROFILE, max_examples=EXAMPLES["clean"])
@given(ANY_TEXT)
def test_clean_text_leaves_nothing_forbidden(text: str) -> None:
    from generator.text import clean_text, normalize

    cleaned = clean_text(text)
    assert not FORBIDDEN_IN_DRAFTS.search(cleaned)
    assert clean_text(cleaned) == cleaned
    assert not FORBIDDEN_IN_DRAFTS.search(normalize(text))


# Pieces an author's own text is made of, the troublesome ones included; mixed with any characters at all.
OWN_PIECES = ["{{ 7*191 }}", "{% if true %}", "{% endif %}", "{#", "#}", "。", "，", "；", "：", "！", "？", "“", "”",
              "1.", "2.5倍", "（一）", "一、", "学习不够深入", "存在以干代学的现象", "方面", "原因", "整改措施",
              "\u202e", "\u200b", "\x85", "\ue001", "::h1 ", "<w:p>", "&amp;", "\n", " ", "\t", "😀", "【待补充：",
              "】", ",", ";", "(", ")", "...", "……", "\\", "'", '"']
OWN_TEXT = st.lists(st.one_of(st.sampled_from(OWN_PIECES), st.text(ANY_CHAR, max_size=8)), min_size=1,
                    max_size=12).map("".join)
_SENTENCE_END_RE = re.compile("(?<=[。！？；])")


@settings(PROFILE, max_examples=EXAMPLES["normalize"])
@given(st.lists(st.one_of(st.sampled_from([*OWN_PIECES, "\u3000", "\u00a0", "…", ".", "!", "?"]),
                          st.text(ANY_CHAR, max_size=3)), max_size=20).map("".join))
def test_normalize_is_idempotent(text: str) -> None:
    """What a draft says normalises to itself, so a draft read back by ``import`` is regenerated as it reads."""
    from generator.text import normalize

    once = normalize(text)
    assert normalize(once) == once


def test_normalize_keeps_what_was_already_right() -> None:
    from generator.text import normalize

    assert normalize("他说……好") == "他说……好"  # once became "………"
    assert normalize("学,,习") == "学，，习"  # once "学，,习", and "学，，习" the second time
    assert normalize("（一）,\t要求") == "（一），要求"  # once kept the space the comma had touched


def _body(path: Path) -> list[str]:
    from generator.doctree import Heading, Paragraph
    from generator.ooxml.reader import read_docx

    return [b.text for b in read_docx(path).document.blocks if isinstance(b, Paragraph | Heading)]


@settings(PROFILE, max_examples=EXAMPLES["import"])
@given(problems=st.lists(OWN_TEXT, min_size=1, max_size=3), others=st.lists(OWN_TEXT, max_size=2))
def test_import_then_batch_keeps_every_sentence(tmp_path_factory: pytest.TempPathFactory, problems: list[str],
                                                others: list[str]) -> None:
    """batch → import → batch: every sentence of the first draft is in the second, unless ``import`` said
    how its item will read instead; without such notes the second draft is the first, paragraph for paragraph."""
    from generator.builder import Builder
    from generator.importer import import_docx, strip_number
    from generator.ooxml import write_docx
    from generator.spec import spec_from_text
    from generator.yamlio import dump_yaml

    own = f"  党性修养: [{', '.join(map(yaml_quote, problems))}]\n"
    if others:
        own += f"  联系服务群众: [{', '.join(map(yaml_quote, others))}]\n"
    try:
        spec = spec_from_text(f"preset: 组织生活会四个方面\ndate: 2026-01-20\nname: 张三\nproblems:\n{own}", "hyp.yaml")
    except InputError:
        return  # e.g. a problem of invisible characters only
    folder = tmp_path_factory.mktemp("roundtrip")
    first, second = folder / "first.docx", folder / "second.docx"
    write_docx(Builder(spec).document(0), first)
    imported = import_docx(first)
    write_docx(Builder(spec_from_text(dump_yaml(imported.data), "imported.yaml")).document(0), second)
    before, after = _body(first), _body(second)
    assert "1337" not in "".join(after)
    whole = "\n".join(after)
    for paragraph in before:
        item = strip_number(paragraph)
        if any(item[:12] in note for note in imported.notes):
            continue  # import said how this item will read (e.g. a quote mark with no partner is dropped)
        for sentence in _SENTENCE_END_RE.split(item):
            if any(ch.isalnum() for ch in sentence):  # not a lone "“。" left of a problem that was one quote mark
                assert sentence in whole, (sentence, imported.notes)
    if not imported.notes:
        assert after == before, [p for p in before if p not in after]


def count_examples() -> int:
    """Property-based examples at most (reported in the issue note)."""
    return sum(EXAMPLES.values())
