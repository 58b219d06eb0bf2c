"""Near-symmetries: how much a function or model violates a symmetry, and models that are an exact
invariant/equivariant part plus a penalised unconstrained residual (Residual Pathway Priors,
Finzi, Benton, Wilson 2021), the penalty chosen on validation data.
"""
from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn

from invariants.errors import InputError

from bridge import Representation, act
from ..training import History, evaluate, fit

Sampler = Callable[[int], torch.Tensor]


def symmetry_violation(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, sample: Sampler,
                       rep_in: Representation, rep_out: Representation | None = None, *, draws: int = 16) -> float:
    """The relative size of the part of f that is not invariant (equivariant with ``rep_out``):
    ‖f − R f‖² / ‖f − mean f‖² over the samples, R f(x) = mean_g g⁻¹·f(g·x) over ``draws``
    random group elements (a Monte-Carlo Reynolds operator).  0 for an exact symmetry.

    Example:
        >>> from bridge import load_spec, orthogonal
        >>> _ = torch.manual_seed(0)  # a Monte-Carlo estimate: seeded, so the example is repeatable
        >>> x = torch.randn(200, 3, dtype=torch.float64)
        >>> sample = lambda k: orthogonal(3, k)
        >>> V = load_spec("O(3):v")
        >>> symmetry_violation(lambda z: (z**2).sum(1, keepdim=True), x, sample, V) < 1e-20
        True
        >>> symmetry_violation(lambda z: z[:, :1], x, sample, V) > 0.5
        True
    """
    fx = f(x)
    average = torch.zeros_like(fx)
    for g in sample(draws):
        moved = f(act(rep_in, g, x))
        if rep_out is not None:
            moved = act(rep_out, torch.linalg.inv(g), moved)
        average = average + moved / draws
    spread = ((fx - fx.mean(0)) ** 2).sum()
    return float(((fx - average) ** 2).sum() / spread.clamp_min(1e-300))


class ResidualPathway(nn.Module):
    """y = strict(x) + residual(x): an exactly symmetric model plus an unconstrained one whose
    weights carry a Gaussian prior (an L2 penalty ``penalty``·Σθ²), so the data decide how much
    of the symmetry to break.

    Example:
        >>> strict, free = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
        >>> model = ResidualPathway(strict, free, penalty=1e-2)
        >>> model(torch.randn(4, 3, dtype=torch.float64)).shape, float(model.prior().detach()) > 0
        (torch.Size([4, 1]), True)
    """

    def __init__(self, strict: nn.Module, residual: nn.Module, penalty: float):
        super().__init__()
        if penalty < 0:
            raise InputError(f"penalty must be >= 0, got {penalty}")
        self.strict, self.residual, self.penalty = strict, residual, penalty

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.strict(x) + self.residual(x)

    def prior(self) -> torch.Tensor:
        return self.penalty * sum((p ** 2).sum() for p in self.residual.parameters())


def fit_residual_pathway(make_strict: Callable[[], nn.Module], make_residual: Callable[[], nn.Module],
                         train: tuple, val: tuple, *, penalties: Sequence[float] = (1e-2, 1e-3, 1e-4, 1e-5),
                         **fit_options) -> tuple[ResidualPathway, dict[float, float], History]:
    """Train one `ResidualPathway` per penalty and keep the one of lowest validation MSE.

    Returns the model, the validation MSE of every penalty and the chosen model's history.
    """
    results, best = {}, None
    for penalty in penalties:
        model = ResidualPathway(make_strict(), make_residual(), penalty)
        history = fit(model, train, val, regularizer=model.prior, **fit_options)
        results[penalty] = evaluate(model, val)
        if best is None or results[penalty] < results[best[0]]:
            best = (penalty, model, history)
    return best[1], results, best[2]


__all__ = ["symmetry_violation", "ResidualPathway", "fit_residual_pathway"]
