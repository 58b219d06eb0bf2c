"""`neural.cluster.run_grid`: serial without a cluster, one Dask task per run on a scheduler's
address with the results in the order of the items (and each handed back as it arrives)."""
import pytest

from neural.cluster import run_grid


def test_without_a_cluster_the_runs_are_serial_and_reported_in_order():
    seen = []
    assert run_grid(divmod, [(7, 2), (9, 4)], done=lambda i, result: seen.append((i, result))) == [(3, 1), (2, 1)]
    assert seen == [(0, (3, 1)), (1, (2, 1))]
    assert run_grid(divmod, [], "local:2") == []          # nothing to run: no cluster started


def test_a_scheduler_address_runs_the_items_as_tasks():
    distributed = pytest.importorskip("distributed")
    seen = []
    with distributed.LocalCluster(n_workers=2, processes=False, threads_per_worker=1, protocol="tcp",
                                  dashboard_address=":0") as local:
        assert local.scheduler_address.startswith("tcp://")
        results = run_grid(pow, [(2, 10), (3, 3), (5, 0)], local.scheduler_address,
                           done=lambda i, result: seen.append((i, result)))
    assert results == [1024, 27, 1] and sorted(seen) == [(0, 1024), (1, 27), (2, 1)]
