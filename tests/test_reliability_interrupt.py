"""Interruptions lose nothing: Ctrl-C, kill, kill -9 and two batches racing for one folder, with one and two jobs.

Each test runs ``draftgen batch`` as a real process over a few hundred drafts,
interrupts it once some drafts are out, and then looks at the folder: only
complete drafts under final names (a killed run may leave hidden ``.part``
temp files, which the next run sweeps once they are stale), and a rerun with
``--skip-existing`` finishes the rest.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from reliability_support import (
    LEAKS,
    assert_complete_draft,
    draftgen_command,
    drafts,
    kill_group,
    leftovers,
    process_env,
    read_lines,
    run_cli,
    run_process,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

PEOPLE = 200
_DONE_RE = re.compile(r"已中断：完成 (\d+)/(\d+)")


@pytest.fixture(scope="module")
def big_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_spec(tmp_path_factory.mktemp("spec") / "spec.yaml", PEOPLE)


def _write_spec(path: Path, count: int, prefix: str = "党员") -> Path:
    people = "".join(f"  - name: {prefix}{i:03d}\n" for i in range(count))
    path.write_text(f"date: 2026-01-20\npreset: 通用\npeople:\n{people}", encoding="utf-8")
    return path


def _start(spec: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A batch in its own process group, as a job started from a terminal."""
    return subprocess.Popen(draftgen_command("batch", spec, "--out", out, *extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=process_env(), start_new_session=True)


def _finish(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


@contextmanager
def _running(proc: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """Whatever happens in the test, the batch and its workers end and their pipes are closed."""
    with proc:
        try:
            yield proc
        finally:
            if proc.poll() is None:  # only when an assertion failed half-way
                kill_group(proc, signal.SIGKILL)
                proc.wait()


def _interrupt(spec: Path, out: Path, jobs: int, sig: int, after: int = 12) -> tuple[int, str, list[str]]:
    with _running(_start(spec, out, "--jobs", str(jobs))) as proc:
        seen = read_lines(proc, after)
        assert len(seen) >= after, (seen, proc.poll())
        kill_group(proc, sig)
        code, rest, err = _finish(proc)
    return code, err, seen + rest.splitlines()


def _all_complete(out: Path, *, reopen: bool = True) -> list[Path]:
    found = drafts(out)
    for path in found:
        assert_complete_draft(path, reopen=reopen)
    return found


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_cleanly_and_a_rerun_finishes(jobs: int, big_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err, printed = _interrupt(big_spec, out, jobs, signal.SIGINT)
    assert code == 130, err
    match = _DONE_RE.search(err)
    assert match and int(match.group(2)) == PEOPLE, err
    assert "--skip-existing" in err and "。；" not in err
    assert not any(leak in err for leak in LEAKS), err
    on_disk = _all_complete(out)
    assert not leftovers(out), leftovers(out)  # Ctrl-C leaves no temp file
    assert 12 <= int(match.group(1)) <= len(on_disk) < PEOPLE, (err, len(on_disk))
    assert {Path(line).name for line in printed} <= {p.name for p in on_disk}

    rerun = run_process(["batch", big_spec, "--out", out, "--skip-existing", "--jobs", "2"], cwd=tmp_path)
    assert rerun.code == 0, rerun
    assert f"跳过已存在的 {len(on_disk)} 份" in rerun.err, rerun
    assert len(_all_complete(out, reopen=False)) == PEOPLE and not leftovers(out)


_TERM_RE = re.compile(r"已终止（收到终止信号 SIGTERM）：完成 (\d+)/(\d+)")


@pytest.mark.parametrize("whom", ["group", "parent"])
def test_kill_stops_like_ctrl_c(whom: str, big_spec: Path, tmp_path: Path) -> None:
    """SIGTERM (``kill``, to the job or to the batch alone): drafts in flight finish, exit 143 with the count."""
    out = tmp_path / "out"
    with _running(_start(big_spec, out, "--jobs", "2")) as proc:
        seen = read_lines(proc, 12)
        assert len(seen) >= 12, seen
        if whom == "group":
            kill_group(proc, signal.SIGTERM)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        code, rest, err = _finish(proc)
    assert code == 143, err
    match = _TERM_RE.search(err)
    assert match and int(match.group(2)) == PEOPLE and "--skip-existing" in err, err
    assert not any(leak in err for leak in LEAKS), err
    on_disk = _all_complete(out, reopen=False)
    assert not leftovers(out), leftovers(out)
    assert int(match.group(1)) == len(on_disk) == len(seen + rest.splitlines()) < PEOPLE, (err, len(on_disk))


def test_a_command_gives_back_the_sigterm_handler_it_found(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    run_cli(["presets"], cwd=tmp_path)
    assert signal.getsignal(signal.SIGTERM) is before


def test_ctrl_c_count_matches_the_disk_with_two_jobs(big_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, err, _ = _interrupt(big_spec, out, 2, signal.SIGINT)
    match = _DONE_RE.search(err)
    assert code == 130 and match, err
    assert int(match.group(1)) == len(drafts(out)), (err, len(drafts(out)))


@pytest.mark.parametrize("jobs", [1, 2])
def test_kill_9_leaves_only_complete_drafts(jobs: int, big_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, _ = _interrupt(big_spec, out, jobs, signal.SIGKILL)
    assert code == -signal.SIGKILL
    time.sleep(0.2)  # orphaned workers, if any, are gone with the group
    on_disk = _all_complete(out)
    assert 12 <= len(on_disk) < PEOPLE
    for extra in leftovers(out):  # a killed writer's temp file: hidden, never under a final name
        assert extra.name.startswith(".") and extra.name.endswith(".part"), extra
    rerun = run_process(["batch", big_spec, "--out", out, "--skip-existing", "--jobs", "2"], cwd=tmp_path)
    assert rerun.code == 0, rerun
    assert len(_all_complete(out, reopen=False)) == PEOPLE


def test_killing_only_the_parent_lets_its_workers_end_quietly(big_spec: Path, tmp_path: Path) -> None:
    """``kill -9`` of the batch alone: its workers stop between drafts, without a traceback or a temp file.

    The workers write to the same stderr pipe, so reading it to the end also waits for them to exit.
    """
    out = tmp_path / "out"
    with _running(_start(big_spec, out, "--jobs", "2")) as proc:
        assert len(read_lines(proc, 12)) >= 12
        os.kill(proc.pid, signal.SIGKILL)
        code, _, err = _finish(proc, timeout=60)
    assert code == -signal.SIGKILL
    assert err.strip() == "", err  # no "Process ForkPoolWorker-1: Traceback …"
    on_disk = _all_complete(out)
    assert not leftovers(out), leftovers(out)
    assert 12 <= len(on_disk) < PEOPLE
    rerun = run_process(["batch", big_spec, "--out", out, "--skip-existing", "--jobs", "2"], cwd=tmp_path)
    assert rerun.code == 0 and len(_all_complete(out, reopen=False)) == PEOPLE, rerun


def test_stale_temp_files_are_swept_but_a_live_writer_keeps_its_own(tmp_path: Path) -> None:
    """What a SIGKILL can leave: old unlocked ``.part`` files go; one held by a running writer stays."""
    fcntl = pytest.importorskip("fcntl")
    from generator.fsio import STALE_AFTER

    spec = _write_spec(tmp_path / "spec.yaml", 8)
    out = tmp_path / "out"
    out.mkdir()
    name = "党员000-2025年度专题组织生活会个人对照检查材料.docx"  # the date 2026-01-20 reviews 2025
    stale, live, young = (out / f".{name[:40]}.{tag}.part" for tag in ("dead0001", "live0001", "new00001"))
    foreign = out / ".someone-else.docx.x.part"
    for path in (stale, live, young, foreign):
        path.write_bytes(b"PK\x03\x04 half a draft")
    old = time.time() - STALE_AFTER - 60
    for path in (stale, live, foreign):
        os.utime(path, (old, old))
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        run = run_process(["batch", spec, "--out", out], cwd=tmp_path)
    finally:
        os.close(holder)
    assert run.code == 0, run
    assert not stale.exists(), "a stale temp file of this batch's drafts is removed"
    assert live.exists(), "a temp file another process holds is left alone"
    assert young.exists(), "a recent temp file may belong to a writer that just started"
    assert foreign.exists(), "only temp files named after this batch's drafts are considered"
    assert len(_all_complete(out)) == 8


RACERS = 40


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, bytes]]]:
    """A spec and its drafts with seed 1 and with seed 2, each written alone (the two possible outcomes)."""
    folder = tmp_path_factory.mktemp("race")
    spec = _write_spec(folder / "spec.yaml", RACERS, "并发")
    versions = []
    for seed in (1, 2):
        ref = folder / f"ref{seed}"
        run = run_process(["batch", spec, "--out", ref, "--seed", str(seed), "-q", "--jobs", "2"], cwd=folder)
        assert run.code == 0, run
        versions.append({p.name: _document_xml(p.read_bytes()) for p in drafts(ref)})
    return spec, versions


@pytest.mark.parametrize("skip", [True, False])
def test_a_draft_that_appears_after_planning(skip: bool, tmp_path: Path) -> None:
    """Another batch writes a draft between this one's planning and its writing of that draft.

    With ``--skip-existing`` it is skipped and reported as skipped, never replaced; without, the run stops
    with exit 2 before touching it, and says whose draft and how many drafts it had written.
    """
    from generator.errors import DraftgenError
    from generator.generate import generate, plan
    from generator.spec import load_spec

    spec = load_spec(_write_spec(tmp_path / "spec.yaml", 4, "竞争"))
    out = tmp_path / "out"
    names = [t.path for t in plan(spec, out)]
    theirs = b"written by the other batch"

    def other_batch(path: Path) -> None:
        if path == names[0]:  # right after our first draft, the other batch takes our third
            names[2].write_bytes(theirs)

    if skip:
        result = generate(spec, out, skip_existing=True, on_written=other_batch)
        assert result.written == [names[0], names[1], names[3]] and result.skipped == [names[2]]
    else:
        with pytest.raises(DraftgenError, match="已存在") as caught:
            generate(spec, out, on_written=other_batch)
        assert names[2].name in caught.value.render()
        assert "第 3 份初稿（竞争002）" in caught.value.render() and "已写入 2 份初稿" in caught.value.render()
    assert names[2].read_bytes() == theirs
    assert not leftovers(out)


def _document_xml(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


@pytest.mark.parametrize("mode", ["--force", "--skip-existing", "plain"])
def test_two_batches_into_one_folder_never_corrupt_a_file(mode: str, race: tuple[Path, list[dict[str, bytes]]],
                                                          tmp_path: Path) -> None:
    """Each final file is exactly one batch's complete draft; the loser of a race for a name says so.

    With ``--skip-existing`` a name the other batch took meanwhile is skipped (and
    counted as skipped): both batches finish with 0 and together wrote every draft once.
    """
    spec, versions = race
    out = tmp_path / "out"
    flags = [] if mode == "plain" else [mode]
    with ExitStack() as stack:
        procs = [stack.enter_context(_running(_start(spec, out, "--seed", str(seed), "--jobs", str(jobs), *flags)))
                 for seed, jobs in ((1, 1), (2, 2))]
        results = [_finish(p) for p in procs]
    for code, _, err in results:
        assert not any(leak in err for leak in LEAKS), err
        if mode != "plain":
            assert code == 0, err
        else:  # the loser of a race stops with a message instead of overwriting ("已有" when it saw them first)
            assert code == 0 or (code == 2 and ("已存在" in err or "已有" in err)), err
    assert not leftovers(out), leftovers(out)
    final = _all_complete(out, reopen=False)
    if mode != "plain":
        assert len(final) == RACERS
    if mode == "--skip-existing":  # each draft written once, by one of the two; the other says it skipped it
        written = [out.splitlines() for _, out, _ in results]
        assert sorted(Path(p).name for p in written[0] + written[1]) == sorted(p.name for p in final)
    for path in final:
        assert _document_xml(path.read_bytes()) in {v[path.name] for v in versions}, path.name
    finish = run_process(["batch", spec, "--out", out, "--skip-existing"], cwd=tmp_path)
    assert finish.code == 0 and len(_all_complete(out, reopen=False)) == RACERS, finish
