"""The EMLP benchmark harness runs end to end on a tiny configuration and writes its table honestly."""
import json
import pathlib
import sys

import pytest
import torch

# imported by name (not from a file spec) so that --jobs worker processes can import it too
sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import emlp_table  # noqa: E402


def test_published_numbers_are_the_papers():
    # spot checks against Finzi et al. 2021 (synthetic_results_all.csv), one per task and row kind
    assert emlp_table.PUBLISHED["O5Synthetic"]["EMLP-O(5)"][0] == 0.152
    assert emlp_table.PUBLISHED["Inertia"]["MLP + aug"][-1] == 0.106
    assert emlp_table.PUBLISHED["ParticleInteraction"]["EMLP-O(1,3)"][3] == 3.30e-4
    assert all(len(v) == 7 for rows in emlp_table.PUBLISHED.values() for v in rows.values())


def test_tiny_run_writes_table_json_and_plot(tmp_path):
    threads = torch.get_num_threads()
    try:
        runs = emlp_table.main(["--tasks", "Inertia,SymmetricSet", "--sizes", "30,60", "--seeds", "2", "--test", "100",
                                "--val", "50", "--epochs-cap", "2", "--results", str(tmp_path), "--out", "t"])
    finally:
        torch.set_num_threads(threads)
    assert {(r.task, r.model) for r in runs} == {("Inertia", "MLP"), ("Inertia", "MLP + aug"),
                                               ("Inertia", "molien equivariant"), ("SymmetricSet", "MLP"),
                                               ("SymmetricSet", "MLP + aug"), ("SymmetricSet", "DeepSets"),
                                               ("SymmetricSet", "molien invariant MLP (S_n)"),
                                               ("SymmetricSet", "molien order-2 network")}
    assert len(runs) == 2 * 2 * 8
    text = (tmp_path / "t.md").read_text()
    assert "| EMLP-O(3) (published) | 4.11 | – |" in text  # N=60 is not a published size
    assert "| DeepSets (ours) |" in text and "±" in text
    saved = json.loads((tmp_path / "t.json").read_text())
    assert [r["test_mse"] for r in saved] == pytest.approx([r.test_mse for r in runs])
    assert all(r["test_mse"] > 0 and r["epochs"] == 2 for r in saved)
    mlp30 = [r.test_mse for r in runs if r.task == "Inertia" and r.model == "MLP" and r.n == 30]
    assert f"| MLP (ours) | {sum(mlp30) / 2:.3g} ± " in text
    assert (tmp_path / "t.png").stat().st_size > 1000


def test_unknown_model_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        emlp_table.parse(["--models", "Transformer"])
    assert exit_.value.code == 2  # argparse's usage error
    assert "unknown model or task ['Transformer']; models: ['MLP', 'MLP + aug', 'DeepSets'" in capsys.readouterr().err


def test_molien_rows_are_the_public_models_of_neural():
    """The table trains `neural.emlp_models`' builders (tested in test_neural_models), on the tasks they are for."""
    from neural import emlp_models

    assert emlp_table.MODELS["molien invariant MLP"].build is emlp_models.invariant_model
    assert emlp_table.MODELS["molien invariant MLP"].tasks == ("O5Synthetic", "ParticleInteraction")
    assert emlp_table.MODELS["molien equivariant"].build is emlp_models.inertia_model
    assert emlp_table.MODELS["molien equivariant"].tasks == ("Inertia",)
    assert emlp_table.MODELS["molien invariant MLP (S_n)"].build is emlp_models.set_generator_mlp
    assert emlp_table.MODELS["molien invariant MLP (S_n)"].tasks == ("SymmetricSet",)


def test_cyclic_set_runs_with_its_models(tmp_path):
    threads = torch.get_num_threads()
    try:
        runs = emlp_table.main(["--tasks", "CyclicSet", "--sizes", "30", "--seeds", "1", "--test", "50", "--val", "20",
                                "--epochs-cap", "2", "--results", str(tmp_path), "--out", "c",
                                "--models", "DeepSets,molien order-2 network,molien invariant MLP (C_n)"])
    finally:
        torch.set_num_threads(threads)
    assert [r.model for r in runs] == ["DeepSets", "molien order-2 network", "molien invariant MLP (C_n)"]
    assert all(r.test_mse > 0 for r in runs)


def test_parallel_jobs_give_the_serial_results(tmp_path):
    threads = torch.get_num_threads()
    common = ["--tasks", "ParticleInteraction", "--sizes", "30", "--seeds", "2", "--test", "50", "--val", "20",
              "--epochs-cap", "2", "--results", str(tmp_path), "--models", "MLP + aug"]
    try:
        serial = emlp_table.main(common + ["--out", "serial"])
        parallel = emlp_table.main(common + ["--out", "parallel", "--jobs", "2"])
    finally:
        torch.set_num_threads(threads)
    assert [(r.seed, r.test_mse) for r in serial] == [(r.seed, r.test_mse) for r in parallel]


def test_cluster_runs_one_task_per_size_with_the_serial_results(tmp_path, monkeypatch):
    """``--cluster`` splits the grid into (task, seed, size) runs: run here, in reverse order (as a
    cluster may finish them), they reproduce the serial runs in the serial order.  The Dask path of
    `run_grid` itself is tested with the generalisation benchmark."""
    def reversed_grid(fn, items, cluster):
        assert cluster == "local:2" and [item[3] for item in items] == [(30,), (60,), (30,), (60,)]
        return [fn(*item) for item in items[::-1]][::-1]

    threads = torch.get_num_threads()
    common = ["--tasks", "ParticleInteraction", "--sizes", "30,60", "--seeds", "2", "--test", "50", "--val", "20",
              "--epochs-cap", "2", "--results", str(tmp_path), "--models", "MLP,MLP + aug"]
    try:
        serial = emlp_table.main(common + ["--out", "serial"])
        monkeypatch.setattr(emlp_table, "run_grid", reversed_grid)
        spread = emlp_table.main(common + ["--out", "cluster", "--cluster", "local:2"])
    finally:
        torch.set_num_threads(threads)
    assert len(serial) == 8
    assert [(r.n, r.seed, r.model, r.test_mse, r.val_mse) for r in serial] == \
        [(r.n, r.seed, r.model, r.test_mse, r.val_mse) for r in spread]
