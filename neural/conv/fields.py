"""Field types: how a group acts on the channels of a feature map, as a small printable value.

A `FieldType` is a direct sum ρ_1 ⊕ … ⊕ ρ_k of representations of a grid space's group; each
summand is one *field* (a block of ρ_i.dim consecutive channels).  Types compose with ``+`` and
``n * type`` and print as ``"4xregular + 1xtrivial"``, in the spirit of e3nn's ``Irreps``.

Example:
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("D4")
    >>> t = 2 * space.type(space.regular) + space.type(space.trivial)
    >>> t, t.size
    (FieldType(D4: 2xregular + 1xtrivial), 17)
"""
from __future__ import annotations

import functools
from typing import Any, Iterable

import torch

from invariants.catalogue.spec import load_spec
from invariants.errors import InputError, ShapeError
from invariants.groups.finite.permutation_reps import is_permutation_representation
from invariants.groups.representation import Representation


class FieldType:
    """ρ_1 ⊕ … ⊕ ρ_k over a `GridSpace` (see the module docstring)."""

    def __init__(self, space: Any, reps: Iterable[Representation]):
        self.space = space
        self.reps: tuple[Representation, ...] = tuple(space.any_type(r) for r in reps)
        self.size = sum(r.dim for r in self.reps)

    # -- value semantics --------------------------------------------------------------------
    def __add__(self, other: "FieldType") -> "FieldType":
        if not isinstance(other, FieldType) or other.space != self.space:
            raise InputError(f"{self} + {other}: field types add only over one grid space")
        return FieldType(self.space, self.reps + other.reps)

    def __mul__(self, n: int) -> "FieldType":
        if not isinstance(n, int) or n < 0:
            raise InputError(f"a field type is multiplied by a non-negative int, got {n!r}")
        return FieldType(self.space, self.reps * n)

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldType) and other.space == self.space and other.reps == self.reps

    def __hash__(self) -> int:
        return hash((self.space, self.reps))

    def __reduce__(self) -> tuple:
        # pickled (torch.save of a model, copy.deepcopy) as specs: the engine's flint values do not pickle
        return (_from_specs, (self.space, [rep.spec for rep in self.reps]))

    def __len__(self) -> int:
        return len(self.reps)

    def __repr__(self) -> str:
        return f"FieldType({self.space.name}: {self.describe()})"

    def describe(self) -> str:
        """``"2xregular + 1xtrivial"``: runs of equal summands, by name."""
        runs: list[list[Any]] = []
        for rep in self.reps:
            if runs and runs[-1][0] == rep:
                runs[-1][1] += 1
            else:
                runs.append([rep, 1])
        return " + ".join(f"{n}x{self.name_of(rep)}" for rep, n in runs) or "0"

    def name_of(self, rep: Representation) -> str:
        if rep == self.space.trivial:
            return "trivial"
        if rep == self.space.plane:
            return "plane"
        return rep.label or f"rho{rep.dim}"

    # -- what layers read -------------------------------------------------------------------
    @functools.cached_property
    def slices(self) -> tuple[slice, ...]:
        """The channels of each field."""
        out, start = [], 0
        for rep in self.reps:
            out.append(slice(start, start + rep.dim))
            start += rep.dim
        return tuple(out)

    def channels_of(self, rep: Representation) -> torch.Tensor:
        """Channel indices of every field of type ``rep``, ``(multiplicity, rep.dim)``."""
        rows = [list(range(s.start, s.stop)) for s, r in zip(self.slices, self.reps) if r == rep]
        return torch.tensor(rows, dtype=torch.long).reshape(len(rows), rep.dim)

    @functools.cached_property
    def distinct(self) -> tuple[Representation, ...]:
        """The distinct summands, in order of first appearance."""
        out: list[Representation] = []
        for rep in self.reps:
            if rep not in out:
                out.append(rep)
        return tuple(out)

    def matrix(self, element: int) -> torch.Tensor:
        """ρ(g) on all channels (block diagonal), float64."""
        return self._matrices[element]

    @functools.cached_property
    def _matrices(self) -> torch.Tensor:
        out = torch.zeros(self.space.order, self.size, self.size, dtype=torch.float64)
        for s, rep in zip(self.slices, self.reps):
            out[:, s, s] = self.space.matrices(rep)
        return out

    @functools.cached_property
    def is_permutation(self) -> bool:
        """Every field permutes its channels (pointwise nonlinearities and max pooling commute with it)."""
        return all(is_permutation_representation(r) for r in self.distinct)

    @functools.cached_property
    def metric(self) -> torch.Tensor:
        """The invariant inner product (1/|G|) Σ_g ρ(g)ᵀρ(g) on all channels (block diagonal), float64."""
        return torch.einsum("gji,gjk->ik", self._matrices, self._matrices) / self.space.order

    @functools.cached_property
    def projector(self) -> torch.Tensor:
        """The average of ρ(g): the projection onto the fixed vectors, float64."""
        return self._matrices.mean(0)

    def check_input(self, x: torch.Tensor, what: str = "the input") -> None:
        if x.dim() < 3 or x.shape[1] != self.size:
            raise ShapeError(f"{what} has shape {tuple(x.shape)}, but its type {self} has {self.size} channels: "
                             "a batch (batch, channels, height, width) is expected")

    def check_follows(self, other: "FieldType", where: str) -> None:
        """Refuse ``other`` (a layer's output type) feeding a layer that expects this type."""
        if other != self:
            raise InputError(f"{where}: the previous layer gives {other}, this one expects {self}; make the types "
                             "equal (the same representations in the same order)")


def _from_specs(space: Any, specs: list) -> FieldType:
    return FieldType(space, [load_spec(spec) for spec in specs])
