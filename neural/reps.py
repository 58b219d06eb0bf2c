"""How a matrix group acts on a flat feature vector: blocks of scalars, vectors and rank-2 tensors.

A task's inputs and outputs are flat float tensors of shape ``(batch, size)``; a `Rep` says how to
cut them into pieces and how a group element ``g`` (a ``d x d`` matrix) moves each piece:
scalars stay, vectors go to ``g v``, rank-2 tensors (stored row-major) go to ``g T gᵀ``.
Lorentz 4-vectors are vectors of the Lorentz group (``v -> Λ v``) and a set of n reals is one
vector of the permutation matrices of S(n), so one action covers every task.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from invariants.errors import InputError, ShapeError

KINDS = ("scalar", "vector", "tensor")


@dataclass(frozen=True)
class Rep:
    """A direct sum of ``count`` copies of each kind (``scalar``, ``vector``, ``tensor``), in order.

    ``dim`` is the size of the group's matrices.

    Example:
        >>> r = Rep(3, (("scalar", 5), ("vector", 5)))
        >>> r.size, str(r)
        (20, '5 scalars + 5 vectors (d=3)')
    """

    dim: int
    parts: tuple[tuple[str, int], ...]

    def __post_init__(self) -> None:
        if not isinstance(self.dim, int) or self.dim < 1:
            raise InputError(f"Rep dim must be a positive int, got {self.dim!r}")
        for kind, count in self.parts:
            if kind not in KINDS:
                raise InputError(f"unknown kind {kind!r} in Rep; use one of {KINDS}")
            if not isinstance(count, int) or count < 1:
                raise InputError(f"the count of {kind!r} must be a positive int, got {count!r}")

    def width(self, kind: str) -> int:
        """Number of coordinates of one copy of ``kind``."""
        return {"scalar": 1, "vector": self.dim, "tensor": self.dim * self.dim}[kind]

    @property
    def size(self) -> int:
        """Length of the flat feature vector."""
        return sum(count * self.width(kind) for kind, count in self.parts)

    def blocks(self) -> list[tuple[str, int, int, int]]:
        """``(kind, count, start, stop)`` of each part in the flat vector."""
        out, start = [], 0
        for kind, count in self.parts:
            stop = start + count * self.width(kind)
            out.append((kind, count, start, stop))
            start = stop
        return out

    def __str__(self) -> str:
        words = [f"{count} {kind}{'s' if count > 1 else ''}" for kind, count in self.parts]
        return " + ".join(words) + f" (d={self.dim})"


def scalars(count: int, dim: int = 1) -> Rep:
    """``count`` invariant numbers.

    Example:
        >>> scalars(1).size
        1
    """
    return Rep(dim, (("scalar", count),))


def vectors(count: int, dim: int) -> Rep:
    """``count`` vectors of length ``dim``, each moved by ``g``.

    Example:
        >>> vectors(2, 5).size
        10
    """
    return Rep(dim, (("vector", count),))


def act(g: torch.Tensor, x: torch.Tensor, rep: Rep) -> torch.Tensor:
    """Apply group elements ``g`` (``(d, d)`` or one per sample ``(batch, d, d)``) to ``x`` of shape ``(batch, rep.size)``.

    Example:
        >>> g = torch.tensor([[0., -1.], [1., 0.]])
        >>> act(g, torch.tensor([[7., 1., 0.]]), Rep(2, (("scalar", 1), ("vector", 1))))
        tensor([[7., 0., 1.]])
    """
    if x.ndim != 2 or x.shape[1] != rep.size:
        raise ShapeError(f"act expects x of shape (batch, {rep.size}) for {rep}, got {tuple(x.shape)}")
    d = rep.dim
    if g.shape[-2:] != (d, d) or g.ndim not in (2, 3) or (g.ndim == 3 and g.shape[0] != x.shape[0]):
        raise ShapeError(f"act expects g of shape ({d}, {d}) or ({x.shape[0]}, {d}, {d}), got {tuple(g.shape)}")
    g = g.to(x.dtype).expand(x.shape[0], d, d)
    pieces = []
    for kind, count, start, stop in rep.blocks():
        block = x[:, start:stop]
        if kind == "vector":
            block = torch.einsum("bij,bcj->bci", g, block.reshape(-1, count, d)).reshape(-1, stop - start)
        elif kind == "tensor":
            t = block.reshape(-1, count, d, d)
            block = torch.einsum("bij,bcjk,blk->bcil", g, t, g).reshape(-1, stop - start)
        pieces.append(block)
    return torch.cat(pieces, dim=1)
