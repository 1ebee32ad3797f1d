"""List prompts (choose one, choose several) in Chinese, built from questionary's list control.

Why not ``questionary.select`` and ``questionary.checkbox``: the checkbox hard-codes
English ("done (2 selections)", "Description:"), has no back key, limit or filter, and both build two extra prompt
sessions for their layout, each loading every default key binding, which made the
first prompt 60 ms slower.  These reuse questionary's list control and its
``Question`` runner in one small application, show the full text of the
highlighted entry under the list (how a member reads a bank entry before choosing
it), and keep the answer on the question line once given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from generator.wizard.prompts import BACK_HINT, Back, Option

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.styles import Style


def list_height() -> int:
    """Lines of the list shown at once: the terminal less room for the question and the full text below."""
    import shutil

    return max(4, shutil.get_terminal_size().lines - 11)


SELECT_HELP = f"↑↓ 移动，回车确认；{BACK_HINT}"
CHECKBOX_HELP = f"↑↓ 移动，空格 选中/取消，回车确认；Tab 自己写；打字可筛选；{BACK_HINT}"


def summary(options: Sequence[Option], values: Sequence[Any]) -> str:
    """What stays on the question line: the chosen titles, or their number when many."""
    chosen = [o.title for o in options if o.value in values and not o.action]
    if not chosen:
        return "（未选）"
    return "；".join(chosen) if len(chosen) <= 3 else f"已选 {len(chosen)} 项"


def counter(values: Sequence[Any], limit: int | None) -> str:
    return f"已选 {len(values)}/{limit}" if limit else f"已选 {len(values)} 条"


def list_prompt(message: str, options: Sequence[Option], style: Style, *, multiple: bool = False,
                default: Any = None, validate: Callable[[list[Any]], str | None] | None = None,
                limit: int | None = None) -> Any:
    """A questionary ``Question``: one value, or (``multiple``) the checked values in list order.

    Esc, ← or Backspace (with nothing typed) raise :class:`Back`.  In a checkbox, typed characters
    filter the list (an action entry such as "＋ 自己写…" always stays, first); ``limit`` caps the
    number checked and the question line counts them ("已选 1/2").  Long entries wrap, never cut.
    """
    from prompt_toolkit.application import Application
    from prompt_toolkit.filters import Condition, is_done
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from prompt_toolkit.layout import ConditionalContainer, Dimension, FormattedTextControl, HSplit, Layout, Window
    from questionary import Choice
    from questionary.prompts.common import InquirerControl
    from questionary.question import Question
    from questionary.styles import merge_styles_default

    choices = [Choice(o.title, value=o.value, checked=multiple and o.checked, shortcut_key=False)
               for o in options]
    # a checkbox starts on its first entry, below an action such as "＋ 自己写…", so Enter confirms
    wanted = (lambda o: not o.action) if multiple and default is None else (lambda o: o.value == default)
    start = next((c for c, o in zip(choices, options, strict=True) if wanted(o)), None)
    control = InquirerControl(choices, pointer="»", initial_choice=start, use_indicator=multiple,
                              show_description=False)
    every = list(control.choices)
    by_id = {id(c): o for c, o in zip(every, options, strict=True)}
    state: dict[str, str | None] = {"answer": None, "error": None, "filter": ""}

    def checked() -> list[Any]:
        return [c.value for c in every if c.value in control.selected_options and not by_id[id(c)].action]

    def prompt_tokens() -> StyleAndTextTuples:
        tokens: StyleAndTextTuples = [("class:qmark", "?"), ("class:question", f" {message} ")]
        if state["answer"] is not None:
            return [*tokens, ("class:answer", state["answer"])]
        if multiple:
            tokens.append(("class:answer", f"［{counter(checked(), limit)}］ "))
        tokens.append(("class:instruction", f"（{CHECKBOX_HELP if multiple else SELECT_HELP}）"))
        if state["filter"]:
            tokens.append(("class:answer", f"\n  筛选：{state['filter']}（Backspace 删除）"))
        return tokens

    def detail_tokens() -> StyleAndTextTuples:
        if not control.choices:
            return [("class:detail", "  没有含这些字的条目")]
        text = by_id[id(control.get_pointed_at())].detail
        return [("class:detail", f"  {text}")] if text else []

    def error_tokens() -> StyleAndTextTuples:
        return [("class:error", f"  {state['error']}")] if state["error"] else []

    def refilter() -> None:
        words = state["filter"] or ""
        control.choices = [c for c in every if by_id[id(c)].action or
                           words in by_id[id(c)].title + by_id[id(c)].detail]
        # on the first entry found, not on an action such as "＋ 自己写…" kept above them
        found = [i for i, c in enumerate(control.choices) if not by_id[id(c)].action]
        control.pointed_at = found[0] if found else 0

    keys = KeyBindings()

    @keys.add(Keys.ControlC, eager=True)
    def _abort(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @keys.add(Keys.Escape, eager=True)
    @keys.add(Keys.Left, eager=True)
    def _back(event: Any) -> None:
        event.app.exit(exception=Back())

    @keys.add(Keys.Backspace, eager=True)
    def _erase(event: Any) -> None:
        if state["filter"]:
            state["filter"] = (state["filter"] or "")[:-1]
            refilter()
        else:
            event.app.exit(exception=Back())

    def move(step: int) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            if not control.choices:
                return
            go = control.select_next if step > 0 else control.select_previous
            go()
            while not control.is_selection_valid():
                go()

        return handler

    for key, step in ((Keys.Down, 1), (Keys.Up, -1), (Keys.ControlN, 1), (Keys.ControlP, -1)):
        keys.add(key, eager=True)(move(step))

    if multiple:
        @keys.add(" ", eager=True)
        def _toggle(event: Any) -> None:
            if not control.choices:
                return
            pointed = control.get_pointed_at()
            value = pointed.value
            if value in control.selected_options:
                control.selected_options.remove(value)
            elif by_id[id(pointed)].action:
                state["error"] = "这一项不用选中：按回车打开"
                return
            elif limit and len(checked()) >= limit:
                state["error"] = f"最多选 {limit} 条：请先用空格取消一条"
                return
            else:
                control.selected_options.append(value)
            state["error"] = validate(checked()) if validate and state["error"] is not None else None

        action = next((o.value for o in options if o.action), None)

        @keys.add(Keys.Tab, eager=True)
        def _own(event: Any) -> None:
            """The action ("＋ 自己写…") from anywhere in the list, however far it has scrolled."""
            if action is not None:
                control.is_answered = True
                state["answer"] = summary(options, checked())
                event.app.exit(result=[*checked(), action])

        @keys.add(Keys.Any)
        def _type(event: Any) -> None:
            """Typing filters the list."""
            if event.data.isprintable() and not event.data.isspace():
                state["filter"] = (state["filter"] or "") + event.data
                refilter()
    else:
        @keys.add(Keys.Any)
        def _ignore(event: Any) -> None:
            """Typing does nothing in a one-choice list."""

    @keys.add(Keys.ControlM, eager=True)
    def _submit(event: Any) -> None:
        if not control.choices:
            return
        pointed = control.get_pointed_at()
        if multiple and by_id[id(pointed)].action:  # "＋ 自己写…": the flow opens a text prompt
            values = [*checked(), pointed.value]
        else:
            values = checked() if multiple else [pointed.value]
            state["error"] = validate(values) if validate and multiple else None
            if state["error"] is not None:
                return
        control.is_answered = True
        state["answer"] = summary(options, values)
        event.app.exit(result=values if multiple else values[0])

    layout = Layout(HSplit([
        Window(FormattedTextControl(prompt_tokens), wrap_lines=True, dont_extend_height=True),
        ConditionalContainer(Window(control, height=Dimension(min=1, max=list_height()), wrap_lines=True),
                             filter=~is_done),
        ConditionalContainer(Window(FormattedTextControl(detail_tokens), wrap_lines=True, dont_extend_height=True),
                             filter=~is_done),
        ConditionalContainer(Window(FormattedTextControl(error_tokens), wrap_lines=True, dont_extend_height=True),
                             filter=Condition(lambda: state["error"] is not None) & ~is_done),
    ]))
    app: Application[Any] = Application(layout=layout, key_bindings=keys, style=merge_styles_default([style]))
    return cast(Any, Question(app))
