"""Library entry point: from a validated Spec to .docx drafts on disk.

Two phases, so bad input never leaves files behind: first every target name is
computed and checked (collisions, existing files, a writable folder); only
then is anything written, each draft atomically.  With several jobs, workers
receive the batch's composer once and then chunks of targets with their plans
(made here while they write), a bounded window at a time, so memory stays flat
however large the batch; Ctrl-C (or SIGTERM, taken the same way) lets the
chunks in flight finish, lists what they wrote, then stops.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import (
    AlreadyExists,
    DraftFailed,
    DraftgenError,
    Interrupted,
    OutputError,
    Terminated,
    os_reason,
)
from generator.spec import Spec


@dataclass
class Target:
    index: int
    name: str
    path: Path


@dataclass(frozen=True)
class Done:
    """What became of one target: the files written (the draft, then its tables), or none when it was skipped."""

    target: Target
    paths: tuple[Path, ...] = ()

    @property
    def skipped(self) -> bool:
        return not self.paths


@dataclass
class Result:
    """What a run produced: the drafts written (in spec order), those skipped as present, and .xlsx tables."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    sheets: list[Path] = field(default_factory=list)


def _fields(spec: Spec, person_name: str) -> dict[str, str]:
    from generator.draft import document_title

    return {"name": person_name, "unit": spec.unit, "title": document_title(spec), "meeting": spec.meeting,
            "date": spec.date.isoformat()}


def plan(spec: Spec, out_dir: Path, *, force: bool = False, skip_existing: bool = False,
         xlsx: bool = False) -> list[Target]:
    """Compute every target path and refuse, before writing anything, what cannot be written.

    With ``xlsx`` each draft may also get a workbook of the same name, which must not exist either.
    """
    from generator.filenames import file_name
    from generator.yamlio import check_writable_folder

    people = [p.name for p in spec.people] if spec.doctype.per_person else [spec.unit or "党支部"]
    targets: list[Target] = []
    seen: dict[str, str] = {}
    for i, name in enumerate(people):
        fname = file_name(spec.output, _fields(spec, name))
        key = fname.casefold()
        if key in seen:
            raise OutputError(f"“{seen[key]}”和“{name}”的文件名相同（{fname}），请在 output 中加入 {{name}} 等区分")
        seen[key] = name
        targets.append(Target(i, fname, out_dir / fname))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出位置 {out_dir} 不是文件夹")
    if not force and not skip_existing:
        existing = [t.name for t in targets if t.path.exists()]
        if xlsx:
            existing += [t.path.with_suffix(".xlsx").name for t in targets if t.path.with_suffix(".xlsx").exists()]
        if existing:
            shown = "、".join(existing[:3]) + (f" 等 {len(existing)} 个文件" if len(existing) > 3 else "")
            raise OutputError(f"{out_dir} 中已有 {shown}；如要覆盖请加 --force，只补齐缺少的请加 --skip-existing")
    check_writable_folder(out_dir)
    return targets


class Builder:
    """Composes, renders and writes single drafts; picklable so worker processes can hold one."""

    def __init__(self, spec: Spec, *, template_dir: Path | None = None, bank_dir: Path | None = None,
                 xlsx: bool = False) -> None:
        from generator.bank import load_bank
        from generator.compose import Composer

        self.spec = spec
        self.template_dir = template_dir
        self.xlsx = xlsx
        self.composer = Composer(spec, load_bank(extra=(bank_dir,) if bank_dir else ()))
        self._tried: tuple[int, Any] | None = None

    def document(self, index: int) -> Any:
        """The document tree of draft ``index``."""
        from generator.render import render_document

        if self._tried is not None and self._tried[0] == index:
            doc, self._tried = self._tried[1], None
            return doc
        draft = self.composer.draft(index)
        meta = document_meta(draft)
        return render_document(self.spec.doctype.template, {"d": draft}, meta=meta, extra_dir=self.template_dir)

    def who(self, target: Target) -> str:
        """Whose draft ``target`` is, for messages: "第 3 份初稿（李四）"."""
        owner = self.spec.people[target.index].name if self.spec.doctype.per_person else target.name
        return f"第 {target.index + 1} 份初稿（{owner}）"

    def try_first(self, target: Target) -> None:
        """Render ``target`` now, before anything is written; kept for when it is written (serial runs).

        A user's template that does not compile, or fails on the data every draft has, fails here.
        """
        try:
            self._tried = (target.index, self.document(target.index))
        except DraftgenError as exc:
            raise DraftFailed(exc.render().removeprefix("错误："), self.who(target), written=0) from None

    def warm(self) -> None:
        """Load the template and compress the static zip members now (before workers fork)."""
        from jinja2 import TemplateError

        from generator.ooxml.package import base_zip
        from generator.render import environment

        with contextlib.suppress(TemplateError):  # rendering reports it properly
            environment(self.template_dir).get_template(self.spec.doctype.template)
        base_zip()

    def write(self, target: Target, *, force: bool, skip_existing: bool = False) -> Done:
        """The draft, then its tables as .xlsx when asked for and there are any.

        With ``skip_existing`` a draft that appeared since planning (another batch writing into the
        same folder) is skipped, never replaced: the final link refuses an existing name atomically.
        """
        try:
            return self._write(target, force=force, skip_existing=skip_existing)
        except DraftgenError as exc:
            raise DraftFailed(exc.render().removeprefix("错误："), self.who(target)) from None

    def _write(self, target: Target, *, force: bool, skip_existing: bool) -> Done:
        from generator.ooxml import write_docx

        if skip_existing and os.path.lexists(target.path):
            return Done(target)
        doc = self.document(target.index)
        try:
            write_docx(doc, target.path, force=force)
        except AlreadyExists:
            if skip_existing:
                return Done(target)
            raise
        if self.xlsx:
            from generator.xlsx import write_xlsx

            sheet = target.path.with_suffix(".xlsx")
            try:
                if write_xlsx(doc, sheet, force=force):
                    return Done(target, (target.path, sheet))
            except AlreadyExists:
                if not skip_existing:
                    raise
        return Done(target, (target.path,))


def document_meta(draft: Any) -> dict[str, str]:
    """Properties stored in the .docx so that ``import`` can recover the request."""
    from generator import __version__

    spec = draft.spec
    return {
        "doctype": spec.doctype.id, "meeting": spec.meeting, "unit": spec.unit, "date": spec.date.isoformat(),
        "name": draft.person.name if draft.person else "", "role": draft.person.role if draft.person else "",
        "post": draft.person.post if draft.person else "", "preset": spec.preset or "",
        "dimensions": "、".join(spec.dimensions or ()), "seed": str(spec.seed),
        "areas": "、".join(a.heading for a in spec.areas), "generator": f"draftgen {__version__}",
    }


# --------------------------------------------------------------------------- workers

_WORKER: Builder | None = None
# Drafts per task: enough that a task's round trip (≈ 0.2 ms of pickling and queueing) is noise next to its
# drafts (≈ 3 ms each), few enough that both workers stay busy to the end and little is in flight.
CHUNK = 8
IN_FLIGHT = 3  # chunks per worker queued or running: the window that keeps memory flat


_PARENT: int | None = None  # the batch's process, as the worker saw it when it started


def _init_worker(builder: Builder) -> None:
    global _WORKER, _PARENT
    for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None)):  # the parent decides when to stop
        if sig is not None:
            signal.signal(sig, signal.SIG_IGN)
    _WORKER, _PARENT = builder, os.getppid()


def _orphaned() -> bool:
    """The batch that started this worker is gone (killed): nobody will take its drafts or print its count."""
    return _PARENT is not None and os.getppid() != _PARENT


def _quiet_pool(ctx: Any, jobs: int, builder: Builder) -> Any:
    """A pool whose workers end quietly when the batch is killed under them (``kill -9`` of the parent alone).

    A worker then checks before each draft and stops between drafts (each file it wrote is complete,
    no temp file is left), or, finishing a chunk just as the parent dies, finds the result pipe closed:
    multiprocessing would print that as a traceback on the terminal the user is looking at.
    """
    from multiprocessing.pool import Pool

    base = ctx.Process

    class Worker(base):  # type: ignore[valid-type, misc]
        def run(self) -> None:
            try:
                super().run()
            except OSError:  # BrokenPipeError and kin: the parent's end of the pipes is gone
                if not _orphaned():
                    raise

    class QuietPool(Pool):
        @staticmethod
        def Process(ctx: Any, *args: Any, **kwds: Any) -> Any:  # multiprocessing names it so
            return Worker(*args, **kwds)

    if ctx.get_start_method() != "fork":  # a local class cannot be sent to a spawned process
        return ctx.Pool(jobs, initializer=_init_worker, initargs=(builder,))
    return QuietPool(jobs, initializer=_init_worker, initargs=(builder,), context=ctx)


def _work(chunk: list[Target], plans: list[Any], force: bool, skip_existing: bool
          ) -> tuple[list[Done], DraftFailed | None]:
    """A chunk's drafts in order; at a draft that fails, what was done before it and the failure."""
    assert _WORKER is not None
    _WORKER.composer.adopt_plans(plans)
    done: list[Done] = []
    for target in chunk:
        if _orphaned():
            raise SystemExit(0)  # between drafts: what this worker wrote is complete; nothing is half-written
        try:
            done.append(_WORKER.write(target, force=force, skip_existing=skip_existing))
        except DraftFailed as exc:
            return done, exc
    if _orphaned():
        raise SystemExit(0)
    return done, None


class StopRequest:
    """While a batch runs, Ctrl-C and SIGTERM only ask it to stop; the loops stop between whole drafts.

    Raising KeyboardInterrupt wherever the signal lands cannot be made exact: landing after a chunk was
    queued for a worker but before it was recorded as in flight, or after a draft was renamed into
    place but before it was listed, leaves a file on disk that the summary does not count.  A flag read
    at safe points can.  Outside the main thread the signals keep their usual meaning.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopRequest:
        for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
            if sig is None:
                continue
            with contextlib.suppress(ValueError, OSError):  # not the main thread: usual meaning
                self._previous[sig] = signal.signal(sig, self._ask)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)

    def _ask(self, signum: int, frame: Any) -> None:
        self.signum = signum

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def terminated(self) -> bool:
        return self.signum == getattr(signal, "SIGTERM", None)


def _run_serial(builder: Builder, todo: list[Target], force: bool, skip_existing: bool, stop: StopRequest
                ) -> Generator[Done, None, None]:
    for target in todo:
        if stop.requested:
            return
        yield builder.write(target, force=force, skip_existing=skip_existing)


def chunk_size(count: int, jobs: int) -> int:
    """At most :data:`CHUNK`, and small enough that every worker gets several chunks."""
    return max(1, min(CHUNK, count // (jobs * 4)))


def _run_pool(builder: Builder, todo: list[Target], force: bool, skip_existing: bool, jobs: int,
              stop: StopRequest) -> Generator[Done, None, None]:
    """Stream drafts through ``jobs`` workers in spec order, a bounded window of chunks at a time.

    Planning is sequential (each member's choices depend on the members before), so this process plans
    while the workers write: each chunk carries the plans of its members.  The builder is warmed before
    the workers fork, so they inherit its compiled template and zip members.  On Ctrl-C (a
    :class:`StopRequest`) no further chunk is sent; the chunks in flight finish and are handed over.
    """
    import multiprocessing as mp
    from collections import deque

    builder.warm()
    size = chunk_size(len(todo), jobs)
    chunks = (todo[i:i + size] for i in range(0, len(todo), size))
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    gc.freeze()  # the workers' collections then leave inherited objects, and so their pages, alone
    try:
        pool = _quiet_pool(ctx, jobs, builder)
    finally:
        gc.unfreeze()
    pending: deque[Any] = deque()
    ready: deque[Done] = deque()  # written by a worker, not yet handed over

    def settle() -> None:
        """Wait for every chunk in flight and keep what each wrote (the first failure has been kept)."""
        for task in pending:
            task.wait()
            if task.successful():
                ready.extend(task.get()[0])
        pending.clear()

    def take() -> None:
        done, failed = pending.popleft().get()
        ready.extend(done)
        if failed is not None:  # the chunks after it are in flight already: they finish, then the run stops
            settle()
            raise failed

    try:
        for chunk in chunks:
            if stop.requested:
                break
            plans = builder.composer.share_plans(t.index for t in chunk)
            pending.append(pool.apply_async(_work, (chunk, plans, force, skip_existing)))
            if len(pending) >= jobs * IN_FLIGHT:
                take()
                while ready:
                    yield ready.popleft()
        while pending:
            take()
            while ready:
                yield ready.popleft()
    except (KeyboardInterrupt, DraftFailed):
        settle()  # on Ctrl-C too, the chunks in flight finish: hand over what they wrote, then stop
        while ready:
            yield ready.popleft()
        raise
    finally:
        pool.close()
        pool.join()


def _drain(runner: Generator[Done, None, None]) -> Iterator[Done]:
    """After Ctrl-C, the drafts still finished in flight: the runner hands them over, then stops."""
    try:
        done = runner.throw(KeyboardInterrupt())  # a runner that already stopped re-raises at once
        while True:
            yield done
            done = next(runner)
    except (KeyboardInterrupt, StopIteration):
        return


def generate(spec: Spec, out_dir: Path, *, force: bool = False, skip_existing: bool = False, jobs: int = 1,
             template_dir: Path | None = None, bank_dir: Path | None = None, xlsx: bool = False,
             on_written: Callable[[Path], None] | None = None) -> Result:
    """Write one draft per person of ``spec`` (one per unit for unit-level types) into ``out_dir``.

    With ``xlsx`` a draft that has tables also gets them as a workbook of the same name.

    When a draft cannot be written (:class:`DraftFailed`, exit 2): everything that can be known
    before writing is checked before writing, so most bad input leaves no file at all — the names,
    the folder, and the first draft itself, rendered before the output folder is even created, so
    a user template that does not compile or fails on what every draft has is caught with nothing
    written.  What shows only for a later member (a template failing on that member's data, a full
    disk, a name another batch took) stops the run there: finding it up front would mean rendering
    every draft twice.  The drafts written before it (and those in flight, which finish) are
    complete, stay, and are listed; the message says whose draft failed and how many were written,
    and ``--skip-existing`` after the fix writes only the rest.  Deleting them instead would destroy
    good work; keeping them is what Ctrl-C does too.
    """
    from generator.yamlio import sweep_stale_parts

    if xlsx:
        from generator.xlsx import require

        require()
    targets = plan(spec, out_dir, force=force, skip_existing=skip_existing, xlsx=xlsx)
    sweep_stale_parts(out_dir, [t.name for t in targets])  # temp files of a killed earlier run
    result = Result()
    todo = []
    for t in targets:
        if skip_existing and t.path.exists():
            result.skipped.append(t.path)
        else:
            todo.append(t)
    builder = Builder(spec, template_dir=template_dir, bank_dir=bank_dir, xlsx=xlsx)
    if todo:
        builder.try_first(todo[0])  # a broken template fails here, before the folder exists
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out_dir}：{os_reason(exc)}") from None
    jobs = max(1, min(jobs, len(todo) // 4 or 1))

    def record(done: Done) -> None:
        if done.skipped:  # another batch wrote it meanwhile
            result.skipped.append(done.target.path)
            return
        draft, *sheets = done.paths
        result.written.append(draft)
        result.sheets.extend(sheets)
        if on_written:
            for path in done.paths:
                on_written(path)

    def interrupted(terminated: bool) -> Interrupted:
        note = "；用 --skip-existing 重新运行即可补齐其余初稿。" if result.written else "。"
        return Interrupted(len(result.written) + len(result.skipped), len(targets), [note], terminated=terminated)

    with StopRequest() as stop:
        runner = _run_pool(builder, todo, force, skip_existing, jobs, stop) if jobs > 1 else \
            _run_serial(builder, todo, force, skip_existing, stop)
        try:
            for done in runner:
                record(done)
        except DraftFailed as failed:  # the runner handed over the drafts finished in flight before it stopped
            missing = len(targets) - len(result.written) - len(result.skipped)
            raise DraftFailed(failed.message, failed.who, len(result.written), missing) from None
        except KeyboardInterrupt as signal_raised:  # only where no StopRequest could be installed
            for done in _drain(runner):
                record(done)
            raise interrupted(isinstance(signal_raised, Terminated)) from None
    if stop.requested:
        raise interrupted(stop.terminated)
    return result


EXPLAIN_NAME = "选材说明.txt"
MAX_PAIRWISE = 300


def explain(spec: Spec, targets: list[Target], *, template_dir: Path | None = None,
            bank_dir: Path | None = None) -> str:
    """A report for the secretary: which bank entries each draft uses and why, and how alike the drafts are."""
    from generator import __version__
    from generator.similarity import compared_text, pairwise, sentence_spread

    builder = Builder(spec, template_dir=template_dir, bank_dir=bank_dir)
    lines = [f"选材说明（draftgen {__version__}；配置 {spec.source}；种子 {spec.seed}）", ""]
    texts: list[str] = []
    for target in targets:
        draft = builder.composer.draft(target.index)
        lines.append(target.name)
        for c in draft.explain:
            phrase = builder.composer.bank.get(c.phrase_id)
            title = phrase.title if phrase else c.phrase_id
            lines.append(f"  {c.section}｜{c.area}｜{title}｜来源 {c.source}｜{c.reason}")
        lines.append("")
        if len(targets) <= MAX_PAIRWISE:
            texts.append(compared_text(builder.document(target.index)))
    if len(texts) >= 2:
        shares = pairwise(texts)
        i, j, top = max(shares, key=lambda s: s[2])
        mean = sum(s for _, _, s in shares) / len(shares)
        spread = max(sentence_spread(texts).values(), default=0)
        lines.insert(1, f"两两相似度（问题、原因、措施部分8字片段的重合比例）：最高 {top:.2f}"
                        f"（{targets[i].name} 与 {targets[j].name}），平均 {mean:.2f}；"
                        f"同一个20字以上的句子最多出现在 {spread} 份初稿中。")
    elif len(targets) > MAX_PAIRWISE:
        lines.insert(1, f"人数超过 {MAX_PAIRWISE}，未计算两两相似度。")
    return "\n".join(lines) + "\n"
