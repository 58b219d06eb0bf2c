"""Networks with a parity under an involutory affine map: f(Ax + b) = p·f(x), p = ±1.

For T(x) = Ax + b with T ∘ T = id (A² = I and Ab + b = 0), the symmetrisation
f(x) = (g(x) + p·g(T x))/2 of any network g has f(T x) = (g(T x) + p·g(x))/2 = p·f(x), since
p² = 1: even (p = 1) or odd (p = −1) under a reflection, a point inversion x ↦ 2c − x, a swap of
two particles, …  Every such f is of this form (take g = f), so nothing is lost.  T is checked
exactly when A and b are exact (ints, fractions, strings such as "1/3", sympy numbers, integer
tensors) and to a tolerance when they are floats; anything else is refused.

Example:
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> f = ParityNetwork([[0, 1], [1, 0]], [1, -1], parity=-1).double()   # T(x) = (x₂ + 1, x₁ − 1)
    >>> x = torch.randn(5, 2, dtype=torch.float64)
    >>> bool((f(f.transform(x)) + f(x)).abs().max() < 1e-12)
    True
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy
import torch
from torch import nn

from invariants.errors import InputError, ShapeError

from .constants import Float64Constants

FLOAT_TOLERANCE = 1e-9  # relative: a float A is an involution when ‖A² − I‖ is this small next to ‖A‖²


class ParityNetwork(Float64Constants):
    """f(x) = (g(x) + parity·g(Ax + b))/2, so that f(Ax + b) = parity·f(x).

    ``net`` is g (any module from (..., dim) to (..., out)); by default an MLP with ``layers`` hidden
    layers of ``hidden`` SiLU units and ``out`` outputs.  ``b`` defaults to 0.
    """

    def __init__(self, A: Any, b: Any = None, parity: int = 1, net: nn.Module | None = None, *, out: int = 1,
                 hidden: int = 64, layers: int = 2):
        super().__init__()
        if parity not in (1, -1):
            raise InputError(f"parity must be 1 (even: f(Tx) = f(x)) or -1 (odd: f(Tx) = -f(x)), got {parity!r}")
        A_float, A_exact = _entries(A, "A")
        if A_float.ndim != 2 or A_float.shape[0] != A_float.shape[1] or A_float.shape[0] < 1:
            raise ShapeError(f"A must be a square matrix (dim x dim), got shape {A_float.shape}")
        dim = A_float.shape[0]
        if b is None:
            b_float, b_exact = np.zeros(dim), (sympy.zeros(dim, 1) if A_exact is not None else None)
        else:
            b_float, b_exact = _entries(b, "b")
            if b_float.ndim == 2 and b_float.shape[1] == 1:  # a column vector
                b_float = b_float[:, 0]
            if b_float.shape != (dim,):
                raise ShapeError(f"b must be a vector of length {dim} (A is {dim}x{dim}), got shape {b_float.shape}")
        if A_exact is not None and b_exact is not None:
            _check_exact(A_exact, sympy.Matrix(b_exact).reshape(dim, 1))
        else:
            _check_float(A_float, b_float)
        self.dim, self.parity = dim, parity
        self.register_constant("A", torch.from_numpy(A_float))
        self.register_constant("b", torch.from_numpy(b_float))
        if net is None:
            from neural.baselines import MLP

            net = MLP(dim, out, channels=hidden, layers=layers)
        self.net = net

    def transform(self, x: torch.Tensor) -> torch.Tensor:
        """T(x) = Ax + b for x of shape (..., dim)."""
        if not isinstance(x, torch.Tensor) or x.ndim < 1 or x.shape[-1] != self.dim:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise ShapeError(f"ParityNetwork acts on vectors of R^{self.dim}: pass shape (..., {self.dim}), got {shape}")
        return x @ self.A.to(x.dtype).T + self.b.to(x.dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """f(x) = (g(x) + parity·g(T x))/2."""
        tx = self.transform(x)
        return (self.net(x) + self.parity * self.net(tx)) / 2

    def extra_repr(self) -> str:
        return f"dim={self.dim}, parity={self.parity:+d}"


def _entries(value: Any, name: str) -> tuple[np.ndarray, sympy.Matrix | list | None]:
    """float64 entries, and exact ones (None when any entry is a float)."""
    if hasattr(value, "to_sympy") and not isinstance(value, sympy.Basic):
        value = value.to_sympy()  # an engine Matrix
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_complex():
            raise InputError(f"{name} must be real, got a complex tensor")
        exact = not value.is_floating_point()
        return value.to(torch.float64).numpy().copy(), (sympy.Matrix(value.tolist()) if exact else None)
    if isinstance(value, sympy.MatrixBase):
        value = value.tolist()
    arr = np.array(value, dtype=object)
    if arr.size == 0:
        raise ShapeError(f"{name} is empty")
    flat = arr.reshape(-1)
    exact = all(_is_exact(e) for e in flat)
    try:
        numbers = [sympy.Rational(e.numerator, e.denominator) if isinstance(e, Fraction) else sympy.sympify(e)
                   for e in flat]
        floats = np.array([complex(e) for e in numbers]).reshape(arr.shape)
    except (TypeError, ValueError, sympy.SympifyError):
        raise InputError(f"{name} must hold real numbers (ints, fractions, strings such as '1/3', floats), "
                         f"got {value!r}") from None
    if np.abs(floats.imag).max() > 0:
        raise InputError(f"{name} must be real, got complex entries")
    exact_matrix = sympy.Matrix(np.array(numbers, dtype=object).reshape(arr.shape).tolist()) if exact else None
    return floats.real.astype(np.float64), exact_matrix


def _is_exact(e: Any) -> bool:
    if isinstance(e, (bool, float, complex, np.floating, np.complexfloating, sympy.Float)):
        return False
    if isinstance(e, (int, np.integer, Fraction, str)):
        return True
    return isinstance(e, sympy.Basic) and e.is_number and not e.has(sympy.Float)


def _check_exact(A: sympy.Matrix, b: sympy.Matrix) -> None:
    n = A.shape[0]
    square = (A * A - sympy.eye(n)).applyfunc(sympy.simplify)
    shift = (A * b + b).applyfunc(sympy.simplify)
    if not square.is_zero_matrix or not shift.is_zero_matrix:
        raise InputError(_message(f"A² − I = {square.tolist()}", f"Ab + b = {shift.T.tolist()[0]}"))


def _check_float(A: np.ndarray, b: np.ndarray) -> None:
    scale = max(1.0, float(np.abs(A).max()))
    square = float(np.abs(A @ A - np.eye(len(A))).max())
    shift = float(np.abs(A @ b + b).max())
    if square > FLOAT_TOLERANCE * scale ** 2 or shift > FLOAT_TOLERANCE * scale * max(1.0, float(np.abs(b).max())):
        raise InputError(_message(f"max |A² − I| = {square:.3g}", f"max |Ab + b| = {shift:.3g}")
                         + f" (floats are compared to a relative tolerance {FLOAT_TOLERANCE:g}; exact entries "
                         "such as fractions are checked exactly)")


def _message(square: str, shift: str) -> str:
    return (f"T(x) = Ax + b is not an involution (T∘T ≠ id): {square}, {shift}; a parity needs A² = I and "
            "Ab = −b, e.g. a reflection A = I − 2nnᵀ/(nᵀn) with b = c·n, or A = −I with any b")
