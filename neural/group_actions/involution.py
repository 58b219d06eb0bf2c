"""A learnable nonlinear involution: N = φ⁻¹ ∘ S ∘ φ with S = diag(−1, …, −1, 1, …, 1).

S² = I, so N ∘ N = φ⁻¹ ∘ S² ∘ φ = id for every invertible φ (the group Z2, without the engine).
``negatives`` is the number of −1 entries of S: the dimension of the manifold N reverses at a fixed
point (the eigenvalues of J_N there are −1 that many times and +1 otherwise) — 1 for a time
reversal (q, p) ↦ (q, −p) of one degree of freedom, dim for a point reflection.

Example:
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> n = Involution(2, negatives=1).double()
    >>> with torch.no_grad():
    ...     for p in n.parameters():
    ...         _ = p.add_(0.3 * torch.randn_like(p))
    >>> x = torch.randn(6, 2, dtype=torch.float64)
    >>> bool((n(x) - x).abs().max() > 0.1), bool((n(n(x)) - x).abs().max() < 1e-12)
    (True, True)
"""
from __future__ import annotations

import torch
from torch import nn

from invariants.errors import InputError

from .coupling import CouplingFlow


class Involution(nn.Module):
    """N = φ⁻¹ ∘ diag(−1 × negatives, +1 × (dim − negatives)) ∘ φ on R^dim; ``layers``, ``hidden``,
    ``volume_preserving``, ``clamp`` and ``seed`` go to `CouplingFlow`."""

    def __init__(self, dim: int, negatives: int = 1, *, layers: int = 4, hidden: int = 32,
                 volume_preserving: bool = False, clamp: float = 2.0, seed: int = 0):
        super().__init__()
        if not isinstance(negatives, int) or not 1 <= negatives <= dim:
            raise InputError(f"an involution of R^{dim} needs 1 <= negatives <= {dim} entries −1 in S, got "
                             f"{negatives!r} (negatives=0 would make N the identity)")
        self.dim, self.negatives = dim, negatives
        self.flow = CouplingFlow(dim, layers=layers, hidden=hidden, volume_preserving=volume_preserving,
                                 clamp=clamp, seed=seed)
        signs = torch.ones(dim)
        signs[:negatives] = -1.0
        self.register_buffer("signs", signs)  # ±1: exact in every dtype

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """N(x) for x of shape (..., dim)."""
        return self.flow.inverse(self.flow(x) * self.signs.to(x.dtype))

    def log_abs_det_jacobian(self, x: torch.Tensor) -> torch.Tensor:
        """log|det J_N(x)| = log|det J_φ(x)| − log|det J_φ(N x)| (|det S| = 1), shape x.shape[:-1]."""
        return self.flow.log_abs_det_jacobian(x) - self.flow.log_abs_det_jacobian(self(x))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, negatives={self.negatives}"
