"""Group actions on tensors (bridge.actions): the samplers give the right group with the right
distribution (Haar moments), and the float matrices of every representation are its exact ones."""
import itertools
import math

import pytest
import torch

from invariants.errors import InputError, ShapeError
from bridge import act, axial, load_spec, lorentz, matrices, minkowski, orthogonal, permutations, sample, sampler
from invariants.catalogue import dihedral, symmetric
from invariants.groups.compact import rational_rotation


def gen(seed):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_orthogonal_is_orthogonal_with_both_determinants(n):
    g = orthogonal(n, 2000, generator=gen(0))
    assert (g @ g.transpose(1, 2) - torch.eye(n, dtype=torch.float64)).abs().max() < 1e-13
    det = torch.linalg.det(g)
    assert torch.allclose(det.abs(), torch.ones(2000, dtype=torch.float64))
    assert 0.45 < (det < 0).double().mean() < 0.55
    special = orthogonal(n, 500, special=True, generator=gen(1))
    assert torch.allclose(torch.linalg.det(special), torch.ones(500, dtype=torch.float64))


def test_orthogonal_has_haar_moments():
    # For Haar measure on O(n): E[tr g] = 0, E[(tr g)^2] = 1, E[g_11^2] = 1/n (Diaconis-Shahshahani).
    # QR without the sign fix of R's diagonal is not Haar and fails the first moment.
    n = 4
    g = orthogonal(n, 40000, generator=gen(2))
    tr = g.diagonal(dim1=1, dim2=2).sum(1)
    assert abs(float(tr.mean())) < 0.03
    assert abs(float((tr ** 2).mean()) - 1) < 0.05
    assert abs(float((g[:, 0, 0] ** 2).mean()) - 1 / n) < 0.01
    q, _ = torch.linalg.qr(torch.randn(40000, n, n, generator=gen(2), dtype=torch.float64))
    assert abs(float(q.diagonal(dim1=1, dim2=2).sum(1).mean())) > 0.5  # the naive sampler is biased


@pytest.mark.parametrize("kind", ["O(1,3)", "SO(1,3)", "SO+(1,3)"])
def test_lorentz_preserves_the_metric(kind):
    L = lorentz(3000, kind=kind, max_rapidity=2.0, generator=gen(3))
    eta = minkowski()
    assert (L.transpose(1, 2) @ eta @ L - eta).abs().max() < 1e-11
    det, time = torch.linalg.det(L), L[:, 0, 0]
    assert time.abs().max() <= math.cosh(2.0) + 1e-12 and time.abs().max() > 3.0  # bounded but real boosts
    components = {(bool(d > 0), bool(t > 0)) for d, t in zip(det, time)}
    expected = {"SO+(1,3)": {(True, True)}, "SO(1,3)": {(True, True), (True, False)},
                "O(1,3)": {(True, True), (True, False), (False, True), (False, False)}}[kind]
    assert components == expected


def test_axial_o2_fixes_the_axis_and_contains_reflections():
    g = axial(500, axis=2, generator=gen(4))
    assert (g @ g.transpose(1, 2) - torch.eye(3, dtype=torch.float64)).abs().max() < 1e-14
    assert torch.equal(g[:, :, 2], torch.tensor([0.0, 0, 1]).double().expand(500, 3))
    det = torch.linalg.det(g)
    assert (det < 0).any() and (det > 0).any()
    assert torch.allclose(torch.linalg.det(axial(50, special=True, generator=gen(5))), torch.ones(50).double())


def test_permutations_are_uniform():
    P = permutations(3, 6000, generator=gen(6))
    assert torch.equal(P.sum(1), torch.ones(6000, 3).double()) and torch.equal(P.sum(2), torch.ones(6000, 3).double())
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    seen = [tuple((p @ x).tolist()) for p in P]
    counts = {perm: seen.count(tuple(float(v) for v in perm)) for perm in itertools.permutations([1, 2, 3])}
    assert all(800 < c < 1200 for c in counts.values()), counts


def test_act_matches_the_definition_by_loops():
    rep = load_spec("O(3):2x0+v+v*v")  # two scalars, a vector and a rank-2 tensor (row-major)
    x = torch.randn(2, rep.dim, generator=gen(7), dtype=torch.float64)
    g = orthogonal(3, 2, generator=gen(8))
    y = act(rep, g, x)
    for b in range(2):
        assert y[b, :2].tolist() == x[b, :2].tolist()
        for i in range(3):
            assert float(y[b, 2 + i]) == pytest.approx(sum(float(g[b, i, j] * x[b, 2 + j]) for j in range(3)))
            for k in range(3):
                want = sum(float(g[b, i, j] * x[b, 5 + 3 * j + m] * g[b, k, m]) for j in range(3) for m in range(3))
                assert float(y[b, 5 + 3 * i + k]) == pytest.approx(want)
    assert torch.allclose(act(rep, g[0], x)[0], y[0])  # one element for the whole batch


@pytest.mark.parametrize("spec", ["SO(3):2+sym2(1)+dual(v)", "O(3):1o+2e+1e*1o+ext2(v)+det", "SO(5):ext2(v)+0",
                                  "O(1,3):v*v", "O(2):sym3(v)+det"])
def test_float_matrices_are_the_exact_ones_and_a_homomorphism(spec):
    rep = load_spec(spec)
    g, h = sample(rep.group, 4, generator=gen(9)), sample(rep.group, 4, generator=gen(10))
    assert (matrices(rep, g @ h) - matrices(rep, g) @ matrices(rep, h)).abs().max() < 1e-12
    exact_elements = {"SO(3)": [rational_rotation(1, 2, 3, 4)], "O(3)": [-rational_rotation(2, 0, 1, 1)]}
    for e in exact_elements.get(rep.group.spec, []):
        exact = torch.tensor(rep(e).to_numpy(), dtype=torch.float64)
        assert (matrices(rep, torch.tensor(e.to_numpy(), dtype=torch.float64)[None])[0] - exact).abs().max() < 1e-13


@pytest.mark.parametrize("group", [symmetric(4), dihedral(5)], ids=str)
def test_finite_groups_sample_exact_elements(group):
    g = sample(group, 20, generator=gen(11))
    exact = [torch.tensor(e.to_numpy(), dtype=torch.float64) for e in group.elements()]
    assert all(any(torch.allclose(a, e) for e in exact) for a in g)
    rep = group.natural().sym(2) + group.natural().ext(2)
    h = sample(group, 20, generator=gen(12))
    assert (matrices(rep, g @ h) - matrices(rep, g) @ matrices(rep, h)).abs().max() < 1e-12


def test_sampler_names_and_errors():
    L = sampler("SO+(1,3)")(50, generator=gen(0))
    eta = minkowski()
    assert L.shape == (50, 4, 4) and (L.transpose(1, 2) @ eta @ L - eta).abs().max() < 1e-11
    assert torch.allclose(torch.linalg.det(L), torch.ones(50, dtype=torch.float64)) and (L[:, 0, 0] >= 1).all()
    g = sampler("O(2)")(50, generator=gen(1))
    assert g.shape == (50, 2, 2) and (g @ g.transpose(1, 2) - torch.eye(2, dtype=torch.float64)).abs().max() < 1e-14
    P = sampler("symmetric(3)")(50, generator=gen(2))
    perms = {tuple(tuple(r) for r in p.tolist()) for p in P}  # the six permutation matrices, nothing else
    assert perms == {tuple(tuple(float(i == p[j]) for j in range(3)) for i in range(3))
                     for p in itertools.permutations(range(3))}
    with pytest.raises(InputError, match="no exact random elements"):
        sampler("U(3)")(2)
    with pytest.raises(InputError, match="unknown Lorentz group"):
        lorentz(2, kind="O(3,1)")
    with pytest.raises(InputError, match="batch must be a positive int"):
        orthogonal(3, 0)
    with pytest.raises(ShapeError, match=r"act expects x of shape \(batch, 3\)"):
        act(load_spec("O(3):v"), torch.eye(3), torch.zeros(2, 4))
    with pytest.raises(ShapeError, match="square matrices"):
        act(load_spec("O(3):v"), torch.zeros(2, 4, 3), torch.zeros(2, 3))
    with pytest.raises(InputError, match="no float action"):
        matrices(load_spec("SU(2):1/2"), torch.eye(2)[None])


def test_plane_frequencies_float_action_matches_the_engine():
    from invariants import Matrix, load_spec
    from bridge import matrices

    rep = load_spec("O(2):1+2+3+det")
    for entries in ([["3/5", "-4/5"], ["4/5", "3/5"]], [["5/13", "12/13"], ["12/13", "-5/13"]]):
        g = Matrix.from_entries(entries)
        exact = torch.from_numpy(rep(g).to_numpy(float))
        assert torch.allclose(matrices(rep, torch.from_numpy(g.to_numpy(float))[None])[0], exact, atol=1e-13)
