"""How equivariant a steerable layer is under rotations off its group: by angle and band limit.

    python benchmarks/steerable_error.py
    python benchmarks/steerable_error.py --quick
    python benchmarks/steerable_error.py --group so2     # SO(2): frequency fields 0, 1, 2

A D8 lifting convolution (one scalar channel → 4 regular fields, 7x7 kernels) followed by mean
pooling over each regular field gives scalar fields; for a rotation R by any angle they should
satisfy f(R·x) ≈ R·f(x).  Inputs are smooth random images (Gaussian-filtered noise in a disk of a
33x33 image), rotations are bilinear resampling, and the error is measured inside the inner disk
that stays away from the border: |f(Rx) − R f(x)| / |f(x)| (root mean square, averaged over 20
images and 3 random initialisations).  molien's `GroupConv2d` on `steerable_space(8, flips=True,
max_frequency=L)` beside escnn's `R2Conv` with the same per-ring cutoff min(L, ⌊πr/2⌋), each followed by the mean over
every regular field, at each band limit L.  45° and 90° are in D8: what remains there is the resampling of the image.
With ``--group so2``: a lifting convolution of SO(2) (``steerable_space(None)``, solved through the Lie
algebra) to 4 fields of frequencies 0 ⊕ 1 ⊕ 2, read on its frequency-0 channels, beside escnn's
``rot2dOnR2(N=-1)`` with the same irreps and cutoff.
Results: ``benchmarks/results/steerable_error.md``, ``.json`` (``steerable_error-so2.*``).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = Path(__file__).resolve().parent / "results"

from neural.conv import GroupConv2d, steerable_space  # noqa: E402

SIDE, KERNEL, FIELDS = 33, 7, 4
ANGLES = [5, 10, 15, 22.5, 30, 45, 60, 90]


def rotate(x: torch.Tensor, degrees: float) -> torch.Tensor:
    t = math.radians(degrees)
    theta = torch.tensor([[math.cos(t), -math.sin(t), 0.0], [math.sin(t), math.cos(t), 0.0]], dtype=x.dtype)
    grid = F.affine_grid(theta.expand(len(x), 2, 3), list(x.shape), align_corners=True)
    return F.grid_sample(x, grid, align_corners=True)


def smooth_images(count: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(count, 1, SIDE, SIDE, generator=g, dtype=torch.float64)
    u = torch.arange(-3, 4, dtype=torch.float64)
    blur = torch.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / 4)
    x = F.conv2d(x, (blur / blur.sum())[None, None], padding=3)
    r = torch.linspace(-1, 1, SIDE, dtype=torch.float64)
    return x * ((r[:, None] ** 2 + r[None, :] ** 2) < 0.8).to(x.dtype)


def relative_error(f, x: torch.Tensor, degrees: float) -> float:
    r = torch.linspace(-1, 1, SIDE, dtype=torch.float64)
    inner = ((r[:, None] ** 2 + r[None, :] ** 2) < 0.35).to(x.dtype)
    with torch.no_grad():
        fx = f(x)
        diff = (f(rotate(x, degrees)) - rotate(fx, degrees)) * inner
        return float(diff.norm() / (fx * inner).norm())


def molien_so2_layer(band: int | None, seed: int):
    torch.manual_seed(seed)
    space = steerable_space(None, max_frequency=band)
    G = space.group
    t_out = FIELDS * space.type(G.frequency(0), G.frequency(1), G.frequency(2))
    conv = GroupConv2d(space.type(space.trivial), t_out, KERNEL, bias=False).double()
    return lambda x: conv(x).reshape(len(x), FIELDS, 5, SIDE, SIDE)[:, :, 0]


def escnn_so2_layer(band: int | None, seed: int):
    try:
        from escnn import gspaces
        from escnn import nn as enn
    except ImportError:
        return None
    torch.manual_seed(seed)
    space = gspaces.rot2dOnR2(N=-1, maximum_frequency=4)
    t_in = enn.FieldType(space, [space.trivial_repr])
    t_out = enn.FieldType(space, [space.irrep(0), space.irrep(1), space.irrep(2)] * FIELDS)
    cap = 10 ** 6 if band is None else band
    conv = enn.R2Conv(t_in, t_out, KERNEL, padding=KERNEL // 2, bias=False,
                      frequencies_cutoff=lambda r: min(cap, math.floor(math.pi * r / 2))).double().eval()
    return lambda x: conv(enn.GeometricTensor(x, t_in)).tensor.reshape(len(x), FIELDS, 5, SIDE, SIDE)[:, :, 0]


def molien_layer(band: int | None, seed: int):
    torch.manual_seed(seed)
    space = steerable_space(8, flips=True, max_frequency=band)
    conv = GroupConv2d(space.type(space.trivial), FIELDS * space.type(space.regular), KERNEL, bias=False).double()
    return lambda x: conv(x).reshape(len(x), FIELDS, 16, SIDE, SIDE).mean(2)


def escnn_layer(band: int | None, seed: int):
    try:
        from escnn import gspaces
        from escnn import nn as enn
    except ImportError:
        return None
    torch.manual_seed(seed)
    space = gspaces.flipRot2dOnR2(N=8)
    t_in = enn.FieldType(space, [space.trivial_repr])
    t_out = enn.FieldType(space, [space.regular_repr] * FIELDS)
    cap = 10 ** 6 if band is None else band  # the same per-ring rule as molien's: min(band, ⌊π r / 2⌋)
    conv = enn.R2Conv(t_in, t_out, KERNEL, padding=KERNEL // 2, bias=False,
                      frequencies_cutoff=lambda r: min(cap, math.floor(math.pi * r / 2))).double().eval()
    return lambda x: conv(enn.GeometricTensor(x, t_in)).tensor.reshape(len(x), FIELDS, 16, SIDE, SIDE).mean(2)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--group", choices=("d8", "so2"), default="d8")
    parser.add_argument("--out", default=None)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.out = args.out or ("steerable_error" if args.group == "d8" else "steerable_error-so2")
    builders = ((("molien", molien_layer), ("escnn", escnn_layer)) if args.group == "d8" else
                (("molien", molien_so2_layer), ("escnn", escnn_so2_layer)))
    bands = [2, 4] if args.quick else [1, 2, 3, 4, 6]
    seeds = [0] if args.quick else [0, 1, 2]
    x = smooth_images(5 if args.quick else 20, 0)
    rows = []
    for band in bands:
        for library, build in builders:
            layers = [build(band, s) for s in seeds]
            if layers[0] is None:
                continue
            errors = [sum(relative_error(f, x, a) for f in layers) / len(layers) for a in ANGLES]
            rows.append({"library": library, "band": band, "errors": errors})
            print(f"{library:6s} L={band}: " + " ".join(f"{a}°:{e:.3f}" for a, e in zip(ANGLES, errors)), flush=True)
    result = {"angles": ANGLES, "rows": rows, "side": SIDE, "kernel": KERNEL}
    args.results.mkdir(exist_ok=True)
    (args.results / f"{args.out}.json").write_text(json.dumps(result, indent=1))
    lines = ["# Steerable layers under rotations off their group", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, torch {torch.__version__}: " + (
                 f"a D8 lifting convolution ({KERNEL}x{KERNEL}, {FIELDS} regular fields, mean over each field)"
                 if args.group == "d8" else
                 f"an SO(2) lifting convolution ({KERNEL}x{KERNEL}, {FIELDS} fields of frequencies 0+1+2, read on "
                 "the frequency-0 channels)") + f" on {len(x)} smooth "
             f"{SIDE}x{SIDE} images, {len(seeds)} initialisations; |f(Rx) − R f(x)| / |f(x)| in the inner disk, "
             "bilinear rotations (" + ("45° and 90° are in D8: the rest there is resampling)." if args.group == "d8"
                                       else "90°: exact pixel moves).") , "",
             "| library | band limit | " + " | ".join(f"{a}°" for a in ANGLES) + " |",
             "|---|---|" + "---|" * len(ANGLES)]
    for r in rows:
        lines.append(f"| {r['library']} | {r['band']} | " + " | ".join(f"{e:.3f}" for e in r["errors"]) + " |")
    (args.results / f"{args.out}.md").write_text("\n".join(lines) + "\n")
    return result


if __name__ == "__main__":
    main()
