"""Group convolutions on the grid (#19): exact kernel bases against the defining equations and the
character count, every layer equivariant under every element of every grid group, typed errors,
the kernel cache."""
import json

import numpy as np
import pytest
import torch

from bridge.kernel_bases import action_arrays, kernel_basis_array
from invariants import InputError, MatrixGroup, ShapeError, dihedral, load_spec
from invariants.covariants.kernels import invariant_vectors, kernel_basis, stencil
from neural.conv import (CovariantNonlinearity, FieldBatchNorm, FieldPool2d, FieldSequential, GlobalInvariantPool,
                         GridSpace, GroupCNN, GroupConv2d, GroupPooling, InvariantPooling, NormNonlinearity,
                         PointwiseNonlinearity, SteerableSpace, grid_space, steerable_space)

GRID_GROUPS = ["C1", "C2", "C4", "D1", "D2", "D4"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path / "cache"))


def _types(space):
    """Field types of every kind: trivial, regular, the plane's vectors, the determinant, a quotient."""
    G = space.group
    out = {"trivial": space.type(space.trivial), "regular": space.type(space.regular),
           "plane": space.type(space.plane), "det": space.type(G.atom("det"))}
    if G.order() > 1:
        sub = G.subgroup([G.generators[-1]])
        out["quotient"] = space.type(G.quotient(sub))
    out["mixed"] = out["regular"] + out["plane"] + 2 * out["trivial"]
    return out


def _hom_dimension(space, rho_in, rho_out, points):
    """(1/|G|) Σ_g χ_P(g) χ_in(g) χ_out(g): the character count of Hom_G(P ⊗ ρ_in, ρ_out) (real reps)."""
    chi_in = np.trace(action_arrays(space.plane, rho_in), axis1=1, axis2=2)
    chi_out = np.trace(action_arrays(space.plane, rho_out), axis1=1, axis2=2)
    fixed = [sum(tuple(m @ np.array(p)) == p for p in points) for m in space.lattice]
    return round(float(np.sum(np.array(fixed) * chi_in * chi_out)) / space.order)


@pytest.mark.parametrize("name", GRID_GROUPS)
@pytest.mark.parametrize("radius", [1, 2])
def test_kernel_basis_is_exact_and_complete(name, radius):
    space = grid_space(name)
    types = _types(space)
    points = stencil(radius)
    for a in types.values():
        for b in types.values():
            if len(a.reps) > 1 or len(b.reps) > 1:
                continue
            basis = kernel_basis(space.plane, a.reps[0], b.reps[0], points)
            assert basis.check(), (name, a, b)
            assert len(basis) == _hom_dimension(space, a.reps[0], b.reps[0], points), (name, a, b)
            if len(basis):
                flat = np.array([[float(x) for k in kernel for row in k.to_sympy().tolist() for x in row]
                                 for kernel in basis.elements])
                assert np.linalg.matrix_rank(flat) == len(basis)


def test_known_counts():
    """A G-CNN's 3x3 filter: |G| weights per point and channel pair (regular → regular), the
    D4-symmetric 5x5 filters are 6 (one per orbit of points), a lifting layer has 9 per output field."""
    G = dihedral(4)
    assert len(kernel_basis(G.natural(), G.regular(), G.regular(), stencil(1))) == 72
    assert len(kernel_basis(G.natural(), G.atom("0"), G.atom("0"), stencil(2))) == 6
    assert len(kernel_basis(G.natural(), G.atom("0"), G.regular(), stencil(1))) == 9
    assert len(kernel_basis(G.natural(), G.atom("0"), G.natural(), stencil(1))) == 2  # the two gradient stencils
    assert len(invariant_vectors(G.regular())) == 1 and invariant_vectors(G.natural()) == []


def test_kernel_basis_in_another_basis():
    """The same representation conjugated by a random integer matrix: as many kernels, all exact."""
    rng = np.random.default_rng(0)
    G = dihedral(4)
    while True:
        P = rng.integers(-2, 3, size=(8, 8))
        if round(abs(np.linalg.det(P))) != 0:
            break
    from invariants import Matrix

    Pm = Matrix.from_entries(P.tolist())
    Pinv = Pm.inverse()
    moved = G.representation_from_images([Pm @ m @ Pinv for m in G.regular().images])
    plain = kernel_basis(G.natural(), G.regular(), G.natural(), stencil(2))
    other = kernel_basis(G.natural(), moved, G.natural(), stencil(2))
    assert len(plain) == len(other) and other.check()


def test_internal_symmetry_acts_on_channels_only():
    """D4 x C2 with C2 fixing the plane: a sign field of the C2 factor never mixes with a trivial one."""
    G = MatrixGroup([[[0, -1, 0], [1, 0, 0], [0, 0, 1]], [[1, 0, 0], [0, -1, 0], [0, 0, 1]],
                     [[1, 0, 0], [0, 1, 0], [0, 0, -1]]], name="D4xC2")
    plane = G.representation_from_images([[[0, -1], [1, 0]], [[1, 0], [0, -1]], [[1, 0], [0, 1]]])
    sign = G.representation_from_images([[[1]], [[1]], [[-1]]])
    space = GridSpace(plane)
    assert space.order == 16
    assert len(kernel_basis(plane, G.atom("0"), sign, stencil(1))) == 0
    assert len(kernel_basis(plane, sign, sign, stencil(1))) == 3
    conv = GroupConv2d(space.type(sign, G.atom("0")), space.type(sign, space.regular), 3).double()
    _assert_equivariant(conv, space, torch.float64, 1e-12)


def _assert_equivariant(layer, space, dtype, tol, side=9, batch=2):
    torch.manual_seed(0)
    layer = layer.to(dtype)
    x = torch.randn(batch, layer.in_type.size, side, side, dtype=dtype)
    y = layer(x)
    worst = 0.0
    for g in range(space.order):
        gx = space.transform(x, g, layer.in_type)
        out_type = getattr(layer, "out_type", None)
        gy = y if out_type is None or y.dim() == 2 else space.transform(y, g, out_type)
        worst = max(worst, (layer(gx) - gy).abs().max().item() / max(y.abs().max().item(), 1.0))
    assert worst <= tol, (type(layer).__name__, space, worst)


@pytest.mark.parametrize("name", GRID_GROUPS)
def test_every_layer_is_equivariant_under_every_element(name):
    space = grid_space(name)
    types = _types(space)
    covariant = CovariantNonlinearity(types["mixed"], degree=2)  # compiled once, checked in both precisions
    pooled = InvariantPooling(types["mixed"], degree_bound=3)
    for dtype, tol in ((torch.float64, 1e-12), (torch.float32, 1e-5)):
        for a in ("trivial", "regular", "plane", "mixed"):
            for b in types:
                _assert_equivariant(GroupConv2d(types[a], types[b], 3), space, dtype, tol)
        mixed = types["mixed"]
        _assert_equivariant(GroupConv2d(mixed, 2 * types["regular"], 5, stride=2), space, dtype, tol)
        _assert_equivariant(NormNonlinearity(mixed), space, dtype, tol)
        _assert_equivariant(covariant, space, dtype, tol, side=5)
        _assert_equivariant(PointwiseNonlinearity(types["regular"] + types["quotient" if "quotient" in types
                                                                           else "trivial"]), space, dtype, tol)
        _assert_equivariant(FieldPool2d(mixed, 3, 2, padding=1), space, dtype, tol)
        _assert_equivariant(FieldPool2d(types["regular"], 2, 2, mode="max"), space, dtype, tol, side=8)
        bn = FieldBatchNorm(mixed)
        _assert_equivariant(bn, space, dtype, tol)  # training: batch statistics
        _assert_equivariant(bn.eval(), space, dtype, tol)  # evaluation: running statistics
        _assert_equivariant(GroupPooling(mixed), space, dtype, tol)
        _assert_equivariant(pooled, space, dtype, tol)
        _assert_equivariant(GlobalInvariantPool(mixed), space, dtype, tol)


@pytest.mark.parametrize("name", ["C4", "D4"])
def test_group_cnn_is_invariant_and_trains(name):
    space = grid_space(name)
    torch.manual_seed(1)
    net = GroupCNN(space, 1, 3, channels=(2, 4), kernel_size=3)
    _assert_equivariant(net.double().eval(), space, torch.float64, 1e-12, side=9)
    net.train().float()
    x, y = torch.randn(16, 1, 9, 9), torch.randint(0, 3, (16,))
    opt = torch.optim.Adam(net.parameters(), 1e-2)
    first = None
    for _ in range(30):
        loss = torch.nn.functional.cross_entropy(net(x), y)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.5 * first
    again = GroupCNN(space, 1, 3, channels=(2, 4), kernel_size=3)
    again.load_state_dict(net.state_dict())
    assert torch.equal(again.eval()(x), net.eval()(x))


def test_grid_errors_name_the_fix():
    with pytest.raises(InputError, match="steerable"):
        grid_space("C8")
    with pytest.raises(InputError, match="steerable"):
        GridSpace(MatrixGroup([[[0, -1], [1, -1]]], name="C3").natural())  # a lattice map, not a grid symmetry
    with pytest.raises(InputError, match="steerable"):
        GridSpace(MatrixGroup([[["sqrt(2)/2", "-sqrt(2)/2"], ["sqrt(2)/2", "sqrt(2)/2"]]], "QQ(sqrt(2))").natural())
    with pytest.raises(InputError, match="continuous group.*steerable"):
        GridSpace(load_spec("SO(2):v"))
    space = grid_space("D4")
    reg, plane = space.type(space.regular), space.type(space.plane)
    with pytest.raises(InputError, match=r"gives FieldType\(D4: 1xplane\).*expects FieldType\(D4: 1xregular\)"):
        FieldSequential(GroupConv2d(reg, plane, 3), GroupConv2d(reg, reg, 3))
    with pytest.raises(InputError, match="NormNonlinearity"):
        PointwiseNonlinearity(plane)
    with pytest.raises(InputError, match="avg"):
        FieldPool2d(plane, 2, mode="max")
    with pytest.raises(ShapeError, match="8 channels"):
        GroupConv2d(reg, reg, 3)(torch.randn(1, 3, 9, 9))
    with pytest.raises(ShapeError, match=r"use a side in \[7, 9\]"):
        GroupConv2d(reg, reg, 3, stride=2)(torch.randn(1, 8, 8, 8))
    with pytest.raises(ShapeError, match="odd"):
        GroupConv2d(reg, reg, 4)
    skew = space.group.representation_from_images([[[1, -2], [1, -1]], [[1, 0], [1, -1]]])  # D4 on a sheared basis
    with pytest.raises(InputError, match="orthogonal"):
        CovariantNonlinearity(space.type(skew))
    with pytest.raises(InputError, match="one group"):
        kernel_basis(space.plane, grid_space("C4").regular, space.regular, stencil(1))


def test_kernel_basis_cache_round_trip(tmp_path):
    G = dihedral(4)
    first = kernel_basis_array(G.natural(), G.regular(), G.natural(), 2)
    files = list((tmp_path / "cache" / "kernels").glob("*.json"))
    assert len(files) == 1
    again = kernel_basis_array(G.natural(), G.regular(), G.natural(), 2)
    assert np.array_equal(first, again)
    data = json.loads(files[0].read_text())
    data["value"][0][0][1] = 99  # a row index past the type: damaged, so recomputed
    files[0].write_text(json.dumps(data))
    assert np.array_equal(kernel_basis_array(G.natural(), G.regular(), G.natural(), 2), first)


# -- the steerable route: C_N, D_N with sampled kernels of exact angular parts -----------------

def _harmonic_count(G, rho_in, rho_out, k):
    """(1/|G|) Σ_g χ_{T_k}(g) χ_in(g) χ_out(g), χ_{T_k} = 2 cos(kθ) on rotations, 0 on reflections, 1 for k = 0."""
    plane = G.natural()
    total = 0.0
    for g in G.elements():
        m = plane(g).to_numpy(float)
        det = np.linalg.det(m)
        chi = 1.0 if k == 0 else (2 * np.cos(k * np.arctan2(m[1, 0], m[0, 0])) if det > 0 else 0.0)
        total += chi * np.trace(rho_in(g).to_numpy(float)) * np.trace(rho_out(g).to_numpy(float))
    return round(total / G.order())


@pytest.mark.parametrize("n, flips", [(8, False), (8, True), (6, True), (5, False)])
def test_harmonic_kernels_are_exact_and_complete(n, flips):
    from invariants import Matrix, cyclic
    from invariants.covariants.kernels import _harmonic_image, _intertwiners, harmonic_kernel_basis

    G = dihedral(n) if flips else cyclic(n)
    reps = [G.atom("0"), G.natural(), G.regular()] + ([G.atom("det")] if flips else [])
    for a in reps:
        for b in reps:
            for k in range(0, n + 2):
                basis = harmonic_kernel_basis(G.natural(), a, b, k)
                assert len(basis) == _harmonic_count(G, a, b, k), (n, flips, a, b, k)
                for s, ra, rb in zip(G.natural().images, a.images, b.images):
                    t = _harmonic_image(s, k).kron(ra)
                    assert all(phi @ t == rb @ phi for phi in basis)
    # the regular field's fast path (Frobenius reciprocity) spans what the linear system finds
    k = 3
    fast = harmonic_kernel_basis(G.natural(), G.natural(), G.regular(), k)
    slow = _intertwiners([(_harmonic_image(s, k).kron(a), b) for s, a, b in
                          zip(G.natural().images, G.natural().images, G.regular().images)], 4, G.order(), G.field)
    rows = lambda ms: Matrix.from_coeffs([sum(m.entries(), []) for m in ms], G.field)  # noqa: E731
    assert rows(fast).rank() == rows(slow).rank() == rows(fast + slow).rank() == len(fast)


@pytest.mark.parametrize("n, flips", [(8, False), (8, True), (4, False), (6, True)])
def test_steerable_layers_are_exact_where_pixels_move(n, flips):
    """Every layer commutes exactly with the elements that permute pixels (quarter turns, flips)."""
    space = steerable_space(n, flips)
    G = space.group
    on_grid = [g for g in range(space.order) if space.moves_pixels(g)]
    assert len(on_grid) == {(8, False): 4, (8, True): 8, (4, False): 4, (6, True): 4}[(n, flips)]
    reg, plane = space.type(space.regular), space.type(G.natural())
    mixed = reg + plane + space.type(space.trivial)
    for dtype, tol in ((torch.float64, 1e-12), (torch.float32, 1e-5)):
        for a, b in ((space.type(space.trivial), reg), (reg, reg), (mixed, mixed), (reg, plane)):
            layer = GroupConv2d(a, b, 5).to(dtype)
            x = torch.randn(2, a.size, 11, 11, dtype=dtype)
            y = layer(x)
            for g in on_grid:
                err = (layer(space.transform(x, g, a)) - space.transform(y, g, b)).abs().max().item()
                assert err <= tol * max(y.abs().max().item(), 1.0), (n, flips, a, b, g, err)


def test_steerable_off_grid_rotations_are_approximate_and_band_limited():
    """A 45-degree turn of a smooth image: the C8 network's logits move by a small fraction, a plain
    CNN's by far more (measured, not exact: pixels are resampled)."""
    torch.manual_seed(0)
    space = steerable_space(8)
    net = GroupCNN(space, 1, 4, channels=(2, 4), kernel_size=5).double().eval()
    side = 21
    u = torch.linspace(-1, 1, side, dtype=torch.float64)
    blob = torch.exp(-((u[:, None] - 0.3) ** 2 + (u[None, :] + 0.1) ** 2) / 0.1)
    x = (blob - blob.mean())[None, None]
    turned = [g for g in range(space.order) if not space.moves_pixels(g)][0]
    base = net(x)
    err = ((net(space.transform(x, turned, net.in_type)) - base).abs().max() / base.abs().max()).item()
    assert err < 0.1


def test_steerable_errors():
    with pytest.raises(InputError, match="orthonormal"):
        SteerableSpace(MatrixGroup([[[0, -1], [1, -1]]], name="C3").natural())
    space = SteerableSpace(load_spec("SO(2):v"))                  # continuous: supported, sampled for averages
    with pytest.raises(InputError, match="SAMPLES above 40"):
        space.type(space.group.frequency(20)).metric


@pytest.mark.parametrize("flips", [False, True])
def test_continuous_harmonic_kernels_are_exact_and_complete(flips):
    """SO(2), O(2): the Lie-algebra solution satisfies the constraint at random angles (and reflections),
    and spans the numerical null space of the sampled constraints."""
    from bridge.actions import matrices
    from invariants import O2, SO2
    from invariants.covariants.kernels import harmonic_kernel_basis

    G = O2() if flips else SO2()
    plane = G.atom("1")
    reps = [G.frequency(0), G.frequency(1), G.frequency(2)] + ([G.atom("det")] if flips else [])
    rng = np.random.default_rng(0)
    angles = rng.uniform(0, 2 * np.pi, 12)
    turns = np.stack([[[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]] for a in angles])
    elements = np.concatenate([turns, turns @ np.diag([1.0, -1.0])]) if flips else turns
    g = torch.from_numpy(elements)

    def harmonic(k):  # T_k(g) on (cos kφ, sin kφ), floats
        if k == 0:
            return np.ones((len(elements), 1, 1))
        out = []
        for m in elements:
            reflect = np.linalg.det(m) < 0
            base = m @ np.diag([1.0, -1.0]) if reflect else m
            t = np.linalg.matrix_power(base, k)
            out.append(t @ np.diag([1.0, -1.0]) if reflect else t)
        return np.stack(out)

    for a in reps:
        for b in reps:
            A, B = matrices(a, g).numpy(), matrices(b, g).numpy()
            for k in range(5):
                left = np.einsum("gij,gkl->gikjl", harmonic(k), A).reshape(len(elements), -1, (1 if k == 0 else 2) * a.dim)
                basis = [phi.to_numpy(float) for phi in harmonic_kernel_basis(plane, a, b, k)]
                for phi in basis:
                    assert np.abs(phi @ left - B @ phi).max() < 1e-12
                # the sampled constraints' null space, numerically
                n_in = left.shape[1]
                system = np.concatenate([np.kron(np.eye(b.dim), lt.T) - np.kron(bt, np.eye(n_in)) for lt, bt in zip(left, B)])
                null = n_in * b.dim - np.linalg.matrix_rank(system, tol=1e-9)
                assert len(basis) == null, (a, b, k)


@pytest.mark.parametrize("flips", [False, True])
def test_continuous_steerable_network_is_exact_where_pixels_move_and_close_off_grid(flips):
    from neural.conv import CovariantNonlinearity, FieldSequential, InvariantPooling, NormNonlinearity

    torch.manual_seed(0)
    space = steerable_space(None, flips)
    G = space.group
    extra = [G.atom("det")] if flips else []
    hidden = space.type(G.frequency(0), G.frequency(1), G.frequency(2), *extra)
    trivial = space.type(space.trivial)
    net = FieldSequential(GroupConv2d(trivial, hidden, 7), NormNonlinearity(hidden), GroupConv2d(hidden, hidden, 5),
                          CovariantNonlinearity(hidden), GroupConv2d(hidden, hidden, 5)).double()
    pool = InvariantPooling(hidden).double()
    x = torch.randn(2, 1, 15, 15, dtype=torch.float64)
    y = net(x)
    on_grid = [e for e in range(space.order) if space.moves_pixels(e)]
    assert len(on_grid) == (8 if flips else 4)
    for e in on_grid:
        assert (net(space.transform(x, e, trivial)) - space.transform(y, e, hidden)).abs().max() < 1e-12 * y.abs().max()
    u = torch.linspace(-1, 1, 21, dtype=torch.float64)
    blob = torch.exp(-((u[:, None] - 0.3) ** 2 + (u[None, :] + 0.1) ** 2) / 0.1)[None, None]
    features = lambda v: pool(net(v)).mean((-2, -1))  # noqa: E731
    base = features(blob)
    off = [e for e in range(space.order) if not space.moves_pixels(e)]
    with torch.no_grad():
        errors = [float((features(space.transform(blob, e, trivial)) - base).abs().max() / base.abs().max()) for e in off[:6]]
    assert max(errors) < 0.1
    # biases only where the group fixes vectors: the frequency-0 channel (the engine's Lie-algebra kernel)
    assert [int(getattr(net[0], f"_bias_basis{k}").shape[0]) for k in range(len(net[0]._bias_pairs))] == [1]


def test_covariant_map_is_exact_for_continuous_groups():
    """The exact nonlinearity on SO(2) and O(2) Fourier fields (frequencies 0…3) and on SO(3) l = 1, 2:
    equivariant under random continuous rotations (and reflections) to rounding."""
    from invariants import Matrix, O3, rational_rotation
    from neural.conv import CovariantMap

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    for spec in ("SO(2):0+1+2+3", "O(2):0+1+2+det"):
        rep = load_spec(spec)
        f = CovariantMap(rep, fields=2, degree=2, invariant_degree=3).double()
        x = torch.randn(50, 2, rep.dim, dtype=torch.float64)
        y = f(x)
        for _ in range(5):
            a, b = rng.integers(-9, 10, size=2)
            n = a * a + b * b
            g = Matrix.from_entries([[f"{a*a - b*b}/{n}", f"{-2*a*b}/{n}"], [f"{2*a*b}/{n}", f"{a*a - b*b}/{n}"]])
            if spec.startswith("O") and rng.integers(2):
                g = g @ Matrix.from_entries([[1, 0], [0, -1]])
            rho = torch.from_numpy(rep(g).to_numpy(float))
            err = (f(x @ rho.T) - y @ rho.T).abs().max().item()
            assert err < 1e-12 * max(1.0, y.abs().max().item()), (spec, err)
    rep = O3().irrep("1o") + O3().irrep("1e") + O3().irrep("0o")
    f = CovariantMap(rep, degree=2).double()
    x = torch.randn(20, 1, rep.dim, dtype=torch.float64)
    rho = torch.from_numpy(rep(rational_rotation(1, 2, -1, 3)).to_numpy(float))
    assert (f(x @ rho.T) - f(x) @ rho.T).abs().max().item() < 1e-12
    with pytest.raises(InputError, match="orthogonal"):
        CovariantMap(O3().irrep("2e"))  # solid harmonics, not normalised


def test_equal_groups_with_other_generators_and_larger_fields():
    """Review findings: an equal group listing its generators in another order builds its own exact
    layers (nothing cached for the first is served to it) and cannot lend its types to the first
    one's space; field types over a larger field than the plane (QQ(√2)) give exact layers; a
    quotient accepts the subgroup's generators as a list."""
    import sympy

    from invariants import Representation

    first = grid_space("D4")
    GroupConv2d(first.type(first.regular), first.type(first.regular), 3)
    G2 = MatrixGroup([[[1, 0], [0, -1]], [[0, -1], [1, 0]]], name="D4b")
    second = GridSpace(G2.natural())
    assert kernel_basis(G2.natural(), G2.regular(), G2.regular(), stencil(1)).check()
    _assert_equivariant(GroupConv2d(second.type(second.regular), second.type(second.regular), 3), second,
                        torch.float64, 1e-12)
    x = torch.randn(1, 8, 5, 5, dtype=torch.float64)
    t = second.type(second.regular)
    assert all(torch.allclose(second.transform(second.transform(x, e, t), second.inverse(e), t), x)
               for e in range(8))
    with pytest.raises(InputError, match="same generators"):
        first.type(G2.regular())
    G, h = first.group, sympy.sqrt(2) / 2
    V = Representation(G, [[[0, -1], [1, 0]], [[h, h], [h, -h]]], field="QQ(sqrt(2))")
    T = Representation(G, [[[1]], [[1]]], field="QQ(sqrt(2))")
    for a, b in ((T, V), (first.trivial, V), (V, first.regular)):
        _assert_equivariant(GroupConv2d(first.type(a), first.type(b), 3), first, torch.float64, 1e-12)
    assert G.quotient([G.generators[1]]).dim == 4


@pytest.mark.parametrize("kind", ["D4", "SO(2)"])
def test_gated_nonlinearity_is_exact(kind):
    from neural.conv import GatedNonlinearity

    torch.manual_seed(0)
    if kind == "D4":
        space = grid_space("D4")
        t = space.type(space.regular, space.group.natural(), space.trivial, space.group.natural())
        elements = range(space.order)
    else:
        space = steerable_space(None)
        t = space.type(space.group.frequency(0), space.group.frequency(1), space.group.frequency(3))
        elements = [e for e in range(space.order) if space.moves_pixels(e)]
    gate = GatedNonlinearity(t).double()
    assert len(gate.in_type) == len(t) + (3 if kind == "D4" else 2)    # regular fields are gated too: not fixed
    x = torch.randn(2, gate.in_type.size, 5, 5, dtype=torch.float64)
    y = gate(x)
    for g in elements:
        assert (gate(space.transform(x, g, gate.in_type)) - space.transform(y, g, t)).abs().max() < 1e-12


def test_group_cnn_on_so2_uses_the_exact_nonlinearity_and_is_invariant():
    torch.manual_seed(0)
    space = steerable_space(None)
    net = GroupCNN(space, 1, 3, channels=(2, 2), kernel_size=5).double().eval()
    assert any(type(m).__name__ == "CovariantNonlinearity" for m in net.modules())
    x = torch.randn(2, 1, 13, 13, dtype=torch.float64)
    y = net(x)
    for e in [e for e in range(space.order) if space.moves_pixels(e)]:
        assert (net(space.transform(x, e, net.in_type)) - y).abs().max() < 1e-12 * y.abs().max()
