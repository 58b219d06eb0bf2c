"""Charged N-body (Satorras et al., ICML 2021): molien's message passing against EGNN and a linear
model, side by side in one run.

    python benchmarks/manybody.py                    # 3 seeds, 3000 / 2000 / 2000, 200 epochs
    python benchmarks/manybody.py --models e3nn      # the e3nn rows (pip install 'molien[bench]')
    python benchmarks/manybody.py --quick            # 1 seed, 200 training samples, 3 epochs

Data: ``neural.datasets.nbody.charged_nbody`` (the project's simulator written from the protocol's
description: 5 particles, charges ±1, positions and velocities at frame 30 in, positions 1000 steps
later out), training / validation / test sets from separate seeds.  Training: Adam, learning rate
1e-3 with a cosine decay (``--lr``, ``--schedule``; the paper: 5e-4 constant), batches of 100, mean squared
error; the test MSE at the epoch of best validation MSE.  The paper trains for 10 000 epochs; ``--epochs``
says how many ran here.

Models: ``molien-o3`` (`neural.graph.ParticleNetwork` on ``O(3):v``: 4 layers whose edge features are
the engine's invariants and covariants of (x_i − x_j, v_i, v_j), charges as node features),
``molien-so3`` (the same on ``SO(3):v``: chiral terms too), the variants in ``MOLIEN`` (``-v4``: 4 hidden
vector channels and q_i q_j as an edge feature; ``-b3``: body order 3; ``-r16``, ``-r32``: 16 Gaussians of
the distance on [0, 4] or 32 on [0, 6] in every message), ``egnn`` (`neural.graph.EGNN`,
from the paper), ``e3nn`` (`benchmarks/e3nn_nbody.py`: a tensor-product network from e3nn's layers),
``linear`` (x + a (x − x̄) + b v, fitted by least squares: the E(3)-equivariant linear model).
Published test MSE (Satorras et al. 2021, Table 2, 10 000 epochs): Linear 0.0819, SE(3)-Transformer
0.0244, TFN 0.0155, GNN 0.0107, Radial Field 0.0104, EGNN 0.0071; SEGNN 0.0043 (Brandstetter et al.
2022); CGENN 0.0039 (Ruhe et al. 2023).
Results: ``benchmarks/results/manybody.md``, ``manybody.json`` (records ``task, model, library, seed,
n_train, mse, params, train_s, forward_ms, equivariance_error``).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results"

from bridge.actions import orthogonal  # noqa: E402
from neural.datasets.nbody import charged_nbody  # noqa: E402
from neural.graph import EGNN, ParticleNetwork, fully_connected  # noqa: E402

PUBLISHED = {"Linear": 0.0819, "SE(3)-Transformer": 0.0244, "TFN": 0.0155, "GNN": 0.0107, "Radial Field": 0.0104,
             "EGNN": 0.0071, "SEGNN": 0.0043, "CGENN": 0.0039}


def split(count: int, seed: int) -> dict[str, torch.Tensor]:
    data = charged_nbody(count, seed)
    return {k: torch.tensor(v, dtype=torch.float32) for k, v in data.items()}


class Linear(nn.Module):
    """x + a (x − x̄) + b v (x̄ the centre of the particles): the E(3)-equivariant linear map, least squares."""

    def __init__(self) -> None:
        super().__init__()
        self.coefficients = nn.Parameter(torch.zeros(2), requires_grad=False)
        self.particles = 1

    def fit(self, data: dict[str, torch.Tensor]) -> None:
        x = data["positions"]
        self.particles = x.shape[1]
        a = torch.stack([(x - x.mean(1, keepdim=True)).flatten(), data["velocities"].flatten()], 1).double()
        b = (data["target"] - x).flatten().double()[:, None]
        self.coefficients.copy_(torch.linalg.lstsq(a, b).solution[:, 0].to(self.coefficients.dtype))

    def forward(self, x, v, q, edges):
        n = self.particles
        centre = x.reshape(-1, n, x.shape[-1]).mean(1, keepdim=True).expand(-1, n, -1).reshape(x.shape)
        return x + self.coefficients[0] * (x - centre) + self.coefficients[1] * v


MOLIEN = {  # name -> (space, hidden vector channels, q_i q_j as an edge feature, body order)
    "molien-o3": ("O(3):v", 1, False, 2), "molien-so3": ("SO(3):v", 1, False, 2),
    "molien-o3-v4": ("O(3):v", 4, True, 2), "molien-so3-v4": ("SO(3):v", 4, True, 2),
    "molien-o3-v4-b3": ("O(3):v", 4, True, 3), "molien-so3-v4-b4": ("SO(3):v", 4, True, 4),
    "molien-o3-v8": ("O(3):v", 8, True, 2), "molien-o3-v4-r16": ("O(3):v", 4, True, 2),
    "molien-o3-v4-r32": ("O(3):v", 4, True, 2),
}
RADIAL = {"molien-o3-v4-r16": (16, 4.0), "molien-o3-v4-r32": (32, 6.0)}  # name -> (Gaussians, cutoff); others none


def build(model: str) -> nn.Module:
    if model == "egnn":
        return EGNN()
    if model == "linear":
        return Linear()
    if model == "e3nn":
        sys.path.append(str(Path(__file__).resolve().parent))  # last: benchmarks/bridge.py must not shadow the package
        from e3nn_nbody import E3NBody  # needs e3nn: the bench extra
        return E3NBody()
    space, channels, pairs, body = MOLIEN[model]
    radial, cutoff = RADIAL.get(model, (0, 4.0))
    return ParticleNetwork(space, node_features=1, hidden_vectors=channels, edge_features=int(pairs), body_order=body,
                           radial=radial, cutoff=cutoff)


def predict(net: nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    b, n, d = batch["positions"].shape
    edges = fully_connected(n, b)
    x, v, q = (batch[k].reshape(b * n, *batch[k].shape[2:]) for k in ("positions", "velocities", "charges"))
    if isinstance(net, ParticleNetwork):
        pairs = (q[edges[0]] * q[edges[1]])[:, None] if net.layers[0].edge_features else None
        out = net(x, v[:, None], q[:, None], edges, pairs)
    else:
        out = net(x, v, q, edges)
    return out.reshape(b, n, d)


def mse(net: nn.Module, data: dict[str, torch.Tensor]) -> float:
    with torch.no_grad():
        return float(((predict(net, data) - data["target"]) ** 2).mean())


def train(net: nn.Module, data: dict[str, torch.Tensor], valid: dict[str, torch.Tensor], test: dict[str, torch.Tensor],
          epochs: int, seed: int, lr: float = 5e-4, schedule: str = "constant") -> tuple[float, float]:
    if isinstance(net, Linear):
        start = time.perf_counter()
        net.fit(data)
        return mse(net, test), time.perf_counter() - start
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr, weight_decay=1e-12)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs) if schedule == "cosine" else None
    best, best_test, start = float("inf"), float("nan"), time.perf_counter()
    n = len(data["positions"])
    for epoch in range(epochs):
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, 100):
            batch = {k: v[order[i:i + 100]] for k, v in data.items()}
            loss = ((predict(net, batch) - batch["target"]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        if decay is not None:
            decay.step()
        if epoch % 5 == 4 or epoch == epochs - 1:
            val = mse(net, valid)
            if val < best:
                best, best_test = val, mse(net, test)
    return best_test, time.perf_counter() - start


def equivariance_error(net: nn.Module, data: dict[str, torch.Tensor], seed: int) -> float:
    """max |f(Rx + t, Rv, q) − (R f + t)| / max |f| over random rotations/reflections R, translations t
    and particle permutations, in float64."""
    net = net.double()
    batch = {k: v[:16].double() for k, v in data.items()}
    g = torch.Generator().manual_seed(seed)
    R = orthogonal(3, 1, generator=g)[0]
    t = torch.randn(3, generator=g, dtype=torch.float64)
    perm = torch.randperm(batch["positions"].shape[1], generator=g)
    moved = {"positions": batch["positions"][:, perm] @ R.T + t, "velocities": batch["velocities"][:, perm] @ R.T,
             "charges": batch["charges"][:, perm], "target": batch["target"]}
    with torch.no_grad():
        base = predict(net, batch)
        error = float(((predict(net, moved) - (base[:, perm] @ R.T + t)).abs().max() / base.abs().max()))
    net.float()
    return error


def forward_ms(net: nn.Module, data: dict[str, torch.Tensor], reps: int = 20) -> float:
    batch = {k: v[:100] for k, v in data.items()}
    with torch.no_grad():
        predict(net, batch)
        start = time.perf_counter()
        for _ in range(reps):
            predict(net, batch)
    return 1e3 * (time.perf_counter() - start) / reps


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--train", type=int, default=3000)
    parser.add_argument("--models", default="linear,egnn,molien-o3-v4-r16")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--schedule", choices=("constant", "cosine"), default="cosine",
                        help="constant: the paper's; cosine: decay to 0 over the epochs (every model alike)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first-seed … first-seed + seeds − 1")
    parser.add_argument("--note", default="", help="a sentence appended to the report (how the run was made)")
    parser.add_argument("--merge", nargs="+", default=None, metavar="JSON",
                        help="write the report of these runs' records together (runs split over processes)")
    parser.add_argument("--out", default=str(RESULTS / "manybody"))
    args = parser.parse_args(argv)
    sizes = (200, 100, 100) if args.quick else (args.train, 2000, 2000)
    if args.quick:
        args.seeds, args.epochs = 1, 3
    torch.set_num_threads(args.threads)
    if args.merge:
        records = [r for path in args.merge for r in json.loads(Path(path).read_text())]
        args.seeds, args.epochs = len({r["seed"] for r in records}), records[0]["epochs"]
        args.lr, args.schedule = records[0].get("lr", args.lr), records[0].get("schedule", args.schedule)
        write(records, args, (records[0]["n_train"], 2000, 2000))
        return records
    records = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        data, valid, test = (split(size, 1000 * seed + k) for k, size in enumerate(sizes))
        for model in args.models.split(","):
            torch.manual_seed(seed)
            net = build(model)
            test_mse, seconds = train(net, data, valid, test, args.epochs, seed, args.lr, args.schedule)
            records.append({"task": "charged-nbody", "model": model,
                            "library": "molien" if model.startswith("molien") else "e3nn" if model == "e3nn" else "torch", "seed": seed,
                            "n_train": sizes[0], "mse": test_mse, "params": sum(p.numel() for p in net.parameters()
                                                                              if p.requires_grad),
                            "train_s": seconds, "forward_ms": forward_ms(net, test),
                            "equivariance_error": equivariance_error(net, test, seed), "epochs": args.epochs,
                            "lr": args.lr, "schedule": args.schedule})
            print(json.dumps(records[-1]), flush=True)
    write(records, args, sizes)
    return records


def write(records: list[dict], args: argparse.Namespace, sizes: tuple[int, ...]) -> None:
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(records, indent=1) + "\n")
    out.with_suffix(".md").write_text(report(records, args, sizes))


def report(records: list[dict], args: argparse.Namespace, sizes: tuple[int, ...]) -> str:
    lines = ["# Charged N-body (Satorras et al. 2021 protocol, the project's simulator)", "",
             f"{args.seeds} seed(s), {sizes[0]} / {sizes[1]} / {sizes[2]} samples, {args.epochs} epochs (the paper: "
             f"10 000), Adam at learning rate {args.lr} ({args.schedule}; the paper: 5e-4 constant); test MSE at the "
             "best validation epoch, mean ± std.", "",
             "| model | params | test MSE | forward ms (batch 100) | equivariance error (float64) | train s |",
             "|---|---|---|---|---|---|"]
    egnn = [r["forward_ms"] for r in records if r["model"] == "egnn"]
    for model in dict.fromkeys(r["model"] for r in records):
        rows = [r for r in records if r["model"] == model]
        m = [r["mse"] for r in rows]
        lines.append(f"| {model} | {rows[0]['params']} | {np.mean(m):.4f} ± {np.std(m):.4f} | "
                     f"{np.mean([r['forward_ms'] for r in rows]):.2f} | "
                     f"{max(r['equivariance_error'] for r in rows):.1e} | {np.mean([r['train_s'] for r in rows]):.0f} |")
    if egnn:
        lines += ["", "Forward time relative to EGNN: " + ", ".join(
            f"{m} {np.mean([r['forward_ms'] for r in records if r['model'] == m]) / np.mean(egnn):.2f}x"
            for m in dict.fromkeys(r["model"] for r in records) if m != "egnn")]
    if args.note:
        lines += ["", args.note]
    lines += ["", "Published test MSE (10 000 epochs): " + ", ".join(f"{k} {v}" for k, v in PUBLISHED.items()) +
              " (Satorras et al. 2021 Table 2; Brandstetter et al. 2022; Ruhe et al. 2023)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
