"""The EMLP task generators match their formulas (recomputed here with plain loops) and their symmetries.

Formulas: Finzi, Welling, Wilson, ICML 2021, and mfinzi/equivariant-MLP emlp/datasets.py, as
transcribed in neural/datasets/*.py; the loops below are written from the formulas, not from
the vectorised code.
"""
import math

import numpy as np
import pytest
import torch

from invariants.errors import InputError, MolienError
from neural.datasets import (TASKS, hamiltonian, inertia_target, make, o5_target, particle_target, rollout_error,
                             set_target)
from neural.datasets.pendulum import integrate
from bridge import act, load_spec, sampler


def normals(n, dim, seed):
    return np.random.default_rng(seed).standard_normal((n, dim))


def test_o5_matches_formula():
    data = make("O5Synthetic", 6, seed=11)
    z = normals(6, 10, 11)
    assert np.array_equal(data.X.numpy(), z)
    for x, y in zip(z, data.Y[:, 0].tolist()):
        n1 = math.sqrt(sum(v * v for v in x[:5]))
        n2 = math.sqrt(sum(v * v for v in x[5:]))
        dot = sum(a * b for a, b in zip(x[:5], x[5:]))
        assert y == pytest.approx(math.sin(n1) - 0.5 * n2 ** 3 + dot / (n1 * n2), rel=1e-13, abs=1e-13)


def test_inertia_matches_formula():
    data = make("Inertia", 5, seed=2)
    z = normals(5, 20, 2)
    for s in range(5):
        masses = [math.log(1 + math.exp(v)) for v in z[s, :5]]
        assert data.X[s, :5].tolist() == pytest.approx(masses, rel=1e-14)
        assert data.X[s, 5:].tolist() == z[s, 5:].tolist()
        r = z[s, 5:].reshape(5, 3)
        for i in range(3):
            for j in range(3):
                want = sum(m * ((r[k] @ r[k]) * (i == j) - r[k, i] * r[k, j]) for k, m in enumerate(masses))
                assert float(data.Y[s, 3 * i + j]) == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_particle_interaction_matches_formula():
    data = make("ParticleInteraction", 4, seed=5)
    z = normals(4, 16, 5) / 4
    assert np.allclose(data.X.numpy(), z, rtol=0, atol=0)
    eta = [1.0, -1.0, -1.0, -1.0]
    for s in range(4):
        p = [z[s, 4 * k:4 * k + 4] for k in range(4)]

        def mdot(a, b):
            return sum(eta[m] * a[m] * b[m] for m in range(4))

        total = 0.0
        for i in range(4):
            for j in range(4):
                le = p[0][i] * p[2][j] - (mdot(p[0], p[2]) - mdot(p[0], p[0])) * eta[i] * (i == j)
                lmu = eta[i] * p[1][i] * eta[j] * p[3][j] - (mdot(p[1], p[3]) - mdot(p[1], p[1])) * eta[i] * (i == j)
                total += le * lmu
        assert float(data.Y[s, 0]) == pytest.approx(4 * total, rel=1e-12, abs=1e-14)


def test_symmetric_set_matches_formula():
    data = make("SymmetricSet", 3, seed=4, set_size=6)
    for x, y in zip(normals(3, 6, 4), data.Y[:, 0].tolist()):
        want = sum(x[i] * x[j] + math.exp(-0.5 * (x[i] - x[j]) ** 2) for i in range(6) for j in range(i + 1, 6)) / 6
        assert y == pytest.approx(want, rel=1e-13)


def _reference_flow(z0, t_end, h=0.005):
    """Classic RK4 on dz/dt = J ∇H with ∇H from autograd of H written out here from the formula."""
    def H(z):
        x1, x2, p1, p2 = z[:, 0:3], z[:, 3:6], z[:, 6:9], z[:, 9:12]
        return (0.5 * (p1 * p1).sum(1) + 0.5 * (p2 * p2).sum(1) + 0.5 * (torch.sqrt((x1 * x1).sum(1)) - 1) ** 2
                + (torch.sqrt(((x1 - x2) ** 2).sum(1)) - 1) ** 2 + x1[:, 2] + x2[:, 2]).sum()

    def f(z):
        z = z.detach().requires_grad_(True)
        (g,) = torch.autograd.grad(H(z), z)
        return torch.cat([g[:, 6:], -g[:, :6]], dim=1)

    z = torch.tensor(z0, dtype=torch.float64)
    out = [z]
    steps_per_dt = round(0.2 / h)
    for _ in range(round(t_end / 0.2)):
        for _ in range(steps_per_dt):
            k1 = f(z); k2 = f(z + h / 2 * k1); k3 = f(z + h / 2 * k2); k4 = f(z + h * k3)
            z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(z)
    return torch.stack(out, dim=1).numpy()


def test_pendulum_initial_conditions_and_chunks_match_definition():
    data = make("DoubleSpringPendulum", 4, seed=9, duration=6.0)
    eps = np.random.default_rng(9).standard_normal((4, 12))
    want = np.concatenate([[0, 0, -1.5] + 0.2 * eps[:, :3], [0, 0, -3] + 0.2 * eps[:, 3:6], 0.4 * eps[:, 6:]], axis=1)
    assert np.allclose(data.meta["initial"], want, rtol=0, atol=1e-15)
    chunks = data.Y.reshape(4, 5, 12)
    assert torch.equal(chunks[:, 0], data.X)
    assert all(s % 5 == 0 and 0 <= s < 30 for s in data.meta["start"].tolist())


def test_pendulum_trajectories_match_an_independent_integration():
    data = make("DoubleSpringPendulum", 3, seed=1, duration=10.0, keep_trajectories=True)
    reference = _reference_flow(data.meta["initial"], 9.8)
    assert reference.shape == data.meta["trajectories"].shape == (3, 50, 12)
    assert np.abs(reference - data.meta["trajectories"]).max() < 1e-7
    chunks = data.Y.reshape(3, 5, 12).numpy()
    for s, start in enumerate(data.meta["start"]):
        assert np.abs(chunks[s] - reference[s, start:start + 5]).max() < 1e-7


def test_pendulum_conserves_energy():
    data = make("DoubleSpringPendulum", 5, seed=3, keep_trajectories=True)
    energy = hamiltonian(torch.from_numpy(data.meta["trajectories"]))
    assert data.meta["trajectories"].shape == (5, 150, 12)
    assert (energy - energy[:, :1]).abs().max() < 1e-7


def test_rollout_error_is_emlp_relative_error():
    a = np.ones((2, 3, 12))
    b = a.copy()
    b[0] *= 2  # rel = 1/3 on system 0, exactly equal (clamped to 1e-7) on system 1
    assert rollout_error(a, b) == pytest.approx(math.exp((3 * math.log(1 / 3) + 3 * math.log(1e-7)) / 6))


# --- symmetries of the targets, which also checks the samplers -------------------------------------

def _elements(group, n, seed, **kw):
    return sampler(group)(n, generator=torch.Generator().manual_seed(seed), **kw)


def test_o5_target_is_invariant_under_o5_with_reflections():
    data = make("O5Synthetic", 200, seed=0)
    g = _elements("O(5)", 200, 1)
    assert (torch.linalg.det(g) < 0).any() and (torch.linalg.det(g) > 0).any()
    moved = act(data.rep_in, g, data.X).numpy()
    assert np.abs(o5_target(moved) - data.Y.numpy()).max() < 1e-10


def test_inertia_target_is_equivariant_under_o3():
    data = make("Inertia", 200, seed=0)
    g = _elements("O(3)", 200, 2)
    assert (torch.linalg.det(g) < 0).any()
    lhs = inertia_target(act(data.rep_in, g, data.X).numpy())
    rhs = act(data.rep_out, g, data.Y).numpy()
    assert np.abs(lhs - rhs).max() < 1e-10
    assert np.abs(lhs - data.Y.numpy()).max() > 0.1  # the tensor really moves


def test_particle_target_is_invariant_under_boosts_parity_and_time_reversal():
    data = make("ParticleInteraction", 400, seed=0)
    L = _elements("O(1,3)", 400, 3, max_rapidity=1.5)
    assert (L[:, 0, 0] < 0).any() and (torch.linalg.det(L) < 0).any() and (L[:, 0, 0].abs() > 1.5).any()
    moved = act(data.rep_in, L, data.X)
    assert (moved - data.X).abs().max() > 0.5
    assert np.abs(particle_target(moved.numpy()) - data.Y.numpy()).max() < 1e-10


def test_pendulum_flow_commutes_with_o2_about_the_vertical():
    data = make("DoubleSpringPendulum", 6, seed=2, duration=4.0, keep_trajectories=True)
    g = _elements("O(2)", 6, 3)
    assert (torch.linalg.det(g) < 0).any()
    z0 = torch.from_numpy(data.meta["initial"])
    moved0 = act(data.rep_in, g, z0)
    assert (hamiltonian(moved0) - hamiltonian(z0)).abs().max() < 1e-12
    flow_of_moved = integrate(moved0.numpy(), 20)
    moved_flow = torch.stack([act(data.rep_in, g, torch.from_numpy(data.meta["trajectories"][:, k]))
                              for k in range(20)], dim=1).numpy()
    assert np.abs(flow_of_moved - moved_flow).max() < 1e-10


def test_set_target_is_permutation_invariant():
    data = make("SymmetricSet", 100, seed=0)
    P = _elements(data.group, 100, 5)
    moved = act(data.rep_in, P, data.X)
    assert not torch.equal(moved, data.X)
    assert np.abs(set_target(moved.numpy()) - data.Y.numpy()).max() < 1e-12


# --- determinism, normalisation, errors ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TASKS))
def test_generators_are_seeded_and_float64(name):
    options = {"duration": 2.0} if name == "DoubleSpringPendulum" else {}
    a, b, c = (make(name, 4, seed=s, **options) for s in (7, 7, 8))
    assert a.X.dtype == a.Y.dtype == torch.float64
    assert torch.equal(a.X, b.X) and torch.equal(a.Y, b.Y) and not torch.equal(a.X, c.X)


def test_vector_rms_normalisation_is_emlp_convention():
    train = make("ParticleInteraction", 50, seed=0)
    stats = train.emlp_stats()
    X = train.X.numpy().reshape(50, 4, 4)
    eta = np.diag([1.0, -1, -1, -1])
    for k in range(4):  # EMLP: sqrt(mean over samples and components of |(p η)_c p_c|), per 4-vector
        want = math.sqrt(np.mean([abs((X[s, k] @ eta)[c] * X[s, k, c]) for s in range(50) for c in range(4)]))
        assert stats.x.scale[4 * k:4 * k + 4].tolist() == pytest.approx([want] * 4, rel=1e-13)
    assert float(stats.y.shift) == pytest.approx(float(train.Y.mean()))
    assert float(stats.y.scale) == pytest.approx(float(np.std(train.Y.numpy())))
    assert float(make("Inertia", 5).emlp_stats().x.scale) == 1.0


def test_errors_say_what_to_do():
    with pytest.raises(InputError, match="unknown task 'Nope'; choose one of O5Synthetic"):
        make("Nope", 3)
    for bad in (0, -2, 2.5, True):
        with pytest.raises(InputError, match=r"number of samples\) must be an integer >= 1"):
            make("Inertia", bad)
    with pytest.raises(InputError, match="generate at least 12"):
        make("O5Synthetic", 10).split(8, 4)
    with pytest.raises(InputError, match="set_size must be at least 2"):
        make("SymmetricSet", 3, set_size=1)
    with pytest.raises(InputError, match="fewer than chunk_len"):
        make("DoubleSpringPendulum", 2, duration=0.5)
    assert issubclass(InputError, MolienError)


def test_windy_pendulum_conserves_its_energy_and_breaks_the_vertical_symmetry():
    """Wind 0.01·(8, 5, 0)·x per mass: H + wind·(x1 + x2) is conserved, and rotating the initial
    state about z no longer commutes with the flow."""
    from neural.datasets.pendulum import WINDY

    data = make("DoubleSpringPendulum", 4, seed=5, duration=4.0, keep_trajectories=True, wind=WINDY)
    traj = torch.from_numpy(data.meta["trajectories"])
    w = torch.tensor(WINDY, dtype=torch.float64)
    energy = hamiltonian(traj) + traj[..., 0:3] @ w + traj[..., 3:6] @ w
    assert (energy - energy[:, :1]).abs().max() < 1e-7 and data.name == "WindyPendulum"
    g = _elements("O(2)", 4, 6)
    moved0 = act(data.rep_in, g, torch.from_numpy(data.meta["initial"]))
    flow_of_moved = integrate(moved0.numpy(), 20, wind=WINDY)
    moved_flow = torch.stack([act(data.rep_in, g, traj[:, k]) for k in range(20)], dim=1).numpy()
    assert np.abs(flow_of_moved - moved_flow).max() > 1e-3
