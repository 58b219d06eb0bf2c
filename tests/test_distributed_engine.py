"""The exact engine on Dask (#24): the same answers on a cluster as serially — Molien series by
conjugacy classes, invariants of several degrees, the ring stages that read them — the errors of
a bad address, and a worker killed mid-computation."""
import json
import os
import random
import signal
import sys
import threading
import time

import pytest
import sympy

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402  (dask's own dependency)

from invariants import MatrixGroup  # noqa: E402
from invariants.catalogue import symmetric, weyl  # noqa: E402
from invariants.catalogue.spec import load_spec  # noqa: E402
from invariants.cli import main  # noqa: E402
from invariants.errors import ClusterError, InputError, TooLargeError  # noqa: E402
from invariants.groups.finite import molien as finite_molien  # noqa: E402
from invariants.groups.finite.molien import class_term, finite_molien_series  # noqa: E402
from invariants.groups.representation import as_representation  # noqa: E402
from invariants.parallel.dask_cluster import cluster, parse_cluster_address  # noqa: E402
from invariants.parallel.executor import current_executor, use_executor  # noqa: E402
from invariants.rings.ring import invariant_ring  # noqa: E402
from invariants.rings.spaces import invariant_spaces  # noqa: E402

# functions of this file that run on the workers travel by value (the workers need not import it)
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def local2():
    with cluster("local:2") as executor:
        yield executor


def _random_matrix_group():
    """Signed permutation matrices of a seeded choice, conjugated by a seeded rational matrix:
    a finite group known only by its generators."""
    rng = random.Random(24)
    n = 4
    P = sympy.Matrix([[rng.randint(-2, 2) + (3 if i == j else 0) for j in range(n)] for i in range(n)])
    gens = []
    for _ in range(3):
        perm = list(range(n))
        rng.shuffle(perm)
        g = sympy.zeros(n)
        for i, j in enumerate(perm):
            g[i, j] = rng.choice([-1, 1])
        gens.append((P * g * P.inv()).tolist())
    return MatrixGroup(gens)


def _same_series(a, b):
    return a.numerator == b.numerator and a.denominator == b.denominator and a == b


SERIES_CASES = {
    "random group from generators": lambda: (_random_matrix_group(), None),
    "W(F4) by classes": lambda: (weyl("F4"), None),
    "S4 relative to the sign": lambda: (symmetric(4).natural(), load_spec("symmetric(4):det")),
    "G(6,1,3) over QQ(zeta_6)": lambda: (load_spec("G(6,1,3)"), None),
    "C3 over GF(7) (Brauer lift)": lambda: (MatrixGroup([[[0, -1], [1, -1]]], field="GF(7)"), None),
}


@pytest.mark.parametrize("case", list(SERIES_CASES), ids=list(SERIES_CASES))
def test_molien_series_by_classes_is_the_same_on_a_cluster(local2, case):
    group, chi = SERIES_CASES[case]()
    rep = as_representation(group)
    serial = finite_molien_series(rep, None if chi is None else as_representation(chi), method="classes")
    with use_executor(local2):
        assert current_executor() is local2
        on_cluster = finite_molien_series(rep, None if chi is None else as_representation(chi), method="classes")
    assert _same_series(on_cluster, serial)


def test_cluster_progress_counts_the_class_terms(local2):
    rep = weyl("F4").natural()
    rep.image_group.conjugacy_classes()  # enumerated here: the callback then sees only the terms
    calls = []
    with use_executor(local2):
        finite_molien_series(rep, method="classes", progress=lambda done, total: calls.append((done, total)))
    total = len(rep.image_group.conjugacy_classes())
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


SPACE_CASES = {
    "G(3,3,3) on sym2 (orbit sums, number field)": ("G(3,3,3):sym2(v)", [3, 6, 9]),
    "random group (power sums)": (None, [2, 3, 4, 5, 6]),
    "SO(3) on 1+2 (Lie algebra kernel)": ("SO(3):1,2", [2, 3, 4, 5, 6]),
    "modular C3 on GF(3)^3 (fixed space)": ("cyclic(3, permutation)@GF(3)", [1, 2, 3, 4]),
}


def _space_group(spec):
    if spec is None:
        return _random_matrix_group()
    if spec.endswith("@GF(3)"):
        return MatrixGroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]]], field="GF(3)")
    return load_spec(spec)


@pytest.mark.parametrize("case", list(SPACE_CASES), ids=list(SPACE_CASES))
def test_invariants_of_several_degrees_are_the_same_on_a_cluster(local2, case):
    spec, degrees = SPACE_CASES[case]
    serial = invariant_spaces(_space_group(spec), degrees)
    with use_executor(local2):
        on_cluster = invariant_spaces(_space_group(spec), degrees)
    assert list(on_cluster) == list(serial) == degrees
    for d in degrees:
        assert on_cluster[d].flint == serial[d].flint
        assert on_cluster[d].method == serial[d].method
        assert on_cluster[d].polynomials == serial[d].polynomials


def test_ring_stages_read_prefetched_bases_and_agree(local2):
    """SO(3) on 1+2: generators up to the Hironaka bound and secondaries by degree (all
    prefetched on the cluster); and a modular ring, whose generator search reads every degree."""
    serial = invariant_ring(load_spec("SO(3):1,2"))
    modular_serial = invariant_ring(MatrixGroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]]], field="GF(3)"))
    with use_executor(local2):
        ring = invariant_ring(load_spec("SO(3):1,2"))
        modular = invariant_ring(MatrixGroup([[[0, 0, 1], [1, 0, 0], [0, 1, 0]]], field="GF(3)"))
        assert ring.generation.polys == serial.generation.polys
        assert ring.secondaries.polys == serial.secondaries.polys
        assert ring.primaries.polys == serial.primaries.polys
        assert modular.generators == modular_serial.generators
        assert str(modular.certificate) == str(modular_serial.certificate)
    assert set(ring.graded._bases) >= {2, 3, 4}


def test_errors_come_in_degree_order_as_serially(local2):
    """Degree 2 fails inside its task (fixed space above max_monomials), degree 40 before any
    task (too many monomials to list): the cluster raises degree 2's error, as a serial run does."""
    group = _random_matrix_group()
    with pytest.raises(TooLargeError) as serial:
        invariant_spaces(group, [1, 2, 40], method="fixed_space", max_monomials=5)
    with use_executor(local2), pytest.raises(TooLargeError) as on_cluster:
        invariant_spaces(_random_matrix_group(), [1, 2, 40], method="fixed_space", max_monomials=5)
    assert str(on_cluster.value) == str(serial.value)
    assert "dimension 10" in str(serial.value)  # degree 2 in 4 variables: 10 monomials


def _fails_on_odd(k):
    if k % 2:
        raise InputError(f"odd {k}")
    return k


def test_executor_keeps_item_order_and_raises_the_first_error(local2):
    assert local2.map(pow, range(40), [2] * 40) == [k * k for k in range(40)]
    with pytest.raises(InputError, match="odd 1$"):
        local2.map(_fails_on_odd, range(40))


def test_unreachable_scheduler_is_a_clear_error_within_seconds():
    start = time.perf_counter()
    with pytest.raises(ClusterError, match=r"could not reach a Dask scheduler at tcp://127\.0\.0\.1:9 .*local:N"):
        with cluster("tcp://127.0.0.1:9"):
            pass  # pragma: no cover
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize("address", ["local:0", "local:two", "no port", "http://"])
def test_bad_addresses_are_refused_before_connecting(address):
    with pytest.raises(InputError, match="local:N"):
        parse_cluster_address(address)


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(InputError, match=r"pip install molien\[cluster\]"):
        with cluster("local:1"):
            pass  # pragma: no cover


def _slow_class_term(*args, **kwargs):
    time.sleep(0.3)
    return class_term(*args, **kwargs)


@pytest.mark.slow
def test_a_worker_killed_mid_computation_changes_nothing(monkeypatch):
    rep = weyl("F4").natural()
    serial = finite_molien_series(rep, method="classes")
    killed = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                                  scheduler_kwargs={"dashboard": False}) as local:
        with cluster(local.scheduler_address) as executor:
            pids = executor.client.run(os.getpid)

            def kill_a_busy_worker():
                for _ in range(200):
                    busy = [w for w, tasks in executor.client.processing().items() if tasks]
                    if busy:
                        time.sleep(0.3)  # well inside its task
                        os.kill(pids[busy[0]], signal.SIGKILL)
                        killed.append(busy[0])
                        return
                    time.sleep(0.05)

            monkeypatch.setattr(finite_molien, "class_term", _slow_class_term)
            killer = threading.Thread(target=kill_a_busy_worker)
            killer.start()
            on_cluster = finite_molien_series(rep, method="classes")
            killer.join()
    assert killed, "no worker was busy to kill"
    assert _same_series(on_cluster, serial)


def _die(k):
    os._exit(1)  # as the kernel's OOM killer would end the worker


def test_workers_that_keep_dying_are_a_cluster_error():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                         dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False})
    with local, cluster(local.scheduler_address) as executor:
        with pytest.raises(ClusterError, match="died each time.*memory"):
            executor.map(_die, [1])


@pytest.mark.slow
def test_cli_series_prints_the_same_on_a_cluster(capsys):
    assert main(["series", "G(6,1,3)", "--json", "--terms", "30"]) == 0
    serial = capsys.readouterr().out
    assert main(["series", "G(6,1,3)", "--json", "--terms", "30", "--cluster", "local:2"]) == 0
    assert capsys.readouterr().out == serial
    assert json.loads(serial)


@pytest.mark.slow
def test_cli_ring_prints_the_same_on_a_cluster(capsys):
    args = ["ring", "SO(3):1,2", "--json", "--generators", "--hironaka"]
    assert main(args) == 0
    serial = capsys.readouterr().out
    assert main(args + ["--cluster", "local:2"]) == 0
    assert capsys.readouterr().out == serial
    assert json.loads(serial)["secondary_degrees"] and json.loads(serial)["generators"]


def test_cli_unreachable_cluster(capsys):
    assert main(["series", "W(F4)", "--cluster", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "could not reach a Dask scheduler" in err and "--cluster local:N" in err


# SU(2) on binary sextics and on three binary cubics need two CRT primes; the others one; O(2) two components
WEYL_CASES = ["SU(2):6", "SU(2):3,3,3", "U(1)^2:(1,0)+(0,1)+(-1,-1)+(1,1)", "SO(3):1,2", "O(2):1+2"]


@pytest.mark.parametrize("spec", WEYL_CASES)
def test_molien_weyl_counts_per_prime_are_the_same_on_a_cluster(local2, spec, monkeypatch):
    """The modular images of a Molien–Weyl count, one task per CRT prime, lift to the same series."""
    from invariants import molien_series
    serial = molien_series(load_spec(spec))
    tasks = []
    real_map = local2.map
    monkeypatch.setattr(local2, "map", lambda fn, *items, **kw: tasks.append(len(items[0])) or real_map(fn, *items, **kw))
    with use_executor(local2):
        on_cluster = molien_series(load_spec(spec))
    assert _same_series(on_cluster, serial)
    assert tasks and max(tasks) == (2 if spec.startswith("SU(2)") else 1)   # one task per prime
