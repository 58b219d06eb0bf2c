"""The executor an algorithm hands its independent pieces of work to.

An algorithm with independent pieces (the conjugacy-class terms of a Molien sum, the invariants
of several degrees) asks for `current_executor()` and calls ``executor.map(fn, *iterables)``, as
with ``concurrent.futures``: the results come back as a list *in the order of the items*,
whichever finished first, so whatever is summed or stacked from them afterwards is the same on
every executor.  The algorithm is written once; the default `SerialExecutor` runs the pieces here,
one after another, and ``with cluster("local:4"):`` (`invariants.parallel.dask_cluster`) makes a
Dask cluster the current executor for the block.

A piece of work that may leave this process must be a top-level function (a cluster finds it by
name) of picklable arguments returning picklable values: plain Python numbers, tuples, `fmpq`,
`Matrix`, representations (which pickle as their specs, `invariants.catalogue.spec`) — not flint
polynomials or matrices, which do not pickle.

Example:
    >>> executor = current_executor()
    >>> executor.map(pow, [2, 3, 4], [5, 2, 0])
    [32, 9, 1]
    >>> executor.distributed
    False
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Callable, Iterable, Iterator, Protocol

Progress = Callable[[int, int], None]


class Executor(Protocol):
    """What algorithms call: ``map`` in item order, and whether the pieces leave this process
    (``distributed``; an algorithm may then prepare work ahead that it would otherwise do lazily)."""

    distributed: bool

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], progress: Progress | None = None) -> list:
        """``[fn(*args) for args in zip(*iterables)]``, calling ``progress(done, total)`` as pieces finish."""


class SerialExecutor:
    """The pieces one after another, in this process (no pickling).

    Example:
        >>> SerialExecutor().map(divmod, [7, 9], [2, 4], progress=lambda done, total: print(done, total))
        1 2
        2 2
        [(3, 1), (2, 1)]
    """

    distributed = False
    workers = 1

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], progress: Progress | None = None) -> list:
        items = list(zip(*iterables))
        out = []
        for done, args in enumerate(items, 1):
            out.append(fn(*args))
            if progress is not None:
                progress(done, len(items))
        return out

    def __repr__(self) -> str:
        return "SerialExecutor()"


# a context variable, not a global: a block `with cluster(...)` is seen by the code it runs, and a
# worker of the cluster (another process, or another thread) runs its own pieces serially
_CURRENT: contextvars.ContextVar[Executor] = contextvars.ContextVar("molien_executor", default=SerialExecutor())


def current_executor() -> Executor:
    """The executor of the innermost ``with use_executor(...)`` / ``with cluster(...)`` block, else serial."""
    return _CURRENT.get()


@contextlib.contextmanager
def use_executor(executor: Executor) -> Iterator[Executor]:
    """Make ``executor`` the current one for the block.

    Example:
        >>> with use_executor(SerialExecutor()) as ex:
        ...     current_executor() is ex
        True
    """
    token = _CURRENT.set(executor)
    try:
        yield executor
    finally:
        _CURRENT.reset(token)
