"""A hostile or unlucky environment: special files, links, odd names, no home, outputs that go away.

Classes of issue 15, each a table of cases or a test of its own:
(1) a reader that closes the pipe early; (2) ``--force`` onto a device, a FIFO or a folder;
(3) a symbolic link in ``--templates``; (4) FIFOs and devices as inputs; (6) file names
that are not UTF-8; (7) ``--explain`` and an existing report; (8) stdout closed, full or
in an encoding that cannot hold the names; (9) no home folder; (13) SIGHUP.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from reliability_support import (
    LEAKS,
    Case,
    assert_clean_message,
    assert_complete_draft,
    check_case,
    draftgen_command,
    drafts,
    kill_group,
    leftovers,
    process_env,
    read_lines,
    run_cli,
    run_process,
)

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files, signals and process groups")
pytestmark = POSIX

SPEC = "date: 2026-01-20\npreset: 通用\npeople:\n  - name: 张三\n  - name: 李四\n"
DRAFT = "张三-2025年度专题组织生活会个人对照检查材料.docx"
BATCH = ("batch", "{d}/spec.yaml", "--out", "{d}/out")
MEMORY = 1024 * 1024 * 1024  # an endless input read without a bound would pass this at once


def _many(count: int) -> str:
    people = "".join(f"  - name: 党员{i:03d}\n" for i in range(count))
    return f"date: 2026-01-20\npreset: 通用\npeople:\n{people}"


def _root_only() -> str | None:
    return None if os.geteuid() == 0 else "making a device file needs root"


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def _device(name: str) -> Callable[[Path], None]:
    """A character device like /dev/null (1, 3), made under the case's folder."""
    return lambda d: os.mknod(d / name, 0o666 | stat.S_IFCHR, os.makedev(1, 3))


def _link(name: str, to: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).symlink_to(to.replace("{d}", str(d)))
    return make


# --------------------------------------------------------------------------- (2) --force and special files

FORCE_CASES = [
    Case("import-force-onto-fifo", ("import", "{d}/a.docx", "-o", "{d}/out.yaml", "--force"),
         prepare=_fifo("out.yaml"), says=("out.yaml", "命名管道", "不是普通文件")),
    Case("import-force-onto-device", ("import", "{d}/a.docx", "-o", "{d}/out.yaml", "--force"),
         prepare=_device("out.yaml"), needs=_root_only, says=("out.yaml", "设备文件", "不是普通文件")),
    Case("batch-force-onto-fifo", (*BATCH, "--force"), {"spec.yaml": SPEC, "out": None},
         prepare=_fifo(f"out/{DRAFT}"), says=(DRAFT, "命名管道", "即使加 --force")),
    Case("batch-force-onto-device", (*BATCH, "--force"), {"spec.yaml": SPEC, "out": None},
         prepare=_device(f"out/{DRAFT}"), needs=_root_only, says=(DRAFT, "设备文件")),
    Case("batch-force-onto-folder", (*BATCH, "--force"), {"spec.yaml": SPEC, f"out/{DRAFT}": None},
         says=(DRAFT, "文件夹", "不是普通文件")),
    Case("batch-skip-existing-fifo", (*BATCH, "--skip-existing"), {"spec.yaml": SPEC, "out": None},
         prepare=_fifo(f"out/{DRAFT}"), says=(DRAFT, "命名管道")),
    Case("batch-explain-force-onto-fifo", (*BATCH, "--force", "--explain"), {"spec.yaml": SPEC, "out": None},
         prepare=_fifo("out/选材说明.txt"), says=("选材说明.txt", "命名管道")),
]

# --------------------------------------------------------------------------- (3) links out of --templates

_SECRET = "机密文件中的一句话"
_TEMPLATES = ("batch", "{d}/spec.yaml", "--out", "{d}/out", "--templates", "{d}/tpl")

LINK_CASES = [
    Case("template-includes-a-link-out", _TEMPLATES,
         {"spec.yaml": SPEC, "secret.txt": _SECRET, "tpl/personal.j2": "::title {% include 'x.j2' %}\n"},
         prepare=_link("tpl/x.j2", "{d}/secret.txt"), says=("x.j2", "符号链接", "没有写入任何初稿")),
    Case("template-is-a-link-out", _TEMPLATES, {"spec.yaml": SPEC, "secret.j2": f"::title {_SECRET}\n", "tpl": None},
         prepare=_link("tpl/personal.j2", "{d}/secret.j2"), says=("personal.j2", "符号链接")),
    Case("template-folder-linked-to-etc", _TEMPLATES,
         {"spec.yaml": SPEC, "tpl/personal.j2": "::title {% include 'etc/hostname' %}\n"},
         prepare=_link("tpl/etc", "/etc"), says=("etc/hostname", "符号链接")),
]

# --------------------------------------------------------------------------- (4) endless special files as inputs

ENDLESS_CASES = [
    Case("spec-is-dev-zero", ("batch", "/dev/zero", "--out", "{d}/out"), says=("/dev/zero", "太大"),
         process=True, memory=MEMORY),
    Case("spec-links-to-dev-zero", BATCH, prepare=_link("spec.yaml", "/dev/zero"), says=("spec.yaml", "太大"),
         process=True, memory=MEMORY),
    Case("answers-is-dev-zero", ("wizard", "--answers", "/dev/zero", "--out", "{d}/out"), says=("/dev/zero", "太大"),
         terminal=True, memory=MEMORY),
    Case("preset-is-dev-zero", ("presets", "--presets", "{d}/p"), {"p": None}, prepare=_link("p/x.yaml", "/dev/zero"),
         says=("x.yaml", "太大"), process=True, memory=MEMORY),
    Case("bank-file-is-dev-zero", (*BATCH, "--bank", "{d}/bank"), {"spec.yaml": SPEC, "bank/mined": None},
         prepare=_link("bank/mined/a.yaml", "/dev/zero"), says=("a.yaml", "太大"), process=True, memory=MEMORY),
    Case("bank-file-is-fifo", (*BATCH, "--bank", "{d}/bank"), {"spec.yaml": SPEC, "bank/mined": None},
         prepare=_fifo("bank/mined/a.yaml"), says=("a.yaml", "命名管道")),
    Case("mine-source-is-dev-zero", ("mine", "{d}/a.txt", "--out", "{d}/bank"), prepare=_link("a.txt", "/dev/zero"),
         says=("/dev/zero", "太大"), process=True, memory=MEMORY),
]


@pytest.mark.parametrize("case", FORCE_CASES + LINK_CASES + ENDLESS_CASES, ids=lambda c: c.id)
def test_special_files_and_links_are_refused(case: Case, tmp_path: Path) -> None:
    """Exit 2, a message naming the file and why; the FIFO or device is still there, nothing else changed."""
    if case.argv[0] == "import":
        from reliability_support import good_docx

        case = replace(case, files={**case.files, "a.docx": good_docx()})
    run = check_case(case, tmp_path)
    assert _SECRET not in run.out + run.err


def test_stdin_that_never_ends_is_read_bounded(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(draftgen_command("classify"), stdin=zero, capture_output=True, cwd=tmp_path,
                              env=process_env(), timeout=60,
                              preexec_fn=lambda: __import__("resource").setrlimit(
                                  __import__("resource").RLIMIT_AS, (MEMORY, MEMORY)))
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "标准输入太大" in err and not any(leak in err for leak in LEAKS), err


def test_a_fifo_spec_that_never_ends_is_read_bounded(tmp_path: Path) -> None:
    """A FIFO says 0 bytes to stat; the writer here would go on for ever."""
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer() -> None:
        try:
            with open(fifo, "wb") as fh:
                chunk = b"# " + b"x" * 65534 + b"\n"
                while not stop.is_set():
                    fh.write(chunk)
        except OSError:  # the reader went away: done
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        run = run_process(["batch", fifo, "--out", tmp_path / "out"], cwd=tmp_path, limit_memory=MEMORY, timeout=60)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert run.code == 2, run
    assert_clean_message(run, words=["spec.yaml", "太大"])
    assert not (tmp_path / "out").exists()


def test_a_fifo_spec_with_an_ordinary_spec_is_read(tmp_path: Path) -> None:
    """The control: a spec given through a pipe (``batch <(cat spec.yaml)``) works as a file does."""
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    thread = threading.Thread(target=lambda: fifo.write_text(SPEC, encoding="utf-8"), daemon=True)
    thread.start()
    run = run_process(["batch", fifo, "--out", tmp_path / "out", "-q"], cwd=tmp_path, timeout=120)
    thread.join(timeout=10)
    assert run.code == 0, run
    assert [p.name for p in drafts(tmp_path / "out")] == sorted([DRAFT, DRAFT.replace("张三", "李四")])


def test_force_still_replaces_a_regular_file_and_a_link_itself(tmp_path: Path) -> None:
    """The control of (2): what --force is for keeps working; a link is replaced, what it names is not."""
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    (out / DRAFT).write_bytes(b"old")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / DRAFT.replace("张三", "李四")).symlink_to(victim)
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out, "--force"], cwd=tmp_path)
    assert run.code == 0, run
    for path in drafts(out):
        assert not path.is_symlink()
        assert_complete_draft(path, reopen=False)
    assert victim.read_text(encoding="utf-8") == "keep"


# --------------------------------------------------------------------------- (6) names that are not UTF-8

GBK_NAME = os.fsdecode("张三".encode("gbk"))  # what a name from a Windows archive is on Linux


def _gbk_files(folder: Path) -> Path:
    from reliability_support import good_docx

    folder.mkdir()
    (folder / f"{GBK_NAME}.docx").write_bytes(good_docx())
    (folder / f"{os.fsdecode('范文'.encode('gbk'))}.txt").write_text(
        "一、存在的问题\n理论学习不够深入，存在以干代学的现象。\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("via", ["in-process", "process"])
def test_import_of_a_gbk_named_docx(via: str, tmp_path: Path) -> None:
    src = _gbk_files(tmp_path / "src") / f"{GBK_NAME}.docx"
    argv = ["import", src, "-o", tmp_path / "out.yaml"]
    run = run_cli(argv, cwd=tmp_path) if via == "in-process" else run_process(argv, cwd=tmp_path)
    assert run.code == 0, run
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "从 张三.docx 导出" in text
    assert not any(leak in run.err for leak in LEAKS), run
    if via == "process":
        assert "张三.docx" in run.err  # the message shows the name readably, not as \udcd5…


def test_mine_of_gbk_named_files(tmp_path: Path) -> None:
    src = _gbk_files(tmp_path / "src")
    run = run_process(["mine", src, "--out", tmp_path / "bank"], cwd=tmp_path)
    assert run.code == 0, run
    mined = sorted(p.name for p in (tmp_path / "bank" / "mined").iterdir())
    assert mined == ["张三.yaml", "范文.yaml"], mined
    assert "source: 范文.txt" in (tmp_path / "bank" / "mined" / "范文.yaml").read_text(encoding="utf-8")


def test_a_bad_file_with_a_gbk_name_is_named_readably(tmp_path: Path) -> None:
    bad = tmp_path / f"{GBK_NAME}.yaml"
    bad.write_bytes("name: 张三\n".encode("gbk"))
    run = run_process(["batch", bad, "--out", tmp_path / "out"], cwd=tmp_path)
    assert run.code == 2, run
    assert_clean_message(run, words=["张三.yaml", "不是 UTF-8"])


# --------------------------------------------------------------------------- (7) --explain


def _explain_case(id: str, extra: tuple[str, ...], code: int, says: tuple[str, ...] = (),
                  changes: tuple[str, ...] = ()) -> Case:
    return Case(id, (*BATCH, "--explain", *extra), {"spec.yaml": SPEC, "out/选材说明.txt": "我自己的笔记"},
                code=code, says=says, changes=changes)


EXPLAIN_CASES = [
    _explain_case("explain-existing-report", (), 2, ("选材说明.txt", "--force")),
]


@pytest.mark.parametrize("case", EXPLAIN_CASES, ids=lambda c: c.id)
def test_explain_never_replaces_a_report_without_force(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
    assert (tmp_path / "out" / "选材说明.txt").read_text(encoding="utf-8") == "我自己的笔记"


@pytest.mark.parametrize("flag", ["--force", "--skip-existing"])
def test_explain_with_force_or_skip_existing(flag: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "选材说明.txt").write_text("我自己的笔记", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out, "--explain", flag], cwd=tmp_path)
    assert run.code == 0, run
    report = (out / "选材说明.txt").read_text(encoding="utf-8")
    listed = [Path(line).name for line in run.out.splitlines()]
    if flag == "--force":
        assert report.startswith("选材说明（draftgen") and DRAFT in report
        assert listed[-1] == "选材说明.txt", listed  # listed on stdout, after the drafts
    else:
        assert report == "我自己的笔记" and "选材说明.txt" not in listed
        assert "已存在，未覆盖" in run.err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_explain_reuses_the_runs_drafts(jobs: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each draft is composed once however the report is asked for; the report describes every draft."""
    from generator.compose import Composer

    calls: list[int] = []
    original = Composer.draft

    def counted(self: Composer, index: int) -> object:
        calls.append(index)
        return original(self, index)

    monkeypatch.setattr(Composer, "draft", counted)
    people = 12
    (tmp_path / "spec.yaml").write_text(_many(people), encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(["batch", tmp_path / "spec.yaml", "--out", out, "--explain", "-j", jobs], cwd=tmp_path)
    assert run.code == 0, run
    if jobs == "1":  # in workers the calls happen in other processes: counted only here
        assert sorted(calls) == list(range(people)), calls
    report = (out / "选材说明.txt").read_text(encoding="utf-8")
    for path in drafts(out):
        assert f"\n{path.name}\n" in report
    assert re.search(r"两两相似度.*最高 \d\.\d\d", report), report[:300]
    assert report.count("｜来源 ") >= people * 3


# --------------------------------------------------------------------------- (9) no home folder


@pytest.mark.parametrize("argv", [
    ("batch", "{d}/spec.yaml", "--out", "{d}/out"),
    ("presets",),
    ("phrases", "学习"),
], ids=lambda a: a[0])
def test_no_home_folder(argv: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cron or a container: no HOME and no passwd entry, so Path.home() raises as Python does there."""
    from pathlib import Path as P

    def no_home() -> P:
        raise RuntimeError("Could not determine home directory.")

    for var in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "DRAFTGEN_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(P, "home", staticmethod(no_home))
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    run = run_cli([a.replace("{d}", str(tmp_path)) for a in argv], cwd=tmp_path)
    assert run.code == 0, run
    assert not any(leak in run.err for leak in LEAKS), run
    if argv[0] == "batch":
        assert len(drafts(tmp_path / "out")) == 2


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_no_home_and_no_passwd_entry_in_a_real_process() -> None:
    """The real thing: a user id the system does not know, and no HOME."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="draftgen-nohome-"))
    try:
        _run_as_nobody(folder)
    finally:
        shutil.rmtree(folder)


def _run_as_nobody(tmp_path: Path) -> None:
    tmp_path.chmod(0o777)
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "spec.yaml").chmod(0o644)
    env = {k: v for k, v in process_env().items() if k not in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                                                "DRAFTGEN_CACHE_DIR")}
    repo = Path(__file__).resolve().parent.parent
    if any(not os.access(p, os.X_OK) or not (os.stat(p).st_mode & 0o001) for p in [repo, *repo.parents]):
        pytest.skip("the source tree is not readable by another user here")
    done = subprocess.run(["/usr/bin/setpriv", "--reuid", "54321", "--regid", "54321", "--clear-groups",
                           *draftgen_command("batch", tmp_path / "spec.yaml", "--out", tmp_path / "out")],
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert not any(leak in err for leak in LEAKS), err
    assert len(drafts(tmp_path / "out")) == 2


# --------------------------------------------------------------------------- (1, 8, 13) outputs that go away


def _start(spec: Path, out: Path, *extra: str, stdout: int = subprocess.PIPE,
           env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(draftgen_command("batch", spec, "--out", out, *extra), stdout=stdout,
                            stderr=subprocess.PIPE, env=env or process_env(), start_new_session=True)


@pytest.fixture(scope="module")
def big_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(_many(200), encoding="utf-8")
    return path


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            kill_group(proc, signal.SIGKILL)
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


_COUNT_RE = re.compile(r"完成 (\d+)/(\d+)")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_goes_away_stops_the_batch_with_the_count(jobs: str, big_spec: Path, tmp_path: Path,
                                                                running: list[subprocess.Popen[bytes]]) -> None:
    """``draftgen batch … | head -1``: 141 and the count of drafts written (a rerun with --skip-existing
    finishing the rest is shown for Ctrl-C in test_reliability_interrupt.py: the same path)."""
    out = tmp_path / "out"
    proc = _start(big_spec, out, "--jobs", jobs)
    running.append(proc)
    assert proc.stdout is not None and proc.stderr is not None
    first = read_lines(proc, 1)
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "标准输出已被关闭" in err and "--skip-existing" in err, err
    assert not any(leak in err for leak in LEAKS), err
    match = _COUNT_RE.search(err)
    on_disk = drafts(out)
    assert match and int(match.group(1)) == len(on_disk) and int(match.group(2)) == 200, (err, len(on_disk))
    assert len(on_disk) < 200 and Path(first[0]).name == on_disk[0].name
    assert not leftovers(out)
    for path in on_disk:
        assert_complete_draft(path, reopen=False)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sighup_lists_what_was_written_and_says_so(jobs: str, big_spec: Path, tmp_path: Path,
                                                   running: list[subprocess.Popen[bytes]]) -> None:
    """The terminal closed: drafts in flight finish and are listed; 129 and the count on stderr."""
    out = tmp_path / "out"
    proc = _start(big_spec, out, "--jobs", jobs)
    running.append(proc)
    seen = read_lines(proc, 12)
    assert len(seen) >= 12, seen
    kill_group(proc, signal.SIGHUP)
    rest, err_bytes = proc.communicate(timeout=120)
    err = err_bytes.decode()
    assert proc.returncode == 129, err
    assert "终端已关闭" in err and "--skip-existing" in err, err
    assert not any(leak in err for leak in LEAKS), err
    match = _COUNT_RE.search(err)
    listed = seen + rest.decode().splitlines()
    on_disk = drafts(out)
    assert match and int(match.group(1)) == len(on_disk) == len(listed) < 200, (err, len(on_disk), len(listed))
    assert sorted(Path(line).name for line in listed) == [p.name for p in on_disk]
    assert not leftovers(out)


def _shell_batch(spec: Path, out: Path, redirect: str, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[bytes]:
    command = " ".join(f"'{a}'" for a in draftgen_command("batch", spec, "--out", out)) + " " + redirect
    return subprocess.run(["/bin/sh", "-c", command], capture_output=True, env=env or process_env(), timeout=120)


@pytest.mark.parametrize("redirect, says", [
    (">&-", "启动时已被关闭"),
    (">/dev/full", "磁盘空间不足"),
])
def test_stdout_that_cannot_take_the_list(redirect: str, says: str, tmp_path: Path) -> None:
    """Every draft is written (the list is a courtesy); the message says why the list is short, with counts; 2."""
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    spec = tmp_path / "spec.yaml"
    spec.write_text(_many(20), encoding="utf-8")
    done = _shell_batch(spec, tmp_path / "out", redirect)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert says in err and "只列出了写出的 20 个文件中的 0 个" in err and "已生成 20 份初稿" in err, err
    assert not any(leak in err for leak in LEAKS), err
    assert len(drafts(tmp_path / "out")) == 20 and not leftovers(tmp_path / "out")


def test_stdout_in_an_encoding_without_chinese_still_lists_exactly(tmp_path: Path) -> None:
    """The names go out as their own bytes (as ls prints them): a pipe reader gets paths it can open."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    env = {**process_env(), "PYTHONIOENCODING": "ascii"}
    done = _shell_batch(spec, tmp_path / "out", "", env=env)
    assert done.returncode == 0, done.stderr
    listed = [Path(os.fsdecode(line)) for line in done.stdout.splitlines()]
    assert sorted(listed) == drafts(tmp_path / "out")


@pytest.mark.parametrize("redirect, code, says", [
    (">/dev/full", 2, "标准输出无法写入（磁盘空间不足）"),
    (">&-", 2, "启动时已被关闭"),
])
def test_other_commands_name_stdout_when_it_fails(redirect: str, code: int, says: str, tmp_path: Path) -> None:
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    command = " ".join(f"'{a}'" for a in draftgen_command("phrases", "学习")) + " " + redirect
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, env=process_env(), timeout=120)
    err = done.stderr.decode()
    assert done.returncode == code, err
    assert says in err and not any(leak in err for leak in LEAKS), err


def test_a_listing_command_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    """``draftgen phrases … | head -1``: the reader has what it wanted; no message, the status of SIGPIPE."""
    with subprocess.Popen(draftgen_command("phrases", "学习", "-q"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=process_env()) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert code in (0, 141), err  # 0 when all of it fit in the pipe before the reader left
    assert err == "", err


def test_every_command_gives_back_the_signal_handlers_it_found(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    run_cli(["presets"], cwd=tmp_path)
    assert {s: signal.getsignal(s) for s in before} == before


def test_one_message_per_cause() -> None:
    from generator import interrupt

    assert [interrupt.exit_status(c) for c in (interrupt.SIGINT, interrupt.SIGTERM, interrupt.SIGHUP,
                                               interrupt.PIPE)] == [130, 143, 129, 141]
    assert len({interrupt.describe(c) for c in (2, 15, 1, 13)}) == 4
