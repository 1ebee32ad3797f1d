"""List prompts (choose one, choose several) in Chinese, built from questionary's list control.

Why not ``questionary.select`` and ``questionary.checkbox``: the checkbox hard-codes
English ("done (2 selections)", "Description:"), and both build two extra prompt
sessions for their layout, each loading every default key binding, which made the
first prompt 60 ms slower.  These reuse questionary's list control and its
``Question`` runner in one small application, show the full text of the
highlighted entry under the list (how a member reads a bank entry before choosing
it), and keep the answer on the question line once given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from generator.wizard.prompts import Option, clip

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.styles import Style


def list_height() -> int:
    """Lines of the list shown at once: the terminal less room for the question and the full text below."""
    import shutil

    return max(5, shutil.get_terminal_size().lines - 10)

SELECT_HELP = "（↑↓ 移动，回车确认）"
CHECKBOX_HELP = "（↑↓ 移动，空格 选中/取消，回车确认）"


def summary(options: Sequence[Option], values: Sequence[Any]) -> str:
    """What stays on the question line: the chosen titles, or their number when many."""
    chosen = [o.title for o in options if o.value in values and not o.action]
    if not chosen:
        return "（未选）"
    return clip("；".join(chosen)) if len(chosen) <= 3 else f"已选 {len(chosen)} 项"


def list_prompt(message: str, options: Sequence[Option], style: Style, *, multiple: bool = False,
                default: Any = None, validate: Callable[[list[Any]], str | None] | None = None) -> Any:
    """A questionary ``Question``: one value, or (``multiple``) the checked values in list order."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.filters import Condition, is_done
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys
    from prompt_toolkit.layout import ConditionalContainer, Dimension, FormattedTextControl, HSplit, Layout, Window
    from questionary import Choice
    from questionary.prompts.common import InquirerControl
    from questionary.question import Question
    from questionary.styles import merge_styles_default

    choices = [Choice(clip(o.title), value=o.value, checked=multiple and o.checked, shortcut_key=False)
               for o in options]
    start = next((c for c, o in zip(choices, options, strict=True) if o.value == default), None)
    control = InquirerControl(choices, pointer="»", initial_choice=start, use_indicator=multiple,
                              show_description=False)
    details = {id(c): o.detail for c, o in zip(control.choices, options, strict=True)}
    state: dict[str, str | None] = {"answer": None, "error": None}

    def checked() -> list[Any]:
        return [c.value for c in control.choices if c.value in control.selected_options]

    def prompt_tokens() -> StyleAndTextTuples:
        tokens: StyleAndTextTuples = [("class:qmark", "?"), ("class:question", f" {message} ")]
        if state["answer"] is not None:
            return [*tokens, ("class:answer", state["answer"])]
        return [*tokens, ("class:instruction", CHECKBOX_HELP if multiple else SELECT_HELP)]

    def detail_tokens() -> StyleAndTextTuples:
        text = details.get(id(control.get_pointed_at()), "")
        return [("class:detail", f"  {text}")] if text else []

    def error_tokens() -> StyleAndTextTuples:
        return [("class:error", f"  {state['error']}")] if state["error"] else []

    keys = KeyBindings()

    @keys.add(Keys.ControlC, eager=True)
    def _abort(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def move(step: int) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            go = control.select_next if step > 0 else control.select_previous
            go()
            while not control.is_selection_valid():
                go()

        return handler

    for key, step in ((Keys.Down, 1), (Keys.Up, -1), (Keys.ControlN, 1), (Keys.ControlP, -1), ("j", 1), ("k", -1)):
        keys.add(key, eager=True)(move(step))

    if multiple:
        @keys.add(" ", eager=True)
        def _toggle(event: Any) -> None:
            value = control.get_pointed_at().value
            if value in control.selected_options:
                control.selected_options.remove(value)
            else:
                control.selected_options.append(value)
            if state["error"] is not None:
                state["error"] = validate(checked()) if validate else None

    @keys.add(Keys.ControlM, eager=True)
    def _submit(event: Any) -> None:
        values = checked() if multiple else [control.get_pointed_at().value]
        state["error"] = validate(values) if validate and multiple else None
        if state["error"] is None:
            control.is_answered = True
            state["answer"] = summary(options, values)
            event.app.exit(result=values if multiple else values[0])

    @keys.add(Keys.Any)
    def _ignore(event: Any) -> None:
        """Typing does nothing in a list."""

    layout = Layout(HSplit([
        Window(FormattedTextControl(prompt_tokens), wrap_lines=True, dont_extend_height=True),
        ConditionalContainer(Window(control, height=Dimension(min=1, max=list_height())), filter=~is_done),
        ConditionalContainer(Window(FormattedTextControl(detail_tokens), wrap_lines=True, dont_extend_height=True),
                             filter=~is_done),
        ConditionalContainer(Window(FormattedTextControl(error_tokens), wrap_lines=True, dont_extend_height=True),
                             filter=Condition(lambda: state["error"] is not None) & ~is_done),
    ]))
    app: Application[Any] = Application(layout=layout, key_bindings=keys, style=merge_styles_default([style]))
    return cast(Any, Question(app))
