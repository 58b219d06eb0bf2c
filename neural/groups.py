"""Random elements of the groups of the EMLP tasks, as batches of float matrices (for augmentation and tests).

Every sampler returns a tensor of shape ``(batch, d, d)`` and takes an optional
``torch.Generator`` so that draws are reproducible.  `sampler(name)` maps a group name as the
datasets write it (``"O(5)"``, ``"SO(3)"``, ``"O(1,3)"``, ``"SO+(1,3)"``, ``"O(2) about z"``,
``"S(8)"``) to a sampler; `act` (from `neural.reps`) applies the elements to a task's features.
"""
from __future__ import annotations

import re
from typing import Callable

import torch

from invariants.errors import InputError
from .reps import Rep, act

__all__ = ["orthogonal", "lorentz", "axial", "permutations", "sampler", "minkowski", "act", "Rep"]

Sampler = Callable[..., torch.Tensor]


def _check(batch: int, n: int) -> None:
    if not isinstance(batch, int) or batch < 1:
        raise InputError(f"batch must be a positive int, got {batch!r}")
    if not isinstance(n, int) or n < 1:
        raise InputError(f"the matrix size must be a positive int, got {n!r}")


def orthogonal(n: int, batch: int, *, special: bool = False, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Haar-random elements of O(n) (half of them reflections), or of SO(n) with ``special=True``.

    Example:
        >>> g = orthogonal(5, 4, generator=torch.Generator().manual_seed(0))
        >>> torch.allclose(g @ g.transpose(1, 2), torch.eye(5, dtype=g.dtype).expand(4, 5, 5))
        True
    """
    _check(batch, n)
    a = torch.randn(batch, n, n, generator=generator, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    # QR of a Gaussian matrix is Haar only once R's diagonal is made positive (Mezzadri 2007)
    q = q * torch.sign(torch.diagonal(r, dim1=1, dim2=2)).unsqueeze(1)
    if special:
        flip = torch.linalg.det(q) < 0
        q[flip, :, 0] = -q[flip, :, 0]
    return q.to(dtype)


def minkowski(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The metric η = diag(1, -1, -1, -1) (signature + - - -, time first).

    Example:
        >>> minkowski().diagonal().tolist()
        [1.0, -1.0, -1.0, -1.0]
    """
    return torch.diag(torch.tensor([1.0, -1.0, -1.0, -1.0], dtype=dtype))


def lorentz(batch: int, *, kind: str = "O(1,3)", max_rapidity: float = 1.0, generator: torch.Generator | None = None,
            dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Random Lorentz transformations Λ (Λᵀ η Λ = η): a boost times a Haar rotation.

    The boost has a uniform direction and a rapidity uniform in ``[0, max_rapidity]`` (the group
    is not compact, so there is no uniform distribution; bounded boosts keep numbers sane).
    ``kind="SO+(1,3)"`` stops there (every proper orthochronous Λ is a boost times a rotation);
    ``"SO(1,3)"`` also multiplies by -I = PT with probability 1/2; ``"O(1,3)"`` by parity P and
    time reversal T independently with probability 1/2 each.

    Example:
        >>> L = lorentz(3, generator=torch.Generator().manual_seed(1))
        >>> eta = minkowski()
        >>> torch.allclose(L.transpose(1, 2) @ eta @ L, eta.expand(3, 4, 4))
        True
    """
    if kind not in ("O(1,3)", "SO(1,3)", "SO+(1,3)"):
        raise InputError(f"unknown Lorentz group {kind!r}; use 'O(1,3)', 'SO(1,3)' or 'SO+(1,3)'")
    if not max_rapidity >= 0:
        raise InputError(f"max_rapidity must be >= 0, got {max_rapidity!r}")
    _check(batch, 4)
    f64 = torch.float64
    direction = torch.randn(batch, 3, generator=generator, dtype=f64)
    direction = direction / direction.norm(dim=1, keepdim=True)
    phi = max_rapidity * torch.rand(batch, generator=generator, dtype=f64)
    ch, sh = torch.cosh(phi), torch.sinh(phi)
    boost = torch.zeros(batch, 4, 4, dtype=f64)
    boost[:, 0, 0] = ch
    boost[:, 0, 1:] = sh[:, None] * direction
    boost[:, 1:, 0] = sh[:, None] * direction
    boost[:, 1:, 1:] = torch.eye(3, dtype=f64) + (ch - 1)[:, None, None] * direction[:, :, None] * direction[:, None, :]
    rotation = torch.eye(4, dtype=f64).repeat(batch, 1, 1)
    rotation[:, 1:, 1:] = orthogonal(3, batch, special=True, generator=generator)
    out = boost @ rotation
    if kind == "SO(1,3)":
        out = out * _random_signs(batch, generator)[:, None, None]
    elif kind == "O(1,3)":
        parity, reversal = _random_signs(batch, generator), _random_signs(batch, generator)
        out = out * torch.stack([reversal, parity, parity, parity], dim=1)[:, None, :]
    return out.to(dtype)


def _random_signs(batch: int, generator: torch.Generator | None) -> torch.Tensor:
    return 1.0 - 2.0 * torch.randint(0, 2, (batch,), generator=generator).to(torch.float64)


def axial(batch: int, *, dim: int = 3, axis: int = 2, special: bool = False, generator: torch.Generator | None = None,
          dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """O(2) (or SO(2)) acting on the plane orthogonal to coordinate ``axis`` of R^dim, fixing the axis.

    Uniform angle; with ``special=False`` half of the elements are reflections in a plane
    containing the axis.

    Example:
        >>> g = axial(2, generator=torch.Generator().manual_seed(0))
        >>> g[:, 2].tolist()
        [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    """
    _check(batch, dim)
    if dim < 3 or not 0 <= axis < dim:
        raise InputError(f"axial needs dim >= 3 and 0 <= axis < dim, got dim={dim}, axis={axis}")
    plane = [i for i in range(dim) if i != axis][:2]
    theta = 2 * torch.pi * torch.rand(batch, generator=generator, dtype=torch.float64)
    c, s = torch.cos(theta), torch.sin(theta)
    sign = torch.ones(batch, dtype=torch.float64) if special else _random_signs(batch, generator)
    out = torch.eye(dim, dtype=torch.float64).repeat(batch, 1, 1)
    i, j = plane
    # [[c, -s*sign], [s, c*sign]]: a rotation when sign = 1, a reflection when sign = -1
    out[:, i, i], out[:, i, j], out[:, j, i], out[:, j, j] = c, -s * sign, s, c * sign
    return out.to(dtype)


def permutations(n: int, batch: int, *, generator: torch.Generator | None = None,
                 dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Uniformly random n x n permutation matrices P, acting on R^n by (P x)_i = x_{σ(i)}.

    Example:
        >>> P = permutations(4, 2, generator=torch.Generator().manual_seed(0))
        >>> P.sum(dim=1).tolist() == P.sum(dim=2).tolist() == [[1.0] * 4] * 2
        True
    """
    _check(batch, n)
    sigma = torch.argsort(torch.rand(batch, n, generator=generator), dim=1)
    return torch.nn.functional.one_hot(sigma, n).to(dtype)


_PATTERNS: list[tuple[str, Callable[[re.Match], Sampler]]] = [
    (r"O\((\d+)\)", lambda m: lambda b, **kw: orthogonal(int(m[1]), b, **kw)),
    (r"SO\((\d+)\)", lambda m: lambda b, **kw: orthogonal(int(m[1]), b, special=True, **kw)),
    (r"(O|SO|SO\+)\(1,\s*3\)", lambda m: lambda b, **kw: lorentz(b, kind=f"{m[1]}(1,3)", **kw)),
    (r"(S?)O\(2\) about ([xyz])", lambda m: lambda b, **kw: axial(b, axis="xyz".index(m[2]), special=m[1] == "S", **kw)),
    (r"S\((\d+)\)", lambda m: lambda b, **kw: permutations(int(m[1]), b, **kw)),
]


def sampler(name: str) -> Sampler:
    """``sampler(name)(batch, generator=None, dtype=float64)``: random elements of the named group.

    Example:
        >>> sampler("SO(3)")(2).shape
        torch.Size([2, 3, 3])
    """
    for pattern, make in _PATTERNS:
        match = re.fullmatch(pattern, name.strip())
        if match:
            return make(match)
    raise InputError(f"unknown group {name!r}; use O(n), SO(n), O(1,3), SO(1,3), SO+(1,3), "
                     "O(2) about z, SO(2) about z or S(n)")
