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

    def start(self, *args: str, size: tuple[int, int] = (110, 45)) -> None:
        command = " ".join([sys.executable, "-m", "generator", "wizard", *args])
        shell = f'cd "{self.cwd}" && {command}; echo "EXIT=$?"; sleep 600'
        self.tmux("new-session", "-d", "-s", "w", "-x", str(size[0]), "-y", str(size[1]), shell)

    def visible(self) -> str:
        """The screen as shown now (no scrollback), its rows joined: text wrapped by the prompt reads whole."""
        return "".join(self.tmux("capture-pane", "-p", "-t", "w").splitlines())

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
FACTS = "这条问题的具体事例"
PROMPTS = ["要起草哪一种材料", "材料用于什么会议", "所在党支部或单位名称", "按哪个会议预设",
           "? 姓名", "党内身份或职务", "工作岗位",
           *[p for a in AREAS for p in (f"{a}：选 2 条问题", FACTS, FACTS, f"{a}：整改措施")],
           "上年度整改落实情况", "请核对全部回答"]


def _walk(screen: Screen, prompts: list[str], seen: dict[str, int] | None = None,
          at: dict[int, str] | None = None) -> dict[str, int]:
    """Wait for each prompt in turn and press Enter, except at the last; ``at`` types text first (by index)."""
    seen = {} if seen is None else seen
    for i, prompt in enumerate(prompts):
        seen[prompt] = seen.get(prompt, 0) + 1
        screen.wait_for(prompt, seen[prompt])
        if at and i in at:
            screen.type(at[i])
            screen.keys("Enter")
        if i < len(prompts) - 1:
            screen.keys("Enter")
    return seen


def test_enter_through_a_real_terminal_then_change_an_answer_on_the_review_screen(screen: Screen,
                                                                                 tmp_path: Path) -> None:
    (tmp_path / "me.yaml").write_text("name: 张明\nmeeting: 2025年度专题组织生活会\n", encoding="utf-8")
    screen.start("--answers", "me.yaml", "--out", "out")
    _walk(screen, PROMPTS)
    shown = screen.text()
    assert "» ✔ 确认无误，生成初稿" in shown and "姓名：张明" in shown
    screen.keys("Down", "Down", "Enter")  # 会议
    screen.wait_for("材料用于什么会议", 2)
    screen.keys("C-u")
    screen.type("2025年度民主生活会")
    screen.keys("Enter")
    screen.wait_for("请核对全部回答", 2)
    assert "» 会议：2025年度民主生活会" in screen.visible()  # the cursor stays on the item just changed
    screen.keys("Up", "Up", "Enter")
    final = screen.wait_for("EXIT=", timeout=60)
    assert "EXIT=0" in final, final[-2000:]
    draft = tmp_path / "out" / "张明-2025年度民主生活会个人对照检查材料.docx"
    answers = draft.with_name(draft.name[:-5] + ".answers.yaml")
    assert "初稿已写好" in final and draft.is_file()
    assert "2025年度民主生活会" in document_xml(draft).decode()
    spec = load_spec(answers)
    assert spec.meeting == "2025年度民主生活会" and spec.people[0].name == "张明"
    assert all(len(v) == 2 for v in spec.people[0].problems.values())
    # The answers file the wizard finished opens on the review page, without a key pressed.
    screen.close()
    again = Screen(tmp_path)
    try:
        again.start("--answers", str(answers.relative_to(tmp_path)), "--out", "out")
        shown = again.wait_for("请核对全部回答")
        assert "要起草哪一种材料" not in shown and "» ✔ 确认无误，生成初稿" in shown
        again.keys("Enter")  # the one key: confirm (the draft exists, so it asks before replacing it)
        again.wait_for("已存在，要覆盖吗")
    finally:
        again.close()


def _answer_until_the_date(screen: Screen, stop: str = "按哪个会议预设") -> None:
    """Start the wizard and answer the first three questions (the unit typed), stopping at the next."""
    screen.start("--out", "out")
    screen.wait_for("要起草哪一种材料")
    screen.keys("Enter")
    screen.wait_for("材料用于什么会议")
    screen.keys("Enter")
    screen.wait_for("所在党支部或单位名称")
    screen.type("机关第一党支部")
    screen.keys("Enter")
    screen.wait_for(stop)


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


def _to_first_area(screen: Screen) -> None:
    (screen.cwd / "me.yaml").write_text("name: 张明\nmeeting: 2025年度专题组织生活会\n", encoding="utf-8")
    screen.start("--answers", "me.yaml", "--out", "out")
    _walk(screen, PROMPTS[:8])
    screen.keys("Enter")  # the area's two problems as pre-selected


def test_facts_typed_for_the_second_problem_land_under_it(screen: Screen, tmp_path: Path) -> None:
    _to_first_area(screen)
    screen.wait_for(FACTS, 1)
    screen.keys("Enter")  # nothing for the first problem
    screen.wait_for(FACTS, 2)
    shown = screen.text()
    assert "第 2 条问题：" in shown
    screen.type("全年到联系社区走访3次，收集意见5条，办结2条")
    screen.keys("Enter", "Enter")
    _walk(screen, PROMPTS[10:], seen={FACTS: 2, f"{AREAS[0]}：选 2 条问题": 1})
    screen.keys("Enter")
    final = screen.wait_for("EXIT=", timeout=60)
    assert "EXIT=0" in final, final[-2000:]
    draft = tmp_path / "out" / "张明-2025年度专题组织生活会个人对照检查材料.docx"
    spec = load_spec(draft.with_name(draft.name[:-5] + ".answers.yaml"))
    person = spec.people[0]
    second = person.problems[AREAS[0]][1]
    assert person.problem_facts[AREAS[0]] == ((), ("全年到联系社区走访3次，收集意见5条，办结2条",))
    from docx import Document

    paragraphs = [p.text for p in Document(str(draft)).paragraphs]
    with_fact = [p for p in paragraphs if "走访3次" in p]
    assert len(with_fact) == 2, with_fact  # under its problem, and followed up by that problem's measure
    problem, measure = with_fact
    assert problem.startswith("2.") and second.split("。")[0] in problem
    assert "“全年到联系社区走访3次" in measure and "月底前" in measure  # the same matter, a deadline
    assert paragraphs.index(measure) > paragraphs.index(problem)


def test_ctrl_c_in_a_multiline_answer_keeps_both_lines(screen: Screen, tmp_path: Path) -> None:
    _to_first_area(screen)
    screen.wait_for(FACTS, 1)
    screen.type("全年只写了3篇学习笔记")
    screen.keys("Enter")
    screen.type("读原著不系统，常常")  # the line in progress
    screen.keys("C-c")
    final = screen.wait_for("EXIT=")
    assert "EXIT=130" in final, final[-2000:]
    [saved] = (tmp_path / "out").glob("*.answers.yaml")
    text = saved.read_text(encoding="utf-8")
    assert "- 全年只写了3篇学习笔记\n" in text and "- 读原著不系统，常常\n" in text
    assert f"# 中断于：facts:{AREAS[0]}:0" in text
    # The resume starts at that question, the two lines in its box.
    screen.close()
    again = Screen(tmp_path)
    try:
        again.start("--answers", str(saved.relative_to(tmp_path)), "--out", "out")
        shown = again.wait_for(FACTS)
        assert "要起草哪一种材料" not in shown and "读原著不系统，常常" in shown
    finally:
        again.close()


def test_back_one_step_and_change_the_answer(screen: Screen, tmp_path: Path) -> None:
    _answer_until_the_date(screen, stop="按哪个会议预设")
    assert "Esc 返回上一步" in screen.visible()
    screen.keys("Escape")
    screen.wait_for("所在党支部或单位名称", 2)
    assert "机关第一党支部" in screen.visible().split("所在党支部或单位名称")[-1]  # its answer kept
    screen.keys("C-u")
    screen.type("机关第二党支部")
    screen.keys("Enter")
    screen.wait_for("按哪个会议预设", 2)
    screen.keys("C-c")
    final = screen.wait_for("EXIT=")
    assert "EXIT=130" in final
    saved = tmp_path / "out" / "向导未完成.answers.yaml"
    assert "unit: 机关第二党支部" in saved.read_text(encoding="utf-8")


def test_a_narrow_terminal_session_is_finished_with_every_hint_readable(screen: Screen, tmp_path: Path) -> None:
    from generator.wizard.lists import CHECKBOX_HELP, SELECT_HELP
    from generator.wizard.terminal import MULTILINE_HELP, TEXT_HELP

    (tmp_path / "me.yaml").write_text("name: 张明\nmeeting: 2025年度专题组织生活会\n", encoding="utf-8")
    screen.start("--answers", "me.yaml", "--out", "out", size=(60, 20))
    seen: dict[str, int] = {}
    hints = {"select": SELECT_HELP, "checkbox": CHECKBOX_HELP, "multiline": MULTILINE_HELP, "text": TEXT_HELP}
    kinds = ["select", "text", "text", "select", "text", "text", "text",
             *["checkbox", "multiline", "multiline", "checkbox"] * 4, "multiline", "select"]
    for prompt, kind in zip(PROMPTS, kinds, strict=True):
        seen[prompt] = seen.get(prompt, 0) + 1
        screen.wait_for(prompt, seen[prompt])
        time.sleep(0.2)  # the list and its hint are drawn after the question line
        now = screen.visible()
        # whole, wrapped rather than cut (a space at the end of a wrapped row is not shown, so spaces are ignored)
        assert "".join(hints[kind].split()) in "".join(now.split()), f"{prompt}: {hints[kind]}\n{now}"
        if kind == "checkbox":
            assert "＋ 自己写一条" in now, now
        if prompt != PROMPTS[-1]:
            screen.keys("Enter")
    screen.keys("Enter")
    final = screen.wait_for("EXIT=", timeout=60)
    assert "EXIT=0" in final, final[-2000:]
    assert "draftgen wizard --answers" in final  # the command on one line, not cut mid-word
    assert not any(line.endswith(("draftgen", "draftgen wi", "--ans")) for line in final.splitlines())
