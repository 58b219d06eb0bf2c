"""Bases of the invariants of one degree, exactly.

Three methods, chosen by cost; the Molien coefficient (when affordable) sizes the space first
and certifies the result (a basis of exactly that many independent invariants):

- ``orbit_sums``: generators that are monomial matrices (permutations with root-of-unity
  signs) map monomials to multiples of monomials, so invariants are weighted orbit sums.
- ``power_sums``: Reynolds images of d-th powers of linear forms span the invariants
  (powers of linear forms span S^d); for a covector ℓ, R(ℓ^d) is the average of (ℓ∘g)^d
  over the orbit of ℓ, cheap when the orbit is small.  Orbits are tried until the rank
  reaches the Molien coefficient.
- ``fixed_space``: the common kernel of (g − 1) on S^d V over the generators, computed by
  successive intersection.
"""
from __future__ import annotations

import itertools
import operator
from math import comb
from typing import Any, Sequence

import sympy
from flint import fmpq, fmpq_mat, fmpq_mpoly

from invariants.errors import InputError, TooLargeError
from invariants.fields.numberfield import Coeffs
from invariants.groups.finite.group import MatrixGroup, VectorOrbit
from invariants.fields.primes import WORD, reductions
from invariants.linalg import dense
from invariants.polynomials.echelon import Echelon
from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing, _power_products, monomials, symmetric_power_matrix

DEFAULT_MAX_MONOMIALS = 20_000
DEFAULT_MAX_ORBIT_SUM = 200_000


class InvariantSpace:
    """A basis of the degree-d invariants of a group, with how it was found.

    ``polynomials`` are sympy expressions; ``flint`` the same as flint polynomials in ``ring``.
    """

    def __init__(self, group: MatrixGroup, degree: int, ring: PolynomialRing, basis: list[fmpq_mpoly],
                 method: str, expected: int | None):
        self.group = group
        self.degree = degree
        self.ring = ring
        self.flint = basis
        self.method = method
        self.expected_dimension = expected

    @property
    def polynomials(self) -> list[sympy.Expr]:
        return [self.ring.to_sympy(p) for p in self.flint]

    def __len__(self) -> int:
        return len(self.flint)

    def __repr__(self) -> str:
        return f"InvariantSpace(degree={self.degree}, dim={len(self)}, method={self.method!r})"

    def _repr_latex_(self) -> str:
        return "$" + ",\\; ".join(sympy.latex(p) for p in self.polynomials) + "$"


def invariants_of_degree(group: Any, d: int, *, symbols: Sequence[sympy.Symbol] | None = None,
                         method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> list[sympy.Expr]:
    """An exact basis of the homogeneous invariants of degree d, as sympy expressions.

    Polynomials are in x0 … x{n-1} (or ``symbols``); p is invariant when p(g·x) = p(x).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> invariants_of_degree(symmetric(3), 2)
        [x0**2 + x1**2 + x2**2, x0*x1 + x0*x2 + x1*x2]
    """
    return invariant_space(group, d, symbols=symbols, method=method, max_monomials=max_monomials).polynomials


def invariant_space(group: Any, d: int, *, symbols: Sequence[sympy.Symbol] | None = None,
                    method: str = "auto", max_monomials: int = DEFAULT_MAX_MONOMIALS) -> InvariantSpace:
    """Like `invariants_of_degree`, returning an `InvariantSpace` (flint polynomials, method, size)."""
    from invariants.groups.compact.representation import CompactRepresentation
    from invariants.groups.finite.representation import as_representation

    try:
        d = operator.index(d)
    except TypeError:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}") from None
    if d < 0:
        raise InputError(f"the degree must be a non-negative integer, got {d!r}")
    if isinstance(group, CompactRepresentation):
        return _compact_space(group, d, symbols, max_monomials)
    rep = as_representation(group)
    group = rep.group if rep.is_natural() else rep.image_group()
    n = group.degree
    ring = PolynomialRing(group.field, n, symbols)
    if d == 0:
        return InvariantSpace(group, 0, ring, [ring.ctx.constant(1)], "constant", 1)
    size = comb(n + d - 1, d)
    expected = _expected_dimension(group, d)
    if expected == 0:
        return InvariantSpace(group, d, ring, [], "molien", 0)
    monomial_group = all(_is_monomial(g) for g in group.generators)
    if method == "auto":
        method = "orbit_sums" if monomial_group else "power_sums"
    if method == "orbit_sums":
        if not monomial_group:
            raise InputError("orbit_sums needs monomial generators (permutation matrices with scalars)")
        if size > 50 * max_monomials:
            _refuse(size, 50 * max_monomials)
        basis = _orbit_sums(group, ring, d)
    elif method == "power_sums":
        basis = _power_sums(group, ring, d, expected)
        if basis is None:
            if size > max_monomials:
                _refuse(size, max_monomials)
            method = "fixed_space"
            basis = _fixed_space(group, ring, d)
    elif method == "fixed_space":
        if size > max_monomials:
            _refuse(size, max_monomials)
        basis = _fixed_space(group, ring, d)
    else:
        raise InputError(f"unknown method {method!r}: use 'auto', 'orbit_sums', 'power_sums' or 'fixed_space'")
    basis = _disjoint_basis(ring, basis) if method == "orbit_sums" else _echelon(ring, basis)
    if expected is not None and len(basis) != expected:
        raise AssertionError(f"found {len(basis)} invariants of degree {d}, Molien says {expected}")  # pragma: no cover
    return InvariantSpace(group, d, ring, basis, method, expected)


def _compact_space(rep: Any, d: int, symbols: Sequence[sympy.Symbol] | None, max_monomials: int) -> InvariantSpace:
    """Invariants of a compact group: Lie algebra kernel on weight-zero monomials, then the
    component representatives; the dimension is checked against the Molien–Weyl count."""
    from invariants.groups.compact.invariants import compact_invariants
    from invariants.groups.compact.molien_weyl import series_coefficients

    ring = PolynomialRing(rep.field, rep.dim, symbols)
    basis = compact_invariants(rep, d, ring, max_monomials)
    expected = series_coefficients(rep, d + 1)[d]
    if len(basis) != expected:
        raise AssertionError(f"found {len(basis)} invariants of degree {d}, Molien–Weyl says {expected}")  # pragma: no cover
    return InvariantSpace(rep, d, ring, basis, "lie_kernel", expected)


def _refuse(size: int, limit: int) -> None:
    raise TooLargeError(
        f"degree-d polynomials form a space of dimension {size}, above max_monomials={limit}; "
        f"pass max_monomials={size} to compute anyway (memory grows like its square)",
        estimate=size, option="max_monomials")


def _expected_dimension(group: MatrixGroup, d: int) -> int | None:
    """dim of the degree-d invariants: the Molien coefficient, or a proven modular rank when
    the Molien series would need a group too large to enumerate."""
    from invariants.groups.finite.molien import molien_series

    try:
        return molien_series(group)[d]
    except TooLargeError:
        size = comb(group.degree + d - 1, d)
        return modular_invariant_dimension(group, d) if size <= DEFAULT_MAX_MONOMIALS else None


def modular_invariant_dimension(group: MatrixGroup, d: int) -> int:
    """dim of the degree-d invariants from ranks over GF(p), without enumerating the group.

    Valid (a proof, not a heuristic) because p is chosen prime to |G|, larger than the
    dimension N of the degree-d polynomials, prime to every denominator, and with a root r of
    the field's minimal polynomial (the reduction α ↦ r is a ring map): then the Reynolds
    projector reduces to the projector onto the common fixed space of the reduced generators,
    whose rank is its trace mod p, i.e. the exact dimension (≤ N < p).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> modular_invariant_dimension(symmetric(4), 4)
        5
    """
    from flint import nmod_mat

    n = group.degree
    mons = monomials(n, d)
    size = len(mons)
    index = {m: i for i, m in enumerate(mons)}
    order = group.order()
    ring = PolynomialRing(group.field, n)
    f = group.field
    for red in reductions(f, below=max(WORD, size + 2), avoid=order, above=size + 1):
        p = red.p
        try:
            blocks = []
            for g in group.generators:
                forms = [ring.linear_form(row) for row in g.entries()]  # x_i ↦ (g x)_i
                table = _power_products(ring, forms, mons)
                entries = [0] * (size * size)
                for j, mono in enumerate(mons):
                    for target, c in ring.coefficients(table[mono]).items():
                        entries[index[target] * size + j] = red.element(c)
                    entries[j * size + j] = (entries[j * size + j] - 1) % p
                blocks.append(entries)
        except ZeroDivisionError:
            continue  # p divides a denominator: try another prime
        stacked = nmod_mat(len(blocks) * size, size, [x for b in blocks for x in b], p)
        return size - stacked.rank()
    raise AssertionError("no usable prime")  # pragma: no cover



def _is_monomial(g: Matrix) -> bool:
    ents = g.entries()
    f = g.field
    return all(sum(not f.is_zero(x) for x in row) == 1 for row in ents)


def _orbit_sums(group: MatrixGroup, ring: PolynomialRing, d: int) -> list[fmpq_mpoly]:
    """Invariants supported on orbits of monomials, with the weights forced by invariance."""
    f = group.field
    # substitution x_i -> c_i x_{π(i)} sends x^e to (∏ c_i^{e_i}) x^{π(e)}
    actions = []
    for g in group.generators:
        ents = g.entries()
        cols = [next(j for j, x in enumerate(row) if not f.is_zero(x)) for row in ents]
        scal = [ents[i][cols[i]] for i in range(len(ents))]
        actions.append((cols, scal))
    if f.degree == 1 and all(x[0] in (1, -1) for _, scal in actions for x in scal):
        return _signed_orbit_sums(ring, [(cols, [int(x[0]) for x in scal]) for cols, scal in actions], d)
    seen: set[tuple[int, ...]] = set()
    out = []
    for start in monomials(group.degree, d):
        if start in seen:
            continue
        weights: dict[tuple[int, ...], Coeffs] = {start: f.one}
        frontier = [start]
        consistent = True
        edges = []
        while frontier:
            nxt = []
            for e in frontier:
                for cols, scal in actions:
                    target = [0] * len(e)
                    c = f.one
                    for i, ei in enumerate(e):
                        if ei:
                            target[cols[i]] += ei
                            c = f.mul(c, _power(f, scal[i], ei))
                    t = tuple(target)
                    # invariance of Σ w_e x^e: w_{π(e)} = c · w_e after substitution
                    edges.append((e, t, c))
                    if t not in weights:
                        weights[t] = f.mul(c, weights[e])
                        nxt.append(t)
            frontier = nxt
        seen.update(weights)
        for e, t, c in edges:
            if f.mul(c, weights[e]) != weights[t]:
                consistent = False
                break
        if consistent:
            # after substitution the coefficient of x^t is c·w_e; invariance needs it to be w_t
            out.append(ring.from_coefficients({m: w for m, w in weights.items()}))
    return out


def _signed_orbit_sums(ring: PolynomialRing, actions: list[tuple[list[int], list[int]]], d: int) -> list[fmpq_mpoly]:
    """`_orbit_sums` for signed permutation matrices over QQ, on integers: x^e ↦ ±x^{π(e)}."""
    seen: set[tuple[int, ...]] = set()
    out = []
    n = ring.n
    for start in monomials(n, d):
        if start in seen:
            continue
        weights = {start: 1}
        frontier, consistent = [start], True
        while frontier and consistent:
            nxt = []
            for e in frontier:
                for cols, signs in actions:
                    target = [0] * n
                    sign = 1
                    for i, ei in enumerate(e):
                        if ei:
                            target[cols[i]] += ei
                            if signs[i] < 0 and ei & 1:
                                sign = -sign
                    t = tuple(target)
                    w = sign * weights[e]
                    if t not in weights:
                        weights[t] = w
                        nxt.append(t)
                    elif weights[t] != w:
                        consistent = False  # the orbit carries no invariant
            frontier = nxt
        if not consistent:  # mark the whole orbit seen
            stack = [start]
            while stack:
                e = stack.pop()
                for cols, _ in actions:
                    target = [0] * n
                    for i, ei in enumerate(e):
                        target[cols[i]] += ei
                    t = tuple(target)
                    if t not in weights:
                        weights[t] = 0
                        stack.append(t)
        seen.update(weights)
        if consistent:
            out.append(ring.ctx.from_dict(dict(weights)))
    return out


def _power(f, a: Coeffs, e: int) -> Coeffs:
    out = f.one
    for _ in range(e):
        out = f.mul(out, a)
    return out


def _power_sums(group: MatrixGroup, ring: PolynomialRing, d: int, expected: int | None) -> list[fmpq_mpoly] | None:
    """Orbit averages of (ℓ∘g)^d for covectors ℓ of growing orbit size, until the rank is reached."""
    if expected is None:
        return None
    f, n = group.field, group.degree
    k = f.degree
    transposes = [g.transpose().q for g in group.generators]  # ℓ∘g = (g^T ℓ^T)^T
    found: list[fmpq_mpoly] = []
    echelon = Echelon(ring)
    budget = DEFAULT_MAX_ORBIT_SUM
    for ell in _covectors(n):
        start = [tuple(fmpq(v) if u == 0 else fmpq(0) for v in ell for u in range(k))]
        try:
            orbit = VectorOrbit(transposes, start, min(budget, group.order()), _overflow)
        except _Overflow:
            continue
        budget -= len(orbit.points)
        total = ring.ctx.from_dict({})
        for pt in orbit.points:
            coeffs = [tuple(pt[i * k:(i + 1) * k]) for i in range(n)]
            total += ring.power(ring.linear_form(coeffs), d)
        total = ring.reduce(total)
        if echelon.add(total):
            found.append(total)
            if len(found) == expected:
                return found
        if budget <= 0:
            return None
    return None


class _Overflow(Exception):
    pass


def _overflow() -> None:
    raise _Overflow


def _covectors(n: int):
    for i in range(n):
        yield [1 if j == i else 0 for j in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        yield [1 if t in (i, j) else 0 for t in range(n)]
        yield [1 if t == i else (-1 if t == j else 0) for t in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        yield [2 if t == i else (1 if t == j else 0) for t in range(n)]
    import random

    rng = random.Random(12345)
    for _ in range(200):
        yield [rng.randint(-3, 3) for _ in range(n)]


def _fixed_space(group: MatrixGroup, ring: PolynomialRing, d: int) -> list[fmpq_mpoly]:
    """Common kernel of S^d(g^T) − 1 (the substitution action) over the generators."""
    f, n = group.field, group.degree
    k = f.degree
    mons = monomials(n, d)
    size = len(mons) * k
    basis = fmpq_mat(size, size)
    for i in range(size):
        basis[i, i] = 1
    for g in group.generators:
        t = symmetric_power_matrix(g.transpose(), d).q
        for i in range(size):
            t[i, i] -= 1
        kernel = dense.kernel(t * basis)
        if kernel.ncols() == 0:
            return []
        basis = basis * kernel
    polys = []
    for j in range(basis.ncols()):
        coeffs = {m: tuple(basis[i * k + u, j] for u in range(k)) for i, m in enumerate(mons)}
        polys.append(ring.from_coefficients({m: c for m, c in coeffs.items() if any(x != 0 for x in c)}))
    return polys


def _echelon(ring: PolynomialRing, polys: list[fmpq_mpoly]) -> list[fmpq_mpoly]:
    """The reduced echelon basis of the span (leading coefficient 1, sorted by leading monomial),
    scaled to primitive integer polynomials over QQ."""
    ech = Echelon(ring)
    for p in polys:
        ech.add(p)
    return [_primitive(p) if ring.field.degree == 1 else p for p in ech.basis()]


def _disjoint_basis(ring: PolynomialRing, polys: list[fmpq_mpoly]) -> list[fmpq_mpoly]:
    """The echelon basis of polynomials with pairwise disjoint supports (orbit sums), without
    elimination: each one's leading monomial is a pivot no other one touches, so scaling to
    leading coefficient 1 (then primitive over QQ) and sorting gives what `_echelon` would."""
    f = ring.field
    out = []
    for p in polys:
        coeffs = ring.coefficients(p)
        lead = max(coeffs)
        inv = f.inv(coeffs[lead])
        scaled = ring.from_coefficients({m: f.mul(c, inv) for m, c in coeffs.items()})
        out.append((lead, _primitive(scaled) if f.degree == 1 else scaled))
    return [p for _, p in sorted(out, key=lambda t: t[0], reverse=True)]


def _primitive(p: fmpq_mpoly) -> fmpq_mpoly:
    from math import gcd, lcm

    coeffs = list(p.to_dict().values())
    den = lcm(*[int(c.q) for c in coeffs])
    num = 0
    for c in coeffs:
        num = gcd(num, int(c.p * den // c.q))
    return p * fmpq(den, num)
