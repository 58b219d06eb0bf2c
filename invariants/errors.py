"""The one error family of molien: every failure a user can cause is a `MolienError`.

Messages say what went wrong *and* what to do about it.
"""
from __future__ import annotations

import numbers
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


def check_int(value: Any, name: str, minimum: int | None = 0, *, maximum: int | None = None,
              strings: bool = False) -> int:
    """``value`` as an int in [``minimum``, ``maximum``] (None: unbounded), else an `InputError` naming ``name``: the
    one integer check of molien's API and layers.  A bool is not an integer; with ``strings`` an
    ASCII digit string is read (catalogue parameters arrive from the CLI as text); numpy and sympy
    integers are integers.

    Example:
        >>> check_int(3, "max_hsop_candidates", 1), check_int("12", "cyclic: n", 1, strings=True)
        (3, 12)
        >>> check_int(0, "kernel_size", 1)
        Traceback (most recent call last):
        ...
        invariants.errors.InputError: kernel_size must be an integer >= 1, got 0
    """
    if isinstance(value, str) and strings:
        text = value.strip()
        if text.isascii() and text.lstrip("+-").isdigit():
            value = int(text)
    expected = ("an integer" if minimum is None else f"an integer >= {minimum}") if maximum is None else \
        f"an integer between {minimum} and {maximum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or (minimum is not None and value < minimum) or \
            (maximum is not None and value > maximum):
        raise InputError(f"{name} must be {expected}, got {value!r}")
    return int(value)
