"""`molien ring SPEC --json` over a sweep of the catalogue: every run finishes, refuses with an
estimate, or says on stderr what it is computing within 60 s (#21).

    python benchmarks/ring_catalogue.py              # the sweep (a few minutes)
    python benchmarks/ring_catalogue.py --limit 90   # wall-time limit per spec (default 90 s)

Each spec runs in a fresh process with the default parts (minimal generators, and the Hironaka
decomposition when its estimate is cheap).  Recorded: the outcome (finished / refused / killed at
the limit), the wall time, the first stderr progress line and when it appeared, and what the
JSON says (generator count, whether the decomposition was computed or skipped, certified).
Written to benchmarks/results/ring_catalogue.md.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SPECS = ([f"cyclic({n}, permutation)" for n in range(3, 11)] + [f"symmetric({n})" for n in (3, 5, 8, 12)]
         + [f"alternating({n})" for n in (4, 5, 6)] + [f"dihedral({n})" for n in (3, 8, 12)]
         + [f"signed_permutations({n})" for n in (3, 5)] + ["even_signed_permutations(4)"]
         + ["weyl(A4)", "weyl(D5)", "weyl(F4)", "weyl(E6)", "weyl(E7)", "weyl(E8)", "coxeter(H3)", "coxeter(H4)",
            "coxeter(I2(7))", "A2xB3", "G(3,3,5)", "cyclic(5, diagonal)", "quaternion", "binary_dihedral(3)",
            "binary_tetrahedral", "binary_octahedral", "binary_icosahedral",
            "SO(3):2x1", "SO(3):3x1", "O(3):2x1o", "SU(2):4", "SU(2):1,2", "U(1):1,-1,2,-2", "O(2):2xv"])


def run(spec: str, limit: float) -> dict:
    cmd = [sys.executable, "-m", "invariants.cli", "ring", spec, "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    first: dict = {}

    def watch() -> None:
        for line in proc.stderr:
            if line.strip() and "progress" not in first:
                first["progress"], first["at"] = line.strip(), time.perf_counter() - t0
            first.setdefault("lines", []).append(line.strip())

    chunks: list[str] = []
    readers = [threading.Thread(target=watch, daemon=True),
               threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)]
    for r in readers:
        r.start()
    try:
        proc.wait(timeout=limit)
        status = "finished" if proc.returncode == 0 else "refused" if proc.returncode == 2 else f"rc {proc.returncode}"
    except subprocess.TimeoutExpired:
        proc.kill()
        status = "killed at the limit"
    wall = time.perf_counter() - t0
    for r in readers:
        r.join(timeout=5)
    out = "".join(chunks)
    row = {"spec": spec, "status": status, "wall": wall, "progress": first.get("progress"),
           "progress_at": first.get("at")}
    if status == "finished":
        data = json.loads(out)
        row.update(generators=len(data.get("generators", [])), hironaka="primary_degrees" in data,
                   certified=data["certified"])
    elif status == "refused":
        row["message"] = (first.get("lines") or [""])[-1][:160]
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=90)
    args = ap.parse_args(argv)
    rows = []
    for spec in SPECS:
        rows.append(run(spec, args.limit))
        print(rows[-1], flush=True)
    silent = [r for r in rows if r["wall"] > 60 and (r["progress_at"] is None or r["progress_at"] > 60)]
    lines = ["# `molien ring` over the catalogue", "",
             f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}",
             f"- limit per spec: {args.limit:.0f} s (whole process)", "",
             __doc__.split("\n\n", 2)[2].strip(), "",
             f"**{sum(r['status'] == 'finished' for r in rows)} finished, "
             f"{sum(r['status'] == 'refused' for r in rows)} refused with an estimate, "
             f"{sum(r['status'] == 'killed at the limit' for r in rows)} still running at the limit; "
             f"{len(silent)} ran past 60 s without a progress line.**", "",
             "| spec | outcome | wall | first progress line (at) | generators | Hironaka | certified |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        progress = f"{r['progress'][:70]} ({r['progress_at']:.0f} s)" if r["progress"] and r["status"] != "refused" \
            else (r.get("message", "")[:90] if r["status"] == "refused" else "—")
        lines.append(f"| `{r['spec']}` | {r['status']} | {r['wall']:.1f} s | {progress} | {r.get('generators', '—')} | "
                     f"{'computed' if r.get('hironaka') else 'skipped' if r['status'] == 'finished' else '—'} | "
                     f"{r.get('certified', '—')} |")
    out = ROOT / "benchmarks" / "results" / "ring_catalogue.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
