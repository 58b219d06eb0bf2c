"""Invariant read-outs of spectral features: the power spectrum and the bispectrum.

The SO(3)-invariants of ⊕_{l ≤ L} V_l in degree 2 are the squared norms |x_l|² (one per l), and in
degree 3 the contractions ⟨C_{l1 l2 l3}(x_{l1} ⊗ x_{l2}), x_{l3}⟩ with the engine's Clebsch–Gordan
maps, one per admissible triple l1 ≤ l2 ≤ l3 — together they span the engine's invariants of those
degrees (tested against its Molien series), and for generic signals the bispectrum determines the
signal up to rotation (Kakarala 1992).  ``root=True`` returns |·|^{1/d} with the sign, so every feature
scales like the signal (the bridge's ``normalize="root"``): a conditioned input for the MLP after it.

Example:
    >>> import torch
    >>> from neural.sphere.types import SphereType
    >>> b = Bispectrum(SphereType.signal(2, 2))
    >>> b.triples, b(torch.randn(5, 18)).shape
    ([(0, 0, 0), (0, 1, 1), (0, 2, 2), (1, 1, 2), (2, 2, 2)], torch.Size([5, 10]))
"""
from __future__ import annotations

import torch
from torch import nn

from bridge.sphere import clebsch_gordan_array
from neural.sphere.nonlinear import _signal_channels
from neural.sphere.types import SphereType


def _root(x: torch.Tensor, degree: int) -> torch.Tensor:
    return torch.sign(x) * (x.abs() + 1e-12) ** (1.0 / degree)


class PowerSpectrum(nn.Module):
    """|x_l|² for every copy of every V_l: (..., Σ_l m_l) invariants."""

    def __init__(self, sphere_type: SphereType, root: bool = True):
        super().__init__()
        self.in_type, self.root = sphere_type, root
        self.size = sum(sphere_type.mults)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.cat([(b * b).sum(-1) for b in self.in_type.split(x, "PowerSpectrum's input")], -1)
        return _root(out, 2) if self.root else out


class Bispectrum(nn.Module):
    """⟨C(x_{l1} ⊗ x_{l2}), x_{l3}⟩ per channel of an S² signal type, for l1 ≤ l2 ≤ l3 ≤ ``max_degree``
    (default L) in the triangle, leaving out the triples whose form vanishes on x ⊗ x ⊗ x."""

    def __init__(self, sphere_type: SphereType, max_degree: int | None = None, root: bool = True):
        super().__init__()
        self.in_type, self.root = sphere_type, root
        channels = _signal_channels(sphere_type, "Bispectrum")
        top = sphere_type.lmax if max_degree is None else min(max_degree, sphere_type.lmax)
        self.triples = [(a, b, c) for a in range(top + 1) for b in range(a, top + 1) for c in range(b, min(a + b, top) + 1)
                        if not ((a + b + c) % 2 and (a == b or b == c))]
        for i, (a, b, c) in enumerate(self.triples):
            self.register_buffer(f"cg{i}", torch.tensor(clebsch_gordan_array(a, b, c)), persistent=False)
        self.size = channels * len(self.triples)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        blocks = self.in_type.split(x, "Bispectrum's input")
        out = torch.stack([torch.einsum("mij,...ci,...cj,...cm->...c", getattr(self, f"cg{i}").to(x.dtype),
                                        blocks[a], blocks[b], blocks[c])
                           for i, (a, b, c) in enumerate(self.triples)], -1).flatten(-2)
        return _root(out, 3) if self.root else out
