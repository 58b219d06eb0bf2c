"""Invariant feature layers: compiled polynomials, conditioning, standardisation, save/load.

Conditioning (high-degree invariants overflow float32 and dominate training):

* ``normalize="root"`` — sign(f)·|f|^{1/deg f}: every feature scales like ‖x‖; invariant for any
  group (a function of an invariant).  The default choice for invariants.
* ``normalize="degree"`` — f(x)/q(x)^{deg f / 2} plus √q(x) as one extra feature, for an
  invariant positive definite quadratic form q (``norm=``, by default Σ x_i², which must then be
  invariant): scale-free shape features and one size feature; also equivariant for maps.
* ``standardize=True`` — an affine map per feature, fitted on data with `fit_standardization`
  (mean and standard deviation of each feature); invariant because it acts feature by feature.
  Use it on top of either choice above when a network trains on the features.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import sympy
import torch
from torch import nn

from invariants.catalogue.spec import load_spec
from invariants.covariants.covariants import covariant_generators_up_to, covariant_module
from invariants.errors import InputError
from invariants.groups.representation import as_representation
from invariants.parse import parse_number
from invariants.rings.ring import invariant_ring

from .cache import cached_polynomials, expr_terms, terms_expr
from .compiled import DEFAULT_CHUNK, PolynomialMap

FORMAT = "molien.bridge/1"
DTYPES = {"float64": torch.float64, "float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


class InvariantFeatures(nn.Module):
    """Compiled polynomials with optional conditioning and standardisation.

    Example:
        >>> import sympy, torch
        >>> x, y = sympy.symbols("x0 x1")
        >>> layer = compile_polynomials([x**2 + y**2, x**3 * y], normalize="root")
        >>> layer(torch.tensor([[3.0, 12.0]], dtype=torch.float64))
        tensor([[12.3693,  4.2426]], dtype=torch.float64)
    """

    def __init__(self, polys: Any, variables: Sequence[sympy.Symbol] | None = None, *, normalize: str | None = None,
                 norm: Any = None, standardize: bool = False, chunk_size: int = DEFAULT_CHUNK,
                 dtype: torch.dtype = torch.float64, eps: float = 1e-12, method: str = "auto"):
        super().__init__()
        if normalize not in (None, "root", "degree"):
            raise InputError(f"normalize must be None, 'root' or 'degree', got {normalize!r}")
        if not isinstance(dtype, torch.dtype) or not (dtype.is_floating_point or dtype.is_complex):
            raise InputError(f"dtype must be a floating-point torch.dtype such as torch.float64, got {dtype!r}")
        self.polys = PolynomialMap(polys, variables, chunk_size=chunk_size, dtype=dtype, method=method)
        self.normalize = normalize
        self.eps = eps
        equivariant = len(self.polys.output_shape) > 1
        if normalize == "root" and equivariant:
            raise InputError("normalize='root' acts component by component and breaks equivariance; use 'degree'")
        if normalize == "degree":
            if norm is None:
                norm = sum(v**2 for v in self.polys.variables)
            self.norm = PolynomialMap([norm], self.polys.variables, chunk_size=chunk_size, dtype=dtype, method=method)
            if self.norm.degrees != [2]:
                raise InputError(f"the norm must be a quadratic form, got {norm}")
        else:
            self.norm = None
        degrees = torch.tensor(self.polys.degrees, dtype=dtype).reshape(self.polys.output_shape)
        self.register_buffer("degree", degrees, persistent=False)
        uniform = set(self.polys.degrees)
        self._uniform_degree = uniform.pop() if len(uniform) == 1 else None
        width = self.polys.n_outputs + (1 if normalize == "degree" and not equivariant else 0)
        self.standardize = standardize
        self.register_buffer("mean", torch.zeros(width, dtype=dtype))
        self.register_buffer("std", torch.ones(width, dtype=dtype))

    # what `invariant_layer` keeps of the engine: the exact ring (flint objects, which do not pickle)
    # travels as its representation's spec and is rebuilt on first use after torch.save or deepcopy
    _ring: Any = None
    _ring_spec: Any = None
    _uniform_degree: int | None = None   # one degree for all outputs: a cheaper root (rsqrt for 2)

    @property
    def ring(self) -> Any:
        """The `invariants.InvariantRing` an `invariant_layer` was built from (None otherwise)."""
        if self._ring is None and self._ring_spec is not None:
            self._ring = invariant_ring(load_spec(self._ring_spec))
        return self._ring

    @ring.setter
    def ring(self, ring: Any) -> None:
        self._ring, self._ring_spec = ring, None if ring is None else ring.representation.spec_or_none

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_ring", None)
        return state

    @property
    def polynomials(self) -> list[sympy.Expr]:
        return self.polys.polynomials

    @property
    def variables(self) -> list[sympy.Symbol]:
        return self.polys.variables

    @property
    def n_features(self) -> int:
        return self.mean.shape[0]

    def raw(self, x: torch.Tensor) -> torch.Tensor:
        """Features before standardisation."""
        f = self.polys(x)
        if self.normalize == "root":
            # f·(|f| + ε)^{1/d − 1}: sign(f)|f|^{1/d} up to a relative ε/|f|, smooth through 0;
            # pow with a tensor exponent costs 4x rsqrt and 2x exp∘log (forward and backward)
            size, d = f.abs() + self.eps, self._uniform_degree
            if d == 2:
                return f * torch.rsqrt(size)
            if d is not None:
                return f * size ** (1.0 / d - 1.0)
            return f * torch.exp(torch.log(size) * (1.0 / self.degree - 1.0))
        if self.normalize == "degree":
            q = self.norm(x)[..., 0].clamp_min(self.eps)
            q = q.reshape(q.shape + (1,) * self.degree.dim())
            shaped = f / q ** (self.degree / 2)
            if self.degree.dim() > 1:  # equivariant maps: the size √q is `self.norm`'s business
                return shaped
            return torch.cat([shaped, q.sqrt()], dim=-1)
        return f

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.raw(x)
        if self.standardize:
            f = (f - self.mean) / self.std
        return f

    @torch.no_grad()
    def fit_standardization(self, x: torch.Tensor, *, center: bool = True) -> "InvariantFeatures":
        """Fit the per-feature mean and standard deviation on data (and switch standardisation on).
        ``center=False`` only divides, by the root mean square: a polynomial in the features then
        keeps its degree in the inputs (a homogeneous target stays homogeneous)."""
        f = self.raw(x).reshape(-1, self.n_features)
        if center:
            self.mean.copy_(f.mean(0))
            self.std.copy_(f.std(0).clamp_min(1e-12))
        else:
            self.mean.zero_()
            self.std.copy_(f.pow(2).mean(0).sqrt().clamp_min(1e-12))
        self.standardize = True
        return self

    def extra_repr(self) -> str:
        return f"normalize={self.normalize!r}, standardize={self.standardize}"

    def _repr_latex_(self) -> str:
        return self.polys._repr_latex_()

    # -- plain-data save and load (JSON; never pickle) --------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "variables": [str(v) for v in self.variables],
            "polynomials": _nest([expr_terms(p, self.variables) for p in self.polynomials], self.polys.output_shape),
            "normalize": self.normalize,
            "norm": expr_terms(self.norm.polynomials[0], self.variables) if self.norm is not None else None,
            "standardize": self.standardize,
            "mean": [float(v) for v in self.mean.double()],
            "std": [float(v) for v in self.std.double()],
            "eps": self.eps,
            "method": self.polys.method,
            "dtype": str(self.mean.dtype).replace("torch.", ""),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "InvariantFeatures":
        if data.get("format") != FORMAT:
            raise InputError(f"not a molien bridge file (format {data.get('format')!r}, expected {FORMAT!r})")
        variables = [sympy.Symbol(v) for v in data["variables"]]
        polys = [[terms_expr(c, variables) for c in p] if isinstance(p, list) else terms_expr(p, variables)
                 for p in data["polynomials"]]
        norm = terms_expr(data["norm"], variables) if data.get("norm") else None
        dtype = DTYPES.get(data.get("dtype", "float64"))
        if dtype is None:
            raise InputError(f"a bridge file's dtype is one of {', '.join(DTYPES)}, not {data.get('dtype')!r}")
        layer = cls(polys, variables, normalize=data["normalize"], norm=norm, standardize=data["standardize"],
                    dtype=dtype, eps=data.get("eps", 1e-12),
                    method=data.get("method", "monomials"))  # files without a method predate "auto": the plan they ran
        for name in ("mean", "std"):
            values = data.get(name)
            if not (isinstance(values, list) and len(values) == layer.mean.numel()
                    and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)):
                raise InputError(f"a bridge file's {name!r} is a list of {layer.mean.numel()} numbers (one per "
                                 f"feature), got {str(values)[:80]}")
            getattr(layer, name).copy_(torch.tensor(values, dtype=torch.float64))
        return layer


def compile_polynomials(polys: Any, variables: Sequence[sympy.Symbol] | None = None, **options: Any) -> InvariantFeatures:
    """Compile exact polynomials (or equivariant maps: lists of components) into a torch module.

    Options: ``normalize`` (None, "root", "degree"), ``norm``, ``standardize``, ``chunk_size``,
    ``dtype``, ``method`` ("auto", the default: the native "fused" kernel on CPU when a C compiler
    works, else the faster of "monomials" and "horner"; see `PolynomialMap`).  See the module
    docstring for which conditioning to use when.

    Example:
        >>> import sympy, torch
        >>> x = sympy.symbols("x0:3")
        >>> f = compile_polynomials([sum(v**k for v in x) for k in (1, 2, 3)])
        >>> f(torch.ones(2, 3, dtype=torch.float64)).tolist()
        [[3.0, 3.0, 3.0], [3.0, 3.0, 3.0]]
    """
    return InvariantFeatures(polys, variables, **options)


def invariant_layer(rep: Any, degree_bound: int | None = None, normalize: str | None = "root", **options: Any) -> InvariantFeatures:
    """The minimal generators of a group's invariant ring (up to ``degree_bound``) as a layer;
    ``rep`` is anything `invariants.invariant_ring` accepts, or a spec for `load_spec`.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> layer = invariant_layer(symmetric(3), normalize=None)
        >>> layer.polynomials
        [x0 + x1 + x2, x0**2 + x1**2 + x2**2, x0**3 + x1**3 + x2**3]
    """
    if isinstance(rep, (str, dict)):
        rep = load_spec(rep)
    ring = invariant_ring(rep)
    variables = sympy.symbols(f"x0:{ring.n}")
    spec = ring.representation.spec_or_none
    compute = lambda: list(ring.generators if degree_bound is None else ring.generators_up_to(degree_bound))  # noqa: E731
    gens = compute() if spec is None else cached_polynomials(
        {"what": "invariant generators", "spec": spec, "degree_bound": degree_bound}, variables, compute)
    if not gens:
        raise InputError(f"no invariants of degree <= {degree_bound}: raise degree_bound")
    layer = InvariantFeatures(gens, list(variables), normalize=normalize, **options)
    layer.ring = ring
    return layer


def equivariant_layer(V: Any, W: Any, degree_bound: int | None = None, normalize: str | None = None,
                      **options: Any) -> InvariantFeatures:
    """The generators e_j of the equivariant maps V → W as a layer (..., n) → (..., m, dim W):
    the minimal generators of the covariant module (all of them, certified for finite groups),
    or those of degree <= ``degree_bound``.

    Example:
        >>> from invariants.groups.compact import SO
        >>> layer = equivariant_layer(SO(3).vectors(2), SO(3).vector(), degree_bound=2)
        >>> layer.polys.output_shape
        (3, 3)
    """
    V, W = (as_representation(load_spec(r) if isinstance(r, (str, dict)) else r) for r in (V, W))
    variables = sympy.symbols(f"x0:{V.dim}")
    compute = lambda: [list(g) for g in (covariant_module(V, W).generators if degree_bound is None  # noqa: E731
                                         else covariant_generators_up_to(V, W, degree_bound))]
    specs = (V.spec_or_none, W.spec_or_none)
    gens = compute() if None in specs else cached_polynomials(
        {"what": "covariant generators", "spec": specs[0], "target": specs[1], "degree_bound": degree_bound},
        variables, compute)
    return InvariantFeatures(gens, list(variables), normalize=normalize, **options)


def save(layer: InvariantFeatures, path: str | Path) -> None:
    """Write the layer as JSON: exact polynomials (terms with exact coefficients), options and
    fitted statistics."""
    Path(path).write_text(json.dumps(layer.to_dict()))


def load(path: str | Path) -> InvariantFeatures:
    """Read a layer written by `save`: identical outputs, exact polynomials included."""
    return InvariantFeatures.from_dict(json.loads(Path(path).read_text()))


def _nest(items: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return items
    width = shape[1]
    return [items[i * width:(i + 1) * width] for i in range(shape[0])]

