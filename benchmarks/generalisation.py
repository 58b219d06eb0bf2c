"""Task families no recipe was tuned on: molien's default models against e3nn and an augmented MLP.

    python benchmarks/generalisation.py               # the full grid (hours on 2 cores)
    python benchmarks/generalisation.py --quick       # a smoke run: one size, one seed, k = 3
    python benchmarks/generalisation.py --families so3_chiral,o3_smooth --points 3,8 --sizes 100,1000
    python benchmarks/generalisation.py --cluster local:2   # the runs as Dask tasks (or tcp://host:port)

Each family is a function of k points x_1 … x_k of R³ (rows of standard normal coordinates) with
a symmetry: SO(3) or O(3), a scalar or a vector target, polynomial or not, light- or heavy-tailed.
The test set is moved by random group elements (the models never saw those poses); errors are
test MSE over the test targets' variance (standardised MSE: 1 is predicting the mean).

Models, trained by the same `neural.training.fit` with one budget of optimiser steps whatever the
training size (Adam 3e-3, ``--steps`` steps of ``--batch`` samples: N = 100 gets 1000 epochs of one
batch, N = 10000 ten epochs), the state of best validation MSE kept:

* ``molien``: the defaults a user gets — `InvariantModel(rep)` for a scalar (its `prepare` picks a
  polynomial path by leave-one-out), `EquivariantModel(rep, generators)` over the covariant module's
  generators of degree ≤ 2 for a vector;
* ``e3nn``: e3nn's reference point-cloud network (`gate_points_2101.Network`: three gated
  equivariant convolutions over the k points and the origin, spherical harmonics up to l = 2,
  hidden scalars, vectors and rank-2 tensors of both parities) read out to 0e, 0o, 1o or 1e;
* ``mlp+aug``: an MLP on the coordinates trained on randomly rotated inputs (`Augmented`).

The baselines see standardised targets (an even scalar shifted and scaled, an odd scalar or a
vector divided by its root mean square), as molien's `prepare` does for its models.

e3nn is a benchmark-only extra (``pip install molien[bench]``), never a runtime dependency.
Results: ``benchmarks/results/generalisation.md`` and ``.json``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import nn

# benchmarks/bridge.py would shadow the bridge package: the repository root goes first.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bridge import load_spec, sample  # noqa: E402
from invariants.covariants.covariants import covariant_generators_up_to  # noqa: E402
from neural.baselines import MLP, Augmented  # noqa: E402
from neural.cluster import run_grid  # noqa: E402
from neural.datasets import Stats  # noqa: E402
from neural.models import EquivariantModel, InvariantModel  # noqa: E402
from neural.standardize import Standardized, Standardizer  # noqa: E402
from neural.training import evaluate, fit  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def _dot(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a * b).sum(-1)


def _det(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    return _dot(a, torch.linalg.cross(b, c))


def _cyclic(p: torch.Tensor, shift: int) -> torch.Tensor:
    return torch.roll(p, -shift, dims=1)


def so3_chiral(p: torch.Tensor) -> torch.Tensor:
    """Σ_i det(x_i, x_{i+1}, x_{i+2}) (x_i·x_{i+3}) (x_{i+1}·x_{i+2}): a polynomial of degree 7, SO(3)-
    invariant and odd under reflections (indices mod k)."""
    x0, x1, x2, x3 = (_cyclic(p, s) for s in range(4))
    return (_det(x0, x1, x2) * _dot(x0, x3) * _dot(x1, x2)).sum(1, keepdim=True)


def o3_smooth(p: torch.Tensor) -> torch.Tensor:
    """Σ_{i<j} exp(−|x_i − x_j|²/4) + sin(x_1·x_2): O(3)-invariant, not a polynomial."""
    d2 = ((p[:, :, None, :] - p[:, None, :, :]) ** 2).sum(-1)
    pairs = torch.triu(torch.exp(-d2 / 4), diagonal=1).sum((1, 2))
    return (pairs + torch.sin(_dot(p[:, 0], p[:, 1])))[:, None]


def o3_heavy(p: torch.Tensor) -> torch.Tensor:
    """Σ_i (x_i·x_{i+1})(x_{i+1}·x_{i+2})(x_{i+2}·x_i): degree 6 in Gaussians, heavy-tailed."""
    x0, x1, x2 = (_cyclic(p, s) for s in range(3))
    return (_dot(x0, x1) * _dot(x1, x2) * _dot(x2, x0)).sum(1, keepdim=True)


def o3_vector(p: torch.Tensor) -> torch.Tensor:
    """Σ_i (x_i·x_{i+1}) x_{i+2}: an O(3)-equivariant polynomial vector field."""
    x0, x1, x2 = (_cyclic(p, s) for s in range(3))
    return (_dot(x0, x1)[..., None] * x2).sum(1)


def so3_axial(p: torch.Tensor) -> torch.Tensor:
    """Σ_i tanh(x_i·x_{i+1}) (x_i × x_{i+1}): SO(3)-equivariant (an axial vector under O(3)), not a polynomial."""
    x0, x1 = p, _cyclic(p, 1)
    return (torch.tanh(_dot(x0, x1))[..., None] * torch.linalg.cross(x0, x1)).sum(1)


@dataclass(frozen=True)
class Family:
    group: str            # the symmetry group of the target, as a spec prefix
    vector: bool          # a vector target (else a scalar)
    e3nn_out: str         # the target's O(3) irreps in e3nn's notation
    target: Callable[[torch.Tensor], torch.Tensor]


FAMILIES = {
    "so3_chiral": Family("SO(3)", False, "0o", so3_chiral),
    "o3_smooth": Family("O(3)", False, "0e", o3_smooth),
    "o3_heavy": Family("O(3)", False, "0e", o3_heavy),
    "o3_vector": Family("O(3)", True, "1o", o3_vector),
    "so3_axial": Family("SO(3)", True, "1e", so3_axial),
}


def make_data(family: Family, k: int, n: int, seed: int, move: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """n samples of k points; with ``move``, every sample turned by a random element of the group."""
    gen = torch.Generator().manual_seed(seed)
    p = torch.randn(n, k, 3, generator=gen, dtype=torch.float64)
    if move:
        g = sample(load_spec(f"{family.group}:v").group, n, generator=gen)
        p = torch.einsum("bij,bkj->bki", g, p)
    return p.reshape(n, 3 * k), family.target(p)


# -- the models ------------------------------------------------------------------------------------
def molien_model(family: Family, k: int) -> nn.Module:
    """Given what e3nn is given: the target's O(3) type (a pseudo-scalar 0o is reached by the
    determinants, an axial vector 1e by the cross products, over the O(3) invariants).  The
    vectors are written v and v*det, in the data's x, y, z order (e3nn's 1o and 1e are y, z, x)."""
    rep = load_spec(f"O(3):{k}xv")
    if family.e3nn_out == "0e":
        return InvariantModel(rep, 1)
    out, degree = {"0o": ("0o", 3), "1o": ("v", 2), "1e": ("v*det", 2)}[family.e3nn_out]
    generators = covariant_generators_up_to(rep, load_spec(f"O(3):{out}"), degree)
    return EquivariantModel(rep, generators, normalize="root")


class E3NN(nn.Module):
    """e3nn's reference point-cloud network (`e3nn.nn.models.gate_points_2101.Network`: gated
    equivariant convolutions, spherical harmonics of the edge vectors, radial MLPs of their lengths)
    on the graph of the k points and the origin (the rotation centre), every pair joined; each node
    carries a one-hot of its index (the points are ordered), and the output is summed over the
    nodes.  Hidden irreps carry scalars, vectors and rank-2 tensors of both parities, so odd
    targets (0o, 1e) are reachable."""

    def __init__(self, k: int, out: str, mul: int = 16, layers: int = 3, lmax: int = 2):
        super().__init__()
        from e3nn import o3
        from e3nn.nn.models import gate_points_2101
        from e3nn.nn.models.gate_points_2101 import Network

        # e3nn's fallback radius graph (without torch_cluster) uses cdist's matrix-product shortcut,
        # whose rounding turns some zero self-distances positive: spurious self-edges that break
        # equivariance and make a sample's output depend on its batch.  Exact distances instead.
        gate_points_2101.radius_graph = _exact_radius_graph
        self.k = k
        hidden = o3.Irreps(f"{mul}x0e+{mul}x0o+{mul // 2}x1o+{mul // 2}x1e+{mul // 4}x2e+{mul // 4}x2o")
        self.net = Network(irreps_in=None, irreps_hidden=hidden, irreps_out=out, irreps_node_attr=f"{k + 1}x0e",
                           irreps_edge_attr=o3.Irreps.spherical_harmonics(lmax), layers=layers, max_radius=8.0,
                           number_of_basis=10, radial_layers=1, radial_neurons=64, num_neighbors=k, num_nodes=k + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # e3nn's 1o is (y, z, x): permute each point's coordinates into its basis and back
        points = x.reshape(-1, self.k, 3)[..., [1, 2, 0]]
        nodes = torch.cat([torch.zeros_like(points[:, :1]), points], dim=1)           # origin first
        batch = torch.arange(len(x)).repeat_interleave(self.k + 1)
        onehot = torch.eye(self.k + 1, dtype=x.dtype).repeat(len(x), 1)
        out = self.net({"pos": nodes.reshape(-1, 3), "z": onehot, "batch": batch})
        return out[..., [2, 0, 1]] if out.shape[-1] == 3 else out


def _exact_radius_graph(pos: torch.Tensor, r_max: float, batch: torch.Tensor) -> torch.Tensor:
    same = batch[:, None] == batch[None, :]
    r = torch.cdist(pos, pos, compute_mode="donot_use_mm_for_euclid_dist")
    return ((r < r_max) & same & ~torch.eye(len(pos), dtype=torch.bool)).nonzero().T


def e3nn_model(family: Family, k: int) -> nn.Module:
    return E3NN(k, family.e3nn_out).double()


def mlp_aug_model(family: Family, k: int) -> nn.Module:
    rep_in = load_spec(f"{family.group}:{k}xv")
    rep_out = load_spec(f"{family.group}:{'v' if family.vector else '0'}")
    return Augmented(MLP(3 * k, rep_out.dim, channels=256, layers=3).double(), rep_in, rep_out)


MODELS = {"molien": molien_model, "e3nn": e3nn_model, "mlp+aug": mlp_aug_model}


@dataclass
class Run:
    family: str
    k: int
    n_train: int
    model: str
    seed: int
    test_smse: float
    params: int
    train_s: float
    build_s: float


def target_scale(family: Family, y: torch.Tensor) -> Standardizer:
    """Targets standardised as far as the symmetry allows: an even scalar shifted and scaled, an odd
    scalar or a vector only divided by one root mean square (a shift would break equivariance)."""
    if family.e3nn_out == "0e":
        return Standardizer.fit(y, correction=0)
    return Standardizer.fit(y, center=False, spread="rms", blocks=[y.shape[1]])


def run_one(name: str, model_name: str, k: int, n: int, seed: int, args: argparse.Namespace) -> Run:
    torch.set_num_threads(args.threads)  # also in a Dask worker
    family = FAMILIES[name]
    x, y = make_data(family, k, n, seed, move=False)
    xv, yv = make_data(family, k, args.val, seed + 1000, move=False)
    xt, yt = make_data(family, k, args.test, seed + 2000, move=True)
    torch.manual_seed(seed)
    start = time.perf_counter()
    model = MODELS[model_name](family, k)
    if model_name != "molien":  # the baselines get what molien's prepare does: targets standardised
        model = Standardized(model, Stats(Standardizer.identity(dtype=x.dtype), target_scale(family, y)))
    build = time.perf_counter() - start
    batch = min(args.batch, n)
    epochs = max(1, math.ceil(args.steps * batch / n))
    history = fit(model, (x, y), (xv, yv), epochs=epochs, batch_size=batch, seed=seed, progress=False)
    smse = evaluate(model, (xt, yt)) / float(((yt - yt.mean(0)) ** 2).mean())
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return Run(name, k, n, model_name, seed, smse, params, history.seconds, build)


def table(runs: list[Run], seeds: int = 3) -> str:
    """The markdown table of mean ± std per cell (a cell with fewer than ``seeds`` runs says how many)."""
    lines = ["| family | k | N | " + " | ".join(MODELS) + " | molien / e3nn | molien / mlp+aug |",
             "|---|---|---|" + "---|" * (len(MODELS) + 2)]
    keys = sorted({(r.family, r.k, r.n_train) for r in runs})
    rows = []
    for fam, k, n in keys:
        cells, means = [], {}
        for m in MODELS:
            vals = [r.test_smse for r in runs if (r.family, r.k, r.n_train, r.model) == (fam, k, n, m)]
            if vals:
                mean = sum(vals) / len(vals)
                std = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
                means[m] = mean
                cells.append((f"{mean:.3g} ± {std:.2g}" if len(vals) > 1 else f"{mean:.3g}")
                             + (f" ({len(vals)} seed{'s' if len(vals) > 1 else ''})" if len(vals) < seeds else ""))
            else:
                cells.append("—")
        ratio = lambda a, b: f"{means[a] / means[b]:.2g}" if a in means and b in means and means[b] > 0 else "—"  # noqa: E731
        lines.append(f"| {fam} | {k} | {n} | " + " | ".join(cells) + f" | {ratio('molien', 'e3nn')} | {ratio('molien', 'mlp+aug')} |")
        rows.append(means)
    for other in ("e3nn", "mlp+aug"):
        pairs = [(r["molien"], r[other]) for r in rows if "molien" in r and other in r]
        if pairs:
            below = sum(a < b for a, b in pairs)
            # ratios of errors that reach the float floor (1e-30) say nothing: capped at 1e-12
            logs = [math.log10(max(a, 1e-12) / max(b, 1e-12)) for a, b in pairs]
            lines.append(f"\nmolien below {other} in {below} of {len(pairs)} rows; median ratio "
                         f"{10 ** sorted(logs)[len(logs) // 2]:.2g} (errors floored at 1e-12).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Run]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--points", default="3,5,8")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--val", type=int, default=500)
    parser.add_argument("--steps", type=int, default=1000, help="optimiser steps per run")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cluster", default=None, help="run the grid as Dask tasks: local:N (N worker processes) or "
                        "a scheduler's tcp://host:port (pip install molien[cluster])")
    parser.add_argument("--out", default="generalisation")
    parser.add_argument("--results", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    parser.add_argument("--reuse", default="", help="comma-separated results JSONs whose runs not redone here are kept")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs already in the output JSON (written after every run) and do the rest")
    args = parser.parse_args(argv)
    if args.quick:
        args.points, args.sizes, args.seeds, args.test, args.steps = "3", "100", 1, 500, 30
        args.out = args.out if args.out != "generalisation" else "generalisation-quick"
    torch.set_num_threads(args.threads)
    families = args.families.split(",")
    models = [m for m in args.models.split(",") if m in MODELS]
    if "e3nn" in models and importlib.util.find_spec("e3nn") is None:
        print("e3nn is not installed (pip install 'molien[bench]'): its column is left out", file=sys.stderr)
        models.remove("e3nn")
    planned = {(f, int(k), int(n), m, s) for f in families for k in args.points.split(",")
               for n in args.sizes.split(",") for m in models for s in range(args.seeds)}
    runs = [Run(**r) for name in filter(None, args.reuse.split(",")) for r in json.loads(Path(name).read_text())
            if (r["family"], r["k"], r["n_train"], r["model"], r["seed"]) not in planned]
    out = args.results / f"{args.out}.json"
    done = {}
    if args.resume and out.exists():
        done = {(r["family"], r["k"], r["n_train"], r["model"], r["seed"]): Run(**r) for r in json.loads(out.read_text())}
        runs = [r for r in runs if (r.family, r.k, r.n_train, r.model, r.seed) not in done]
    args.results.mkdir(parents=True, exist_ok=True)
    grid = [(fam, k, n, m, seed) for fam in families for k in map(int, args.points.split(","))
            for n in map(int, args.sizes.split(",")) for seed in range(args.seeds) for m in models]
    todo = [key for key in grid if key not in done]
    fresh: dict[tuple, Run] = {}

    def save(i: int, run: Run) -> None:
        fresh[todo[i]] = run
        fam, k, n, m, seed = todo[i]
        print(f"{fam} k={k} N={n} seed={seed} {m}: {run.test_smse:.4g} ({run.train_s:.1f} s)", file=sys.stderr)
        # written after every run: a grid of hours survives an interruption (--resume)
        out.write_text(json.dumps([asdict(r) for r in [*runs, *fresh.values(), *done.values()]], indent=1))

    run_grid(run_one, [(fam, m, k, n, seed, args) for fam, k, n, m, seed in todo], args.cluster, done=save)
    runs += [fresh[key] if key in fresh else done.pop(key) for key in grid]
    runs += done.values()
    out.write_text(json.dumps([asdict(r) for r in runs], indent=1))
    header = (f"# Generalisation: task families no recipe was tuned on\n\n"
              f"Run {time.strftime('%Y-%m-%d %H:%M')} UTC, torch {torch.__version__}, {args.threads} thread(s); "
              f"test {args.test} samples moved by random group elements, validation {args.val}, {args.steps} "
              f"Adam steps of {args.batch} samples per run; standardised test MSE (mean ± std over {args.seeds} "
              f"seeds).\n\n")
    (args.results / f"{args.out}.md").write_text(header + table(runs, args.seeds) + "\n")
    print(table(runs, args.seeds))
    return runs


if __name__ == "__main__":
    main()
