"""The simplest inputs: trivial groups, trivial representations, zero-dimensional spaces and
invariant rings with no generators (issue #22: two of them used to crash the CLI).

Each case states the answer by hand: K[V]^G for G acting trivially is K[V] (series 1/(1 − t)^n,
the coordinates as generators); the zero space has K[0] = K (series 1, nothing generates, the
secondary is 1); a torus or SU(2) without zero weights in any symmetric power has only constants.
"""
from __future__ import annotations

import json

import pytest
import sympy

from invariants import (MatrixGroup, SO3, covariant_series, equivariants_of_degree, invariant_ring,
                        invariants_of_degree, isotypic_decomposition, load_spec, molien_series, symmetric)
from invariants.cli import main

T = sympy.Symbol("t")

# (spec or builder, n, Hilbert series as a sympy expression in t)
TRIVIAL_ACTIONS = {
    "cyclic(1)": (lambda: load_spec("cyclic(1)"), 2),
    "identity 3x3": (lambda: MatrixGroup([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]), 3),
    "SO(3):0,0": (lambda: load_spec("SO(3):0,0"), 2),
    "U(1):0": (lambda: load_spec("U(1):0"), 1),
    "S3 sign^2": (lambda: symmetric(3).natural().ext(3).sym(2), 1),
}

ZERO_SPACES = {
    "symmetric(3):ext4(v)": lambda: symmetric(3).natural().ext(4),
    "SO(3):ext4(1)": lambda: load_spec("SO(3):ext4(1)"),
    "U(1):ext2(1)": lambda: load_spec("U(1):ext2(1)"),
    "SU(2):ext3(1/2)": lambda: load_spec("SU(2):ext3(1/2)"),
}

CONSTANTS_ONLY = ["SU(2):1/2", "SU(3):3", "U(1):1,1", "U(1):1,2", "U(1)^2:(1,0),(0,1),(1,1)"]


@pytest.mark.parametrize("name", TRIVIAL_ACTIONS)
def test_a_trivial_action_has_the_whole_polynomial_ring(name):
    build, n = TRIVIAL_ACTIONS[name]
    V = build()
    assert molien_series(V).coefficients(6) == [sympy.binomial(n + d - 1, d) for d in range(6)]
    R = invariant_ring(V)
    assert R.generator_degrees == [1] * n and R.primary_degrees == [1] * n and R.secondary == [1]
    assert R.certificate.certified
    assert len(invariants_of_degree(V, 2)) == n * (n + 1) // 2


@pytest.mark.parametrize("name", ZERO_SPACES)
def test_the_zero_space_has_only_constants(name):
    V = ZERO_SPACES[name]()
    assert V.dim == 0
    H = molien_series(V)
    assert H.coefficients(4) == [1, 0, 0, 0] and H.to_sympy() == 1
    assert invariants_of_degree(V, 0) == [1] and invariants_of_degree(V, 3) == []
    R = invariant_ring(V)
    assert (R.generators, R.primary, R.secondary) == ([], [], [1]) and R.certificate.certified
    assert repr(isotypic_decomposition(V)) == "0"


def test_maps_into_and_out_of_the_zero_space():
    """Hom(K[0], W)^G = W^G in degree 0; Hom(K[V], 0) = 0 (the relative series used to read an
    empty twist as no twist and return the invariant series)."""
    V = symmetric(3).natural()
    Z = V.ext(4)
    assert molien_series(Z, V).to_sympy() == 1  # (1, 1, 1) is fixed by S3
    assert molien_series(V, Z).to_sympy() == 0
    assert equivariants_of_degree(Z, V, 0) == [[1, 1, 1]]
    assert equivariants_of_degree(V, Z, 2) == []
    W = SO3().irrep(1)
    assert molien_series(W.ext(4), W).to_sympy() == 0 and molien_series(W, W.ext(4)).to_sympy() == 0
    assert covariant_series(W, W.ext(4)).to_sympy() == 0


@pytest.mark.parametrize("spec", CONSTANTS_ONLY)
def test_rings_without_generators(spec):
    V = load_spec(spec)
    assert molien_series(V).to_sympy() == 1
    R = invariant_ring(V)
    assert (R.generators, R.primary, R.secondary) == ([], [], [1]) and R.certificate.certified


@pytest.mark.parametrize("spec", ["SU(2):1/2", "U(1):1,1", "SO(3):ext4(1)", "symmetric(3):ext4(v)", "cyclic(1)"])
def test_the_command_line_answers_them(spec, capsys):
    assert main(["series", spec, "--json", "--terms", "3"]) == 0
    series = json.loads(capsys.readouterr().out)
    assert main(["ring", spec, "--json"]) == 0
    ring = json.loads(capsys.readouterr().out)
    assert ring["certified"] is True
    if spec == "cyclic(1)":
        assert series["coefficients"] == [1, 2, 3] and ring["generator_degrees"] == [1, 1]
    else:
        assert series["coefficients"] == [1, 0, 0] and ring["generators"] == [] and ring["secondary_degrees"] == [0]
