"""Harmonic distortion: how far nonlinearities of SO(2) Fourier fields are from equivariant.

    python benchmarks/distortion.py            # band limit 3, N = 4 … 128 sample angles
    python benchmarks/distortion.py --quick

A Fourier field of band limit L is a function f(θ) = a_0 + Σ_{k≤L} (a_k cos kθ + b_k sin kθ) on
the circle: the representation ψ_0 ⊕ ψ_1 ⊕ … ⊕ ψ_L of SO(2) (the engine's ``SO(2):0+1+…+L``).
Steerable CNNs apply a pointwise ReLU to its values at N angles and project back to the band
(escnn's ``FourierPointwise``): equivariant only under the N rotations by 2πn/N, and aliased
in between.  The covariant nonlinearity (`neural.conv.CovariantMap`: the engine's covariants
of ψ_0 ⊕ … ⊕ ψ_L weighted by networks of its invariants) is equivariant for every angle.

Measured, over 2000 random fields and random angles α: the relative equivariance error
|σ(ρ(α) c) − ρ(α) σ(c)| / |c| (mean and max; each σ here is
positively homogeneous of degree 1), for the sampled ReLU implemented here at each N,
escnn's own ``FourierPointwise`` under its own rotations (when escnn is installed), and the
covariant map in float64 and float32.  Results: ``benchmarks/results/distortion.md``, ``.json``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results"

from invariants import load_spec  # noqa: E402
from neural.conv import CovariantMap  # noqa: E402


def rotation(L: int, alpha: torch.Tensor) -> torch.Tensor:
    """ρ(α) on (a_0, a_1, b_1, …, a_L, b_L), ``(batch, 2L+1, 2L+1)``: the engine's ψ_k(α) = R(kα)."""
    out = torch.zeros(len(alpha), 2 * L + 1, 2 * L + 1, dtype=torch.float64)
    out[:, 0, 0] = 1
    for k in range(1, L + 1):
        c, s = torch.cos(k * alpha), torch.sin(k * alpha)
        i = 2 * k - 1
        out[:, i, i], out[:, i, i + 1], out[:, i + 1, i], out[:, i + 1, i + 1] = c, -s, s, c
    return out


def sampled_relu(L: int, n: int):
    """c ↦ least-squares projection onto the band of relu(f(θ_j)), θ_j = 2πj/n."""
    theta = 2 * math.pi * torch.arange(n, dtype=torch.float64) / n
    cols = [torch.ones_like(theta)]
    for k in range(1, L + 1):
        cols += [torch.cos(k * theta), torch.sin(k * theta)]
    A = torch.stack(cols, 1)  # f(θ_j) = A c: ρ(α) c is f(θ − α), as ψ_k(α) = R(kα) says
    back = torch.linalg.pinv(A)
    return lambda c: torch.relu(c @ A.T) @ back.T


def error(f, L: int, count: int, seed: int, dtype=torch.float64) -> tuple[float, float]:
    g = torch.Generator().manual_seed(seed)
    c = torch.randn(count, 2 * L + 1, generator=g, dtype=torch.float64)
    alpha = torch.rand(count, generator=g, dtype=torch.float64) * 2 * math.pi
    R = rotation(L, alpha)
    with torch.no_grad():
        y = f(c.to(dtype)).double()
        moved = f(torch.einsum("bij,bj->bi", R, c).to(dtype)).double()
    err = (moved - torch.einsum("bij,bj->bi", R, y)).norm(dim=1) / c.norm(dim=1)
    return float(err.mean()), float(err.max())


def escnn_error(L: int, n: int, count: int, seed: int) -> tuple[float, float] | None:
    try:
        from escnn import gspaces
        from escnn import nn as enn
    except ImportError:
        return None
    space = gspaces.rot2dOnR2(N=-1, maximum_frequency=L)
    act = enn.FourierPointwise(space, 1, [(k,) for k in range(L + 1)], function="p_relu", N=n)
    rng = np.random.default_rng(seed)
    x = torch.randn(count, act.in_type.size, 1, 1, generator=torch.Generator().manual_seed(seed))
    errs = []
    with torch.no_grad():
        for i in range(count):
            g = space.fibergroup.element(float(rng.uniform(0, 2 * math.pi)))
            xi = enn.GeometricTensor(x[i:i + 1], act.in_type)
            y = act(xi)
            lhs = act(xi.transform(g)).tensor
            rhs = y.transform(g).tensor
            errs.append(float((lhs - rhs).norm() / xi.tensor.norm()))
    return float(np.mean(errs)), float(np.max(errs))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--band", type=int, default=3)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--out", default="distortion")
    parser.add_argument("--results", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    args = parser.parse_args(argv)
    L = args.band
    samples = [4, 8, 16, 32] if args.quick else [4, 8, 12, 16, 24, 32, 64, 128]
    count = 200 if args.quick else args.count
    rows = []
    for n in samples:
        mine = error(sampled_relu(L, n), L, count, 0)
        theirs = escnn_error(L, n, min(count, 300), 0)
        rows.append({"N": n, "sampled_relu": mine, "escnn_fourier_pointwise": theirs})
        print(f"N = {n:4d}: sampled ReLU {mine[0]:.2e} (max {mine[1]:.2e})"
              + (f", escnn {theirs[0]:.2e} (max {theirs[1]:.2e})" if theirs else ""), flush=True)
    start = time.perf_counter()
    spec = "SO(2):" + "+".join(str(k) for k in range(L + 1))
    torch.manual_seed(0)
    exact = CovariantMap(load_spec(spec), fields=1, degree=2, invariant_degree=3).double()
    build_s = time.perf_counter() - start
    covariant = {name: error(lambda c, d=dtype: exact.to(d)(c[:, None, :])[:, 0], L, count, 0, dtype)
                 for name, dtype in (("float64", torch.float64), ("float32", torch.float32))}
    print(f"covariant map ({spec}, built in {build_s:.2f} s): {covariant}", flush=True)
    result = {"band": L, "count": count, "rows": rows, "covariant": covariant, "covariant_build_s": build_s,
              "spec": spec}
    args.results.mkdir(exist_ok=True)
    (args.results / f"{args.out}.json").write_text(json.dumps(result, indent=1))
    lines = ["# Harmonic distortion of nonlinearities on SO(2) Fourier fields", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, torch {torch.__version__}; band limit "
             f"L = {L} (the field {spec}, dimension {2 * L + 1}); {count} random fields and random angles "
             "(escnn: 300); relative equivariance error |σ(ρ(α)c) − ρ(α)σ(c)| / |c|, mean (max).", "",
             "| N sample angles | sampled ReLU (here) | escnn FourierPointwise |", "|---|---|---|"]
    for r in rows:
        mine, theirs = r["sampled_relu"], r["escnn_fourier_pointwise"]
        lines.append(f"| {r['N']} | {mine[0]:.2e} ({mine[1]:.2e}) | "
                     + (f"{theirs[0]:.2e} ({theirs[1]:.2e})" if theirs else "—") + " |")
    lines += ["", f"Covariant nonlinearity (`CovariantMap`, covariants to degree 2, invariants to degree 3 of "
              f"{spec}, built in {build_s:.2f} s): float64 {covariant['float64'][0]:.1e} "
              f"(max {covariant['float64'][1]:.1e}), float32 {covariant['float32'][0]:.1e} "
              f"(max {covariant['float32'][1]:.1e}), at every N and every angle.", ""]
    (args.results / f"{args.out}.md").write_text("\n".join(lines))
    return result


if __name__ == "__main__":
    main()
