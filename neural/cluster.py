"""Grids of independent runs (a benchmark's trainings over task, seed and size) as Dask tasks,
on the engine's ``--cluster`` (`invariants.parallel.dask_cluster.cluster`: ``local:N`` worker
processes here, or a running scheduler's ``tcp://host:port``; ``pip install molien[cluster]``):

    python benchmarks/generalisation.py --quick --cluster local:2
    python benchmarks/generalisation.py --cluster tcp://scheduler:8786

Each run seeds itself, so a grid's results are those of the serial run, whatever worker ran what
and in which order.  Unlike the engine's `Executor.map`, one task per run (a training is long
enough to be worth its scheduling), and each result handed back as it arrives, so that a harness
can save a grid of hours as it goes and resume it.  The workers import ``fn`` by name (a script's
own function travels by value): remote workers need molien and the harness importable, and a
script that starts ``local:N`` needs the ``if __name__ == "__main__":`` guard.

Example (no cluster: the runs one after the other, here):
    >>> run_grid(pow, [(2, 3), (3, 2)], done=lambda i, result: print(i, result))
    0 8
    1 9
    [8, 9]
"""
from __future__ import annotations

import importlib
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Sequence

from invariants.parallel.dask_cluster import cluster as connect


def run_grid(fn: Callable[..., Any], items: Iterable[Sequence[Any]], cluster: str | None = None, *,
             done: Callable[[int, Any], None] | None = None) -> list[Any]:
    """``[fn(*item) for item in items]``, as Dask tasks on ``cluster`` when one is given (an address
    the engine's ``--cluster`` takes).  ``done(i, result)`` is called here as each result arrives (in
    completion order on a cluster); the list returned is in the order of ``items``.  A run that
    fails raises here; an unreachable scheduler is a `ClusterError` within seconds."""
    items = [tuple(item) for item in items]
    if not items:
        return []
    results: list[Any] = [None] * len(items)
    with _untrimmed(cluster), connect(cluster) as executor:
        if not executor.distributed:
            for i, item in enumerate(items):
                results[i] = fn(*item)
                if done is not None:
                    done(i, results[i])
            return results
        from distributed import as_completed

        client = executor.client
        futures = [client.submit(fn, *item, pure=False) for item in items]
        position = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures, loop=client.loop):
            i = position[future.key]
            results[i] = future.result()
            if done is not None:
                done(i, results[i])
    return results


@contextmanager
def _untrimmed(cluster: str | None) -> Iterator[None]:
    """Local workers spawned without Dask's ``MALLOC_TRIM_THRESHOLD_``: a fixed trim threshold stops
    glibc adapting its mmap threshold, so every mid-sized tensor becomes a fresh mmap and page
    faults (an e3nn training ran 2.6x slower).  Workers started by hand keep their own environment."""
    if cluster is None:  # serial: no Dask to import
        yield
        return
    try:
        import dask
        # distributed's defaults loaded first: leaving the block then restores them rather than drops them
        importlib.import_module("distributed")
    except ImportError:  # connect says what to install
        yield
        return
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        yield
