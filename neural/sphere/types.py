"""Spectral feature types on the sphere: how many copies of each SO(3) irreducible V_l a tensor holds.

A feature of type ``SphereType((m_0, …, m_L))`` is a tensor (..., Σ_l m_l (2l+1)): for each l in turn,
m_l channels of 2l+1 coefficients in the normalised harmonics of ``bridge.sphere``.  A signal on S²
band-limited to L with c channels is ``SphereType.signal(c, L)`` (m_l = c); a signal on SO(3) (the
output of a lifting convolution) is ``SphereType.so3(c, L)`` (m_l = c (2l+1): the right index of each
Wigner block is one more channel).  Types print and add like e3nn's ``Irreps``.

Example:
    >>> t = SphereType.signal(2, 2) + SphereType((1,))
    >>> str(t), t.dim
    ('3x0 + 2x1 + 2x2', 19)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import torch

from invariants.errors import InputError, ShapeError, check_int


@dataclass(frozen=True)
class SphereType:
    """Multiplicities m_l of V_l, l = 0 … L (see the module docstring)."""

    mults: tuple[int, ...]

    def __post_init__(self) -> None:
        mults = tuple(self.mults)
        if not mults:
            raise InputError(f"a sphere type lists multiplicities m_0, …, m_L >= 0, got {self.mults!r}")
        for l, m in enumerate(mults):
            check_int(m, f"the multiplicity m_{l} of a sphere type", 0)
        while len(mults) > 1 and mults[-1] == 0:
            mults = mults[:-1]
        object.__setattr__(self, "mults", mults)

    @classmethod
    def signal(cls, channels: int, bandwidth: int) -> "SphereType":
        """``channels`` signals on S² band-limited to ``bandwidth``."""
        return cls((channels,) * (bandwidth + 1))

    @classmethod
    def so3(cls, channels: int, bandwidth: int) -> "SphereType":
        """``channels`` signals on SO(3) band-limited to ``bandwidth`` (left action by rotations)."""
        return cls(tuple(channels * (2 * l + 1) for l in range(bandwidth + 1)))

    @classmethod
    def parse(cls, text: str) -> "SphereType":
        """``"16x0 + 8x1 + 4x2"`` (missing degrees have multiplicity 0)."""
        mults: dict[int, int] = {}
        for part in str(text).split("+"):
            match = re.fullmatch(r"\s*(?:([0-9]+)\s*x\s*)?([0-9]+)\s*", part)
            if not match:
                raise InputError(f"a sphere type reads like '16x0 + 8x1', got {text!r}")
            l = int(match.group(2))
            mults[l] = mults.get(l, 0) + int(match.group(1) or 1)
        return cls(tuple(mults.get(l, 0) for l in range(max(mults) + 1)))

    @property
    def lmax(self) -> int:
        return len(self.mults) - 1

    @property
    def dim(self) -> int:
        return sum(m * (2 * l + 1) for l, m in enumerate(self.mults))

    def mult(self, l: int) -> int:
        return self.mults[l] if l < len(self.mults) else 0

    def __add__(self, other: "SphereType") -> "SphereType":
        n = max(len(self.mults), len(other.mults))
        return SphereType(tuple(self.mult(l) + other.mult(l) for l in range(n)))

    def __str__(self) -> str:
        return " + ".join(f"{m}x{l}" for l, m in enumerate(self.mults) if m) or "0x0"

    def split(self, x: torch.Tensor, what: str = "input") -> list[torch.Tensor]:
        """The blocks (..., m_l, 2l+1), l = 0 … L."""
        if x.shape[-1] != self.dim:
            raise ShapeError(f"{what} of type {self} has {self.dim} coefficients in its last axis, got shape {tuple(x.shape)}")
        out, start = [], 0
        for l, m in enumerate(self.mults):
            out.append(x[..., start:start + m * (2 * l + 1)].reshape(*x.shape[:-1], m, 2 * l + 1))
            start += m * (2 * l + 1)
        return out

    def join(self, blocks: Sequence[torch.Tensor]) -> torch.Tensor:
        """The inverse of `split`."""
        return torch.cat([b.reshape(*b.shape[:-2], -1) for b in blocks], dim=-1)

    def rotate(self, x: torch.Tensor, blocks: Sequence[torch.Tensor]) -> torch.Tensor:
        """Act on x (B, dim) by one rotation per row, given as ``bridge.sphere.rotation_blocks`` (B, 2l+1, 2l+1)."""
        if len(blocks) < len(self.mults):
            raise ShapeError(f"rotating type {self} needs Wigner blocks up to l = {self.lmax}, got {len(blocks) - 1}")
        return self.join([torch.einsum("bmn,bcn->bcm", d.to(x.dtype), b) for d, b in zip(blocks, self.split(x))])
