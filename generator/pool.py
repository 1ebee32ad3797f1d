"""Drafts written by several worker processes, streamed back in spec order, memory flat however large the batch.

Workers receive the batch's :class:`~generator.builder.Builder` once (inherited when they fork) and then
chunks of targets with their plans, made here while they write, a bounded window at a time.  A stop
request (:mod:`generator.interrupt`) sends no further chunk; the chunks in flight finish and are handed over.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from generator.errors import DraftFailed
from generator.interrupt import StopRequest, ignore_in_worker
from generator.targets import Done, Target

if TYPE_CHECKING:
    from generator.builder import Builder

# Drafts per task: enough that a task's round trip (≈ 0.2 ms of pickling and queueing) is noise next to its
# drafts (≈ 3 ms each), few enough that both workers stay busy to the end and little is in flight.
CHUNK = 8
IN_FLIGHT = 3  # chunks per worker queued or running: the window that keeps memory flat

_WORKER: Builder | None = None
_PARENT: int | None = None  # the batch's process, as the worker saw it when it started


def _init_worker(builder: Builder) -> None:
    global _WORKER, _PARENT
    ignore_in_worker()  # Ctrl-C, kill and a closed terminal reach the whole group: the parent decides
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


def chunk_size(count: int, jobs: int) -> int:
    """At most :data:`CHUNK`, and small enough that every worker gets several chunks."""
    return max(1, min(CHUNK, count // (jobs * 4)))


def run_pool(builder: Builder, todo: list[Target], force: bool, skip_existing: bool, jobs: int,
             stop: StopRequest) -> Generator[Done, None, None]:
    """Stream drafts through ``jobs`` workers in spec order, a bounded window of chunks at a time.

    Planning is sequential (each member's choices depend on the members before), so this process plans
    while the workers write: each chunk carries the plans of its members.  The builder is warmed before
    the workers fork, so they inherit its compiled template and zip members.  Once ``stop`` is requested
    no further chunk is sent; the chunks in flight finish and are handed over.  When a draft fails, the
    chunks in flight finish too, are handed over, and the failure is raised.
    """
    import multiprocessing as mp

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
    failed: DraftFailed | None = None

    def take() -> None:
        nonlocal failed
        done, failure = pending.popleft().get()
        ready.extend(done)
        failed = failed or failure

    try:
        for chunk in chunks:
            if stop.requested or failed is not None:
                break
            plans = builder.composer.share_plans(t.index for t in chunk)
            pending.append(pool.apply_async(_work, (chunk, plans, force, skip_existing)))
            while len(pending) >= jobs * IN_FLIGHT or (pending and pending[0].ready()):
                take()
                while ready:
                    yield ready.popleft()
        while pending:  # after a stop or a failure too: the chunks in flight finish and are handed over
            take()
            while ready:
                yield ready.popleft()
    finally:
        pool.close()
        pool.join()
    if failed is not None:
        raise failed
