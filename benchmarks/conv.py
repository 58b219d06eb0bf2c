"""Rotated digits: group CNNs built on the engine's exact kernel bases against a plain CNN, a CNN
with augmentation and escnn's equivalent networks, side by side in one run.

    python benchmarks/conv.py                 # 3 seeds, every model, init timings
    python benchmarks/conv.py --quick         # 1 seed, 3 epochs, a smoke run

Data: scikit-learn's bundled ``load_digits`` (1797 images of 8x8, no download), upsampled to 15x15
and padded to 21x21 (odd sides keep the pooled grids symmetric about the centre); 1200 training
images, the rest for testing, split by seed.  Training on upright images only; tests on upright
images, on random elements of D4 (90-degree rotations and flips) and on random continuous
rotations (bilinear, about the centre).

Models with a similar parameter budget (about 100k weights; the D8 networks have the p4m
networks' channel counts, so their compute, and fewer weights), each three blocks of two 5x5 convolutions with batch
norm and ReLU, average pooling between blocks, a global read-out and a two-layer head:
``cnn`` (plain), ``cnn+aug`` (the same trained on randomly rotated and flipped images),
``molien-p4`` and ``molien-p4m`` (`neural.conv.GroupCNN`), ``molien-c8``, ``molien-d8`` (steerable, regular
fields), ``molien-so2`` (SO(2), frequency fields 0-2 with the exact covariant nonlinearity), ``escnn-p4m`` (escnn's R2Conv on
regular fields of D4 with its InnerBatchNorm, ReLU, PointwiseAvgPool and GroupPooling: the same
architecture).  escnn and scikit-learn are benchmark-only extras (``pip install molien[bench]``).

Initialisation: a 6-layer D4 network (lifting + 5 group convolutions, 16 regular fields, 5x5) built
in a fresh process, imports excluded: molien with an empty cache (cold) and again on that cache
(warm), escnn likewise (cold: its joblib cache folder removed first).  Results: ``benchmarks/results/conv.md`` and ``conv.json`` (records
``task, model, library, seed, test_split, accuracy, params, train_s, init_s, equivariance_error``).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results"

from neural.conv import GroupCNN, grid_space, steerable_space  # noqa: E402

SIDE = 21


def digits(seed: int) -> tuple[torch.Tensor, ...]:
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.images, dtype=torch.float32)[:, None] / 16.0
    x = F.interpolate(x, size=(15, 15), mode="bilinear", align_corners=False)
    x = F.pad(x, (3, 3, 3, 3))
    y = torch.tensor(data.target)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    return x[perm[:1200]], y[perm[:1200]], x[perm[1200:]], y[perm[1200:]]


def d4_moves(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Each image turned by a random element of D4 (k quarter turns, then a flip or not)."""
    k = torch.randint(0, 4, (len(x),), generator=generator)
    flip = torch.randint(0, 2, (len(x),), generator=generator)
    out = torch.stack([torch.rot90(im, int(q), dims=(-2, -1)) for im, q in zip(x, k)])
    return torch.where(flip.view(-1, 1, 1, 1).bool(), out.flip(-1), out)


def rotations(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Each image rotated by a uniform random angle about its centre (bilinear)."""
    angle = torch.rand(len(x), generator=generator) * 2 * math.pi
    c, s = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([c, -s, torch.zeros_like(c)], 1), torch.stack([s, c, torch.zeros_like(c)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, align_corners=False)


class PlainCNN(nn.Module):
    """The same blocks as `GroupCNN` with ordinary convolutions."""

    def __init__(self, channels: tuple[int, ...], num_classes: int = 10, hidden: int = 64):
        super().__init__()
        layers: list[nn.Module] = []
        current = 1
        for i, width in enumerate(channels):
            for _ in range(2):
                layers += [nn.Conv2d(current, width, 5, padding=2), nn.BatchNorm2d(width), nn.ReLU()]
                current = width
            if i < len(channels) - 1:
                layers.append(nn.AvgPool2d(3, 2, padding=1, count_include_pad=False))
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(current, hidden), nn.ELU(), nn.Linear(hidden, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x).mean(dim=(-2, -1)))


def escnn_model(channels: tuple[int, ...], n: int = 4, flips: bool = True, num_classes: int = 10,
                hidden: int = 64) -> nn.Module:
    from escnn import gspaces
    from escnn import nn as enn

    space = gspaces.flipRot2dOnR2(N=n) if flips else gspaces.rot2dOnR2(N=n)
    current = enn.FieldType(space, [space.trivial_repr])
    modules: list[nn.Module] = []
    for i, width in enumerate(channels):
        block = enn.FieldType(space, [space.regular_repr] * width)
        for _ in range(2):
            modules += [enn.R2Conv(current, block, 5, padding=2), enn.InnerBatchNorm(block), enn.ReLU(block)]
            current = block
        if i < len(channels) - 1:
            modules.append(enn.PointwiseAvgPool(current, 3, 2, padding=1))
    features = enn.SequentialModule(*modules)
    group_pool = enn.GroupPooling(current)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features, self.group_pool = features, group_pool
            self.head = nn.Sequential(nn.Linear(len(current), hidden), nn.ELU(), nn.Linear(hidden, num_classes))
            self.in_type = enn.FieldType(space, [space.trivial_repr])

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.group_pool(self.features(enn.GeometricTensor(x, self.in_type))).tensor
            return self.head(y.mean(dim=(-2, -1)))

    return Net()


def build(model: str, seed: int) -> nn.Module:
    torch.manual_seed(seed)
    if model in ("cnn", "cnn+aug"):
        return PlainCNN((11, 22, 45))
    if model == "molien-p4":
        return GroupCNN(grid_space("p4"), 1, 10, channels=(6, 12, 24))
    if model == "molien-p4m":
        return GroupCNN(grid_space("p4m"), 1, 10, channels=(4, 8, 16))
    if model == "escnn-p4m":
        return escnn_model((6, 12, 24))  # its band-limited basis has fewer weights per field pair
    if model == "molien-c8":
        return GroupCNN(steerable_space(8), 1, 10, channels=(6, 12, 24))
    if model == "molien-d8":  # the p4m network's channel counts (2 x 16 = 4 x 8): its compute, fewer weights
        return GroupCNN(steerable_space(8, flips=True), 1, 10, channels=(2, 4, 8))
    if model == "escnn-d8":
        return escnn_model((2, 4, 8), n=8)
    if model == "molien-so2":  # SO(2): frequencies 0, 1, 2 with the exact covariant nonlinearity
        return GroupCNN(steerable_space(None), 1, 10, channels=(4, 8, 16))
    raise ValueError(model)


def train(net: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, augment: bool, seed: int,
          lr: float = 2e-3) -> float:
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(net.parameters(), lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    start = time.perf_counter()
    net.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        for i in range(0, len(x), 64):
            xb, yb = x[order[i:i + 64]], y[order[i:i + 64]]
            if augment:
                xb = rotations(d4_moves(xb, gen), gen)
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
    return time.perf_counter() - start


@torch.no_grad()
def accuracy(net: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    net.eval()
    return float((net(x).argmax(1) == y).float().mean())


@torch.no_grad()
def d4_error(net: nn.Module, x: torch.Tensor) -> float:
    """max over D4 of |logits(g x) − logits(x)|, relative to max |logits(x)|."""
    net.eval()
    base = net(x)
    worst = 0.0
    for k in range(4):
        for flip in (False, True):
            moved = torch.rot90(x, k, dims=(-2, -1))
            moved = moved.flip(-1) if flip else moved
            worst = max(worst, float((net(moved) - base).abs().max() / base.abs().max()))
    return worst


INIT_PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
import torch
library, n = sys.argv[1], int(sys.argv[3])
if library == "escnn":
    from escnn import gspaces, nn as enn
    start = time.perf_counter()
    space = gspaces.flipRot2dOnR2(N=n)
    current = enn.FieldType(space, [space.trivial_repr])
    block = enn.FieldType(space, [space.regular_repr] * 16)
    layers = []
    for _ in range(6):
        layers.append(enn.R2Conv(current, block, 5, padding=2))
        current = block
    net = enn.SequentialModule(*layers)
else:
    from neural.conv import GroupConv2d, FieldSequential, grid_space, steerable_space
    start = time.perf_counter()
    space = grid_space("p4m") if n == 4 else steerable_space(n, flips=True)
    current = space.type(space.trivial)
    block = 16 * space.type(space.regular)
    layers = []
    for _ in range(6):
        layers.append(GroupConv2d(current, block, 5))
        current = block
    net = FieldSequential(*layers)
print(json.dumps({"init_s": time.perf_counter() - start}))
"""


def layer_timing(n: int, fields: int = 16, batch: int = 32, side: int = 21, reps: int = 10) -> dict:
    """Forward + backward of one D_n convolution between ``fields`` regular fields (5x5), molien's
    against escnn's, same input, seconds per batch (median of ``reps`` after a warm-up)."""
    from escnn import gspaces
    from escnn import nn as enn

    from neural.conv import GroupConv2d

    space = grid_space("p4m") if n == 4 else steerable_space(n, flips=True)
    mine = GroupConv2d(fields * space.type(space.regular), fields * space.type(space.regular), 5)
    espace = gspaces.flipRot2dOnR2(N=n)
    etype = enn.FieldType(espace, [espace.regular_repr] * fields)
    theirs = enn.R2Conv(etype, etype, 5, padding=2)
    x = torch.randn(batch, fields * 2 * n, side, side)
    out = {}
    for name, run in (("molien", lambda: mine(x).square().mean()),
                      ("escnn", lambda: theirs(enn.GeometricTensor(x, etype)).tensor.square().mean())):
        times = []
        for i in range(reps + 1):
            start = time.perf_counter()
            run().backward()
            if i:
                times.append(time.perf_counter() - start)
        out[name] = float(np.median(times))
    out["weights"] = {"molien": mine.weight.numel(), "escnn": int(sum(p.numel() for p in theirs.parameters()))}
    return out


def init_time(library: str, cache: str, cold: bool, n: int) -> float:
    """Seconds to build the network in a fresh process; ``cold`` empties the library's basis cache
    first (molien's: a new folder; escnn's: its joblib folder inside the package)."""
    env = {**os.environ, "MOLIEN_CACHE_DIR": cache}
    if cold and library == "escnn":
        import shutil

        from escnn.group import __cache_path__

        shutil.rmtree(__cache_path__, ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", INIT_PROBE, library, str(ROOT), str(n)], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["init_s"]


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", default="cnn,cnn+aug,molien-p4,molien-p4m,escnn-p4m,molien-c8,molien-d8,escnn-d8,molien-so2")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default="conv")
    parser.add_argument("--no-init", action="store_true", help="skip the initialisation timings (they need escnn)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="results folder (default benchmarks/results)")
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.epochs = 1, 3
    torch.set_num_threads(args.threads)
    models = args.models.split(",")
    records: list[dict] = []
    inits = {}
    for n in () if args.no_init else (4, 8):
        for library in ("molien", "escnn"):
            with tempfile.TemporaryDirectory() as cache:
                cold = init_time(library, cache, True, n)
                warm = init_time(library, cache, False, n)
            inits[f"{library}-D{n}"] = (cold, warm)
            print(f"init {library} D{n}: cold {cold:.2f} s, warm {warm:.2f} s", flush=True)
    timings = {} if args.no_init else {f"D{n}": layer_timing(n) for n in (4, 8)}
    for key, t in timings.items():
        print(f"layer {key}: molien {t['molien']:.3f} s, escnn {t['escnn']:.3f} s per batch", flush=True)
    angles: dict[str, list[float]] = {}
    for seed in range(args.seeds):
        xtr, ytr, xte, yte = digits(seed)
        gen = torch.Generator().manual_seed(1000 + seed)
        splits = {"upright": xte, "d4": d4_moves(xte, gen), "rotated": rotations(xte, gen)}
        for model in models:
            start = time.perf_counter()
            net = build(model, seed)
            init_s = time.perf_counter() - start
            train_s = train(net, xtr, ytr, args.epochs, model == "cnn+aug", seed)
            err = d4_error(net, xte[:64])
            if seed == 0:
                angles[model] = angle_errors(net, xte[:200])
            params = sum(p.numel() for p in net.parameters() if p.requires_grad)
            for split, xs in splits.items():
                rec = {"task": "digits", "model": model, "library": model.split("-")[0] if "-" in model else "torch",
                       "seed": seed, "test_split": split, "accuracy": accuracy(net, xs, yte), "params": params,
                       "train_s": train_s, "init_s": init_s, "equivariance_error": err}
                records.append(rec)
            print(f"seed {seed} {model:11s} " + " ".join(f"{r['test_split']} {r['accuracy']:.3f}" for r in records[-3:])
                  + f"  d4 err {err:.1e}  {train_s:.0f} s", flush=True)
    args.results.mkdir(exist_ok=True)
    (args.results / f"{args.out}.json").write_text(json.dumps({"records": records, "init": inits, "layer_timing": timings, "angles": angles,
                                                          "angle_degrees": ANGLES}, indent=1))
    (args.results / f"{args.out}.md").write_text(report(records, inits, timings, angles, args))
    return records


ANGLES = [0, 5, 10, 15, 22.5, 30, 45, 60, 90]


@torch.no_grad()
def angle_errors(net: nn.Module, x: torch.Tensor) -> list[float]:
    """Mean over images of |logits(R_a x) − logits(x)| / |logits(x)| for each angle a in ANGLES
    (the image rotated by bilinear resampling; 90 degrees is an exact pixel permutation)."""
    net.eval()
    base = net(x)
    out = []
    for a in ANGLES:
        if a == 90:
            moved = torch.rot90(x, 1, dims=(-2, -1))
        else:
            t = torch.tensor(math.radians(a))
            theta = torch.tensor([[math.cos(t), -math.sin(t), 0.0], [math.sin(t), math.cos(t), 0.0]]).expand(len(x), 2, 3)
            moved = F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), align_corners=False)
        out.append(float(((net(moved) - base).norm(dim=1) / base.norm(dim=1)).mean()))
    return out


def report(records: list[dict], inits: dict, timings: dict, angles: dict, args: argparse.Namespace) -> str:
    import platform

    lines = ["# Rotated digits: group CNNs from exact kernel bases", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, torch {torch.__version__}, "
             f"{args.threads} thread(s), {platform.machine()}; {args.seeds} seed(s), {args.epochs} epochs of Adam "
             "on 1200 upright training images; accuracy on the other 597 (mean ± std over seeds): upright, each "
             "moved by a random element of D4, each rotated by a random angle.", "",
             ]
    if records:
        lines += ["| model | params | upright | D4-moved | rotated | D4 invariance error | train (s) |",
                  "|---|---|---|---|---|---|---|"]
    else:
        lines = lines[:2] + [f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, torch {torch.__version__}, "
                             f"{args.threads} thread(s): timings only (no training run, --seeds 0)."]
    models = list(dict.fromkeys(r["model"] for r in records))
    for model in models:
        rows = [r for r in records if r["model"] == model]

        def stat(split: str) -> str:
            acc = np.array([r["accuracy"] for r in rows if r["test_split"] == split])
            return f"{acc.mean():.3f} ± {acc.std():.3f}"

        err = max(r["equivariance_error"] for r in rows)
        train_s = np.mean([r["train_s"] for r in rows if r["test_split"] == "upright"])
        lines.append(f"| {model} | {rows[0]['params']} | {stat('upright')} | {stat('d4')} | {stat('rotated')} | "
                     f"{err:.1e} | {train_s:.0f} |")
    lines += ["", "Initialisation of a 6-layer network (lifting + 5 group convolutions, 16 regular fields, 5x5), "
              "fresh process, imports excluded (molien's D4 on the grid, D8 steerable):", "",
              "| group | molien cold (s) | escnn cold (s) | escnn / molien cold | molien warm (s) | escnn warm (s) | "
              "escnn / molien warm |", "|---|---|---|---|---|---|---|"]
    for n in (4, 8) if inits else ():
        (mc, mw), (ec, ew) = inits[f"molien-D{n}"], inits[f"escnn-D{n}"]
        lines.append(f"| D{n} | {mc:.2f} | {ec:.2f} | {ec / mc:.1f}x | {mw:.2f} | {ew:.2f} | {ew / mw:.1f}x |")
    if timings:
        lines += ["", "One convolution between 16 regular fields (5x5), batch 32 of 21x21, forward + backward, "
                  "median seconds per batch (same process, same input):", "",
                  "| group | molien (s) | escnn (s) | escnn / molien | weights molien / escnn |", "|---|---|---|---|---|"]
        for key, t in timings.items():
            lines.append(f"| {key} | {t['molien']:.3f} | {t['escnn']:.3f} | {t['escnn'] / t['molien']:.2f}x | "
                         f"{t['weights']['molien']} / {t['weights']['escnn']} |")
    if not angles:
        return "\n".join(lines) + "\n"
    lines += ["", "Relative change of the logits when the test image is rotated by an angle (seed 0, 200 images, "
              "bilinear resampling; 90 degrees permutes pixels):", "",
              "| model | " + " | ".join(f"{a}°" for a in ANGLES) + " |", "|---|" + "---|" * len(ANGLES)]
    for model, errs in angles.items():
        lines.append(f"| {model} | " + " | ".join(f"{e:.3f}" for e in errs) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
