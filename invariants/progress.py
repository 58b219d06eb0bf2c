"""A dependency-free progress bar for long computations (stderr, only when worth showing)."""
from __future__ import annotations

import sys
import time
from typing import Callable


def progress_bar(label: str, *, enabled: bool | None = None, min_total: int = 200_000) -> Callable[[int, int], None]:
    """A callback ``update(done, total)`` drawing ``label [#####.....] 52% 3.1 s`` on stderr.

    ``enabled=None`` shows the bar only for totals of at least ``min_total`` on a terminal.

    Example:
        >>> update = progress_bar("classes", enabled=False)
        >>> update(5, 10)
    """
    start = time.perf_counter()
    last = [0.0]

    def update(done: int, total: int) -> None:
        show = enabled if enabled is not None else (total >= min_total and sys.stderr.isatty())
        if not show:
            return
        now = time.perf_counter()
        if done < total and now - last[0] < 0.2:
            return
        last[0] = now
        frac = done / total if total else 1.0
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\r{label} [{bar:<30}] {100 * frac:5.1f}% {now - start:6.1f} s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update
