"""Checking a stack: each file read and checked on its own (in worker processes for many files), then the stack.

Reading is most of the cost (≈ 7 ms a draft), so files are spread over the
cores; what crosses back from a worker is the file's findings and its
:class:`~generator.check.stack.Digest`, not the document.  The cross-file rules
then run once over the digests, linear in the number of files.  Ctrl-C stops
reading; the files read so far are still compared and reported.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator import interrupt
from generator.check.base import _Places, check_direct, check_outline, check_page, check_styles, check_text
from generator.check.metrics import Item, figures, items
from generator.check.model import FileReport, Finding, Report, param, rules
from generator.check.pages import check_pages
from generator.check.reviewer import check_reviewer
from generator.check.stack import Digest, check_ledger, digest, stack_rules
from generator.errors import InputError
from generator.ooxml.reader import ReadDocx, read_docx

POOL_FROM = 24  # files; below this a pool's start-up costs more than it saves
CHUNK = 8


def check_read(read: ReadDocx, disabled: frozenset[str] = frozenset(),
               outline: list[Item] | None = None) -> list[Finding]:
    """All single-file rules on one read document, minus the ones switched off."""
    place = _Places(read.document)
    found = [*check_outline(read.document), *check_text(read, place), *check_page(read), *check_styles(read),
             *check_direct(read, place), *check_reviewer(read, place, outline), *check_ledger(read),
             *check_pages(read, place)]
    return [f for f in found if f.rule not in disabled]


def check_one(path: Path, disabled: frozenset[str] = frozenset()) -> tuple[FileReport, Digest | None]:
    """One file's report (with its figures) and digest; an unreadable file is reported, not raised."""
    report = FileReport(str(path))
    try:
        read = read_docx(path)
    except InputError as exc:
        report.error = exc.message
        return report, None
    outline = items(read)
    report.findings = check_read(read, disabled, outline)
    report.figures = figures(read.document, outline)
    return report, digest(read, _Places(read.document))


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops and reports
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # so is a closed terminal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends its workers with SIGTERM: end quietly


def _check_star(args: tuple[Path, frozenset[str]]) -> tuple[FileReport, Digest | None]:
    return check_one(*args)


def _results(paths: list[Path], disabled: frozenset[str], jobs: int) -> Iterator[tuple[FileReport, Digest | None]]:
    if jobs <= 1 or len(paths) < POOL_FROM:
        for path in paths:
            yield check_one(path, disabled)
        return
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    pool = context.Pool(jobs, initializer=_worker_init)
    try:
        yield from pool.imap(_check_star, ((p, disabled) for p in paths), chunksize=CHUNK)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def check_files(paths: Iterable[Path], *, disabled: frozenset[str] = frozenset(), jobs: int | None = None,
                progress: Callable[[int], None] | None = None) -> Report:
    """Check each file, then the files against each other.  Ctrl-C returns what was checked, marked interrupted."""
    paths = list(paths)
    rules()  # read (and vetted) here, before any worker starts: a broken rule file is one clear error
    jobs = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    reports: list[FileReport] = []
    digests: list[Digest] = []
    stopped: int | None = None
    try:
        for report, dig in _results(paths, disabled, jobs):
            reports.append(report)
            if dig is not None:
                digests.append(dig)
            if progress is not None:
                progress(1)
    except KeyboardInterrupt as exc:  # Ctrl-C, kill, a closed terminal: generator.interrupt raises it for all
        stopped = interrupt.cause_of(exc)
    by_file = {r.file: r for r in reports}
    similar, shared = stack_rules(digests, by_file, disabled)
    return Report(reports, similar, shared, param("similar-pair", "threshold"), disabled, stopped is not None,
                  stopped)
