"""Progress bars on stderr, only for people watching a terminal.

tqdm is imported only when a bar can be shown (it costs ~70 ms), and the bar
appears only after a short delay, so quick runs and pipes stay silent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress


def _no_progress(n: int = 1) -> None:
    """Stands in for the bar when nobody watches."""


@contextmanager
def progress(total: int, *, quiet: bool, desc: str, unit: str = "份") -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a bar on stderr when it is a terminal and ``quiet`` is off."""
    if quiet or total <= 1 or not sys.stderr.isatty():
        yield _no_progress
        return
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, delay=1.5, leave=False, dynamic_ncols=True)
    drawing = True

    def advance(n: int = 1) -> None:
        """A terminal that was closed (SIGHUP) refuses the bar: the work goes on without it."""
        nonlocal drawing
        if drawing:
            try:
                bar.update(n)
            except (OSError, ValueError):
                drawing = False

    try:
        yield advance
    finally:
        with suppress(OSError, ValueError):
            bar.close()
