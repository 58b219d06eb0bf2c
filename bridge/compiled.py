"""`PolynomialMap`: a list of exact polynomials as one batched, differentiable torch module."""
from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import sympy
import torch
from torch import nn

from invariants.errors import BackendError, InputError, ShapeError

from .horner import horner_program
from .kernel import C_TYPES, Kernel, NativeProgram, native_unavailable, too_large_to_compile
from .plan import Plan, as_polynomials, build_plan, plan_size

DEFAULT_CHUNK = 65_536
TABLE_BUDGET = 1 << 23  # entries of the monomial table (or Horner temporaries) per chunk (64 MB in float64)
METHODS = ("auto", "monomials", "horner", "fused")
# The pure-torch cost model of method="auto" (seconds per call; eager CPU, float64; fitted on the
# measurements of `python benchmarks/bridge.py --torch-rule`, see `PolynomialMap`): a fixed cost
# for dispatching the torch operations plus arithmetic per row.
HORNER_OP = 1.3e-6       # per Horner instruction: one eager torch operation each
HORNER_ROW = 0.65e-9     # per Horner operation and row
MONOMIAL_CALL = 30e-6    # per call of the monomial plan ...
MONOMIAL_LEVEL = 7e-6    # ... and per degree level (a gather and a product each)
MONOMIAL_ROW = 0.35e-9   # per monomial × (outputs + 1) and row: the gather and the contraction


class PolynomialMap(nn.Module):
    """Evaluates polynomials p_j(x) (or equivariant maps F_j(x) ∈ R^w) on batches: (..., n) →
    (..., m) (or (..., m, w)).  The exact sympy polynomials stay attached as ``.polynomials``.

    ``method`` chooses the evaluation (the numbers agree to rounding; measured in
    ``benchmarks/bridge.py``):

    * ``"auto"`` (default) — chosen on every call from the input's device and dtype (and batch
      size), see `resolved_method`: on CPU in float32/float64 with a working C compiler, the
      native ``"fused"`` kernel (the fastest method there at every batch size, 1 row included);
      otherwise (no compiler, float16, GPU) the faster of ``"monomials"`` and ``"horner"`` by a
      cost model (below).  Inside ``torch.compile``/``torch.export`` it traces the Horner program
      (the form inductor fuses), or the monomial plan for the rare sets where the cost model
      never prefers the program.
    * ``"monomials"`` — every monomial built level by level from the previous degree, then one
      matrix product with the coefficients: few, large torch operations, the fastest pure-torch
      method for small batches and for Hessians;
    * ``"horner"`` — the shared multivariate Horner program (`bridge.horner`): far fewer
      operations for structured invariants, one torch operation each;
    * ``"fused"`` — the Horner program as one generated loop, the fastest at large batches.  On
      CPU (float32/float64) it is native C with one SIMD lane per row (`bridge.kernel`; needs a C
      compiler, compiles once per program and machine, cached on disk), with a generated reverse
      sweep as its backward: autograd saves only the input, so no batch is chunked.  On other
      devices it goes through ``torch.compile``.  Inside ``torch.compile``/``torch.export`` every
      method traces as plain torch operations.

    The pure-torch rule of ``"auto"``: the Horner program costs one eager torch operation per
    instruction per call (``HORNER_OP``) plus ``HORNER_ROW`` per operation and row; the monomial
    plan a fixed ``MONOMIAL_CALL + MONOMIAL_LEVEL``·(degree − 1) plus ``MONOMIAL_ROW`` per
    monomial × (outputs + 1) and row.  So "monomials" below a crossover batch and "horner" from it
    on (``extra_repr`` shows it), "monomials" throughout when the program is not cheaper per row.
    Measured (``python benchmarks/bridge.py --torch-rule --threads 1``,
    results/bridge-torch-rule.md; one thread, because on the shared 2-core machine a core busy
    with other work stalls every 2-thread operation): the benchmark's eight sets — S8 power sums
    (p1..p8), S8 and S6 elementary, W(E6), the SO(3) ℓ ≤ 4 bispectrum, O(5) on 2 vectors, the
    SO(3) Gram invariants of 3 vectors, D7 to degree 7 — at 1, 10³ and 10⁵ rows, forward and
    forward+backward (47 measurements).  The crossovers come out at 0 rows (S6, D7: short
    programs), 8 (S8 elementary) and 296–658 (the others).  The pick ran at ≥ 0.61 of the faster
    method, median 1.00; the misses are at 10³ rows, near a crossover (O(5) 0.61, the bispectrum
    and p1..p8 0.73).  Always "horner" falls to 0.02 (W(E6) at 1 row: 4558 eager operations per
    call), always "monomials" to 0.07 (S8 elementary at 10⁵ rows), median 0.65.  An earlier
    2-thread run on a quieter machine (53 measurements) gave ≥ 0.81 for the pick.  The constants
    are CPU figures.  On a GPU every operation is a kernel launch, so the crossovers there are
    likely higher (not measured: the project's machines have no GPU).

    Under autograd, what the "monomials" and "horner" methods save for the backward grows with the
    batch (chunks do not bound it): wrap calls in `torch.utils.checkpoint`, or use ``"fused"``.

    Example:
        >>> import sympy, torch
        >>> x0, x1 = sympy.symbols("x0 x1")
        >>> f = PolynomialMap([x0**2 + x1**2, x0 * x1 / 3])
        >>> f(torch.tensor([[3.0, 6.0]], dtype=torch.float64))
        tensor([[45.,  6.]], dtype=torch.float64)
        >>> f.last_method in ("fused", "horner", "monomials")
        True
        >>> f.resolved_method(dtype=torch.float16)  # no C kernel for float16: pure torch
        'horner'
    """

    def __init__(self, polys: Any, variables: Sequence[sympy.Symbol] | None = None, *,
                 chunk_size: int = DEFAULT_CHUNK, dtype: torch.dtype = torch.float64, method: str = "auto"):
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
        self.last_method: str | None = None  # what the last call evaluated with (eager calls)
        self.register_buffer("anchor", torch.zeros(0, dtype=dtype), persistent=False)  # follows .to(device, dtype)
        self._flat = flat if method == "auto" else None  # "auto" builds the monomial plan only when it runs it
        self._levels: int | None = None
        self.horner_from: int | None = None  # "auto" without a C kernel: Horner from this batch size on
        if method != "monomials":
            self.program = horner_program(flat, len(variables))
            # "auto": per (device type, dtype), why no native kernel runs (None: it does); decided once,
            # since a call's routing is on the critical path of small batches
            self._why: dict[tuple[str, torch.dtype], str | None] = {}
            self._runtime()
        if method == "auto":
            self.horner_from = _horner_from(self.program, *plan_size(flat, len(variables)), len(flat))
        if method == "monomials" or (method == "auto" and self.horner_from is None):
            self._build_plan(flat)  # otherwise on first use: a set that only ever runs fused never needs it

    def _runtime(self) -> None:
        """What is rebuilt rather than copied or pickled: the program as Python code, and the
        compiled kernels (loaded C libraries; reloaded from the disk cache on the next call)."""
        namespace: dict[str, Any] = {"torch": torch}
        exec(compile(self.program.source(), "<molien horner program>", "exec"), namespace)  # noqa: S102
        self._program = namespace["program"]
        self._fused: Any = None
        self._kernels: dict[torch.dtype, Kernel] = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for key in ("_program", "_fused", "_kernels"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        if "program" in state:
            self._runtime()

    @property
    def n_inputs(self) -> int:
        return len(self.variables)

    @property
    def n_outputs(self) -> int:
        return self.output_shape[0]

    def resolved_method(self, device: Any = None, dtype: torch.dtype | None = None, rows: int | None = None) -> str:
        """The evaluation a call runs on ``device`` in ``dtype`` (default: the module's) with
        ``rows`` rows (None: a large batch): "fused", "horner" or "monomials".  Only "auto"
        depends on them; the C compiler is checked once per process.

        Example:
            >>> import sympy, torch
            >>> x = sympy.symbols("x0:8")
            >>> f = PolynomialMap([sum(v**k for v in x) for k in range(1, 9)])  # power sums p1..p8
            >>> f.resolved_method("meta", rows=1), f.resolved_method("meta", rows=10**5), f.horner_from
            ('monomials', 'horner', 594)
        """
        device = torch.device(device) if device is not None else self.anchor.device
        return self._resolve(device, dtype or self.anchor.dtype, rows)[0]

    def _resolve(self, device: torch.device, dtype: torch.dtype, rows: int | None) -> tuple[str, str]:
        """(method, why)."""
        if self.method != "auto":
            return self.method, "chosen"
        if torch.compiler.is_compiling():
            why = "traced"
        else:
            key = (device.type, dtype)
            if key not in self._why:
                self._why[key] = (f"{device.type} device" if device.type != "cpu" else
                                  f"no C kernel for {str(dtype).removeprefix('torch.')}" if dtype not in C_TYPES else
                                  f"{self.program.n_operations:,} operations, too many to compile"
                                  if too_large_to_compile(self.program) else native_unavailable())
            why = self._why[key]
            if why is None:
                return "fused", "native C"
        if self.horner_from is None:
            return "monomials", why
        return ("horner" if rows is None or rows >= self.horner_from else "monomials"), why

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.n_inputs:
            raise ShapeError(f"expected inputs of shape (..., {self.n_inputs}), got {tuple(x.shape)}")
        lead = x.shape[:-1]
        flat = x.reshape(-1, self.n_inputs).to(self.anchor.dtype)
        compiling = torch.compiler.is_compiling()
        method = self._choose(flat, compiling)
        if not compiling:
            self.last_method = method
        if method == "monomials":
            evaluate, width = self._evaluate, self.n_monomials
        else:
            evaluate = self._program if method == "horner" else self._run_program
            width = len(self.program.instructions)
        rows = max(1, min(self.chunk_size, TABLE_BUDGET // width))  # bounded memory
        if method == "fused" and (self._native(flat) or not (torch.is_grad_enabled() and flat.requires_grad)):
            rows = flat.shape[0]  # nothing per row is kept: splitting would only add a copy
        if flat.shape[0] > rows and not compiling:
            out = torch.cat([evaluate(part) for part in flat.split(rows)])
        else:
            out = evaluate(flat)
        return out.reshape(*lead, *self.output_shape)

    def _choose(self, x: torch.Tensor, compiling: bool) -> str:
        """This call's method; for "auto" a native kernel that fails to build falls back to torch."""
        method, _ = self._resolve(x.device, x.dtype, None if compiling else x.shape[0])
        if self.method == "auto" and method == "fused":
            try:
                self._kernel(x.dtype, torch.is_grad_enabled() and x.requires_grad)
            except BackendError as exc:
                self._why[(x.device.type, x.dtype)] = "C kernel failed"
                warnings.warn(f"method='auto' falls back to torch for {x.dtype}: {exc}", RuntimeWarning, stacklevel=3)
                method, _ = self._resolve(x.device, x.dtype, x.shape[0])
        if method == "monomials" and self._levels is None:
            self._build_plan(self._flat)
        return method

    def _build_plan(self, flat: list) -> None:
        plan = build_plan(flat, self.n_inputs)
        device = self.anchor.device
        for k, (ps, fs) in enumerate(zip(plan.parents, plan.factors)):
            self.register_buffer(f"parents_{k}", torch.tensor(ps, dtype=torch.long, device=device), persistent=False)
            self.register_buffer(f"factors_{k}", torch.tensor(fs, dtype=torch.long, device=device), persistent=False)
        self.register_buffer("coefficients", _coefficient_matrix(plan, self.anchor.dtype).to(device), persistent=False)
        self.n_monomials = len(plan.monomials)
        self._levels = len(plan.parents)
        self._flat = None

    def _native(self, x: torch.Tensor) -> bool:
        return x.device.type == "cpu" and x.dtype in C_TYPES and not torch.compiler.is_compiling()

    def _kernel(self, dtype: torch.dtype, backward: bool) -> Kernel:
        if dtype not in self._kernels:
            self._kernels[dtype] = Kernel(self.program, dtype)
        return self._kernels[dtype].prepare("forward", "vjp") if backward else self._kernels[dtype].prepare("forward")

    def _run_program(self, x: torch.Tensor) -> torch.Tensor:
        """The "fused" evaluation."""
        if torch.compiler.is_compiling():
            return self._program(x)
        if self._native(x):
            if torch.is_grad_enabled() and x.requires_grad:  # compile both parts at once
                return NativeProgram.apply(x, self._kernel(x.dtype, True), self._program)
            return self._kernel(x.dtype, False).forward(x)
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
        table = torch.cat(levels, dim=0)
        out = self.coefficients.t() @ table
        # an overflowing monomial (inf) times a zero coefficient would make every output of its row
        # NaN; those rows are summed again over their nonzero coefficients only
        if torch.compiler.is_compiling() or out.device.type == "meta":  # no data-dependent branch in traced graphs
            return out.t()
        broken = torch.isnan(out).any(0)
        if bool(broken.any()):
            out = out.clone()
            out[:, broken] = self._sparse_contraction(table[:, broken])
        return out.t()

    def _sparse_contraction(self, table: torch.Tensor) -> torch.Tensor:
        monomial, output = torch.nonzero(self.coefficients, as_tuple=True)
        terms = table.index_select(0, monomial) * self.coefficients[monomial, output][:, None]
        out = torch.zeros(self.coefficients.shape[1], table.shape[1], dtype=table.dtype, device=table.device)
        return out.index_add(0, output, terms)

    def extra_repr(self) -> str:
        if self.method == "monomials":
            size = f"{self.n_monomials} monomials"
        elif self.method == "auto":
            size = f"{self._describe_auto()}, {self.program.n_operations} operations"
        else:
            size = f"{self.method}, {self.program.n_operations} operations"
        return f"{self.n_inputs} -> {tuple(self.output_shape)}, degrees {sorted(set(self.degrees))}, {size}"

    def _describe_auto(self) -> str:
        """``auto (fused: native C)``, ``auto (horner: no C compiler)``, ... on the module's device and dtype."""
        method, why = self._resolve(self.anchor.device, self.anchor.dtype, None)
        if method == "horner" and self.horner_from:
            method = f"horner from {self.horner_from:,} rows, monomials below"
        return f"auto ({method}: {why})"

    def _repr_latex_(self) -> str:
        body = ",\\; ".join(sympy.latex(p) for p in self.polynomials[:12])
        more = ",\\; \\dots" if len(self.polynomials) > 12 else ""
        return f"$\\left({body}{more}\\right)$"


def _horner_from(program: Any, monomials: int, degree: int, outputs: int) -> int | None:
    """The batch size from which the cost model prefers the Horner program to the monomial plan
    (None: never).  Per call, horner − monomials = fixed − rows · per_row."""
    fixed = HORNER_OP * len(program.instructions) - MONOMIAL_CALL - MONOMIAL_LEVEL * max(degree - 1, 0)
    per_row = MONOMIAL_ROW * monomials * (outputs + 1) - HORNER_ROW * program.n_operations
    if per_row <= 0:
        return None  # the program is not cheaper per row: only small batches could prefer it, and barely
    return max(0, math.ceil(fixed / per_row))


def _coefficient_matrix(plan: Plan, dtype: torch.dtype) -> torch.Tensor:
    """The exact coefficients as floats (correctly rounded from 30 significant digits)."""
    table = torch.zeros(len(plan.monomials), plan.n_outputs, dtype=torch.float64)
    for (i, j), c in plan.coefficients.items():
        table[i, j] = float(sympy.N(c, 30))
    return table.to(dtype)
