"""Group actions on tensors: float group elements and the matrices of exact representations.

The engine's `Representation` is the one description of how a group acts; this module turns it
into tensors.  `sample(group, batch)` draws float elements of a group in its defining form (Haar
for the orthogonal groups, bounded boosts for the Lorentz groups, uniform exact elements for a
finite group); `matrices(rep, g)` evaluates the representation at them by walking how it was
built (`Representation.construction`: direct sums, tensor products, symmetric and exterior
powers, duals of the group's basic representations); `act(rep, g, x)` moves feature vectors.

Example:
    >>> import torch
    >>> from invariants import load_spec
    >>> V = load_spec("O(3):2x0+v*v")               # two scalars and a rank-2 tensor
    >>> g = sample(V.group, 4, generator=torch.Generator().manual_seed(0))
    >>> x = torch.randn(4, V.dim, dtype=torch.float64)
    >>> y = act(V, g, x)
    >>> torch.allclose(y[:, :2], x[:, :2]), torch.allclose(y[:, 2:].reshape(4, 3, 3), g @ x[:, 2:].reshape(4, 3, 3) @ g.transpose(1, 2))
    (True, True)
"""
from __future__ import annotations

import functools
import itertools
import re
from typing import Any, Callable

import sympy
import torch

from invariants.catalogue.spec import load_spec
from invariants.errors import InputError, ShapeError
from invariants.groups.base import Group
from invariants.groups.compact.harmonics import real_solid_harmonics
from invariants.groups.representation import Representation
from invariants.polynomials.ring import monomials

from .compiled import PolynomialMap

Sampler = Callable[..., torch.Tensor]


# -- float elements of groups ----------------------------------------------------------------------
def orthogonal(n: int, batch: int, *, special: bool = False, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Haar-random elements of O(n) (half of them of determinant −1), or of SO(n) with ``special=True``.

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
    """The metric η = diag(1, −1, −1, −1) (signature + − − −, time first).

    Example:
        >>> minkowski().diagonal().tolist()
        [1.0, -1.0, -1.0, -1.0]
    """
    return torch.diag(torch.tensor([1.0, -1.0, -1.0, -1.0], dtype=dtype))


def lorentz(batch: int, *, kind: str = "O(1,3)", max_rapidity: float = 1.0, generator: torch.Generator | None = None,
            dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Random Lorentz transformations Λ (Λᵀ η Λ = η): a boost times a Haar rotation.

    The boost has a uniform direction and a rapidity uniform in ``[0, max_rapidity]`` (the group is
    not compact, so there is no uniform distribution; bounded boosts keep numbers sane).
    ``kind="SO+(1,3)"`` stops there; ``"SO(1,3)"`` also multiplies by −I = PT with probability 1/2;
    ``"O(1,3)"`` by parity P and time reversal T independently with probability 1/2 each.

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


def permutations(n: int, batch: int, *, generator: torch.Generator | None = None,
                 dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Uniformly random n × n permutation matrices P, acting on R^n by (P x)_i = x_{σ(i)}.

    Example:
        >>> P = permutations(4, 2, generator=torch.Generator().manual_seed(0))
        >>> P.sum(dim=1).tolist() == P.sum(dim=2).tolist() == [[1.0] * 4] * 2
        True
    """
    _check(batch, n)
    sigma = torch.argsort(torch.rand(batch, n, generator=generator), dim=1)
    return torch.nn.functional.one_hot(sigma, n).to(dtype)


def axial(batch: int, *, dim: int = 3, axis: int = 2, special: bool = False, generator: torch.Generator | None = None,
          dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """O(2) (or SO(2)) acting on the plane orthogonal to coordinate ``axis`` of R^dim, fixing the axis:
    uniform angle; with ``special=False`` half of the elements are reflections in a plane containing
    the axis.

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


def sample(group: Group, batch: int, *, generator: torch.Generator | None = None, dtype: torch.dtype = torch.float64,
           **options: Any) -> torch.Tensor:
    """Random elements of an engine group in its defining form, (batch, d, d) float matrices.

    O(n), SO(n): Haar; SO⁺(1,3), O(1,3): `lorentz` (``max_rapidity``); a finite group: uniform exact
    elements (the generator seeds them).

    Example:
        >>> from invariants import symmetric
        >>> sample(symmetric(4), 3, generator=torch.Generator().manual_seed(0)).shape
        torch.Size([3, 4, 4])
    """
    spec = group.spec if isinstance(group.spec, str) else ""
    m = re.fullmatch(r"(S?O)\(([0-9]+)\)", spec)
    if m:
        return orthogonal(int(m.group(2)), batch, special=m.group(1) == "SO", generator=generator, dtype=dtype)
    if spec in ("SO+(1,3)", "O(1,3)"):
        return lorentz(batch, kind=spec, generator=generator, dtype=dtype, **options)
    seed = int(torch.randint(0, 2**62, (1,), generator=generator))
    elements = group.random_elements(batch, seed)
    return torch.stack([torch.as_tensor(g.to_numpy(), dtype=dtype) for g in elements])


def sampler(group: Group | str) -> Sampler:
    """``sampler(group)(batch, generator=None, dtype=float64)``: random elements of a group (or spec).

    Example:
        >>> sampler("SO(3)")(2).shape
        torch.Size([2, 3, 3])
    """
    if isinstance(group, str):
        loaded = load_spec(group)
        group = loaded if isinstance(loaded, Group) else loaded.group
    return functools.partial(sample, group)


# -- float matrices of a representation --------------------------------------------------------------
def matrices(rep: Representation, g: torch.Tensor) -> torch.Tensor:
    """ρ(g) for a batch of defining-form elements g (batch, d, d): (batch, dim ρ, dim ρ).

    Example:
        >>> from invariants import load_spec
        >>> V = load_spec("SO(3):v+sym2(v)")
        >>> g = orthogonal(3, 2, special=True, generator=torch.Generator().manual_seed(0))
        >>> h = orthogonal(3, 2, special=True, generator=torch.Generator().manual_seed(1))
        >>> torch.allclose(matrices(V, g @ h), matrices(V, g) @ matrices(V, h))
        True
    """
    if g.ndim != 3 or g.shape[1] != g.shape[2]:
        raise ShapeError(f"group elements are a batch of square matrices (batch, d, d), got {tuple(g.shape)}")
    return _evaluate(rep.group, rep.construction, g)


def act(rep: Representation, g: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """ρ(g) x for features x of shape (batch, dim ρ) and elements g (batch, d, d) or one (d, d).

    Example:
        >>> from invariants import load_spec
        >>> g = torch.tensor([[0., -1.], [1., 0.]])
        >>> act(load_spec("SO(2):0+v"), g, torch.tensor([[7., 1., 0.]]))
        tensor([[7., 0., 1.]])
    """
    if x.ndim != 2 or x.shape[1] != rep.dim:
        raise ShapeError(f"act expects x of shape (batch, {rep.dim}) for {rep}, got {tuple(x.shape)}")
    if g.ndim == 2:
        g = g.expand(x.shape[0], *g.shape)
    if g.shape[0] != x.shape[0]:
        raise ShapeError(f"act needs one group element per sample: {g.shape[0]} elements for {x.shape[0]} samples")
    m = matrices(rep, g.to(x.dtype))
    return (m @ x.unsqueeze(-1)).squeeze(-1)


def _evaluate(group: Group, node: tuple, g: torch.Tensor) -> torch.Tensor:
    kind = node[0]
    if kind == "atom":
        return _atom(group, node[2], g)
    if kind == "sum":
        return _block_diag(_evaluate(group, node[2], g), _evaluate(group, node[3], g))
    if kind == "tensor":
        a, b = _evaluate(group, node[2], g), _evaluate(group, node[3], g)
        return torch.einsum("bij,bkl->bikjl", a, b).reshape(g.shape[0], node[1], node[1])
    if kind == "dual":
        return torch.linalg.inv(_evaluate(group, node[2], g)).transpose(1, 2)
    if kind in ("sym", "ext"):
        inner = _evaluate(group, node[3], g)
        power = _power_map(kind, inner.shape[1], node[2])
        return power(inner.reshape(g.shape[0], -1)).reshape(g.shape[0], node[1], node[1])
    raise InputError(f"{group.name}: a representation built by {kind!r} has no float action here; give one "
                     "built from the group's basic representations by +, *, sym, ext and dual")


def _block_diag(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    out = a.new_zeros(a.shape[0], a.shape[1] + b.shape[1], a.shape[2] + b.shape[2])
    out[:, :a.shape[1], :a.shape[2]] = a
    out[:, a.shape[1]:, a.shape[2]:] = b
    return out


def _atom(group: Group, label: str, g: torch.Tensor) -> torch.Tensor:
    batch = g.shape[0]
    if label in ("v", "vector", "natural"):
        return g
    if label in ("0", "0e", "trivial"):
        return g.new_ones(batch, 1, 1)
    if label == "det":
        return torch.linalg.det(g).reshape(batch, 1, 1)
    if group.spec in ("SO(3)", "O(3)") and re.fullmatch(r"[0-9]+[eo]?", label):
        l = int(label.rstrip("eo"))
        det = torch.linalg.det(g)
        rotation = g * det.sign()[:, None, None]  # O(3) = SO(3) × {±1}
        out = _wigner(l, rotation)
        if label[-1:] in ("e", "o"):
            parity = 1.0 if label.endswith("e") else -1.0
            factor = torch.where(det < 0, torch.full_like(det, parity), torch.ones_like(det))
            out = out * factor[:, None, None]
        return out
    if group.spec in ("SO(2)", "O(2)") and re.fullmatch(r"[0-9]+", label):
        return _frequency(int(label), g)
    raise InputError(f"{group.name}: no float action for its representation {label!r}; float actions cover "
                     "v, 0, det, the irreps of SO(3)/O(3) and the frequencies of SO(2)/O(2), combined by +, *, sym, "
                     "ext and dual")


def _frequency(k: int, g: torch.Tensor) -> torch.Tensor:
    """SO(2)/O(2) turned k times: g^k on rotations, (g s)^k s on reflections (s = diag(1, −1)),
    as the engine's `SO.frequency`."""
    mirror = torch.diag(torch.tensor([1.0, -1.0], dtype=g.dtype, device=g.device))
    reflect = torch.linalg.det(g) < 0
    base = torch.where(reflect[:, None, None], g @ mirror, g)
    turned = torch.linalg.matrix_power(base, k)
    return torch.where(reflect[:, None, None], turned @ mirror, turned)


def _wigner(l: int, rotation: torch.Tensor) -> torch.Tensor:
    """D^l(R) with Y(R r) = D(R) Y(r) for the engine's real solid harmonics Y_{l,m}: solved from the
    harmonics' values at 2l + 1 fixed points and at their rotated images."""
    harmonics = _harmonics(l)
    points = _points(l, rotation.dtype)                                   # (2l+1, 3)
    base = harmonics(points)                                              # (2l+1 points, 2l+1 harmonics)
    moved = harmonics(torch.einsum("bij,pj->bpi", rotation, points).reshape(-1, 3)).reshape(rotation.shape[0], 2 * l + 1, 2 * l + 1)
    # moved[b, p, :] = D(R_b) @ base[p, :]  =>  D^T = base^{-1} moved
    return torch.linalg.solve(base, moved).transpose(1, 2)


@functools.lru_cache(maxsize=None)
def _harmonics(l: int) -> Callable[[torch.Tensor], torch.Tensor]:
    x, y, z = sympy.symbols("x y z")
    polys = real_solid_harmonics(l) if l else (sympy.Integer(1) + 0 * x,)
    return PolynomialMap(list(polys), [x, y, z], method="horner")


@functools.lru_cache(maxsize=None)
def _points(l: int, dtype: torch.dtype) -> torch.Tensor:
    generator = torch.Generator().manual_seed(l)  # fixed generic points: the harmonics' values there are invertible
    return torch.randn(2 * l + 1, 3, generator=generator, dtype=torch.float64).to(dtype)


@functools.lru_cache(maxsize=None)
def _power_map(kind: str, n: int, d: int) -> Callable[[torch.Tensor], torch.Tensor]:
    """The polynomial map g ↦ S^d(g) (or Λ^d(g)) in the engine's bases, compiled: entries are
    polynomials in the n² entries of g (row-major)."""
    entries = sympy.symbols(f"g0:{n * n}")
    G = sympy.Matrix(n, n, entries)
    if kind == "sym":
        ys = sympy.symbols(f"y0:{n}")
        mons = monomials(n, d)
        images = [sum(G[j, i] * ys[j] for j in range(n)) for i in range(n)]  # e_i ↦ Σ_j g_ji e_j
        columns = []
        for m in mons:
            poly = sympy.Poly(sympy.Mul(*[images[i] ** e for i, e in enumerate(m)]), *ys)
            columns.append([poly.coeff_monomial(sympy.Mul(*[y ** e for y, e in zip(ys, target)])) for target in mons])
        rows = [[columns[j][i] for j in range(len(mons))] for i in range(len(mons))]
    else:
        subsets = list(itertools.combinations(range(n), d))
        rows = [[G.extract(list(I), list(J)).det() for J in subsets] for I in subsets]
    flat = [sympy.expand(v) for row in rows for v in row]
    return PolynomialMap(flat, list(entries), method="horner")


def _check(batch: int, n: int) -> None:
    if not isinstance(batch, int) or batch < 1:
        raise InputError(f"batch must be a positive int, got {batch!r}")
    if not isinstance(n, int) or n < 1:
        raise InputError(f"the matrix size must be a positive int, got {n!r}")


def _random_signs(batch: int, generator: torch.Generator | None) -> torch.Tensor:
    return 1.0 - 2.0 * torch.randint(0, 2, (batch,), generator=generator).to(torch.float64)
