"""Runs Singular (finvar.lib) on a matrix group over QQ or GF(p) and reads back degrees,
dimensions and Molien series.

Helper for the invariant-ring oracle tests; degrees are printed from inside Singular, so
nothing depends on Singular's polynomial syntax (the Molien series over GF(p) is read back as
two univariate polynomials in x, parsed by sympy).
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


def _run(lines: list[str], timeout: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "script.sing"
        path.write_text("\n".join(lines + ["quit;"]) + "\n")
        return subprocess.run(["Singular", "-q", str(path)], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL).stdout


def _group_lines(group) -> tuple[list[str], str]:
    """The ring (characteristic of the group's field) and the generator matrices, and their names."""
    mats = [g.to_sympy() for g in group.generators]
    names = [f"A{i}" for i in range(len(mats))]
    lines = ['LIB "finvar.lib";', f"ring R = {group.field.characteristic}, (x(1..{mats[0].rows})), dp;"]
    return lines + [_matrix_literal(nm, m) for nm, m in zip(names, mats)], ", ".join(names)


def singular_molien_mod_p(group, terms: int, timeout: float = 120) -> list[int]:
    """The first ``terms`` coefficients of Singular's Molien series of a group over GF(p), p ∤ |G|
    (finvar's ``molien``, through a Brauer lift)."""
    lines, names = _group_lines(group)
    lines += [f"list L = group_reynolds({names});", 'molien(L[3..size(L)], "", L[2]);',
              "setring Finvar::newring;", "short = 0;", 'print("NUM " + string(M[1,1]));', 'print("DEN " + string(M[1,2]));']
    out = _run(lines, timeout)
    found = dict(line.split(" ", 1) for line in out.splitlines() if line[:4] in ("NUM ", "DEN "))
    if set(found) != {"NUM", "DEN"}:
        raise RuntimeError(f"unexpected Singular output:\n{out[-2000:]}")
    x = sympy.Symbol("x")
    series = sympy.series(sympy.sympify(found["NUM"].replace("^", "**"), {"x": x})
                          / sympy.sympify(found["DEN"].replace("^", "**"), {"x": x}), x, 0, terms)
    return [int(series.removeO().coeff(x, k)) for k in range(terms)]


def _degrees_of(lines: list[str], matrices: dict[str, str], timeout: float) -> dict[str, list[int]]:
    """Run the script, then print and read back the degrees of the entries of each named matrix
    (label -> Singular matrix name)."""
    lines = lines + ["int i; string s;"]
    for label, mat in matrices.items():
        lines += [f's = "{label}";',
                  f"for (i = 1; i <= ncols({mat}); i++) {{ s = s + \" \" + string(deg({mat}[1,i])); }}",
                  "print(s);"]
    out = _run(lines, timeout)
    result = {w[0]: sorted(int(x) for x in w[1:]) for w in (line.split() for line in out.splitlines())
              if w and w[0] in matrices}
    if set(result) != set(matrices):
        raise RuntimeError(f"unexpected Singular output:\n{out[-2000:]}")
    return result


def singular_modular_ring_degrees(group, timeout: float = 120) -> dict[str, list[int]]:
    """Degrees of finvar's ``invariant_ring`` in the modular case: primary invariants P and module
    generators S of K[V]^G over K[P] (``secondary_not_cohen_macaulay``; a free basis when there are
    ∏ deg P / |G| of them)."""
    lines, names = _group_lines(group)
    return _degrees_of(lines + [f"matrix P, S = invariant_ring({names});"], {"PRIM": "P", "SEC": "S"}, timeout)


def singular_ring_degrees(group, timeout: float = 120) -> dict[str, list[int]]:
    """Minimal generator degrees (invariant_algebra_reynolds) and the primary and secondary
    degrees of Singular's Hironaka decomposition (invariant_ring) for a group over QQ."""
    lines, names = _group_lines(group)
    lines += [f"list L = group_reynolds({names});", "matrix G = invariant_algebra_reynolds(L[1], 0);",
              f"matrix P, S, IS = invariant_ring({names});"]
    return _degrees_of(lines, {"GEN": "G", "PRIM": "P", "SEC": "S"}, timeout)
