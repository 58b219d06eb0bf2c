"""Time molien's `molien_series` against GAP's `MolienSeries`, side by side, and check they agree.

    python benchmarks/molien.py            # the full list (GAP needs ~10 s for W(E8))
    python benchmarks/molien.py --quick    # a handful of small groups (CI smoke test)

For every group:

- **ours**: wall time of building a fresh group object from the catalogue *and* computing its
  Molien series, averaged over repeats (at least one, more until 0.2 s have passed);
- **GAP (in GAP)**: ``Runtime()`` difference around ``Group(gens)`` + ``MolienSeries(
  NaturalCharacter(G))`` inside GAP, so GAP's start-up is excluded; measured once, and when that
  is under 0.2 s averaged over repeats (fresh group each time) in a second GAP process;
- **GAP process**: wall time of the whole ``gap`` process for one computation (start-up, reading
  the generators, the computation);
- **GAP/ours**: the in-GAP time divided by ours (> 1: molien is faster);
- **equal**: whether the two series are the same reduced fraction;
- **ours via**: how molien got it — the real-reflection-group theorem (∏ 1/(1 − t^d), after
  certifying the group) or the sum over conjugacy classes.

A GAP timeout or failure is reported in the table, not raised.  The table is printed and
written to ``benchmarks/results/molien.md`` (``molien-quick.md`` with ``--quick``).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the GAP bridge lives with the oracle tests
sys.path.insert(0, str(ROOT))

from oracles import (GapError, GapTimeout, gap_available, gap_generators, gap_version,  # noqa: E402
                     parse_gap_rational, run_gap)

from invariants.catalogue import by_name  # noqa: E402
from invariants.groups.finite.group import MatrixGroup  # noqa: E402
from invariants.groups.representation import molien_series  # noqa: E402
from invariants.groups.finite.reflection import reflection_degrees  # noqa: E402

MIN_TOTAL = 0.2  # seconds of repeats for a stable mean
MAX_REPS = 1000

FULL = [
    "cyclic(5)", "dihedral(6)", "symmetric(4)", "alternating(5)", "signed_permutations(3)",
    "weyl(D4)", "weyl(F4)", "weyl(E6)", "weyl(E7)", "weyl(E8)", "coxeter(H3)", "coxeter(H4)",
    "binary_tetrahedral()", "binary_octahedral()", "binary_icosahedral()", "quaternion_group()",
    "complex_reflection(3,3,5)", "Z4 (non-reflection)",
]
QUICK = ["cyclic(5)", "symmetric(4)", "weyl(D4)", "binary_icosahedral()", "Z4 (non-reflection)"]


def factory(spec: str) -> Callable[[], MatrixGroup]:
    if spec.startswith("Z4"):
        return lambda: MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]], name="Z4")
    return lambda: by_name(spec)


# -- our side -----------------------------------------------------------------------------

def time_ours(make: Callable[[], MatrixGroup], method: str = "auto"):
    """(mean seconds, repeats, series) for a fresh group + molien_series."""
    times, series = [], None
    while not times or (sum(times) < MIN_TOTAL and len(times) < MAX_REPS):
        t0 = time.perf_counter()
        series = molien_series(make(), method=method, max_elements=CLASS_SUM_LIMIT)
        times.append(time.perf_counter() - t0)
    return sum(times) / len(times), len(times), series


CLASS_SUM_LIMIT = 3_000_000  # class sums enumerate the group: W(E7) (2.9 M) is the largest we time


# -- GAP side -----------------------------------------------------------------------------

_SINGLE = """
gens := {gens};;
t0 := Runtime();;
G := Group(gens);;
s := MolienSeries(NaturalCharacter(G));;
t1 := Runtime();;
Print("@@MOLIEN g ", s, "\\n");
Print("@@MS ", t1 - t0, "\\n");
"""

_REPEAT = """
gens := {gens};;
n := 0;;
t0 := Runtime();;
repeat
  G := Group(gens);;
  s := MolienSeries(NaturalCharacter(G));;
  n := n + 1;;
until Runtime() - t0 >= {min_ms} or n >= {max_reps};
Print("@@TOTAL ", Runtime() - t0, " ", n, "\\n");
"""


def time_gap(group: MatrixGroup, timeout: float) -> dict:
    """GAP's answer and timings for one group; never raises."""
    out: dict = {"series": None, "in_gap": None, "reps": 0, "wall": None, "status": "ok"}
    gens = gap_generators(group)
    t0 = time.perf_counter()
    try:
        text = run_gap(_SINGLE.format(gens=gens), timeout)
    except GapTimeout:
        out["status"] = f"timeout (>{timeout:g} s)"
        return out
    except GapError as exc:
        out["status"] = "GAP error: " + str(exc).splitlines()[-1][:80]
        return out
    out["wall"] = time.perf_counter() - t0
    m_series = re.search(r"^@@MOLIEN g (.*)$", text, re.M)
    m_ms = re.search(r"^@@MS (\d+)", text, re.M)
    if not m_series or not m_ms:
        out["status"] = "unparsed GAP output"
        return out
    out["series"] = parse_gap_rational(m_series.group(1))
    out["in_gap"], out["reps"] = int(m_ms.group(1)) / 1000, 1
    if out["in_gap"] < MIN_TOTAL:
        try:
            text = run_gap(_REPEAT.format(gens=gens, min_ms=int(MIN_TOTAL * 1000), max_reps=MAX_REPS), timeout)
            m = re.search(r"^@@TOTAL (\d+) (\d+)", text, re.M)
            if m:
                out["in_gap"] = int(m.group(1)) / 1000 / int(m.group(2))
                out["reps"] = int(m.group(2))
        except GapError:  # keep the single measurement
            pass
    return out


# -- report --------------------------------------------------------------------------------

def fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


def machine_info(have_gap: bool) -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import flint
        import sympy
        libs = f"python-flint {flint.__version__}, sympy {sympy.__version__}"
    except Exception:  # pragma: no cover
        libs = "?"
    gap = "not installed"
    if have_gap:
        try:
            gap = gap_version()
        except GapError as exc:
            gap = f"unknown ({exc})"
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- date: {_dt.datetime.now(_dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.system()} {platform.machine()}, {cpu}, nproc = {nproc}",
        f"- Python {platform.python_version()} ({libs}); GAP {gap}",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a handful of small groups (CI smoke test)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per GAP process (default 300)")
    ap.add_argument("--out", type=Path, default=None, help="where to write the markdown table")
    args = ap.parse_args(argv)
    specs = QUICK if args.quick else FULL
    out_path = args.out or ROOT / "benchmarks" / "results" / ("molien-quick.md" if args.quick else "molien.md")
    have_gap = gap_available()

    header = ["group", "order", "field", "ours", "GAP (in GAP)", "GAP process", "GAP/ours", "equal", "ours via",
              "ours by class sum", "GAP/class sum"]
    rows, mismatches = [], []
    for spec in specs:
        make = factory(spec)
        group = make()
        order, field = group.order(), group.field.name
        via = "reflection degrees" if reflection_degrees(group) is not None else "class sum"
        try:
            ours_t, ours_reps, ours = time_ours(make)
        except Exception as exc:  # report, keep going
            ours_t, ours_reps, ours = None, 0, None
            print(f"# molien failed on {spec}: {exc!r}", file=sys.stderr)
        g = time_gap(group, args.timeout) if have_gap else {"series": None, "in_gap": None, "reps": 0,
                                                            "wall": None, "status": "GAP not installed"}
        if g["series"] is not None and ours is not None:
            equal = "yes" if g["series"] == ours else "**NO**"
            if equal != "yes":
                mismatches.append((spec, ours, g["series"]))
        else:
            equal = "n/a"
        ratio = f"{g['in_gap'] / ours_t:.1f}×" if g["in_gap"] and ours_t else "—"
        gap_cell = fmt_time(g["in_gap"]) if g["status"] == "ok" else g["status"]
        if g["status"] == "ok" and g["in_gap"] == 0:
            gap_cell = "< 1 ms"
        if via == "class sum":
            cls_cell, cls_ratio = "(same)", "(same)"
        elif order <= CLASS_SUM_LIMIT:
            cls_t, _, cls_series = time_ours(make, method="classes")
            cls_cell = fmt_time(cls_t) + ("" if cls_series == ours else " **differs**")
            cls_ratio = f"{g['in_gap'] / cls_t:.1f}×" if g["in_gap"] else "—"
        else:
            cls_cell, cls_ratio = f"refused (order > {CLASS_SUM_LIMIT:,})", "—"
        rows.append([spec, str(order), field, fmt_time(ours_t) if ours is not None else "error", gap_cell,
                     fmt_time(g["wall"]), ratio, equal, via, cls_cell, cls_ratio])
        print(" | ".join(rows[-1]), flush=True)

    lines = ["# Molien series: molien vs GAP" + (" (quick)" if args.quick else ""), ""]
    lines += machine_info(have_gap)
    lines += ["",
              "ours = wall time of a fresh catalogue group + `molien_series` (mean over repeats); "
              "GAP (in GAP) = `Runtime()` around `Group(gens)` + `MolienSeries(NaturalCharacter(G))` "
              "(mean over repeats when under 0.2 s; start-up excluded); GAP process = wall time of the whole "
              "`gap -q -b` run for one computation; GAP/ours > 1 means molien is faster; equal = same reduced "
              "fraction; ours via = the real-reflection-group shortcut or the conjugacy-class sum; ours by class sum = "
              "the same group forced through the conjugacy-class algorithm (`method=\"classes\"`), for a "
              "like-for-like comparison with GAP's class-based MolienSeries.", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    if mismatches:
        lines += ["", "## Mismatches", ""]
        lines += [f"- {spec}: molien {o} vs GAP {t}" for spec, o, t in mismatches]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text)
    print(f"written to {out_path}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
