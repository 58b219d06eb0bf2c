"""Ranks on values at random points over GF(p) (`invariants.polynomials.values`): exact modular
products, rank-preserving compression, and choices that agree with exact elimination."""
import math

import numpy as np
import pytest
import sympy
from flint import fmpq

from invariants import MatrixGroup

from invariants.catalogue import alternating, cyclic
from invariants.fields import QQ, cyclotomic_field
from invariants.linalg import dense
from invariants.linalg.modular import as_nmod_columns, mulmod, random_combinations
from invariants.polynomials.values import PointValues, on_zeros
from invariants.rings.context import GradedInvariants
from invariants.polynomials.ring import PolynomialRing
from invariants.rings.ring import invariant_ring
from invariants.rings.context import _select_with_span


def test_mulmod_is_exact_on_large_entries():
    p = 2147483629
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, p, (7, 5000)), rng.integers(0, p, (5000, 4))
    exact = [[sum(int(x) * int(y) for x, y in zip(a[i], b[:, j])) % p for j in range(4)] for i in range(7)]
    assert mulmod(a, b, p).tolist() == exact


def test_compression_keeps_the_rank():
    ring = PolynomialRing(QQ, 3)
    ev = PointValues(ring)
    p = ev.prime
    rng = np.random.default_rng(0)
    low = mulmod(rng.integers(0, p, (400, 17)), rng.integers(0, p, (17, 60)), p)  # rank 17, 400 rows
    assert ev.compress(low).shape == (76, 60)   # the points and a margin (random_combinations)
    assert ev.rank(low) == 17
    assert dense.rank(as_nmod_columns(np.vstack([low[:30], ev.compress(low)]), p)) == 17   # in the span


@pytest.mark.parametrize("p", [2147483629, 1000003, 101])
def test_random_combinations_keep_the_span(p):
    """Small coefficients (one float product, p large) or uniform ones (p small): the combinations
    lie in the rows' span and reach its dimension; 6000 rows of rank 40 (three float blocks)."""
    rng = np.random.default_rng(1)
    for rank, width, rows in [(40, 120, 6000), (120, 120, 500), (3, 50, 70)]:
        low = mulmod(rng.integers(0, p, (rows, rank)), rng.integers(0, p, (rank, width)), p)
        out = random_combinations(low, p, rng)
        assert out.shape[1] == width and (out.shape[0] < rows or out is low)
        assert dense.rank(as_nmod_columns(out, p)) == rank
        assert dense.rank(as_nmod_columns(np.vstack([low[:200], out]), p)) == rank   # inside the span


def test_values_match_exact_evaluation():
    K = cyclotomic_field(5)
    ring = PolynomialRing(K, 2)
    x, y = ring.gens
    alpha = tuple(fmpq(int(i == 1)) for i in range(K.degree))  # the field's generator, α ↦ root mod p
    f = ring.reduce((x + ring.element(alpha) * y) ** 3 * fmpq(2, 3))
    ev = PointValues(ring)
    values = ev.values([f], 5)[0]
    p, r = ev.reduction.p, ev.reduction.root
    for (u, v), got in zip(ev.points[:5].tolist(), values.tolist()):
        assert got == (u + r * v) ** 3 * 2 * pow(3, -1, p) % p


def test_a_denominator_divisible_by_the_prime_is_reported():
    ring = PolynomialRing(QQ, 1)
    ev = PointValues(ring)
    with pytest.raises(ZeroDivisionError, match=f"{ev.prime} divides a denominator"):
        ev.values([ring.gens[0] * fmpq(1, ev.prime)], 3)


@pytest.mark.parametrize("group", [alternating(4), cyclic(5, form="permutation")], ids=["A4", "C5"])
def test_choices_agree_with_exact_elimination(group):
    R = invariant_ring(group)
    G = R.graded
    gens = R.generation.polys
    for d in range(2, 7):
        products = list(G.products([g for g in gens if g.total_degree() < d],
                                   [g.total_degree() for g in gens if g.total_degree() < d], d))
        exact, rank = _select_with_span(R.ring, products, list(R.basis(d)), None, R.dimension(d))
        ev = G.evaluator(0)
        n = R.dimension(d) + 8
        fixed = G.generated_values([g for g in gens if g.total_degree() < d],
                                   [g.total_degree() for g in gens if g.total_degree() < d], d, n, 0)
        chosen, got, _ = ev.select(fixed, G.basis_values(d, n, 0), None, R.dimension(d))
        assert got == rank == R.dimension(d)
        assert [R.basis(d)[i] for i in chosen] == exact


def _direct_sum_of_shifts() -> MatrixGroup:
    """C3 shifting x and y together: two linear invariants, x0 + x1 + x2 and y0 + y1 + y2."""
    shift = [[1 if j == (i + 1) % 3 else 0 for j in range(3)] for i in range(3)]
    return MatrixGroup([[row + [0] * 3 for row in shift] + [[0] * 3 + row for row in shift]])


@pytest.mark.parametrize("make, top", [(lambda: _conjugated_shift(5), 5), (_direct_sum_of_shifts, 4)])
def test_values_at_zeros_of_the_linear_invariants_reach_the_restricted_dimension(make, top):
    """At points where the linear invariants vanish, a basis of R_d has rank exactly
    [t^d](1 − t)^k H(t) (the kernel of restriction is Σ l_i R_{d−1}), and its products with a
    linear invariant are 0: in a basis that is not a permutation basis, and with k = 2."""
    graded = GradedInvariants(make().natural())
    sliced = graded.on_linear_zeros()
    k = graded.dimension(1)
    assert k == len(sliced._vanishing) >= 1
    ev = sliced.evaluator(0)
    for d in range(1, top + 1):
        target = graded.restricted_dimension(d)
        values = sliced.basis_values(d, graded.dimension(d) + 8, 0)
        assert ev.rank(values) == target, d
        assert target == sum((-1) ** j * math.comb(k, j) * graded.dimension(d - j) for j in range(min(k, d) + 1))
        for linear in graded.basis(1):
            assert not (ev.value(linear, graded.dimension(d) + 8)).any()
    assert GradedInvariants(alternating(4).natural()).on_linear_zeros() is not None
    assert GradedInvariants(cyclic(4).natural()).on_linear_zeros() is None   # the rotation: no linear invariant


def test_zeros_of_forms_that_lose_rank_modulo_the_prime_are_refused():
    ring = PolynomialRing(QQ, 2)
    x, y = ring.gens
    ev = PointValues(ring)
    with pytest.raises(ZeroDivisionError):
        on_zeros(ring, ev.reduction, [x + y, x + (1 + ev.prime) * y])   # independent over Q, equal mod p


def _conjugated_shift(n: int) -> MatrixGroup:
    import random

    rng = random.Random(n)
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randint(-1, 1))
        if P.det() != 0:
            break
    shift = sympy.Matrix(n, n, lambda i, j: 1 if j == (i + 1) % n else 0)
    return MatrixGroup([P * shift * P.inv()])


def test_modular_span_keeps_exactly_a_basis_of_the_rows():
    """Rows added one by one: `ModularSpan` keeps those independent of the earlier ones, as many
    as the rank, and its rows stay the reduced echelon form (identity on the pivots)."""
    from invariants.linalg.modular import ModularSpan

    p = 2147483629
    rng = np.random.default_rng(5)
    for rank, width in [(3, 10), (12, 40), (40, 40)]:
        rows = mulmod(rng.integers(0, p, (60, rank)), rng.integers(0, p, (rank, width)), p)
        span = ModularSpan(width, p)
        kept = [i for i, row in enumerate(rows) if span.add(row)]
        assert len(span) == rank == dense.rank(as_nmod_columns(rows, p))
        assert kept == list(range(rank))   # generic rows: the first `rank` are independent
        assert (span.rows[:, span.pivots] == np.eye(rank, dtype=np.int64)).all()
