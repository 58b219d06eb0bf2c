"""Minimal generators (or Hironaka decompositions) of random permutation groups, in their
permutation basis and in a random other basis, against Singular, side by side (the groups no table
here names).

    python benchmarks/ring_random.py                      # 14 seeds, minimal generators
    python benchmarks/ring_random.py --task hironaka      # primary and secondary invariants
    python benchmarks/ring_random.py --seeds 4            # fewer

Each seed draws n in {5, 6, 7} points, one or two random permutations of them, and an integer
matrix P with entries in {-1, 0, 1} and det P != 0; the second row of the seed is the same group
conjugated, P g P^-1, where no basis invariant is an orbit sum.  Groups of order above 120 are
skipped.  Times and the comparison of generator degrees are those of `benchmarks/ring.py` (a fresh
process per system and group, compute time with start-up subtracted, the best of three
processes under 2 s); for Hironaka decompositions ours is certified (`hironaka_certified`)
and Singular's is `invariant_ring` (finvar.lib).  Results:
benchmarks/results/ring_random.md and .json (``--task hironaka``: ring_random-hironaka.md, .json).
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
    ap.add_argument("--task", choices=("generators", "hironaka"), default="generators")
    args = ap.parse_args(argv)
    task = args.task
    start = startup_time(lambda: run_singular(None, task, 60))
    rows = []
    for seed in range(args.seeds):
        n, perm, other = groups(seed)
        for basis, mats in (("permutation", perm), ("another", other)):
            entries = [[[str(x) for x in row] for row in m.tolist()] for m in mats]
            ours = best_of(lambda: run_ours("MatrixGroup(" + json.dumps(entries) + ")", task, args.timeout))
            if ours.get("order", 0) > 120:
                break
            theirs = best_of(lambda: run_singular(entries, task, args.timeout, start))
            row = {"seed": seed, "n": n, "basis": basis, "order": ours.get("order"), "ours": fmt(ours),
                   "singular": fmt(theirs), "ratio": ratio(theirs, ours), "ours_s": ours.get("time"),
                   "singular_s": theirs.get("time")}
            if task == "generators":
                row.update(agree=(ours.get("gen") == theirs.get("gen")) if "gen" in ours and "gen" in theirs else None,
                           generators=len(ours.get("gen", [])), certified=ours.get("certified"))
            else:
                row.update(primaries=ours.get("prim"), secondaries=len(ours.get("sec", [])),
                           certified=ours.get("certified"))
            rows.append(row)
            print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    name = "ring_random" if task == "generators" else "ring_random-hironaka"
    (RESULTS / f"{name}.json").write_text(json.dumps(rows, indent=1))
    what = "Minimal generators" if task == "generators" else "Hironaka decompositions"
    lines = [f"# {what} of random permutation groups, in two bases: molien vs Singular", "",
             f"Singular start-up subtracted: {start:.2f} s; {args.timeout:.0f} s per system and group.", "",
             __doc__.split("\n\n", 2)[2].strip(), ""]
    if task == "generators":
        lines += ["| seed | n | basis | order | ours | Singular | Singular/ours | generators | degrees agree | certified |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['seed']} | {r['n']} | {r['basis']} | {r['order']} | {r['ours']} | {r['singular']} "
                  f"| {r['ratio']} | {r['generators']} "
                  f"| {'yes' if r['agree'] else '—' if r['agree'] is None else '**no**'} | {r['certified']} |"
                  for r in rows]
        agree = sum(bool(r["agree"]) for r in rows)
        lines += ["", f"Generator degrees agree with Singular's in {agree} of {len(rows)} rows."]
    else:
        lines += ["| seed | n | basis | order | ours | Singular | Singular/ours | our primary degrees | secondaries "
                  "| certified |", "|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['seed']} | {r['n']} | {r['basis']} | {r['order']} | {r['ours']} | {r['singular']} "
                  f"| {r['ratio']} | {r['primaries']} | {r['secondaries']} | {r['certified']} |" for r in rows]
        done = sum(r["certified"] is True for r in rows)
        lines += ["", f"Certified Hironaka decompositions: {done} of {len(rows)} rows."]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    return rows


if __name__ == "__main__":
    main()
