"""Learning a hidden symmetry from pairs (x, T(x)): neural group actions with exact group laws
against an unconstrained MLP of about the same size.

* reversal — the time reversal R of a reversible area-preserving map.  In coordinates y = ψ(x)
  (ψ a nonlinear diffeomorphism of R²) the map is the standard map F(q, p) = (q + p', p'),
  p' = p − K sin q (K = 0.9, (0, 0) elliptic), and R₀(q, p) = (−q, p − K sin q) satisfies
  R₀ F R₀ = F⁻¹; R₀ = H⁻¹ ∘ diag(−1, 1) ∘ H with H(q, p) = (q, p − (K/2) sin q).  The data are
  states x = ψ⁻¹(F^t(y₀)) on bounded orbits and the targets R(x) = ψ⁻¹(R₀(ψ(x))).  Structured model:
  `Involution(2, negatives=1)`; group law ‖N(N(x)) − x‖.
* rotation — a C5 action hidden in a nonlinear embedding: T = E ∘ rot(2π/5) ∘ E⁻¹ with E a
  nonlinear diffeomorphism of R², x = E(y), y ~ N(0, I₂) (cut at |y| ≤ 3).  Structured model:
  `NeuralGroupAction(cyclic(5).natural())` fitted on its generator; group law ‖N⁵(x) − x‖ (five
  composed passes) and max over g, h ∈ C5 of ‖N_g(N_h(x)) − N_{gh}(x)‖, where the MLP's N_{s^k} is
  its k-th iterate.  "other elements" is the MSE of N_{s^k} against T^k for k = 2, 3, 4, which
  neither model was trained on.

Both models: float64, Adam (lr 5e-3, cosine decay), the same number of full-batch steps, MSE of
the predicted image; test errors on fresh points from the same distribution.  Law errors are the
maximum over test points of the Euclidean norm.

    python benchmarks/actions.py            # 3 sizes x 3 seeds (a few minutes on 2 cores)
    python benchmarks/actions.py --quick    # one size, one seed, few steps (seconds)

Writes benchmarks/results/actions.md and actions.json (actions-quick.* with --quick).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"

F64 = torch.float64
K = 0.9  # standard-map kick: (0, 0) is elliptic for 0 < K < 4
N_ROT = 5


# -- task (a): the time reversal of a reversible map ---------------------------------------------
def standard_map(y: torch.Tensor) -> torch.Tensor:
    q, p = y[..., 0], y[..., 1]
    p = p - K * torch.sin(q)
    return torch.stack([q + p, p], dim=-1)


def reversor(y: torch.Tensor) -> torch.Tensor:
    """R₀(q, p) = (−q, p − K sin q): an involution with R₀ F R₀ = F⁻¹."""
    q, p = y[..., 0], y[..., 1]
    return torch.stack([-q, p - K * torch.sin(q)], dim=-1)


def embed_a(y: torch.Tensor) -> torch.Tensor:
    """ψ⁻¹: two nonlinear shears and a linear map (a diffeomorphism of R² with an explicit inverse)."""
    a, b = y[..., 0], y[..., 1] + 0.5 * torch.sin(1.2 * y[..., 0])
    c, d = a + 0.25 * b ** 2, b
    return torch.stack([c + 0.5 * d, -0.3 * c + d], dim=-1)


def chart_a(x: torch.Tensor) -> torch.Tensor:
    """ψ = embed_a⁻¹."""
    det = 1.0 + 0.15
    c, d = (x[..., 0] - 0.5 * x[..., 1]) / det, (0.3 * x[..., 0] + x[..., 1]) / det
    b = d
    a = c - 0.25 * b ** 2
    return torch.stack([a, b - 0.5 * torch.sin(1.2 * a)], dim=-1)


def reversal_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """n states on bounded orbits of M = ψ⁻¹ F ψ, and their images under R = ψ⁻¹ R₀ ψ."""
    gen = torch.Generator().manual_seed(seed)
    points = []
    while sum(len(p) for p in points) < n:
        y = (2 * torch.rand(2 * n, 2, generator=gen, dtype=F64) - 1) * torch.tensor([2.5, 1.5], dtype=F64)
        orbit = [y]
        for _ in range(50):
            orbit.append(standard_map(orbit[-1]))
        orbit = torch.stack(orbit)                                  # (51, 2n, 2)
        bounded = orbit.abs().amax(dim=(0, 2)) < 4.0
        t = torch.randint(0, 51, (2 * n,), generator=gen)
        points.append(orbit[t, torch.arange(2 * n)][bounded])
    y = torch.cat(points)[:n]
    x = embed_a(y)
    return x, embed_a(reversor(chart_a(x)))


# -- task (b): a C5 action hidden in a nonlinear embedding ----------------------------------------
def embed_b(y: torch.Tensor) -> torch.Tensor:
    a, b = y[..., 0], y[..., 1] + 0.35 * y[..., 0] ** 2 - 0.2
    return torch.stack([a + 0.6 * torch.tanh(b), b], dim=-1)


def chart_b(x: torch.Tensor) -> torch.Tensor:
    b = x[..., 1]
    a = x[..., 0] - 0.6 * torch.tanh(b)
    return torch.stack([a, b - 0.35 * a ** 2 + 0.2], dim=-1)


def rotation(k: int = 1) -> torch.Tensor:
    t = 2 * math.pi * k / N_ROT
    return torch.tensor([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]], dtype=F64)


def hidden_rotation(x: torch.Tensor, k: int = 1) -> torch.Tensor:
    """T^k(x) = E(rot(2πk/5) E⁻¹(x))."""
    return embed_b(chart_b(x) @ rotation(k).T)


def rotation_data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    y = torch.randn(2 * n, 2, generator=gen, dtype=F64)
    y = y[y.norm(dim=1) <= 3.0][:n]
    x = embed_b(y)
    return x, hidden_rotation(x)


TASKS: dict[str, Callable[[int, int], tuple[torch.Tensor, torch.Tensor]]] = {
    "reversal": reversal_data, "rotation": rotation_data}


# -- models --------------------------------------------------------------------------------------
def structured(task: str, layers: int, hidden: int) -> nn.Module:
    from neural.group_actions import Involution, NeuralGroupAction

    if task == "reversal":
        return Involution(2, negatives=1, layers=layers, hidden=hidden).double()
    from invariants import cyclic

    return NeuralGroupAction(cyclic(N_ROT).natural(), layers=layers, hidden=hidden).double()


def params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def mlp(target_params: int) -> nn.Module:
    """neural.baselines.MLP(2, 2) with three hidden layers, its width chosen to match ``target_params``."""
    from neural.baselines import MLP

    width = min(range(4, 512), key=lambda w: abs(2 * w * w + 7 * w + 2 - target_params))
    return MLP(2, 2, channels=width, layers=3).double()


def step_map(task: str, model: nn.Module, kind: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """The learned T (the generator's network for the group action)."""
    if kind == "structured" and task == "rotation":
        s = model.generators[0]
        return lambda x: model(x, s)
    return model


def train(model: nn.Module, f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor,
          steps: int, lr: float) -> float:
    opt = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    start = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        loss = ((f(x) - y) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        schedule.step()
    return time.perf_counter() - start


@torch.no_grad()
def evaluate(task: str, model: nn.Module, kind: str, x: torch.Tensor, y: torch.Tensor) -> dict:
    f = step_map(task, model, kind)
    out = {"fit_mse": float(((f(x) - y) ** 2).sum(dim=1).mean())}
    if task == "reversal":
        out.update(_law(f(f(x)) - x))
        return out
    if kind == "structured":
        s = model.generators[0]
        power = [model.identity]
        for _ in range(N_ROT - 1):
            power.append(model.compose(s, power[-1]))
        element = lambda v, k: model(v, power[k % N_ROT])  # noqa: E731  N_{s^k}, one network pass
        out.update(_law(model.word(x, [s] * N_ROT) - x))
    else:
        iterates = [x]
        for _ in range(N_ROT):
            iterates.append(model(iterates[-1]))
        element = lambda v, k: _iterate(model, v, k % N_ROT)  # noqa: E731
        out.update(_law(iterates[N_ROT] - x))
    images = [element(x, k) for k in range(N_ROT)]
    out["pair_error"] = max(float((element(images[b], a) - images[(a + b) % N_ROT]).norm(dim=1).max())
                            for a in range(N_ROT) for b in range(N_ROT))
    out["other_mse"] = sum(float(((images[k] - hidden_rotation(x, k)) ** 2).sum(dim=1).mean()) for k in (2, 3, 4)) / 3
    return out


def _law(residual: torch.Tensor) -> dict:
    norms = residual.norm(dim=1)
    return {"law_error": float(norms.max()), "law_rms": float(norms.pow(2).mean().sqrt())}


def _iterate(model: nn.Module, x: torch.Tensor, k: int) -> torch.Tensor:
    for _ in range(k):
        x = model(x)
    return x


def run_one(task: str, kind: str, n: int, seed: int, args: argparse.Namespace) -> dict:
    x_train, y_train = TASKS[task](n, seed)
    x_test, y_test = TASKS[task](args.test, 10_000 + seed)
    torch.manual_seed(seed)
    reference = structured(task, args.layers, args.hidden)
    model = reference if kind == "structured" else mlp(params(reference))
    seconds = train(model, step_map(task, model, kind), x_train, y_train, args.steps, args.lr)
    record = {"task": task, "model": kind, "n_train": n, "seed": seed, "params": params(model), "train_s": seconds}
    record.update(evaluate(task, model, kind, x_test, y_test))
    record["target_var"] = float(((y_test - y_test.mean(0)) ** 2).sum(dim=1).mean())
    return record


# -- report --------------------------------------------------------------------------------------
def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _std(values: list[float]) -> float:
    m = _mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def summary(records: list[dict]) -> list[dict]:
    """Per task, size and model: mean fit errors, worst law errors over seeds, mean time; and the
    structured / MLP ratios."""
    rows = []
    keys = sorted({(r["task"], r["n_train"]) for r in records}, key=lambda k: (list(TASKS).index(k[0]), k[1]))
    for task, n in keys:
        row: dict = {"task": task, "n_train": n}
        for kind in ("structured", "mlp"):
            rs = [r for r in records if (r["task"], r["n_train"], r["model"]) == (task, n, kind)]
            if not rs:
                continue
            row[kind] = {"seeds": len(rs), "params": rs[0]["params"],
                         "fit_mse": _mean([r["fit_mse"] for r in rs]), "fit_mse_std": _std([r["fit_mse"] for r in rs]),
                         "law_error": max(r["law_error"] for r in rs),
                         "law_rms": _mean([r["law_rms"] for r in rs]), "train_s": _mean([r["train_s"] for r in rs])}
            if task == "rotation":
                row[kind]["pair_error"] = max(r["pair_error"] for r in rs)
                row[kind]["other_mse"] = _mean([r["other_mse"] for r in rs])
        if "structured" in row and "mlp" in row:
            s, m = row["structured"], row["mlp"]
            row["fit_ratio"] = s["fit_mse"] / m["fit_mse"]
            row["law_ratio"] = s["law_error"] / m["law_error"]
        rows.append(row)
    return rows


def report(records: list[dict], meta: dict, args: argparse.Namespace) -> str:
    lines = ["# Learning hidden symmetries: neural group actions with exact group laws"
             + (" (quick)" if args.quick else ""), "",
             f"- date: {meta['date']}; molien at {meta['commit']}"
             + (" with uncommitted changes" if meta["dirty"] else ""),
             f"- machine: {meta['machine']}; Python {meta['python']}, torch {meta['torch']}, {args.threads} thread(s)",
             f"- command: `{meta['command']}`; wall time {meta['wall_s']:.0f} s",
             f"- {args.steps} full-batch Adam steps (lr {args.lr:g}, cosine), float64; structured flows of "
             f"{args.layers} coupling layers (hidden {args.hidden}); {args.test} test points; "
             f"sizes {args.sizes}, {args.seeds} seed(s)", "",
             __doc__.split("\n\n")[1].strip(), "",
             "Fit MSE: mean ± std over seeds of the test MSE of the predicted image (the target's variance is "
             "given for scale). Law error: the worst over seeds of the maximum over test points (in brackets the "
             "root mean square over test points, mean over seeds); the ratios use the maxima.", ""]
    table = summary(records)
    for task in TASKS:
        rows = [r for r in table if r["task"] == task]
        if not rows:
            continue
        var = _mean([r["target_var"] for r in records if r["task"] == task])
        if task == "reversal":
            lines += [f"## (a) Time reversal of the standard map in nonlinear coordinates (target variance {var:.3f})", "",
                      "| n train | model | params | fit MSE | ‖N(N(x)) − x‖ max (rms) | train (s) |", "|---|---|---|---|---|---|"]
        else:
            lines += [f"## (b) C5 rotation hidden in a nonlinear embedding (target variance {var:.3f})", "",
                      "| n train | model | params | fit MSE | other elements MSE | ‖N⁵(x) − x‖ max (rms) | "
                      "‖N_g N_h x − N_gh x‖ max | train (s) |", "|---|---|---|---|---|---|---|---|"]
        for row in rows:
            for kind in ("structured", "mlp"):
                if kind not in row:
                    continue
                s = row[kind]
                name = ("Involution" if task == "reversal" else "NeuralGroupAction C5") if kind == "structured" else "MLP"
                cells = [str(row["n_train"]), name, str(s["params"]), f"{s['fit_mse']:.2e} ± {s['fit_mse_std']:.1e}"]
                if task == "rotation":
                    cells.append(f"{s['other_mse']:.2e}")
                cells.append(f"{s['law_error']:.1e} ({s['law_rms']:.1e})")
                if task == "rotation":
                    cells.append(f"{s['pair_error']:.1e}")
                cells.append(f"{s['train_s']:.1f}")
                lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    ratio_rows = [r for r in table if "fit_ratio" in r]
    if ratio_rows:
        lines += ["## Structured / MLP", "", "| task | n train | fit MSE ratio | law error ratio |", "|---|---|---|---|"]
        lines += [f"| {r['task']} | {r['n_train']} | {r['fit_ratio']:.3g} | {r['law_ratio']:.1e} |" for r in ratio_rows]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one size, one seed, few steps")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--sizes", default="64,256,1024")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--results", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    parser.add_argument("--out", default=None, help="file stem (default actions, or actions-quick)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.seeds, args.steps, args.test = "64", 1, 150, 500
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    records = []
    for task in args.tasks.split(","):
        if task not in TASKS:
            raise SystemExit(f"unknown task {task!r}: choose from {', '.join(TASKS)}")
        for n in (int(s) for s in args.sizes.split(",")):
            for seed in range(args.seeds):
                for kind in ("structured", "mlp"):
                    record = run_one(task, kind, n, seed, args)
                    records.append(record)
                    print(f"{task:8s} n={n:5d} seed={seed} {kind:10s} fit {record['fit_mse']:.2e} "
                          f"law {record['law_error']:.1e} {record['train_s']:.1f} s", flush=True)
    meta = {"date": f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
            "commit": _git("rev-parse", "--short", "HEAD"), "dirty": bool(_git("status", "--porcelain")),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores",
            "python": platform.python_version(), "torch": torch.__version__,
            "command": " ".join(["python benchmarks/actions.py"] + list(sys.argv[1:] if argv is None else argv)),
            "wall_s": time.perf_counter() - start, "settings": {k: str(v) for k, v in vars(args).items()}}
    result = {"meta": meta, "records": records, "summary": summary(records)}
    stem = args.out or ("actions-quick" if args.quick else "actions")
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{stem}.json").write_text(json.dumps(result, indent=1))
    (args.results / f"{stem}.md").write_text(report(records, meta, args))
    return result


if __name__ == "__main__":
    main()
