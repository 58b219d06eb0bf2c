"""Macaulay2 (package InvariantRing) as a live oracle for tori and SL2 — helpers, not tests.

- `m2_available()`: is ``M2`` on PATH;
- `m2_torus_generators(weights)`: ``invariants diagonalAction(W, R)``, as exponent vectors;
- `m2_finite_generator_degrees(group)`: ``invariants finiteAction(gens, R)`` (King's algorithm),
  the sorted degrees of the minimal generators of a finite matrix group over QQ or GF(p), p ∤ |G|;
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
    """Sorted degrees of Macaulay2's minimal generators of K[V]^G (G a matrix group over QQ, or over
    GF(p) with p not dividing |G|: Macaulay2 refuses the modular case)."""
    n = group.degree
    p = group.field.characteristic
    coefficients = f"ZZ/{p}" if p else "QQ"
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(str(x) for x in row) + "}" for row in g.to_sympy().tolist())
                     + "}" for g in group.generators)
    out = run_m2(f"R = {coefficients}[x_1..x_{n}];\nG = finiteAction({{{mats}}}, R);\n"
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


def m2_reynolds(group, poly: sympy.Expr) -> sympy.Expr:
    """Macaulay2's ``reynoldsOperator(f, finiteAction(gens, R))`` for a rational matrix group,
    with f and the answer in x0 … x{n-1}."""
    n = group.degree
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(str(x) for x in row) + "}" for row in g.to_sympy().tolist())
                     + "}" for g in group.generators)
    text = str(sympy.expand(poly)).replace("**", "^")
    for i in reversed(range(n)):
        text = text.replace(f"x{i}", f"x_{i}")
    out = run_m2(f"R = QQ[x_0..x_{n - 1}];\nG = finiteAction({{{mats}}}, R);\n"
                 f"print toString reynoldsOperator({text}, G);\n")
    return sympy.sympify(re.sub(r"x_(\d+)", r"x\1", out.strip()).replace("^", "**"))


def m2_equivariant_hilbert_series(torus: Sequence[Sequence[int]] = (), finite: Sequence[Sequence[int]] = (),
                                  orders: Sequence[int] = (), order: int = 6) -> tuple[sympy.Expr, dict]:
    """Macaulay2's ``equivariantHilbertSeries`` of ``diagonalAction(W1 || W2, d, R)``: the rational
    function in t, z0, z1, … (M2's T, z_0, z_1, …) and its expansion below degree ``order`` as
    {(degree, exponents of z0, z1, …): coefficient}."""
    rows = list(torus) + list(finite)
    n = len(rows[0])
    mat = "matrix{" + ", ".join("{" + ", ".join(str(int(x)) for x in row) + "}" for row in rows) + "}"
    d = "{" + ", ".join(str(int(x)) for x in orders) + "}"
    out = run_m2(f"R = QQ[x_1..x_{n}];\nT = diagonalAction({mat}, {d}, R);\n"
                 f'print("@@RATIONAL " | toString equivariantHilbertSeries T);\n'
                 f'print("@@EXPANSION " | toString equivariantHilbertSeries(T, Order => {order}));\n')
    zs = sympy.symbols(f"z0:{len(rows)}")
    names = {f"z{i}": z for i, z in enumerate(zs)} | {"t": sympy.Symbol("t")}

    def read(tag: str) -> sympy.Expr:
        text = re.search(rf"^{tag} (.*)$", out, re.M).group(1)
        return sympy.sympify(re.sub(r"z_(\d+)", r"z\1", text).replace("T", "t").replace("^", "**"), locals=names)

    expansion = {}
    for term in sympy.Add.make_args(sympy.expand(read("@@EXPANSION"))):
        coeff, powers = term.as_coeff_mul()
        exps = sympy.Mul(*powers).as_powers_dict()
        key = (int(exps.get(names["t"], 0)),) + tuple(int(exps.get(z, 0)) for z in zs)
        expansion[key] = expansion.get(key, 0) + int(coeff)
    return read("@@RATIONAL"), expansion


def _m2_text(expr) -> str:
    return str(sympy.expand(expr)).replace("**", "^")


def m2_linearly_reductive(ideal: Sequence, matrix: sympy.Matrix, group_variables: Sequence,
                          degrees: Sequence[int] = ()) -> dict:
    """Macaulay2's ``hilbertIdeal``, ``invariants`` and ``invariants(V, d)`` (d in ``degrees``) of
    the action f ↦ f(A·x) of ``matrix`` A, as sympy polynomials in x0..x{n-1}:
    ``{"hilbert": [...], "invariants": [...], d: [...]}``.  Macaulay2's ``linearlyReductiveAction(I, M, S)``
    makes f invariant when f(Mᵀ·x) = f(x) (its variables form a row vector), so it is given Aᵀ."""
    from invariants.parse import parse_expression

    n = matrix.rows
    names = [f"x{i}" for i in range(n)]
    rows = ", ".join("{" + ", ".join(_m2_text(matrix[j, i]) for j in range(n)) + "}" for i in range(n))
    script = (f"B = QQ[{', '.join(map(str, group_variables))}];\nA = ideal({', '.join(_m2_text(p) for p in ideal)});\n"
              f"S = QQ[x_0..x_{n - 1}];\nM = matrix{{{rows}}};\nV = linearlyReductiveAction(A, M, S);\n"
              'print("@hilbert"); print toString flatten entries gens hilbertIdeal V;\n'
              'print("@invariants"); print toString invariants V;\n')
    script += "".join(f'print("@{d}"); print toString invariants(V, {d});\n' for d in degrees)
    out: dict = {}
    for block in run_m2(script).split("@")[1:]:
        key, _, body = block.strip().partition("\n")
        body = body.strip().replace("x_", "x").replace("^", "**").strip("{}").strip()
        polys = [parse_expression(t, names) for t in body.split(",")] if body else []
        out[int(key) if key.isdigit() else key] = polys
    return out
