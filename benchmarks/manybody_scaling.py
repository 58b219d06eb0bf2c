"""Time and memory of one forward + backward pass against the number of particles (issue #20):
molien's message passing (`neural.graph.ParticleNetwork` on ``O(3):v``) and EGNN, on particles at
constant density (uniform in a cube of side (N / 2)^(1/3)) with a cutoff radius of 1.5, so the number
of edges grows linearly with N.

    python benchmarks/manybody_scaling.py            # N = 5 … 1000
    python benchmarks/manybody_scaling.py --quick    # N = 5, 20

Memory is the bytes autograd saves for the backward pass (every tensor the saved-tensor hooks see),
which is what grows with the graph; time is the median of ``--reps`` passes on ``--threads`` threads.
Results: ``benchmarks/results/manybody-scaling.md``, ``.json``, ``.png`` (time and memory per edge).
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results"

from neural.graph import EGNN, ParticleNetwork, radius_graph  # noqa: E402

DENSITY, RADIUS = 2.0, 1.5


def particles(count: int, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    side = (count / DENSITY) ** (1 / 3)
    x = torch.rand(count, 3, generator=g) * side
    return {"x": x, "v": torch.randn(count, 3, generator=g) * 0.5, "q": torch.randint(0, 2, (count,), generator=g) * 2.0 - 1,
            "edges": radius_graph(x, RADIUS)}


def run(net: torch.nn.Module, data: dict[str, torch.Tensor]) -> torch.Tensor:
    if isinstance(net, ParticleNetwork):
        return net(data["x"], data["v"][:, None], data["q"][:, None], data["edges"])
    return net(data["x"], data["v"], data["q"], data["edges"])


def saved_bytes(net: torch.nn.Module, data: dict[str, torch.Tensor]) -> int:
    total = 0

    def pack(t: torch.Tensor) -> torch.Tensor:
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        run(net, data).square().sum().backward()
    return total


def seconds(net: torch.nn.Module, data: dict[str, torch.Tensor], reps: int) -> float:
    times = []
    for _ in range(reps + 1):
        start = time.perf_counter()
        run(net, data).square().sum().backward()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default="5,20,50,100,200,500,1000")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(RESULTS / "manybody-scaling"))
    args = parser.parse_args(argv)
    sizes = [5, 20] if args.quick else [int(s) for s in args.sizes.split(",")]
    args.reps = 2 if args.quick else args.reps
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    models = {"molien-o3": ParticleNetwork("O(3):v", node_features=1), "egnn": EGNN()}
    if not args.quick:
        models["molien-o3-v4"] = ParticleNetwork("O(3):v", node_features=1, hidden_vectors=4)
        try:    # e3nn: the bench extra
            sys.path.append(str(Path(__file__).resolve().parent))  # last: benchmarks/bridge.py must not shadow the package
            from e3nn_nbody import E3NBody
            models["e3nn"] = E3NBody()
        except ImportError:
            pass
    records = []
    for count in sizes:
        data = particles(count, 0)
        for name, net in models.items():
            records.append({"model": name, "particles": count, "edges": int(data["edges"].shape[1]),
                            "seconds": seconds(net, data, args.reps),
                            "saved_bytes": saved_bytes(net, data)})
            print(json.dumps(records[-1]), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(records, indent=1) + "\n")
    out.with_suffix(".md").write_text(report(records, args))
    plot(records, out.with_suffix(".png"))
    return records


def report(records: list[dict], args: argparse.Namespace) -> str:
    lines = ["# Many-body scaling: one forward + backward pass", "",
             f"Particles at density {DENSITY} in a cube, cutoff radius {RADIUS}, {args.threads} thread(s), median of "
             f"{args.reps} passes; memory = bytes autograd saves for the backward pass.", "",
             "| particles | edges | model | ms | ms per 1000 edges | MB saved | kB per edge |", "|---|---|---|---|---|---|---|"]
    for r in records:
        lines.append(f"| {r['particles']} | {r['edges']} | {r['model']} | {1e3 * r['seconds']:.1f} | "
                     f"{1e6 * r['seconds'] / max(r['edges'], 1):.2f} | {r['saved_bytes'] / 2 ** 20:.1f} | "
                     f"{r['saved_bytes'] / 1024 / max(r['edges'], 1):.2f} |")
    for name in dict.fromkeys(r["model"] for r in records):
        rows = [r for r in records if r["model"] == name and r["edges"] > 0]
        if len(rows) >= 2:
            a, b = rows[-2], rows[-1]
            slope = math.log(b["seconds"] / a["seconds"]) / math.log(b["edges"] / a["edges"])
            lines.append(f"\n{name}: time grows as edges^{slope:.2f} between the two largest sizes.")
    return "\n".join(lines) + "\n"


def plot(records: list[dict], path: Path) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for name in dict.fromkeys(r["model"] for r in records):
        rows = [r for r in records if r["model"] == name]
        edges = [r["edges"] for r in rows]
        axes[0].loglog(edges, [1e3 * r["seconds"] for r in rows], "o-", label=name)
        axes[1].loglog(edges, [r["saved_bytes"] / 2 ** 20 for r in rows], "o-", label=name)
    axes[0].set(xlabel="edges", ylabel="ms per forward + backward")
    axes[1].set(xlabel="edges", ylabel="MB saved for backward")
    for ax in axes:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    main()
