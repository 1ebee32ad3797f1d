"""Writing drafts with ``--jobs``: Ctrl-C lets the drafts in flight finish and reports every file written.

With several jobs, chunks of drafts go to worker processes; with one or many, what is on disk is what
is listed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from generator.pool import chunk_size

REPO = Path(__file__).resolve().parent.parent


def test_chunks_keep_every_worker_busy() -> None:
    assert chunk_size(1, 2) == 1
    assert chunk_size(12, 2) == 1
    assert chunk_size(300, 2) == 8
    assert chunk_size(40, 2) == 5


@pytest.mark.skipif(os.name != "posix", reason="needs process groups and SIGINT")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_reports_exactly_the_files_written(tmp_path: Path, jobs: str) -> None:
    people = "".join(f"  - name: 党员{i:04d}\n" for i in range(1000))
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"date: 2026-01-20\npreset: 通用\npeople:\n{people}", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "DRAFTGEN_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "batch", str(spec), "--out", str(out), "-j", jobs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(out.glob("*.docx"))) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    stdout, stderr = proc.communicate(timeout=60)
    written = sorted(out.glob("*"))
    listed = stdout.decode().splitlines()
    if proc.returncode == 0:
        pytest.skip("the batch finished before the interrupt arrived")
    assert proc.returncode == 130
    assert sorted(str(p) for p in written) == sorted(listed)  # every file on stdout, no temporary left
    assert f"完成 {len(written)}/1000" in stderr.decode()
    for path in written:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
