"""Neural group actions: the group law N_g ∘ N_h = N_{gh}, N_e = id, inverses, volume preservation,
involutions and parity networks — with perturbed, non-trivial weights, in float64 to 1e-10 — and
the checks that make them fail when the construction is broken."""
from fractions import Fraction
import random

import pytest
import torch
from torch import nn

from invariants import (MatrixGroup, Matrix, Representation, SO3, cyclic, dihedral, quaternion_group, symmetric)
from invariants.errors import InputError, MolienError, NotHomomorphismError, ShapeError, TooLargeError
from neural.group_actions import CouplingFlow, Involution, NeuralGroupAction, ParityNetwork, group_table

TOL = 1e-10


def gap(difference: torch.Tensor) -> float:
    """max |entry|."""
    return float(difference.detach().abs().max())


def perturbed(module: nn.Module, seed: int = 0, scale: float = 0.15) -> nn.Module:
    """Random weights everywhere (the flows start as the identity): φ⁻¹ ∘ φ = id must come from the
    construction, not from φ being trivial."""
    gen = torch.Generator().manual_seed(seed)
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.add_(scale * torch.randn(p.shape, generator=gen, dtype=p.dtype))
    return module


def random_rational_matrix(n: int, seed: int) -> Matrix:
    rng = random.Random(seed)
    while True:
        m = Matrix.from_entries([[Fraction(rng.randint(-5, 5), rng.randint(1, 4)) for _ in range(n)] for _ in range(n)])
        if not m.det_is_zero():
            return m


def conjugated_d4() -> Representation:
    """D4 in a random rational basis: ρ(g) = P g P⁻¹, not orthogonal (still |det| = 1)."""
    P = random_rational_matrix(2, seed=4)
    return MatrixGroup([P @ g @ P.inverse() for g in dihedral(4).generator_elements()], name="D4^P").natural()


GROUPS = {
    "Z2": (lambda: cyclic(2).natural(), {}),
    "C5": (lambda: cyclic(5).natural(), {}),
    "S3": (lambda: symmetric(3).natural(), {}),
    "Q8": (lambda: quaternion_group().natural(), {"realify": True}),      # over QQ(i): on R^4
    "Q8 regular": (lambda: quaternion_group().regular(), {}),
    "D4 conjugated": (conjugated_d4, {}),
    "S3 + 2 fixed": (lambda: symmetric(3).natural(), {"dim": 5}),
}
ORDERS = {"Z2": 2, "C5": 5, "S3": 6, "Q8": 8, "Q8 regular": 8, "D4 conjugated": 8, "S3 + 2 fixed": 6}


def build(name: str, volume_preserving: bool = False, seed: int = 0) -> NeuralGroupAction:
    rep, options = GROUPS[name]
    torch.manual_seed(seed)
    return perturbed(NeuralGroupAction(rep(), layers=4, hidden=16, volume_preserving=volume_preserving, **options),
                     seed)


def all_pairs(action: NeuralGroupAction, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """x repeated for every pair (g, h), with the index tensors g and h, one per row."""
    n, order = len(x), action.order
    g = torch.arange(order).repeat_interleave(order * n)
    h = torch.arange(order).repeat_interleave(n).repeat(order)
    return x.repeat(order * order, 1), g, h


@pytest.mark.parametrize("volume_preserving", [False, True])
@pytest.mark.parametrize("name", list(GROUPS))
def test_group_law_for_every_pair(name, volume_preserving):
    action = build(name, volume_preserving)
    assert action.order == ORDERS[name]
    x = 1.5 * torch.randn(16, action.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    # φ is far from the identity: N_g is not the linear map ρ(g) ...
    moved = max(gap(action(x, g) - x @ action.linear(g).T) for g in range(action.order))
    assert moved > 0.1
    # ... yet N_g(N_h(x)) = N_{gh}(x) for all g, h, and N_e = id
    X, g, h = all_pairs(action, x)
    assert gap(action(action(X, h), g) - action(X, action.compose(g, h))) <= TOL
    assert gap(action(x, action.identity) - x) <= TOL
    # the table is the group's: ρ(gh) = ρ(g)ρ(h) with gh from compose
    mats = action.matrices
    assert gap(mats[g[::16]] @ mats[h[::16]] - mats[action.compose(g[::16], h[::16])]) <= 1e-12


@pytest.mark.parametrize("name", ["C5", "S3", "Q8", "D4 conjugated"])
def test_inverses_generators_and_words(name):
    action = build(name)
    x = torch.randn(10, action.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    for g in range(action.order):
        g_inv = action.inverse(g)
        assert action.compose(g, g_inv) == action.compose(g_inv, g) == action.identity
        assert gap(action(action(x, g), g_inv) - x) <= TOL
    rep = GROUPS[name][0]()
    assert len(action.generators) == len(rep.images)
    if not GROUPS[name][1].get("realify"):   # the given generators' matrices sit at their indices
        for s, image in zip(action.generators, rep.images):
            assert torch.allclose(action.linear(s), torch.as_tensor(image.to_numpy().real, dtype=torch.float64),
                                  atol=1e-15)
    word = [action.generators[i % len(action.generators)] for i in range(7)]
    element = action.product(word)
    assert gap(action.word(x, word) - action(x, element)) <= TOL
    for s in action.generators:  # s^|s| = e, checked through composed networks
        power = [s]
        while action.product(power) != action.identity:
            power.append(s)
        assert gap(action.word(x, power) - x) <= TOL


def test_compose_is_gh_not_hg():
    """S3 is not abelian: compose(g, h) must be gh, the element with N_g ∘ N_h = N_compose(g, h)."""
    action = build("S3")
    a, b = action.generators
    ab, ba = action.compose(a, b), action.compose(b, a)
    assert ab != ba
    assert torch.allclose(action.linear(ab), action.linear(a) @ action.linear(b))
    x = torch.randn(4, 3, dtype=torch.float64)
    assert gap(action(action(x, b), a) - action(x, ab)) <= TOL
    assert gap(action(action(x, b), a) - action(x, ba)) > 1e-3


def test_a_wrong_inverse_or_an_unconstrained_network_breaks_the_law():
    """The law tests above can fail: with ψ⁻¹ in place of φ⁻¹, or one free network per element, they do."""
    action = build("C5")
    other = perturbed(CouplingFlow(2, layers=4, hidden=16), seed=7)
    x = torch.randn(32, 2, dtype=torch.float64)

    def wrong(v, g):  # ψ⁻¹ ∘ ρ(g) ∘ φ
        return other.inverse(action.flow(v) @ action.linear(g).T)

    g, h = action.generators[0], action.compose(action.generators[0], action.generators[0])
    assert gap(wrong(wrong(x, h), g) - wrong(x, action.compose(g, h))) > 1e-2
    torch.manual_seed(0)
    free = nn.ModuleList(nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2)) for _ in range(5)).double()
    assert gap(free[g](free[h](x)) - free[action.compose(g, h)](x)) > 1e-2


def _log_det_by_autograd(f, x: torch.Tensor) -> float:
    return float(torch.linalg.slogdet(torch.autograd.functional.jacobian(f, x))[1])


@pytest.mark.parametrize("name", ["C5", "S3", "Q8 regular", "D4 conjugated"])
def test_volume_preservation_by_autograd(name):
    action = build(name, volume_preserving=True)
    points = torch.randn(3, action.dim, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    for g in range(action.order):
        for x in points:
            assert abs(_log_det_by_autograd(lambda v: action(v, g), x)) <= TOL
    assert gap(action.log_abs_det_jacobian(points, 1)) <= TOL
    for x in points:
        assert abs(_log_det_by_autograd(action.flow, x)) <= TOL


def test_log_det_formula_without_volume_preservation():
    """Unconstrained, N_g changes volume, and log_abs_det_jacobian says by how much (so the test above
    would catch a flow that is not volume-preserving)."""
    action = build("S3")
    points = torch.randn(3, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    g = action.generators[0]
    by_autograd = torch.tensor([_log_det_by_autograd(lambda v: action(v, g), x) for x in points], dtype=torch.float64)
    assert gap(by_autograd) > 1e-2
    assert torch.allclose(action.log_abs_det_jacobian(points, g), by_autograd, atol=1e-9)
    flow_by_autograd = torch.tensor([_log_det_by_autograd(action.flow, x) for x in points], dtype=torch.float64)
    assert torch.allclose(action.flow.log_abs_det_jacobian(points), flow_by_autograd, atol=1e-9)


def test_state_dict_round_trip_and_dtype_moves():
    action = build("C5")
    clone = NeuralGroupAction(cyclic(5).natural(), layers=4, hidden=16).double()
    clone.load_state_dict(action.state_dict())
    x = torch.randn(5, 2, dtype=torch.float64)
    assert torch.equal(clone(x, 3), action(x, 3))
    # float32 and back: the group's matrices stay float64 (cos 2π/5 is not rounded to float32)
    before = action.matrices.clone()
    action = action.float()
    assert action.matrices.dtype == torch.float64
    assert action(x.float(), 2).dtype == torch.float32
    action = action.double()
    assert torch.equal(action.matrices, before)
    X, g, h = all_pairs(action, x)
    assert gap(action(action(X, h), g) - action(X, action.compose(g, h))) <= TOL


@pytest.mark.parametrize("dim,negatives", [(2, 1), (3, 1), (3, 2), (4, 4)])
def test_involution(dim, negatives):
    torch.manual_seed(dim)
    n = perturbed(Involution(dim, negatives, layers=4, hidden=16), seed=dim)
    x = torch.randn(64, dim, dtype=torch.float64)
    assert gap(n(x) - x) > 0.1
    assert gap(n(n(x)) - x) <= TOL
    # its signature: at a fixed point, J_N has eigenvalue −1 `negatives` times
    y = torch.randn(dim, dtype=torch.float64)
    y[:negatives] = 0.0
    fixed = n.flow.inverse(y)
    assert gap(n(fixed) - fixed) <= TOL
    eig = torch.linalg.eigvals(torch.autograd.functional.jacobian(n, fixed)).real.sort().values
    expected = torch.tensor([-1.0] * negatives + [1.0] * (dim - negatives), dtype=torch.float64)
    assert torch.allclose(eig, expected, atol=1e-8)


def test_volume_preserving_involution():
    torch.manual_seed(0)
    n = perturbed(Involution(3, 1, volume_preserving=True, layers=4, hidden=16))
    for x in torch.randn(3, 3, dtype=torch.float64):
        assert abs(_log_det_by_autograd(n, x)) <= TOL
    free = perturbed(Involution(3, 1, layers=4, hidden=16))
    assert max(abs(_log_det_by_autograd(free, x)) for x in torch.randn(3, 3, dtype=torch.float64)) > 1e-2


def involutory_affine(seed: int = 0) -> tuple[list, list]:
    """A = P diag(−1, 1, 1) P⁻¹ with P random rational, b = (I − A)c: a reflection in an oblique
    plane through c (exact rationals)."""
    P = random_rational_matrix(3, seed)
    S = Matrix.from_entries([[-1, 0, 0], [0, 1, 0], [0, 0, 1]])
    A = (P @ S @ P.inverse()).to_sympy()
    c = [Fraction(1, 2), Fraction(-2, 3), Fraction(3, 1)]
    import sympy

    b = (sympy.eye(3) - A) * sympy.Matrix(c)
    return [[str(a) for a in row] for row in A.tolist()], [str(v) for v in b]


@pytest.mark.parametrize("parity", [1, -1])
def test_parity_network(parity):
    A, b = involutory_affine()
    torch.manual_seed(0)
    f = perturbed(ParityNetwork(A, b, parity=parity, out=2))
    x = 2 * torch.randn(50, 3, dtype=torch.float64)
    tx = f.transform(x)
    assert gap(tx - x) > 0.1                          # T is not the identity
    assert gap(f.transform(tx) - x) <= 1e-12           # T ∘ T = id
    assert gap(f(tx) - parity * f(x)) <= TOL
    assert gap(f(x)) > 1e-3                              # f is not zero
    # the inner network alone has no parity: the symmetrisation does the work
    assert gap(f.net(tx) - parity * f.net(x)) > 1e-3


def test_parity_with_float_reflection_and_custom_net():
    n = torch.tensor([1.0, 2.0, -1.0], dtype=torch.float64)
    A = torch.eye(3, dtype=torch.float64) - 2 * torch.outer(n, n) / n.dot(n)
    f = ParityNetwork(A, 0.7 * n, parity=-1, net=nn.Linear(3, 4).double())
    x = torch.randn(20, 3, dtype=torch.float64)
    assert gap(f(f.transform(x)) + f(x)) <= TOL


def test_parity_refusals():
    A, b = involutory_affine()
    with pytest.raises(InputError, match="not an involution"):
        ParityNetwork([[1, 1], [0, 1]])                                   # A² ≠ I
    with pytest.raises(InputError, match="Ab \\+ b"):
        ParityNetwork([[-1, 0], [0, 1]], [0, 1])                           # A² = I but T(T(x)) = x + (0, 2)
    with pytest.raises(InputError, match="not an involution"):             # exact: 1e-13 off is off
        ParityNetwork([["-1", "0"], ["0", "1 + 1/10000000000000"]])
    with pytest.raises(InputError, match="tolerance"):
        ParityNetwork(torch.tensor([[-1.0, 0.0], [0.0, 1.001]]))
    ParityNetwork(torch.tensor([[-1.0, 0.0], [0.0, 1.0 + 1e-14]]))        # floats: within tolerance
    with pytest.raises(ShapeError):
        ParityNetwork([[1, 0, 0], [0, 1, 0]])
    with pytest.raises(ShapeError):
        ParityNetwork(A, b[:2])
    with pytest.raises(InputError, match="parity"):
        ParityNetwork(A, b, parity=2)
    with pytest.raises(ShapeError):
        ParityNetwork(A, b)(torch.zeros(4, 2))


def test_action_refusals():
    with pytest.raises(InputError, match="realify=True"):
        NeuralGroupAction(quaternion_group().natural())
    with pytest.raises(InputError, match="pad"):
        NeuralGroupAction(symmetric(4).natural(), dim=3)
    with pytest.raises(InputError, match="not a finite group"):
        NeuralGroupAction(SO3().irrep(1))
    with pytest.raises(InputError, match="dim=2"):
        NeuralGroupAction(Representation(cyclic(2), [[[-1]]]))            # a line: no coupling split
    assert NeuralGroupAction(Representation(cyclic(2), [[[-1]]]), dim=2).dim == 2
    with pytest.raises(TooLargeError, match="max_order"):
        NeuralGroupAction(symmetric(5).natural(), max_order=100)
    # |det ρ(g)| = 1 holds for every real representation of a finite group (a real root of unity),
    # so only unchecked images can break it; they are refused before the engine enumerates them
    with pytest.raises(InputError, match="volume_preserving"):
        NeuralGroupAction(Representation(cyclic(2), [[[2]]], check=False), dim=2, volume_preserving=True)
    with pytest.raises(NotHomomorphismError):
        NeuralGroupAction(Representation(symmetric(3), [[[-1]], [[1]]], check=False), dim=2)
    action = NeuralGroupAction(symmetric(3).natural()).double()
    x = torch.zeros(4, 3, dtype=torch.float64)
    with pytest.raises(ShapeError):
        action(torch.zeros(4, 2, dtype=torch.float64), 0)
    with pytest.raises(InputError, match="0..5"):
        action(x, 6)
    with pytest.raises(InputError, match="integer"):
        action(x, torch.zeros(4))
    with pytest.raises(ShapeError, match="one element per vector"):
        action(x, torch.zeros(3, dtype=torch.long))
    for bad in (lambda: Involution(3, 0), lambda: Involution(3, 4), lambda: Involution(1, 1)):
        with pytest.raises(MolienError):
            bad()


def test_group_table_matches_exact_products():
    """Every entry of the table against exact matrix products in the engine (the table is built from
    generators only)."""
    from invariants.covariants.kernels import group_elements

    G = quaternion_group()
    t = group_table(G.regular())
    elements = group_elements(G)
    index = {m: i for i, m in enumerate(elements)}
    for i, g in enumerate(elements):
        for j, h in enumerate(elements):
            assert t.table[i, j] == index[g @ h]
        assert t.inverses[i] == index[g.inverse()]
