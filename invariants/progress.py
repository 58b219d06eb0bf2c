"""Dependency-free progress for long computations: a bar (stderr, only when worth showing) and a
heartbeat that names the running stage of a command."""
from __future__ import annotations

import contextlib
import subprocess
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


_WATCHDOG = r"""
import sys, threading, time
every, state = float(sys.argv[1]), {"label": None, "start": 0.0, "done": False}
def read():
    for line in sys.stdin:
        state["label"], state["start"] = (line.rstrip("\n") or None), time.monotonic()
    state["done"] = True
threading.Thread(target=read, daemon=True).start()
last = 0.0
while not state["done"]:
    time.sleep(min(every, 0.05))
    now, label = time.monotonic(), state["label"]
    if label and now - state["start"] >= every and now - last >= every:
        last = now
        sys.stderr.write(f"molien: computing {label} ({now - state['start']:.0f} s)\n")
        sys.stderr.flush()
"""


class Heartbeat:
    """Says on stderr what a long command is doing: every ``every`` seconds while a stage runs,
    ``molien: computing <stage> (12 s)`` — so a command that takes minutes is never silent.

    The clock runs in a small separate process (fed the stage names through a pipe): a thread
    could not speak while a C library (flint's Buchberger, say) holds the interpreter's lock.

    Example:
        >>> beat = Heartbeat(every=60)
        >>> with beat.stage("the Molien series"):
        ...     pass
        >>> beat.stop()
    """

    def __init__(self, every: float = 15.0):
        self.every = every
        self._child = subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(every)], stdin=subprocess.PIPE,
                                       stdout=subprocess.DEVNULL, text=True)

    def _say(self, label: str) -> None:
        with contextlib.suppress(OSError, ValueError):  # the watchdog gone: stay quiet, never fail
            self._child.stdin.write(label.replace("\n", " ") + "\n")
            self._child.stdin.flush()

    @contextlib.contextmanager
    def stage(self, label: str):
        self._say(label)
        try:
            yield
        finally:
            self._say("")

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._child.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._child.wait(timeout=5)
