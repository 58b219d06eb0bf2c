"""Equivariant polynomial maps V → W (covariants) and intertwiners, for any group.

A polynomial map F = Σ_{a,j} c_{a,j} x^a e_j is equivariant exactly when, for the discrete
generators g and the Lie algebra basis X of the group (V and W representations of one group),

    F(g_V x) = g_W F(x)    and    DF(x)·(X_V x) = X_W F(x),

a linear system in the coefficients c, solved exactly over the field (through the prime field,
`invariants.linalg`).  The Hilbert series of the covariants is the relative Molien (or
Molien–Weyl) series Σ_d mult(W in S^d V) t^d.
"""
from __future__ import annotations

from typing import Any

import sympy

import math

from invariants.errors import InputError, TooLargeError, check_int
from invariants.parse import as_expression
from invariants.groups.action import lie_derivative
from invariants.groups.base import check_same_group, common_field
from invariants.groups.representation import Representation, as_representation, molien_series
from invariants.linalg import dense
from invariants.linalg.matrix import Matrix, field_basis_columns
from invariants.polynomials.echelon import Echelon, echelon_basis
from invariants.polynomials.ring import PolynomialRing, monomials
from invariants.rings.ring import invariant_ring
from invariants.rings.context import select_independent
from invariants.series.hilbert import HilbertSeries

# unknowns (monomials × dim W × field degree) of one dense exact kernel: SO(3) on R^3 into its
# irrep 2 at degree 40 has 4,305 and takes 95 s; the time grows like unknowns^2.5
MAX_EQUIVARIANT_UNKNOWNS = 6_000


def check_equivariant_unknowns(n: int, w: int, k: int, d: int) -> None:
    """A `TooLargeError` naming the count and the knob when the equivariants of degree d from an
    n-dimensional V to a w-dimensional W over a field of degree k have too many unknowns."""
    if d < 0:
        return
    count = math.comb(n + d - 1, d) * w * k if n else w * k
    if count > MAX_EQUIVARIANT_UNKNOWNS:
        raise TooLargeError(f"the equivariant maps of degree {d} from dimension {n} to dimension {w} have {count:,} "
                            f"unknown coefficients, above MAX_EQUIVARIANT_UNKNOWNS = {MAX_EQUIVARIANT_UNKNOWNS:,} (one dense "
                            "exact kernel; 4,305 take 95 s and the time grows like unknowns^2.5): lower the degree "
                            "(degree_bound), or raise invariants.covariants.covariants.MAX_EQUIVARIANT_UNKNOWNS",
                            estimate=count, option="invariants.covariants.covariants.MAX_EQUIVARIANT_UNKNOWNS")


def covariant_series(V: Any, W: Any) -> HilbertSeries:
    """Σ_d dim{equivariant F: V → W homogeneous of degree d} t^d.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> H = covariant_series(symmetric(3), symmetric(3))  # free, generators x ↦ (x_i^k), k = 0, 1, 2
        >>> H.form([1, 2, 3])[0]
        [1, 1, 1]
    """
    V, W = _pair(V, W)
    return molien_series(V, W)


def equivariants_of_degree(V: Any, W: Any, d: int) -> list[list[sympy.Expr]]:
    """An exact basis of the equivariant maps V → W of degree d; each map is the list of its
    dim W components, polynomials in x0 … x{n-1} (a reduced echelon basis, primitive over QQ).

    Example:
        >>> from invariants.groups.compact import SO
        >>> two = SO(3).vectors(2)
        >>> equivariants_of_degree(two, SO(3).vector(), 2)
        [[x1*x5 - x2*x4, -x0*x5 + x2*x3, x0*x4 - x1*x3]]
    """
    V, W = _pair(V, W)
    check_int(d, "the degree", 0)
    field = common_field(V.field, W.field)
    n, w = V.dim, W.dim
    check_equivariant_unknowns(n, w, field.degree, d)
    ring = PolynomialRing(field, n)
    mons = monomials(n, d)
    blocks = []
    for gv, gw in zip(V.images, W.images):
        gv = gv.change_field(field)
        blocks.append(_constraint(ring, mons, w, lambda f, gv=gv: ring.substitute(f, gv), gw.change_field(field)))
    for xv, xw in zip(V.lie_algebra, W.lie_algebra):
        xv = xv.change_field(field)
        blocks.append(_constraint(ring, mons, w, lambda f, xv=xv: lie_derivative(ring, f, xv), xw.change_field(field)))
    k = field.degree
    size = len(mons) * w * k
    if blocks:
        kernel = dense.kernel(dense.vstack(blocks))
    else:
        kernel = field.prime_matrix(size, size, [int(i == j) for i in range(size) for j in range(size)])
    chosen = dense.columns(kernel, field_basis_columns(field, kernel))
    return _maps_from_columns(chosen, mons, n, w, field)


def _maps_from_columns(columns: Any, mons: list, n: int, w: int, field: Any) -> list[list[sympy.Expr]]:
    """Maps from their coefficient vectors (unknown (a, j) at position (a·w + j)·k), as the reduced
    echelon basis of their span, pivots ordered by component (the last first), then monomial."""
    k = field.degree
    # variables: one marker per component, the last component first, then x: the leading term of a
    # map is then its last non-zero component's leading monomial
    ring = PolynomialRing(field, w + n)
    polys = []
    entries, width = columns.entries(), columns.ncols()
    for col in range(width):
        coeffs = {}
        for u, m in enumerate(mons):
            for j in range(w):
                c = tuple(entries[((u * w + j) * k + t) * width + col] for t in range(k))
                if any(x != 0 for x in c):
                    coeffs[tuple(int(i == w - 1 - j) for i in range(w)) + tuple(m)] = c
        polys.append(ring.from_coefficients(coeffs))
    x = sympy.symbols(f"x0:{n}")
    out = []
    for p in echelon_basis(ring, polys):
        comps = [sympy.Integer(0)] * w
        for mono, c in ring.coefficients(p).items():
            j = w - 1 - mono[:w].index(1)
            comps[j] += field.to_sympy_pretty(c) * sympy.Mul(*[v ** e for v, e in zip(x, mono[w:])])
        out.append([sympy.expand(c) for c in comps])
    return out


def equivariant_linear_maps(V: Any, W: Any) -> list[sympy.Matrix]:
    """An exact basis of Hom_G(V, W): the matrices A with A ρ_V(g) = ρ_W(g) A (and A X_V = X_W A).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> len(equivariant_linear_maps(symmetric(4), symmetric(4)))
        2
    """
    V, W = _pair(V, W)
    x = sympy.symbols(f"x0:{V.dim}")
    return [sympy.Matrix([[sympy.Poly(c, *x).coeff_monomial(v) for v in x] for c in f])
            for f in equivariants_of_degree(V, W, 1)]


def _pair(V: Any, W: Any) -> tuple[Representation, Representation]:
    V, W = as_representation(V), as_representation(W)
    check_same_group(V, W)
    return V, W


def _constraint(ring: PolynomialRing, mons, w: int, act, gw: Matrix) -> Any:
    """Rows: coefficients of act(x^a) e_j − x^a (g_W e_j) (or with X_W), for every unknown (a, j)."""
    field = ring.field
    k = field.degree
    ents = gw.entries()
    columns: list[dict] = []
    for m in mons:
        image = ring.coefficients(act(ring.monomial(m)))
        for j in range(w):
            col: dict = {}
            for b, c in image.items():
                col[(b, j)] = c
            for i in range(w):  # − x^m (g_W)_{ij}
                if not field.is_zero(ents[i][j]):
                    key = (tuple(m), i)
                    col[key] = field.add(col.get(key, field.zero), field.neg(ents[i][j]))
            columns.append({key: v for key, v in col.items() if not field.is_zero(v)})
    keys = sorted({key for col in columns for key in col})
    index = {key: r for r, key in enumerate(keys)}
    out = field.prime_matrix(max(len(keys), 1) * k, len(columns) * k)
    for c, col in enumerate(columns):
        for key, v in col.items():
            block = field.mult_matrix(v) if k > 1 else None
            for s in range(k):
                for t in range(k):
                    val = block[s, t] if k > 1 else v[0]
                    if val != 0:
                        out[index[key] * k + s, c * k + t] = val
    return out


class CovariantModule:
    """The module of equivariant maps V → W over the invariant ring R = K[V]^G.

    ``free_basis`` s_j: M = ⊕ s_j K[p] over the primary invariants p (M is free over K[p]: it is
    a direct summand of K[V] ⊗ W, free over K[p], for finite and compact groups alike);
    ``generators``: minimal generators over R, degree by degree up to the largest free-basis
    degree (only up to ``degree_bound`` when one is given: then no free basis, not certified);
    ``express(F)`` writes an equivariant map as Σ_j q_j e_j with invariant q_j.  Maps are lists
    of dim W polynomials in x0 … x{n-1}.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> M = covariant_module(symmetric(3), symmetric(3))
        >>> M.free_basis_degrees, M.generator_degrees
        ([0, 1, 2], [0, 1, 2])
    """

    def __init__(self, V: Any, W: Any, *, degree_bound: int | None = None):
        V, W = _pair(V, W)
        self.V, self.W = V, W
        self.n, self.w = V.dim, W.dim
        self.ring = invariant_ring(V)
        self.series = covariant_series(V, W)
        field = common_field(V.field, W.field)
        self._xy = PolynomialRing(field, self.n + self.w)
        self._maps: dict[int, list] = {}
        self._free, self.free_basis_degrees = [], []
        self._generators, self.generator_degrees = [], []
        self._complete = False
        if degree_bound is not None:
            self._generators, self.generator_degrees = self._generators_through(degree_bound)
        else:
            self._build_free_basis()

    def _build_free_basis(self) -> None:
        primaries = [self._lift(sympy.sympify(p)) for p in self.ring.primary]
        pdeg = self.ring.primary_degrees
        counts, _ = self.series.form(pdeg)
        if min(counts) < 0:
            raise InputError(f"the covariants are not free over the primaries (numerator {counts}): "
                             "no Hironaka-type basis exists")
        basis, basis_deg = [], []
        for e, need in enumerate(counts):
            if not need:
                continue
            ideal = [p * m for p, dp in zip(primaries, pdeg) if dp <= e for m in self._space(e - dp)]
            picked = select_independent(self._xy, ideal, self._space(e), need, self.series[e])
            if len(picked) != need:
                raise AssertionError(f"only {len(picked)} of {need} free generators in degree {e}")  # pragma: no cover
            basis += picked
            basis_deg += [e] * need
        self._free, self.free_basis_degrees = basis, basis_deg
        self._complete = True
        self._generators, self.generator_degrees = self._generators_through(max(basis_deg, default=-1))

    def _generators_through(self, bound: int) -> tuple[list, list[int]]:
        """Minimal generators over R of degree <= bound: in each degree the maps not in the
        R-span of the lower ones (read off a classical theorem when one applies)."""
        known = self.V.group.classical_covariants(self.V, self.W, self.ring.ring)
        if known is not None:
            to_sympy = self.ring.ring.to_sympy
            picked = [(f, d) for f, d in zip(known.maps, known.degrees) if d <= bound]
            return [self._as_poly([to_sympy(c) for c in f]) for f, _ in picked], [d for _, d in picked]
        check_equivariant_unknowns(self.n, self.w, self._xy.field.degree, bound)   # before the lower degrees
        gens, gens_deg = [], []
        for e in range(bound + 1):
            products = [self._lift(r) * g for g, dg in zip(gens, gens_deg) if dg <= e
                        for r in self._invariants(e - dg)]
            picked = select_independent(self._xy, products, self._space(e), None, self.series[e])
            gens += picked
            gens_deg += [e] * len(picked)
        return gens, gens_deg

    # -- conversions ---------------------------------------------------------------------------
    def _lift(self, p: Any):
        return self._xy.from_sympy(p)

    def _as_poly(self, f: list) -> Any:
        y = sympy.symbols(f"x{self.n}:{self.n + self.w}")
        names = [f"x{i}" for i in range(self.n)]
        return self._xy.from_sympy(sum((as_expression(c, names) * yj for c, yj in zip(f, y)), sympy.Integer(0)))

    def _as_map(self, p: Any) -> list[sympy.Expr]:
        expr = sympy.expand(self._xy.to_sympy(p))
        y = sympy.symbols(f"x{self.n}:{self.n + self.w}")
        return [sympy.expand(expr.coeff(yj)) for yj in y]

    def _space(self, e: int) -> list:
        if e not in self._maps:
            self._maps[e] = [self._as_poly(f) for f in equivariants_of_degree(self.V, self.W, e)]
        return self._maps[e]

    def _invariants(self, d: int) -> list:
        return [self.ring.ring.to_sympy(p) for p in self.ring.basis(d)]

    # -- the public view ---------------------------------------------------------------------------
    @property
    def free_basis(self) -> list[list[sympy.Expr]]:
        return [self._as_map(p) for p in self._free]

    @property
    def generators(self) -> list[list[sympy.Expr]]:
        return [self._as_map(p) for p in self._generators]

    @property
    def certified(self) -> bool:
        """Free basis and generators proven.  The primaries p are a proven hsop, so K[V] ⊗ W is
        free over K[p]; the Reynolds operator (average over a finite group, Haar integral over a
        compact one) makes M a graded direct summand of it, hence free, and M/(p)M has exactly the
        dimensions of the numerator of H_M(t)∏(1 − t^{d_i}).  The free basis was chosen
        independent modulo (p)M with those counts, so it spans M/(p)M and (graded Nakayama) M."""
        return self._complete and self.ring.certificate.certified

    def express(self, f: list) -> list[sympy.Expr]:
        """Invariants q_j with f = Σ_j q_j · generators[j] (exact; InputError if f is not equivariant)."""
        target = self._as_poly(f)
        parts: dict[int, Any] = {}
        for mono, c in self._xy.coefficients(target).items():
            d = sum(mono[: self.n])
            parts.setdefault(d, {})[mono] = c
        coeffs = [sympy.Integer(0)] * len(self._generators)
        for d, part in parts.items():
            ech = Echelon(self._xy)
            for j, (g, dg) in enumerate(zip(self._generators, self.generator_degrees)):
                if dg <= d:
                    for k, r in enumerate(self._invariants(d - dg)):
                        ech.add(self._lift(r) * g, tag=(j, k))
            combo = ech.solve(self._xy.from_coefficients(part))
            if combo is None:
                raise InputError(f"the degree-{d} part of the map is not equivariant")
            for (j, k), c in combo.items():
                coeffs[j] += self._xy.field.to_sympy(c) * self._invariants(d - self.generator_degrees[j])[k]
        return [sympy.expand(q) for q in coeffs]

    def __repr__(self) -> str:
        return (f"CovariantModule(free basis degrees {self.free_basis_degrees}, "
                f"generator degrees {self.generator_degrees})")


def covariant_module(V: Any, W: Any, degree_bound: int | None = None) -> CovariantModule:
    """The covariant module of equivariant maps V → W; see `CovariantModule`.

    With ``degree_bound`` only the generators of degree <= bound are computed (no primaries,
    no free basis, not certified complete) — enough to ``express`` maps of low degree."""
    return CovariantModule(V, W, degree_bound=degree_bound)


def covariant_generators_up_to(V: Any, W: Any, bound: int) -> list[list[sympy.Expr]]:
    """Minimal generators over K[V]^G of the equivariant maps V → W, of degree <= bound — no
    primaries needed (cheap for a model; complete only if bound reaches the generator degrees).

    Example:
        >>> from invariants.groups.compact import SO
        >>> len(covariant_generators_up_to(SO(3).vectors(2), SO(3).vector(), 2))
        3
    """
    return CovariantModule(V, W, degree_bound=bound).generators
