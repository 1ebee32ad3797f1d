"""Bounds on what a template may cost: the sandbox behind :func:`generator.render.environment`.

Jinja2's sandbox stops a template from reaching Python's internals, but not
from asking for ten gigabytes: ``{{ 'a' * 10**10 }}``, ``{{ 9**9**9 }}``, a
namespace doubling a string in a loop, ``'x'.center(10**10)``, a list extended
by itself.  A user's own template folder (``batch --templates``) must end in a
Chinese message and exit 2 whatever it asks, so the environment built for such a
folder is a :class:`LimitedSandbox`, which

* checks ``*``, ``**``, ``+`` and ``%`` *before* computing them (a repeated
  string or list, an integer's size in bits, a format width) and ``~`` after;
* checks the string methods and filters whose result can be far larger than
  their input (``center``, ``ljust``, ``replace``, ``join``, ``format``,
  ``indent``, ``wordwrap``, ``batch``, ``slice``, ``sum``, ``tojson``,
  ``lipsum`` …) from their arguments, before they allocate anything;
* refuses to change lists, dicts and sets in place (Jinja's immutable sandbox:
  ``l.extend(l)`` doubles a list without any operator);
* counts every ``range`` of a rendering against one budget, so nested loops
  end too;
* stops a rendering whose output passes :data:`MAX_OUTPUT` characters.

A rendering of a user's template also runs under a deadline and, on Linux, a
memory budget (:func:`guarded`): whatever escaped the checks above ends as a
message, not as a machine out of memory.  Anything that prints a value (the
``finalize`` hook, ``~``, ``%``, ``format``, ``join``, our own filters) first
checks what the value would print as (:func:`text_size`): a list holding one long
string a thousand times, or nested in itself, is small in memory but not in text.

Our own templates alone (no user folder) are trusted code: they keep the stock
sandbox, and their output is unchanged either way (the checks only refuse).
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_VALUE = 1_000_000  # characters of one string, items of one list, made by a template
MAX_INT_BITS = 64_000  # an integer of about 19,000 digits
MAX_OUTPUT = 5_000_000  # characters of markup for one draft (a long draft has about 30,000)
RANGE_BUDGET = 1_000_000  # items of all the range() calls of one rendering together
RENDER_SECONDS = 20.0  # one draft of a user's template (a draft takes a few milliseconds)
MEMORY_BUDGET = 1 << 30  # bytes of address space a rendering of a user's template may add (Linux)


class LimitExceeded(Exception):
    """A template asked for more than a draft can need; the message is Chinese and says what."""


def _too_big(what: str = "运算结果") -> LimitExceeded:
    return LimitExceeded(f"模板中的{what}过大（超过 {MAX_VALUE:,} 个字符或元素），已停止；"
                         "请检查模板中的乘法、循环和拼接")


_SIZED = (str, bytes, list, tuple)


def _check_len(value: Any, what: str = "运算结果") -> Any:
    if isinstance(value, _SIZED) and len(value) > MAX_VALUE:
        raise _too_big(what)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(f"模板中的整数过大（超过 {MAX_INT_BITS:,} 位二进制），已停止")
    return value


def _count(value: Any) -> int | None:
    """An integer operand (a repeat count), or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_mul(left: Any, right: Any) -> None:
    for seq, n in ((left, _count(right)), (right, _count(left))):
        if isinstance(seq, _SIZED) and n is not None and len(seq) * max(n, 0) > MAX_VALUE:
            raise _too_big()
        if isinstance(seq, list | tuple) and n is not None and text_size(seq) * max(n, 0) > MAX_VALUE:
            raise _too_big()  # [long_text] * 1000: few items, but gigabytes once printed
    a, b = _count(left), _count(right)
    if a is not None and b is not None and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise LimitExceeded(f"模板中的整数过大（超过 {MAX_INT_BITS:,} 位二进制），已停止")


def _check_pow(base: Any, exponent: Any) -> None:
    a, b = _count(base), _count(exponent)
    if a is not None and b is not None and b > 0 and abs(a) > 1 and a.bit_length() * b > MAX_INT_BITS:
        raise LimitExceeded(f"模板中的整数过大（超过 {MAX_INT_BITS:,} 位二进制），已停止")


# A width or precision in a printf-style or str.format specification.
_WIDTH_RE = re.compile(r"\d{7,}")


def _check_format(spec: Any, args: Any) -> None:
    """``'%9999999999d' % 1`` and ``'{:>9999999999}'.format(1)`` allocate their width: refuse wide ones."""
    if isinstance(spec, str | bytes):
        text = spec if isinstance(spec, str) else spec.decode("latin-1")
        if any(int(m) > MAX_VALUE for m in _WIDTH_RE.findall(text)):
            raise _too_big("格式宽度")
    values = args if isinstance(args, tuple | list) else (args.values() if isinstance(args, dict) else (args,))
    for value in values:
        n = _count(value)
        if n is not None and abs(n) > MAX_VALUE:  # a width given with "*" or "{:{w}}"
            raise _too_big("格式宽度")
    check_text(list(values))


def _check_width(width: Any, what: str = "宽度") -> None:
    n = _count(width)
    if n is not None and n > MAX_VALUE:
        raise _too_big(what)


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    if not isinstance(text, str | bytes) or not isinstance(old, str | bytes) or not isinstance(new, str | bytes):
        return
    if len(new) <= len(old):
        return
    hits = len(text) + 1 if not old else text.count(old)  # type: ignore[arg-type]
    limit = _count(count)
    if limit is not None and limit >= 0:
        hits = min(hits, limit)
    if len(text) + hits * (len(new) - len(old)) > MAX_VALUE:
        raise _too_big()


def text_size(value: Any, limit: int = MAX_VALUE) -> int:
    """About how many characters ``str(value)`` takes, counted without building it; stops past ``limit``.

    A list holding one long string many times, or nested in itself level after level, costs
    little memory but prints as gigabytes: this is checked wherever a template turns values into text.
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item) + 2
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 24
    return total


def check_text(value: Any, what: str = "运算结果") -> Any:
    """``value`` unless turning it into text would pass the limit (strings are checked by their length)."""
    if isinstance(value, list | tuple | set | frozenset | dict) and text_size(value) > MAX_VALUE:
        raise _too_big(what)
    return value


def _check_join(separator: Any, items: list[Any]) -> None:
    size = len(separator) * max(len(items) - 1, 0) if isinstance(separator, str | bytes) else 0
    if size + text_size(items) > MAX_VALUE:
        raise _too_big()


def _check_translate(text: Any, table: Any) -> None:
    if isinstance(text, str) and isinstance(table, dict):
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
        if len(text) * longest > MAX_VALUE:
            raise _too_big()


# String methods whose result can be far larger than the string: checked from their arguments.
_STR_CHECKS: dict[str, Callable[..., None]] = {
    "center": lambda s, width, *rest: _check_width(width),
    "ljust": lambda s, width, *rest: _check_width(width),
    "rjust": lambda s, width, *rest: _check_width(width),
    "zfill": lambda s, width, *rest: _check_width(width),
    "expandtabs": lambda s, tabsize=8, *rest: _check_width(
        (s.count("\t" if isinstance(s, str) else b"\t") + 1) * (_count(tabsize) or 0)),
    "replace": lambda s, old, new, count=-1, *rest: _check_replace(s, old, new, count),
    "translate": lambda s, table, *rest: _check_translate(s, table),
    "format": lambda s, *args, **kwargs: _check_format(s, (*args, *kwargs.values())),
    "format_map": lambda s, mapping, *rest: _check_format(s, mapping),
    "join": lambda s, items, *rest: _check_join(s, items),  # items made a list by LimitedSandbox.call
}


class _Generator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` through :meth:`LimitedSandbox.join_text` (checked)."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:  # Jinja's visitor name
        self.write("environment.join_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Budget(threading.local):
    range_left = RANGE_BUDGET


_BUDGET = _Budget()


def _range(*args: int) -> range:
    """Jinja's safe ``range`` (at most 100,000 items), and all of a rendering's ranges against one budget."""
    from jinja2.sandbox import safe_range

    items = safe_range(*args)
    _BUDGET.range_left -= len(items)
    if _BUDGET.range_left < 0:
        raise LimitExceeded(f"模板中的循环次数过多（一份初稿的 range 合计超过 {RANGE_BUDGET:,} 次），已停止")
    return items


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the bounds of this module."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    limits_version = 1  # part of the bytecode cache key: compiled templates depend on the checks

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.globals["lipsum"] = _guarded_lipsum(self.globals["lipsum"])  # type: ignore[arg-type]
        _guard_filters(self.filters)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_mul(left, right)
        elif operator == "**":
            _check_pow(left, right)
        elif operator == "%" and isinstance(left, str | bytes):
            _check_format(left, right)
        elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
            if len(left) + len(right) > MAX_VALUE:
                raise _too_big()
            if isinstance(left, list | tuple) and text_size(left) + text_size(right) > MAX_VALUE:
                raise _too_big()
        return _check_len(self.binop_table[operator](left, right))

    def join_text(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``: Jinja's ``str_join``, refusing a result over the limit."""
        for part in parts:
            if not isinstance(part, str):
                check_text(part)
        return str(_check_len("".join(map(str, parts))))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja's own signature
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str | bytes):
            name = getattr(method, "__name__", "")
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # looked at, then joined: an iterator is read once
            check = _STR_CHECKS.get(name)
            if check is not None:
                check(owner, *args, **kwargs)
        return _check_len(super().call(__context, __obj, *args, **kwargs))


def _guarded_lipsum(lipsum: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(lipsum)
    def guarded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:  # Jinja's names
        if (_count(n) or 0) * (_count(max) or 0) > MAX_VALUE // 8:
            raise _too_big("占位文字")
        return lipsum(n, html, min, max)

    return guarded


def _guard_filters(filters: dict[str, Callable[..., Any]]) -> None:
    """Wrap the stock filters whose output can dwarf their input; the wrappers keep Jinja's calling markers."""

    def wrap(name: str, check: Callable[..., None]) -> None:
        original = filters[name]
        passed = 1 if getattr(original, "jinja_pass_arg", None) is not None else 0  # context, eval_ctx or env

        @functools.wraps(original)  # copies ``jinja_pass_arg``: Jinja passes the same leading argument
        def guarded(*args: Any, **kwargs: Any) -> Any:
            check(*args[passed:], **kwargs)
            return _check_len(original(*args, **kwargs))

        filters[name] = guarded

    def replace(s: Any, old: Any, new: Any, count: Any = None) -> None:
        _check_replace(s, old, new, count)

    def join(value: Any, d: Any = "", attribute: Any = None) -> None:
        if isinstance(value, list | tuple):
            _check_join(d, list(value))

    def indent(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> None:
        lines = str(s).count("\n") + 1
        size = (_count(width) or 0) if not isinstance(width, str) else len(width)
        if lines * size > MAX_VALUE:
            raise _too_big()

    def wordwrap(s: Any, width: Any = 79, break_long_words: bool = True, wrapstring: Any = None,
                 break_on_hyphens: bool = True) -> None:
        lines = len(str(s)) // max(_count(width) or 1, 1) + 1
        if isinstance(wrapstring, str) and lines * len(wrapstring) > MAX_VALUE:
            raise _too_big()

    def batch(value: Any, linecount: Any, fill_with: Any = None) -> None:
        _check_width(linecount, "分组大小")

    def slice_(value: Any, slices: Any, fill_with: Any = None) -> None:
        _check_width(slices, "分组数")

    def sum_(iterable: Any, attribute: Any = None, start: Any = 0) -> None:
        if isinstance(start, _SIZED) and isinstance(iterable, list | tuple) \
                and len(start) + sum(len(x) for x in iterable if isinstance(x, _SIZED)) > MAX_VALUE:
            raise _too_big()

    def tojson(value: Any, indent: Any = None) -> None:
        if (_count(indent) or 0) > 100:
            raise _too_big("缩进")
        check_text(value)

    def as_text(value: Any, *args: Any, **kwargs: Any) -> None:
        check_text(value)

    wrap("center", lambda value, width=80: _check_width(width))
    wrap("format", lambda value, *args, **kwargs: _check_format(value, kwargs or args))
    wrap("replace", replace)
    wrap("join", join)
    wrap("indent", indent)
    wrap("wordwrap", wordwrap)
    wrap("batch", batch)
    wrap("slice", slice_)
    wrap("sum", sum_)
    wrap("tojson", tojson)
    for name in ("string", "pprint", "e", "escape", "forceescape", "urlencode", "xmlattr", "safe"):
        wrap(name, as_text)


# --------------------------------------------------------------------------- one rendering


def render_limited(template: Any, context: dict[str, Any]) -> str:
    """Render ``template`` with a fresh range budget, stopping once the output passes :data:`MAX_OUTPUT`."""
    _BUDGET.range_left = RANGE_BUDGET
    out: list[str] = []
    size = 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise LimitExceeded(f"模板生成的内容过多（一份初稿超过 {MAX_OUTPUT:,} 个字符），已停止")
        out.append(piece)
    return "".join(out)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """A deadline and (on Linux) a memory budget around one rendering of a user's template."""
    with _deadline(RENDER_SECONDS), _memory_budget(MEMORY_BUDGET):
        yield


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`LimitExceeded` in this thread after ``seconds`` (POSIX, main thread; else no deadline)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    live = [True]

    def expired(signum: int, frame: Any) -> None:
        if live[0]:
            raise LimitExceeded(f"模板运行超过 {seconds:g} 秒，已停止（可能是循环过多）")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        live[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), or None where it cannot be read."""
    try:
        import os

        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextlib.contextmanager
def _memory_budget(extra: int) -> Iterator[None]:
    """Let this process grow by at most ``extra`` bytes of address space meanwhile (RLIMIT_AS; Linux).

    A template that still finds a way to ask for gigabytes then gets a MemoryError, which the renderer
    reports, instead of the machine running out of memory.  Where the limit cannot be set, nothing changes.
    """
    try:
        import resource
    except ImportError:
        yield
        return
    used = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = None if used is None else used + extra
    if limit is not None and hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if limit is None or (soft != resource.RLIM_INFINITY and soft <= limit):
        yield  # unknown here, or already tighter
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
