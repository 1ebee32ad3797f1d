"""check on a stack: Ctrl-C reports what was checked, the bar shows only in a terminal, workers give the same
result as one process.  (Speed is a benchmark row, benchmarks/run.py --only check, never a timed test.)"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from reliability_support import draftgen_command, process_env

from generator.check import check_files
from generator.cli import main


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Forty drafts of one branch (enough for the worker pool)."""
    folder = tmp_path_factory.mktemp("stack")
    people = "".join(f"  - name: 党员{i:02d}\n    role: 党员\n    post: 科员\n" for i in range(40))
    spec = folder / "spec.yaml"
    spec.write_text("template: personal\nmeeting: 2025年度专题组织生活会\nunit: 机关第一党支部\ndate: 2026-01-20\n"
                    "preset: 组织生活会四个方面\nseed: 3\noutput: \"{name}.docx\"\npeople:\n" + people,
                    encoding="utf-8")
    assert main(["batch", str(spec), "--out", str(folder / "drafts"), "--quiet", "--jobs", "1"]) == 0
    return sorted((folder / "drafts").glob("*.docx"))


def _summary(report: object) -> list[tuple[str, list[tuple[str, str, str]]]]:
    return [(Path(f.file).name, [(x.rule, x.where, x.message) for x in f.findings])
            for f in report.files]  # type: ignore[attr-defined]


def test_workers_find_what_one_process_finds(stack: list[Path]) -> None:
    one = check_files(stack, jobs=1)
    two = check_files(stack, jobs=2)
    assert _summary(one) == _summary(two)
    assert [s.sentence for s in one.shared] == [s.sentence for s in two.shared]
    assert one.shared and len(one.files) == 40


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children so far (Linux /proc), in seconds."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pid or int(entry.name) == pid:  # same process group (the session we started)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_reports_what_was_checked(stack: list[Path], tmp_path: Path, jobs: str) -> None:
    files = [str(p) for p in stack] * 20  # 800 paths: long enough to interrupt
    proc = subprocess.Popen(draftgen_command("check", "--jobs", jobs, *files), cwd=tmp_path, env=process_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while _cpu_seconds(proc.pid) < 2.5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)  # past start-up and well into reading, however loaded the machine is
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    out, err = proc.communicate(timeout=120)
    text, errors = out.decode(), err.decode()
    assert proc.returncode == 130, (proc.returncode, errors[-500:])
    assert "已中断：检查了 " in errors and "/800 份材料" in errors and "Traceback" not in errors
    checked = int(errors.split("已中断：检查了 ")[1].split("/")[0])
    assert 0 < checked < 800
    assert "按规则汇总：" in text and text.count("：发现 ") == checked


def test_progress_bar_only_in_a_terminal(stack: list[Path], tmp_path: Path) -> None:
    files = [str(p) for p in stack] * 6
    piped = subprocess.run(draftgen_command("check", *files), cwd=tmp_path, env=process_env(),
                           capture_output=True, timeout=300)
    assert "\r" not in piped.stderr.decode() and "检查:" not in piped.stderr.decode()
    master, slave = os.openpty()
    proc = subprocess.Popen(draftgen_command("check", *files), cwd=tmp_path, env=process_env(),
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while proc.poll() is None or select.select([master], [], [], 0.2)[0]:
        if select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    proc.wait(timeout=300)
    os.close(master)
    assert "检查" in seen.decode("utf-8", "replace") and b"\r" in seen
