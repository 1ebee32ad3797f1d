"""Library entry point: from a validated Spec to .docx drafts on disk.

Two phases, so bad input never leaves files behind: first every target name is
computed and checked (:mod:`generator.targets`: collisions, existing files, a
writable folder); only then is anything written, each draft atomically, by this
process or by a pool of workers (:mod:`generator.pool`).  A stop — Ctrl-C,
``kill``, a closed terminal, a reader that went away (:mod:`generator.interrupt`)
— lets the drafts in flight finish, hands them over, then stops with the count.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from generator.builder import Builder, document_meta
from generator.errors import DraftFailed, OutputError, os_reason
from generator.explain import EXPLAIN_NAME, MAX_PAIRWISE, Explained, report
from generator.fsio import atomic_writer, sweep_stale_parts
from generator.interrupt import Interrupted, StopRequest, deferred
from generator.pool import run_pool
from generator.spec import Spec
from generator.targets import Done, Result, Target, plan
from generator.unitset import generate_units, member_spec

__all__ = ["Builder", "Done", "Result", "Target", "document_meta", "generate", "plan"]


def _run_serial(builder: Builder, todo: list[Target], force: bool, skip_existing: bool, stop: StopRequest
                ) -> Generator[Done, None, None]:
    for target in todo:
        if stop.requested:
            return
        yield builder.write(target, force=force, skip_existing=skip_existing)


def generate(spec: Spec, out_dir: Path, *, force: bool = False, skip_existing: bool = False, jobs: int = 1,
             template_dir: Path | None = None, bank_dir: Path | None = None, xlsx: bool = False,
             explain: bool = False, on_written: Callable[[Path], None] | None = None) -> Result:
    """Write one draft per person of ``spec`` (one per unit for unit-level types) into ``out_dir``.

    With ``xlsx`` a draft that has tables also gets them as a workbook of the same name.  With ``explain``
    the run also writes :data:`~generator.explain.EXPLAIN_NAME` from the drafts it wrote; an existing
    report is replaced only with ``force`` (refused before anything is written, like any target) and kept
    with ``skip_existing``.  ``on_written`` is called with each file as it lands, the report last.

    When a draft cannot be written (:class:`DraftFailed`, exit 2): everything that can be known
    before writing is checked before writing, so most bad input leaves no file at all — the names,
    the folder, and the first draft itself, rendered before the output folder is even created, so
    a user template that does not compile or fails on what every draft has is caught with nothing
    written.  What shows only for a later member (a template failing on that member's data, a full
    disk, a name another batch took) stops the run there: finding it up front would mean rendering
    every draft twice.  The drafts written before it (and those in flight, which finish) are
    complete, stay, and are listed; the message says whose draft failed and how many were written,
    and ``--skip-existing`` after the fix writes only the rest.  Deleting them instead would destroy
    good work; keeping them is what a stop does too (:class:`~generator.interrupt.Interrupted`).
    """
    if spec.doctypes:
        return _generate_set(spec, out_dir, force=force, skip_existing=skip_existing, jobs=jobs,
                             template_dir=template_dir, bank_dir=bank_dir, xlsx=xlsx, explain=explain,
                             on_written=on_written)
    if xlsx:
        from generator.xlsx import require

        require()
    extra = (EXPLAIN_NAME,) if explain else ()
    targets = plan(spec, out_dir, force=force, skip_existing=skip_existing, xlsx=xlsx, extra=extra)
    sweep_stale_parts(out_dir, [t.name for t in targets] + list(extra))  # temp files of a killed earlier run
    result = Result()
    todo = []
    for t in targets:
        if skip_existing and t.path.exists():
            result.skipped.append(t.path)
        else:
            todo.append(t)
    builder = Builder(spec, template_dir=template_dir, bank_dir=bank_dir, xlsx=xlsx, explain=explain,
                      compare=len(targets) <= MAX_PAIRWISE)
    if todo:
        builder.try_first(todo[0])  # a broken template fails here, before the folder exists
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out_dir}：{os_reason(exc)}") from None
    jobs = max(1, min(jobs, len(todo) // 4 or 1))
    explained: list[tuple[str, Explained]] = []

    def record(done: Done) -> None:
        if done.skipped:  # another batch wrote it meanwhile
            result.skipped.append(done.target.path)
            return
        draft, *sheets = done.paths
        result.written.append(draft)
        result.sheets.extend(sheets)
        if done.explained is not None:
            explained.append((done.target.name, done.explained))
        if on_written:
            for path in done.paths:
                on_written(path)

    with deferred() as stop:
        runner = run_pool(builder, todo, force, skip_existing, jobs, stop) if jobs > 1 else \
            _run_serial(builder, todo, force, skip_existing, stop)
        try:
            for done in runner:
                record(done)
        except DraftFailed as failed:  # the runner handed over the drafts finished in flight before it stopped
            missing = len(targets) - len(result.written) - len(result.skipped)
            raise DraftFailed(failed.message, failed.who, len(result.written), missing) from None
        if stop.cause is None and explain:
            result.report = _write_report(spec, out_dir, explained, len(targets), len(result.skipped),
                                          force=force, skip_existing=skip_existing)
            if result.report is not None and on_written:
                on_written(result.report)
    if stop.cause is not None:
        note = "；用 --skip-existing 重新运行即可补齐其余初稿。" if result.written else "。"
        if explain and result.report is None:
            note += f"{EXPLAIN_NAME} 没有写出。"
        raise Interrupted(len(result.written) + len(result.skipped), len(targets), [note], cause=stop.cause,
                          written=len(result.written))
    return result


def _generate_set(spec: Spec, out_dir: Path, *, force: bool, skip_existing: bool, jobs: int,
                  template_dir: Path | None, bank_dir: Path | None, xlsx: bool, explain: bool,
                  on_written: Callable[[Path], None] | None) -> Result:
    """A linked set of documents: the unit documents share one plan (:func:`generator.unitset.generate_units`,
    which checks every name of the set, members' drafts included, before writing any); each per-person type
    of the set then goes through the usual batch, which also writes the ``--explain`` report."""
    result = generate_units(spec, out_dir, force=force, skip_existing=skip_existing, template_dir=template_dir,
                            bank_dir=bank_dir, xlsx=xlsx, explain=explain, on_written=on_written)
    for doctype in spec.types:
        if doctype.per_person:
            members = generate(member_spec(spec, doctype), out_dir, force=force, skip_existing=skip_existing,
                               jobs=jobs, template_dir=template_dir, bank_dir=bank_dir, xlsx=xlsx,
                               explain=explain, on_written=on_written)
            result.written += members.written
            result.skipped += members.skipped
            result.sheets += members.sheets
            result.report = members.report
    return result


def _write_report(spec: Spec, out_dir: Path, explained: list[tuple[str, Explained]], total: int,
                  skipped: int, *, force: bool, skip_existing: bool) -> Path | None:
    """Write the ``--explain`` report; None when it exists and ``skip_existing`` keeps it."""
    from generator.errors import AlreadyExists

    path = out_dir / EXPLAIN_NAME
    text = report(spec, explained, total=total, skipped=skipped)
    try:
        with atomic_writer(path, force=force) as fh:
            fh.write(text.encode("utf-8"))
    except AlreadyExists:
        if skip_existing:
            return None
        raise
    return path
