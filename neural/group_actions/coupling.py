"""An invertible network φ: R^d → R^d of coupling layers, with a closed-form inverse and log|det J|.

A coupling layer keeps some coordinates x_A and moves the others by an affine map whose scales and
shifts are any function of x_A (RealNVP, Dinh et al. 2017): y_B = x_B·exp(s(x_A)) + t(x_A),
y_A = x_A.  Its inverse, x_B = (y_B − t(y_A))·exp(−s(y_A)), is one pass of the same networks, so
φ⁻¹ ∘ φ = id up to rounding only, whatever the weights: what makes N_g = φ⁻¹ ∘ ρ(g) ∘ φ obey the
group law.  Layers come in pairs that swap the roles of A and B (every coordinate is moved once per
pair); the first pair splits the coordinates in order, later pairs at a fixed random permutation.

The log-scales are soft-clamped to (−clamp, clamp) (Glow's practice) so that no layer stretches by
more than e^clamp and rounding stays small.  With ``volume_preserving=True`` they are centred
(Σ s = 0, and s = 0 — NICE's additive coupling — when B is one coordinate): det J_φ = 1 exactly,
and `log_abs_det_jacobian` returns zeros.

The last linear map of each conditioner starts at zero, so a new flow is the identity; perturb or
train its parameters to make it non-trivial.

Example:
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> flow = CouplingFlow(3, layers=4).double()
    >>> with torch.no_grad():
    ...     for p in flow.parameters():
    ...         _ = p.add_(0.5 * torch.randn_like(p))
    >>> x = torch.randn(5, 3, dtype=torch.float64)
    >>> y = flow(x)
    >>> bool((y - x).abs().max() > 0.1), bool((flow.inverse(y) - x).abs().max() < 1e-12)
    (True, True)
    >>> flow.log_abs_det_jacobian(x).shape
    torch.Size([5])
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from invariants.errors import InputError, ShapeError


class AffineCoupling(nn.Module):
    """One coupling layer: coordinates ``keep`` condition an affine map of coordinates ``move``."""

    def __init__(self, dim: int, keep: Sequence[int], move: Sequence[int], *, hidden: int = 32,
                 volume_preserving: bool = False, clamp: float = 2.0):
        super().__init__()
        if sorted(list(keep) + list(move)) != list(range(dim)) or not keep or not move:
            raise InputError(f"a coupling layer needs keep and move to split 0..{dim - 1} into two non-empty "
                             f"parts, got keep={list(keep)}, move={list(move)}")
        self.dim, self.volume_preserving, self.clamp = dim, volume_preserving, float(clamp)
        # a centred single log-scale is 0: leave it out (NICE's additive coupling) rather than train a dead output
        self.scaled = not (volume_preserving and len(move) == 1)
        order = list(keep) + list(move)
        self.register_buffer("keep", torch.tensor(list(keep), dtype=torch.long))
        self.register_buffer("move", torch.tensor(list(move), dtype=torch.long))
        self.register_buffer("unsort", torch.argsort(torch.tensor(order, dtype=torch.long)))
        width = len(move) * (2 if self.scaled else 1)
        self.net = nn.Sequential(nn.Linear(len(keep), hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                 nn.Linear(hidden, width))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def _scale_shift(self, a: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.net(a)
        if not self.scaled:
            return torch.zeros_like(out), out
        raw, shift = out.chunk(2, dim=-1)
        log_scale = self.clamp * torch.tanh(raw / self.clamp)
        if self.volume_preserving:
            log_scale = log_scale - log_scale.mean(dim=-1, keepdim=True)
        return log_scale, shift

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(y, log|det ∂y/∂x|) for x of shape (..., dim)."""
        a, b = x[..., self.keep], x[..., self.move]
        s, t = self._scale_shift(a)
        y = torch.cat([a, b * torch.exp(s) + t], dim=-1)[..., self.unsort]
        return y, s.sum(dim=-1)

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        a, b = y[..., self.keep], y[..., self.move]
        s, t = self._scale_shift(a)
        return torch.cat([a, (b - t) * torch.exp(-s)], dim=-1)[..., self.unsort]


class CouplingFlow(nn.Module):
    """φ: R^dim → R^dim, ``layers`` coupling layers (rounded up to an even number), each conditioner an
    MLP with two hidden layers of ``hidden`` tanh units; ``seed`` fixes the coordinate splits."""

    def __init__(self, dim: int, *, layers: int = 4, hidden: int = 32, volume_preserving: bool = False,
                 clamp: float = 2.0, seed: int = 0):
        super().__init__()
        if dim < 2:
            raise InputError(f"a coupling flow splits the coordinates in two, so it needs dim >= 2, got {dim}: "
                             "for a one-dimensional action pass dim=2 to NeuralGroupAction (a trivial coordinate "
                             "is added), or append a constant coordinate to the data")
        if layers < 1 or hidden < 1 or not clamp > 0:
            raise InputError(f"CouplingFlow needs layers >= 1, hidden >= 1 and clamp > 0, got layers={layers}, "
                             f"hidden={hidden}, clamp={clamp}")
        self.dim, self.volume_preserving = dim, volume_preserving
        gen = torch.Generator().manual_seed(seed)
        blocks = []
        for pair in range((layers + 1) // 2):
            order = list(range(dim)) if pair == 0 else torch.randperm(dim, generator=gen).tolist()
            first, second = order[:dim // 2], order[dim // 2:]
            for keep, move in ((first, second), (second, first)):
                blocks.append(AffineCoupling(dim, keep, move, hidden=hidden, volume_preserving=volume_preserving,
                                             clamp=clamp))
        self.couplings = nn.ModuleList(blocks)

    def _check(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor) or x.ndim < 1 or x.shape[-1] != self.dim:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ShapeError(f"the flow acts on vectors of R^{self.dim}: pass a tensor of shape (..., {self.dim}), "
                             f"got {shape}")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """φ(x) for x of shape (..., dim)."""
        return self.forward_and_log_det(x)[0]

    def forward_and_log_det(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(φ(x), log|det J_φ(x)|), the second of shape x.shape[:-1]."""
        self._check(x)
        total = torch.zeros(x.shape[:-1], dtype=x.dtype, device=x.device)
        for layer in self.couplings:
            x, log_det = layer(x)
            total = total + log_det
        if self.volume_preserving:
            total = torch.zeros_like(total)  # Σ s = 0 exactly; the float sum is rounding noise
        return x, total

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        """φ⁻¹(y) for y of shape (..., dim), in one pass."""
        self._check(y)
        for layer in reversed(self.couplings):
            y = layer.inverse(y)
        return y

    def log_abs_det_jacobian(self, x: torch.Tensor) -> torch.Tensor:
        """log|det J_φ(x)|, shape x.shape[:-1] (zeros when volume-preserving)."""
        return self.forward_and_log_det(x)[1]
