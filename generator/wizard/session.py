"""One wizard session: pre-fill, ask, review, write; on Ctrl-C keep what was answered.

The draft is generated from the answers file's own text, parsed and validated
by the batch spec loader, so ``draftgen batch`` on that file writes the same
document by construction.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from generator.wizard.answers import Answers
from generator.wizard.prompts import Option, Prompter

if TYPE_CHECKING:
    from generator.questions import Context
    from generator.spec import Spec
    from generator.wizard.flow import Wizard

EXIT_OK, EXIT_INTERRUPTED = 0, 130


@dataclass(frozen=True)
class Options:
    """What the command line decides: where to write, what to pre-fill from, whether to overwrite."""

    out: Path = Path(".")
    answers: Path | None = None
    person: str | None = None
    force: bool = False
    preset_dirs: tuple[Path, ...] = ()
    quiet: bool = False


def check_out_dir(out: Path) -> None:
    """Refuse an unusable output folder before the first question, not after the last."""
    from generator.fsio import check_writable_folder

    check_writable_folder(out)


def _person(spec: Spec, opts: Options, p: Prompter) -> int | None:
    """Which member of a spec to pre-fill: ``--person``, the only one, or asked."""
    from generator.errors import UsageError
    from generator.taxonomy import suggest

    if not spec.people or not spec.doctype.per_person:
        return None
    names = [person.name for person in spec.people]
    if opts.person:
        if opts.person not in names:
            raise UsageError(f"{opts.answers} 中没有“{opts.person}”{suggest(opts.person, names)}")
        return names.index(opts.person)
    if len(names) == 1:
        return 0
    options = [Option(i, f"{person.name}（{person.role}）") for i, person in enumerate(spec.people)]
    index: int = p.select(f"{opts.answers} 中有 {len(names)} 名党员，为谁起草？", options, default=0)
    return index


def final_spec(w: Wizard) -> tuple[Spec, str]:
    """The answers file's text and the spec it loads into (through the batch loader)."""
    from generator.spec import build_spec
    from generator.wizard.answers import header
    from generator.yamlio import dump_yaml, parse_yaml

    text = header(w.ctx.today) + dump_yaml(w.a.to_data())
    return build_spec(parse_yaml(text, "向导的回答"), w.ctx), text


def _overwrite(p: Prompter, taken: list[Path]) -> bool:
    names = "、".join(str(t) for t in taken)
    options = [Option(False, "不覆盖，返回核对页（可修改文件名格式，或加 --force 重新运行）"), Option(True, "覆盖")]
    answer: bool = p.select(f"{names} 已存在，要覆盖吗？", options, default=False)
    return answer


def finish(w: Wizard, opts: Options) -> tuple[Path, Path]:
    """Review until confirmed, then write the answers file and the draft beside it."""
    from generator.errors import DraftgenError, InputError
    from generator.generate import generate, plan
    from generator.wizard.answers import answers_path
    from generator.wizard.review import review

    while True:
        review(w)
        try:
            spec, text = final_spec(w)
        except InputError as exc:
            w.p.say(exc.render(), "class:warn")
            continue
        draft = plan(spec, opts.out, force=True)[0].path
        saved = answers_path(draft)
        mine = opts.answers.resolve() if opts.answers else None
        taken = [t for t in (draft, saved) if t.exists() and t.resolve() != mine]
        if taken and not opts.force and not _overwrite(w.p, taken):
            continue
        _save_answers(saved, text)
        try:
            generate(spec, opts.out, force=True)
        except DraftgenError:
            print(f"回答已保存到 {saved}，可修正后用 draftgen batch {saved} 生成。", file=sys.stderr)
            raise
        return draft, saved


def _save_answers(saved: Path, text: str) -> None:
    """Write the answers file; if the folder refuses it now (a full disk, a folder gone since the start),
    the member's answers still go somewhere, and the message says where, before the error is reported."""
    import tempfile

    from generator.errors import OutputError
    from generator.fsio import home
    from generator.wizard.answers import free_path, write_text

    try:
        write_text(saved, text, force=True)
    except OutputError:
        own = home()
        for folder in (*([own] if own is not None else []), Path(tempfile.gettempdir())):
            try:
                spare = free_path(folder / saved.name)
                write_text(spare, text, force=False)
            except (OutputError, OSError):
                continue
            print(f"回答无法保存到 {saved}，已另存到 {spare}；可用 draftgen wizard --answers {spare} 继续。",
                  file=sys.stderr)
            break
        raise


def _partial_path(answers: Answers, opts: Options, ctx: Context) -> Path:
    """Where the answers so far go: where the finished answers file will be, when the name is known."""
    from generator.errors import DraftgenError
    from generator.generate import plan
    from generator.spec import build_spec
    from generator.wizard.answers import PARTIAL_NAME, answers_path, free_path
    from generator.yamlio import dump_yaml, parse_yaml

    target = opts.out / PARTIAL_NAME
    if answers.values.get("name"):
        try:
            spec = build_spec(parse_yaml(dump_yaml(answers.to_data()), "向导的回答"), ctx)
            target = answers_path(plan(spec, opts.out, force=True)[0].path)
        except DraftgenError:
            pass
    return free_path(target, [opts.answers] if opts.answers else [])


def save_partial(answers: Answers, opts: Options, ctx: Context, err: TextIO) -> None:
    from generator.wizard.answers import header, write_text
    from generator.yamlio import dump_yaml

    if answers.empty():
        print("\n已中断，还没有需要保存的回答。", file=err)
        return
    target = _partial_path(answers, opts, ctx)
    note = "# 向导中途中断时保存，尚未完成。\n"
    write_text(target, header(ctx.today) + note + dump_yaml(answers.to_data()), force=True)
    out = f" --out {opts.out}" if opts.out != Path(".") else ""
    print(f"\n已中断。目前的回答已保存到 {target}\n继续填写：draftgen wizard --answers {target}{out}", file=err)


def run_wizard(opts: Options, prompter: Prompter | None = None) -> int:
    """Run the whole wizard; returns the exit status (0, or 130 after Ctrl-C, 143 after SIGTERM).

    Without ``--answers`` nothing but prompt_toolkit is loaded before the first
    prompt (see :mod:`generator.wizard.first`); the rest loads while it is read.
    """
    from functools import partial

    from generator.wizard.first import KEY, ask_first, warm_up

    check_out_dir(opts.out)
    loaded = _load(opts) if opts.answers else None
    if prompter is None:
        from generator.wizard.prompts import Terminal

        prompter = Terminal()
    answers = Answers()
    ctx: Context | None = None
    try:
        if loaded:
            from generator.wizard.answers import from_spec

            spec, nameless, ctx = loaded
            answers = from_spec(spec, _person(spec, opts, prompter), nameless=nameless)
        prompter.later(partial(warm_up, opts.preset_dirs))
        raw = ask_first(prompter, answers.values.get(KEY))
        from generator.questions import Context, question
        from generator.wizard.flow import Wizard

        ctx = ctx or Context(preset_dirs=opts.preset_dirs)
        answers.values[KEY] = question(KEY).parse(raw, ctx)
        wizard = Wizard(answers, prompter, ctx)
        wizard.run(skip=(KEY,))
        draft, saved = finish(wizard, opts)
    except (KeyboardInterrupt, EOFError) as stop:
        from generator.interrupt import cause_of, exit_status
        from generator.questions import Context

        save_partial(answers, opts, ctx or Context(preset_dirs=opts.preset_dirs), sys.stderr)
        return EXIT_INTERRUPTED if isinstance(stop, EOFError) else exit_status(cause_of(stop))
    print(draft)
    print(saved)
    if not opts.quiet:
        print(f"已生成初稿 {draft}。\n回答已保存到 {saved}：以后可用 draftgen wizard --answers {saved} 修改后重新生成，"
              f"或用 draftgen batch {saved} 直接生成同样的初稿。", file=sys.stderr)
    return EXIT_OK


def _load(opts: Options) -> tuple[Spec, bool, Context]:
    """Read ``--answers`` before the first prompt: a bad file is reported before any question is asked."""
    from generator.questions import Context
    from generator.wizard.answers import load_spec_leniently

    assert opts.answers is not None
    ctx = Context(preset_dirs=opts.preset_dirs)
    spec, nameless = load_spec_leniently(opts.answers, ctx)
    return spec, nameless, ctx
