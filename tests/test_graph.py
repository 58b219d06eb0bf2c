"""Particles and graphs (neural.graph, neural.datasets.nbody): E(n) and permutation equivariance of the
message passing built from the engine's invariants and covariants (float64 ≤ 1e-12), the EGNN
baseline, graph utilities and their errors, the simulator's physics, and the benchmark's smoke run."""
import numpy as np
import pytest
import torch

from bridge.actions import orthogonal
from invariants import InputError, ShapeError
from neural.datasets.nbody import charged_nbody, simulate_charged
from neural.graph import EGNN, EquivariantMessagePassing, ParticleNetwork, fully_connected, radius_graph


def moved(seed, dim, special=False):
    g = torch.Generator().manual_seed(seed)
    return orthogonal(dim, 1, special=special, generator=g)[0], torch.randn(dim, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("space, dim, special", [("O(3):v", 3, False), ("SO(3):v", 3, True), ("O(2):v", 2, False),
                                                 ("SO(2):v", 2, True)])
def test_particle_network_is_equivariant(space, dim, special):
    torch.manual_seed(0)
    net = ParticleNetwork(space, node_features=2, vectors=2, layers=2, hidden=16, scalars=8).double()
    graphs, n = 3, 4
    x = torch.randn(graphs * n, dim, dtype=torch.float64)
    v = torch.randn(graphs * n, 2, dim, dtype=torch.float64)
    q = torch.randn(graphs * n, 2, dtype=torch.float64)
    edges = fully_connected(n, graphs)
    y = net(x, v, q, edges)
    for seed in range(3):
        R, t = moved(seed, dim, special)
        perm = torch.cat([torch.randperm(n, generator=torch.Generator().manual_seed(seed)) + k * n for k in range(graphs)])
        out = net(x[perm] @ R.T + t, v[perm] @ R.T, q[perm], edges)
        assert (out - (y[perm] @ R.T + t)).abs().max() < 1e-12 * y.abs().max()


@pytest.mark.parametrize("body_order, radial", [(2, 0), (3, 0), (2, 8)])
def test_hidden_vectors_edge_features_body_order_and_radial_keep_equivariance(body_order, radial):
    torch.manual_seed(1)
    net = ParticleNetwork("O(3):v", node_features=1, layers=2, hidden=16, scalars=8, hidden_vectors=3,
                          edge_features=1, body_order=body_order, radial=radial).double()
    x, v, q = torch.randn(10, 3).double(), torch.randn(10, 1, 3).double(), torch.randn(10, 1).double()
    edges = fully_connected(5, 2)
    pairs = q[edges[0]] * q[edges[1]]
    y = net(x, v, q, edges, pairs)
    for seed in range(3):
        R, t = moved(seed, 3)
        perm = torch.cat([torch.randperm(5, generator=torch.Generator().manual_seed(seed)) + k * 5 for k in range(2)])
        inverse = torch.argsort(perm)
        moved_edges = inverse[edges]      # the same graph, its nodes renumbered
        out = net(x[perm] @ R.T + t, v[perm] @ R.T, q[perm], moved_edges, pairs)
        assert (out - (y[perm] @ R.T + t)).abs().max() < 1e-12 * y.abs().max()
    with pytest.raises(ShapeError, match="edge features"):
        net(x, v, q, edges)
    with pytest.raises(InputError, match="body_order"):
        EquivariantMessagePassing("O(3):v", 2, 1, body_order=5)


def test_radial_features_change_the_messages_and_need_an_orthogonal_space():
    torch.manual_seed(2)
    layer = EquivariantMessagePassing("O(3):v", 2, 1, hidden=8, radial=4, cutoff=2.0).double()
    r = torch.tensor([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0]], dtype=torch.float64)
    # Gaussians centred at 0, 2/3, 4/3, 2 with width 2/3: at |r| = 0 and |r| = 2 the first and last are 1
    assert torch.allclose(layer._radial(r)[:, [0, 3]], torch.tensor([[1.0, np.exp(-4.5)], [np.exp(-4.5), 1.0]],
                                                                     dtype=torch.float64))
    assert layer.message[0].in_features == 2 * 2 + len(layer.invariants.polynomials) + 4
    with pytest.raises(InputError, match="orthogonal representation.*radial=0"):
        EquivariantMessagePassing("SO+(1,3):v", 2, 1, radial=4)
    with pytest.raises(InputError, match="radial"):
        EquivariantMessagePassing("O(3):v", 2, 1, radial=-1)
    with pytest.raises(InputError, match="cutoff"):
        EquivariantMessagePassing("O(3):v", 2, 1, radial=4, cutoff=0.0)


def test_typed_node_features_move_by_their_representation():
    from bridge import load_spec
    from bridge.actions import act, sample
    U = load_spec("O(3):1o+2e")     # a vector and a rank-2 irreducible tensor per particle
    torch.manual_seed(2)
    layer = EquivariantMessagePassing("O(3):v", scalars=4, vectors=U, hidden=16, body_order=3).double()
    x, f, h = torch.randn(6, 3).double(), torch.randn(6, U.dim).double(), torch.randn(6, 4).double()
    edges = fully_connected(6)
    h1, f1, x1 = layer(h, f, x, edges)
    g = sample(U.group, 3, generator=torch.Generator().manual_seed(3))
    for k in range(3):
        R = g[k]
        h2, f2, x2 = layer(h, act(U, g[k:k + 1].expand(6, 3, 3), f), x @ R.T, edges)
        assert (h2 - h1).abs().max() < 1e-12 * h1.abs().max()
        assert (x2 - x1 @ R.T).abs().max() < 1e-12 * x1.abs().max()
        assert (f2 - act(U, g[k:k + 1].expand(6, 3, 3), f1)).abs().max() < 1e-12 * f1.abs().max()
    with pytest.raises(ShapeError, match="features"):
        layer(h, torch.randn(6, 3, 3).double(), x, edges)


def test_so3_messages_see_chirality_and_o3_messages_do_not():
    """The engine's SO(3) invariants include the determinant: a mirror image is not equivariant any more."""
    torch.manual_seed(1)
    x, v = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 1, 3, dtype=torch.float64)
    h, edges = torch.randn(4, 2, dtype=torch.float64), fully_connected(4)
    mirror = torch.diag(torch.tensor([1.0, 1.0, -1.0], dtype=torch.float64))
    errors = {}
    for space in ("O(3):v", "SO(3):v"):
        layer = EquivariantMessagePassing(space, 2, 1, hidden=16).double()
        with torch.no_grad():
            h1, v1, x1 = layer(h, v, x, edges)
            h2, v2, x2 = layer(h, v @ mirror, x @ mirror, edges)
        errors[space] = float((x2 - x1 @ mirror).abs().max() + (h2 - h1).abs().max())
    assert errors["O(3):v"] < 1e-12 < 1e-3 < errors["SO(3):v"]


def test_egnn_is_e3_and_permutation_equivariant():
    torch.manual_seed(0)
    net = EGNN(hidden=16, layers=2).double()
    x, v = torch.randn(10, 3, dtype=torch.float64), torch.randn(10, 3, dtype=torch.float64)
    q = torch.randint(0, 2, (10,)).double() * 2 - 1
    edges = fully_connected(5, 2)
    y = net(x, v, q, edges)
    R, t = moved(4, 3)
    perm = torch.tensor([4, 2, 0, 1, 3, 5, 9, 8, 7, 6])
    assert (net(x[perm] @ R.T + t, v[perm] @ R.T, q[perm], edges) - (y[perm] @ R.T + t)).abs().max() < 1e-12


def test_graphs_and_their_errors():
    edges = fully_connected(4, 3)
    assert edges.shape == (2, 36) and int(edges.max()) == 11 and not (edges[0] == edges[1]).any()
    x = torch.randn(20, 3, dtype=torch.float64)
    batch = torch.arange(20) // 10
    found = {tuple(e) for e in radius_graph(x, 1.2, batch).T.tolist()}
    expected = {(i, j) for i in range(20) for j in range(20)
                if i != j and batch[i] == batch[j] and float((x[i] - x[j]).norm()) < 1.2}
    assert found == expected
    layer = EquivariantMessagePassing("O(3):v", 2, 1, hidden=8).double()
    h, v = torch.randn(4, 2, dtype=torch.float64), torch.randn(4, 1, 3, dtype=torch.float64)
    with pytest.raises(InputError, match="NaN"):
        layer(h, v, torch.full((4, 3), float("nan"), dtype=torch.float64), fully_connected(4))
    with pytest.raises(InputError, match="refers to node 7 but there are 4 nodes"):
        layer(h, v, torch.randn(4, 3, dtype=torch.float64), torch.tensor([[0, 1], [7, 2]]))
    with pytest.raises(ShapeError, match="features \\(4, 1, 3\\)"):
        layer(h, torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64), fully_connected(4))


def test_simulator_physics():
    run = simulate_charged(64, seed=3, frames=3)
    assert np.array_equal(run["positions"], simulate_charged(64, seed=3, frames=3)["positions"])
    # equal masses and pairwise forces: momentum is conserved unless a force was clipped
    p = run["velocities"].sum(2)
    drift = np.abs(p[:, 2] - p[:, 0]).max(-1)
    assert (drift < 1e-9).mean() > 0.8
    data = charged_nbody(2, seed=0)       # frame 30 in, frame 40 out
    full = simulate_charged(2, seed=0, frames=41)
    assert np.array_equal(data["positions"], full["positions"][:, 30]) and np.array_equal(data["target"], full["positions"][:, 40])


def test_simulator_matches_the_published_linear_baseline():
    # Satorras et al. 2021, Table 2: the best x + t v has test MSE 0.0819 on their data; ours agrees
    d = charged_nbody(300, seed=2)
    x, v, y = d["positions"], d["velocities"], d["target"]
    t = ((y - x) * v).sum() / (v * v).sum()
    assert 0.6 < t < 0.8 and 0.075 < ((x + t * v - y) ** 2).mean() < 0.095


def test_manybody_benchmark_smoke(tmp_path):
    records = _benchmark("manybody").main(["--quick", "--models", "linear,egnn,molien-o3", "--out", str(tmp_path / "m")])
    assert [r["model"] for r in records] == ["linear", "egnn", "molien-o3"]
    assert all(r["equivariance_error"] < 1e-10 and np.isfinite(r["mse"]) for r in records)
    assert "EGNN 0.0071" in (tmp_path / "m.md").read_text()


def _benchmark(name):
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scaling_benchmark_smoke(tmp_path):
    records = _benchmark("manybody_scaling").main(["--quick", "--threads", "1", "--out", str(tmp_path / "s")])
    assert {r["model"] for r in records} == {"molien-o3", "egnn"} and all(r["saved_bytes"] > 0 for r in records)
    edges = [r["edges"] for r in records if r["model"] == "egnn"]
    assert edges[0] == 20 and edges[1] > edges[0]          # 5 particles within the cutoff: all 20 pairs
    assert "kB per edge" in (tmp_path / "s.md").read_text()


def test_e3nn_baseline_is_e3_equivariant():
    pytest.importorskip("e3nn")
    net = _benchmark("manybody").build("e3nn").double()
    x, v, q = torch.randn(10, 3).double(), torch.randn(10, 3).double(), torch.randn(10).double()
    edges = fully_connected(5, 2)
    y = net(x, v, q, edges)
    R, t = moved(4, 3)
    # e3nn builds its Clebsch–Gordan constants in float32: equivariance to ~1e-7, not 1e-15
    assert (net(x @ R.T + t, v @ R.T, q, edges) - (y @ R.T + t)).abs().max() < 1e-5 * y.abs().max()


def test_particle_network_refuses_bad_sizes_and_mismatched_inputs():
    for kwargs in ({"node_features": -1}, {"node_features": 1, "layers": 0}, {"node_features": 1, "hidden": 0},
                   {"node_features": 1, "vectors": 0}):
        with pytest.raises(InputError, match="ParticleNetwork: [a-z_]+ must be an integer"):
            ParticleNetwork("O(3):v", **kwargs)
    net = ParticleNetwork("O(3):v", node_features=1, layers=1, hidden=8, scalars=4)
    x, q = torch.randn(5, 3), torch.randn(5, 1)
    with pytest.raises(ShapeError, match=r"vectors \(5, 1, dim\)"):   # was a matmul error deep in torch
        net(x, torch.randn(5, 2, 3), q, fully_connected(5))
    with pytest.raises(ShapeError, match=r"features \(5, 1\)"):
        net(x, torch.randn(5, 1, 3), torch.randn(5, 2), fully_connected(5))


def test_graph_and_simulation_sizes_are_refused_before_allocation():
    """fully_connected(10**6) and radius_graph on 10^6 nodes asked torch for a terabyte; the simulator
    with 10^9 samples or 10^6 particles, numpy for tens of GiB; a negative size or radius slipped
    through to torch's errors."""
    from invariants import TooLargeError
    from neural.datasets.pendulum import double_spring_pendulum
    with pytest.raises(TooLargeError, match="MAX_PAIRS"):
        fully_connected(10**6)
    with pytest.raises(InputError, match="nodes must be an integer >= 1"):
        fully_connected(-1)
    with pytest.raises(TooLargeError, match="MAX_PAIRS"):
        radius_graph(torch.zeros(10**5, 3), 1.0)
    with pytest.raises(InputError, match="positive distance"):
        radius_graph(torch.randn(10, 3), -1.0)
    for kwargs in ({"count": 10**9}, {"count": 3, "particles": 10**6}, {"count": 2, "horizon": 10**7}):
        with pytest.raises(TooLargeError, match="MAX_SIMULATION_WORK"):
            charged_nbody(seed=0, **kwargs)
    with pytest.raises(InputError, match="start=-1"):
        charged_nbody(3, 0, start=-1)
    with pytest.raises(TooLargeError, match="MAX_INTEGRATION_STEPS"):
        double_spring_pendulum(10, duration=1e9)
