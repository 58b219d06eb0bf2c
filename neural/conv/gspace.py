"""A finite group acting on the plane of an image: pixels move, channels by field types.

``GridSpace(plane)`` takes the group's action on the lattice Z² (array axes: row, column) as an
engine representation whose generators are integer matrices (signed permutations: C2, C4, D1,
D2, D4, the point groups of p4 and p4m): pixels move exactly and kernels are exact on the
stencil.  ``SteerableSpace`` takes any finite group of rotations and reflections (C_N, D_N):
kernels are sampled from exact angular solutions, pixels move exactly only under the quarter
turns and flips.  The group may be larger than its image in the plane (an internal symmetry
acting on channels only); field types are any representations of it.

Example:
    >>> import torch
    >>> space = grid_space("D4")
    >>> space.order, space.regular.dim
    (8, 8)
    >>> x = torch.randn(1, 8, 5, 5, dtype=torch.float64)
    >>> y = space.transform(x, 3, space.type(space.regular))
    >>> bool(torch.allclose(space.transform(y, space.inverse(3), space.type(space.regular)), x))
    True
"""
from __future__ import annotations

import abc
import functools
from typing import Any

import numpy as np
import torch

from bridge.kernel_bases import (action_arrays, group_elements, kernel_basis_array, lattice_arrays,
                                 steerable_basis_array)
from bridge.actions import matrices
from invariants import O2, SO2, MatrixGroup, cyclic, dihedral
from invariants.catalogue.spec import load_spec
from invariants.errors import InputError, ShapeError
from invariants.groups.representation import Representation

_GRID_GROUPS = {
    "C1": [[[1, 0], [0, 1]]],
    "C2": [[[-1, 0], [0, -1]]],
    "C4": [[[0, -1], [1, 0]]],
    "D1": [[[1, 0], [0, -1]]],
    "D2": [[[-1, 0], [0, 1]], [[1, 0], [0, -1]]],
    "D4": [[[0, -1], [1, 0]], [[1, 0], [0, -1]]],
}
_ALIASES = {"p4": "C4", "p4m": "D4", "trivial": "C1"}


def grid_space(name: str) -> "GridSpace":
    """The point group ``name`` of the square grid: C1, C2, C4, D1 (a mirror), D2, D4 (aliases p4, p4m).

    Example:
        >>> grid_space("p4").order
        4
    """
    key = _ALIASES.get(name, name)
    if key not in _GRID_GROUPS:
        raise InputError(f"the square grid's point groups are {sorted(_GRID_GROUPS)} (or p4, p4m); {name!r} is "
                         "not one of them: C3, C6, C8 and other rotations move pixels off the grid, so use a "
                         "steerable convolution for them")
    return GridSpace(MatrixGroup(_GRID_GROUPS[key], name=key).natural())


class PlaneSpace(abc.ABC):
    """A finite group acting on the plane (about the image centre) and on channels by field types;
    `GridSpace` and `SteerableSpace` differ in their kernels and in how they move pixels."""

    def __init__(self, plane: Representation):
        if plane.dim != 2:
            raise ShapeError(f"a plane space acts on the plane: its representation must be 2-dimensional, got {plane.dim}")
        self.plane = plane
        self.group = plane.group
        self.points = self._element_points()  # (|G|, 2, 2) float: how g moves (row, col)
        self.order = len(self.points)
        self.name = self.group.name
        self._matrices: dict[tuple, torch.Tensor] = {}

    def _element_points(self) -> np.ndarray:
        return np.stack([m for m in action_arrays(self.plane, self.plane)])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}, order {self.order})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.plane == self.plane

    def __hash__(self) -> int:
        return hash(self.plane)

    def __reduce__(self) -> tuple:
        # pickled as the plane's spec (flint values do not pickle); the rest is recomputed
        return (_space_from_spec, (type(self), self.plane.spec, getattr(self, "max_frequency", None)))

    @functools.cached_property
    def trivial(self) -> Representation:
        return self.group.atom("0")

    @functools.cached_property
    def regular(self) -> Representation:
        return self.group.regular()

    def type(self, *reps: Representation) -> "FieldType":
        """The field type ρ_1 ⊕ ρ_2 ⊕ … (see `FieldType`)."""
        from neural.conv.fields import FieldType

        return FieldType(self, reps)

    def inverse(self, element: int) -> int:
        """The index of the inverse of element ``element``."""
        return self._inverses[element]

    @functools.cached_property
    def _inverses(self) -> list[int]:
        elements = group_elements(self.plane)
        index = {g: i for i, g in enumerate(elements)}
        return [index[g.inverse()] for g in elements]

    def matrices(self, rep: Representation) -> torch.Tensor:
        """ρ(g) for every element, ``(|G|, d, d)`` float64 (element order as `points`)."""
        key = (rep.images, rep.field.name)
        if key not in self._matrices:
            self._matrices[key] = torch.from_numpy(action_arrays(self.plane, self.any_type(rep)))
        return self._matrices[key]

    def moves_pixels(self, element: int) -> bool:
        """The element permutes the pixels of a square image (a signed permutation of the axes)."""
        m = self.points[element]
        return bool(np.allclose(np.abs(m).sum(0), 1) and np.allclose(np.abs(m).sum(1), 1)
                    and np.allclose(m, m.round()))

    def pixel_permutation(self, element: int, height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
        """Source indices (rows, cols) with (g·f)[y] = f[g⁻¹ y], about the image centre."""
        m = self.points[element].round().astype(np.int64)
        if (m[0, 1] != 0 or m[1, 0] != 0) and height != width:
            raise ShapeError(f"{self.name} swaps the axes: it acts on square images only, got {height}x{width}")
        inv = np.linalg.inv(m).round().astype(np.int64)
        rows, cols = np.meshgrid(2 * np.arange(height) - (height - 1), 2 * np.arange(width) - (width - 1),
                                 indexing="ij")
        src = np.einsum("ij,jhw->ihw", inv, np.stack([rows, cols]))
        return (torch.from_numpy((src[0] + height - 1) // 2), torch.from_numpy((src[1] + width - 1) // 2))

    def transform(self, x: torch.Tensor, element: int, field_type: "FieldType") -> torch.Tensor:
        """g·x for a batch of fields ``(batch, channels, height, width)``: (g·f)(y) = ρ(g) f(g⁻¹ y);
        exact when g permutes pixels, else by bilinear interpolation (zero outside the image)."""
        field_type.check_input(x)
        if self.moves_pixels(element):
            rows, cols = self.pixel_permutation(element, x.shape[-2], x.shape[-1])
            moved = x[..., rows, cols]
        else:
            moved = self._interpolate(x, element)
        rho = field_type.matrix(element).to(x.dtype).to(x.device)
        return torch.einsum("ij,bj...->bi...", rho, moved)

    def _interpolate(self, x: torch.Tensor, element: int) -> torch.Tensor:
        h, w = x.shape[-2:]
        inv = torch.from_numpy(np.linalg.inv(self.points[element])).to(x.dtype)
        rows, cols = torch.meshgrid(torch.arange(h, dtype=x.dtype) - (h - 1) / 2,
                                    torch.arange(w, dtype=x.dtype) - (w - 1) / 2, indexing="ij")
        src = torch.einsum("ij,jhw->ihw", inv, torch.stack([rows, cols]))
        grid = torch.stack([src[1] / ((w - 1) / 2), src[0] / ((h - 1) / 2)], -1)  # grid_sample wants (x=col, y=row)
        flat = x.reshape(x.shape[0], -1, h, w)
        return torch.nn.functional.grid_sample(flat, grid[None].expand(len(flat), h, w, 2), align_corners=True,
                                               padding_mode="zeros").reshape(x.shape)

    def any_type(self, rep: Any) -> Representation:
        """``rep`` checked to be a representation of this space's group."""
        if not isinstance(rep, Representation) or rep.group != self.group or not rep.group.same_generators(self.group):
            raise InputError(f"a field type of {self.name} is made of representations of this space's group (the same "
                             f"generators in the same order: build them from space.group), got {rep!r}")
        return rep

    @abc.abstractmethod
    def kernel_basis(self, rho_in: Representation, rho_out: Representation, radius: int) -> np.ndarray:
        """Basis kernels ``(basis, d_out, d_in, 2·radius+1, 2·radius+1)`` for a convolution."""


class GridSpace(PlaneSpace):
    """A group moving pixels exactly (signed permutations of the axes); exact stencil kernels."""

    def __init__(self, plane: Representation):
        super().__init__(plane)
        self.lattice = lattice_arrays(plane)  # refuses a non-integral (off-grid) action with the fix
        for m in self.lattice:
            if not ((np.abs(m).sum(0) == 1).all() and (np.abs(m).sum(1) == 1).all()):
                raise InputError(f"{plane.group.name} acts on the plane by {m.tolist()}, which is not a symmetry of the "
                                 "square grid (only signed permutations of the axes are: C2, C4, D1, D2, D4); for C3, "
                                 "C6, C8 or any other rotation use a steerable convolution (steerable_space)")

    def kernel_basis(self, rho_in: Representation, rho_out: Representation, radius: int) -> np.ndarray:
        return kernel_basis_array(self.plane, rho_in, rho_out, radius)


class SteerableSpace(PlaneSpace):
    """A group of rotations and reflections of the plane in an orthonormal basis — C_N, D_N for any N,
    or SO(2), O(2) — with kernels Gaussian rings × angular harmonics whose coefficients are exact,
    band-limited per ring at ⌊π r / 2⌋ (``max_frequency`` caps every ring).  A pair of types whose
    kernels all need a higher frequency (trivial → det of D_N needs sin Nφ) gets none at small
    kernel sizes: use a larger kernel for it.

    SO(2) and O(2) (field types: their frequencies ``group.frequency(k)``, ``group.atom("det")``)
    are solved through the Lie algebra, exactly; where an element list is needed (moving fields,
    averages for batch norm and biases) they stand for themselves by ``SAMPLES`` rotations (and as
    many reflections), whose averages are the exact Haar averages for frequencies below SAMPLES/2."""

    SAMPLES = 32

    def __init__(self, plane: Representation, max_frequency: int | None = None):
        self.continuous = bool(plane.lie_algebra)
        super().__init__(plane)
        if not np.allclose(np.einsum("gji,gjk->gik", self.points, self.points), np.eye(2)):
            raise InputError(f"{plane.group.name} does not act on the plane by rotations and reflections in an "
                             "orthonormal basis; steerable kernels need that (use cyclic(N) or dihedral(N))")
        self.max_frequency = max_frequency

    def _element_points(self) -> np.ndarray:
        if not self.continuous:
            return super()._element_points()
        angles = 2 * np.pi * np.arange(self.SAMPLES) / self.SAMPLES
        turns = np.stack([np.stack([np.cos(angles), -np.sin(angles)], -1), np.stack([np.sin(angles), np.cos(angles)], -1)], 1)
        if not self.plane.images:
            return turns
        mirror = self.plane.images[0].to_numpy(float)
        return np.concatenate([turns, turns @ mirror])

    @functools.cached_property
    def _inverses(self) -> list[int]:
        if not self.continuous:
            return super()._inverses
        return [int(np.argmin(np.abs(self.points - m.T).sum((1, 2)))) for m in self.points]

    def matrices(self, rep: Representation) -> torch.Tensor:
        if not self.continuous:
            return super().matrices(rep)
        key = (rep.images, rep.lie_algebra, rep.field.name)
        if key not in self._matrices:
            rep = self.any_type(rep)
            generators = np.stack([x.to_numpy(float) for x in rep.lie_algebra]) if rep.lie_algebra else np.zeros((1, 1, 1))
            top = float(np.sqrt(max(np.linalg.eigvalsh(-(g @ g)).max() for g in generators)))
            if round(top) >= self.SAMPLES // 2:
                raise InputError(f"a field of {self.name} with frequency {round(top)} is past what the space's "
                                 f"{self.SAMPLES} sampled rotations average exactly (< {self.SAMPLES // 2}): "
                                 f"set SteerableSpace.SAMPLES above {2 * round(top)}")
            self._matrices[key] = matrices(rep, torch.from_numpy(self.points))
        return self._matrices[key]

    def kernel_basis(self, rho_in: Representation, rho_out: Representation, radius: int) -> np.ndarray:
        return steerable_basis_array(self.plane, rho_in, rho_out, radius, self.max_frequency)


def steerable_space(n: int | None, flips: bool = False, max_frequency: int | None = None) -> SteerableSpace:
    """C_n (``flips=False``) or D_n rotating the plane by multiples of 2π/n; ``n=None``: SO(2) or O(2),
    every angle.  Steerable kernels.

    Example:
        >>> steerable_space(8, flips=True).order
        16
        >>> space = steerable_space(None)
        >>> space.name, space.type(space.group.frequency(2)).size
        ('SO(2)', 2)
    """
    if n is None:
        group = O2() if flips else SO2()
        return SteerableSpace(group.atom("1"), max_frequency)
    group = dihedral(n) if flips else cyclic(n)
    return SteerableSpace(group.natural(), max_frequency)


def _space_from_spec(kind: type, plane: Any, max_frequency: int | None) -> PlaneSpace:
    plane = load_spec(plane)
    return kind(plane, max_frequency) if kind is SteerableSpace else kind(plane)
