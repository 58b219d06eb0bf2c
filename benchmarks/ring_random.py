"""Minimal generators of random permutation groups, in their permutation basis and in a random
other basis, against Singular, side by side (the groups no table here names).

    python benchmarks/ring_random.py              # 14 seeds
    python benchmarks/ring_random.py --seeds 4    # fewer

Each seed draws n in {5, 6, 7} points, one or two random permutations of them, and an integer
matrix P with entries in {-1, 0, 1} and det P != 0; the second row of the seed is the same group
conjugated, P g P^-1, where no basis invariant is an orbit sum.  Groups of order above 120 are
skipped.  Times and the comparison of generator degrees are those of `benchmarks/ring.py` (a fresh
process per system and group, compute time with start-up subtracted, the best of three
processes under 2 s).  Results:
benchmarks/results/ring_random.md and .json.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ring import best_of, fmt, ratio, run_ours, run_singular, startup_time  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def groups(seed: int) -> tuple[int, list[sympy.Matrix], list[sympy.Matrix]]:
    """n, the permutation matrices and the same group in another basis."""
    rng = random.Random(seed)
    n = rng.choice([5, 6, 7])
    perms = [rng.sample(range(n), n) for _ in range(rng.choice([1, 2]))]
    gens = [sympy.Matrix(n, n, lambda i, j, p=p: 1 if p[i] == j else 0) for p in perms]
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randint(-1, 1))
        if P.det() != 0:
            return n, gens, [P * g * P.inv() for g in gens]


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=14)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args(argv)
    start = startup_time(lambda: run_singular(None, "generators", 60))
    rows = []
    for seed in range(args.seeds):
        n, perm, other = groups(seed)
        for basis, mats in (("permutation", perm), ("another", other)):
            entries = [[[str(x) for x in row] for row in m.tolist()] for m in mats]
            ours = best_of(lambda: run_ours("MatrixGroup(" + json.dumps(entries) + ")", "generators", args.timeout))
            if ours.get("order", 0) > 120:
                break
            theirs = best_of(lambda: run_singular(entries, "generators", args.timeout, start))
            agree = (ours.get("gen") == theirs.get("gen")) if "gen" in ours and "gen" in theirs else None
            rows.append({"seed": seed, "n": n, "basis": basis, "order": ours.get("order"), "ours": fmt(ours),
                         "singular": fmt(theirs), "ratio": ratio(theirs, ours), "agree": agree,
                         "generators": len(ours.get("gen", [])), "certified": ours.get("certified"),
                         "ours_s": ours.get("time"), "singular_s": theirs.get("time")})
            print(json.dumps(rows[-1]), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ring_random.json").write_text(json.dumps(rows, indent=1))
    lines = ["# Minimal generators of random permutation groups, in two bases: molien vs Singular", "",
             f"Singular start-up subtracted: {start:.2f} s; {args.timeout:.0f} s per system and group.", "",
             __doc__.split("\n\n", 2)[2].strip(), "",
             "| seed | n | basis | order | ours | Singular | Singular/ours | generators | degrees agree | certified |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['seed']} | {r['n']} | {r['basis']} | {r['order']} | {r['ours']} | {r['singular']} | {r['ratio']} "
              f"| {r['generators']} | {'yes' if r['agree'] else '—' if r['agree'] is None else '**no**'} "
              f"| {r['certified']} |" for r in rows]
    agree = sum(bool(r["agree"]) for r in rows)
    lines += ["", f"Generator degrees agree with Singular's in {agree} of {len(rows)} rows."]
    (RESULTS / "ring_random.md").write_text("\n".join(lines) + "\n")
    return rows


if __name__ == "__main__":
    main()
