"""The exact engine on a Dask cluster: ``with cluster(ADDRESS):`` runs the independent pieces of
the computations in the block as Dask tasks, with the same exact answers as without.

``ADDRESS`` is ``"local:N"`` (a `LocalCluster` of N single-threaded worker processes on this
machine, started for the block and stopped after it), ``"local"`` (one worker per core), or the
address of a running scheduler, ``"tcp://host:8786"`` (``dask scheduler`` there, ``dask worker
tcp://host:8786`` on every machine, each with molien installed).  None is the serial default, so
``with cluster(args.cluster):`` serves a command line with and without ``--cluster``.

Which pieces go to the cluster is the algorithms' business (`invariants.parallel.executor`): the
conjugacy-class terms of a Molien series (`invariants.groups.finite.molien`), the modular images of
a Molien–Weyl count, one per CRT prime (`invariants.groups.compact.molien_weyl`), and the bases of the
invariants of several degrees (`invariants.rings.spaces.invariant_spaces`; in a ring computation,
every degree a stage will read, `invariants.rings.context`).  Results come back in item order and
are combined by the caller in a fixed order, so the answers are bit-identical to the serial ones.
A worker lost in the middle of a task has that task rescheduled by the scheduler on another
worker; a task that fails otherwise unexpectedly is retried (``retries=RETRIES``); an error of the
computation itself (a `MolienError`) is not retried and reaches the caller as it would serially —
the error of the first failing item.  Progress is counted
from the scheduler's completions into the same ``progress(done, total)`` callback the serial path
calls.  Dask is an optional dependency (``pip install molien[cluster]``), imported only here.

A script that starts a local cluster must start it under ``if __name__ == "__main__":`` (the
workers are new processes that import the script), as with `multiprocessing`.

Not split (yet), and why: finding the conjugacy classes (listing a small group, or sampling a large
one with a centraliser per class, `invariants.groups.finite.perm_classes`: each new class changes
what the next samples must decide — the serial part of a Molien series); the generator search under King's criterion
and the secondaries chosen through K[V]/(p) (each degree depends on what the lower ones chose,
and the search may stop at any degree, so prefetching bases there would be speculative); the
candidate hsops of the primaries (independent proofs, first success in order wins: a fit for
speculative tasks, not done); and one degree's own elimination.

Example:
    >>> parse_cluster_address("local:4"), parse_cluster_address("tcp://10.0.0.5:8786")
    (('local', 4), ('scheduler', 'tcp://10.0.0.5:8786'))
    >>> with cluster(None) as executor:   # no cluster: the serial executor
    ...     executor.map(abs, [-1, 2])
    [1, 2]
"""
from __future__ import annotations

import contextlib
import logging
import math
import os
import pickle
import re
from typing import Any, Callable, Iterable, Iterator

import invariants.catalogue.spec  # noqa: F401  (registers how representations pickle: as their specs)
from invariants.errors import ClusterError, InputError, MolienError
from invariants.parallel.executor import Executor, Progress, current_executor, use_executor

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler (and to find a worker there) before saying so
RETRIES = 2  # a task that raises is run again this many times before its error is final
CHUNKS_PER_WORKER = 8  # pieces are sent in chunks (a task costs ~1 ms of scheduling): enough to balance load
MAX_LOCAL_WORKERS = 1024

_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$")
HOW = ("use 'local:N' for N worker processes on this machine, or the address of a running Dask scheduler "
       "such as 'tcp://10.0.0.5:8786'")


def parse_cluster_address(address: str) -> tuple[str, int | str]:
    """``("local", N)`` or ``("scheduler", address)``; an `InputError` for anything else.

    Example:
        >>> parse_cluster_address("local:0")
        Traceback (most recent call last):
        ...
        invariants.errors.InputError: cluster 'local:0': the number N of worker processes in local:N must be between 1 and 1024
    """
    text = str(address).strip()
    if text == "local":
        return ("local", os.cpu_count() or 1)
    if text.startswith("local:"):
        count = text[len("local:"):]
        if not (count.isascii() and count.isdigit()) or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise InputError(f"cluster {text!r}: the number N of worker processes in local:N must be between 1 and "
                             f"{MAX_LOCAL_WORKERS}")
        return ("local", int(count))
    if not _ADDRESS.match(text):
        raise InputError(f"cluster {text!r} is not a cluster address: {HOW}")
    return ("scheduler", text)


def _cloudpickle():
    _distributed()  # a dependency of Dask: present when it is
    import cloudpickle

    return cloudpickle


def _distributed():
    try:
        import distributed
    except ImportError:
        raise InputError("running on a cluster needs Dask, which is not installed: pip install molien[cluster] "
                         "(or pip install 'dask[distributed]')") from None
    return distributed


def _run_chunk(payload: bytes) -> bytes:
    """Run ``fn`` on a chunk of items, both pickled by the caller into one bytes object (Dask sends
    bytes as they are, where it would serialize a list of exact matrices item by item, several
    times slower), and return the results up to the chunk's first `MolienError` with that error,
    pickled the same way.  The error is returned, not raised, so that the scheduler does not retry
    a computation that would fail the same way again, and so that the caller can raise the error of
    the first failing item, as the serial path does."""
    fn, items = pickle.loads(payload)
    out = []
    for args in items:
        try:
            out.append(fn(*args))
        except MolienError as exc:
            return pickle.dumps((out, exc))
    return pickle.dumps((out, None))


class DaskExecutor:
    """`Executor.map` as Dask tasks on a ``distributed.Client``: the items in chunks (a few per
    worker thread), results gathered in item order."""

    distributed = True

    def __init__(self, client: Any):
        self.client = client

    @property
    def workers(self) -> int:
        """Worker threads the scheduler knows now (each runs one task at a time)."""
        return max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], progress: Progress | None = None) -> list:
        items = list(zip(*iterables))
        if not items:
            return []
        size = math.ceil(len(items) / (CHUNKS_PER_WORKER * self.workers))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        # pure=False: the pieces are pure, but hashing their arguments for keys would cost more than it saves
        dumps = _cloudpickle().dumps  # by reference for importable functions, by value for the others
        futures = [self.client.submit(_run_chunk, dumps((fn, chunk)), retries=RETRIES, pure=False) for chunk in chunks]
        position = {future.key: i for i, future in enumerate(futures)}
        results: list = [None] * len(futures)
        try:
            done, failed = 0, len(futures)  # failed: the first chunk (in item order) that met a MolienError
            for future in _distributed().as_completed(futures, loop=self.client.loop):
                i = position[future.key]
                results[i] = pickle.loads(_result(future))  # an unexpected exception, after its retries, is raised here
                done += len(chunks[i])
                if progress is not None:
                    progress(done, len(items))
                if results[i][1] is not None:
                    failed = min(failed, i)
                if failed < len(futures) and all(r is not None for r in results[:failed]):
                    break  # every item before the first error has its value: that error is the serial one
        finally:
            pending = [f for f, r in zip(futures, results) if r is None]
            if pending:
                self.client.cancel(pending)
        out = []
        for values, error in results[:failed + 1]:
            out += values
            if error is not None:
                raise error
        return out

    def __repr__(self) -> str:
        return f"DaskExecutor({self.client.scheduler.address!r})"


def _result(future: Any) -> Any:
    try:
        return future.result()
    except _distributed().KilledWorker as exc:
        raise ClusterError(f"the workers that ran a piece of this computation died each time ({exc}); most often "
                           "they ran out of memory: give each worker more (dask worker --memory-limit, or fewer "
                           "workers per machine: local:N with a smaller N), or compute something smaller") from None


@contextlib.contextmanager
def cluster(address: str | None, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Executor]:
    """Run the computations of the block on a Dask cluster (see the module docstring); yields the
    executor.  An unreachable scheduler, or one without workers, is a `ClusterError` within
    ``timeout`` seconds."""
    if address is None:
        yield current_executor()
        return
    kind, where = parse_cluster_address(address)
    distributed = _distributed()
    local = None
    if kind == "local":
        # no dashboard, and the scheduler's small HTTP server on a free port of this machine: two
        # local clusters never compete for port 8787
        local = distributed.LocalCluster(n_workers=where, threads_per_worker=1, processes=True,
                                         dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                                         silence_logs=logging.CRITICAL)
        client = distributed.Client(local, set_as_default=False)
    else:
        client = _connect(distributed, str(where), timeout)
    try:
        with use_executor(DaskExecutor(client)) as executor:
            yield executor
    finally:
        client.close()
        if local is not None:
            local.close()


def _connect(distributed: Any, address: str, timeout: float) -> Any:
    try:
        client = distributed.Client(address, timeout=f"{timeout}s", set_as_default=False)
    except Exception as exc:  # OSError for no answer; a service that is not a scheduler fails in other ways
        raise ClusterError(f"could not reach a Dask scheduler at {address} within {timeout:g} s "
                           f"({type(exc).__name__}: {str(exc)[:200]}): start one there (dask scheduler; then dask "
                           f"worker {address} on each machine), check the host and port, or use --cluster local:N "
                           "for worker processes on this machine") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except Exception:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers (none joined within {timeout:g} s): "
                           f"start some with dask worker {address}, each with molien installed") from None
    return client
