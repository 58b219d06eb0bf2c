"""Time molien's invariant rings against Singular and Macaulay2, side by side, on the same groups.

    python benchmarks/ring.py            # all groups (each system gets --timeout seconds a group)
    python benchmarks/ring.py --quick    # a few small groups

ours = a fresh group + `invariant_ring(G)` primaries, secondaries and minimal generators (run in
a subprocess so a slow case is cut off at the timeout); Singular = whole `Singular -q` process
running `invariant_ring` (Hironaka decomposition) and `invariant_algebra_reynolds` (minimal
generators); M2 = whole `M2 --script` process running `invariants G`. Start-up is included for
the oracles (Singular ~0.05 s, Macaulay2 ~0.3 s), so small groups flatter us. The table is
written to benchmarks/results/ring.md.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

GROUPS = {  # name -> python expression building the group (evaluated in a fresh process)
    "C4 rotation": "cyclic(4)",
    "D4": "dihedral(4)",
    "S4": "symmetric(4)",
    "A4": "alternating(4)",
    "Z4 (Sturmfels)": "MatrixGroup([[[0,1,0],[-1,0,0],[0,0,-1]]])",
    "C5 shift on R^5": "cyclic(5, form='permutation')",
    "C6 shift on R^6": "cyclic(6, form='permutation')",
    "C8 shift on R^8": "cyclic(8, form='permutation')",
    "Q8 on R^4": "MatrixGroup([[[0,-1,0,0],[1,0,0,0],[0,0,0,-1],[0,0,1,0]], [[0,0,-1,0],[0,0,0,1],[1,0,0,0],[0,-1,0,0]]])",
    "S4 on tetrahedron edges": "edges_s4()",
    "W(B3)": "coxeter('B3')",
    "W(F4)": "coxeter('F4')",
    "W(E6)": "coxeter('E6')",
}
QUICK = ["C4 rotation", "A4", "Z4 (Sturmfels)", "Q8 on R^4"]

PRELUDE = """
import itertools, json, sys, time
from invariants import MatrixGroup
from invariants.catalogue import *
from invariants.ring import invariant_ring

def edges_s4():
    pairs = list(itertools.combinations(range(4), 2))
    def mat(p):
        m = [[0] * 6 for _ in range(6)]
        for j, (a, b) in enumerate(pairs):
            img = tuple(sorted((p[a], p[b])))
            m[pairs.index(img)][j] = 1
        return m
    return MatrixGroup([mat((1, 0, 2, 3)), mat((1, 2, 3, 0))], name="S4 on edges")
"""


def run_ours(expr: str, timeout: float) -> dict:
    code = PRELUDE + f"""
G = {expr}
t0 = time.perf_counter()
R = invariant_ring(G)
out = {{"prim": R.primary_degrees, "sec": R.secondary_degrees, "gen": R.generator_degrees,
        "order": G.order(), "certified": R.certificate.certified}}
out["time"] = time.perf_counter() - t0
print("@@" + json.dumps(out))
"""
    try:
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    for line in res.stdout.splitlines():
        if line.startswith("@@"):
            return {"status": "ok", **json.loads(line[2:])}
    return {"status": "error: " + (res.stderr.strip().splitlines() or ["?"])[-1][:60]}


def generators_of(expr: str) -> list:
    code = PRELUDE + f"\nG = {expr}\nprint('@@' + json.dumps([[[str(x) for x in row] for row in g.to_sympy().tolist()] for g in G.generators]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    return json.loads(next(l for l in out.splitlines() if l.startswith("@@"))[2:])


def run_singular(gens: list, timeout: float) -> dict:
    if not shutil.which("Singular"):
        return {"status": "not installed"}
    n = len(gens[0])
    names = [f"A{i}" for i in range(len(gens))]
    lines = ['LIB "finvar.lib";', f"ring R = 0, (x(1..{n})), dp;"]
    lines += [f"matrix {nm}[{n}][{n}] = {','.join(x for row in g for x in row)};" for nm, g in zip(names, gens)]
    lines += [f"matrix P, S, IS = invariant_ring({', '.join(names)});", f"list L = group_reynolds({', '.join(names)});",
              "matrix G = invariant_algebra_reynolds(L[1], 0);", "int i; string s = \"GEN\";",
              "for (i = 1; i <= ncols(G); i++) { s = s + \" \" + string(deg(G[1,i])); }", "print(s);", "quit;"]
    return _run_process(["Singular", "-q"], "\n".join(lines), ".sing", timeout)


def run_m2(gens: list, timeout: float) -> dict:
    if not shutil.which("M2"):
        return {"status": "not installed"}
    n = len(gens[0])
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(row) + "}" for row in g) + "}" for g in gens)
    script = (f'loadPackage "InvariantRing";\nR = QQ[x_1..x_{n}];\nG = finiteAction({{{mats}}}, R);\n'
              'I = invariants G;\nprint("GEN " | toString(sort apply(I, f -> first degree f)));\n')
    return _run_process(["M2", "--script"], script, ".m2", timeout)


def _run_process(cmd: list, script: str, suffix: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("job" + suffix)
        path.write_text(script)
        t0 = time.perf_counter()
        try:
            res = subprocess.run(cmd + [str(path)], capture_output=True, text=True, timeout=timeout,
                                 stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"status": "timeout"}
        wall = time.perf_counter() - t0
    for line in res.stdout.splitlines():
        if line.startswith("GEN"):
            degs = sorted(int(x) for x in line[3:].replace("{", " ").replace("}", " ").replace(",", " ").split())
            return {"status": "ok", "time": wall, "gen": degs}
    return {"status": "error"}


def fmt(r: dict) -> str:
    return f"{r['time']:.2f} s" if r.get("status") == "ok" else r.get("status", "?")


def ratio(other: dict, ours: dict) -> str:
    if other.get("status") == "ok" and ours.get("status") == "ok" and ours["time"] > 0:
        return f"{other['time'] / ours['time']:.2f}×"
    return "—"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args(argv)
    names = QUICK if args.quick else list(GROUPS)
    header = ["group", "order", "ours", "Singular", "M2", "Singular/ours", "M2/ours", "our gen degrees",
              "agree (Singular, M2)"]
    rows = []
    for name in names:
        expr = GROUPS[name]
        ours = run_ours(expr, args.timeout)
        gens = generators_of(expr)
        sg, m2 = run_singular(gens, args.timeout), run_m2(gens, args.timeout)
        agree = ", ".join(("yes" if r["gen"] == ours.get("gen") else "**no**") if r.get("status") == "ok"
                          and ours.get("status") == "ok" else "—" for r in (sg, m2))
        rows.append([name, str(ours.get("order", "?")), fmt(ours), fmt(sg), fmt(m2), ratio(sg, ours), ratio(m2, ours),
                     str(ours.get("gen", "—")), agree])
        print(" | ".join(rows[-1]), flush=True)
    lines = ["# Invariant rings: molien vs Singular and Macaulay2" + (" (quick)" if args.quick else ""), "",
             f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}",
             f"- timeout per system and group: {args.timeout:.0f} s", "",
             __doc__.split("\n\n", 2)[2].strip(), "",
             "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    out = ROOT / "benchmarks" / "results" / ("ring-quick.md" if args.quick else "ring.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
