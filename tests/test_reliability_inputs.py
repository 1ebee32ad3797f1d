"""Bad input to every command: exit 2, a short Chinese message naming file, line and field, nothing written.

Each row of a table is one bad input; :func:`reliability_support.check_case`
runs it and checks exit status, message, stderr size and the disk.  To cover a
new command, add its rows to ``CASES`` (and its name is picked up by the
``--help``/``--version`` test from ``generator.cli.COMMANDS`` by itself).

The wizard reads the same specs as batch: every spec row is also a ``wizard
--answers`` row, run with a terminal that has no keys, so its refusal must come
before the first question (a prompt would end the run with 130 instead of 2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from reliability_support import (
    MAX_STDERR,
    Case,
    assert_clean_message,
    changes,
    check_case,
    damaged_docx,
    good_docx,
    run_cli,
    run_process,
    tree,
)

from generator.cli import COMMANDS

MB = 1024 * 1024
HUGE = "x" * MB  # a value pasted by mistake: 1 MB, must not come back in the message

BATCH = ("batch", "{d}/spec.yaml", "--out", "{d}/out")


def _spec(text: str, **more: bytes | str | None) -> dict[str, bytes | str | None]:
    return {"spec.yaml": text, **more}


def _spec_case(id: str, text: str | bytes, *says: str, code: int = 2, process: bool = False) -> Case:
    return Case(id, BATCH, {"spec.yaml": text}, says=("spec.yaml", *says), code=code, process=process)


def _root() -> str | None:
    return "root ignores file permissions" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _no_proc_mem() -> str | None:
    return None if Path("/proc/self/mem").exists() else "needs /proc/self/mem (Linux)"


ALIAS_BOMB = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)

SPEC_CASES = [
    # syntax
    _spec_case("syntax-unclosed-list", "name: 张三\nfacts: [理论学习\n", "YAML 语法错误", "第 3 行"),
    _spec_case("syntax-unclosed-quote", 'name: "张三\n', "YAML 语法错误", "引号"),
    _spec_case("syntax-tab-indent", "people:\n\t- name: 张三\n", "第 2 行", "Tab"),
    _spec_case("syntax-colon", "name: 张三: 李四\n", "第 1 行", "冒号"),
    _spec_case("syntax-two-documents", "name: 张三\n---\nname: 李四\n", "多个文档"),
    _spec_case("duplicate-key", "name: 张三\nunit: 甲\nunit: 乙\n", "第 3 行", "“unit”重复", "第一次在第 2 行"),
    # shape
    _spec_case("top-level-list", "- name: 张三\n", "第 1 行", "映射", "列表"),
    _spec_case("top-level-text", "张三\n", "映射", "一段文字"),
    _spec_case("empty-file", "", "是空的"),
    _spec_case("only-comments", "# 配置\n\n", "是空的"),
    _spec_case("unknown-key", "name: 张三\ntemplte: personal\n", "第 2 行", "字段 templte", "是不是“template”"),
    _spec_case("unknown-person-key", "people:\n  - name: 张三\n    rol: 委员\n", "第 3 行", "字段 people[0].rol",
               "是不是“role”"),
    _spec_case("unknown-section", "name: 张三\nsections:\n  lastyear: 文字\n", "第 3 行", "sections.lastyear"),
    _spec_case("wrong-type-int", "name: 张三\nproblems_per_area: [2]\n", "第 2 行", "字段 problems_per_area", "列表"),
    _spec_case("wrong-type-text", "name: {姓: 张}\n", "第 1 行", "字段 name", "不能是多个字段"),
    _spec_case("wrong-type-people", "people: 张三\n", "第 1 行", "字段 people", "列表"),
    _spec_case("wrong-type-facts", "name: 张三\nfacts: 全年只学习了三次\n", "第 2 行", "字段 facts", "按方面"),
    _spec_case("wrong-type-sections", "name: 张三\nsections: 文字\n", "字段 sections", "映射"),
    _spec_case("out-of-range", "name: 张三\nproblems_per_area: 9\n", "第 2 行", "1 到 5"),
    _spec_case("not-a-number", "name: 张三\nseed: 三\n", "第 2 行", "字段 seed", "不是整数"),
    _spec_case("length", "name: 张三\nlength: 很长\n", "字段 length", "800 到 20000"),
    _spec_case("placeholders", "name: 张三\nplaceholders: 也许\n", "字段 placeholders", "true 或 false"),
    # unknown ids
    _spec_case("unknown-template", "name: 张三\ntemplate: 心得体会\n", "第 2 行", "字段 template", "可选"),
    _spec_case("unknown-preset", "name: 张三\npreset: 组织生活会4个方面\n", "字段 preset",
               "是不是“组织生活会四个方面”"),
    _spec_case("unknown-dimension", "name: 张三\ndimensions: [理论学习, 宗旨]\n", "字段 dimensions[1]",
               "是不是“宗旨意识”"),
    _spec_case("repeated-dimension", "name: 张三\ndimensions: [理论学习, 理论学习]\n", "dimensions[1]", "重复"),
    _spec_case("preset-and-dimensions", "name: 张三\npreset: 通用\ndimensions: [理论学习]\n", "只能给出其中一个"),
    _spec_case("unknown-wording", "name: 张三\nwording:\n  pledge2: 文字\n", "字段 wording.pledge2", "pledge"),
    # dates
    _spec_case("date-feb-30", "name: 张三\ndate: 2025-02-30\n", "第 2 行", "字段 date", "2025年2月没有30日"),
    _spec_case("date-month-13", "name: 张三\ndate: 2025-13-01\n", "字段 date", "月份 13 不存在"),
    _spec_case("date-words", "name: 张三\ndate: 明天\n", "字段 date", "不是日期"),
    _spec_case("date-year", "name: 张三\ndate: 1899-01-01\n", "字段 date", "年份不合理"),
    _spec_case("date-time", "name: 张三\ndate: 2026-01-20T10:00:00\n", "字段 date", "不是日期"),
    # people
    _spec_case("people-empty", "people: []\n", "字段 people", "空"),
    _spec_case("people-none", "unit: 机关第一党支部\n", "缺少党员信息"),
    _spec_case("person-without-name", "people:\n  - role: 党员\n", "第 2 行", "people[0].name", "不能为空"),
    _spec_case("person-invisible-name", 'people:\n  - name: "\\u200b\\u200d"\n', "people[0].name", "不能为空"),
    _spec_case("person-not-mapping", "people:\n  - 张三\n", "第 2 行", "people[0]", "映射"),
    _spec_case("people-duplicate", "people:\n  - name: 张三\n  - name: 李四\n  - name: 张三\n", "第 4 行",
               "people[2].name", "与 people[0] 重复"),
    _spec_case("people-and-top-level", "name: 张三\npeople:\n  - name: 李四\n", "不要再在顶层写 name"),
    _spec_case("name-two-lines", 'name: "张\\n三"\n', "字段 name", "只能写一行"),
    _spec_case("name-line-separator", 'name: "张\\u2028三"\n', "字段 name", "只能写一行"),
    _spec_case("name-too-long", "name: " + "张" * 21 + "\n", "字段 name", "最多 20 字"),
    # facts and problems for areas the draft does not have
    _spec_case("facts-unknown-area", "name: 张三\nfacts:\n  不存在的方面: 事例\n", "第 3 行",
               "facts.不存在的方面", "没有“不存在的方面”这个方面"),
    _spec_case("facts-dimension-not-in-preset", "name: 张三\npreset: 组织生活会四个方面\nfacts:\n  纪律规矩: 事例\n",
               "第 4 行", "facts.纪律规矩", "没有“纪律规矩”这个方面"),
    _spec_case("problems-unknown-area", "name: 张三\ndimensions: [理论学习]\nproblems:\n  工作作风: [问题]\n",
               "problems.工作作风", "可选：理论学习"),
    _spec_case("measure-heading-unknown-area", "name: 张三\nwording:\n  measure_headings:\n    作风: 改进\n",
               "measure_headings.作风"),
    _spec_case("measure-heading-list", "name: 张三\nwording:\n  measure_headings:\n    理论学习: [改进]\n",
               "wording.measure_headings.理论学习", "不能是列表"),
    # output file name patterns that try to leave --out
    _spec_case("output-parent", "name: 张三\noutput: ../{name}.docx\n", "字段 output", "不能包含路径"),
    _spec_case("output-absolute", "name: 张三\noutput: /etc/{name}.docx\n", "字段 output", "不能包含路径"),
    _spec_case("output-backslash", "name: 张三\noutput: '..\\{name}.docx'\n", "字段 output", "不能包含路径"),
    _spec_case("output-hidden", "name: 张三\noutput: .{name}.docx\n", "字段 output", "以“.”开头"),
    _spec_case("output-unknown-field", 'name: 张三\noutput: "{nam}.docx"\n', "字段 output", "{nam}"),
    _spec_case("output-braces", 'name: 张三\noutput: "{name.docx"\n', "字段 output", "花括号"),
    _spec_case("output-list", "name: 张三\noutput: [a]\n", "字段 output", "列表"),
    Case("output-same-name", BATCH, _spec("output: '{unit}.docx'\npeople:\n  - name: 甲\n  - name: 乙\n"),
         says=("“甲”和“乙”的文件名相同", "output")),
    Case("output-same-after-cleaning", BATCH, _spec("people:\n  - name: 张/三\n  - name: 张_三\n"),
         says=("“张/三”和“张_三”的文件名相同",)),
    # YAML features that could run code or blow up
    _spec_case("python-tag", "name: 张三\nunit: !!python/object/apply:os.system ['touch {d}/pwned']\n",
               "第 2 行", "字段 unit", "不支持的 YAML 标签"),
    _spec_case("python-name-tag", "name: !!python/name:os.system\n", "不支持的 YAML 标签"),
    _spec_case("binary-tag", "name: 张三\nunit: !!binary aGVsbG8=\n", "字段 unit", "不支持的 YAML 标签"),
    _spec_case("set-tag", "name: 张三\nunit: !!set {a, b}\n", "不支持的 YAML 标签"),
    _spec_case("custom-tag", "name: !mine 张三\n", "第 1 行", "不支持的 YAML 标签 !mine"),
    _spec_case("custom-tag-chinese", "name: !姓名 张三\n", "YAML 语法错误", "标签"),
    _spec_case("merge-key", "base: &b {role: 党员}\npeople:\n  - <<: *b\n    name: 张三\n", "合并键"),
    _spec_case("alias-self", "a: &a [*a]\n", "第 1 行", "循环引用"),
    _spec_case("alias-bomb", ALIAS_BOMB, "别名"),
    _spec_case("deep-nesting", "name: 张三\nunit: " + "[" * 100_000 + "]" * 100_000 + "\n", "嵌套层次过深",
               process=True),  # libyaml's composer once crashed the interpreter here
    _spec_case("too-many-values", "name: 张三\nx: [" + "1," * 250_000 + "1]\n", "内容过多"),
    _spec_case("too-big", "name: 张三\n# " + "x" * 6 * MB + "\n", "太大"),
    # characters a file should not hold
    _spec_case("not-utf8-gbk", "name: 张三\n".encode("gbk"), "不是 UTF-8", "第 1 行"),
    _spec_case("not-utf8-utf16", "name: 张三\n".encode("utf-16"), "不是 UTF-8"),
    _spec_case("not-utf8-second-line", b"name: \xe5\xbc\xa0\nunit: \xff\n", "不是 UTF-8", "第 2 行"),
    _spec_case("control-character", "name: 张三\nunit: 机关\x01支部\n", "第 2 行", "第 9 列", "U+0001"),
    _spec_case("nul-byte", b"name: \xe5\xbc\xa0\x00\n", "第 1 行", "U+0000"),
    # a 1 MB value, key or path in every place that can echo it back
    _spec_case("huge-value", f"name: 张三\nunit: {HUGE}\n", "字段 unit", "最多 60 字"),
    _spec_case("huge-key", f'name: 张三\n? "{HUGE}"\n: 1\n', "未知字段"),
    _spec_case("huge-facts-key", f'name: 张三\nfacts:\n  ? "{HUGE}"\n  : 事例\n', "这个方面"),
    _spec_case("huge-wording-key", f'name: 张三\nwording:\n  ? "{HUGE}"\n  : 文字\n', "未知的名称"),
    _spec_case("huge-template", f"name: 张三\ntemplate: {HUGE}\n", "字段 template"),
    _spec_case("huge-dimension", f"name: 张三\ndimensions: [{HUGE}]\n", "dimensions[0]"),
    _spec_case("huge-output", f'name: 张三\noutput: "{{{HUGE}}}.docx"\n', "字段 output"),
    _spec_case("huge-date", f"name: 张三\ndate: {HUGE}\n", "字段 date"),
    _spec_case("huge-name-duplicate", "people:\n" + f"  - name: {'张' * 20}\n" * 2, "重复"),
]

FILE_CASES = [
    Case("spec-missing", ("batch", "{d}/nope.yaml", "--out", "{d}/out"), says=("找不到配置文件", "nope.yaml")),
    Case("spec-is-a-docx", ("batch", "{d}/张三.docx", "--out", "{d}/out"), {"张三.docx": good_docx()},
         says=("张三.docx", "draftgen import")),
    Case("spec-is-folder", ("batch", "{d}/specs", "--out", "{d}/out"), {"specs": None}, says=("是一个文件夹",)),
    Case("spec-under-a-file", ("batch", "{d}/spec.yaml/x.yaml", "--out", "{d}/out"), _spec("name: 张三\n"),
         says=("找不到配置文件",)),
    Case("spec-path-too-long", ("batch", "{d}/" + "长" * 3000 + ".yaml", "--out", "{d}/out"),
         says=("文件名或路径太长",)),
    Case("spec-unreadable-proc", ("batch", "/proc/self/mem", "--out", "{d}/out"), says=("无法读取配置文件",),
         needs=_no_proc_mem),
    Case("spec-unreadable-chmod", ("batch", "{d}/locked/spec.yaml", "--out", "{d}/out"),
         {"locked/spec.yaml": "name: 张三\n"}, says=("没有权限",), needs=_root,
         prepare=lambda d: (d / "locked" / "spec.yaml").chmod(0)),
    Case("out-is-a-file", ("batch", "{d}/spec.yaml", "--out", "{d}/spec.yaml"), _spec("name: 张三\n"),
         says=("不是文件夹",)),
    Case("out-under-a-file", ("batch", "{d}/spec.yaml", "--out", "{d}/spec.yaml/out"), _spec("name: 张三\n"),
         says=("spec.yaml/out",)),
    Case("out-path-too-long", ("batch", "{d}/spec.yaml", "--out", "{d}/" + "长" * 3000), _spec("name: 张三\n"),
         says=("太长",)),
    Case("out-in-proc", ("batch", "{d}/spec.yaml", "--out", "/proc/draftgen-out"), _spec("name: 张三\n"),
         says=("/proc/draftgen-out",), needs=_no_proc_mem),
    Case("presets-missing", ("batch", "{d}/spec.yaml", "--presets", "{d}/nope"), _spec("name: 张三\n"),
         says=("找不到预设文件夹",)),
    Case("templates-missing", ("batch", "{d}/spec.yaml", "--templates", "{d}/nope"), _spec("name: 张三\n"),
         says=("找不到模板文件夹",)),
    Case("templates-is-file", ("batch", "{d}/spec.yaml", "--templates", "{d}/spec.yaml"), _spec("name: 张三\n"),
         says=("找不到模板文件夹",)),
]

USAGE_CASES = [
    Case("no-command", (), says=("用法：",)),
    Case("unknown-command", ("nonsense",), says=("无效的选项",)),
    Case("batch-no-spec", ("batch",), says=("缺少必需的参数",)),
    Case("batch-unknown-option", ("batch", "x.yaml", "--fast"), says=("无法识别的参数",)),
    Case("batch-jobs-zero", ("batch", "x.yaml", "--jobs", "0"), says=("--jobs",)),
    Case("batch-jobs-text", ("batch", "x.yaml", "--jobs", "四"), says=("--jobs",)),
    Case("batch-seed-negative", ("batch", "x.yaml", "--seed", "-1"), says=("--seed",)),
    Case("batch-force-and-skip", ("batch", "x.yaml", "--force", "--skip-existing"), says=("不能同时使用",)),
    Case("phrases-unknown-kind", ("phrases", "--kind", "建议"), says=("未知类型",)),
    Case("phrases-unknown-dimension", ("phrases", "--dimension", "学习"), says=("未知方面", "理论学习")),
    Case("phrases-huge-kind", ("phrases", "--kind", HUGE), says=("未知类型",)),
    Case("phrases-huge-dimension", ("phrases", "--dimension", HUGE), says=("未知方面",)),
]

PRESET = "id: 我的预设\nareas:\n  - {heading: 学习, dimensions: [理论学习]}\n"
PRESETS = ("presets", "--presets", "{d}/p")

PRESET_CASES = [
    Case("presets-folder-missing", ("presets", "--presets", "{d}/nope"), says=("找不到预设文件夹",)),
    Case("presets-folder-is-file", ("presets", "--presets", "{d}/p.yaml"), {"p.yaml": PRESET},
         says=("找不到预设文件夹",)),
    Case("preset-syntax", PRESETS, {"p/a.yaml": "id: [x\n"}, says=("a.yaml", "YAML 语法错误")),
    Case("preset-list", PRESETS, {"p/a.yaml": "- 理论学习\n"}, says=("a.yaml", "第 1 行", "映射")),
    Case("preset-empty", PRESETS, {"p/a.yaml": ""}, says=("a.yaml", "是空的")),
    Case("preset-no-id", PRESETS, {"p/a.yaml": "areas:\n  - {heading: 学习, dimensions: [理论学习]}\n"},
         says=("a.yaml", "缺少预设名称 id")),
    Case("preset-unknown-key", PRESETS, {"p/a.yaml": PRESET + "area: x\n"}, says=("第 4 行", "未知字段“area”")),
    Case("preset-unknown-dimension", PRESETS, {"p/a.yaml": "id: x\nareas:\n  - {heading: h, dimensions: [学习]}\n"},
         says=("第 3 行", "areas[0].dimensions[0]", "未知维度“学习”")),
    Case("preset-nested-dimension", PRESETS,
         {"p/a.yaml": "id: x\nareas:\n  - {heading: h, dimensions: [[理论学习]]}\n"}, says=("未知维度",)),
    Case("preset-empty-heading", PRESETS, {"p/a.yaml": "id: x\nareas:\n  - {heading: '', dimensions: [理论学习]}\n"},
         says=("areas[0].heading", "不能为空")),
    Case("preset-repeated-heading", PRESETS,
         {"p/a.yaml": "id: x\nareas:\n  - {heading: h, dimensions: [理论学习]}\n"
                      "  - {heading: h, dimensions: [党性修养]}\n"},
         says=("areas[1].heading", "重复")),
    Case("preset-areas-not-list", PRESETS, {"p/a.yaml": "id: x\nareas: 理论学习\n"}, says=("areas 应为非空列表",)),
    Case("preset-not-utf8", PRESETS, {"p/a.yaml": PRESET.encode("gbk")}, says=("a.yaml", "不是 UTF-8")),
    Case("preset-python-tag", PRESETS, {"p/a.yaml": "id: !!python/object/apply:os.getcwd []\n"},
         says=("不支持的 YAML 标签",)),
    Case("preset-alias-bomb", PRESETS, {"p/a.yaml": ALIAS_BOMB}, says=("别名",)),
    Case("preset-file-is-folder", PRESETS, {"p/a.yaml": None}, says=("是一个文件夹",)),
    Case("preset-huge-dimension", PRESETS, {"p/a.yaml": f"id: x\nareas:\n  - {{heading: h, dimensions: [{HUGE}]}}\n"},
         says=("未知维度",)),
]

SEED = "一、存在的问题\n（一）理论学习方面\n理论学习不够深入，存在以干代学的现象。\n"
MINE = ("mine", "{d}/src", "--out", "{d}/bank")

MINE_CASES = [
    Case("mine-missing", ("mine", "{d}/nope", "--out", "{d}/bank"), says=("找不到",)),
    Case("mine-empty-folder", MINE, {"src": None}, says=("没有找到可以读取的范文",)),
    Case("mine-no-usable-files", MINE, {"src/a.pdf": b"%PDF", "src/.hidden.txt": SEED, "src/~$lock.docx": b"x"},
         says=("没有找到可以读取的范文",)),
    Case("mine-old-doc", ("mine", "{d}/a.doc", "--out", "{d}/bank"), {"a.doc": b"\xd0\xcf\x11\xe0"},
         says=("旧版 Word",)),
    Case("mine-pdf", ("mine", "{d}/a.pdf", "--out", "{d}/bank"), {"a.pdf": b"%PDF-1.4"}, says=("不是 .txt 或 .docx",)),
    Case("mine-not-utf8", MINE, {"src/a.txt": SEED.encode("gbk")}, says=("a.txt", "不是 UTF-8", "第 1 行")),
    Case("mine-utf16", MINE, {"src/a.txt": SEED.encode("utf-16")}, says=("a.txt", "不是 UTF-8")),
    Case("mine-binary-txt", MINE, {"src/a.txt": bytes(range(256)) * 4}, says=("a.txt", "不是 UTF-8")),
    Case("mine-docx-not-zip", MINE, {"src/a.docx": "不是 Word 文件"}, says=("a.docx", "无法读取 Word 文件")),
    Case("mine-one-bad-among-good", MINE, {"src/a.txt": SEED, "src/b.docx": b"PK\x03\x04broken"},
         says=("b.docx",)),
    Case("mine-out-under-a-file", ("mine", "{d}/a.txt", "--out", "{d}/a.txt/bank"), {"a.txt": SEED},
         says=("无法在", "路径中有一项不是文件夹")),
    Case("mine-bad-corrections", MINE, {"src/a.txt": SEED, "bank/corrections.yaml": "rewritten: [文字]\n"},
         says=("corrections.yaml", "第 1 行", "字段 rewritten", "映射")),
    Case("mine-bad-cues", MINE, {"src/a.txt": SEED, "bank/cues.yaml": "kinds:\n  problem: {不够: 很多}\n"},
         says=("cues.yaml", "第 2 行", "kinds.problem.不够", "不是数字")),
    Case("mine-path-too-long", ("mine", "{d}/" + "长" * 3000, "--out", "{d}/bank"), says=("太长",)),
]

CLASSIFY_CASES = [
    Case("classify-binary", ("classify",), stdin=bytes(range(256)) * 16, says=("标准输入不是 UTF-8",)),
    Case("classify-gbk", ("classify",), stdin="理论学习不够深入。\n".encode("gbk"),
         says=("标准输入不是 UTF-8", "第 1 行")),
    Case("classify-utf16", ("classify",), stdin="理论学习不够深入。\n".encode("utf-16"), says=("标准输入不是 UTF-8",)),
    Case("classify-bad-third-line", ("classify",), stdin="甲。\n乙。\n".encode() + b"\xff\n",
         says=("第 3 行",)),
]

BANK = ("phrases", "--bank", "{d}/bank")
ENTRY = "{id: a, kind: problem, dimension: 理论学习, text: 理论学习不够深入。}"

PHRASES_CASES = [
    Case("bank-missing", ("phrases", "--bank", "{d}/nope"), says=("找不到词库文件夹",)),
    Case("bank-is-file", ("phrases", "--bank", "{d}/a.txt"), {"a.txt": "x"}, says=("找不到词库文件夹",)),
    Case("bank-syntax", BANK, {"bank/mined/a.yaml": "entries: [\n"}, says=("a.yaml", "YAML 语法错误")),
    Case("bank-entries-not-list", BANK, {"bank/mined/a.yaml": "entries: 1\n"}, says=("a.yaml", "entries 应为列表")),
    Case("bank-entry-not-mapping", BANK, {"bank/mined/a.yaml": "entries: [1]\n"}, says=("entries[0]", "映射")),
    Case("bank-entry-text-list", BANK,
         {"bank/mined/a.yaml": "entries:\n  - {id: a, kind: problem, dimension: x, text: [1, {a: b}]}\n"},
         says=("第 2 行", "text 应为一段文字")),
    Case("bank-entry-missing", BANK, {"bank/mined/a.yaml": "entries:\n  - {id: a}\n"}, says=("缺少",)),
    Case("bank-entry-unknown", BANK, {"bank/mined/a.yaml": "entries:\n  - {id: a, colour: red}\n"},
         says=("未知字段 colour",)),
    Case("bank-add-not-list", BANK, {"bank/curated/a.yaml": "add: 1\n"}, says=("add 应为列表",)),
    Case("bank-add-not-mapping", BANK, {"bank/curated/a.yaml": "add: [1]\n"}, says=("add[0]",)),
    Case("bank-fix-not-mapping", BANK, {"bank/curated/a.yaml": "fix: [x]\n"}, says=("fix[0]",)),
    Case("bank-fix-unknown", BANK, {"bank/mined/a.yaml": f"entries: [{ENTRY}]\n",
                                    "bank/curated/a.yaml": "fix: [{id: a, colour: red}]\n"}, says=("未知字段",)),
    Case("bank-remove-no-id", BANK, {"bank/curated/a.yaml": "remove: [{x: 1}]\n"}, says=("remove[0]", "条目编号")),
    Case("bank-curated-list", BANK, {"bank/curated/a.yaml": "- a\n"}, says=("应为映射",)),
    Case("bank-not-utf8", BANK, {"bank/curated/a.yaml": "add: []\n# 说明\n".encode("gbk")}, says=("不是 UTF-8",)),
    Case("bank-deep", BANK, {"bank/mined/a.yaml": "a: " + "[" * 100_000 + "]" * 100_000}, says=("嵌套层次过深",),
         process=True),
    Case("bank-alias-bomb", BANK, {"bank/mined/a.yaml": ALIAS_BOMB}, says=("别名",)),
    Case("bank-python-tag", BANK, {"bank/mined/a.yaml": "entries: !!python/object/apply:os.getcwd []\n"},
         says=("不支持的 YAML 标签",)),
    Case("bank-file-is-folder", BANK, {"bank/mined/a.yaml": None}, says=("a.yaml", "是一个文件夹")),
]

GOOD_DOCX = good_docx()
DAMAGED = damaged_docx()
_SPARSE = 201_000_000  # just over the reader's 200 MB limit for a .docx on disk


def _sparse(name: str) -> Callable[[Path], None]:
    """A huge file that costs no disk: a hole of :data:`_SPARSE` bytes after a zip signature."""
    def make(folder: Path) -> None:
        with open(folder / name, "r+b") as fh:
            fh.truncate(_SPARSE)
    return make


CHECK_CASES = [
    Case("check-missing", ("check", "{d}/nope.docx"), says=("找不到文件", "nope.docx")),
    Case("check-folder", ("check", "{d}/初稿"), {"初稿": None}, says=("是一个文件夹",)),
    Case("check-not-docx", ("check", "{d}/a.docx"), {"a.docx": "一段文字，不是 Word 文件\n"},
         says=("a.docx", "不是 Word 文档")),
    Case("check-old-doc", ("check", "{d}/a.doc"), {"a.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
         says=("a.doc", "旧版 .doc")),
    Case("check-empty", ("check", "{d}/a.docx"), {"a.docx": b""}, says=("a.docx", "文件是空的")),
    Case("check-damaged", ("check", "{d}/a.docx"), {"a.docx": DAMAGED["truncated-half"]}, says=("a.docx", "已损坏")),
    Case("check-malformed-xml", ("check", "{d}/a.docx"), {"a.docx": DAMAGED["document-unclosed"]},
         says=("a.docx", "word/document.xml", "不是有效的 XML")),
    Case("check-huge", ("check", "{d}/a.docx"), {"a.docx": b"PK\x03\x04"}, prepare=_sparse("a.docx"),
         says=("a.docx", "文件太大")),
    Case("check-one-missing-among-good", ("check", "{d}/good.docx", "{d}/nope.docx"), {"good.docx": GOOD_DOCX},
         says=("nope.docx", "检查了 2 份材料", "1 份无法读取")),
    Case("check-json-missing", ("check", "--json", "{d}/nope.docx"), says=("nope.docx",)),
    Case("check-path-too-long", ("check", "{d}/" + "长" * 3000 + ".docx"), says=("太长",)),
    Case("check-unreadable-proc", ("check", "/proc/self/mem"), says=("/proc/self/mem",), needs=_no_proc_mem),
    Case("check-unreadable-chmod", ("check", "{d}/a.docx"), {"a.docx": GOOD_DOCX}, says=("没有权限",), needs=_root,
         prepare=lambda d: (d / "a.docx").chmod(0)),
    Case("check-no-files", ("check",), says=("缺少必需的参数",)),
]

IMPORT = ("import", "{d}/a.docx", "-o", "{d}/a.yaml")
_A = {"a.docx": GOOD_DOCX}

IMPORT_CASES = [
    Case("import-missing", ("import", "{d}/nope.docx", "-o", "{d}/a.yaml"), says=("找不到文件", "nope.docx")),
    Case("import-folder", ("import", "{d}/初稿", "-o", "{d}/a.yaml"), {"初稿": None}, says=("是一个文件夹",)),
    Case("import-not-docx", IMPORT, {"a.docx": "一段文字，不是 Word 文件\n"}, says=("a.docx", "不是 Word 文档")),
    Case("import-yaml-instead", ("import", "{d}/a.yaml", "-o", "{d}/b.yaml"), {"a.yaml": "name: 张三\n"},
         says=("a.yaml", "不是 Word 文档")),
    Case("import-empty", IMPORT, {"a.docx": b""}, says=("a.docx", "文件是空的")),
    Case("import-damaged", IMPORT, {"a.docx": DAMAGED["truncated-tail"]}, says=("a.docx", "已损坏")),
    Case("import-doctype", IMPORT, {"a.docx": DAMAGED["billion-laughs"]}, says=("a.docx", "DOCTYPE")),
    Case("import-huge", IMPORT, {"a.docx": b"PK\x03\x04"}, prepare=_sparse("a.docx"), says=("a.docx", "文件太大")),
    Case("import-unreadable-chmod", IMPORT, _A, says=("没有权限",), needs=_root,
         prepare=lambda d: (d / "a.docx").chmod(0)),
    Case("import-output-exists", IMPORT, {**_A, "a.yaml": "# 我自己改过的配置\n"},
         says=("a.yaml", "已存在", "--force")),
    Case("import-output-is-folder", ("import", "{d}/a.docx", "-o", "{d}/配置"), {**_A, "配置": None},
         says=("是一个文件夹",)),
    Case("import-output-is-folder-forced", ("import", "{d}/a.docx", "-o", "{d}/配置", "--force"), {**_A, "配置": None},
         says=("是一个文件夹",)),
    Case("import-output-is-the-input", ("import", "{d}/a.docx", "-o", "{d}/a.docx", "--force"), _A,
         says=("Word 文件",)),
    Case("import-output-is-the-input-renamed", ("import", "{d}/a.docx", "-o", "{d}/link.yaml", "--force"), _A,
         says=("就是要导入的文件",), prepare=lambda d: (d / "link.yaml").symlink_to(d / "a.docx")),
    Case("import-output-docx", ("import", "{d}/a.docx", "-o", "{d}/b.docx"), _A, says=(".yaml",)),
    Case("import-output-missing-folder", ("import", "{d}/a.docx", "-o", "{d}/配置/a.yaml"), _A,
         says=("配置", "不存在")),
    Case("import-output-under-a-file", ("import", "{d}/a.docx", "-o", "{d}/a.docx/a.yaml"), _A,
         says=("不是文件夹",)),
    Case("import-output-in-proc", ("import", "{d}/a.docx", "-o", "/proc/draftgen.yaml"), _A,
         says=("/proc",), needs=_no_proc_mem),
    Case("import-output-in-sys", ("import", "{d}/a.docx", "-o", "/sys/draftgen.yaml"), _A, says=("/sys",),
         needs=lambda: None if Path("/sys/kernel").is_dir() else "needs /sys (Linux)"),
    Case("import-output-path-too-long", ("import", "{d}/a.docx", "-o", "{d}/" + "长" * 3000 + ".yaml"), _A,
         says=("太长",)),
    Case("import-no-output", ("import", "{d}/a.docx"), _A, says=("缺少必需的参数", "-o")),
]

WIZARD = ("wizard", "--answers", "{d}/spec.yaml", "--out", "{d}/out")
# Spec errors the wizard does not meet: a file without a name is one saved before the name was
# asked (the wizard asks it); two members' file names colliding matters only to batch, which writes both.
_NOT_FOR_WIZARD = {"people-none", "output-same-name", "output-same-after-cleaning"}

WIZARD_CASES = [
    *(Case(f"wizard-{c.id}", WIZARD, c.files, says=c.says, terminal=True) for c in SPEC_CASES
      if c.argv == BATCH and not c.process and c.id not in _NOT_FOR_WIZARD),
    Case("wizard-answers-missing", ("wizard", "--answers", "{d}/nope.yaml"), says=("找不到答题文件", "nope.yaml"),
         terminal=True),
    Case("wizard-answers-folder", ("wizard", "--answers", "{d}/答题"), {"答题": None}, says=("是一个文件夹",),
         terminal=True),
    Case("wizard-answers-a-docx", ("wizard", "--answers", "{d}/a.docx"), _A, says=("a.docx", "draftgen import"),
         terminal=True),
    Case("wizard-answers-unreadable-chmod", ("wizard", "--answers", "{d}/spec.yaml"), _spec("name: 张三\n"),
         says=("没有权限",), needs=_root, terminal=True, prepare=lambda d: (d / "spec.yaml").chmod(0)),
    Case("wizard-unknown-person", ("wizard", "--answers", "{d}/spec.yaml", "--person", "赵六"),
         _spec("people:\n  - name: 张三\n  - name: 李四\n"), says=("没有“赵六”",), terminal=True),
    Case("wizard-out-is-a-file", ("wizard", "--out", "{d}/a.txt"), {"a.txt": "x"}, says=("不是文件夹",),
         terminal=True),
    Case("wizard-out-under-a-file", ("wizard", "--out", "{d}/a.txt/out"), {"a.txt": "x"}, says=("不是文件夹",),
         terminal=True),
    Case("wizard-out-in-proc", ("wizard", "--out", "/proc/draftgen-out"), says=("/proc/draftgen-out",),
         needs=_no_proc_mem, terminal=True),
    Case("wizard-out-path-too-long", ("wizard", "--out", "{d}/" + "长" * 3000), says=("太长",), terminal=True),
    Case("wizard-no-terminal", ("wizard",), says=("不是终端", "draftgen batch")),
    Case("wizard-no-terminal-with-answers", ("wizard", "--answers", "{d}/spec.yaml"), _spec("name: 张三\n"),
         says=("不是终端", "draftgen batch")),
    Case("wizard-person-without-answers", ("wizard", "--person", "张三"), says=("--person", "--answers"),
         terminal=True),
]

CASES = (SPEC_CASES + FILE_CASES + USAGE_CASES + PRESET_CASES + MINE_CASES + CLASSIFY_CASES + PHRASES_CASES
         + CHECK_CASES + IMPORT_CASES + WIZARD_CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_cases_have_distinct_ids() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"name: 张三\nunit: !!python/object/apply:os.system ['touch {tmp_path}/pwned']\n",
                    encoding="utf-8")
    run = run_cli(["batch", spec, "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2 and not (tmp_path / "pwned").exists()


@pytest.mark.skipif(_root() is not None, reason="root ignores file permissions")
def test_unwritable_output_folder_by_permission(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("name: 张三\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        case = Case("chmod", ("batch", "{d}/spec.yaml", "--out", "{d}/locked/out"), says=("没有权限",))
        check_case(case, tmp_path)
    finally:
        locked.chmod(0o700)


@pytest.fixture
def readonly_dir(tmp_path: Path) -> Iterator[Path]:
    """A read-only filesystem (a tmpfs mounted ro) that even root cannot write; skipped where mounting fails."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if sys.platform != "linux" or not mount or not umount:
        pytest.skip("needs Linux mount")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run([umount, str(folder)], capture_output=True)


def test_output_on_a_read_only_disk(readonly_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("name: 张三\n", encoding="utf-8")
    for out in (readonly_dir, readonly_dir / "初稿"):
        run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out], cwd=tmp_path)
        assert run.code == 2, run
        assert_clean_message(run, words=[str(readonly_dir)])
        assert not list(readonly_dir.iterdir())
    (tmp_path / "a.txt").write_text("一、存在的问题\n理论学习不够深入，存在以干代学的现象。\n", encoding="utf-8")
    run = run_cli(["mine", tmp_path / "a.txt", "--out", readonly_dir], cwd=tmp_path)
    assert run.code == 2 and "只读" in run.err, run
    (tmp_path / "a.docx").write_bytes(good_docx())
    run = run_cli(["import", tmp_path / "a.docx", "-o", readonly_dir / "a.yaml"], cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=[str(readonly_dir), "只读"])
    for out in (readonly_dir, readonly_dir / "初稿"):  # refused before the first question, for root too
        run = run_cli(["wizard", "--out", out], cwd=tmp_path, terminal=True)
        assert run.code == 2, run
        assert_clean_message(run, words=[str(readonly_dir), "只读"])
    assert not list(readonly_dir.iterdir())


def test_disk_full_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC in the middle of a batch: exit 2 with a Chinese message; no temp file, no half draft."""
    import errno

    from generator import fsio

    (tmp_path / "spec.yaml").write_text("people:\n  - name: 甲\n  - name: 乙\n  - name: 丙\n", encoding="utf-8")
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(fsio.os, "fsync", fsync)
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out", "-j", "1"], cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["磁盘空间不足", "乙"])
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 1 and names[0].startswith("甲-"), names


def test_huge_values_are_not_echoed_by_a_real_process(tmp_path: Path) -> None:
    """The boundary as users meet it: a separate process, its real exit status and stderr bytes."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(f'name: 张三\n? "{HUGE}"\n: 1\nfacts:\n  ? "{HUGE}"\n  : 事例\n', encoding="utf-8")
    run = run_process(["batch", spec, "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["未知字段", "这个方面"])
    assert not (tmp_path / "out").exists()


def test_message_lists_every_problem_but_stays_short(tmp_path: Path) -> None:
    people = "".join(f"  - name: 党员{i}\n    rol: x\n" for i in range(50))
    (tmp_path / "spec.yaml").write_text(f"people:\n{people}", encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2
    assert_clean_message(run, words=["有 50 处错误", "另有 40 处问题未列出"])
    assert len(run.err) < MAX_STDERR


# --------------------------------------------------------------------------- help and version


@pytest.mark.parametrize("command", ["", *(name for name, _ in COMMANDS)])
def test_help_and_version_of_every_command(command: str, tmp_path: Path) -> None:
    argv = [command] if command else []
    before = tree(tmp_path)
    helped = run_cli([*argv, "--help"], cwd=tmp_path)
    assert helped.code == 0 and helped.err == "", helped
    assert "用法：" in helped.out and "选项：" in helped.out and "示例" in helped.out, helped.out[:300]
    assert "usage:" not in helped.out and "options:" not in helped.out
    version = run_cli([*argv, "--version"], cwd=tmp_path)
    assert version.code == 0 and version.out.startswith("draftgen "), version
    assert not changes(before, tree(tmp_path))


def test_commands_reading_stdin_accept_nothing(tmp_path: Path) -> None:
    run = run_cli(["classify"], cwd=tmp_path, stdin=b"")
    assert run.code == 0 and run.out == ""


def test_text_with_nul_and_controls_on_stdin_is_cleaned(tmp_path: Path) -> None:
    stdin = "理论学习\x00不够\u202e深入\x1b[31m。\n\ud800\n".encode("utf-8", "surrogatepass")
    run = run_cli(["classify"], cwd=tmp_path, stdin=stdin)
    # a lone surrogate is not UTF-8: refused with a message, like any other undecodable input
    assert run.code == 2 and "第 2 行" in run.err, run
    run = run_cli(["classify", "--json"], cwd=tmp_path, stdin="理论学习\x00不够\u202e深入\x1b[31m。\n".encode())
    assert run.code == 0 and run.out.count("\n") == 1, run


def count_cases() -> int:
    """Bad inputs this module tries (reported in the issue note)."""
    return len(CASES)
