"""Learning with symmetry on the anchors' tasks (../shared/symmetry_tasks.md), in one run:

* continuous discovery — O(5) regression, 2-body trajectories, rotated 7×7 image pairs: cosine
  similarity of the discovered generators to the true ones (LieGAN's metric), from ≤ 1000 samples;
* finite discovery — the C7 task (from the function and from data alone), a permutation symmetry;
* near-symmetries — ModifiedInertia at N = 1000 (RPP's protocol: 1000 train, 1000 test): our strict
  O(3) model, an MLP and the residual pathway (strict + penalised MLP), beside RPP's published
  MLP 4.79 and strict EMLP 1.19; the windy pendulum's symmetry violation;
* orbits — template point clouds under O(3) × S_k: invariant classifier vs MLP, unrotated/rotated;
* canonicalisation — recovery error of random rotations and permutations.

    python benchmarks/symmetry.py            # full (about 15 minutes on 2 cores)
    python benchmarks/symmetry.py --quick    # smoke test (smaller sizes)
    python benchmarks/symmetry.py --sections continuous   # one part (symmetry-continuous.md)

Writes benchmarks/results/symmetry.md (symmetry-quick.md with --quick).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import math
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def continuous(quick: bool) -> list[str]:
    from neural.datasets import make
    from neural.symmetry.discovery import discover_lie_algebra, generator_from_pairs, so_generators
    from neural.symmetry.images import domain_flow_from_pairs
    from neural.symmetry.surrogate import fit_surrogate
    from neural.symmetry.tasks import rotated_images, two_body, two_body_generator

    steps = 600 if quick else 4000
    rows = ["| task | samples | method | space | dim found | cos mean | cos min | closest engine algebra | seconds |",
            "|---|---|---|---|---|---|---|---|---|"]

    def report(task, n, method, est, truth, seconds):
        cos = est.cosine_similarity(truth)
        known = est.closest_known()
        rows.append(f"| {task} | {n} | {method} | {est.space} | {est.dimension} | {float(cos.mean()):.4f} | "
                    f"{float(cos.min()):.4f} | `{known.spec}` ({known.similarity:.3f}) | {seconds:.1f} |")

    n = 1000
    data = make("O5Synthetic", n, seed=0)
    t = time.perf_counter()
    model = fit_surrogate(data.X, data.Y, steps=steps)
    fit_s = time.perf_counter() - t
    f = lambda z: model(z.float()).double()[:, 0]  # noqa: E731
    for space in ("gl", "so"):
        t = time.perf_counter()
        est = discover_lie_algebra(f, data.X, space=space, dimension=10)
        report("O(5) regression", n, "MLP surrogate, gradients", est, so_generators(5, 2), fit_s + time.perf_counter() - t)
    x, y = two_body(n)
    t = time.perf_counter()
    flow = fit_surrogate(x, y, residual=True, steps=steps)
    fit_s = time.perf_counter() - t
    g = lambda z: flow(z.float()).double()  # noqa: E731
    for space in ("gl", "so"):
        t = time.perf_counter()
        est = discover_lie_algebra(g, x, output="same", space=space, dimension=1)
        report("2-body trajectories", n, "MLP surrogate of the flow, Jacobians", est, two_body_generator(),
               fit_s + time.perf_counter() - t)
    for smooth in (False, True):
        x, y, true = rotated_images(n, smooth=smooth)
        t = time.perf_counter()
        gen = generator_from_pairs(x, y, math.pi / 10)
        cos = abs(float((gen * true[0]).sum() / (gen.norm() * true[0].norm())))
        name = "7×7 images, smooth (exact rotation)" if smooth else "7×7 images, U(−½,½) pixels, bilinear"
        rows.append(f"| {name} | {n} | least squares + matrix log | gl | 1 | {cos:.4f} | {cos:.4f} | — | "
                    f"{time.perf_counter() - t:.1f} |")
    x, y, true = rotated_images(n)
    t = time.perf_counter()
    found = domain_flow_from_pairs(x, y, 7, 7, angle=math.pi / 10)
    cos = abs(float((found.pixels[0] * true[0]).sum() / (found.pixels[0].norm() * true[0].norm())))
    kind = "so(2)" if found.rotation_part() > 0.999 and abs(found.velocity[:2, 2]).max() < 1e-6 else "aff(2)"
    rows.append(f"| 7×7 images, U(−½,½) pixels, bilinear | {n} | domain flow: sampled points → affine log → pixels | "
                f"aff(2) | 1 | {cos:.4f} | {cos:.4f} | {kind} on the plane (residual {found.residual:.1e} px) | "
                f"{time.perf_counter() - t:.1f} |")
    return rows


def finite(quick: bool) -> list[str]:
    from neural.symmetry.finite import discover_finite_group
    from neural.symmetry.tasks import c7_function, c7_task

    rows = ["| task | samples | from | accepted generators | group order | all elements verified | seconds |",
            "|---|---|---|---|---|---|---|"]
    cases = [("C7 rotation", 1000, "function", lambda: (c7_task(1000)[0], None, c7_function)),
             ("C7 rotation", 5000, "data (k-NN)",
              lambda: (*c7_task(5000), None)),
             ("x0·x1·x2 + x0 + x1 + x2", 500, "function",
              lambda: (torch.randn(500, 3, dtype=torch.float64), None, lambda z: z.prod(1) + z.sum(1)))]
    for name, n, source, make in cases:
        x, y, f = make()
        t = time.perf_counter()
        found = discover_finite_group(x, y, f)
        names = ", ".join(c.name for c in found.accepted) or "none"
        rows.append(f"| {name} | {n} | {source} | {names} | {found.order} | {found.verified} | "
                    f"{time.perf_counter() - t:.1f} |")
    return rows


def modified_inertia(quick: bool) -> tuple[list[str], dict]:
    import sympy

    from invariants import load_spec
    from invariants.groups.compact import O3
    from invariants.covariants.covariants import covariant_generators_up_to
    from neural.baselines import MLP
    from neural.models import EquivariantModel
    from neural.symmetry.near import fit_residual_pathway
    from neural.symmetry.tasks import modified_inertia as task
    from neural.training import evaluate, fit

    spec = {"group": "O(3)", "irreps": ["0e"] * 5 + ["1o"] * 5}
    gens = covariant_generators_up_to(load_spec(spec), O3().irrep("1o") * O3().irrep("1o"), 2)
    variables = list(sympy.symbols("x0:20"))
    trials = 1 if quick else 3
    epochs = 60 if quick else 900
    results: dict[str, list[float]] = {"strict O(3) (ours)": [], "MLP": [], "residual pathway (ours)": []}
    chosen = []
    for seed in range(trials):
        train, test = task(1000, seed=seed), task(1000, seed=1000 + seed)
        tr, va = (train.X[:800], train.Y[:800]), (train.X[800:], train.Y[800:])
        opts = dict(progress=False, epochs=epochs, seed=seed)

        def strict():
            return EquivariantModel(spec, gens, variables, degree_bound=2, normalize=None).fit_features(tr[0])

        model = strict()
        fit(model, tr, va, **opts)
        results["strict O(3) (ours)"].append(evaluate(model, (test.X, test.Y)))
        mlp = MLP(20, 9).double()
        fit(mlp, tr, va, **opts)
        results["MLP"].append(evaluate(mlp, (test.X, test.Y)))
        rpp, scores, _ = fit_residual_pathway(strict, lambda: MLP(20, 9).double(), tr, va,
                                             penalties=(1e-2, 1e-4, 1e-6), **opts)
        results["residual pathway (ours)"].append(evaluate(rpp, (test.X, test.Y)))
        chosen.append(rpp.penalty)
    rows = ["| model | test MSE (mean ± std over trials) | RPP paper |", "|---|---|---|"]
    anchors = {"strict O(3) (ours)": "strict EMLP 1.19", "MLP": "4.79", "residual pathway (ours)": "below 1.19"}
    for name, vals in results.items():
        v = torch.tensor(vals, dtype=torch.float64)
        std = float(v.std()) if len(vals) > 1 else 0.0
        rows.append(f"| {name} | {float(v.mean()):.3g} ± {std:.2g} | {anchors[name]} |")
    rows.append("")
    rows.append(f"Train 800 + validation 200 (the penalty and the best epoch chosen on it) of RPP's 1000; "
                f"test 1000; {trials} trial(s), {epochs} epochs; penalties chosen: {chosen}.")
    return rows, results


def windy_pendulum() -> list[str]:
    from neural.datasets.pendulum import hamiltonian
    from bridge import axial
    from bridge import load_spec
    from neural.symmetry.near import symmetry_violation

    z = torch.randn(2000, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 0.5
    wind = torch.tensor([8.0, 5.0, 0.0], dtype=torch.float64)

    def windy(x):
        return hamiltonian(x)[:, None] + 0.01 * (x[:, 0:3] @ wind + x[:, 3:6] @ wind)[:, None]

    def calm(x):
        return hamiltonian(x)[:, None]

    sample = lambda k: axial(k, generator=torch.Generator().manual_seed(1))  # noqa: E731
    rows = ["| Hamiltonian | violation of O(2) about z |", "|---|---|"]
    for name, h in (("double spring pendulum", calm), ("windy (wind 0.01·(8, 5, 0)·x per mass)", windy)):
        rows.append(f"| {name} | {symmetry_violation(h, z, sample, load_spec("O(3):4xv"), load_spec("O(3):0"), draws=32):.3g} |")
    return rows


def orbits(quick: bool) -> list[str]:
    from neural.symmetry.orbits import (OrbitClassifier, PointCloudInvariants, accuracy, fit_classifier,
                                        template_clouds)

    n_train, n_test = (200, 200) if quick else (1000, 1000)
    x, y = template_clouds(n_train, rotate=False, permute=False, seed=0)
    xv, yv = template_clouds(200, rotate=False, permute=False, seed=1)
    xt, yt = template_clouds(n_test, rotate=False, permute=False, seed=2)
    xr, yr = template_clouds(n_test, rotate=True, permute=True, seed=2)
    rows = ["| model | accuracy, test unrotated | accuracy, test rotated + permuted |", "|---|---|---|"]
    for name, model in (("O(3)×S_8 invariants → MLP (ours)", OrbitClassifier(PointCloudInvariants(8), 4)),
                        ("MLP on coordinates", OrbitClassifier(torch.nn.Flatten(), 4, in_features=24))):
        fit_classifier(model, x, y, xv, yv, epochs=60 if quick else 200, seed=0)
        rows.append(f"| {name} | {accuracy(model, xt, yt):.3f} | {accuracy(model, xr, yr):.3f} |")
    return rows


def canonicalisation() -> list[str]:
    from bridge import orthogonal
    from neural.symmetry.canonical import canonicalize_points, canonicalize_rotation

    gen = torch.Generator().manual_seed(0)
    x = torch.randn(1000, 8, 3, dtype=torch.float64, generator=gen)
    g = orthogonal(3, 1000, special=True, generator=gen)
    perm = torch.stack([torch.randperm(8, generator=gen) for _ in range(1000)])
    moved = torch.einsum("bij,bkj->bki", g, x)
    shuffled = torch.gather(moved, 1, perm[..., None].expand(-1, -1, 3))
    rows = ["| group | clouds | max ‖s(x) − s(g·x)‖ | max ‖x − g s‖ | degenerate reported |", "|---|---|---|---|---|"]
    a, b = canonicalize_rotation(x), canonicalize_rotation(moved)
    rows.append(f"| SO(3) | 1000 | {float((a.s - b.s).abs().max()):.2e} | {float((b.reconstruct() - moved).abs().max()):.2e} | "
                f"{int(b.degenerate.sum())} |")
    a, b = canonicalize_points(x), canonicalize_points(shuffled)
    rows.append(f"| SO(3) × S_8 | 1000 | {float((a.s - b.s).abs().max()):.2e} | "
                f"{float((b.reconstruct() - shuffled).abs().max()):.2e} | {int(b.degenerate.sum())} |")
    line = torch.randn(10, 1, 3, dtype=torch.float64, generator=gen) * torch.randn(10, 8, 1, dtype=torch.float64,
                                                                                 generator=gen)
    rows.append(f"| SO(3), collinear clouds | 10 | — | {float((canonicalize_rotation(line).reconstruct() - line).abs().max()):.2e} | "
                f"{int(canonicalize_rotation(line).degenerate.sum())} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sections", default=None,
                        help="comma-separated subset: continuous,finite,inertia,pendulum,orbits,canonical "
                             "(written to symmetry-<sections>.md)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    sections = []
    runners = {
        "continuous": ("Continuous symmetry discovery (true generators: so(5) on both vectors; one rotation of the "
                       "four planar vectors; x∂y − y∂x on the grid)", lambda: continuous(args.quick)),
        "finite": ("Finite symmetry discovery", lambda: finite(args.quick)),
        "inertia": ("Near-symmetry: ModifiedInertia, N = 1000", lambda: modified_inertia(args.quick)[0]),
        "pendulum": ("Near-symmetry: symmetry violation of the pendulum Hamiltonians", windy_pendulum),
        "orbits": ("Orbits: template point clouds (8 points, 4 classes), trained unrotated", lambda: orbits(args.quick)),
        "canonical": ("Canonicalisation", canonicalisation),
    }
    chosen = args.sections.split(",") if args.sections else list(runners)
    unknown = set(chosen) - set(runners)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {list(runners)}")
    for key in chosen:
        title, run = runners[key]
        t = time.perf_counter()
        rows = run()
        sections.append((title, rows, time.perf_counter() - t))
    out = [f"# Learning with symmetry: the anchors' tasks{' (quick)' if args.quick else ''}", "",
           f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
           f"- machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
           f"torch {torch.__version__}, 1 thread",
           f"- command: `python benchmarks/symmetry.py{' --quick' if args.quick else ''}"
           f"{' --sections ' + args.sections if args.sections else ''}`",
           f"- wall time: {time.perf_counter() - start:.0f} s", ""]
    for title, rows, seconds in sections:
        out += [f"## {title}", "", *rows, "", f"({seconds:.0f} s)", ""]
    name = "symmetry" + ("-" + "-".join(chosen) if args.sections else "") + ("-quick" if args.quick else "") + ".md"
    path = ROOT / "benchmarks" / "results" / name
    path.write_text("\n".join(out))
    print("\n".join(out))
    print("wrote", path)


if __name__ == "__main__":
    main()
