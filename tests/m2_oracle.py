"""Macaulay2 (package InvariantRing) as a live oracle for tori and SL2 — helpers, not tests.

- `m2_available()`: is ``M2`` on PATH;
- `m2_torus_generators(weights)`: ``invariants diagonalAction(W, R)``, as exponent vectors;
- `m2_finite_generator_degrees(group)`: ``invariants finiteAction(gens, R)`` (King's algorithm),
  the sorted degrees of the minimal generators of a finite matrix group over QQ;
- `m2_sl2_generator_degrees(action)`: ``invariants linearlyReductiveAction(ideal(ad-bc-1), M, S)``
  for the action of g = [[a, b], [c, d]] given as a sympy matrix in a, b, c, d.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from typing import Sequence

import sympy

a, b, c, d = sympy.symbols("a b c d")


def m2_available() -> bool:
    return shutil.which("M2") is not None


def run_m2(script: str, timeout: float = 300) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".m2", delete=False) as fh:
        fh.write('needsPackage "InvariantRing";\n' + script)
        path = fh.name
    try:
        out = subprocess.run(["M2", "--script", path], capture_output=True, text=True, timeout=timeout)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError(f"Macaulay2 failed: {out.stderr[-2000:]}")
    return out.stdout


def m2_torus_generators(weights: Sequence[Sequence[int]]) -> set[tuple[int, ...]]:
    """Exponent vectors of Macaulay2's minimal generators of the torus invariants."""
    n = len(weights)
    rows = ", ".join("{" + ", ".join(str(w[i]) for w in weights) + "}" for i in range(len(weights[0])))
    out = run_m2(f"R = QQ[x_0..x_{n - 1}];\nT = diagonalAction(matrix{{{rows}}}, R);\n"
                 "print toString apply(invariants T, f -> first exponents f);\n")
    return {tuple(int(x) for x in m.split(",")) for m in re.findall(r"\{([-\d, ]+)\}", out.strip()[1:-1])}


def m2_finite_generator_degrees(group) -> list[int]:
    """Sorted degrees of Macaulay2's minimal generators of K[V]^G (G a rational matrix group)."""
    n = group.degree
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(str(x) for x in row) + "}" for row in g.to_sympy().tolist())
                     + "}" for g in group.generators)
    out = run_m2(f"R = QQ[x_1..x_{n}];\nG = finiteAction({{{mats}}}, R);\n"
                 "print toString sort apply(invariants G, f -> first degree f);\n")
    return [int(x) for x in re.findall(r"\d+", out)]


def m2_sl2_generator_degrees(action: sympy.Matrix) -> list[int]:
    """Degrees of Macaulay2's generators of K[V]^SL2 for the action matrix M(a, b, c, d)."""
    n = action.rows
    rows = ", ".join("{" + ", ".join(str(sympy.expand(action[i, j])).replace("**", "^") for j in range(n)) + "}"
                     for i in range(n))
    out = run_m2(f"B = QQ[a,b,c,d];\nA = ideal(a*d - b*c - 1);\nS = QQ[x_0..x_{n - 1}];\n"
                 f"M = matrix{{{rows}}};\nV = linearlyReductiveAction(A, M, S);\n"
                 "print toString sort apply(flatten entries gens ideal invariants V, f -> first degree f);\n")
    return [int(x) for x in re.findall(r"\d+", out)]


def binary_form_action(deg: int) -> sympy.Matrix:
    """g·f = f(a u + c v, b u + d v) on the coefficients of f = Σ_k f_k u^{deg−k} v^k."""
    u, v = sympy.symbols("u v")
    cols = []
    for k in range(deg + 1):
        image = sympy.Poly(sympy.expand((a * u + c * v) ** (deg - k) * (b * u + d * v) ** k), u, v)
        cols.append([image.coeff_monomial(u ** (deg - j) * v ** j) for j in range(deg + 1)])
    return sympy.Matrix(cols).T


def block_diagonal(blocks: Sequence[sympy.Matrix]) -> sympy.Matrix:
    return sympy.diag(*blocks)
