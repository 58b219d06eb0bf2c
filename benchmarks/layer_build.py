"""How long an invariant layer takes to build, cold and from the disk cache.

    python benchmarks/layer_build.py            # the catalogue's common cases and a few hard ones
    python benchmarks/layer_build.py --quick    # three cases

Each case runs in a fresh Python process (imports of torch and sympy excluded from the times):
``cold`` with an empty ``$MOLIEN_CACHE_DIR`` (the engine computes the generators; classical
groups by their first fundamental theorem, others by the ring computation), ``cached`` in a second
process on the same cache folder (the exact generators read back from JSON).  ``first call``
is the first forward pass on 1000 samples, which compiles the fused kernel when it is not cached
yet (cold) or loads it (cached).  Results: ``benchmarks/results/layer_build.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

COMMON = ["SO(3):2xv", "SO(3):4xv", "SO(3):6xv", "SO(3):8xv", "O(3):4xv", "O(3):8xv", "O(2):6xv",
          "O(4):3xv", "O(5):4xv", "SO(4):3xv", "symmetric(4)", "symmetric(6)", "symmetric(8)"]
HARD = ["SO(3):2x2", "dihedral(6)", "W(F4)"]

PROBE = """
import json, sys, time
import torch, sympy
from bridge import invariant_layer
start = time.perf_counter()
layer = invariant_layer(sys.argv[1])
built = time.perf_counter() - start
x = torch.randn(1000, layer.polys.n_inputs, dtype=torch.float64)
start = time.perf_counter()
layer(x)
print(json.dumps({"build_s": built, "first_call_s": time.perf_counter() - start,
                  "generators": len(layer.polynomials)}))
"""


def measure(spec: str, cache: str) -> dict:
    env = {**os.environ, "MOLIEN_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", PROBE, spec], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default="layer_build")
    args = parser.parse_args(argv)
    cases = ["SO(3):4xv", "O(3):8xv", "symmetric(6)"] if args.quick else COMMON + HARD
    rows = []
    for spec in cases:
        with tempfile.TemporaryDirectory() as cache:
            cold = measure(spec, cache)
            warm = measure(spec, cache)
        rows.append({"spec": spec, "generators": cold["generators"], "cold_s": cold["build_s"],
                     "cached_s": warm["build_s"], "first_call_cold_s": cold["first_call_s"],
                     "first_call_cached_s": warm["first_call_s"]})
        print(f"{spec}: {rows[-1]}", file=sys.stderr)
    lines = [f"# Invariant layer build times\n\nRun {time.strftime('%Y-%m-%d %H:%M')} UTC; each case in a fresh "
             "process, imports excluded; `cold` with an empty cache folder, `cached` from the disk cache; "
             "first call = first forward on 1000 samples (compiles or loads the fused kernel).\n",
             "| layer | generators | cold build (s) | cached build (s) | first call cold (s) | first call cached (s) |",
             "|---|---|---|---|---|---|"]
    lines += [f"| `{r['spec']}` | {r['generators']} | {r['cold_s']:.3f} | {r['cached_s']:.3f} | "
              f"{r['first_call_cold_s']:.2f} | {r['first_call_cached_s']:.3f} |" for r in rows]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.out}.md").write_text("\n".join(lines) + "\n")
    (RESULTS / f"{args.out}.json").write_text(json.dumps(rows, indent=1))
    print("\n".join(lines))
    return rows


if __name__ == "__main__":
    main()
