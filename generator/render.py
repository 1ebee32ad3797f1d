"""Templates → line markup → document tree.

This module is the one place that builds the Jinja2 environment: sandboxed and
bounded (:mod:`generator.sandbox`: no template may ask for more time, memory or
output than a draft can need), ``StrictUndefined``, loader confined to the
template folders, and a
``finalize`` hook that turns every interpolated value into inert text (values
can never add lines, directives or markers, so ``{{ }}`` inside a spec value is
printed as typed, never rendered).

Template authors write plain text in a small line markup, one block per line::

    ::title 2025年度专题组织生活会{{ brk }}个人对照检查材料
    ::subtitle 第一党支部　张三
    ::h1 一、存在的问题            (::h1 … ::h4)
    ::p 正文……                     (::p.problem, ::p.cause … name the paragraph's role)
    ::table 整改台账               (then ::col WIDTH 表头, ::row, ::cell 文字 …, ::end)
    ::table.landscape 整改台账     (the same, on a landscape page of its own)
    ::signature 张三
    ::date 2026年1月20日

Inside text, ``{{ x | lead }}`` marks a run-in heading; ``{{ br }}`` (or
``{{ items | lines }}``) breaks the line without starting a new paragraph, for
table cells such as "2026年" / "4月底前"; 【待补充…】 becomes a highlighted
placeholder automatically.  All text is normalised to full-width
Chinese punctuation here, whatever its origin (template, bank or user).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from generator.doctree import (
    Block,
    Column,
    Document,
    Heading,
    Paragraph,
    Signature,
    Span,
    Subtitle,
    Table,
    Title,
)
from generator.errors import DraftgenError, InputError
from generator.text import BREAK, clean_text, join_lines, normalize, text_block

LEAD_OPEN, LEAD_CLOSE = "\ue001", "\ue002"
LINE_BREAK = "\ue003"  # becomes "\n" in a span, which the writer turns into a line break
PLACEHOLDER_RE = re.compile(r"【待补充[^【】]*】")
_DIRECTIVE_RE = re.compile(r"::(title|subtitle|h[1-4]|p(?:\.[a-z_-]+)?|table(?:\.landscape)?|col|row|cell|end"
                           r"|signature|date)(?:\s(.*))?$")

_CN_DIGITS = "零一二三四五六七八九"


class Marked(str):
    """Text produced by the template machinery itself (markers), passed through ``finalize`` untouched."""

    __slots__ = ()


class TemplateError(DraftgenError):
    """A template produced markup that does not parse (a template bug, or a user's own template)."""


# --------------------------------------------------------------------------- filters


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for heading numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _lead(value: Any) -> Marked:
    return Marked(LEAD_OPEN + _inert(value) + LEAD_CLOSE)


def lines(items: Any) -> Marked:
    """Several short lines in one paragraph or cell (e.g. a deadline: 长期坚持 / 2026年 / 7月底前)."""
    return Marked(LINE_BREAK.join(_inert(i) for i in items))


_TRAILING_PUNCT = "。；，、：.;,: "
# Word boundaries inside meeting names and titles where a title line may break.
_BREAK_AFTER_RE = re.compile(r"(?<=年度)|(?<=关于)|(?<=党支部)|(?<=委员会)|(?<=党委)|(?<=党组)")
_BREAK_BEFORE_RE = re.compile(r"(?=专题)|(?<!专题)(?=(?:民主|组织)生活会)|(?<![人子])(?=(?:个人|班子)?对照检查)"
                              r"|(?=问题清单)|(?=(?:查摆问题)?整改方案)")


def sentence(value: Any) -> str:
    """End a clause with exactly one "。" (titles and facts come with or without one)."""
    text = _inert(value).rstrip(_TRAILING_PUNCT)
    return f"{text}。" if text else ""


def clauses(items: Any) -> str:
    """Join several facts into one sentence: "甲；乙。"."""
    parts = [_inert(i).rstrip(_TRAILING_PUNCT) for i in items]
    parts = [p for p in parts if p]
    return "；".join(parts) + "。" if parts else ""


def brief(value: Any, limit: int = 40) -> str:
    """The first sentence, cut at a clause boundary when long: what a table cell has room for."""
    text = _inert(value)
    first = text.split("。", 1)[0]
    if len(first) > limit:
        cuts = [i for i, ch in enumerate(first[:limit]) if ch in "，；"]
        first = first[: cuts[-1]] if cuts else first[:limit]
    return sentence(first)


def cn_date(value: Any) -> str:
    """2026-01-20 → 2026年1月20日 (GB/T 9704 writes dates in Arabic numerals without zero padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


def word_breaks(value: Any) -> Marked:
    """Mark where a title may break inside a meeting name or unit (never inside a word)."""
    text = _inert(value)
    marked = _BREAK_BEFORE_RE.sub(BREAK, _BREAK_AFTER_RE.sub(BREAK, text))
    return Marked(re.sub(f"{BREAK}+", BREAK, marked).strip(BREAK))


_PARTY_ORG_RE = re.compile(r"(?:党支部|支部|党总支|总支|党委|党组|党工委|(?:党|支部|总支)委员会|支委会)$")
_NEEDS_COMMITTEE_RE = re.compile(r"(?:党支部|支部|党总支|总支)$")
UNIT_PLACEHOLDER = "【待补充：党组织名称】"


def signing_body(value: Any) -> str:
    """Who signs a unit's document: 机关第一党支部 → 中共机关第一党支部委员会.

    A branch (or general branch) signs as its committee, the body that drafted
    and answers for the material; a Party organisation's name gets the 中共
    prefix unless it has one; any other name (a department, an office) is kept as
    written, never guessed into a Party body.  No unit → a visible placeholder.
    """
    name = _inert(value).strip()
    if not name:
        return UNIT_PLACEHOLDER
    if not _PARTY_ORG_RE.search(name):
        return name
    if _NEEDS_COMMITTEE_RE.search(name):
        name += "委员会"
    return name if name.startswith(("中共", "中国共产党")) else "中共" + name


def paragraphs(value: Any) -> list[str]:
    """Split a multi-line answer into its paragraphs: a blank line separates two, a single line break only
    wraps a line (as in Markdown, and as the spec loader reads it: see text.text_block)."""
    return [p for p in text_block(clean_text(str(value or ""))).split("\n\n") if p]


def _inert(value: Any) -> str:
    """A value as one line of plain text: no control or private-use characters, no newlines."""
    if isinstance(value, Marked):
        return value
    if not isinstance(value, str):  # a list printed whole (by a user's template) must not be gigabytes of text
        from generator.sandbox import check_text

        check_text(value)
    return _one_line(str(value))


# Bank sentences and set phrases recur in draft after draft, so each distinct string is cleaned and
# normalised once per process (about a third of the time a draft took).  Bounded: memory stays flat.
@lru_cache(maxsize=8192)
def _one_line(text: str) -> str:
    """A value for one paragraph: its lines joined the way a paragraph's lines join (no space in Chinese)."""
    return join_lines(clean_text(text).split("\n"))


_normalize = lru_cache(maxsize=8192)(normalize)


def _finalize(value: Any) -> Any:
    return _inert(value) if value is not None else ""


MAX_TEMPLATE_BYTES = 1_000_000


def _confined_loader(folders: list[str]) -> Any:
    """A file loader that reads only regular files really inside its folders.

    Jinja's own loader refuses ``..`` in a name but follows symbolic links: a link inside a user's
    ``--templates`` folder would let ``{% include %}`` copy any readable file of the machine into a
    draft.  Here the file's real path must lie inside the real path of the folder it was found in;
    a link to elsewhere is refused with a message, and a template is read bounded.
    """
    import os
    import posixpath

    from jinja2 import FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    from generator.fsio import read_bounded

    class ConfinedLoader(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = split_template_path(template)
            for folder in self.searchpath:
                filename = posixpath.join(folder, *pieces)
                if os.path.isfile(filename):
                    break
            else:
                raise TemplateNotFound(template)
            root, real = os.path.realpath(folder), os.path.realpath(filename)
            if os.path.commonpath([root, real]) != root:
                raise TemplateError(f"模板 {template}（{filename}）是指向模板文件夹之外的符号链接（{real}），"
                                    "出于安全考虑不予读取；请把模板文件本身放进模板文件夹")
            raw = read_bounded(Path(real), MAX_TEMPLATE_BYTES, what="模板")
            try:
                contents = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateError(f"模板 {filename} 不是 UTF-8 编码；请用“UTF-8”编码另存后再试") from None
            mtime = os.path.getmtime(real)

            def uptodate() -> bool:
                try:
                    return os.path.getmtime(real) == mtime
                except OSError:
                    return False

            return contents, os.path.normpath(filename), uptodate

    return ConfinedLoader(folders)


@cache
def environment(extra_dir: Path | None = None) -> Any:
    """The Jinja2 environment; ``extra_dir`` (a user's template folder) is searched first."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generator.resources import templates_dir
    from generator.sandbox import LimitedSandbox

    # A user's folder gets the bounded sandbox (its templates, and ours found through it); our own
    # templates alone are trusted code and keep the stock sandbox, which renders them a third faster.
    base: type = LimitedSandbox if extra_dir is not None else SandboxedEnvironment

    class Sandbox(base):  # type: ignore[misc]
        """The sandbox, with a shortcut for public attributes of our own data classes.

        Drafts, specs, people and items are frozen data classes: for them Jinja's checks come down to
        "no leading underscore" (they are neither functions, methods, classes, code, frames nor
        generators, and none is a ``str`` whose ``format`` would need wrapping).  A draft reads about
        two hundred attributes, so this skips a chain of isinstance tests each time.  Same answers;
        everything else goes through the stock checks.
        """

        def getattr(self, obj: Any, attribute: str) -> Any:
            if not attribute.startswith("_") and _plain_data(type(obj)):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

    folders = [str(extra_dir)] if extra_dir else []
    env = Sandbox(
        loader=_confined_loader([*folders, str(templates_dir())]),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cn=cn_number, lead=_lead, paragraphs=paragraphs, sentence=sentence, clauses=clauses, brief=brief,
                       cndate=cn_date, wordbreaks=word_breaks, signer=signing_body, lines=lines)
    env.globals.update(brk=Marked(BREAK), br=Marked(LINE_BREAK))
    env.bytecode_cache = _bytecode_cache(env)
    return env


def _template_line(exc: BaseException) -> int | None:
    """The template line an error was raised on (Jinja rewrites tracebacks to point into templates)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<frozen"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def _template_message(name: str, exc: BaseException) -> str:
    """A Chinese account of a template failure; Jinja's own (English) detail is kept short in brackets."""
    from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

    from generator.errors import clip

    line = _template_line(exc)
    where = f"模板 {name}" + (f" 第 {line} 行" if line else "")
    detail = clip(str(exc), 120)
    if isinstance(exc, TemplateNotFound):
        return f"{where}：找不到要引用的模板 {clip(str(exc.name), 80)}（只能引用模板文件夹中的文件）"
    if isinstance(exc, TemplateSyntaxError):
        return f"{where}：模板语法错误（{detail}）"
    if isinstance(exc, SecurityError):
        return f"{where}：模板试图访问不允许访问的内容，出于安全考虑已阻止（{detail}）"
    if isinstance(exc, UndefinedError):
        return f"{where}：用到了不存在的变量或属性（{detail}）"
    if isinstance(exc, UnicodeDecodeError):
        return f"{where}：模板文件不是 UTF-8 编码，请用“UTF-8”编码另存后再试"
    if isinstance(exc, RecursionError):
        return f"{where}：宏或引用无限递归"
    from generator.sandbox import LimitExceeded

    if isinstance(exc, LimitExceeded):
        return f"{where}：{exc}"
    if isinstance(exc, MemoryError):
        return f"{where}：模板用尽了内存（运算结果过大），已停止；请检查模板中的乘法、循环和拼接"
    return f"{where}：运行出错（{type(exc).__name__}：{detail}）"


_PLAIN: dict[type, bool] = {}


def _plain_data(cls: type) -> bool:
    """A data class of draftgen's own (see ``Sandbox.getattr``); remembered per type."""
    known = _PLAIN.get(cls)
    if known is None:
        import dataclasses

        known = _PLAIN[cls] = cls.__module__.startswith("generator.") and dataclasses.is_dataclass(cls)
    return known


def _bytecode_cache(env: Any) -> Any:
    """Compiled templates kept between runs: compiling a template costs a one-draft run more than rendering it.

    Jinja keys each file by its path and the hash of its source, but not by the environment's settings,
    which change the compiled code: those, with both versions, name the folder.  Best effort, like the
    bank cache: no writable cache folder, no bytecode cache.
    """
    import contextlib
    import hashlib

    from jinja2 import FileSystemBytecodeCache
    from jinja2 import __version__ as jinja_version

    from generator import __version__
    from generator.fsio import cache_dir

    class QuietCache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):  # a read-only cache only costs the compile next time
                super().dump_bytecode(bucket)

    settings = (jinja_version, __version__, [c.__name__ for c in type(env).__mro__], env.trim_blocks,
                env.lstrip_blocks, env.keep_trailing_newline, env.autoescape, sorted(env.filters), sorted(env.tests),
                sorted(env.intercepted_binops), env.code_generator_class.__name__,
                getattr(env, "limits_version", 0))
    key = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    root = cache_dir()
    if root is None:  # no home folder: no cache
        return None
    folder = root / f"templates-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return QuietCache(str(folder))


def render_markup(template_name: str, context: Mapping[str, Any], *, extra_dir: Path | None = None) -> str:
    """Render one template to markup text.

    With a user's template folder, any failure while rendering is the template's,
    reported as a :class:`TemplateError` (exit 2) rather than as a draftgen bug.
    """
    from jinja2 import TemplateError as JinjaError

    from generator.sandbox import LimitExceeded, guarded, render_limited

    env = environment(extra_dir)
    try:
        if extra_dir is None:
            return str(env.get_template(template_name).render(**context))
        with guarded():
            return render_limited(env.get_template(template_name), dict(context))
    except JinjaError as exc:
        raise TemplateError(_template_message(template_name, exc)) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError, LimitExceeded,
            MemoryError) as exc:
        if extra_dir is None and not isinstance(exc, LimitExceeded):
            raise  # our own templates failing this way is a bug of ours
        raise TemplateError(_template_message(template_name, exc)) from None


# --------------------------------------------------------------------------- markup → tree


def _normalize_lines(text: str) -> str:
    """Normalise each line on its own; line-break markers become newlines."""
    return "\n".join(_normalize(piece) for piece in text.split(LINE_BREAK))


@lru_cache(maxsize=8192)  # the same bank paragraph recurs across a batch; spans are immutable
def _spans(text: str) -> tuple[Span, ...]:
    """Split text into plain, lead and placeholder spans, normalising each."""
    spans: list[Span] = []
    for i, part in enumerate(re.split(f"{LEAD_OPEN}(.*?){LEAD_CLOSE}", text)):
        if not part:
            continue
        if i % 2 == 1:
            spans.append(Span(_normalize(part), "lead"))
            continue
        pos = 0
        for m in PLACEHOLDER_RE.finditer(part):
            if m.start() > pos:
                spans.append(Span(_normalize_lines(part[pos:m.start()])))
            spans.append(Span(m.group(0), "placeholder"))
            pos = m.end()
        if pos < len(part):
            spans.append(Span(_normalize_lines(part[pos:])))
    return tuple(s for s in spans if s.text)


def _title(text: str) -> Title:
    parts = [_normalize(p) for p in text.split(BREAK)]
    breaks: list[int] = []
    offset = 0
    for part in parts[:-1]:
        offset += len(part)
        if part and offset not in breaks:
            breaks.append(offset)
    text = "".join(parts)
    return Title(text, tuple(b for b in breaks if 0 < b < len(text)))


class _TableBuilder:
    def __init__(self, caption: str, landscape: bool = False) -> None:
        self.caption = caption
        self.landscape = landscape
        self.columns: list[Column] = []
        self.rows: list[list[tuple[Span, ...]]] = []

    def build(self) -> Table:
        width = len(self.columns)
        rows = tuple(tuple(row) + ((),) * (width - len(row)) for row in self.rows)
        return Table(tuple(self.columns), rows, self.caption, self.landscape)


def parse_markup(markup: str, *, source: str = "<模板>", meta: Mapping[str, str] | None = None) -> Document:
    """Parse rendered markup into a Document; a line that is not a directive is a template error."""
    title: Title | None = None
    blocks: list[Block] = []
    table: _TableBuilder | None = None
    signature_name: str | None = None
    for lineno, line in enumerate(markup.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        m = _DIRECTIVE_RE.match(line)
        if not m:
            raise TemplateError(f"{source} 生成的第 {lineno} 行不是有效的标记：{line[:40]}")
        name, arg = m.group(1), (m.group(2) or "").strip()
        if table is not None and name not in ("col", "row", "cell", "end"):
            raise TemplateError(f"{source} 第 {lineno} 行：表格没有以 ::end 结束")
        if name == "title":
            title = _title(arg)
        elif name == "subtitle":
            blocks.append(Subtitle(_normalize(arg)))
        elif name[0] == "h":
            blocks.append(Heading(int(name[1]), _normalize(arg)))
        elif name[0] == "p":
            spans = _spans(arg)
            if spans:
                blocks.append(Paragraph(spans, name[2:]))
        elif name in ("table", "table.landscape"):
            table = _TableBuilder(_normalize(arg), landscape=name == "table.landscape")
        elif name in ("col", "row", "cell", "end"):
            if table is None:
                raise TemplateError(f"{source} 第 {lineno} 行：::{name} 不在表格里")
            if name == "col":
                weight, _, header = arg.partition(" ")
                table.columns.append(Column(_normalize(header), int(weight) if weight.isdigit() else 1))
            elif name == "row":
                table.rows.append([])
            elif name == "cell":
                if not table.rows:
                    raise TemplateError(f"{source} 第 {lineno} 行：::cell 之前缺少 ::row")
                table.rows[-1].append(_spans(arg))
            else:
                blocks.append(table.build())
                table = None
        elif name == "signature":
            signature_name = _normalize(arg)
        elif name == "date":
            blocks.append(Signature(signature_name or "", _normalize(arg)))
            signature_name = None
    if table is not None:
        raise TemplateError(f"{source}：表格没有以 ::end 结束")
    if title is None:
        raise TemplateError(f"{source} 没有 ::title 标题行")
    return Document(title, tuple(blocks), dict(meta or {}))


def render_document(template_name: str, context: Mapping[str, Any], *, meta: Mapping[str, str] | None = None,
                    extra_dir: Path | None = None) -> Document:
    """Render a template and parse the result into a Document."""
    markup = render_markup(template_name, context, extra_dir=extra_dir)
    return parse_markup(markup, source=template_name, meta=meta)


def check_template_dir(folder: Path) -> None:
    """A user's template folder must exist; anything else is found when rendering."""
    if not folder.is_dir():
        raise InputError(f"找不到模板文件夹 {folder}")

