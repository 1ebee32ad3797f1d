"""End to end in a real terminal: ``draftgen wizard`` runs in tmux, keys go in with ``send-keys`` and the
screen is read back with ``capture-pane``.  Runs wherever tmux is installed, and must run in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from wizard_support import document_xml

from generator.spec import load_spec

REPO = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None and not os.environ.get("CI"), reason="没有 tmux（CI 中必须运行）")


class Screen:
    """One tmux server of our own (its own socket), so nothing else the user runs in tmux is touched."""

    def __init__(self, cwd: Path) -> None:
        assert TMUX is not None, "CI 中必须安装 tmux"
        self.tmux_path = TMUX
        self.socket = f"draftgen-test-{uuid.uuid4().hex[:10]}"
        self.cwd = cwd
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
        self.env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color",
                        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))

    def tmux(self, *args: str) -> str:
        done = subprocess.run([self.tmux_path, "-u", "-L", self.socket, *args], capture_output=True, text=True,
                              env=self.env, timeout=15, check=True)
        return done.stdout

    def start(self, *args: str) -> None:
        command = " ".join([sys.executable, "-m", "generator", "wizard", *args])
        shell = f'cd "{self.cwd}" && {command}; echo "EXIT=$?"; sleep 600'
        self.tmux("new-session", "-d", "-s", "w", "-x", "110", "-y", "45", shell)

    def text(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", "w", "-S", "-3000")

    def wait_for(self, needle: str, count: int = 1, timeout: float = 30) -> str:
        """Poll the screen until ``needle`` shows ``count`` times; fail with the screen after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if screen.count(needle) >= count:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"{timeout} 秒内没有看到第 {count} 个“{needle}”。屏幕：\n{screen[-3000:]}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "w", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "w", "-l", text)

    def close(self) -> None:
        subprocess.run([self.tmux_path, "-L", self.socket, "kill-server"], capture_output=True, timeout=15,
                       env=self.env, check=False)


@pytest.fixture
def screen(tmp_path: Path) -> Iterator[Screen]:
    s = Screen(tmp_path)
    try:
        yield s
    finally:
        s.close()


AREAS = ("学习贯彻党的创新理论", "党性修养", "联系服务群众", "发挥先锋模范作用")
PROMPTS = ["要起草哪一种材料", "材料用于什么会议", "所在党支部或单位名称", "落款日期", "按哪个会议预设",
           "每个方面写几条问题", "? 姓名", "党内身份或职务", "工作岗位",
           *[p for a in AREAS for p in (f"{a}：选 2 条问题", "本人在这一方面的具体事例", f"{a}：整改措施")],
           "原因分析（已按所选问题预选）", "上年度整改落实情况", "典型案例剖析", "请核对全部回答"]


def test_enter_through_a_real_terminal_then_change_an_answer_on_the_review_screen(screen: Screen,
                                                                                 tmp_path: Path) -> None:
    (tmp_path / "me.yaml").write_text("name: 张明\nmeeting: 2025年度专题组织生活会\n", encoding="utf-8")
    screen.start("--answers", "me.yaml", "--out", "out")
    seen: dict[str, int] = {}
    for prompt in PROMPTS:
        seen[prompt] = seen.get(prompt, 0) + 1
        screen.wait_for(prompt, seen[prompt])
        if prompt != PROMPTS[-1]:
            screen.keys("Enter")
    shown = screen.text()
    assert "» ✔ 确认无误，生成初稿" in shown and "姓名：张明" in shown
    screen.keys("Down", "Down", "Enter")  # 会议
    screen.wait_for("材料用于什么会议", 2)
    screen.keys("C-u")
    screen.type("2025年度民主生活会")
    screen.keys("Enter")
    screen.wait_for("请核对全部回答", 2)
    screen.keys("Enter")
    final = screen.wait_for("EXIT=", timeout=60)
    assert "EXIT=0" in final, final[-2000:]
    draft = tmp_path / "out" / "张明-2025年度民主生活会个人对照检查材料.docx"
    answers = draft.with_name(draft.name[:-5] + ".answers.yaml")
    assert "已生成初稿" in final and draft.is_file()
    assert "2025年度民主生活会" in document_xml(draft).decode()
    spec = load_spec(answers)
    assert spec.meeting == "2025年度民主生活会" and spec.people[0].name == "张明"
    assert all(len(v) == 2 for v in spec.people[0].problems.values())


def _answer_until_the_date(screen: Screen) -> None:
    """Start the wizard and answer the first three questions (the unit typed), stopping at the date."""
    screen.start("--out", "out")
    screen.wait_for("要起草哪一种材料")
    screen.keys("Enter")
    screen.wait_for("材料用于什么会议")
    screen.keys("Enter")
    screen.wait_for("所在党支部或单位名称")
    screen.type("机关第一党支部")
    screen.keys("Enter")
    screen.wait_for("落款日期")


def test_ctrl_c_in_a_real_terminal_keeps_the_answers(screen: Screen, tmp_path: Path) -> None:
    _answer_until_the_date(screen)
    screen.keys("C-c")
    final = screen.wait_for("EXIT=")
    assert "EXIT=130" in final
    saved = tmp_path / "out" / "向导未完成.answers.yaml"
    assert "继续填写：draftgen wizard --answers out/向导未完成.answers.yaml --out out" in final
    assert "unit: 机关第一党支部" in saved.read_text(encoding="utf-8")


@pytest.mark.parametrize("sig, status", [("SIGTERM", 143), ("SIGHUP", 129)])
def test_kill_in_a_real_terminal_keeps_the_answers_too(sig: str, status: int, screen: Screen, tmp_path: Path) -> None:
    """SIGTERM (``kill``) and SIGHUP (the terminal closed) are taken as Ctrl-C: the answers so far are saved;
    the exit status is 128 + the signal."""
    import signal

    _answer_until_the_date(screen)
    shell = int(screen.tmux("list-panes", "-t", "w", "-F", "#{pane_pid}").split()[0])
    listing = Path(f"/proc/{shell}/task/{shell}/children")
    children = listing.read_text().split() if listing.exists() else \
        subprocess.run(["pgrep", "-P", str(shell)], capture_output=True, text=True).stdout.split()
    assert children, "the wizard process is not running"
    os.kill(int(children[0]), getattr(signal, sig))
    final = screen.wait_for("EXIT=")
    assert f"EXIT={status}" in final, final[-2000:]
    assert "Traceback" not in final
    saved = tmp_path / "out" / "向导未完成.answers.yaml"
    assert "unit: 机关第一党支部" in saved.read_text(encoding="utf-8")
