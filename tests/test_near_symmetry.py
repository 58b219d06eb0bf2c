"""Near-symmetries: the violation measure and residual-pathway models."""
import pytest
import torch
from torch import nn

from bridge import axial, orthogonal
from bridge import load_spec
from neural.symmetry.near import ResidualPathway, fit_residual_pathway, symmetry_violation
from neural.training import evaluate, fit

pytestmark = pytest.mark.usefixtures("one_thread")


def test_violation_is_zero_for_symmetries_and_grows_with_the_breaking():
    x = torch.randn(500, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    sample = lambda k: orthogonal(3, k, generator=torch.Generator().manual_seed(1))  # noqa: E731
    radial = lambda z: (z**2).sum(1, keepdim=True)  # noqa: E731
    assert symmetry_violation(radial, x, sample, load_spec("O(3):v")) < 1e-25
    small = symmetry_violation(lambda z: radial(z) + 0.1 * z[:, :1], x, sample, load_spec("O(3):v"))
    large = symmetry_violation(lambda z: radial(z) + 1.0 * z[:, :1], x, sample, load_spec("O(3):v"))
    assert 0 < small < large
    # equivariant maps: the identity on vectors, and z ↦ |z|² z, are exactly O(3)-equivariant
    assert symmetry_violation(lambda z: z * radial(z), x, sample, load_spec("O(3):v"), load_spec("O(3):v")) < 1e-25
    # a map equivariant only about z
    about_z = lambda k: axial(k, generator=torch.Generator().manual_seed(2))  # noqa: E731
    tilt = lambda z: z + torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64) * z[:, 2:]  # noqa: E731
    assert symmetry_violation(tilt, x, about_z, load_spec("O(3):v"), load_spec("O(3):v")) < 1e-25
    assert symmetry_violation(tilt, x, sample, load_spec("O(3):v"), load_spec("O(3):v")) > 1e-3


class Radial(nn.Module):
    """An exactly O(3)-invariant model: an MLP of |x|²."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 32), nn.SiLU(), nn.Linear(32, 1)).double()

    def forward(self, x):
        return self.net((x**2).sum(1, keepdim=True))


def test_residual_pathway_learns_the_broken_part_and_the_strict_model_cannot():
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(600, 3, dtype=torch.float64, generator=gen)
    y = (x**2).sum(1, keepdim=True) + 0.3 * x[:, 2:]
    tr, va, te = (x[:300], y[:300]), (x[300:450], y[300:450]), (x[450:], y[450:])
    torch.manual_seed(0)
    strict = Radial()
    fit(strict, tr, va, epochs=150, lr=1e-2, batch_size=100, progress=False)
    model, scores, _ = fit_residual_pathway(Radial, lambda: nn.Linear(3, 1).double(), tr, va, penalties=(1.0, 1e-4),
                                            epochs=150, lr=1e-2, batch_size=100, progress=False)
    assert evaluate(model, te) < 0.5 * evaluate(strict, te)
    assert model.penalty == 1e-4 and scores[1e-4] < scores[1.0]  # the data ask for the breaking term
    assert isinstance(model, ResidualPathway)
    # the linear residual is the breaking term itself, 0.3·x_z (its bias and the strict part's
    # share a constant, which the data cannot split)
    assert torch.allclose(model.residual.weight.detach(), torch.tensor([[0.0, 0.0, 0.3]], dtype=torch.float64),
                          atol=0.01)
    theta = torch.cat([model.residual.weight.detach().flatten(), model.residual.bias.detach()])
    assert float(model.prior().detach()) == pytest.approx(1e-4 * float((theta**2).sum()), rel=1e-12)
