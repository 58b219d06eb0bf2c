"""EMLP's data-efficiency benchmark in one harness: our models beside an MLP, MLP + augmentation and
the numbers published by EMLP.

    python benchmarks/emlp_table.py            # the full protocol (3 tasks x 7 sizes x 3 seeds per model)
    python benchmarks/emlp_table.py --quick    # tiny sizes, 1 seed, few epochs (CI smoke test)
    python benchmarks/emlp_table.py --tasks Inertia --models "MLP + aug" --sizes 30,300
    python benchmarks/emlp_table.py --jobs 2 # one worker process per core (each with --threads 1)
    python benchmarks/emlp_table.py --cluster local:2   # (task, seed, size) runs as Dask tasks (or tcp://host:port)

Protocol (Finzi, Welling, Wilson, ICML 2021, experiments of mfinzi/equivariant-MLP): for each seed
one data set is generated; its first 5000 samples are the test set, the next 1000 the validation
set and the next N the training set (so the training sets of one seed are nested), N in
{30, 100, 300, 1000, 3000, 10000, 30000}.  Adam, lr 3e-3, batch 500, min(30 * 30000 / N, 1000)
epochs, the state of lowest validation MSE is kept; models see the EMLP normalisation
(`TaskData.emlp_stats`) unless registered with ``normalise=False``, and every MSE is in raw units of y.

Models live in `MODELS`; add one with `register(name, build)` where ``build(train)`` gets the
training `TaskData` (``rep_in``, ``rep_out``, ``group``, ``meta``) and returns an ``nn.Module``
from ``(batch, rep_in.dim)`` to ``(batch, rep_out.dim)`` (the torch seed is set before).

Writes ``benchmarks/results/emlp_table.{md,json,png}`` (``emlp_table-quick.*`` with ``--quick``):
mean ± std of test MSE over seeds next to the published numbers, the ratio to the best published
EMLP, seconds per run, and a log-log plot of test MSE against N.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import multiprocessing
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neural.baselines import MLP, Augmented, DeepSets  # noqa: E402
from neural.cluster import run_grid  # noqa: E402
from neural.datasets import TaskData, make  # noqa: E402
from neural.emlp_models import (INVARIANT_SPECS, inertia_generators, inertia_model, invariant_model,  # noqa: E402
                                set_generator_mlp)
from neural.sets import UniversalInvariantNetwork  # noqa: E402
from neural.standardize import Standardized  # noqa: E402
from neural.training import emlp_epochs, evaluate, fit  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SIZES = (30, 100, 300, 1000, 3000, 10000, 30000)
EMLP_TASKS = ("O5Synthetic", "Inertia", "ParticleInteraction")

# Published test MSE (mean of 3 seeds), Finzi, Welling, Wilson (ICML 2021), from
# mfinzi/equivariant-MLP experiments/notebooks/synthetic_results_all.csv, as transcribed in the
# project's task notes (shared/emlp_tasks.md).  Columns: N = 30, 100, 300, 1000, 3000, 10000, 30000.
PUBLISHED: dict[str, dict[str, tuple[float, ...]]] = {
    "O5Synthetic": {
        "EMLP-O(5)": (0.152, 0.0408, 0.0344, 0.0170, 0.0310, 0.0130, 0.0273),
        "EMLP-SO(5)": (0.110, 0.0415, 0.0384, 0.0198, 0.0320, 0.0231, 0.0279),
        "MLP": (28.1, 2.83, 0.248, 0.0892, 0.0623, 0.0616, 0.0622),
        "MLP + aug": (0.476, 0.397, 0.0936, 0.0633, 0.0889, 0.0702, 0.0672),
    },
    "Inertia": {
        "EMLP-O(3)": (4.11, 1.44, 0.303, 0.136, 0.0281, 0.0180, 0.0141),
        "EMLP-SO(3)": (6.91, 1.16, 0.316, 0.0604, 0.0291, 0.0185, 0.0153),
        "MLP": (13.4, 7.91, 4.94, 3.24, 0.840, 0.154, 0.112),
        "MLP + aug": (4.64, 1.78, 0.464, 0.130, 0.112, 0.112, 0.106),
    },
    "ParticleInteraction": {
        "EMLP-O(1,3)": (0.540, 0.00888, 0.00195, 3.30e-4, 2.66e-4, 2.64e-4, 1.58e-4),
        "EMLP-SO+(1,3)": (0.459, 0.0127, 0.00221, 3.30e-4, 2.24e-4, 1.99e-4, 1.98e-4),
        "MLP": (0.733, 0.733, 0.697, 0.364, 0.0504, 0.0166, 0.0120),
        "MLP + aug": (0.627, 0.190, 0.0397, 0.0125, 0.0108, 0.0134, 0.0118),
    },
}


@dataclass(frozen=True)
class ModelSpec:
    """How to build one model for a task: ``build(train) -> nn.Module``; ``tasks=None`` means every task."""

    build: Callable[[TaskData], nn.Module]
    tasks: tuple[str, ...] | None = None
    normalise: bool = True


MODELS: dict[str, ModelSpec] = {}
SET_TASKS = ("SymmetricSet", "CyclicSet")   # molien's own tasks: no published EMLP figures


def register(name: str, build: Callable[[TaskData], nn.Module], *, tasks: tuple[str, ...] | None = None,
             normalise: bool = True) -> None:
    """Add a model to the table (``normalise``: wrap it in EMLP's normalisation of the training set)."""
    MODELS[name] = ModelSpec(build, tasks, normalise)


def _mlp(train: TaskData) -> nn.Module:
    return MLP(train.rep_in.dim, train.rep_out.dim)


register("MLP", _mlp)
register("MLP + aug", lambda train: Augmented(_mlp(train), train.rep_in, train.rep_out))
register("DeepSets", lambda train: DeepSets(train.rep_in.dim), tasks=SET_TASKS)

# molien's models (exact invariants from the engine, compiled by the bridge): neural.emlp_models
register("molien invariant MLP", invariant_model, tasks=tuple(INVARIANT_SPECS))
register("molien invariant MLP (S_n)", set_generator_mlp, tasks=("SymmetricSet",))
register("molien invariant MLP (C_n)", set_generator_mlp, tasks=("CyclicSet",))
register("molien order-2 network", lambda train: UniversalInvariantNetwork(train.rep_in, 2), tasks=SET_TASKS)
register("molien equivariant", inertia_model, tasks=("Inertia",))


@dataclass
class Run:
    task: str
    model: str
    n: int
    seed: int
    test_mse: float
    val_mse: float
    seconds: float
    epochs: int
    best_epoch: int


def run_one(task: str, name: str, data: TaskData, n: int, seed: int, args: argparse.Namespace) -> Run:
    """Train model ``name`` on the first ``n`` training samples of ``data`` (test, val, train layout)."""
    test, val, train = data.split(args.test, args.val, n)
    spec = MODELS[name]
    torch.manual_seed(seed)
    model = spec.build(train)
    if spec.normalise and not args.raw:
        model = Standardized(model, train.emlp_stats())
    model = model.to(args.dtype)
    epochs = emlp_epochs(n) if args.epochs_cap is None else min(emlp_epochs(n), args.epochs_cap)
    start = time.perf_counter()
    history = fit(model, train, val, epochs=epochs, lr=args.lr, batch_size=args.batch_size, seed=seed,
                  progress=args.progress)
    test_mse = evaluate(model, test)
    return Run(task, name, n, seed, test_mse, history.best_val_mse, time.perf_counter() - start,
               history.epochs[-1], history.best_epoch)


def _mean_std(values: list[float]) -> str:
    if not values:
        return "–"
    mean, std = float(np.mean(values)), float(np.std(values))
    return f"{mean:.3g} ± {std:.2g}" if len(values) > 1 else f"{mean:.3g}"


def markdown(runs: list[Run], args: argparse.Namespace, wall: float) -> str:
    sizes, lines = args.sizes, []
    header = "| model | " + " | ".join(f"N={n}" for n in sizes) + " |"
    rule = "|---" * (len(sizes) + 1) + "|"
    lines += [f"# EMLP data-efficiency table: molien harness vs published EMLP{' (quick)' if args.quick else ''}", "",
              f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
              f"- machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
              f"torch {torch.__version__}, {args.threads} thread(s), {str(args.dtype).replace('torch.', '')}",
              f"- command: `python benchmarks/emlp_table.py {' '.join(sys.argv[1:])}`",
              f"- protocol: test {args.test}, validation {args.val}, seeds {args.seeds}, Adam lr {args.lr}, "
              f"batch {args.batch_size}, epochs min(30·30000/N, 1000)"
              + (f" capped at {args.epochs_cap}" if args.epochs_cap else "")
              + (", no normalisation" if args.raw else ", EMLP normalisation") + "; best validation state kept",
              f"- wall time: {wall:.0f} s for {len(runs)} training runs", "",
              "Test MSE in raw units of y, mean ± std over seeds (ours), beside the published means (EMLP paper, "
              "Finzi et al. 2021, `synthetic_results_all.csv` of mfinzi/equivariant-MLP). Published numbers "
              "come from the full protocol; a quick run is a smoke test, not a comparison.", ""]
    for task in args.tasks:
        task_runs = [r for r in runs if r.task == task]
        models = [m for m in MODELS if any(r.model == m for r in task_runs)]
        lines += [f"## {task}", "", header, rule]
        for m in models:
            cells = [_mean_std([r.test_mse for r in task_runs if r.model == m and r.n == n]) for n in sizes]
            lines.append(f"| {m} (ours) | " + " | ".join(cells) + " |")
        published = PUBLISHED.get(task, {})
        for label, values in published.items():
            cells = [f"{values[SIZES.index(n)]:.3g}" if n in SIZES else "–" for n in sizes]
            lines.append(f"| {label} (published) | " + " | ".join(cells) + " |")
        emlp = [v for k, v in published.items() if k.startswith("EMLP")]
        if emlp:
            lines += ["", "Ratio of our mean test MSE to the best published EMLP (< 1: we are better):", "",
                      header, rule]
            for m in models:
                cells = []
                for n in sizes:
                    ours = [r.test_mse for r in task_runs if r.model == m and r.n == n]
                    best = min(v[SIZES.index(n)] for v in emlp) if n in SIZES else None
                    cells.append(f"{np.mean(ours) / best:.3g}×" if ours and best else "–")
                lines.append(f"| {m} | " + " | ".join(cells) + " |")
        lines += ["", "Seconds per training run (mean over seeds):", "", header, rule]
        for m in models:
            cells = [f"{np.mean(s):.2g}" if (s := [r.seconds for r in task_runs if r.model == m and r.n == n]) else "–"
                     for n in sizes]
            lines.append(f"| {m} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def plot(runs: list[Run], args: argparse.Namespace, path: Path) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return False
    fig, axes = plt.subplots(1, len(args.tasks), figsize=(5 * len(args.tasks), 4), squeeze=False)
    # one colour per model name: our "MLP" (solid) and the published "MLP" (dashed) share it
    names = list(dict.fromkeys(list(MODELS) + [k for rows in PUBLISHED.values() for k in rows]))
    colour = {name: f"C{i % 10}" for i, name in enumerate(names)}
    for ax, task in zip(axes[0], args.tasks):
        for m in MODELS:
            pts = [(n, [r.test_mse for r in runs if r.task == task and r.model == m and r.n == n]) for n in args.sizes]
            pts = [(n, v) for n, v in pts if v]
            if pts:
                ax.errorbar([n for n, _ in pts], [np.mean(v) for _, v in pts], yerr=[np.std(v) for _, v in pts],
                            marker="o", color=colour[m], label=f"{m} (ours)", capsize=3)
        for label, values in PUBLISHED.get(task, {}).items():
            ax.plot(SIZES, values, linestyle="--", marker="x", color=colour[label], alpha=0.7,
                    label=f"{label} (published)")
        ax.set_xscale("log"), ax.set_yscale("log")
        ax.set_xlabel("training set size N"), ax.set_ylabel("test MSE"), ax.set_title(task)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="sizes 30,300, 1 seed, test 1000, val 200, <= 10 epochs")
    p.add_argument("--tasks", default=",".join(EMLP_TASKS), help="comma-separated tasks (also: SymmetricSet, "
                   "CyclicSet)")
    p.add_argument("--models", default=None, help="comma-separated registered models (default: all that apply)")
    p.add_argument("--sizes", default=None, help="comma-separated training sizes")
    p.add_argument("--seeds", type=int, default=None)
    p.add_argument("--test", type=int, default=None)
    p.add_argument("--val", type=int, default=None)
    p.add_argument("--epochs-cap", type=int, default=None, help="at most this many epochs per run")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                   help="training precision (EMLP trained in float32; data are generated in float64)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (1: on a shared 2-core machine extra threads spin and slow down 10x+)")
    p.add_argument("--jobs", type=int, default=1, help="parallel worker processes, one (task, seed) each")
    p.add_argument("--cluster", default=None, help="run each (task, seed, size) as a Dask task: local:N (N worker "
                   "processes) or a scheduler's tcp://host:port (pip install molien[cluster])")
    p.add_argument("--raw", action="store_true", help="no EMLP normalisation for any model")
    p.add_argument("--progress", action="store_true", help="a progress bar per training run")
    p.add_argument("--out", default=None, help="results file stem (default emlp_table, emlp_table-quick)")
    p.add_argument("--results", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    args = p.parse_args(argv)
    quick = args.quick
    args.tasks = args.tasks.split(",")
    args.sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([30, 300] if quick else list(SIZES))
    args.seeds = args.seeds or (1 if quick else 3)
    args.test = args.test or (1000 if quick else 5000)
    args.val = args.val or (200 if quick else 1000)
    args.epochs_cap = args.epochs_cap or (10 if quick else None)
    args.dtype = getattr(torch, args.dtype)
    args.out = args.out or ("emlp_table-quick" if quick else "emlp_table")
    args.models = args.models.split(",") if args.models else list(MODELS)
    unknown = [m for m in args.models if m not in MODELS] + [t for t in args.tasks if t not in PUBLISHED
                                                             and t not in SET_TASKS]
    if unknown:
        p.error(f"unknown model or task {unknown}; models: {list(MODELS)}, tasks: {list(PUBLISHED)} + {list(SET_TASKS)}")
    return args


def run_job(task: str, seed: int, args: argparse.Namespace, sizes: tuple[int, ...] | None = None) -> list[Run]:
    """Every model for one task and seed at ``sizes`` (default: all), on the seed's one data set (a
    unit of work for ``--jobs``, and one per size for ``--cluster``)."""
    torch.set_num_threads(args.threads)
    models = [m for m in args.models if MODELS[m].tasks is None or task in MODELS[m].tasks]
    data = make(task, args.test + args.val + max(args.sizes), seed=seed)
    runs = []
    for n in sizes or args.sizes:
        for m in models:
            run = run_one(task, m, data, n, seed, args)
            runs.append(run)
            print(f"{task:20} {m:12} N={n:<6} seed={seed} test MSE {run.test_mse:.4g} "
                  f"({run.epochs} epochs, best {run.best_epoch}, {run.seconds:.1f} s)", flush=True)
    return runs


def main(argv: list[str] | None = None) -> list[Run]:
    args = parse(argv)
    start = time.perf_counter()
    jobs = [(task, seed, args) for task in args.tasks for seed in range(args.seeds)]
    if args.cluster:
        results = run_grid(run_job, [(task, seed, args, (n,)) for task, seed, _ in jobs for n in args.sizes],
                           args.cluster)
    elif args.jobs > 1:
        # spawn, not fork: a forked child of a process that has run OpenMP code can hang; models
        # registered at import time of this file (or of modules it imports) exist in the children too
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            results = pool.starmap(run_job, jobs)
    else:
        results = [run_job(*job) for job in jobs]
    runs = [run for result in results for run in result]
    wall = time.perf_counter() - start
    args.results.mkdir(parents=True, exist_ok=True)
    text = markdown(runs, args, wall)
    stem = args.results / args.out
    stem.with_suffix(".md").write_text(text + "\n")
    stem.with_suffix(".json").write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n")
    plotted = plot(runs, args, stem.with_suffix(".png"))
    print(text)
    print(f"written: {stem}.md, .json" + (", .png" if plotted else ""))
    return runs


if __name__ == "__main__":
    main()
