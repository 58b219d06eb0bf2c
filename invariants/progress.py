"""Dependency-free progress for long computations: a bar (stderr, only when worth showing) and a
heartbeat that names the running stage of a command."""
from __future__ import annotations

import contextlib
import sys
import threading
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


class Heartbeat:
    """Says on stderr what a long command is doing: every ``every`` seconds while a stage runs,
    ``molien: computing <stage> (12 s)`` — so a command that takes minutes is never silent.

    Example:
        >>> beat = Heartbeat(every=60)
        >>> with beat.stage("the Molien series"):
        ...     pass
        >>> beat.stop()
    """

    def __init__(self, every: float = 15.0, stream=None):
        self.every, self.stream = every, stream or sys.stderr
        self.label: str | None = None
        self.started = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            label = self.label
            if label is not None:
                self.stream.write(f"molien: computing {label} ({time.perf_counter() - self.started:.0f} s)\n")
                self.stream.flush()

    @contextlib.contextmanager
    def stage(self, label: str):
        self.label, self.started = label, time.perf_counter()
        try:
            yield
        finally:
            self.label = None

    def stop(self) -> None:
        self._stop.set()
