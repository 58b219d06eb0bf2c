"""Runs Singular (finvar.lib) on a rational matrix group and reads back degrees.

Helper for the invariant-ring oracle tests; degrees are printed from inside Singular, so
nothing depends on Singular's polynomial syntax.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import sympy


def singular_available() -> bool:
    return shutil.which("Singular") is not None


def _matrix_literal(name: str, m: sympy.Matrix) -> str:
    entries = ",".join(str(sympy.Rational(x)) for x in m)  # row-major
    return f"matrix {name}[{m.rows}][{m.cols}] = {entries};"


def singular_ring_degrees(group, timeout: float = 120) -> dict[str, list[int]]:
    """Minimal generator degrees (invariant_algebra_reynolds) and the primary and secondary
    degrees of Singular's Hironaka decomposition (invariant_ring) for a group over QQ."""
    mats = [g.to_sympy() for g in group.generators]
    n = mats[0].rows
    names = [f"A{i}" for i in range(len(mats))]
    lines = ['LIB "finvar.lib";', f"ring R = 0, (x(1..{n})), dp;"]
    lines += [_matrix_literal(nm, m) for nm, m in zip(names, mats)]
    lines += [f"list L = group_reynolds({', '.join(names)});",
              "matrix G = invariant_algebra_reynolds(L[1], 0);",
              f"matrix P, S, IS = invariant_ring({', '.join(names)});",
              "int i; string s;"]
    for label, mat in (("GEN", "G"), ("PRIM", "P"), ("SEC", "S")):
        lines += [f's = "{label}";',
                  f"for (i = 1; i <= ncols({mat}); i++) {{ s = s + \" \" + string(deg({mat}[1,i])); }}",
                  "print(s);"]
    lines.append("quit;")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ring.sing"
        path.write_text("\n".join(lines) + "\n")
        out = subprocess.run(["Singular", "-q", str(path)], capture_output=True, text=True, timeout=timeout,
                             stdin=subprocess.DEVNULL).stdout
    result = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("GEN", "PRIM", "SEC"):
            result[parts[0]] = sorted(int(x) for x in parts[1:])
    if set(result) != {"GEN", "PRIM", "SEC"}:
        raise RuntimeError(f"unexpected Singular output:\n{out[-2000:]}")
    return result
