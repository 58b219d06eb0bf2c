"""Fuzzing (#26): random specs either load or raise a molien error, and random small matrix groups
have the Molien series of an independent naive sum over their elements."""
from fractions import Fraction

import sympy
from hypothesis import HealthCheck, given, settings, strategies as st

from invariants import MolienError, molien_series
from invariants.catalogue.spec import load_spec
from invariants.groups.finite.group import MatrixGroup

TOKENS = ["SO(3)", "O(3)", "SO(2)", "O(2)", "U(1)", "U(1)^2", "SU(2)", "O(1,3)", "cyclic(4)", "symmetric(3)",
          ":", "x", "+", "*", "0", "1", "2", "1o", "2e", "1e", "v", "(", ")", ",", "-", "/", "sym", "wedge",
          "10**9", "9**9**9", "1/2", "3/2", " ", "dual", "W(E6)", "A2xB2", "#", "é", "٣", "\x1b[31m"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=7))
def test_random_specs_load_or_raise_a_molien_error(tokens):
    text = "".join(tokens)
    try:
        load_spec(text)
    except MolienError as exc:
        assert str(exc)  # a message that says something


def _closure(generators: list[tuple]) -> list[tuple]:
    """Every product of the generators (matrices as tuples of rows of Fractions), by search."""
    n = len(generators[0])
    identity = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
    seen, frontier = {identity}, [identity]
    while frontier:
        g = frontier.pop()
        for h in generators:
            gh = tuple(tuple(sum(g[i][k] * h[k][j] for k in range(n)) for j in range(n)) for i in range(n))
            if gh not in seen:
                seen.add(gh)
                frontier.append(gh)
    return list(seen)


def _naive_molien(elements: list[tuple], terms: int) -> list[Fraction]:
    """(1/|G|) Σ_g 1/det(I − t g), each term expanded as a power series."""
    t = sympy.Symbol("t")
    total = [Fraction(0)] * terms
    for g in elements:
        det = sympy.Poly(sympy.Matrix(len(g), len(g), lambda i, j: int(i == j) - t * sympy.Rational(g[i][j].numerator,
                                                                                                    g[i][j].denominator)).det(), t)
        c = [Fraction(int(x.p), int(x.q)) for x in reversed(det.all_coeffs())] + [Fraction(0)] * terms
        inverse = [Fraction(1) / c[0]]
        for k in range(1, terms):  # 1/det by the power-series recurrence
            inverse.append(-sum(c[j] * inverse[k - j] for j in range(1, k + 1)) / c[0])
        total = [a + b for a, b in zip(total, inverse)]
    return [x / len(elements) for x in total]


def _signed_permutation(perm: list[int], signs: list[int]) -> tuple:
    n = len(perm)
    return tuple(tuple(Fraction(signs[i]) if perm[i] == j else Fraction(0) for j in range(n)) for i in range(n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 4).flatmap(lambda n: st.lists(
    st.tuples(st.permutations(list(range(n))), st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)),
    min_size=1, max_size=2)))
def test_random_signed_permutation_groups_match_a_naive_molien_sum(gens):
    generators = [_signed_permutation(list(p), s) for p, s in gens]
    elements = _closure(generators)
    group = MatrixGroup([[[str(x) for x in row] for row in g] for g in generators])
    assert group.order() == len(elements)
    naive = _naive_molien(elements, 8)
    assert all(x.denominator == 1 for x in naive)  # dimensions of invariant spaces
    assert molien_series(group).coefficients(8) == [int(x) for x in naive]
