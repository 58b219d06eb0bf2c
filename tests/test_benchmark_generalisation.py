"""The generalisation benchmark runs end to end on a tiny grid, resumes, tells the models apart, and
gives the same records when its runs are Dask tasks on a local cluster."""
import json
import pathlib
import sys
import time

import pytest
import torch

from invariants.errors import ClusterError, InputError

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import generalisation  # noqa: E402


def test_targets_have_their_symmetry():
    gen = torch.Generator().manual_seed(0)
    p = torch.randn(50, 4, 3, dtype=torch.float64, generator=gen)
    q, _ = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64, generator=gen))
    rotation = q * torch.sign(torch.linalg.det(q))
    for name, family in generalisation.FAMILIES.items():
        for g in (rotation, -rotation):  # a rotation, and a reflection (det −1)
            moved, still = family.target(p @ g.T), family.target(p)
            if family.vector:
                sign = torch.linalg.det(g) if family.e3nn_out == "1e" else 1.0   # an axial vector
                expected = sign * still @ g.T
            else:
                expected = still * (torch.linalg.det(g) if family.e3nn_out == "0o" else 1.0)
            assert torch.allclose(moved, expected, atol=1e-9), (name, float(torch.linalg.det(g)))


def test_tiny_grid_writes_results_and_resumes(tmp_path, one_thread):
    args = ["--families", "so3_chiral", "--models", "molien,mlp+aug", "--points", "3", "--sizes", "100",
            "--seeds", "1", "--test", "200", "--val", "50", "--steps", "20", "--results", str(tmp_path), "--out", "t"]
    runs = generalisation.main(args)
    smse = {r.model: r.test_smse for r in runs}
    assert smse["molien"] < 1e-10          # the chiral target lies in a homogeneous path of the generators
    assert smse["mlp+aug"] > 0.5           # 20 steps of an augmented MLP learn next to nothing
    saved = json.loads((tmp_path / "t.json").read_text())
    assert {(r["model"], r["k"], r["n_train"]) for r in saved} == {("molien", 3, 100), ("mlp+aug", 3, 100)}
    assert "| so3_chiral | 3 | 100 |" in (tmp_path / "t.md").read_text()
    again = generalisation.main(args + ["--resume"])  # nothing left to do: the saved runs come back
    assert sorted((r.model, r.test_smse) for r in again) == sorted((r.model, r.test_smse) for r in runs)


TIMING = ("train_s", "build_s")


def _records(path):
    return [{k: v for k, v in r.items() if k not in TIMING} for r in json.loads(path.read_text())]


def test_a_local_cluster_gives_the_serial_results(tmp_path, one_thread):
    """Two Dask worker processes run the grid's (family, size, model, seed) runs: the same records, in
    the same order, as the serial run (every run seeds itself); a grid cut short resumes on the cluster."""
    pytest.importorskip("distributed")
    args = ["--families", "so3_chiral", "--models", "molien,mlp+aug", "--points", "3", "--sizes", "40,60",
            "--seeds", "1", "--test", "100", "--val", "30", "--steps", "10", "--results", str(tmp_path)]
    generalisation.main(args + ["--out", "serial"])
    partial = _records(tmp_path / "serial.json")[:2]
    (tmp_path / "cluster.json").write_text(json.dumps(json.loads((tmp_path / "serial.json").read_text())[:2]))
    runs = generalisation.main(args + ["--out", "cluster", "--cluster", "local:2", "--resume"])
    assert _records(tmp_path / "cluster.json") == _records(tmp_path / "serial.json")
    assert _records(tmp_path / "cluster.json")[:2] == partial and len(runs) == 4


def test_an_unreachable_scheduler_or_a_missing_dask_is_refused_at_once(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    quick = ["--quick", "--models", "mlp+aug", "--results", str(tmp_path), "--cluster"]
    start = time.perf_counter()
    with pytest.raises(ClusterError, match="could not reach a Dask scheduler at tcp://127.0.0.1:9 .*dask scheduler"):
        generalisation.main(quick + ["tcp://127.0.0.1:9"])
    assert time.perf_counter() - start < 30
    with pytest.raises(InputError, match="local:N"):
        generalisation.main(quick + ["localhost"])
    monkeypatch.setitem(sys.modules, "distributed", None)   # as if Dask were not installed
    with pytest.raises(InputError, match=r"pip install molien\[cluster\]"):
        generalisation.main(quick + ["local:2"])
