"""Spherical CNNs (neural.sphere, bridge.sphere): exact quadrature, rotations of coefficients, every
layer's equivariance under random rotations (float64 ≤ 1e-12, float32 ≤ 1e-5), the read-outs against
the engine's invariants, the grid nonlinearity's aliasing, bad input, and the benchmark's smoke run."""
import numpy as np
import pytest
import sympy
import torch

from bridge.actions import orthogonal
from bridge.sphere import harmonic_array, rotation_blocks, sphere_grid
from invariants import SO3, InputError, ShapeError, invariants_of_degree, molien_series
from invariants.groups.compact.clebsch_gordan import sphere_norms
from neural.sphere import (Bispectrum, GatedNonlinearity, GridNonlinearity, NormNonlinearity, PowerSpectrum,
                           SphereAnalysis, SphereType, SphericalCNN, SphericalLinear, TensorProductNonlinearity)

TOLERANCE = {torch.float64: 1e-12, torch.float32: 1e-5}


def rotations(batch, seed=0):
    return orthogonal(3, batch, special=True, generator=torch.Generator().manual_seed(seed))


def equivariance_error(layer, in_type, out_type, dtype, seed=0, batch=6):
    layer = layer.to(dtype)
    torch.manual_seed(seed)
    x = torch.randn(batch, in_type.dim, dtype=dtype)
    R = rotations(batch, seed)
    blocks_in, blocks_out = rotation_blocks(in_type.lmax, R), rotation_blocks(max(out_type.lmax, 0), R)
    with torch.no_grad():
        y = layer(x)
        moved = layer(in_type.rotate(x, blocks_in))
        expected = out_type.rotate(y, blocks_out) if out_type is not None else y
    return float((moved - expected).abs().max() / y.abs().max())


def test_sphere_type_prints_parses_adds_and_splits():
    t = SphereType.parse("16x0 + 8x1 + 4x3")
    assert t.mults == (16, 8, 0, 4) and str(t) == "16x0 + 8x1 + 4x3" and t.dim == 16 + 24 + 28
    assert SphereType.so3(2, 2).mults == (2, 6, 10) and SphereType.signal(3, 1) + t == SphereType((19, 11, 0, 4))
    x = torch.randn(5, t.dim)
    assert torch.equal(t.join(t.split(x)), x)
    with pytest.raises(ShapeError, match="16x0 \\+ 8x1 \\+ 4x3"):
        t.split(torch.randn(5, 3))
    with pytest.raises(InputError):
        SphereType((1, -2))
    with pytest.raises(InputError, match="16x0"):
        SphereType.parse("16y0")


@pytest.mark.parametrize("bandwidth", [0, 1, 4, 10])
def test_quadrature_makes_the_normalised_harmonics_orthonormal(bandwidth):
    points, weights = sphere_grid(bandwidth)
    values = harmonic_array(bandwidth, points)
    assert abs(weights.sum() - 1) < 1e-14
    assert np.abs(values.T @ (weights[:, None] * values) - np.eye((bandwidth + 1) ** 2)).max() < 1e-12


def test_rotation_blocks_are_orthogonal_and_rotate_band_limited_signals():
    L = 6
    R = rotations(3, seed=1)
    points, weights = sphere_grid(L)
    c = np.random.default_rng(0).standard_normal((L + 1) ** 2)
    for b, r in enumerate(R):
        moved = harmonic_array(L, points @ r.numpy()) @ c              # f(R⁻¹ x)
        analysed = harmonic_array(L, points).T @ (weights * moved)
        blocks = rotation_blocks(L, R)
        full = torch.block_diag(*[d[b] for d in blocks]).numpy()
        assert np.abs(analysed - full @ c).max() < 1e-12
        assert np.abs(full @ full.T - np.eye(len(c))).max() < 1e-12


def test_analysis_of_a_rotated_grid_signal_is_the_rotated_analysis():
    L = 5
    analysis = SphereAnalysis(L, resolution=L)
    points = analysis.points
    c = torch.randn(2, (L + 1) ** 2, dtype=torch.float64)
    R = rotations(2, seed=2)
    values = torch.stack([torch.tensor(harmonic_array(L, (points @ r).numpy())) @ ci for r, ci in zip(R, c)])[:, None]
    expected = SphereType.signal(1, L).rotate(c, rotation_blocks(L, R))
    assert (analysis(values) - expected).abs().max() < 1e-12


SIGNAL, SIGNAL2, SO3_TYPE = SphereType.signal(3, 3), SphereType.signal(4, 3), SphereType.so3(2, 3)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("make", [
    lambda: (SphericalLinear(SIGNAL, SIGNAL2), SIGNAL, SIGNAL2),                       # zonal S² convolution
    lambda: (SphericalLinear(SIGNAL, SO3_TYPE), SIGNAL, SO3_TYPE),                     # lifting S² → SO(3)
    lambda: (SphericalLinear(SO3_TYPE, SO3_TYPE), SO3_TYPE, SO3_TYPE),                 # SO(3) convolution
    lambda: (GatedNonlinearity(SIGNAL), GatedNonlinearity(SIGNAL).in_type, SIGNAL),
    lambda: (NormNonlinearity(SO3_TYPE), SO3_TYPE, SO3_TYPE),
    lambda: (TensorProductNonlinearity(SIGNAL, SIGNAL2), SIGNAL, SIGNAL2),
    lambda: (TensorProductNonlinearity(SphereType.signal(2, 4), SphereType.signal(3, 2)), SphereType.signal(2, 4), SphereType.signal(3, 2)),
], ids=["zonal", "lift", "so3conv", "gated", "norm", "tensor", "tensor-truncating"])
def test_layers_are_equivariant_under_random_rotations(make, dtype):
    torch.manual_seed(0)
    layer, in_type, out_type = make()
    with torch.no_grad():
        for p in layer.parameters():
            p.normal_()
    assert equivariance_error(layer, in_type, out_type, dtype) < TOLERANCE[dtype]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_readouts_and_the_model_are_invariant(dtype):
    t = SphereType.signal(3, 4)
    for layer in (PowerSpectrum(t), Bispectrum(t), PowerSpectrum(SO3_TYPE)):
        in_type = layer.in_type
        layer = layer.to(dtype)
        x = torch.randn(5, in_type.dim, dtype=dtype)
        moved = in_type.rotate(x, rotation_blocks(in_type.lmax, rotations(5)))
        # cube roots of values near 0 amplify rounding: compare the raw invariants
        layer.root = False
        assert float((layer(moved) - layer(x)).abs().max() / layer(x).abs().max()) < TOLERANCE[dtype]
    torch.manual_seed(0)
    model = SphericalCNN(4, 5, channels=(4, 4), resolution=6, nonlinearity="tensor").to(dtype).eval()
    x = torch.randn(4, SphereType.signal(1, 4).dim, dtype=dtype)
    moved = SphereType.signal(1, 4).rotate(x, rotation_blocks(4, rotations(4, seed=3)))
    with torch.no_grad():
        base = model.from_coefficients(x)
        assert float((model.from_coefficients(moved) - base).abs().max() / base.abs().max()) < 10 * TOLERANCE[dtype]


@pytest.mark.parametrize("bandwidth", [2, 3])
def test_power_spectrum_and_bispectrum_span_the_engines_invariants(bandwidth):
    """The engine's SO(3)-invariants of V_0 ⊕ … ⊕ V_L in degrees 2 and 3 (counted by its Molien series)
    and the read-outs span the same space of functions."""
    group = SO3()
    rep = group.irrep(0)
    for l in range(1, bandwidth + 1):
        rep = rep + group.irrep(l)
    counts = molien_series(rep).coefficients(4)
    t = SphereType.signal(1, bandwidth)
    power, bispectrum = PowerSpectrum(t, root=False).double(), Bispectrum(t, root=False).double()
    assert power.size == counts[2] and bispectrum.size == counts[3]
    rng = np.random.default_rng(bandwidth)
    b = rng.standard_normal((60, t.dim))
    scale = np.sqrt(np.concatenate([[float(g) for g in sphere_norms(l)] for l in range(bandwidth + 1)]))
    a = b * scale                                      # engine (analysis) coordinates of the same signals
    for degree, layer in ((2, power), (3, bispectrum)):
        ours = layer(torch.tensor(b)).numpy()
        polys = invariants_of_degree(rep, degree)
        symbols = sorted(set().union(*(p.free_symbols for p in polys)), key=lambda s: int(str(s)[1:]))
        f = sympy.lambdify(symbols, polys, "numpy")
        theirs = np.array([f(*row[[int(str(s)[1:]) for s in symbols]]) for row in a], dtype=float)
        both = np.linalg.matrix_rank(np.hstack([ours, theirs]), tol=1e-8 * np.abs(theirs).max())
        assert np.linalg.matrix_rank(ours, tol=1e-8 * np.abs(ours).max()) == len(polys) == both


def test_grid_nonlinearity_aliasing_falls_with_the_grid():
    t = SphereType.signal(2, 4)
    errors = [equivariance_error(GridNonlinearity(t, resolution=r), t, t, torch.float64, seed=4) for r in (4, 8, 16, 32)]
    assert errors[-1] < errors[0] / 4 and errors[-1] < 0.05
    assert all(e > 1e-8 for e in errors)                 # ReLU is not band-limited: never exact


def test_bad_input_gets_clear_errors():
    with pytest.raises(InputError, match="SphereType.signal"):
        GridNonlinearity(SO3_TYPE)
    with pytest.raises(InputError, match="SphereType.signal"):
        Bispectrum(SO3_TYPE)
    with pytest.raises(InputError, match="resolution >= 4"):
        GridNonlinearity(SphereType.signal(1, 4), resolution=2)
    with pytest.raises(InputError, match="grid, tensor, gated"):
        SphericalCNN(2, 3, nonlinearity="relu")
    with pytest.raises(ShapeError, match="SphericalLinear's input of type 3x0 \\+ 3x1"):
        SphericalLinear(SphereType.signal(3, 1), SphereType.signal(3, 1))(torch.randn(2, 5))
    with pytest.raises(InputError, match="band limit"):
        sphere_grid(-1)


def test_model_state_dict_round_trip_and_dtype():
    torch.manual_seed(0)
    model = SphericalCNN(3, 4, channels=(3,), resolution=4)
    other = SphericalCNN(3, 4, channels=(3,), resolution=4)
    other.load_state_dict(model.state_dict())
    x = torch.randn(2, 1, model.analysis.points.shape[0])
    assert torch.equal(model.eval()(x), other.eval()(x))
    assert model.double()(x.double()).dtype == torch.float64


def test_sphere_benchmark_smoke(tmp_path):
    pytest.importorskip("sklearn")
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("sphere_bench", Path(__file__).parent.parent / "benchmarks" / "sphere.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    records = bench.main(["--quick", "--models", "molien-s2cnn,planar-cnn", "--timings", "", "--out", str(tmp_path / "s")])
    assert {r["test_split"] for r in records} == {"NR/NR", "NR/R", "R/R"}
    assert all(0 <= r["accuracy"] <= 1 for r in records)
    assert max(r["equivariance_error"] for r in records if r["model"] == "molien-s2cnn") < 1e-10
    assert "NR/R" in (tmp_path / "s.md").read_text()


def test_sphere_sizes_and_inputs_are_checked():
    """SphericalCNN(10**6, …) raised numpy's MemoryError for a 29 TiB grid, and a wrong input shape a
    matmul error: both are molien errors now, naming the knob or the expected shape."""
    import pytest
    import torch
    from bridge.sphere import sphere_grid
    from invariants import ShapeError, TooLargeError
    from neural.sphere.models import SphericalCNN
    for bandwidth in (10**6, 300):
        with pytest.raises(TooLargeError, match="MAX_HARMONIC_ENTRIES"):
            SphericalCNN(bandwidth, 10)
    net = SphericalCNN(4, 10, in_channels=2, channels=(4,))
    nodes = len(sphere_grid(8)[0])
    assert net(torch.randn(3, 2, nodes)).shape == (3, 10)
    with pytest.raises(ShapeError, match=r"2 channel\(s\)"):
        net(torch.randn(3, 1, nodes))
    with pytest.raises(ShapeError, match=f"the {nodes} nodes of sphere_grid"):
        net(torch.randn(3, 2, nodes + 1))
