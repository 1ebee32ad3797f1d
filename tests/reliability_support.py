"""Shared machinery of the reliability suite (tests/test_reliability_*.py).

One way to run a command (in-process or as a real process), one way to say what
a refusal must look like (exit status, Chinese words, a bounded stderr, no
traceback, nothing changed on disk), and one way to check that a .docx is a
complete draft.  A new command's bad inputs are rows of :class:`Case` in a
table; nothing else has to be written for them.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import stat
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
MAX_STDERR = 2000  # characters; a refusal is a few lines however large the bad input was
_HAN_RE = re.compile("[\u4e00-\u9fff]")
_DATE_END_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*$")

# Words that must never reach a user: Python's own error reporting.
LEAKS = ("Traceback", "内部错误", 'File "', "Error:", "Exception")


@dataclass
class Run:
    """What a command did: its exit status and what it printed."""

    code: int
    out: str
    err: str

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out[:200]!r}, err={self.err[:600]!r})"


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def keyless_terminal() -> Iterator[None]:
    """The wizard sees a terminal that has no keys to give: its first prompt ends at once, as Ctrl-D does.

    So a refusal that must come *before the first question* cannot pass by asking one: a prompt
    would end the run with 130 (interrupted), not 2.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    import generator.cli.wizard as wizard

    saved = wizard.has_terminal
    wizard.has_terminal = lambda: True
    try:
        with create_pipe_input() as pipe:
            pipe.close()
            with create_app_session(input=pipe, output=DummyOutput()):
                yield
    finally:
        wizard.has_terminal = saved


def run_cli(argv: Sequence[str | Path], *, cwd: Path, stdin: bytes = b"", terminal: bool = False) -> Run:
    """``draftgen ARGV`` in this process, with ``stdin`` as its standard input, from folder ``cwd``.

    With ``terminal`` the wizard runs as in a terminal with no keys (:func:`keyless_terminal`).
    """
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with _cwd(cwd), redirect_stdout(out), redirect_stderr(err), \
                (keyless_terminal() if terminal else nullcontext()):
            try:
                code = main([str(a) for a in argv])
            except SystemExit as exc:  # argparse: usage errors, --help, --version
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdin = saved
    return Run(code, out.getvalue(), err.getvalue())


def process_env() -> dict[str, str]:
    """The environment of a real ``draftgen`` process: this source tree, this test's cache and config."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("DRAFTGEN_DEBUG", None)
    return env


def draftgen_command(*argv: str | Path) -> list[str]:
    return [sys.executable, "-m", "generator", *[str(a) for a in argv]]


def run_process(argv: Sequence[str | Path], *, cwd: Path, stdin: bytes = b"", timeout: float = 120,
                limit_memory: int | None = None) -> Run:
    """``draftgen ARGV`` as a real process; ``limit_memory`` caps its address space (bytes, POSIX)."""

    def limits() -> None:
        if limit_memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    done = subprocess.run(draftgen_command(*argv), cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                          env=process_env(), preexec_fn=limits if limit_memory is not None else None)
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


# --------------------------------------------------------------------------- disk state


def tree(root: Path) -> dict[str, str]:
    """Every file and folder under ``root``: relative path → content hash ("/" for a folder)."""
    state: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = path.lstat().st_mode
        if path.is_symlink():
            state[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            state[rel] = "/"
        elif not stat.S_ISREG(mode):  # a FIFO or a device: its kind is its state (reading it could block)
            state[rel] = f"special {stat.S_IFMT(mode):o} {path.lstat().st_rdev}"
        else:
            try:
                state[rel] = hashlib.sha1(path.read_bytes()).hexdigest()
            except OSError:  # unreadable on purpose (a permissions case): size and time stand in
                info = path.stat()
                state[rel] = f"unreadable {info.st_size} {info.st_mtime_ns}"
    return state


def changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Paths added, removed or modified between two :func:`tree` snapshots."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# --------------------------------------------------------------------------- refusals


def assert_clean_message(run: Run, *, words: Sequence[str] = ()) -> None:
    """stderr is short, Chinese, free of Python's error reporting, and says ``words``."""
    assert run.err.strip(), run
    assert len(run.err) <= MAX_STDERR, f"stderr is {len(run.err)} characters: {run.err[:300]!r}…"
    assert _HAN_RE.search(run.err), run
    for leak in LEAKS:
        assert leak not in run.err, (leak, run)
    for word in words:
        assert word in run.err, (word, run)


@dataclass(frozen=True)
class Case:
    """One bad input for one command: files to create, the command line, and what must happen.

    In ``argv``, ``files`` keys and ``says``, ``{d}`` stands for the case's own
    folder.  A ``files`` value of ``None`` makes a folder.  ``changes`` lists the
    paths (relative to ``{d}``) the command may create or change; by default it
    must leave the disk exactly as it found it.
    """

    id: str
    argv: tuple[str, ...]
    files: Mapping[str, bytes | str | None] = field(default_factory=dict)
    says: tuple[str, ...] = ()
    code: int = 2
    stdin: bytes = b""
    changes: tuple[str, ...] = ()
    needs: Callable[[], str | None] | None = None  # returns why the case cannot run here, or None
    prepare: Callable[[Path], None] | None = None  # a last touch to the files (e.g. chmod), given {d}
    process: bool = False  # run as a separate process: for inputs that once crashed the interpreter itself
    terminal: bool = False  # the wizard gets a terminal with no keys (a refusal must come before any prompt)
    memory: int | None = None  # address space it may use (more, in-process): an endless input must not take more


def materialize(case: Case, folder: Path) -> None:
    """Create the case's input files under ``folder``."""
    for name, content in case.files.items():
        path = folder / name.replace("{d}", str(folder))
        if content is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)


def expand(text: str, folder: Path) -> str:
    return text.replace("{d}", str(folder))


@contextmanager
def address_space(extra: int | None) -> Iterator[None]:
    """In this process, at most ``extra`` more bytes of address space for a while (Linux; else no limit)."""
    statm = Path("/proc/self/statm")
    if extra is None or not statm.exists():
        yield
        return
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    used = int(statm.read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (used + extra, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def check_case(case: Case, folder: Path) -> Run:
    """Run ``case`` in ``folder`` and assert exit status, message and an untouched disk."""
    if case.needs is not None:
        import pytest

        why = case.needs()
        if why:
            pytest.skip(why)
    materialize(case, folder)
    if case.prepare is not None:
        case.prepare(folder)
    before = tree(folder)
    argv = [expand(a, folder) for a in case.argv]
    if case.process:
        run = run_process(argv, cwd=folder, stdin=case.stdin, limit_memory=case.memory)
    else:
        with address_space(case.memory):
            run = run_cli(argv, cwd=folder, stdin=case.stdin, terminal=case.terminal)
    assert run.code == case.code, run
    if case.code != 0:
        assert_clean_message(run, words=[expand(w, folder) for w in case.says])
    else:
        for leak in LEAKS:
            assert leak not in run.err, (leak, run)
    changed = changes(before, tree(folder))
    allowed = [p for p in changed if not any(Path(p).match(glob) for glob in case.changes)]
    assert not allowed, f"files changed: {allowed[:10]}"
    assert not [p for p in tree(folder) if p.endswith(".part")], "a temp file was left behind"
    return run


# --------------------------------------------------------------------------- drafts


def xml_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels"))}


def assert_valid_xml(data: bytes) -> None:
    """Every XML part of a .docx parses (no entities resolved, nothing fetched)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert "word/document.xml" in names and "[Content_Types].xml" in names
    for name, xml in xml_parts(data).items():
        try:
            etree.fromstring(xml, parser)
        except etree.XMLSyntaxError as exc:  # pragma: no cover - the failure itself
            raise AssertionError(f"{name} is not well-formed: {exc}") from None


def assert_complete_draft(path: Path, *, reopen: bool = True) -> list[str]:
    """A finished draft: a valid package ending with the signature date; ``reopen`` also opens it in python-docx.

    Returns the paragraph texts.  Without ``reopen`` the check is five times
    faster (lxml only), for folders of hundreds of drafts.
    """
    from lxml import etree

    assert not path.name.startswith("."), path
    data = path.read_bytes()
    assert_valid_xml(data)
    if reopen:
        import docx

        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    else:
        body = etree.fromstring(xml_parts(data)["word/document.xml"])
        paragraphs = ["".join(p.itertext()) for p in body.iter(f"{{{_W}}}p")]
    assert paragraphs and _DATE_END_RE.search(paragraphs[-1]), (path.name, paragraphs[-3:])
    return paragraphs


def drafts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".docx" and not p.name.startswith("."))


def leftovers(folder: Path) -> list[Path]:
    """Anything in an output folder that is not a finished draft."""
    return sorted(p for p in folder.iterdir() if not (p.suffix == ".docx" and not p.name.startswith(".")))


def assert_safe_file_name(name: str) -> None:
    """One component, not hidden, no reserved or invisible characters, not a Windows device, not too long."""
    from generator.filenames import _RESERVED

    assert name.lower().endswith(".docx") and not name.startswith((".", " ")), name
    assert not any(c in name for c in '/\\:*?"<>|\x00\t\n\u202e\u200b\u2028'), name
    stem = name[: -len(".docx")]
    assert stem and stem == stem.rstrip(". "), name
    assert stem.split(".")[0].strip().upper() not in _RESERVED, name
    assert len(name.encode()) <= 255, name


def yaml_quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every character YAML cannot hold raw written as an escape."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0xA0 or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029) \
                or (code >= 0xFFFE and code <= 0xFFFF) or code == 0xFEFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# Characters no draft may contain, whatever the input: controls, bidi and zero-width marks,
# private use (draftgen's own markers), surrogates, noncharacters, tag characters.
FORBIDDEN_IN_DRAFTS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
    "\ue000-\uf8ff\ud800-\udfff\ufffe\uffff\U000e0000-\U000e007f]"
)


def document_text(path: Path) -> str:
    """All text of word/document.xml (runs joined), to look for characters that must not be there."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "".join(root.itertext())


# --------------------------------------------------------------------------- damaged .docx files


def good_docx() -> bytes:
    """A small but real draft, written by draftgen itself, to damage in many ways."""
    from generator.doctree import Document, Heading, Paragraph, Signature, Span, Title
    from generator.ooxml import render_docx

    doc = Document(
        Title("2025年度专题组织生活会个人对照检查材料"),
        (Heading(1, "一、存在的问题"),
         Paragraph((Span("理论学习不够深入，存在以干代学的现象。"),)),
         Heading(1, "二、问题产生的原因"),
         Paragraph((Span("理想信念的“总开关”拧得不够紧。"),)),
         Heading(1, "三、整改措施"),
         Paragraph((Span("制定个人学习计划，每月精读一篇原著。"),)),
         Signature("张三", "2026年1月20日")),
        {"doctype": "personal"},
    )
    return render_docx(doc)


def _rebuild(data: bytes, *, drop: Sequence[str] = (), replace: Mapping[str, bytes] | None = None) -> bytes:
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.pop(info.filename, src.read(info.filename)))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _document(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document xmlns:w="{_W}"><w:body>{body}'
            "</w:body></w:document>").encode()


def zip_bomb(size: int = 256 * 1024 * 1024) -> bytes:
    """A .docx whose document.xml unpacks to ``size`` bytes of XML from well under 1 MB (built in chunks)."""
    head = _document("<w:p><w:r><w:t>").split(b"<w:p>")[0] + b"<w:p><w:r><w:t>"
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    base = _rebuild(good_docx(), drop=("word/document.xml",))
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("word/document.xml", "w", force_zip64=True) as fh:
        fh.write(head)
        chunk = b"a" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        fh.write(tail)
    return out.getvalue()


def many_parts(count: int = 6000) -> bytes:
    """A .docx with thousands of tiny parts (a zip bomb that is wide instead of deep)."""
    out = io.BytesIO(good_docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(f"word/media/x{i}.bin", b"")
    return out.getvalue()


def damaged_docx() -> dict[str, bytes]:
    """Ways a .docx can be broken, each as the bytes of a file (zip bombs separately: they are slow to build)."""
    good = good_docx()
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    billion = f'<!DOCTYPE d [<!ENTITY l0 "ha">{laughs}]>'
    external = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return {
        "empty": b"",
        "text": "这不是 Word 文件\n".encode(),
        "random": zlib.compress(bytes(range(256)) * 64)[:3000],
        "truncated-half": good[: len(good) // 2],
        "truncated-tail": good[:-30],  # the central directory is cut off
        "no-content-types": _rebuild(good, drop=("[Content_Types].xml",)),
        "no-package-rels": _rebuild(good, drop=("_rels/.rels",)),
        "no-document": _rebuild(good, drop=("word/document.xml",)),
        "no-document-rels": _rebuild(good, drop=("word/_rels/document.xml.rels",)),
        "document-not-xml": _rebuild(good, replace={"word/document.xml": b"\x00\x01binary"}),
        "document-unclosed": _rebuild(good, replace={"word/document.xml": _document("<w:p><w:r><w:t>x")[:-30]}),
        "document-wrong-root": _rebuild(good, replace={"word/document.xml": b"<?xml version='1.0'?><html/>"}),
        "content-types-broken": _rebuild(good, replace={"[Content_Types].xml": b"<Types"}),
        "styles-broken": _rebuild(good, replace={"word/styles.xml": b"<<<"}),
        "billion-laughs": _rebuild(good, replace={"word/document.xml": _document(
            "<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>", billion)}),
        "external-entity": _rebuild(good, replace={"word/document.xml": _document(
            "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", external)}),
        "bad-encoding": _rebuild(good, replace={"word/document.xml": _document(
            "<w:p><w:r><w:t>\xff\xfe</w:t></w:r></w:p>").replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe")}),
    }


# --------------------------------------------------------------------------- processes


def kill_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    """Signal a process and its workers, as a terminal's Ctrl-C or a kill of the job does."""
    os.killpg(proc.pid, sig)


def read_lines(proc: subprocess.Popen[bytes], count: int, timeout: float = 60) -> list[str]:
    """The first ``count`` lines of a process's stdout (fewer if it ends first), waiting at most ``timeout``.

    It stops only at a line boundary: a line half read when ``count`` is reached is read to its end,
    or the caller, reading the rest later, would see its tail as a line of its own.
    """
    import selectors
    import time

    lines: list[str] = []
    buffer = b""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while (len(lines) < count or buffer) and time.monotonic() < deadline:
            if not sel.select(timeout=0.5):
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines.extend(c.decode("utf-8", "replace") for c in complete)
    if buffer:  # the process ended (or time ran out) in the middle of a line
        lines.append(buffer.decode("utf-8", "replace"))
    return lines


SIGNALS = {"SIGINT": signal.SIGINT, "SIGKILL": getattr(signal, "SIGKILL", signal.SIGTERM)}
