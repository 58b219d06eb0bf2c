"""The EMLP benchmark tasks, regenerated from their formulas, and a permutation-invariant set task.

Each generator is seeded and deterministic, computes in float64 and returns a `TaskData`
(``X``, ``Y`` as torch tensors, ``rep_in``/``rep_out`` saying how ``group`` acts on them).
Definitions follow Finzi, Welling, Wilson (ICML 2021) and their repository mfinzi/equivariant-MLP
(``emlp/datasets.py``), as transcribed in the project's task notes.

Example:
    >>> from neural.datasets import make, TASKS
    >>> sorted(TASKS)
    ['CyclicSet', 'DoubleSpringPendulum', 'Inertia', 'O5Synthetic', 'ParticleInteraction', 'SymmetricSet']
    >>> make("Inertia", 10, seed=3).Y.shape
    torch.Size([10, 9])
"""
from __future__ import annotations

from typing import Callable

from invariants.errors import InputError
from .base import Stats, TaskData, no_normalisation, vector_rms
from .inertia import inertia, inertia_target
from .lorentz import particle_interaction, particle_target
from .o5 import o5_synthetic, o5_target
from .pendulum import double_spring_pendulum, hamiltonian, integrate, rollout_error
from .sets import cyclic_set, cyclic_target, set_target, symmetric_set

TASKS: dict[str, Callable[..., TaskData]] = {
    "O5Synthetic": o5_synthetic,
    "Inertia": inertia,
    "ParticleInteraction": particle_interaction,
    "DoubleSpringPendulum": double_spring_pendulum,
    "SymmetricSet": symmetric_set,
    "CyclicSet": cyclic_set,
}


def make(name: str, n: int, seed: int = 0, **options) -> TaskData:
    """``n`` samples of the task called ``name`` (a key of `TASKS`), generated from ``seed``.

    Example:
        >>> make("O5Synthetic", 2, seed=0).Y.shape
        torch.Size([2, 1])
    """
    if name not in TASKS:
        raise InputError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    return TASKS[name](n, seed, **options)


__all__ = ["TASKS", "make", "TaskData", "Stats", "no_normalisation", "vector_rms",
           "o5_synthetic", "o5_target", "inertia", "inertia_target", "particle_interaction", "particle_target",
           "double_spring_pendulum", "hamiltonian", "integrate", "rollout_error", "symmetric_set", "set_target",
           "cyclic_set", "cyclic_target"]
