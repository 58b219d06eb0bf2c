"""Ranks on values at random points over GF(p) (`invariants.polynomials.values`): exact modular
products, rank-preserving compression, and choices that agree with exact elimination."""
import numpy as np
import pytest
from flint import fmpq

from invariants.catalogue import alternating, cyclic
from invariants.fields import QQ, cyclotomic_field
from invariants.linalg import dense
from invariants.linalg.modular import as_nmod_columns, mulmod, random_combinations
from invariants.polynomials.values import PointValues
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
