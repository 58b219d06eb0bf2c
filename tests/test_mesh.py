"""Gauge-equivariant mesh CNNs: the geometry against known answers, and every layer and model
against a random change of gauge at every vertex (float64 ≤ 1e-10, float32 ≤ 1e-5)."""
from __future__ import annotations

import copy
import io
import math

import networkx as nx
import numpy as np
import pytest
import torch

from invariants.errors import InputError, ShapeError
from neural.conv.covariant import CovariantNonlinearity
from neural.conv.gspace import steerable_space
from neural.conv.nonlinear import GatedNonlinearity, NormNonlinearity
from neural.mesh import (GaugeCNN, GaugeConv, MeshGeometry, RegularNonlinearity, VertexwiseNonlinearity, change_gauge,
                         deformed_sphere, gradient_task, icosphere, shape_task)

SO2 = steerable_space(None)
pytestmark = pytest.mark.usefixtures("one_thread")


def _sphere(seed: int = 0, level: int = 2, rings: int = 1) -> MeshGeometry:
    return MeshGeometry(*deformed_sphere(level, 0.3, np.random.default_rng(seed)), rings=rings)


def _torus(rings: int = 1) -> MeshGeometry:
    trimesh = pytest.importorskip("trimesh")
    return MeshGeometry.from_trimesh(trimesh.creation.torus(major_radius=1.0, minor_radius=0.4, major_sections=16,
                                                            minor_sections=8), rings)


def _gauge(mesh: MeshGeometry, n: int | None, rng: np.random.Generator) -> np.ndarray:
    if n is None:
        return rng.uniform(0, 2 * np.pi, mesh.num_vertices)
    return 2 * np.pi * rng.integers(0, n, mesh.num_vertices) / n


def _gauge_error(model, in_type, out_type, mesh: MeshGeometry, n: int | None, dtype=torch.float64, seed: int = 0):
    """max |f(gauge-changed x) − ρ_out(−γ) f(x)| relative to max |f(x)|."""
    rng = np.random.default_rng(seed)
    gamma = _gauge(mesh, n, rng)
    g = torch.from_numpy(gamma)
    x = torch.randn(mesh.num_vertices, in_type.size, dtype=dtype, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        y = model(x, mesh)
        moved = model(change_gauge(x, g, in_type), mesh.rotate_frames(gamma))
    scale = y.abs().max().item()
    assert scale > 1e-3, "the model's output vanishes: the test would pass vacuously"
    return (moved - change_gauge(y, g, out_type)).abs().max().item() / scale


# -- geometry -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rings", [1, 2, 3])
def test_ring_pairs_are_the_graph_balls(rings):
    mesh = _sphere(rings=rings, level=1)
    graph = nx.Graph()
    graph.add_edges_from((int(a), int(b)) for f in mesh.faces for a, b in ((f[0], f[1]), (f[1], f[2]), (f[2], f[0])))
    expected = sorted((q, p) for p in graph for q in nx.single_source_shortest_path_length(graph, p, cutoff=rings)
                      if q != p)
    assert sorted(map(tuple, mesh.edge_index.T.tolist())) == expected


def test_flat_mesh_geometry_is_plane_geometry():
    """On a plane with random frames at angle ψ_p: θ_pq = direction(q − p) − ψ_p, g_{q→p} = ψ_q − ψ_p."""
    rng = np.random.default_rng(3)
    n = 6
    xy = np.stack(np.meshgrid(np.arange(n), np.arange(n), indexing="ij"), -1).reshape(-1, 2) + rng.uniform(-0.2, 0.2, (n * n, 2))
    faces = [[i * n + j, (i + 1) * n + j, i * n + j + 1] for i in range(n - 1) for j in range(n - 1)]
    faces += [[(i + 1) * n + j, (i + 1) * n + j + 1, i * n + j + 1] for i in range(n - 1) for j in range(n - 1)]
    mesh = MeshGeometry(np.c_[xy, np.zeros(n * n)], faces, rings=2)
    assert np.allclose(mesh.normals, [0, 0, 1])
    psi = np.arctan2(mesh.frames[:, 0, 1], mesh.frames[:, 0, 0])
    q, p = mesh.edge_index
    d = xy[q] - xy[p]
    wrap = lambda a: np.angle(np.exp(1j * a))  # noqa: E731
    assert np.abs(wrap(mesh.angle - (np.arctan2(d[:, 1], d[:, 0]) - psi[p]))).max() < 1e-12
    assert np.abs(wrap(mesh.transport - (psi[q] - psi[p]))).max() < 1e-12
    assert np.allclose(mesh.radius * mesh.scale, np.linalg.norm(d, axis=1))


def test_transport_is_inverse_along_the_reverse_edge_and_holonomy_is_curvature():
    mesh = MeshGeometry(*icosphere(3))
    index = {(int(a), int(b)): e for e, (a, b) in enumerate(mesh.edge_index.T)}
    back = np.array([mesh.transport[index[(b, a)]] for a, b in mesh.edge_index.T])
    assert np.abs(np.angle(np.exp(1j * (mesh.transport + back)))).max() < 1e-12
    # around the link of a vertex of the unit sphere, transport turns by the enclosed spherical area
    # (Gauss–Bonnet); at a valence-6 vertex the discrete transport converges to it (0.8 % at level 3)
    vertices = mesh.vertices
    centre = next(v for v in range(mesh.num_vertices) if np.sum(mesh.edge_index[1] == v) == 6)
    faces = mesh.faces[(mesh.faces == centre).any(1)]
    link = [int(v) for v in nx.cycle_basis(nx.Graph([tuple(sorted(set(f) - {centre})) for f in faces]))[0]]
    turn = sum(mesh.transport[index[(link[i], link[(i + 1) % len(link)])]] for i in range(len(link)))

    def spherical_triangle(a, b, c):  # Van Oosterom & Strackee
        return 2 * np.arctan2(abs(a @ np.cross(b, c)), 1 + a @ b + b @ c + c @ a)

    area = sum(spherical_triangle(vertices[centre], vertices[link[i]], vertices[link[(i + 1) % len(link)]])
               for i in range(len(link)))
    assert abs(abs(np.angle(np.exp(1j * turn))) - area) < 0.02 * area


def test_gauge_change_moves_angles_and_transport():
    mesh = _sphere(level=1)
    gamma = np.random.default_rng(0).uniform(0, 2 * np.pi, mesh.num_vertices)
    turned = mesh.rotate_frames(gamma)
    q, p = mesh.edge_index
    assert np.allclose(np.exp(1j * turned.angle), np.exp(1j * (mesh.angle - gamma[p])))
    assert np.allclose(np.exp(1j * turned.transport), np.exp(1j * (mesh.transport + gamma[q] - gamma[p])))
    v = np.random.default_rng(1).normal(size=(mesh.num_vertices, 3))
    v -= (v * mesh.normals).sum(1, keepdims=True) * mesh.normals
    coords = torch.from_numpy(mesh.to_frame(v))
    assert np.allclose(turned.to_frame(v), change_gauge(coords, torch.from_numpy(gamma), SO2.type(SO2.group.frequency(1))))
    assert np.allclose(mesh.from_frame(mesh.to_frame(v)), v)


# -- layers and models under random gauges -----------------------------------------------------------

def _types(n: int | None):
    space = steerable_space(n)
    if n is None:
        f = space.group.frequency
        return (space.type(space.trivial) + 2 * space.type(f(1)) + space.type(f(2)),
                2 * space.type(space.trivial) + space.type(f(1)) + space.type(f(3)))
    return space.type(space.trivial) + space.type(space.regular), 2 * space.type(space.regular) + space.type(space.plane)


@pytest.mark.parametrize("n", [None, 6, 5])
@pytest.mark.parametrize("rings", [1, 2])
def test_conv_is_gauge_equivariant(n, rings):
    torch.manual_seed(1)
    in_type, out_type = _types(n)
    conv = GaugeConv(in_type, out_type, rings=rings).double()
    for mesh in (_sphere(rings=rings), _torus(rings)):
        assert _gauge_error(conv, in_type, out_type, mesh, n) < 1e-10


@pytest.mark.parametrize("n", [None, 7])
@pytest.mark.parametrize("nonlinearity", ["regular", "norm", "covariant"])
def test_models_are_gauge_equivariant(n, nonlinearity):
    torch.manual_seed(2)
    space = steerable_space(n)
    in_type = space.type(space.trivial) + space.type(space.group.frequency(1) if n is None else space.plane)
    out_type = space.type(space.group.frequency(1) if n is None else space.plane)
    model = GaugeCNN(in_type, out_type, channels=3, depth=2, nonlinearity=nonlinearity).double()
    # the sampled ReLU commutes exactly with turns by 2π/samples only; the other two with every angle
    gauge = 10 if (n is None and nonlinearity == "regular") else n
    mesh = _sphere(1)
    assert _gauge_error(model, in_type, out_type, mesh, gauge) < 1e-10
    assert _gauge_error(model.float(), in_type, out_type, mesh, gauge, dtype=torch.float32) < 1e-5


def test_regular_nonlinearity_is_exact_on_its_samples_and_approximate_between():
    relu = RegularNonlinearity(SO2, band_limit=2, copies=4, samples=8).double()
    mesh = _sphere(level=1)
    x = torch.randn(mesh.num_vertices, relu.in_type.size, dtype=torch.float64)
    for gamma, exact in [(2 * np.pi * np.random.default_rng(0).integers(0, 8, mesh.num_vertices) / 8, True),
                         (np.random.default_rng(0).uniform(0, 2 * np.pi, mesh.num_vertices), False)]:
        g = torch.from_numpy(gamma)
        err = (relu(change_gauge(x, g, relu.in_type)) - change_gauge(relu(x), g, relu.in_type)).abs().max().item()
        assert (err < 1e-12) == exact, err
    band_limited = torch.randn(3, 5, dtype=torch.float64) @ relu.sample.T  # projection back is exact below Nyquist
    assert torch.allclose(band_limited @ relu.project.T @ relu.sample.T, band_limited)


@pytest.mark.parametrize("make", [lambda t: NormNonlinearity(t), lambda t: CovariantNonlinearity(t, degree=2)])
def test_vertexwise_nonlinearities_commute_with_any_gauge(make):
    t = 2 * SO2.type(SO2.group.frequency(1)) + SO2.type(SO2.group.frequency(2))
    f = VertexwiseNonlinearity(make(t)).double()
    x = torch.randn(30, t.size, dtype=torch.float64)
    g = torch.rand(30, dtype=torch.float64) * 2 * math.pi
    assert (f(change_gauge(x, g, t)) - change_gauge(f(x), g, t)).abs().max() < 1e-12
    gated = GatedNonlinearity(t)
    with pytest.raises(ShapeError):
        VertexwiseNonlinearity(gated)(x)  # the gates are extra input channels: shapes say so


@pytest.mark.parametrize("n", [None, 8])
def test_class_scores_are_invariant_under_rotation_and_gauge(n):
    torch.manual_seed(4)
    space = steerable_space(n)
    model = GaugeCNN(space.type(space.trivial, space.trivial), classes=4, channels=4, depth=2).double()
    rng = np.random.default_rng(5)
    vertices, faces = deformed_sphere(2, 0.3, rng)
    mesh = MeshGeometry(vertices, faces)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    q *= np.sign(np.linalg.det(q))
    # (the SO(2) model's sampled ReLU is exact for turns by 2π/10; the invariance is exact for those)
    rotated = MeshGeometry(vertices @ q.T, faces).rotate_frames(_gauge(mesh, n or 10, rng))
    scores = model(torch.from_numpy(mesh.curvatures), mesh)
    assert np.allclose(mesh.curvatures, rotated.curvatures, atol=1e-10)
    assert (model(torch.from_numpy(rotated.curvatures), rotated) - scores).abs().max() < 1e-10
    assert scores.std() > 1e-3


def test_batched_union_equals_separate_meshes():
    torch.manual_seed(6)
    space = steerable_space(None)
    model = GaugeCNN(space.type(space.trivial), classes=3, channels=3, depth=1).double()
    meshes = [_sphere(s, level=1) for s in range(3)]
    xs = [torch.from_numpy(m.curvatures[:, :1]) for m in meshes]
    together = model(torch.cat(xs), MeshGeometry.union(meshes))
    assert torch.allclose(together, torch.cat([model(x, m) for x, m in zip(xs, meshes)]), atol=1e-12)


def test_state_dict_round_trip_and_dtype():
    in_type, out_type = _types(None)
    a, b = GaugeConv(in_type, out_type), GaugeConv(in_type, out_type)
    b.load_state_dict(a.state_dict())
    mesh = _sphere(level=1)
    x = torch.randn(mesh.num_vertices, in_type.size)
    assert torch.equal(a(x, mesh), b(x, mesh))
    assert a.double()(x.double(), mesh).dtype == torch.float64
    for n in (None, 8):  # whole models copy and save (field types pickle as their specs)
        space = steerable_space(n)
        model = GaugeCNN(space.type(space.trivial), classes=3, channels=3, depth=1)
        buffer = io.BytesIO()
        torch.save(model, buffer)
        buffer.seek(0)
        y = model(x[:, :1], mesh)
        assert torch.equal(copy.deepcopy(model)(x[:, :1], mesh), y)
        assert torch.equal(torch.load(buffer, weights_only=False)(x[:, :1], mesh), y)


def test_a_scalar_gradient_is_learned_under_random_gauges():
    torch.manual_seed(0)
    train, test = gradient_task(8, level=1, seed=0), gradient_task(4, level=1, seed=1)
    model = GaugeCNN(SO2.type(SO2.trivial), SO2.type(SO2.group.frequency(1)), channels=4, depth=1)
    batch = MeshGeometry.union([s.geometry for s in train])
    x, y = (torch.tensor(np.concatenate([getattr(s, k) for s in train]), dtype=torch.float32) for k in "xy")
    opt = torch.optim.Adam(model.parameters(), 1e-2)
    for _ in range(150):
        opt.zero_grad()
        loss = ((model(x, batch) - y) ** 2).mean()
        loss.backward()
        opt.step()
    tb = MeshGeometry.union([s.geometry for s in test])
    tx, ty = (torch.tensor(np.concatenate([getattr(s, k) for s in test]), dtype=torch.float32) for k in "xy")
    with torch.no_grad():
        relative = ((model(tx, tb) - ty) ** 2).mean() / (ty ** 2).mean()
    assert relative < 0.1


def test_shape_task_makes_rotated_remeshed_shapes():
    pytest.importorskip("trimesh")
    samples = shape_task(12, resolution=(0.3, 0.4))
    assert [s.y for s in samples] == [i % 6 for i in range(12)]
    assert len({s.geometry.num_vertices for s in samples}) > 3
    assert all(s.x.shape == (s.geometry.num_vertices, 2) and np.isfinite(s.x).all() for s in samples)


# -- bad input ----------------------------------------------------------------------------------------

def test_bad_meshes_and_fields_are_refused():
    vertices, faces = icosphere(1)
    with pytest.raises(ShapeError):
        MeshGeometry(vertices[:, :2], faces)
    with pytest.raises(InputError, match="indices"):
        MeshGeometry(vertices, faces + 100)
    with pytest.raises(InputError, match="NaN"):
        MeshGeometry(np.where(np.arange(42)[:, None] == 3, np.nan, vertices), faces)
    with pytest.raises(InputError, match="unreferenced"):
        MeshGeometry(np.r_[vertices, [[5.0, 5, 5]]], faces)
    mesh = MeshGeometry(vertices, faces)
    with pytest.raises(ShapeError):
        mesh.rotate_frames(np.zeros(3))
    in_type, out_type = _types(None)
    conv = GaugeConv(in_type, out_type, rings=2)
    with pytest.raises(InputError, match="rings=2"):
        conv(torch.randn(42, in_type.size), mesh)
    with pytest.raises(ShapeError, match="vertices, channels"):
        GaugeConv(in_type, out_type)(torch.randn(42, 3), mesh)
    o2 = steerable_space(None, flips=True)
    with pytest.raises(InputError, match="no flips"):
        GaugeConv(o2.type(o2.trivial), o2.type(o2.trivial))
    c4 = steerable_space(4)
    with pytest.raises(InputError, match="multiples"):
        change_gauge(torch.randn(42, 4), torch.full((42,), 0.3), c4.type(c4.regular))
    with pytest.raises(InputError, match="max_frequency"):
        GaugeConv(SO2.type(SO2.trivial), SO2.type(SO2.group.frequency(3)), max_frequency=2)
