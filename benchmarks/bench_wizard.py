"""Time to the wizard's first prompt (issue 5 and 8: under 0.3 s on this machine), against ``python -c pass``.

Run:  python benchmarks/bench_wizard.py [--repeat N]

Each command runs as a whole process in a pseudo-terminal, the way a member starts
it; the clock stops when the first question's text reaches the terminal (for the
baseline, when the process exits).  The harness answers prompt_toolkit's cursor
position request like a terminal would.  Also measured, in-process: preparing the
first review area (loading the bank and planning the default draft), the pause after
the member's name.

Timings are printed, never asserted: unit tests stay free of timing.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_PROMPT = "要起草哪一种材料".encode()
CPR_REQUEST, CPR_ANSWER = b"\x1b[6n", b"\x1b[1;1R"
LIMIT = 1.0  # seconds a run may take before the benchmark gives up; a first prompt is far below


def _winsize(fd: int, rows: int = 40, cols: int = 100) -> None:
    import fcntl
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def in_terminal(argv: list[str], mark: bytes | None, env: dict[str, str]) -> float:
    """Seconds from starting ``argv`` in a pseudo-terminal until ``mark`` is printed (None: until it exits)."""
    master, slave = pty.openpty()
    _winsize(slave)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while mark is None or mark not in seen:
            ready, _, _ = select.select([master], [], [], LIMIT * 10)
            if not ready:
                raise TimeoutError(f"{argv} 没有在 {LIMIT * 10:.0f} 秒内显示提示")
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal: it has exited
                break
            if not chunk:
                break
            seen += chunk
            if CPR_REQUEST in chunk:
                os.write(master, CPR_ANSWER)
        elapsed = time.perf_counter() - start
        if mark is not None and mark not in seen:
            raise RuntimeError(f"{argv} 退出了而没有显示提示：{seen.decode(errors='replace')[-500:]}")
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return elapsed


def median_of(repeat: int, run: Callable[[], float]) -> tuple[float, float]:
    times = [run() for _ in range(repeat)]
    return statistics.median(times), min(times)


def prepare_first_area(name: str) -> float:
    """In-process: from the member's name to the first area's candidates (bank load, default draft)."""
    from generator.questions import Context
    from generator.wizard.answers import Answers
    from generator.wizard.flow import Wizard

    start = time.perf_counter()
    wizard = Wizard(Answers(values={"name": name}), prompter=None, ctx=Context())  # type: ignore[arg-type]
    wizard.view()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = {**os.environ, "LANG": "C.UTF-8", "TERM": "xterm-256color"}
    env.pop("CI", None)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "me.yaml"
        answers.write_text("name: 张明\n", encoding="utf-8")
        out = Path(tmp) / "out"
        rows = [
            ("python -c pass（进程退出）", [py, "-c", "pass"], None),
            ("python -c 'import questionary'（进程退出）", [py, "-c", "import questionary"], None),
            ("draftgen wizard：第一个提示", [py, "-m", "generator", "wizard", "--out", str(out)], FIRST_PROMPT),
            ("draftgen wizard --answers：第一个提示",
             [py, "-m", "generator", "wizard", "--answers", str(answers), "--out", str(out)], FIRST_PROMPT),
        ]
        results = [(label, *median_of(args.repeat, lambda a=argv, m=mark: in_terminal(a, m, env)))
                   for label, argv, mark in rows]
    floor = results[0][1]
    print(f"{'测量项':<44}{'中位数':>10}{'最快':>10}{'倍数':>8}")
    for label, median, best in results:
        print(f"{label:<40}{median * 1000:>10.0f} ms{best * 1000:>7.0f} ms{median / floor:>7.1f}×")
    first = results[2][1]
    print(f"\n第一个提示 {first * 1000:.0f} ms（目标 ≤ 300 ms）：{'达到' if first <= 0.3 else '未达到'}；"
          f"为 python -c pass 的 {first / floor:.1f} 倍。")
    prepare_first_area("张明")  # once for imports and the compiled bank cache
    area = min(prepare_first_area("张明") for _ in range(args.repeat))
    print(f"进程内：从姓名到第一个方面的候选（读词库、规划默认初稿）{area * 1000:.0f} ms（已有编译缓存）。")


if __name__ == "__main__":
    main()
