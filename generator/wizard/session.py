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
    from generator.wizard.prompts import Back

    options = [Option(i, f"{person.name}（{person.role}）") for i, person in enumerate(spec.people)]
    while True:
        try:
            index: int = p.select(f"{opts.answers} 中有 {len(names)} 名党员，为谁起草？", options, default=0)
        except Back:  # nothing before this question
            continue
        return index


def _overwrite(p: Prompter, taken: list[Path]) -> bool:
    names = "、".join(str(t) for t in taken)
    from generator.wizard.prompts import Back

    options = [Option(False, "不覆盖，返回核对页（可在那里修改文件名）"), Option(True, "覆盖")]
    try:
        answer: bool = p.select(f"{names} 已存在，要覆盖吗？", options, default=False)
    except Back:  # back to the review page, as "不覆盖" does
        return False
    return answer


def finish(w: Wizard, opts: Options) -> tuple[Path, Path]:
    """Review until confirmed, then write the answers file and the draft beside it."""
    from generator.errors import DraftgenError, InputError
    from generator.generate import generate
    from generator.targets import plan
    from generator.wizard.answers import answers_path, final_spec
    from generator.wizard.prompts import Back
    from generator.wizard.review import entries, review

    at: int | None = None
    while True:
        try:
            review(w, at)
        except Back:  # from the review screen back to the last question, then here again
            w.run(start=w.steps()[-1])
            continue
        try:
            spec, text = final_spec(w.a, w.ctx)
        except InputError as exc:
            w.p.say(exc.render(), "class:warn")
            continue
        draft = plan(spec, opts.out, force=True)[0].path
        saved = answers_path(draft)
        mine = opts.answers.resolve() if opts.answers else None
        taken = [t for t in (draft, saved) if t.exists() and t.resolve() != mine]
        if taken and not opts.force and not _overwrite(w.p, taken):
            at = len(entries(w)) - 1  # on the file name
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
    from generator.spec import build_spec
    from generator.targets import plan
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
    from generator.wizard.answers import header, partial_note, write_text
    from generator.wizard.prompts import wrap_for
    from generator.yamlio import dump_yaml

    if answers.empty() and not answers.unsaved:
        print("\n已中断，还没有需要保存的回答。", file=err)
        return
    target = _partial_path(answers, opts, ctx)
    write_text(target, header(ctx.today) + partial_note(answers) + dump_yaml(answers.to_data()), force=True)
    out = f" --out {opts.out}" if opts.out != Path(".") else ""
    print("\n" + wrap_for(err, f"已中断，刚才写的内容也已保存到 {target}，下次从这一题接着填。"), file=err)
    print(wrap_for(err, f"继续填写：draftgen wizard --answers {target}{out}"), file=err)


def run_wizard(opts: Options, prompter: Prompter | None = None) -> int:
    """Run the whole wizard; returns the exit status (0, or 130 after Ctrl-C, 143 after SIGTERM).

    Without ``--answers`` nothing but prompt_toolkit is loaded before the first
    prompt (see :mod:`generator.wizard.first`); the rest loads while it is read.
    """
    check_out_dir(opts.out)
    loaded = _load(opts) if opts.answers else None
    if prompter is None:
        from generator.wizard.terminal import Terminal

        prompter = Terminal()
    answers = Answers()
    ctx: Context | None = None
    try:
        resume: str | None = None
        if loaded:
            from generator.wizard.answers import from_spec

            spec, nameless, ctx, resume = loaded
            answers = from_spec(spec, _person(spec, opts, prompter), nameless=nameless)
        if resume in (None, "q:template"):
            resume = _first_prompt(prompter, answers, opts)
        from generator.questions import Context
        from generator.wizard.flow import Wizard

        ctx = ctx or Context(preset_dirs=opts.preset_dirs)
        wizard = Wizard(answers, prompter, ctx)
        if resume != "review":
            wizard.run(start=resume)
        draft, saved = finish(wizard, opts)
    except (KeyboardInterrupt, EOFError) as stop:
        from generator.interrupt import cause_of, exit_status
        from generator.questions import Context

        save_partial(answers, opts, ctx or Context(preset_dirs=opts.preset_dirs), sys.stderr)
        return EXIT_INTERRUPTED if isinstance(stop, EOFError) else exit_status(cause_of(stop))
    print(draft)
    print(saved)
    if not opts.quiet:
        from generator.wizard.prompts import wrap_for

        print(wrap_for(sys.stderr, f"初稿已写好：{draft}，请在 Word 或 WPS 中补充具体事例后使用。"), file=sys.stderr)
        print(wrap_for(sys.stderr, f"下次修改：draftgen wizard --answers {saved}"), file=sys.stderr)
    return EXIT_OK


def _first_prompt(p: Prompter, answers: Answers, opts: Options) -> str:
    """The first question from its snapshot (before the model loads); returns the step to go on from."""
    from functools import partial

    from generator.wizard.first import KEY, ask_first, warm_up
    from generator.wizard.prompts import Back

    p.later(partial(warm_up, opts.preset_dirs))
    while True:
        answers.step = f"q:{KEY}"
        try:
            raw = ask_first(p, answers.values.get(KEY))
        except Back:  # nothing before the first question
            continue
        break
    from generator.questions import Context, question

    answers.values[KEY] = question(KEY).parse(raw, Context(preset_dirs=opts.preset_dirs))
    return "q:meeting"


def _load(opts: Options) -> tuple[Spec, bool, Context, str | None]:
    """Read ``--answers`` before the first prompt: a bad file is reported before any question is asked.

    Also says where to start: "review" for a file the wizard finished, the step an interrupted session
    stopped at, else the first question the file does not answer.
    """
    from generator.questions import Context
    from generator.wizard.answers import load_spec_leniently, resume_step

    assert opts.answers is not None
    ctx = Context(preset_dirs=opts.preset_dirs)
    spec, nameless = load_spec_leniently(opts.answers, ctx)
    try:
        text = opts.answers.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        text = ""
    step = resume_step(text)
    if step == "":
        step = "review"
    elif step is None:
        step = first_unanswered(text, spec, opts)
    return spec, nameless, ctx, step


def first_unanswered(text: str, spec: Spec, opts: Options) -> str:
    """The first step of the main flow a hand-written spec leaves open (its keys as written in the file)."""
    from generator.wizard.flow import DOCUMENT_KEYS, MEMBER_KEYS, SECTION_KEYS
    from generator.yamlio import parse_yaml

    data = parse_yaml(text, str(opts.answers)).data if text else {}
    if not isinstance(data, dict):
        return ""
    people = data.get("people")
    person: dict[str, object] = data
    if isinstance(people, list) and people:
        named = [p for p in people if isinstance(p, dict) and p.get("name") == opts.person]
        person = named[0] if named else people[0] if isinstance(people[0], dict) else {}
    for key in DOCUMENT_KEYS:
        if key not in data:
            return f"q:{key}"
    if "preset" not in data and "dimensions" not in data:
        return "areas"
    if spec.doctype.per_person:
        for key in MEMBER_KEYS:
            if key not in person:
                return f"q:{key}"
        member = spec.people[0] if spec.people else None
        for area in spec.areas:
            if member is None or area.heading not in member.problems:
                return f"problems:{area.heading}"
            if area.heading not in member.measures:
                return f"measures:{area.heading}"
        if "causes" not in person:
            return "causes"
    sections = data.get("sections")
    for key in SECTION_KEYS:
        if not (isinstance(sections, dict) and key.split(".")[1] in sections):
            return f"q:{key}"
    return "review"
