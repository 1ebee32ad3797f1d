"""Hostile values are text, never code: template syntax in a spec, escapes from a user's template, file names.

* Spec values with ``{{ }}`` / ``{% %}`` / markup appear literally in the .docx.
* A user's template folder (``batch --templates``) runs in Jinja2's sandbox with
  ``StrictUndefined``, bounded in time, memory and output (generator/sandbox.py):
  attribute escapes, file includes, runaway loops and requests for gigabytes end
  in a Chinese message and exit 2, and nothing they tried to do happens.
* File names built from names and patterns never leave ``--out``.
"""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from reliability_support import (
    FORBIDDEN_IN_DRAFTS,
    assert_clean_message,
    assert_complete_draft,
    assert_safe_file_name,
    changes,
    document_text,
    drafts,
    leftovers,
    run_cli,
    tree,
)

INJECT = "{{ 7*191 }}"  # 1337 must never appear
MARKUP = [INJECT, "{% if true %}是{% endif %}", "{# note #}", "{{ d.spec }}", "{%- raw %}", "<w:p>&amp;]]>"]


def _values(tag: str) -> str:
    return "；".join(f"{tag}{m}" for m in MARKUP)


def test_template_syntax_in_every_value_stays_literal(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"""
meeting: "会{INJECT}"
unit: "支部{{% if true %}}x{{% endif %}}"
date: 2026-01-20
preset: 组织生活会四个方面
sections:
  last_year: "上年{_values('甲')}"
  case_study: "案例{_values('乙')}"
people:
  - name: "张{INJECT}"
    role: "书记{{# c #}}"
    post: "主任{{{{ d }}}}"
    facts:
      理论学习: ["事例{_values('丙')}", "::h1 注入的标题"]
    problems:
      党性修养: ["问题{_values('丁')}"]
    causes: ["原因{_values('戊')}"]
    measures:
      宗旨意识: ["措施{_values('己')}"]
    wording:
      preamble: "开头{_values('庚')}"
      pledge: "结尾{_values('辛')}"
      measure_headings:
        担当作为: "小标题{INJECT}"
""".lstrip(), encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(["batch", spec, "--out", out], cwd=tmp_path)
    assert run.code == 0, run
    [path] = drafts(out)
    assert "{{ 7_191 }}" in path.name  # "*" is not allowed in file names
    paragraphs = assert_complete_draft(path)
    body = "\n".join(paragraphs)
    assert "1337" not in body
    for tag in "甲乙丙丁戊己庚辛":
        assert f"{tag}{INJECT}" in body, tag
    for marker in ("{% if true %}是{% endif %}", "{# note #}", "{{ d.spec }}", "{%- raw %}", "<w:p>&amp;]]>"):
        assert marker in body, marker
    assert f"张{INJECT}" in body and "小标题{{ 7*191 }}" in body
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]
    assert not [h for h in headings if "注入" in h], headings


CANARY = "pwned"

HOSTILE_TEMPLATES = {
    "mro-subclasses": ("::title {{ ''.__class__.__mro__[1].__subclasses__() }}", "不允许访问"),
    "cycler-globals-os": ("::title {{ cycler.__init__.__globals__.os.system('touch CANARY') }}", "不允许访问"),
    "joiner-globals": ("::title {{ joiner.__init__.__globals__ }}", "不允许访问"),
    "lipsum-globals": ("::title {{ lipsum.__globals__['os'].popen('touch CANARY').read() }}", "不允许访问"),
    "namespace-globals": ("::title {{ namespace.__init__.__globals__ }}", "不允许访问"),
    "draft-class": ("::title {{ d.spec.__class__.__init__.__globals__ }}", "不允许访问"),
    "reduce": ("::title {{ d.__reduce_ex__(2) }}", "不允许访问"),
    "attr-filter": ("::title {{ ''|attr('__class__') }}", "不允许访问"),
    "format-escape": ("::title {{ '{0.__class__.__init__.__globals__}'.format(d) }}", "不允许访问"),
    "private-context": ("::title {{ self._TemplateReference__context }}", "不允许访问"),
    "flask-config": ("::title {{ config.items() }}", "不存在的变量"),
    "undefined-name": ("::title {{ no_such_thing }}", "不存在的变量"),
    "undefined-attribute": ("::title {{ d.spec.password }}", "不存在的变量"),
    "include-absolute": ("::title {% include '/etc/passwd' %}", "找不到要引用的模板"),
    "include-parent": ("::title {% include '../../../../etc/passwd' %}", "找不到要引用的模板"),
    "extends-spec": ("{% extends '../spec.yaml' %}", "找不到要引用的模板"),
    "import-hosts": ("{% import '/etc/hosts' as h %}", "找不到要引用的模板"),
    "huge-range": ("{% for i in range(10**9) %}{% endfor %}", "运行出错"),
    "endless-recursion": ("{% macro f() %}{{ f() }}{% endmacro %}::title {{ f() }}", "无限递归"),
    "division-by-zero": ("::title x\n::p {{ 1/0 }}", "第 2 行"),
    "type-error": ("::title {{ 1 + d }}", "运行出错"),
    "syntax-error": ("::title {% if %}", "语法错误"),
    "unclosed-block": ("::title x\n{% for p in d.areas %}", "语法错误"),
    "not-markup": ("::title x\n正文没有标记", "不是有效的标记"),
    "no-title": ("::p 只有正文", "没有 ::title"),
    # asking for gigabytes: refused before the memory is taken (generator/sandbox.py)
    "str-times-huge": ("::title {{ 'a' * 10**10 }}", "运算结果过大"),
    "str-times-literal": ("::title {{ 'a' * 10000000000 }}", "运算结果过大"),
    "list-times-huge": ("::title {{ ([1] * 10**10)|length }}", "运算结果过大"),
    "heavy-list-times": ("::title {{ ['x' * 100000] * 1000 }}", "运算结果过大"),
    "huge-power": ("::title {{ 10**100000000 }}", "整数过大"),
    "squaring-loop": ("{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
                      "{% endfor %}::title {{ ns.x > 1 }}", "整数过大"),
    "tilde-doubling": ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                       "{% endfor %}::title {{ ns.s|length }}", "运算结果过大"),
    "plus-doubling": ("{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
                      "{% endfor %}::title {{ ns.s|length }}", "运算结果过大"),
    "nested-doubling": ("{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(60) %}"
                        "{% set ns.l = [ns.l, ns.l] %}{% endfor %}::title {{ ns.l }}", "运算结果过大"),
    "nested-doubling-filter": ("{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(60) %}"
                               "{% set ns.l = [ns.l, ns.l] %}{% endfor %}::title {{ ns.l|clauses }}", "运算结果过大"),
    "list-extend-itself": ("{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}::title x",
                           "不允许访问"),
    "center-method": ("::title {{ 'x'.center(10**10) }}", "宽度过大"),
    "center-filter": ("::title {{ 'x'|center(10000000000) }}", "宽度过大"),
    "zfill": ("::title {{ '1'.zfill(10**10) }}", "宽度过大"),
    "expandtabs": ("::title {{ ('\t' * 100000).expandtabs(100000) }}", "宽度过大"),
    "replace-empty": ("::title {{ ('x' * 100000).replace('', 'y' * 100000) }}", "运算结果过大"),
    "replace-filter": ("::title {{ ('x' * 100000)|replace('', 'y' * 100000) }}", "运算结果过大"),
    "format-width": ("::title {{ '{:>10000000000}'.format(1) }}", "格式宽度过大"),
    "format-nested-width": ("::title {{ '{:>{w}}'.format(1, w=10**10) }}", "格式宽度过大"),
    "percent-width": ("::title {{ '%10000000000d' % 1 }}", "格式宽度过大"),
    "percent-star": ("::title {{ '%*d' % (10**10, 1) }}", "格式宽度过大"),
    "format-filter": ("::title {{ '%10000000000d'|format(1) }}", "格式宽度过大"),
    "join-method": ("::title {{ ('y' * 1000000).join(['x'] * 100000) }}", "运算结果过大"),
    "join-filter": ("::title {{ (['x' * 1000] * 1000)|join }}", "运算结果过大"),
    "translate": ("::title {{ ('a' * 100000).translate({97: 'b' * 100000}) }}", "运算结果过大"),
    "indent": ("::title x\n::p {{ ('a\n' * 100000)|indent(100000) }}", "运算结果过大"),
    "wordwrap": ("::title x\n::p {{ ('a' * 1000000)|wordwrap(1, true, 'y' * 100000) }}", "运算结果过大"),
    "batch-fill": ("::title {{ ([1]|batch(10**10, 'x'))|list|length }}", "分组大小过大"),
    "slice": ("::title {{ ([1]|slice(10**10))|list|length }}", "分组数过大"),
    "lipsum": ("::title {{ lipsum(10**7) }}", "占位文字过大"),
    "tojson-indent": ("::title {{ [[[1]]]|tojson(10**9) }}", "缩进过大"),
    "nested-ranges": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}::title x",
                      "循环次数过多"),
    "output-flood": ("::title x\n{% for i in range(100000) %}::p {{ 'x' * 1000 }}\n{% endfor %}", "内容过多"),
    "macro-doubling": ("{% macro f(n) %}{{ f(n ~ n) }}{% endmacro %}::title {{ f('x') }}", "运算结果过大"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEMPLATES))
def test_user_templates_run_in_the_sandbox(name: str, tmp_path: Path) -> None:
    body, words = HOSTILE_TEMPLATES[name]
    canary = tmp_path / CANARY
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "personal.j2").write_text(body.replace("CANARY", str(canary)) + "\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text("name: 张三\n", encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "--templates", templates],
                  cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["personal.j2", words, "没有写入任何初稿"])
    assert not canary.exists()
    assert not (tmp_path / "out").exists()  # the first draft is rendered before the folder is made


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_template_failing_for_a_later_member_stops_there_and_says_so(jobs: str, tmp_path: Path) -> None:
    """The drafts before it stay and are listed; the message names the member and the count; a rerun finishes."""
    from generator.resources import templates_dir

    shipped = (templates_dir() / "personal.j2").read_text(encoding="utf-8")
    templates = tmp_path / "tpl"
    templates.mkdir()
    broken = "{% if d.person.name == '党员06' %}::p {{ d.person.nickname }}\n{% endif %}"
    (templates / "personal.j2").write_text(shipped + broken + "\n", encoding="utf-8")
    people = "".join(f"  - name: 党员{i:02d}\n" for i in range(1, 13))
    (tmp_path / "spec.yaml").write_text(f"date: 2026-01-20\npreset: 通用\npeople:\n{people}", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["batch", tmp_path / "spec.yaml", "--out", out, "--templates", templates, "-j", jobs]
    run = run_cli(argv, cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["第 6 份初稿（党员06）", "personal.j2", "不存在的变量", "--skip-existing"])
    written = drafts(out)
    assert sorted(Path(line).name for line in run.out.splitlines()) == [p.name for p in written]
    assert f"已写入 {len(written)} 份初稿" in run.err and f"其余 {12 - len(written)} 份" in run.err
    assert 5 <= len(written) < 12 and not any("党员06" in p.name for p in written)
    assert not leftovers(out)
    for path in written:
        assert_complete_draft(path, reopen=False)
    (templates / "personal.j2").write_text(shipped, encoding="utf-8")  # the fix, then the rest
    rerun = run_cli([*argv, "--skip-existing"], cwd=tmp_path)
    assert rerun.code == 0, rerun
    assert len(drafts(out)) == 12 and f"跳过已存在的 {len(written)} 份" in rerun.err


def _user_template(tmp_path: Path, body: str) -> list[str | Path]:
    templates = tmp_path / "tpl"
    templates.mkdir(exist_ok=True)
    (templates / "personal.j2").write_text(body + "\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text("name: 张三\n", encoding="utf-8")
    return ["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "--templates", templates]


def test_a_template_that_only_loops_is_stopped_by_the_deadline(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Iterating a long string inside itself takes no memory, only time: the deadline ends it."""
    from generator import sandbox

    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.5)
    argv = _user_template(tmp_path, "{% set s = 'x' * 1000000 %}{% for a in s %}{% for b in s %}{% endfor %}"
                                    "{% endfor %}::title x")
    run = run_cli(argv, cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["personal.j2", "超过 0.5 秒", "没有写入任何初稿"])
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory budget is set on Linux")
def test_what_escapes_the_checks_meets_the_memory_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the size checks lifted, a 10 GB string is still only a message: the address-space budget."""
    import resource

    from generator import sandbox

    monkeypatch.setattr(sandbox, "MAX_VALUE", 10**12)
    before = resource.getrlimit(resource.RLIMIT_AS)
    run = run_cli(_user_template(tmp_path, "::title {{ ('a' * 10**10)|length }}"), cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["personal.j2", "用尽了内存"])
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # given back after the rendering


def test_our_own_templates_keep_the_stock_sandbox() -> None:
    """The bounds are for a user's folder; our templates render as before (the drafts are pinned elsewhere)."""
    from generator.render import environment
    from generator.sandbox import LimitedSandbox

    assert not isinstance(environment(None), LimitedSandbox)
    assert isinstance(environment(Path("/nonexistent-user-folder")), LimitedSandbox)
    assert environment(None).bytecode_cache.directory != environment(Path("/x")).bytecode_cache.directory


def test_user_template_not_utf8(tmp_path: Path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "personal.j2").write_bytes("::title 标题\n".encode("gbk"))
    (tmp_path / "spec.yaml").write_text("name: 张三\n", encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "--templates", templates],
                  cwd=tmp_path)
    assert run.code == 2
    assert_clean_message(run, words=["personal.j2", "不是 UTF-8"])


def test_a_benign_user_template_is_used(tmp_path: Path) -> None:
    """The control: the same folder mechanism with a harmless template really renders it."""
    from generator.resources import templates_dir

    templates = tmp_path / "tpl"
    templates.mkdir()
    text = (templates_dir() / "personal.j2").read_text(encoding="utf-8")
    (templates / "personal.j2").write_text(text.replace("::p {{ d.wording.pledge }}",
                                                        "::p 本支部自定义的结尾。\n::p {{ d.wording.pledge }}"),
                                           encoding="utf-8")
    (tmp_path / "spec.yaml").write_text("name: 张三\ndate: 2026-01-20\n", encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "--templates", templates],
                  cwd=tmp_path)
    assert run.code == 0, run
    assert "本支部自定义的结尾。" in assert_complete_draft(drafts(tmp_path / "out")[0])


# --------------------------------------------------------------------------- file names

HOSTILE_NAMES = [
    "../../逃逸", "..", "...", "/etc/passwd", "..\\..\\windows", "C:\\Windows\\x", "C:", "D:逃逸", "\\\\server\\share",
    "CON", "nul", "Com1", "COM¹", "conin$", "LPT9.txt", "aux.docx", "PRN.", "con .txt",
    ".隐藏", ".", " . ", "a/b", "<>:|?*",
    "名字\t制表", "\u202e逃逸cod.exe", "~", "$HOME", "%APPDATA%", "`id`", "$(touch x)", "张三\u200b",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_file_names_from_names_stay_inside_out(name: str, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    spec = tmp_path / "spec.yaml"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    spec.write_text(f'name: "{quoted}"\noutput: "{{name}}.docx"\n', encoding="utf-8")
    before = tree(tmp_path)
    run = run_cli(["batch", spec, "--out", out], cwd=tmp_path)
    if run.code == 2:  # a name that cleans to nothing is refused, which is fine
        assert_clean_message(run, words=["name"])
        assert not changes(before, tree(tmp_path))
        return
    assert run.code == 0, run
    created = changes(before, tree(tmp_path))
    assert all(p == "deep" or p.startswith("deep/out") for p in created), created
    [path] = drafts(out)
    assert not leftovers(out)
    assert_safe_file_name(path.name)
    assert_complete_draft(path)


def test_long_names_are_cut_and_collisions_refused(tmp_path: Path) -> None:
    unit, meeting = "第" * 60, "会" * 60
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"unit: {unit}\nmeeting: {meeting}\noutput: '{{unit}}{{meeting}}{{name}}.docx'\n"
                    "people:\n  - name: 张三\n", encoding="utf-8")
    run = run_cli(["batch", spec, "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 0, run
    [path] = drafts(tmp_path / "out")
    assert_safe_file_name(path.name)
    assert len(path.name.encode()) <= 205  # the stem is cut to 200 bytes
    # two people whose names differ only after the cut would get one file: refused, nothing written
    spec.write_text(f"unit: {unit}\nmeeting: {meeting}\noutput: '{{unit}}{{meeting}}{{name}}.docx'\n"
                    "people:\n  - name: 张三\n  - name: 李四\n", encoding="utf-8")
    before = tree(tmp_path)
    run = run_cli(["batch", spec, "--out", tmp_path / "out2"], cwd=tmp_path)
    assert run.code == 2 and "文件名相同" in run.err, run
    assert not changes(before, tree(tmp_path))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_in_out_is_never_followed(tmp_path: Path) -> None:
    """A link planted under a draft's name must not make draftgen write through it."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: 张三\ndate: 2026-01-20\noutput: '{name}.docx'\n", encoding="utf-8")
    link = out / "张三.docx"
    link.symlink_to(victim)
    refused = run_cli(["batch", spec, "--out", out], cwd=tmp_path)
    assert refused.code == 2 and "已有 张三.docx" in refused.err, refused
    forced = run_cli(["batch", spec, "--out", out, "--force"], cwd=tmp_path)
    assert forced.code == 0, forced
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink()
    assert_complete_draft(link)
    dangling = out / "李四.docx"
    spec.write_text("name: 李四\noutput: '{name}.docx'\n", encoding="utf-8")
    dangling.symlink_to(tmp_path / "created-through-link.docx")
    run = run_cli(["batch", spec, "--out", out], cwd=tmp_path)
    assert run.code == 2 and "已存在" in run.err, run
    assert not (tmp_path / "created-through-link.docx").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


# --------------------------------------------------------------------------- through import

# What an author may type or paste into a draft in Word: template syntax, line markup, XML, and the
# invisible or private characters a web page carries (C1 controls are legal in XML 1.0, so a .docx holds them).
IMPORTED = {
    "jinja-expression": INJECT,
    "jinja-statement": "{% if true %}是{% endif %}",
    "jinja-comment": "{# 注释 #}",
    "jinja-raw": "{%- raw %}{{ d.spec }}",
    "markup-directive": "::h1 注入的标题",
    "xml": "<w:p>&amp;]]>",
    "bidi": "\u202e反向\u202c\u2066隔离\u2069",
    "zero-width": "零\u200b宽\ufeff字",
    "c1-controls": "甲\x85乙\x9f丙",
    "private-use": "\ue001假标题\ue002",
    "emoji": "学习😀到位",
    "placeholder-lookalike": "【待补充：假的】",
    "line-separator": "甲\u2028乙",
}


def test_hostile_text_typed_into_a_draft_survives_import_as_text(tmp_path: Path) -> None:
    """Word text → ``import`` → spec → ``batch``: every value comes back as text, cleaned the way any draft is."""
    from generator.render import PLACEHOLDER_RE
    from generator.text import normalize

    (tmp_path / "spec.yaml").write_text("name: 张明\ndate: 2026-01-20\npreset: 组织生活会四个方面\n", encoding="utf-8")
    assert run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "-j", "1"], cwd=tmp_path).code == 0
    [draft] = drafts(tmp_path / "out")
    document = docx.Document(str(draft))
    # Body paragraphs of every kind: the preamble, problems, cause bodies, measures and the pledge.
    body = [p for p in document.paragraphs if p.style.name == "Normal" and len(p.text) > 30]
    assert len(body) >= len(IMPORTED)
    typed = {}
    for (kind, value), para in zip(sorted(IMPORTED.items()), body[:: max(1, len(body) // len(IMPORTED))],
                                   strict=False):
        run = next(r for r in reversed(para.runs) if r.text and not PLACEHOLDER_RE.search(r.text))
        run.text += f"我补充{value}完毕。"
        typed[kind] = f"我补充{value}完毕。"
    assert len(typed) == len(IMPORTED)
    document.save(str(draft))

    spec = tmp_path / "imported.yaml"
    run = run_cli(["import", draft, "-o", spec], cwd=tmp_path)
    assert run.code == 0, run
    again = run_cli(["batch", spec, "--out", tmp_path / "again", "-j", "1"], cwd=tmp_path)
    assert again.code == 0, again
    [regenerated] = drafts(tmp_path / "again")
    assert_complete_draft(regenerated)
    text = document_text(regenerated)
    assert "1337" not in text and not FORBIDDEN_IN_DRAFTS.search(text)
    for kind, sentence in typed.items():  # as any text in a paragraph: cleaned, one line, Chinese punctuation
        expected = normalize(normalize(sentence).replace("\n", " "))
        assert expected in text, (kind, expected)
    for literal in (INJECT, "{% if true %}是{% endif %}", "{%- raw %}{{ d.spec }}", "<w:p>&amp;]]>"):
        assert literal in text, literal
    headings = [p.text for p in docx.Document(str(regenerated)).paragraphs if p.style.name.startswith("Heading")]
    assert not [h for h in headings if "注入" in h], headings


def count_values() -> int:
    """Hostile values this module tries (reported in the issue note)."""
    return len(MARKUP) * 8 + len(HOSTILE_TEMPLATES) + len(HOSTILE_NAMES) + 4 + len(IMPORTED)
