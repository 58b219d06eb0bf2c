"""The container every task returns: inputs, targets and how the task's group acts on both.

How the group acts is the engine's `Representation` (received through the bridge): ``rep_in`` on
the inputs, ``rep_out`` on the targets, of one group; `bridge.act` moves features with it."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import numpy as np
import torch

from invariants.errors import InputError, check_int
from bridge import Representation, load_spec
from ..standardize import Standardizer


@dataclass(frozen=True)
class Stats:
    """A task's normalisation: the `Standardizer` ``x`` of the inputs and ``y`` of the targets
    (``y = net(x(inputs))`` mapped back by ``y.inverse``; see `neural.standardize.Standardized`)."""

    x: Standardizer
    y: Standardizer

    @staticmethod
    def identity(dtype: torch.dtype = torch.float64) -> "Stats":
        return Stats(Standardizer.identity(dtype=dtype), Standardizer.identity(dtype=dtype))


def no_normalisation(data: "TaskData") -> Stats:
    """The EMLP convention for Inertia and the pendulum: leave inputs and targets as they are."""
    return Stats.identity(data.X.dtype)


def vector_rms(data: "TaskData") -> Stats:
    """The EMLP convention for O5Synthetic and ParticleInteraction, computed on a training set.

    Each vector block is divided by the root mean square of its coordinates over the set (one
    number per vector, so any linear group action still commutes with the scaling; for a Lorentz
    vector this is EMLP's sqrt(mean |p_k η_kk p_k|), as |η_kk| = 1), other blocks are left as
    they are, and the scalar target is standardised with the set's mean and (population)
    standard deviation.
    """
    if any(stop - start != 1 for start, stop, _ in data.rep_out.summands()):
        raise InputError(f"{data.name}: target standardisation is only equivariant for scalar targets")
    parts = [Standardizer.fit(data.X[:, start:stop], blocks=[stop - start], center=False, spread="rms")
             if stop - start > 1 else Standardizer.identity(1, data.X.dtype)
             for start, stop, _ in data.rep_in.summands()]
    return Stats(Standardizer.cat(parts), Standardizer.fit(data.Y, correction=0))


@dataclass
class TaskData:
    """A regression data set ``X -> Y`` with its symmetry.

    ``X`` is ``(N, rep_in.dim)``, ``Y`` is ``(N, rep_out.dim)``; ``rep_in`` and ``rep_out`` are
    representations of one group (``group``), and — unless ``symmetric`` is False, for a task whose
    symmetry is broken on purpose — the target is equivariant: ``Y(g·x) = g·Y(x)``.
    ``normaliser(data)`` computes the original EMLP normalisation statistics of a training set
    (`emlp_stats`).  ``meta`` holds task extras (e.g. the pendulum's time grid).

    Example:
        >>> from neural.datasets import make
        >>> data = make("O5Synthetic", 8, seed=0)
        >>> len(data), data.X.shape, data.Y.shape, data.group
        (8, torch.Size([8, 10]), torch.Size([8, 1]), O(5))
        >>> a, b = data.split(5, 3)
        >>> len(a), len(b)
        (5, 3)
    """

    name: str
    X: torch.Tensor
    Y: torch.Tensor
    rep_in: Representation
    rep_out: Representation
    normaliser: Callable[["TaskData"], Stats] = no_normalisation
    meta: dict[str, Any] = field(default_factory=dict)
    symmetric: bool = True

    def __post_init__(self) -> None:
        self.rep_in, self.rep_out = _rep(self.rep_in), _rep(self.rep_out)
        if self.rep_in.group != self.rep_out.group:
            raise InputError(f"{self.name}: rep_in and rep_out must be representations of one group, got "
                             f"{self.rep_in.group.name} and {self.rep_out.group.name}")
        if self.X.shape != (len(self.X), self.rep_in.dim) or self.Y.shape != (len(self.X), self.rep_out.dim):
            raise InputError(f"{self.name}: X {tuple(self.X.shape)} and Y {tuple(self.Y.shape)} do not match "
                             f"the representations ({self.rep_in.dim} in, {self.rep_out.dim} out)")

    @property
    def group(self):
        """The group acting on inputs and targets (an engine group: ``sample(data.group, n)`` draws elements)."""
        return self.rep_in.group

    def __len__(self) -> int:
        return self.X.shape[0]

    def __getitem__(self, i):
        return self.X[i], self.Y[i]

    def subset(self, index: Sequence[int] | slice | torch.Tensor) -> "TaskData":
        """The samples at ``index`` (per-sample arrays in ``meta`` are cut too)."""
        n = len(self)
        meta = {k: v[index] if _per_sample(v, n) else v for k, v in self.meta.items()}
        return replace(self, X=self.X[index], Y=self.Y[index], meta=meta)

    def split(self, *sizes: int) -> tuple["TaskData", ...]:
        """Consecutive pieces of the given sizes (the samples are i.i.d., so no shuffling is needed)."""
        if any(not isinstance(s, int) or s < 0 for s in sizes) or sum(sizes) > len(self):
            raise InputError(f"cannot split {len(self)} samples into pieces of sizes {sizes}; "
                             f"generate at least {sum(sizes)} samples")
        starts = np.cumsum((0,) + sizes)
        return tuple(self.subset(slice(int(a), int(b))) for a, b in zip(starts[:-1], starts[1:]))

    def emlp_stats(self) -> Stats:
        """The original EMLP normalisation statistics computed on this (training) set."""
        return self.normaliser(self)

    def to(self, dtype: torch.dtype) -> "TaskData":
        """The same data in another float dtype."""
        return replace(self, X=self.X.to(dtype), Y=self.Y.to(dtype))


def _rep(value: Any) -> Representation:
    return value if isinstance(value, Representation) else load_spec(value)


def _per_sample(value: Any, n: int) -> bool:
    return isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim > 0 and value.shape[0] == n


def check_size(n: Any, what: str = "n") -> int:
    """``n`` as a positive int, or an `InputError` that says so."""
    return check_int(n, f"{what} (a number of samples)", 1)


def gaussian(n: int, dim: int, seed: int) -> np.ndarray:
    """``n`` i.i.d. standard normal rows of length ``dim`` (float64) from numpy's default generator."""
    return np.random.default_rng(seed).standard_normal((check_size(n), dim))
