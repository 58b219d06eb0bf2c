"""`fit` under torchrun: 2 CPU processes (gloo) train to the parameters of one process with the
same global batch, seed and epochs (float64 ≤ 1e-10, float32 ≤ 1e-5), for batches that split
evenly, unevenly and not at all (a rank without rows), with validation, early stopping, L-BFGS, a
regularizer, a second fit of one model and an invariant model; the tolerance is tight enough to
tell a wrong global batch apart.  Data that differ between the processes are refused by all of them.

This file is also the script torchrun runs (launched by `neural.distributed.local_command`:
``torchrun --nproc_per_node 2 ... tests/test_distributed_training.py OUT``): it trains every case and
writes each rank's parameters and history to ``OUT/rank<r>.pt``.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # run by torchrun from anywhere: the repository first
    sys.path.insert(0, str(ROOT))

from invariants.errors import InputError  # noqa: E402
from neural import distributed  # noqa: E402
from neural.baselines import MLP  # noqa: E402
from neural.models import InvariantModel  # noqa: E402
from neural.training import fit  # noqa: E402


def _data(n: int, dtype: torch.dtype, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Two vectors of R³ per row; sin(v1·v2) + |v1|² (O(3)-invariant) plus, seen by the MLPs only, a
    linear part they learn within a few epochs (so that the best validation state is a trained one)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 6, generator=gen, dtype=torch.float64)
    y = torch.sin((x[:, :3] * x[:, 3:]).sum(1, keepdim=True)) + x[:, :3].pow(2).sum(1, keepdim=True)
    return x.to(dtype), y.to(dtype)


def _linear(data: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    x, y = data
    return x, y + 2 * x @ torch.arange(1.0, 7.0, dtype=x.dtype)[:, None]


def _mlp(dtype: torch.dtype) -> nn.Module:
    torch.manual_seed(0)
    return MLP(6, 1, channels=32, layers=2).to(dtype)


def case(name: str, batch_size: int | None = None) -> tuple[nn.Module, dict]:
    """A model, and the arguments of its `fit` (``batch_size`` overrides the case's)."""
    f64, f32 = torch.float64, torch.float32
    if name == "invariant":                              # prepare (closed-form path), frozen parameters
        torch.manual_seed(0)
        model = InvariantModel("O(3):2xv", channels=16, layers=2)
        run = dict(train=_data(40, f64, 1), epochs=3, batch_size=16)
    elif name == "lbfgs":                                # closure called many times per step: ranks must agree
        model = _mlp(f64)
        run = dict(train=_data(61, f64, 1), epochs=2, batch_size=61, shuffle=False,
                   optimizer=lambda p: torch.optim.LBFGS(p, max_iter=5))
    elif name == "unsupervised":                         # not split: every rank runs the whole fit
        model = _mlp(f64)
        run = dict(train=_data(40, f64, 1)[0], loss=lambda m, x: (m(x) - 1).pow(2).mean(), epochs=3, batch_size=8)
    else:
        model = _mlp(f32 if name == "float32" else f64)
        dtype = next(model.parameters()).dtype
        n = {"even": 64, "odd": 64, "empty": 61, "float32": 64, "patience": 64, "twice": 64}[name]
        run = dict(train=_linear(_data(n, dtype, 1)), val=_linear(_data(50, dtype, 2)), epochs=4, lr=1e-2, val_every=1,
                   batch_size={"even": 16, "odd": 25, "empty": 20}.get(name, 16))
        if name == "even":
            run["regularizer"] = lambda: 1e-3 * sum(p.pow(2).sum() for p in model.parameters())
        if name == "patience":                           # too large a step: validation worsens, training stops
            run.update(lr=0.3, epochs=30, patience=2)
        if name == "twice":
            run.update(val=None, epochs=2)
    if batch_size is not None:
        run["batch_size"] = batch_size
    return model, run


CASES = ("even", "odd", "empty", "float32", "patience", "twice", "invariant", "lbfgs", "unsupervised")


def train(name: str, batch_size: int | None = None) -> dict:
    model, run = case(name, batch_size)
    data, val = run.pop("train"), run.pop("val", None)
    for _ in range(2 if name == "twice" else 1):                  # a model fitted again is wrapped again
        history = fit(model, data, val, progress=False, **run)
    params = torch.cat([p.detach().flatten().double() for p in model.parameters()])
    return {"params": params, "epochs": history.epochs, "best_epoch": history.best_epoch,
            "epoch_loss": history.epoch_loss, "stopped_early": history.stopped_early}


def main(out: Path) -> None:
    torch.set_num_threads(1)
    results = {name: train(name) for name in CASES}
    group = distributed.world()
    assert group is not None, "torchrun's environment was not picked up"
    try:                                                                 # data sharded by hand: refused by every rank
        fit(_mlp(torch.float64), _data(40 + group.rank, torch.float64, 1), epochs=1, progress=False)
    except InputError as error:
        results["refused"] = str(error)
    torch.save(results, out / f"rank{torch.distributed.get_rank()}.pt")


# -- the test ------------------------------------------------------------------------------------------
def _torchrun(out: Path) -> list[dict]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(distributed.local_command(__file__, str(out)), env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [torch.load(out / f"rank{r}.pt") for r in (0, 1)]


def test_two_processes_train_to_the_single_process_parameters(tmp_path, one_thread):
    ranks = _torchrun(tmp_path)
    for name in CASES:
        alone, (first, second) = train(name), (r[name] for r in ranks)
        tolerance = 1e-5 if name == "float32" else 1e-10
        assert torch.equal(first["params"], second["params"]), f"{name}: the ranks drifted apart"
        assert all(first[k] == second[k] for k in ("epochs", "best_epoch", "stopped_early", "epoch_loss")), name
        gap = float((first["params"] - alone["params"]).abs().max())
        assert gap <= tolerance, f"{name}: 2 processes differ from 1 by {gap:.2e}"
        for key in ("epochs", "best_epoch", "stopped_early"):
            assert first[key] == alone[key], (name, key, first[key], alone[key])
        assert torch.allclose(torch.tensor(first["epoch_loss"]), torch.tensor(alone["epoch_loss"]), rtol=1e-4)
    assert ranks[0]["patience"]["stopped_early"]
    assert all("needs the same training data" in r["refused"] for r in ranks)
    # the tolerance tells a wrong global batch apart: each rank taking the whole batch size (batch 2x)
    for name, doubled in (("even", 32), ("empty", 40)):
        gap = float((ranks[0][name]["params"] - train(name, doubled)["params"]).abs().max())
        assert gap > 1e-4, (name, gap)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
