"""Time molien's invariant rings against Singular and Macaulay2, side by side, on the same groups.

    python benchmarks/ring.py            # all groups (each system gets --timeout seconds a task)
    python benchmarks/ring.py --quick    # a few small groups

Two tasks, each run in a fresh process per system and group:

- **Hironaka decomposition** (primary and secondary invariants, proven): ours =
  `invariant_ring(G)` primaries (with their hsop proof) + secondaries + the series identity
  (`hironaka_certified`; the generators are not computed); Singular = `invariant_ring`
  (finvar.lib); Macaulay2 = `hironakaDecomposition` (InvariantRing, Kemper's primaries); the
  series Σ t^{deg s}/∏(1 − t^{deg p}) of Macaulay2's decomposition is compared with ours.
- **minimal generators**: ours = `invariant_ring(G).generators` with their certificate (Noether's
  bound or the Hironaka one); Singular = `group_reynolds` + `invariant_algebra_reynolds`;
  Macaulay2 = `invariants finiteAction(...)` (King's algorithm).

Times are compute times, each the best of three fresh processes when one takes under 2 s (the
first otherwise), for every system alike: ours is measured inside the process after imports and
one tiny warm-up ring (which loads the modules imported lazily); for the oracles the
wall time of the process minus its start-up with the library loaded (measured once per run, a
trivial script, stated below), so start-up flatters neither side.  The "whole process" ratios
compare wall times of whole processes instead (our Python, flint and sympy imports, about 1 s,
included; Singular and Macaulay2 start-up included).  The generator degrees of the three systems
are compared.  The table is written to
benchmarks/results/ring.md.
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
    "C7 shift on R^7": "cyclic(7, form='permutation')",
    "C7:C3 on R^7": "frobenius21()",
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
from invariants.rings.ring import invariant_ring

def edges_s4():
    pairs = list(itertools.combinations(range(4), 2))
    def mat(p):
        m = [[0] * 6 for _ in range(6)]
        for j, (a, b) in enumerate(pairs):
            img = tuple(sorted((p[a], p[b])))
            m[pairs.index(img)][j] = 1
        return m
    return MatrixGroup([mat((1, 0, 2, 3)), mat((1, 2, 3, 0))], name="S4 on edges")

def frobenius21():
    from invariants.catalogue.classical import permutation_matrix
    return MatrixGroup([permutation_matrix([(i + 1) % 7 for i in range(7)]),
                        permutation_matrix([(2 * i) % 7 for i in range(7)])], name="C7:C3")
"""


def run_ours(expr: str, task: str, timeout: float) -> dict:
    work = ("R = invariant_ring(G)\nout = {'prim': R.primary_degrees, 'sec': R.secondary_degrees, "
            "'certified': R.hironaka_certified}" if task == "hironaka" else
            "R = invariant_ring(G)\nout = {'gen': R.generator_degrees, 'certified': R.generators_certificate.complete}")
    code = PRELUDE + f"""
_warm = invariant_ring(MatrixGroup([[[0, -1], [1, 0]]]))  # loads what is imported lazily (cf. oracle start-up)
_warm.secondary_degrees, _warm.generator_degrees, _warm.certificate
G = {expr}
t0 = time.perf_counter()
{work}
out["time"] = time.perf_counter() - t0
out["order"] = G.order()
print("@@" + json.dumps(out))
"""
    t0 = time.perf_counter()
    try:
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    wall = time.perf_counter() - t0
    for line in res.stdout.splitlines():
        if line.startswith("@@"):
            return {"status": "ok", "wall": wall, **json.loads(line[2:])}
    last = (res.stderr.strip().splitlines() or ["?"])[-1]
    if "TooLargeError" in last:  # a size guard refused before starting (e.g. an hsop proof past max_hsop_bezout)
        return {"status": "refused (size guard)"}
    return {"status": "error: " + last[:60]}


def generators_of(expr: str) -> list:
    code = PRELUDE + f"\nG = {expr}\nprint('@@' + json.dumps([[[str(x) for x in row] for row in g.to_sympy().tolist()] for g in G.generators]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    return json.loads(next(l for l in out.splitlines() if l.startswith("@@"))[2:])


def singular_script(gens: list | None, task: str) -> str:
    """A Singular job: the task on the group (or only start-up and the library when gens is None)."""
    n = len(gens[0]) if gens else 2
    lines = ['LIB "finvar.lib";', f"ring R = 0, (x(1..{n})), dp;"]
    if gens is None:
        return "\n".join(lines + ['print("GEN");', "quit;"])
    names = [f"A{i}" for i in range(len(gens))]
    lines += [f"matrix {nm}[{n}][{n}] = {','.join(x for row in g for x in row)};" for nm, g in zip(names, gens)]
    if task == "hironaka":
        lines += [f"matrix P, S, IS = invariant_ring({', '.join(names)});", 'print("GEN");']
    else:
        lines += [f"list L = group_reynolds({', '.join(names)});", "matrix G = invariant_algebra_reynolds(L[1], 0);",
                  'int i; string s = "GEN";', "for (i = 1; i <= ncols(G); i++) { s = s + \" \" + string(deg(G[1,i])); }",
                  "print(s);"]
    return "\n".join(lines + ["quit;"])


def m2_script(gens: list | None, task: str = "generators") -> str:
    n = len(gens[0]) if gens else 2
    head = f'loadPackage "InvariantRing";\nR = QQ[x_1..x_{n}];\n'
    if gens is None:
        return head + 'print("GEN");\n'
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(row) + "}" for row in g) + "}" for g in gens)
    head += f"G = finiteAction({{{mats}}}, R);\n"
    if task == "hironaka":
        return head + ("(P, S) = hironakaDecomposition G;\n"
                       'print("PRIM " | toString(apply(P, f -> first degree f)));\n'
                       'print("SEC " | toString(apply(S, f -> first degree f)));\nprint("GEN");\n')
    return head + 'I = invariants G;\nprint("GEN " | toString(sort apply(I, f -> first degree f)));\n'


def _degrees(text: str) -> list[int]:
    return sorted(int(x) for x in text.replace("{", " ").replace("}", " ").replace(",", " ").split())


def run_singular(gens: list | None, task: str, timeout: float, startup: float = 0.0) -> dict:
    if not shutil.which("Singular"):
        return {"status": "not installed"}
    return _run_process(["Singular", "-q"], singular_script(gens, task), ".sing", timeout, startup)


def run_m2(gens: list | None, timeout: float, startup: float = 0.0, task: str = "generators") -> dict:
    if not shutil.which("M2"):
        return {"status": "not installed"}
    return _run_process(["M2", "--script"], m2_script(gens, task), ".m2", timeout, startup)


def _run_process(cmd: list, script: str, suffix: str, timeout: float, startup: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("job" + suffix)
        path.write_text(script)
        t0 = time.perf_counter()
        try:
            res = subprocess.run(cmd + [str(path)], capture_output=True, text=True, timeout=timeout + startup,
                                 stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"status": "timeout"}
        wall = time.perf_counter() - t0
    out: dict = {}
    for line in res.stdout.splitlines():
        for key in ("PRIM", "SEC"):
            if line.startswith(key + " "):
                out[key.lower()] = _degrees(line[len(key):])
        if line.startswith("GEN"):
            return {"status": "ok", "time": max(wall - startup, 1e-3), "wall": wall, "gen": _degrees(line[3:]), **out}
    return {"status": "error"}


def best_of(run, repeats: int = 3, below: float = 2.0) -> dict:
    """The run with the smallest time among ``repeats`` when the first takes under ``below``
    seconds of wall time (timings of a few milliseconds vary by tens of percent from one process
    to the next; every system is treated alike), else the first."""
    first = run()
    if first.get("status") != "ok" or first["wall"] >= below:
        return first
    return min([first] + [r for r in (run() for _ in range(repeats - 1)) if r.get("status") == "ok"],
               key=lambda r: r["time"])


def startup_time(run, repeats: int = 3) -> float:
    """The smallest wall time of a trivial job (start-up with the library loaded)."""
    times = [r["wall"] for r in (run() for _ in range(repeats)) if r.get("status") == "ok"]
    return min(times) if times else 0.0


def fmt(r: dict) -> str:
    return f"{r['time']:.3f} s" if r.get("status") == "ok" else r.get("status", "?")


def ratio(other: dict, ours: dict, key: str = "time") -> str:
    if other.get("status") == "ok" and ours.get("status") == "ok" and ours[key] > 0:
        return f"{other[key] / ours[key]:.2f}×"
    return "—"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args(argv)
    names = QUICK if args.quick else list(GROUPS)
    sg_start = startup_time(lambda: run_singular(None, "", 60))
    m2_start = startup_time(lambda: run_m2(None, 60))
    print(f"start-up: Singular {sg_start:.2f} s, Macaulay2 {m2_start:.2f} s", flush=True)
    hir_header = ["group", "order", "ours", "Singular", "M2", "Singular/ours", "M2/ours",
                  "Singular/ours whole process", "M2/ours whole process", "our primary degrees",
                  "secondaries", "M2's series agrees"]
    gen_header = ["group", "ours", "Singular", "M2", "Singular/ours", "M2/ours", "Singular/ours whole process",
                  "M2/ours whole process", "generators (by degree)", "agree (Singular, M2)"]
    hir_rows, gen_rows = [], []
    for name in names:
        expr = GROUPS[name]
        gens = generators_of(expr)
        ours_h = best_of(lambda: run_ours(expr, "hironaka", args.timeout))
        sg_h = best_of(lambda: run_singular(gens, "hironaka", args.timeout, sg_start))
        m2_h = best_of(lambda: run_m2(gens, args.timeout, m2_start, task="hironaka"))
        hir_rows.append([name, str(ours_h.get("order", "?")), fmt(ours_h), fmt(sg_h), fmt(m2_h), ratio(sg_h, ours_h),
                         ratio(m2_h, ours_h), ratio(sg_h, ours_h, "wall"), ratio(m2_h, ours_h, "wall"),
                         str(ours_h.get("prim", "—")),
                         str(len(ours_h["sec"])) if "sec" in ours_h else "—", _same_series(ours_h, m2_h)])
        print(" | ".join(hir_rows[-1]), flush=True)
        ours_g = best_of(lambda: run_ours(expr, "generators", args.timeout))
        sg_g = best_of(lambda: run_singular(gens, "generators", args.timeout, sg_start))
        m2_g = best_of(lambda: run_m2(gens, args.timeout, m2_start))
        agree = ", ".join(("yes" if r["gen"] == ours_g.get("gen") else "**no**") if r.get("status") == "ok"
                          and ours_g.get("status") == "ok" else "—" for r in (sg_g, m2_g))
        gen_rows.append([name, fmt(ours_g), fmt(sg_g), fmt(m2_g), ratio(sg_g, ours_g), ratio(m2_g, ours_g),
                         ratio(sg_g, ours_g, "wall"), ratio(m2_g, ours_g, "wall"), _by_degree(ours_g.get("gen")), agree])
        print(" | ".join(gen_rows[-1]), flush=True)
    lines = ["# Invariant rings: molien vs Singular and Macaulay2" + (" (quick)" if args.quick else ""), "",
             f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- machine: {platform.system()} {platform.machine()}, Python {platform.python_version()}",
             f"- timeout per system, group and task: {args.timeout:.0f} s",
             f"- start-up subtracted: Singular {sg_start:.2f} s, Macaulay2 {m2_start:.2f} s", "",
             __doc__.split("\n\n", 2)[2].strip(), "", "## Hironaka decomposition", "",
             "| " + " | ".join(hir_header) + " |", "|" + "|".join("---" for _ in hir_header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in hir_rows]
    lines += ["", "## Minimal generators", "", "| " + " | ".join(gen_header) + " |",
              "|" + "|".join("---" for _ in gen_header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in gen_rows]
    out = ROOT / "benchmarks" / "results" / ("ring-quick.md" if args.quick else "ring.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out}")
    return 0


def _same_series(ours: dict, theirs: dict) -> str:
    """Do the two Hironaka decompositions describe the same series Σ t^{deg s} / ∏(1 − t^{deg p})?"""
    if "prim" not in ours or "prim" not in theirs or "sec" not in theirs:
        return "—"
    from invariants import HilbertSeries

    def series(prim, sec):
        counts = [0] * (max(sec) + 1)
        for d in sec:
            counts[d] += 1
        return HilbertSeries.from_degrees(prim, counts)

    return "yes" if series(ours["prim"], ours["sec"]) == series(theirs["prim"], theirs["sec"]) else "**no**"


def _by_degree(degrees) -> str:
    if not degrees:
        return "—"
    counts: dict[int, int] = {}
    for d in degrees:
        counts[d] = counts.get(d, 0) + 1
    return ", ".join(f"{c}×{d}" for d, c in sorted(counts.items()))


if __name__ == "__main__":
    sys.exit(main())
