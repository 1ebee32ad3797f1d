"""Reading and writing the YAML files users edit (specs, answers files, presets).

Why not plain ``yaml.safe_load``: errors must name the file, line, column and
field; duplicate keys must be errors, not silently dropped; an alias bomb or a
self-referencing document must fail fast; and every scalar stays *text* so that
the question model parses a value from YAML exactly as it parses a typed answer
(``name: no`` is the name "no", not ``False``).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError, Location, Problem
from generator.fsio import cache_dir, read_bounded, write_cache_file

MAX_BYTES = 5_000_000
MAX_NODES = 200_000
MAX_DEPTH = 50

PathKey = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
}
_NULL_TAG = "tag:yaml.org,2002:null"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def format_path(path: PathKey) -> str:
    """``("people", 0, "name")`` → ``people[0].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class Loaded:
    """A parsed YAML document with the position of every value and key."""

    data: Any
    file: str
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    kind: str = "配置文件"  # what the file is called in messages (a roster says 名册)
    problems: list[Problem] = field(default_factory=list)  # found while reading; reported with the spec's

    # What to say when a personal material's spec names nobody.
    people_hint = "请写 people 列表，或在顶层写 name"

    def same_as(self, path: PathKey) -> str:
        """"Same as the value at ``path``", naming its place as this kind of file does (``people[2]``, a row)."""
        return f"与 {format_path(path)} 重复"

    def where(self, path: PathKey, *, key: bool = False) -> Location:
        """Location of ``path`` (of its key with ``key=True``), falling back to the nearest parent."""
        marks = self.key_marks if key else self.marks
        probe = path
        while probe not in marks and probe:
            probe = probe[:-1]
        line, column = marks.get(probe) or self.marks.get(probe) or (None, None)
        return Location(self.file, line, column, format_path(path))


class _Builder:
    """Turns a composed node graph into plain data, recording marks and enforcing limits."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.active: set[int] = set()
        self.result = Loaded(None, file)

    def fail(self, message: str, node: Any, path: PathKey) -> InputError:
        mark = node.start_mark
        where = Location(self.file, mark.line + 1, mark.column + 1, format_path(path))
        return InputError("YAML 文件有误", [Problem(message, where)])

    def build(self, node: Any, path: PathKey = ()) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"内容过多（超过 {MAX_NODES} 个值），可能是别名（*）被反复展开", node, path)
        if len(path) > MAX_DEPTH:
            raise self.fail("嵌套层次过深", node, path)
        self.result.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL_TAG:
                return None
            if node.tag not in _PLAIN_TAGS:
                raise self.fail(f"不支持的 YAML 标签 {node.tag}（出于安全考虑只接受普通文字、数字和列表）",
                                node, path)
            return str(node.value)
        if id(node) in self.active:
            raise self.fail("YAML 别名引用了自身（循环引用）", node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ_TAG:
                    raise self.fail(f"不支持的 YAML 标签 {node.tag}", node, path)
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                if node.tag != _MAP_TAG:
                    raise self.fail(f"不支持的 YAML 标签 {node.tag}", node, path)
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise self.fail("无法识别的 YAML 内容", node, path)  # pragma: no cover - composer emits only the above

    def _mapping(self, node: Any, path: PathKey) -> dict[str, Any]:
        import yaml

        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("键必须是普通文字（不支持复杂键和合并键 <<）", key_node, path)
            key = str(key_node.value)
            child = (*path, key)
            if key in out:
                first = self.result.key_marks[child][0]
                raise self.fail(f"键“{key}”重复出现（第一次在第 {first} 行）", key_node, child)
            self.result.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child)
        return out


def read_text(path: Path, *, what: str = "文件", max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file with Chinese errors for every way it can fail (a FIFO or a device too)."""
    name = str(path)
    raw = read_bounded(path, max_bytes, what=what)
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(f"{what} {name} 是 Word 文件（.docx）或压缩包，不是 YAML 文本；"
                         f"改好的初稿请先用 draftgen import {path.name} -o 配置.yaml 导出配置")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{what} {name} 不是 UTF-8 编码（第 {line} 行有无法识别的字节）；"
            "请用“UTF-8”编码另存后再试"
        ) from None


# Characters YAML does not allow anywhere in a document: the YAML 1.1 "printable" set ([\t\n\r\x20-\x7e\x85
# \xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]) inverted, written out: a negated class that wide costs every
# run several milliseconds to compile.
_NOT_PRINTABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _check_characters(text: str, file: str) -> None:
    """Refuse control characters with their line and column (the YAML reader names only an offset)."""
    bad = _NOT_PRINTABLE_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        reason = (f"有不能出现在 YAML 文件中的控制字符 U+{ord(bad.group()):04X}"
                  "（常见于从网页或其他软件复制的文字），请删除它")
        raise InputError("YAML 文件有误", [Problem(reason, Location(file, line, column))])


def _check_shape(text: str, file: str, loader_cls: Any) -> None:
    """Stop too deep or too large documents from their events, before the composer recurses into them.

    libyaml's composer recurses without a limit: ``[[[[…]]]]`` nested a few
    hundred thousand times crashes the interpreter instead of raising.
    """
    import yaml

    depth = count = 0
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        elif not isinstance(event, yaml.ScalarEvent):
            continue
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            mark = event.start_mark
            where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
            reason = "嵌套层次过深" if depth > MAX_DEPTH else f"内容过多（超过 {MAX_NODES} 个值）"
            raise InputError("YAML 文件有误", [Problem(reason, where)])


def parse_yaml(text: str, file: str, *, allow_empty: bool = False) -> Loaded:
    """Parse one YAML document from ``text`` (named ``file`` in messages); empty only with ``allow_empty``."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _check_characters(text, file)
    try:
        _check_shape(text, file, loader_cls)
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        if loader_cls is not yaml.SafeLoader:
            # libyaml has limits of its own (nesting, since PyYAML 6.0.4) that can stop it before our
            # shape check sees the document; the pure-Python parser has none, so it finds the real reason.
            with contextlib.suppress(yaml.YAMLError):
                _check_shape(text, file, yaml.SafeLoader)
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        reason = _yaml_reason(exc)
        raise InputError("YAML 语法错误", [Problem(reason, where)]) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{file} 不是有效的 YAML：{exc}") from None
    builder = _Builder(file)
    if node is None:
        if allow_empty:
            return builder.result
        raise InputError(f"{file} 是空的，没有任何内容")
    builder.result.data = builder.build(node)
    return builder.result


_REASONS = {
    "found character '\\t' that cannot start any token": "不能用 Tab 键缩进，请改用空格",
    "found character that cannot start any token":
        "此处有不能出现的字符（常见原因：用 Tab 缩进，或以 @、` 开头的文字没加引号）",
    "did not find expected node content": "内容不完整（括号或引号没有闭合？）",
    "did not find expected key": "缩进不一致或缺少“:”",
    "mapping values are not allowed": "此处不能出现“:”（冒号后要有空格，或者给含冒号的文字加引号）",
    "found unknown escape character": "双引号中的“\\”后面跟了无法识别的字符（文件路径等含“\\”的文字请改用单引号）",
    "found invalid Unicode character escape code": "双引号中的 \\u 转义不是有效的字符（例如单独的代理字符 \\ud800）",
    "expected escape sequence": "双引号中的 \\u、\\U 或 \\x 后面应是十六进制数字（文件路径等含“\\”的文字请改用单引号）",
    "did not find expected hexdecimal number":
        "双引号中的 \\u、\\U 或 \\x 后面应是十六进制数字（文件路径等含“\\”的文字请改用单引号）",
    "did not find expected whitespace or line break": "标签（!）或锚点（&）后缺少空格，或其中有不能出现的字符",
    "could not find expected ':'": "缺少“:”",
    "found undefined alias": "使用了未定义的别名（*）",
    "expected <block end>, but found '<block sequence start>'": "列表缩进不一致",
    "found duplicate anchor": "锚点（&）重复定义",
}


def _yaml_reason(exc: Any) -> str:
    problem = str(getattr(exc, "problem", "") or "")
    for english, chinese in _REASONS.items():
        if problem.startswith(english):
            return chinese
    if "tab character" in problem or "'\\t'" in problem:
        return "不能用 Tab 键缩进，请改用空格"
    if "expected <block end>" in problem or "expected <document start>" in problem:
        return "缩进不一致或结构有误"
    if "found unexpected end of stream" in problem:
        return "文件意外结束（引号或括号没有闭合？）"
    if "while scanning a quoted scalar" in str(getattr(exc, "context", "")):
        return "引号没有闭合"
    if "but found another document" in problem:
        return "文件里有多个文档（---），只能有一个"
    # Unknown wording: say what kind of fault it is, from the exception's type, never the library's English.
    return _KIND_REASONS.get(type(exc).__name__, "格式有误，请检查此处附近的缩进、冒号和引号")


_KIND_REASONS = {
    "ScannerError": "此处有无法识别的写法（请检查引号、括号和特殊字符）",
    "ParserError": "结构有误（请检查缩进和“-”“:”的位置）",
    "ComposerError": "别名或锚点有误",
    "ConstructorError": "有无法识别的值或标签",
    "ReaderError": "有不能出现在 YAML 文件中的字符",
}


def load_yaml(path: Path, *, what: str = "文件", allow_empty: bool = False, cached: bool = False) -> Loaded:
    """Read and parse a user's YAML file.

    ``cached``: for the data files every run reads (wording, questions, role rules, document types), whose
    parsing cost a one-draft run a tenth of its time.  The parsed document, positions included, is kept in
    the cache folder like the compiled bank, keyed by the file's name and bytes (an edited file is parsed
    again); without a cache folder, or when the copy cannot be read, the file is parsed as usual.
    """
    if not cached:
        return parse_yaml(read_text(path, what=what), str(path), allow_empty=allow_empty)
    raw = read_bounded(path, MAX_BYTES, what=what)
    folder = cache_dir()
    key = hashlib.sha256(str(path).encode() + b"\0" + raw).hexdigest()[:24]
    copy = folder / f"yaml-{key}-py{sys.version_info[0]}{sys.version_info[1]}.marshal" if folder else None
    if copy is not None:
        try:
            data, marks, key_marks = marshal.loads(copy.read_bytes())
            return Loaded(data, str(path), marks, key_marks)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # missing, damaged or of another layout: parse again
    loaded = parse_yaml(read_text(path, what=what), str(path), allow_empty=allow_empty)
    if copy is not None:
        write_cache_file(copy, marshal.dumps((loaded.data, loaded.marks, loaded.key_marks)))
    return loaded


def dump_yaml(data: Any) -> str:
    """YAML that people can read and edit: block style, Chinese kept as is, key order kept."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> Any:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
