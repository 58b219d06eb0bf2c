"""The one error family of molien: every failure a user can cause is a `MolienError`.

Messages say what went wrong *and* what to do about it.
"""
from __future__ import annotations

from typing import Any


class MolienError(Exception):
    """Base class of every error molien raises on purpose."""


class InputError(MolienError, ValueError):
    """Input that molien cannot interpret (wrong shape, unknown name, bad syntax)."""


class FloatEntryError(InputError):
    """A floating-point number was given where an exact value is needed."""


class ShapeError(InputError):
    """Matrices that are not square or do not have matching sizes."""


class SingularMatrixError(InputError):
    """A group generator that is not invertible."""


class NotFiniteError(MolienError):
    """Generators that do not generate a finite group."""


class TooLargeError(MolienError):
    """A computation that would exceed a size guard; the message names the knob that raises it."""

    def __init__(self, message: str, *, estimate: float | None = None, option: str | None = None):
        super().__init__(message)
        self.estimate = estimate
        self.option = option


class FieldError(MolienError):
    """Values that do not lie in the requested field, or fields that cannot be combined."""


class ModularError(FieldError):
    """A characteristic-zero method asked of a group over GF(p) with p dividing its order (the
    modular case), where it does not apply (no Molien series, no Reynolds operator)."""


class NotHomomorphismError(InputError):
    """Images of generators that do not define a group homomorphism."""


class BackendError(MolienError):
    """A run-time tool molien relies on (e.g. the C++ compiler behind ``torch.compile``) failed."""


class ClusterError(MolienError):
    """A cluster that cannot be reached or used: the scheduler address does not answer, or has no
    workers (``molien ... --cluster ADDRESS``, `invariants.parallel.dask_cluster`)."""


def positive_int(value: Any, name: str) -> int:
    """``value`` when it is an int >= 1 (a bool is not), else an `InputError` naming ``name``.

    Example:
        >>> positive_int(3, "max_hsop_candidates")
        3
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be an int >= 1, got {value!r}")
    return value
