"""Molien series of finite matrix groups, summed over conjugacy classes.

For a class with representative g of order m and eigenvalues ζ_m^{e_j},

    1/det(1 - t g) = ∏_j (Σ_{l<m} ζ_m^{e_j l} t^l) / (1 - t^m)^n,

a numerator in Z[ζ_m][t] that is computed exactly in the group ring Z[C_m][t].  The whole
sum is rational and Galois-stable (g ↦ g^a permutes G for a prime to |G|), so each class may
be replaced by its Galois average, which maps ζ_m^r to the Ramanujan-sum value
μ(m/(r,m))/φ(m/(r,m)).  Everything is integer or rational arithmetic.

Real reflection groups short-cut to ∏ 1/(1 − t^{d_i}) (`invariants.groups.finite.reflection`), which is
what makes W(E8) immediate.
"""
from __future__ import annotations

from math import gcd
from typing import Any, Callable, Sequence

import numpy as np
import sympy
from flint import fmpq, fmpq_poly

from invariants.groups.finite.eigen import eigen_exponents
from invariants.errors import InputError
from invariants.groups.finite.group import DEFAULT_MAX_ELEMENTS, MatrixGroup
from invariants.series.hilbert import HilbertSeries


def molien_series(group: Any, chi: Any = None, *, max_elements: int = DEFAULT_MAX_ELEMENTS,
                  method: str = "auto", progress: Callable[[int, int], None] | None = None) -> HilbertSeries:
    """The Molien series Σ_d dim S^d(V)^G t^d of a finite group or representation, exactly.

    With ``chi`` (a `Representation` of the same group, or a `MatrixGroup` on the same
    generators) it is the relative series Σ_d ⟨S^d V, χ⟩ t^d — the multiplicity of χ in each
    symmetric power, i.e. GAP's ``MolienSeries(psi, chi)``: the covariants of type χ.

    ``method``: "auto" (reflection-group theorem when it applies, else classes), "classes".
    A representation of a compact group goes to the Molien–Weyl integral
    (`invariants.groups.compact.hilbert_series`).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> molien_series(symmetric(3))
        1/((1 - t)(1 - t^2)(1 - t^3))
    """
    from invariants.groups.finite.representation import Representation, as_representation

    if isinstance(group, MatrixGroup) and chi is None and method == "auto" and max_elements == DEFAULT_MAX_ELEMENTS:
        cached = group.__dict__.get("_molien_series")
        if cached is None:  # the invariant-ring code asks once per degree: compute it once per group
            cached = group.__dict__["_molien_series"] = molien_series(
                group.natural(), max_elements=max_elements, progress=progress)
        return cached
    if _is_compact(group) or _is_compact(chi):
        from invariants.groups.compact.molien_weyl import hilbert_series

        return hilbert_series(group, chi)
    rep = as_representation(group)
    if chi is None and method == "auto" and rep.is_natural():
        from invariants.groups.finite.reflection import reflection_degrees

        cert = reflection_degrees(rep.group)
        if cert is not None:
            return HilbertSeries.from_degrees(cert.degrees)
    if method not in ("auto", "classes"):
        raise InputError(f"unknown method {method!r}: use 'auto' or 'classes'")
    chi_rep = None if chi is None else as_representation(chi, rep.group)
    carrier = rep if chi_rep is None else rep + chi_rep
    image = carrier.image_group()
    n = rep.dim
    classes = image.conjugacy_classes(max_elements=max_elements, progress=progress)
    numerators: dict[int, fmpq_poly] = {}
    for cls in classes:
        g = cls.representative
        m = cls.order
        if chi_rep is None:
            exps = eigen_exponents(g, m)
            twist = None
        else:
            exps = eigen_exponents(_block(g, 0, n), m)
            twist = [(-f) % m for f in eigen_exponents(_block(g, n, chi_rep.dim), m)]
        num = _galois_averaged_numerator(exps, m, twist) * cls.size
        numerators[m] = numerators.get(m, fmpq_poly([])) + num
    num, den = fmpq_poly([]), fmpq_poly([1])
    for m, pm in numerators.items():
        dm = fmpq_poly([1] + [0] * (m - 1) + [-1]) ** n
        g = den.gcd(dm)
        num = num * (dm / g) + pm * (den / g)
        den = den * (dm / g)
    return HilbertSeries(num / image.order(), den)


def _is_compact(obj: Any) -> bool:
    from invariants.groups.compact.representation import CompactRepresentation

    return isinstance(obj, CompactRepresentation)


def _block(g, start: int, size: int):
    from invariants.linalg.matrix import Matrix

    ents = g.entries()
    return Matrix.from_coeffs([row[start:start + size] for row in ents[start:start + size]], g.field)


def _galois_averaged_numerator(exps: Sequence[int], m: int, twist: Sequence[int] | None) -> fmpq_poly:
    """Galois average of ∏_j Σ_{l<m} ζ^{e_j l} t^l (times Σ ζ^f over ``twist``)."""
    n = len(exps)
    big = m ** max(n, 1) * (len(twist) if twist else 1) > 2**62
    dtype = object if big else np.int64
    p = np.zeros((1, m), dtype=dtype)
    p[0, 0] = 1
    for e in exps:
        length = p.shape[0]
        out = np.zeros((length + m - 1, m), dtype=dtype)
        for a in range(m):
            out[a:a + length] += np.roll(p, (e * a) % m, axis=1)
        p = out
    if twist:
        acc = np.zeros_like(p)
        for f in twist:
            acc += np.roll(p, f, axis=1)
        p = acc
    weights = [_ramanujan_average(r, m) for r in range(m)]
    coeffs = []
    for row in p:
        s = fmpq(0)
        for r, v in enumerate(row):
            if v:
                s += weights[r] * int(v)
        coeffs.append(s)
    return fmpq_poly(coeffs)


def _ramanujan_average(r: int, m: int) -> fmpq:
    """Tr_{Q(ζ_m)/Q}(ζ_m^r) / φ(m) = μ(d)/φ(d) with d = m / gcd(r, m)."""
    d = m // gcd(r, m)
    return fmpq(int(sympy.mobius(d)), int(sympy.totient(d)))
