"""neural.symmetry.orbits: invariant point-cloud and planar-shape features (exact to 1e-10),
orbit classification that survives rotations and relabelling where a raw-coordinate MLP does not,
and separation of orbits — proven by the engine, or refuted by a collision search."""
import itertools
import math

import pytest
import sympy
import torch
from torch import nn

from invariants import invariant_ring
from invariants.catalogue import cyclic
from invariants.groups.compact import O
from invariants.errors import InputError
from bridge import orthogonal
from neural.symmetry.orbits import (OrbitClassifier, PlanarShapeInvariants, PointCloudInvariants, accuracy,
                                    fit_classifier, orbit_distance_finite, orbit_distance_o3, separates_orbits,
                                    separates_orbits_exact, template_clouds)

F64 = torch.float64


pytestmark = pytest.mark.usefixtures("one_thread")


def gaussian(*shape):
    return lambda n, generator: torch.randn(n, *shape, generator=generator, dtype=F64)


def random_relabelling(x, gen):
    order = torch.argsort(torch.rand(x.shape[0], x.shape[1], generator=gen), dim=1)
    return x[torch.arange(x.shape[0])[:, None], order]


# -- invariant features ------------------------------------------------------------------------
@pytest.mark.parametrize("reflections", [True, False])
def test_point_cloud_invariants_are_exact_under_rotations_reflections_permutations_translations(reflections):
    gen = torch.Generator().manual_seed(0)
    f = PointCloudInvariants(8, reflections=reflections)
    x = torch.randn(64, 8, 3, generator=gen, dtype=F64)
    g = orthogonal(3, 64, special=not reflections, generator=gen)
    moved = random_relabelling(x @ g.transpose(1, 2) + torch.randn(64, 1, 3, generator=gen, dtype=F64), gen)
    assert f(x).shape == (64, f.n_features) == (64, 8 + 28 + 3 + (0 if reflections else 56))
    assert (f(moved) - f(x)).abs().max() < 1e-10
    mirrored = (f(-x) - f(x)).abs().amax(1)  # -1 is a reflection in R³
    if reflections:
        assert mirrored.max() < 1e-10
    else:
        assert mirrored.min() > 1e-2  # SO(3) features tell a chiral cloud from its mirror image


def test_point_cloud_invariants_without_centring_see_translations():
    x = torch.randn(4, 5, 3, dtype=F64)
    f = PointCloudInvariants(5, center=False)
    assert (f(x + 1.0) - f(x)).abs().amax(1).min() > 1e-3
    assert (PointCloudInvariants(5)(x + 1.0) - PointCloudInvariants(5)(x)).abs().max() < 1e-10


@pytest.mark.parametrize("group", ["SO(2)", "O(2)"])
def test_planar_shape_invariants_are_exact_and_chiral_only_for_so2(group):
    k, gen = 7, torch.Generator().manual_seed(1)
    f = PlanarShapeInvariants(k, group)
    z = torch.randn(32, k, 2, generator=gen, dtype=F64)
    rot = orthogonal(2, 32, special=True, generator=gen)
    moved = (z @ rot.transpose(1, 2)).roll(3, dims=1) + torch.randn(32, 1, 2, generator=gen, dtype=F64)
    assert f(z).shape == (32, f.n_features) == (32, (3 * k - 5) * (1 if group == "SO(2)" else 2))
    assert (f(moved) - f(z)).abs().max() < 1e-10
    mirrored = (f(z * torch.tensor([1.0, -1.0], dtype=F64)) - f(z)).abs().amax(1)
    if group == "SO(2)":
        assert mirrored.min() > 1e-2
    else:
        assert mirrored.max() < 1e-10


# -- orbit classification --------------------------------------------------------------------------
def test_template_clouds_rotated_and_plain_are_the_same_samples():
    X, y = template_clouds(50, seed=3)
    X0, y0 = template_clouds(50, seed=3, rotate=False, permute=False)
    assert X.shape == (50, 8, 3) and torch.equal(y, y0) and set(y.tolist()) == {0, 1, 2, 3}
    f = PointCloudInvariants(8)
    assert (f(X) - f(X0)).abs().max() < 1e-10 and (X - X0).abs().max() > 0.5


def test_invariant_classifier_is_unmoved_by_rotations_and_relabelling_a_raw_mlp_is():
    train = template_clouds(200, rotate=False, permute=False, seed=0)
    val = template_clouds(100, rotate=False, permute=False, seed=1)
    plain = template_clouds(200, rotate=False, permute=False, seed=2)
    moved = template_clouds(200, rotate=True, permute=True, seed=2)  # the same samples, rotated and relabelled
    scores = {}
    for name, features, width in [("invariant", PointCloudInvariants(8), None), ("raw", nn.Flatten(), 24)]:
        torch.manual_seed(0)
        model = OrbitClassifier(features, 4, in_features=width)
        fit = fit_classifier(model, *train, *val, epochs=60, lr=3e-3, batch_size=100)
        assert fit.best_val_accuracy >= 0.9 and len(fit.val_accuracy) >= fit.best_epoch
        scores[name] = accuracy(model, *plain), accuracy(model, *moved)
    (inv_plain, inv_moved), (raw_plain, raw_moved) = scores["invariant"], scores["raw"]
    assert inv_plain == inv_moved >= 0.9
    assert raw_plain >= 0.9 and raw_moved < 0.6 and raw_moved < inv_moved


def test_fit_classifier_stops_early_and_keeps_the_best_state():
    X, y = template_clouds(60, rotate=False, permute=False, seed=4)
    Xv, _ = template_clouds(60, seed=5)
    yv = torch.randint(0, 4, (60,), generator=torch.Generator().manual_seed(0))  # unlearnable: no lasting progress
    torch.manual_seed(0)
    model = OrbitClassifier(PointCloudInvariants(8), 4, channels=16)
    fit = fit_classifier(model, X, y, Xv, yv, epochs=500, lr=1e-2, batch_size=60, patience=10)
    assert fit.stopped_early and len(fit.val_accuracy) == fit.best_epoch + 10 < 500
    assert accuracy(model, Xv, yv) == fit.best_val_accuracy == max(fit.val_accuracy)


# -- separation of orbits --------------------------------------------------------------------------
def inner_products(k):
    x = sympy.symbols(f"x0:{3 * k}")
    v = [x[3 * i:3 * i + 3] for i in range(k)]
    return [sum(a * b for a, b in zip(v[i], v[j])) for i in range(k) for j in range(i, k)]


def test_gram_matrix_separates_o3_orbits_exactly_and_numerically():
    gram = inner_products(3)
    assert {sympy.expand(g) for g in invariant_ring(O(3).vectors(3)).generators} == set(gram)
    report = separates_orbits_exact(O(3).vectors(3), gram)
    assert report.separates and report.exact and not report.failures and "generate" in report.confidence
    assert separates_orbits(None, None, None, rep=O(3).vectors(3), polys=gram).exact
    partial = separates_orbits_exact(O(3).vectors(3), gram[:5])
    assert not partial.separates and not partial.exact and "not proven" in partial.confidence

    def kabsch(a, b):
        return orbit_distance_o3(a.reshape(-1, 3, 3), b.reshape(-1, 3, 3))

    numeric = separates_orbits(None, gaussian(9), kabsch, orbit_dim=3, searches=8, pairs=100,
                               rep=O(3).vectors(3), polys=gram[:5] + gram[5:])  # compiled from polys
    assert numeric.exact  # generators: the proof short-cuts the numerics
    from bridge import compile_polynomials
    numeric = separates_orbits(compile_polynomials(gram), gaussian(9), kabsch, orbit_dim=3, searches=8, pairs=100)
    assert numeric.separates and not numeric.exact and numeric.collisions == 0
    assert numeric.jacobian_rank == numeric.expected_rank == 6 and numeric.converged >= 6


def test_dropping_one_inner_product_loses_separation():
    gram = inner_products(3)
    from bridge import compile_polynomials
    report = separates_orbits(compile_polynomials(gram[:5]), gaussian(9),
                              lambda a, b: orbit_distance_o3(a.reshape(-1, 3, 3), b.reshape(-1, 3, 3)),
                              orbit_dim=3, searches=5, pairs=20)
    assert not report.separates and report.collisions >= 1 and (report.jacobian_rank, report.expected_rank) == (5, 6)


def so2_charges_1_2(n=720):
    """C_n ⊂ SO(2) acting on R² ⊕ R² with charges 1 and 2 (a fine approximation of the circle)."""
    def rot(t):
        return torch.tensor([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]], dtype=F64)
    return torch.stack([torch.block_diag(rot(t), rot(2 * t)) for t in (2 * math.pi * j / n for j in range(n))])


def test_power_spectrum_of_two_charges_does_not_separate_and_the_failures_are_real():
    G = so2_charges_1_2()

    def power(x):
        return torch.stack([x[:, :2].pow(2).sum(1), x[:, 2:].pow(2).sum(1)], 1)

    report = separates_orbits(power, gaussian(4), lambda a, b: orbit_distance_finite(a, b, G), orbit_dim=1,
                              searches=10, pairs=50)
    assert not report.separates and not report.exact and "collision" in report.confidence
    assert (report.jacobian_rank, report.expected_rank) == (2, 3)  # the relative phase is lost
    assert report.collisions >= 5 and len(report.failures) == 5  # max_failures examples kept
    for x, y in report.failures:
        assert (power(x[None]) - power(y[None])).abs().max() < 1e-6
        assert orbit_distance_finite(x, y, G) > 0.05
    # adding the bispectrum-like invariant Re, Im of z1² conj(z2) restores separation
    def spectrum(x):
        z1, z2 = torch.complex(x[:, 0], x[:, 1]), torch.complex(x[:, 2], x[:, 3])
        b = z1 ** 2 * z2.conj()
        return torch.cat([power(x), torch.stack([b.real, b.imag], 1)], 1)

    fixed = separates_orbits(spectrum, gaussian(4), lambda a, b: orbit_distance_finite(a, b, G), orbit_dim=1,
                             searches=10, pairs=50, distance_tol=1e-2)  # C_720 resolves the circle to ~1e-2
    assert fixed.separates and fixed.collisions == 0 and fixed.jacobian_rank == 3


def test_finite_group_primaries_have_full_rank_but_do_not_separate():
    C4 = cyclic(4)
    G = torch.tensor([g.to_numpy().astype(float).tolist() for g in C4.elements()], dtype=F64)
    ring = invariant_ring(C4)
    assert separates_orbits_exact(C4, ring.generators).exact
    assert not separates_orbits_exact(C4, ring.primary).exact
    report = separates_orbits(None, gaussian(2), lambda a, b: orbit_distance_finite(a, b, G), orbit_dim=0,
                              rep=C4, polys=ring.primary, searches=10, pairs=20)
    # the rank test cannot see a finite ambiguity (x0, x1) ~ (x1, x0); the collision search does
    assert report.jacobian_rank == report.expected_rank == 2 and report.collisions >= 1 and not report.separates
    x, y = report.failures[0]
    assert torch.allclose(y.abs().sort().values, x.abs().sort().values, atol=1e-4)


def test_point_cloud_and_planar_features_separate_numerically():
    k, perms = 4, list(itertools.permutations(range(4)))

    def cloud_distance(a, b):
        a, b = a - a.mean(-2, keepdim=True), b - b.mean(-2, keepdim=True)
        return torch.stack([orbit_distance_o3(a[:, list(p)], b) for p in perms], -1).min(-1).values

    cloud = separates_orbits(PointCloudInvariants(k), gaussian(k, 3), cloud_distance, orbit_dim=6, searches=6, pairs=50)
    assert cloud.collisions == 0 and cloud.jacobian_rank == cloud.expected_rank == 3 * k - 6

    def shape_distance(a, b):  # min over cyclic relabellings of the planar Procrustes distance
        za, zb = (torch.complex(c[..., 0], c[..., 1]) for c in (a, b))
        za, zb = za - za.mean(-1, keepdim=True), zb - zb.mean(-1, keepdim=True)
        d2 = [(za.abs() ** 2).sum(-1) + (zb.abs() ** 2).sum(-1) - 2 * (za.roll(s, -1).conj() * zb).sum(-1).abs()
              for s in range(6)]
        return torch.stack(d2, -1).min(-1).values.clamp_min(0).sqrt()

    shape = separates_orbits(PlanarShapeInvariants(6), gaussian(6, 2), shape_distance, orbit_dim=3, searches=6,
                             pairs=50)
    assert shape.separates and shape.converged >= 4 and shape.jacobian_rank == 2 * 6 - 3


# -- orbit distances and errors ------------------------------------------------------------------------
def test_orbit_distances():
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(20, 6, 3, generator=gen, dtype=F64)
    g = orthogonal(3, 20, generator=gen)
    reflected = torch.linalg.det(g) < 0
    assert orbit_distance_o3(x, x @ g.transpose(1, 2)).max() < 1e-12
    special = orbit_distance_o3(x, x @ g.transpose(1, 2), reflections=False)
    assert special[~reflected].max() < 1e-12 and special[reflected].min() > 0.1
    y = torch.randn(20, 6, 3, generator=gen, dtype=F64)
    assert (orbit_distance_o3(x, y) <= orbit_distance_o3(x, y, reflections=False) + 1e-12).all()
    assert (orbit_distance_o3(x, y) <= (x - y).flatten(1).norm(dim=1) + 1e-12).all()
    G = torch.tensor([g.to_numpy().astype(float).tolist() for g in cyclic(4).elements()], dtype=F64)
    v = torch.tensor([[3.0, 4.0]], dtype=F64)
    assert orbit_distance_finite(v, torch.tensor([[-4.0, 3.0]], dtype=F64), G).item() == 0.0
    assert orbit_distance_finite(v, torch.tensor([[4.0, 3.0]], dtype=F64), G).item() == pytest.approx(math.sqrt(2))


def test_errors_say_what_to_do():
    with pytest.raises(InputError, match=r"\(\.\.\., 5, 3\)"):
        PointCloudInvariants(5)(torch.zeros(2, 4, 3, dtype=F64))
    with pytest.raises(InputError, match="'SO\\(2\\)' or 'O\\(2\\)'"):
        PlanarShapeInvariants(6, "SE(2)")
    with pytest.raises(InputError, match="k >= 4"):
        PlanarShapeInvariants(3)
    with pytest.raises(InputError, match="in_features"):
        OrbitClassifier(nn.Flatten(), 3)
    X, y = template_clouds(10)
    with pytest.raises(InputError, match="int64 labels"):
        fit_classifier(OrbitClassifier(PointCloudInvariants(8), 4), X, y.double(), X, y)
    with pytest.raises(InputError, match="not invariant"):
        separates_orbits_exact(O(3).vectors(1), ["x0"])
    with pytest.raises(InputError, match="features_fn, or rep and polys"):
        separates_orbits(None, gaussian(3), lambda a, b: a.norm(dim=1))
    with pytest.raises(InputError, match=r"\(\|G\|, d, d\)"):
        orbit_distance_finite(torch.zeros(1, 2), torch.zeros(1, 2), torch.eye(3)[None])
