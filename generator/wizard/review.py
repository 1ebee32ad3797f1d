"""The review screen: every answer on one list; choosing one asks it again.

A change clears what depends on it (another preset drops the areas it no longer
has, another count of problems re-asks areas with a different count, other
problems re-ask the causes, pre-selected to match) and then asks only those.
The cursor comes back to the item just changed, never to "生成初稿", so a
habitual Enter does not generate.  The back key during a change returns here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import DraftgenError
from generator.questions import question
from generator.targets import plan
from generator.wizard.answers import final_spec
from generator.wizard.ask import parse_error, shown
from generator.wizard.flow import Wizard, cn, title_of
from generator.wizard.prompts import Back, Option

if TYPE_CHECKING:
    from generator.taxonomy import Area

CONFIRM = "\0confirm"
LABELS = {
    "template": "材料类型", "meeting": "会议", "unit": "单位", "date": "落款日期",
    "problems_per_area": "每个方面的问题", "name": "姓名", "role": "身份", "post": "岗位",
    "sections.last_year": "上年度整改落实情况",
    "sections.case_study": "典型案例剖析", "seed": "写法", "output": "文件名",
}
EMPTY = "（未填）"


def _value(w: Wizard, key: str) -> str:
    value = w.value(key)
    if key == "template":
        return w.doctype.title
    if key == "seed":
        return f"第 {int(value) + 1} 种（选中可换一种写法）"
    if key == "output":
        return file_name(w) or shown(value)
    if key == "problems_per_area":
        return f"{value} 条"
    if key.startswith("sections.") and value:
        return f"已填 {len(value)} 字：{value}"
    return shown(value) or EMPTY


def _area_line(w: Wizard, index: int, area: Area) -> str:
    entry = w.a.area(area.heading)
    listed = []
    for p in entry.problems or ():
        facts = entry.problem_facts.get(p.text, ())
        listed.append(title_of(p.text) + (f"（事例 {len(facts)} 条）" if facts else "（未写事例）"))
    problems = "；".join(listed) or EMPTY
    return f"（{cn(index + 1)}）{area.heading}：{problems}｜措施 {len(entry.measures or ())} 条"


def file_name(w: Wizard) -> str:
    """The draft's file name as it will be written (not the pattern it is made from)."""
    try:
        return plan(final_spec(w.a, w.ctx)[0], Path("."), force=True)[0].path.name
    except DraftgenError:
        return ""


def entries(w: Wizard) -> list[tuple[str, Callable[[], None]]]:
    """(label, how to change it) for every answer, in the order they were asked."""
    out: list[tuple[str, Callable[[], None]]] = []

    def add(key: str) -> None:
        out.append((f"{LABELS[key]}：{_value(w, key)}", partial(change, w, key)))

    for key in ("template", "meeting", "unit", "date"):
        add(key)
    if w.a.values.get("dimensions"):
        areas = f"自选方面：{'、'.join(w.a.values['dimensions'])}"
    else:
        areas = f"会议预设：{w.value('preset')}"
    out.append((areas, partial(change, w, "preset")))
    add("problems_per_area")
    if w.doctype.per_person:
        for key in ("name", "role", "post"):
            add(key)
        for i, area in enumerate(w.areas()):
            out.append((_area_line(w, i, area), partial(change_area, w, i, area)))
        causes = "；".join(title_of(c.text) for c in w.a.causes or ())
        out.append((f"原因分析：{len(w.a.causes or ())} 条：{causes}", partial(change, w, "causes")))
    for key in ("sections.last_year", "sections.case_study", "seed", "output"):
        add(key)
    return out


def change(w: Wizard, key: str) -> None:
    if key == "preset":
        w.do("areas")
    elif key == "causes":
        w.a.step = "causes"
        w.ask_causes()
    elif key == "seed":  # another way of saying the same: the next variant, no number to type
        w.a.values["seed"] = int(w.value("seed")) + 1
    elif key == "output" and w.doctype.per_person:  # the name itself, not a pattern of {fields}
        q = question("output")
        name = w.p.text("初稿的文件名", file_name(w), check=lambda s: parse_error(q, s, w.ctx))
        w.a.values["output"] = q.parse(name, w.ctx) or w.value("output")
    else:
        w.do(f"q:{key}")
    w.fill_missing()


def change_area(w: Wizard, index: int, area: Area) -> None:
    w.ask_area(area)
    w.fill_missing()


def review(w: Wizard, at: int | None = None) -> None:
    """Show every answer until the member confirms; each change returns here, the cursor on it.

    Raises :class:`Back` when the member steps back from this screen (to the last question).
    """
    while True:
        listed = entries(w)
        options = [Option(CONFIRM, "✔ 确认无误，生成初稿")]
        options += [Option(i, label) for i, (label, _) in enumerate(listed)]
        w.p.say("")
        w.a.step = "review"
        choice = w.p.select("请核对全部回答：选中一项可以修改，选第一项生成初稿", options,
                            default=CONFIRM if at is None else min(at, len(listed) - 1))
        if choice == CONFIRM:
            return
        at = choice
        with suppress(Back):  # the back key during a change returns here
            listed[choice][1]()
