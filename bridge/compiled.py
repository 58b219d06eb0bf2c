"""`PolynomialMap`: a list of exact polynomials as one batched, differentiable torch module."""
from __future__ import annotations

from typing import Any, Sequence

import sympy
import torch
from torch import nn

from invariants.errors import BackendError, InputError, ShapeError

from .horner import horner_program
from .kernel import C_TYPES, Kernel, NativeProgram
from .plan import Plan, as_polynomials, build_plan

DEFAULT_CHUNK = 65_536
TABLE_BUDGET = 1 << 23  # entries of the monomial table (or Horner temporaries) per chunk (64 MB in float64)
METHODS = ("monomials", "horner", "fused")


class PolynomialMap(nn.Module):
    """Evaluates polynomials p_j(x) (or equivariant maps F_j(x) ∈ R^w) on batches: (..., n) →
    (..., m) (or (..., m, w)).  The exact sympy polynomials stay attached as ``.polynomials``.

    ``method`` chooses the evaluation (the numbers agree to rounding; measured in
    ``benchmarks/bridge.py``):

    * ``"monomials"`` (default) — every monomial built level by level from the previous degree,
      then one matrix product with the coefficients: few, large torch operations, the fastest
      for small batches and for Hessians;
    * ``"horner"`` — the shared multivariate Horner program (`bridge.horner`): far fewer
      operations for structured invariants, one torch operation each;
    * ``"fused"`` — the Horner program as one generated loop, the fastest at large batches.  On
      CPU (float32/float64) it is native C with one SIMD lane per row (`bridge.kernel`; needs a C
      compiler, compiles once per program and machine, cached on disk), with a generated reverse
      sweep as its backward: autograd saves only the input, so no batch is chunked.  On other
      devices it goes through ``torch.compile``.  Inside ``torch.compile``/``torch.export`` every
      method traces as plain torch operations.

    Under autograd, what the "monomials" and "horner" methods save for the backward grows with the
    batch (chunks do not bound it): wrap calls in `torch.utils.checkpoint`, or use ``"fused"``.

    Example:
        >>> import sympy, torch
        >>> x0, x1 = sympy.symbols("x0 x1")
        >>> f = PolynomialMap([x0**2 + x1**2, x0 * x1 / 3])
        >>> f(torch.tensor([[3.0, 6.0]], dtype=torch.float64))
        tensor([[45.,  6.]], dtype=torch.float64)
    """

    def __init__(self, polys: Any, variables: Sequence[sympy.Symbol] | None = None, *,
                 chunk_size: int = DEFAULT_CHUNK, dtype: torch.dtype = torch.float64, method: str = "monomials"):
        super().__init__()
        if method not in METHODS:
            raise InputError(f"method must be one of {METHODS}, got {method!r}")
        flat, variables, shape = as_polynomials(polys, variables)
        self.variables = list(variables)
        self.output_shape = shape
        self.polynomials = [p.as_expr() for p in flat]
        self.degrees = [p.total_degree() for p in flat]
        self.chunk_size = int(chunk_size)
        self.method = method
        self.register_buffer("anchor", torch.zeros(0, dtype=dtype), persistent=False)  # follows .to(device, dtype)
        if method != "monomials":
            self.program = horner_program(flat, len(variables))
            namespace: dict[str, Any] = {"torch": torch}
            exec(compile(self.program.source(), "<molien horner program>", "exec"), namespace)  # noqa: S102
            self._program = namespace["program"]
            self._fused: Any = None
            self._kernels: dict[torch.dtype, Kernel] = {}
            self._width = len(self.program.instructions)
            return
        plan = build_plan(flat, len(variables))
        self._levels = len(plan.parents)
        for k, (ps, fs) in enumerate(zip(plan.parents, plan.factors)):
            self.register_buffer(f"parents_{k}", torch.tensor(ps, dtype=torch.long), persistent=False)
            self.register_buffer(f"factors_{k}", torch.tensor(fs, dtype=torch.long), persistent=False)
        self.register_buffer("coefficients", _coefficient_matrix(plan, dtype), persistent=False)
        self.n_monomials = len(plan.monomials)
        self._width = self.n_monomials

    @property
    def n_inputs(self) -> int:
        return len(self.variables)

    @property
    def n_outputs(self) -> int:
        return self.output_shape[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.n_inputs:
            raise ShapeError(f"expected inputs of shape (..., {self.n_inputs}), got {tuple(x.shape)}")
        lead = x.shape[:-1]
        flat = x.reshape(-1, self.n_inputs).to(self.anchor.dtype)
        evaluate = self._evaluate if self.method == "monomials" else self._run_program
        rows = max(1, min(self.chunk_size, TABLE_BUDGET // self._width))  # bounded memory
        if self.method == "fused" and (self._native(flat) or not (torch.is_grad_enabled() and flat.requires_grad)):
            rows = flat.shape[0]  # nothing per row is kept: splitting would only add a copy
        if flat.shape[0] > rows and not torch.compiler.is_compiling():
            out = torch.cat([evaluate(part) for part in flat.split(rows)])
        else:
            out = evaluate(flat)
        return out.reshape(*lead, *self.output_shape)

    def _native(self, x: torch.Tensor) -> bool:
        return x.device.type == "cpu" and x.dtype in C_TYPES and not torch.compiler.is_compiling()

    def _run_program(self, x: torch.Tensor) -> torch.Tensor:
        if self.method == "horner" or torch.compiler.is_compiling():
            return self._program(x)
        if self._native(x):
            if x.dtype not in self._kernels:
                self._kernels[x.dtype] = Kernel(self.program, x.dtype)
            kernel = self._kernels[x.dtype]
            if torch.is_grad_enabled() and x.requires_grad:  # compile both parts at once
                return NativeProgram.apply(x, kernel.prepare("forward", "vjp"), self._program)
            return kernel.forward(x)
        if self._fused is None:
            # dynamic_threads: otherwise inductor fixes the loop's threading from the first call's
            # size, and a first call on one row leaves every later batch on a single core
            self._fused = torch.compile(self._program, dynamic=True, options={"cpp.dynamic_threads": True})
        try:
            return self._fused(x)
        except Exception as exc:  # inductor needs a working C++ toolchain
            raise BackendError(f"torch.compile could not fuse the Horner program ({type(exc).__name__}: {exc}); "
                               "install a C++ compiler (g++) or use method='horner'") from exc

    def _evaluate(self, x: torch.Tensor) -> torch.Tensor:
        # monomials × batch: each gather copies whole contiguous rows
        xt = x.t().contiguous()
        levels = [torch.ones_like(xt[:1]), xt]
        previous = xt
        for k in range(self._levels):
            previous = previous.index_select(0, getattr(self, f"parents_{k}")) * xt.index_select(0, getattr(self, f"factors_{k}"))
            levels.append(previous)
        return (self.coefficients.t() @ torch.cat(levels, dim=0)).t()

    def extra_repr(self) -> str:
        size = (f"{self.n_monomials} monomials" if self.method == "monomials"
                else f"{self.method}, {self.program.n_operations} operations")
        return f"{self.n_inputs} -> {tuple(self.output_shape)}, degrees {sorted(set(self.degrees))}, {size}"

    def _repr_latex_(self) -> str:
        body = ",\\; ".join(sympy.latex(p) for p in self.polynomials[:12])
        more = ",\\; \\dots" if len(self.polynomials) > 12 else ""
        return f"$\\left({body}{more}\\right)$"


def _coefficient_matrix(plan: Plan, dtype: torch.dtype) -> torch.Tensor:
    """The exact coefficients as floats (correctly rounded from 30 significant digits)."""
    table = torch.zeros(len(plan.monomials), plan.n_outputs, dtype=torch.float64)
    for (i, j), c in plan.coefficients.items():
        table[i, j] = float(sympy.N(c, 30))
    return table.to(dtype)
