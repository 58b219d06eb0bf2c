"""Invariants of one degree of a finite matrix group: three methods, chosen by cost.

- ``orbit_sums``: generators that are monomial matrices (permutations with root-of-unity
  scalars) map monomials to multiples of monomials, so invariants are weighted orbit sums;
- ``power_sums``: Reynolds images of d-th powers of linear forms span the invariants (powers of
  linear forms span S^d); for a covector ℓ, R(ℓ^d) is the average of (ℓ∘g)^d over the orbit of
  ℓ, cheap when the orbit is small.  Orbits are tried until the rank reaches the Molien
  coefficient;
- ``fixed_space``: the common kernel of (g − 1) on S^d V over the generators, by successive
  intersection, one class of monomials linked by the generators at a time — the method over GF(q),
  where (when p divides |G|) no Reynolds operator exists.

`modular_invariant_dimension` sizes the space without the Molien series (for groups too large to
enumerate): a rank over GF(p), proven equal to the dimension.
"""
from __future__ import annotations

import itertools
import random
from math import comb, lcm
from typing import Any

import numpy as np
from flint import fmpq_mpoly, fmpz_mpoly_ctx, nmod_mat

from invariants.errors import InputError, TooLargeError
from invariants.fields.base import Element
from invariants.fields.primes import WORD, reductions
from invariants.groups.finite.orbits import OrbitOverflow, VectorOrbit, overflow
from invariants.groups.finite.partition import Partition
from invariants.linalg import dense
from invariants.linalg.matrix import Matrix
from invariants.linalg.modular import ModularSpan, mulmod
from invariants.polynomials.echelon import Echelon, disjoint_basis, echelon_basis, over_rationals
from invariants.polynomials.powers import power_products
from invariants.polynomials.ring import PolynomialRing, monomials

DEFAULT_MAX_ORBIT_SUM = 200_000
METHODS = ("auto", "orbit_sums", "power_sums", "fixed_space")
ORBIT_SUM_FACTOR = 50  # orbit sums list the monomials without solving: this many per unit of max_monomials


def finite_invariant_basis(group: Any, d: int, ring: PolynomialRing, *, expected: int | None, method: str,
                           max_monomials: int) -> tuple[list[fmpq_mpoly], str]:
    """A basis of the degree-d invariants of a finite matrix group, and the method used.

    The simplest basis each method gives, primitive integer polynomials over QQ: orbit sums
    (sorted by leading monomial; they are the reduced echelon basis), the independent power sums
    Σ_orbit (ℓ∘g)^d as found (no elimination: in a non-permutation basis the reduced echelon form
    of dense invariants has coefficients of hundreds of digits where the power sums have a dozen),
    or the echelon basis of the fixed space.  `InvariantSpace.echelon` is the canonical form.

    Example:
        >>> from invariants import symmetric
        >>> from invariants.polynomials.ring import PolynomialRing
        >>> from invariants.fields import QQ
        >>> basis, how = finite_invariant_basis(symmetric(3), 2, PolynomialRing(QQ, 3), expected=2,
        ...                                     method="auto", max_monomials=10_000)
        >>> len(basis), how
        (2, 'orbit_sums')
    """
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    size = comb(group.degree + d - 1, d)
    columns = getattr(group, "monomial_columns", None)  # known sparse: no n² entries to read per generator
    monomial_group = columns is not None or all(_is_monomial(g) for g in group.generators)
    if method == "auto":  # over GF(p) there are no orbit averages (no Reynolds operator when p | |G|)
        method = "orbit_sums" if monomial_group else "fixed_space" if group.field.characteristic else "power_sums"
    if method == "orbit_sums":
        if not monomial_group:
            raise InputError("orbit_sums needs monomial generators (permutation matrices with scalars)")
        if size > ORBIT_SUM_FACTOR * max_monomials:
            _refuse(size, max_monomials, ORBIT_SUM_FACTOR)
        return disjoint_basis(ring, _orbit_sums(group, ring, d)), method
    if method == "power_sums":
        basis = _power_sums(group, ring, d, expected)
        if basis is not None:
            return basis, method
        method = "fixed_space"
    if size > max_monomials:
        _refuse(size, max_monomials)
    return echelon_basis(ring, _fixed_space(group, ring, d)), method


def _refuse(size: int, max_monomials: int, factor: int = 1) -> None:
    limit = f"{factor} x max_monomials = {factor * max_monomials:,}" if factor > 1 else f"max_monomials={max_monomials}"
    advice = -(-size // factor)
    raise TooLargeError(
        f"degree-d polynomials form a space of dimension {size}, above {limit}; "
        f"pass max_monomials={advice} to compute anyway (memory grows like its square)",
        estimate=size, option="max_monomials")


def modular_invariant_dimension(group: Any, d: int) -> int:
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
                table = power_products(ring, forms, mons)
                entries = [0] * (size * size)
                for j, mono in enumerate(mons):
                    for target, c in ring.coefficients(table[mono]).items():
                        entries[index[target] * size + j] = red.element(c)
                    entries[j * size + j] = (entries[j * size + j] - 1) % p
                blocks.append(entries)
        except ZeroDivisionError:
            continue  # p divides a denominator: try another prime
        stacked = nmod_mat(len(blocks) * size, size, [x for b in blocks for x in b], p)
        return size - dense.rank(stacked)
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
    for idx, g in enumerate(group.generators):
        if getattr(group, "monomial_columns", None) is not None:  # g e_j = c e_i: row i holds c in column j
            cols, scal = [0] * group.degree, [f.zero] * group.degree
            for j, (i, c) in enumerate(group.monomial_columns[idx]):
                cols[i], scal[i] = j, c
        else:
            ents = g.entries()
            cols = [next(j for j, x in enumerate(row) if not f.is_zero(x)) for row in ents]
            scal = [ents[i][cols[i]] for i in range(len(ents))]
        actions.append((cols, scal))
    if f.degree == 1 and f.characteristic == 0 and all(x[0] in (1, -1) for _, scal in actions for x in scal):
        if all(x[0] == 1 for _, scal in actions for x in scal) and (d + 1) ** ring.n < 1 << 62:
            return _permutation_orbit_sums(ring, [cols for cols, _ in actions], d)
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


def _permutation_orbit_sums(ring: PolynomialRing, perms: list[list[int]], d: int) -> list[fmpq_mpoly]:
    """`_orbit_sums` for permutation matrices, on arrays: every monomial of degree d is a number
    in base d + 1, each generator a map on their sorted list, and the orbits the classes of the
    smallest index reachable along the generators (an orbit of a finite group is strongly
    connected, so propagating minima forward reaches every element of it)."""
    monos = np.array(monomials(ring.n, d), dtype=np.int64).reshape(-1, ring.n)
    weights = (d + 1) ** np.arange(ring.n, dtype=np.int64)
    keys = monos @ weights
    order = np.argsort(keys)
    sorted_keys = keys[order]
    images = []
    for cols in perms:
        moved = np.empty_like(monos)
        moved[:, cols] = monos  # x_i -> x_{cols[i]}: the exponent of x_i moves to x_{cols[i]}
        images.append(order[np.searchsorted(sorted_keys, moved @ weights)])
    label = np.arange(len(monos))
    while True:
        before = label
        for image in images:
            label = np.minimum(label, label[image])
        label = label[label]  # pointer jumping: the minimum of the minimum
        if np.array_equal(label, before):
            break
    rows = monos.tolist()
    by_orbit: dict[int, dict] = {}
    for k, root in enumerate(label.tolist()):
        by_orbit.setdefault(root, {})[tuple(rows[k])] = 1
    return [ring.ctx.from_dict(terms) for terms in by_orbit.values()]


def _signed_orbit_sums(ring: PolynomialRing, actions: list[tuple[list[int], list[int]]], d: int) -> list[fmpq_mpoly]:
    """`_orbit_sums` for signed permutation matrices over QQ, on integers: x^e ↦ ±x^{π(e)}.  Only
    the generators that move or negate a variable of x^e can change it, so each monomial meets a
    few generators, not all (symmetric(100) in degree 2: 5,050 monomials times 2 transpositions)."""
    seen: set[tuple[int, ...]] = set()
    out = []
    n = ring.n
    touching: list[list[int]] = [[] for _ in range(n)]
    for gi, (cols, signs) in enumerate(actions):
        for i in range(n):
            if cols[i] != i or signs[i] < 0:
                touching[i].append(gi)

    def image(e: tuple[int, ...], gi: int) -> tuple[tuple[int, ...], int]:
        cols, signs = actions[gi]
        target, sign = list(e), 1
        support = [i for i, ei in enumerate(e) if ei]
        for i in support:
            target[i] -= e[i]
        for i in support:
            target[cols[i]] += e[i]
            if signs[i] < 0 and e[i] & 1:
                sign = -sign
        return tuple(target), sign

    def movers(e: tuple[int, ...]) -> set[int]:
        return {gi for i, ei in enumerate(e) if ei for gi in touching[i]}

    for start in monomials(n, d):
        if start in seen:
            continue
        weights = {start: 1}
        frontier, consistent = [start], True
        while frontier and consistent:
            nxt = []
            for e in frontier:
                for gi in movers(e):
                    t, sign = image(e, gi)
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
                for gi in movers(e):
                    t = image(e, gi)[0]
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
    """Orbit averages of (ℓ∘g)^d for covectors ℓ of growing orbit size, until the rank is reached.

    Whether a power sum is new is decided on its values at points mod p (`_PowerSumValues`)
    before it is expanded: only the ``expected`` accepted ones are computed over K (the C7
    shift in another basis tries about twice as many covectors as it keeps, each a dense
    polynomial of 1716 terms in degree 7)."""
    if expected is None:
        return None
    f, n = group.field, group.degree
    k = f.degree
    transposes = [g.transpose().q for g in group.generators]  # ℓ∘g = (g^T ℓ^T)^T
    found: list[fmpq_mpoly] = []
    values = _PowerSumValues(ring, d, expected) if not f.characteristic else None
    exact = Echelon(ring) if values is None or values.reduction is None else None  # GF(p): exact elimination
    budget = DEFAULT_MAX_ORBIT_SUM
    for ell in _covectors(n):
        if budget <= 0:
            return None
        start = [tuple(f.from_rational(v)[0] if u == 0 else f.zero[0] for v in ell for u in range(k))]
        try:
            orbit = VectorOrbit(transposes, start, min(budget, group.order()), overflow)
        except OrbitOverflow:
            continue
        budget -= len(orbit.points)
        forms = [[tuple(pt[i * k:(i + 1) * k]) for i in range(n)] for pt in orbit.points]
        if exact is not None:
            total = _primitive_power_sum(ring, forms, d)
            if not exact.add(total):
                continue
        else:
            try:
                if not values.add(forms):
                    continue
            except ZeroDivisionError:  # p divides a coordinate's denominator: another covector
                continue
            total = _primitive_power_sum(ring, forms, d)
        found.append(total)
        if len(found) == expected:
            return found
    return None


def _primitive_power_sum(ring: PolynomialRing, forms: list[list[Element]], d: int) -> fmpq_mpoly:
    """Σ ℓ^d, as a primitive integer polynomial over QQ: the forms times a common denominator L
    (Σ (Lℓ)^d = L^d Σ ℓ^d has the same primitive part) are summed and made primitive in flint's
    integer polynomials, in C rather than a Python pass over the terms (dense power sums of
    degree 7 in 7 variables have 1716 terms)."""
    if not over_rationals(ring):
        return ring.power_sum(forms, d)
    common = lcm(*[int(c[0].q) for form in forms for c in form])
    zring = fmpz_mpoly_ctx.get(ring.ctx.names(), "lex")
    zero = zring.from_dict({})
    total = zero
    for form in forms:
        total += sum((int(c[0].p) * (common // int(c[0].q)) * x for c, x in zip(form, zring.gens()) if c[0] != 0),
                     zero) ** d
    _, part = total.primitive()
    return fmpq_mpoly(part, ring.ctx)


class _PowerSumValues:
    """Is Σ_ℓ ℓ^d new?  Decided on its values at ``expected`` + 8 random points of GF(p)^n: the
    value of Σ ℓ^d at x is Σ ℓ(x)^d, a product and d powers of numbers, no polynomial.  Evaluation
    then reduction is a linear map on the p-integral invariants, so what has independent values
    is independent over K (`invariants.polynomials.values`); unlucky points can only reject an
    independent one, which costs another covector.  ``reduction`` is None when the field has no
    reduction below 2^31 (the caller eliminates exactly)."""

    def __init__(self, ring: PolynomialRing, d: int, expected: int):
        self.reduction = next(reductions(ring.field, below=WORD), None)
        self.d = d
        if self.reduction is not None:
            self.p = self.reduction.p
            rng = np.random.default_rng(d)
            self.points = rng.integers(1, self.p, size=(ring.n, expected + 8), dtype=np.int64)
            self.span = ModularSpan(expected + 8, self.p)

    def add(self, forms: list[list[Element]]) -> bool:
        """Keep the power sum of these linear forms if its values are new (ZeroDivisionError when
        p divides a denominator of their coefficients)."""
        p = self.p
        coords = np.array([self.reduction.elements(form) for form in forms], dtype=np.int64)
        linear = mulmod(coords, self.points, p)  # ℓ(x) for every form and point
        power = np.ones_like(linear)
        base, e = linear, self.d
        while e:
            if e & 1:
                power = power * base % p
            base = base * base % p
            e >>= 1
        return self.span.add(power.sum(axis=0) % p)


def _covectors(n: int):
    for i in range(n):
        yield [1 if j == i else 0 for j in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        yield [1 if t in (i, j) else 0 for t in range(n)]
        yield [1 if t == i else (-1 if t == j else 0) for t in range(n)]
    for i, j in itertools.combinations(range(n), 2):
        yield [2 if t == i else (1 if t == j else 0) for t in range(n)]
    rng = random.Random(12345)
    for _ in range(200):
        yield [rng.randint(-3, 3) for _ in range(n)]


def _fixed_space(group: MatrixGroup, ring: PolynomialRing, d: int) -> list[fmpq_mpoly]:
    """Common kernel of S^d(g^T) − 1 (the substitution action) over the generators.

    The monomials of degree d split into classes that no generator's image connects (for a
    block-diagonal group, one class per multidegree in the blocks): every S^d(g) is block diagonal
    on them, so the fixed space is the direct sum of the classes' fixed spaces, each found on its
    own small matrices (U_2(F_8) on two copies in degree 14: 15 classes of at most 64 monomials
    instead of one of 680).  Within a class the kernel of the first generator is restricted to the
    next, and so on.
    """
    mons = monomials(group.degree, d)
    index = {m: i for i, m in enumerate(mons)}
    blocks: dict = {}  # coefficient -> its prime-field block, made once: coefficients repeat

    def block(c: Element) -> list:
        if c not in blocks:
            blocks[c] = _block(group.field, c)
        return blocks[c]

    images = []  # per generator and monomial: (monomial index, block) for the terms of its image
    for g in group.generators:
        forms = [ring.linear_form(row) for row in g.entries()]  # x_i ↦ (g x)_i
        table = power_products(ring, forms, mons)
        images.append([[(index[m], block(c)) for m, c in ring.coefficients(table[m]).items()] for m in mons])
    polys: list[fmpq_mpoly] = []
    for members in _connected_classes(len(mons), images):
        polys += _class_fixed_space(group.field, ring, [mons[i] for i in members], members, images)
    return polys


def _block(field: Any, c: Element) -> list[tuple[int, int, Any]]:
    """The non-zero entries (u, v, value) of the prime-field block of x ↦ c·x (c itself for k = 1)."""
    if field.degree == 1:
        return [(0, 0, c[0])]
    m = field.mult_matrix(c)
    return [(u, v, m[u, v]) for u in range(field.degree) for v in range(field.degree) if m[u, v] != 0]


def _connected_classes(size: int, images: list[list[list]]) -> list[list[int]]:
    """The classes of monomial indices linked by 'occurs in the image of' under some generator
    (union–find), each sorted, in the order of their first members."""
    linked = Partition(size)
    for columns in images:
        for j, column in enumerate(columns):
            for i, _ in column:
                linked.join(i, j)
    return list(linked.classes().values())


def _class_fixed_space(field: Any, ring: PolynomialRing, mons: list, members: list[int],
                       images: list[list[list]]) -> list[fmpq_mpoly]:
    """The fixed polynomials supported on one class of monomials (``members``, their indices).

    Over K of degree k the matrices are over the prime field, in k×k blocks.  The fixed space is a
    K-space, and its prime-field kernel basis comes in runs of k: the free coordinates of a K-linear
    map's rref are whole blocks (a^v·c is independent of earlier columns exactly when c is), and the
    kernel vector of the v-th coordinate of a block is a^v times that of the first.  So the first of
    each run is a K-basis, and the restriction stays the expansion of a K-matrix."""
    k, size = field.degree, len(members)
    local = {i: r for r, i in enumerate(members)}
    basis = None  # the identity at first: multiplying by it would cost a cube of the size
    for columns in images:
        t = field.prime_matrix(k * size, k * size)
        for r, j in enumerate(members):
            for i, block in columns[j]:
                row, col = local[i] * k, r * k
                for u, v, x in block:
                    t[row + u, col + v] = x
        for i in range(k * size):
            t[i, i] -= 1
        kernel = dense.kernel(t if basis is None else t * basis)
        if kernel.ncols() == 0:
            return []
        basis = kernel if basis is None else basis * kernel
    entries, width = basis.entries(), basis.ncols()  # one call: indexing a flint matrix entry by entry is slow
    if width % k:  # pragma: no cover - impossible for a K-linear map (see above)
        raise AssertionError(f"a prime-field kernel of width {width} is not a {field.name}-space")
    polys = []
    for j in range(0, width, k):
        column = entries[j::width]
        coeffs = ((m, tuple(column[r * k:r * k + k])) for r, m in enumerate(mons))
        polys.append(ring.from_coefficients({m: c for m, c in coeffs if any(c)}))
    return polys


