"""Dependency-free progress for long computations: a bar (stderr, only when worth showing) and a
heartbeat that names the running stage of a command."""
from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from typing import Callable


_LISTENERS: list[Callable[[str], None]] = []   # the running stage of a command's Heartbeat, if any


def progress_bar(label: str, *, enabled: bool | None = None, min_total: int = 200_000) -> Callable[[int, int], None]:
    """A callback ``update(done, total)`` drawing ``label [#####.....] 52% 3.1 s, ~2.9 s left``
    on stderr (the time left extrapolated from the rate so far).

    ``enabled=None`` shows the bar only for totals of at least ``min_total`` on a terminal.

    Example:
        >>> update = progress_bar("classes", enabled=False)
        >>> update(5, 10)
    """
    start = time.perf_counter()
    last, noted = [0.0], [0.0]

    def update(done: int, total: int) -> None:
        now = time.perf_counter()
        frac = done / total if total else 1.0
        elapsed = now - start
        rest = elapsed * (1 - frac) / frac if 0 < frac < 1 else 0.0
        left = f", ~{rest:.{1 if rest < 10 else 0}f} s left" if 0 < frac < 1 else ""
        if _LISTENERS and enabled is not False and now - noted[0] >= 1.0:
            noted[0] = now  # a command's heartbeat says it too (stderr need not be a terminal)
            _LISTENERS[-1](f"{label}: {100 * frac:.0f}%{left}")
        show = enabled if enabled is not None else (total >= min_total and sys.stderr.isatty())
        if not show:
            return
        if done < total and now - last[0] < 0.2:
            return
        last[0] = now
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\r{label} [{bar:<30}] {100 * frac:5.1f}% {elapsed:6.1f} s{left or ' ' * 14}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return update


_WATCHDOG = r"""
import sys, threading, time
every, state = float(sys.argv[1]), {"label": None, "start": 0.0, "done": False}
def read():
    for line in sys.stdin:
        if line.startswith("\t"):   # the progress of the running stage
            state["detail"] = line.strip() or None
        else:
            state["label"], state["start"], state["detail"] = (line.rstrip("\n") or None), time.monotonic(), None
    state["done"] = True
threading.Thread(target=read, daemon=True).start()
last = 0.0
while not state["done"]:
    time.sleep(min(every, 0.05))
    now, label = time.monotonic(), state["label"]
    if label and now - state["start"] >= every and now - last >= every:
        last = now
        detail = f"; {state['detail']}" if state.get("detail") else ""
        sys.stderr.write(f"molien: computing {label} ({now - state['start']:.0f} s{detail})\n")
        sys.stderr.flush()
"""


class Heartbeat:
    """Says on stderr what a long command is doing: every ``every`` seconds while a stage runs,
    ``molien: computing <stage> (12 s)`` — so a command that takes minutes is never silent; a
    `progress_bar` running inside the stage adds its share done and the time left at that rate,
    ``(45 s; primary invariants (candidates of 120): 31%, ~100 s left)``.

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
        detail = lambda text: self._say("\t" + text)  # noqa: E731 - a progress bar inside reports here
        _LISTENERS.append(detail)
        try:
            yield
        finally:
            _LISTENERS.remove(detail)
            self._say("")

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._child.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._child.wait(timeout=5)
