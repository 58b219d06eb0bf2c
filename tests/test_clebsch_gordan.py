"""Exact Clebsch–Gordan maps of SO(3): the defining equation at rational rotations, the general
solver's span, e3nn's wigner_3j after the change of basis, and the sphere norms."""
import numpy as np
import pytest
from flint import fmpq

from invariants import SO3, InputError, equivariant_linear_maps
from invariants.groups.compact import rational_rotation
from invariants.groups.compact.clebsch_gordan import clebsch_gordan, sphere_norms
from invariants.groups.compact.harmonics import harmonic_polynomials, real_solid_harmonics

ROTATIONS = [rational_rotation(1, 2, 3, 4), rational_rotation(3, -1, 0, 2)]
TRIPLES = [(a, b, c) for a in range(5) for b in range(5) for c in range(abs(a - b), a + b + 1)]


@pytest.mark.parametrize("l1,l2,l", TRIPLES)
def test_clebsch_gordan_is_exactly_equivariant(l1, l2, l):
    group = SO3()
    C = clebsch_gordan(l1, l2, l)
    assert C.shape == (2 * l + 1, (2 * l1 + 1) * (2 * l2 + 1))
    assert any(c != 0 for row in C.entries() for (c,) in row)
    for R in ROTATIONS:
        assert C @ group.irrep(l1)(R).kron(group.irrep(l2)(R)) == group.irrep(l)(R) @ C


@pytest.mark.parametrize("l1,l2,l", [(1, 1, 1), (1, 2, 2), (2, 2, 1), (2, 2, 2), (1, 2, 3), (2, 3, 2)])
def test_clebsch_gordan_spans_the_general_solvers_answer(l1, l2, l):
    group = SO3()
    (general,) = equivariant_linear_maps(group.irrep(l1) * group.irrep(l2), group.irrep(l))
    ours = np.array([[float(c) for (c,) in row] for row in clebsch_gordan(l1, l2, l).entries()])
    general = np.array(general.tolist(), dtype=float)
    ratio = general.ravel() @ ours.ravel() / (ours.ravel() @ ours.ravel())
    np.testing.assert_allclose(general, ratio * ours, atol=1e-12)


@pytest.mark.parametrize("l1,l2,l", [(1, 1, 0), (1, 1, 1), (1, 1, 2), (2, 2, 1), (2, 3, 4), (3, 3, 3), (4, 3, 2), (6, 5, 4)])
def test_clebsch_gordan_matches_e3nn_after_the_change_of_basis(l1, l2, l):
    torch = pytest.importorskip("torch")
    o3 = pytest.importorskip("e3nn.o3")
    from bridge.actions import _wigner
    torch.manual_seed(0)
    angles = o3.rand_angles(4, dtype=torch.float64)   # from angles: e3nn's D_from_matrix loses 1e-7
    rotations = o3.angles_to_matrix(*angles)

    def change_of_basis(k):  # Q with Q D_e3nn(R) = D_engine(R) Q, unique up to scale (Schur)
        ours, theirs = _wigner(k, rotations), o3.Irrep(k, 1).D_from_angles(*angles)
        eye = torch.eye(2 * k + 1, dtype=torch.float64)
        system = torch.cat([torch.kron(eye, t.T.contiguous()) - torch.kron(o, eye) for o, t in zip(ours, theirs)])
        return torch.linalg.svd(system).Vh[-1].reshape(2 * k + 1, 2 * k + 1)

    q, q1, q2 = change_of_basis(l), change_of_basis(l1), change_of_basis(l2)
    theirs = o3.wigner_3j(l1, l2, l, dtype=torch.float64)                           # (m1, m2, m)
    mapped = torch.einsum("ba,ija,ik,jl->bkl", q, theirs, torch.linalg.inv(q1), torch.linalg.inv(q2))
    ours = torch.tensor([[float(c) for (c,) in row] for row in clebsch_gordan(l1, l2, l).entries()], dtype=torch.float64).reshape(mapped.shape)
    ratio = (mapped * ours).sum() / (ours * ours).sum()
    torch.testing.assert_close(mapped, ratio * ours, atol=1e-5 * mapped.abs().max(), rtol=0)  # e3nn stores its generators in float32


def test_sphere_norms_are_the_mean_squares_on_the_sphere():
    from numpy.polynomial.legendre import leggauss
    z, w = leggauss(12)
    phi = np.arange(24) * 2 * np.pi / 24
    x = np.sqrt(1 - z[:, None] ** 2) * np.cos(phi)
    y = np.sqrt(1 - z[:, None] ** 2) * np.sin(phi)
    zz = np.broadcast_to(z[:, None], x.shape)
    weights = np.broadcast_to(w[:, None] / 2 / 24, x.shape)
    for l in range(6):
        for p, norm in zip(harmonic_polynomials(l), sphere_norms(l)):
            values = sum(float(c) * x ** int(a) * y ** int(b) * zz ** int(e) for (a, b, e), c in p.to_dict().items())
            assert abs((weights * values ** 2).sum() - float(norm)) < 1e-12
    assert sphere_norms(0) == (fmpq(1),)


def test_flint_and_sympy_harmonics_agree():
    import sympy
    x, y, z = sympy.symbols("x y z")
    assert real_solid_harmonics(2)[2] == sympy.expand(sympy.Rational(-1, 3) * x**2 - sympy.Rational(1, 3) * y**2 + sympy.Rational(2, 3) * z**2)


def test_clebsch_gordan_refuses_a_broken_triangle():
    with pytest.raises(InputError, match="|l1 − l2| ≤ l"):
        clebsch_gordan(1, 1, 3)
    with pytest.raises(InputError, match="label l must be an integer >= 0"):
        clebsch_gordan(-1, 1, 1)
