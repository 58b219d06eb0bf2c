"""The double spring pendulum (EMLP's Hamiltonian task): a Hamiltonian network on the exact
O(2)-about-z invariants against one on raw coordinates, in one run, beside EMLP's published
rollout errors.

    python benchmarks/pendulum.py                # 500 training systems, 3000 epochs
    python benchmarks/pendulum.py --epochs 100   # a quick look
    python benchmarks/pendulum.py --windy        # wind 0.01·(8, 5, 0)·x per mass breaks O(2): strict,
                                                 # MLP and residual pathway (strict + penalised MLP)

H = MLP(features); the rollout integrates Hamilton's equations of H with RK4 (dt = 0.2) over
5-step chunks for training (MSE on the chunk, as EMLP) and over the whole 30 s for the metric:
EMLP's geometric-mean relative rollout error on 200 test systems.  The invariant network is
`neural.hamiltonian.InvariantHamiltonian`: its features are the engine's generators of O(2) on the
four planar projections (`invariant_ring(load_spec("O(2):4xv"))`: the ten inner products) and the
four vertical components (fixed by the group).
Writes benchmarks/results/pendulum.md (pendulum-windy.md with --windy).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PUBLISHED = {"EMLPH O(2)": 0.0121, "EMLPH SO(2)": 0.0145, "EMLPH D6": 0.0132, "Hamiltonian MLP": 0.0281,
             "EMLPode O(2)": 0.0192, "MLPode": 0.0482}


def run(kind: str, epochs: int, seed: int, wind=None, penalties=(1e-4, 1e-6)) -> tuple[float, float, float]:
    from neural.baselines import MLP
    from neural.datasets.pendulum import double_spring_pendulum, rollout_error
    from neural.hamiltonian import HamiltonianRollout, InvariantHamiltonian
    from neural.symmetry.near import ResidualPathway
    from neural.training import evaluate, fit

    train = double_spring_pendulum(500, seed=seed, wind=wind)
    val = double_spring_pendulum(200, seed=100 + seed, wind=wind)
    test = double_spring_pendulum(200, seed=200 + seed, keep_trajectories=True, wind=wind)
    start = time.perf_counter()
    options = dict(epochs=epochs, lr=3e-3, batch_size=500, progress=False, seed=seed)
    if kind == "residual":  # the penalty chosen on validation
        best = None
        for penalty in penalties:
            torch.manual_seed(seed)
            h = ResidualPathway(InvariantHamiltonian(), MLP(12, 1, channels=128).double(), penalty)
            model = HamiltonianRollout(h, steps=5, dt=0.2)
            history = fit(model, train, val, regularizer=h.prior, **options)
            score = evaluate(model.eval(), val)
            if best is None or score < best[0]:
                best = (score, h, history)
        _, h, history = best
    else:
        torch.manual_seed(seed)
        h = InvariantHamiltonian() if kind == "invariant" else MLP(12, 1, channels=128).double()
        history = fit(HamiltonianRollout(h, steps=5, dt=0.2), train, val, **options)
    traj = test.meta["trajectories"]
    rollout = HamiltonianRollout(h, steps=traj.shape[1], dt=0.2).eval()
    with torch.no_grad():
        pred = rollout(torch.from_numpy(traj[:, 0])).reshape(traj.shape).numpy()
    return rollout_error(pred, traj), history.best_val_mse, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--windy", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    from neural.datasets.pendulum import WINDY

    wind = WINDY if args.windy else None
    rows = ["| Hamiltonian network | rollout error (geometric mean, 30 s) | best validation chunk MSE | seconds |",
            "|---|---|---|---|"]
    kinds = [("invariant", "MLP on O(2) invariants (ours, strict)"), ("mlp", "MLP on coordinates (ours)")]
    if args.windy:
        kinds.append(("residual", "residual pathway: strict + penalised MLP (ours)"))
    for kind, name in kinds:
        for seed in range(args.seeds):
            err, val, sec = run(kind, args.epochs, seed, wind)
            rows.append(f"| {name}, seed {seed} | {err:.4f} | {val:.2e} | {sec:.0f} |")
            print(rows[-1], flush=True)
    if not args.windy:
        rows += ["", "Published (EMLP paper): " + ", ".join(f"{k} {v}" for k, v in PUBLISHED.items())]
    title = "Windy double spring pendulum (wind 0.01·(8, 5, 0)·x per mass)" if args.windy else "Double spring pendulum"
    out = [f"# {title}: Hamiltonian networks", "",
           f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
           f"- machine: {platform.system()} {platform.machine()}, torch {torch.__version__}, 1 thread",
           f"- command: `python benchmarks/pendulum.py --epochs {args.epochs} --seeds {args.seeds}"
           f"{' --windy' if args.windy else ''}`",
           "- 500 training systems (one 5-step chunk each), 200 validation, 200 test trajectories of 30 s; Adam 3e-3, "
           "full batch, best validation state kept", "", *rows, ""]
    path = ROOT / "benchmarks" / "results" / ("pendulum-windy.md" if args.windy else "pendulum.md")
    path.write_text("\n".join(out))
    print("wrote", path)


if __name__ == "__main__":
    main()
