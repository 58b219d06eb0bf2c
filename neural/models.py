"""Models on the bridge: invariant features → MLP, and Σ_j MLP_j(invariants)·e_j(x) over
equivariant generators e_j.

Both are plain `nn.Module`s; invariance/equivariance holds by construction (the features are
exact invariants, the e_j exact equivariants), up to floating point.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Sequence

import sympy

import torch
from torch import nn

from bridge import compile_polynomials, invariant_layer
from invariants.errors import InputError, ShapeError

from .baselines import MLP
from .pair_sum import PairSum
from .blend import beats_zero, blend_weight, SIGNIFICANT
from .kernel_ridge import MAX_SAMPLES as KERNEL_SAMPLES, KernelRidge, kernel_extrapolation_mse
from .polynomial_path import EquivariantPath, PolynomialPath, affordable_degree, count_monomials
from .sparse_path import SparseEquivariantPath, SparsePath, affordable_sparse_degree


MAX_PATH_MONOMIALS = 2000  # columns of a candidate polynomial path (its leave-one-out costs their cube)
SPARSE_MIN_SAMPLES = 40    # a sparse path is chosen on half the samples and scored on the other half
EXTRAPOLATION_SLACK = 2.0  # a path explaining most of the target is kept if it extrapolates within this factor of kernel ridge
MAP_SCALE_SAMPLES = 4000   # samples that set each equivariant map's scale
PATH_EXPLAINS = 0.1        # a path is kept when its leave-one-out error is below this share of the target's variance (power)
SPARSE_COLUMNS = 60_000    # products of a map and a monomial a sparse equivariant path searches
SPARSE_KEEPS = 0.9         # a sparse equivariant path is kept when its held-out error is below this share of the target's power


class InvariantModel(nn.Module):
    """f(x) = path(invariants(x)) + MLP(invariants(x)), answering in the units of the targets.

    ``features`` is a bridge layer, or anything `bridge.invariant_layer` accepts (a group, a
    representation, a spec such as ``"O(3):4xv"``).  Before gradient training, `prepare` (called by
    `neural.training.fit` on the training data) fits the closed-form parts:

    * the targets are standardised (mean, spread), so losses are comparable across tasks and a
      heavy-tailed target does not set the step size;
    * ``path="auto"`` (default) fits candidate polynomial paths in closed form, their degree and
      ridge by exact leave-one-out (`neural.ridge`): on the raw generators, weighted by their
      degree in the inputs, up to three times the largest generator degree, all terms up to a
      degree or those of exactly one degree (a homogeneous target, e.g. a determinant times inner
      products, needs far fewer samples then); on the root-conditioned generators
      (sign(f)|f|^(1/deg): each scales like ‖x‖, so a power of a norm is a monomial), up to degree
      3; on those with their pairwise products, degree 1; and when the raw generators' monomials
      outgrow a dense fit (SO(3) on 8 vectors: ~37,000 of degree 7), a `SparsePath` of the few
      monomials orthogonal matching pursuit finds among them, scored on held-out samples (a sum of
      a few interactions, e.g. determinants times inner products of neighbours, is such a target).
      The best path is kept if it beats kernel ridge regression on the generators (the
      closed-form stand-in for the network alone) in leave-one-out error, or if it explains at
      least 90% of the target (error ≤ `PATH_EXPLAINS` of the variance) and extrapolates about
      as well as kernel ridge (both refitted on the same samples, at most kernel ridge's 1000: the
      80% nearest the origin, scored on the rest: test errors are made in the tails, where a path
      of a bounded target blows up).
      Why: a polynomial of the invariants is then fitted exactly from few samples, which an MLP
      cannot do, while a path that explains little, or only inside the data, adds polynomial
      tails the MLP has to undo; without a path the MLP gets the raw or root features, whichever
      kernel ridge regression prefers.  An int fixes the path's maximal degree on the given features; None
      uses the MLP alone;
    * a path's features are divided by their root mean square (not centred: a path keeps its
      degree); the MLP's are standardised (centred, unit variance), as a network's inputs should
      be: an invariant with a large mean (a squared norm) would otherwise shift every first-layer
      unit alike; the networks start at zero (the model at the path, or the training mean): they
      learn the residual, and early stopping never keeps a random function worse than that;
    * a path that does worse than the training mean on the validation data `fit` is given (passed
      to `prepare` as ``val``) is dropped: leave-one-out error, minimised over degrees, ridges and
      feature sets, is optimistic from few samples.

    After training, `settle` (called by `fit` with its validation data) blends the model with the
    kernel ridge regression `prepare` chose as the network's stand-in, by the validation-optimal
    weight; ``settle=False`` keeps the trained model alone.

    On k ≥ 3 copies of one representation V (``"O(3):8xv"``: points, particles), ``pairs="auto"``
    (default) adds a `PairSum` beside the MLP: one network of the invariants of V ⊕ V summed over
    the pairs of copies.  Why: the invariants of V^k grow like k² (inner products) or k³
    (determinants), and an MLP on all of them must learn from few samples that a target is a sum
    over pairs (energies, kernels of distances), which the pair sum has by construction
    (benchmarks/generalisation.py, O(3) on 8 points, Σ exp(−distance²) + sin(x₁·x₂), N = 1000:
    test error 0.072 -> 0.0064 of the variance, 3 seeds); interactions of three or more copies stay with
    the MLP.  A path must then also beat the pair sum's closed-form stand-in (kernel ridge with an
    additive kernel over the pairs), also when it explains 90% of the target: a quadratic path
    explaining 89-91% of a sum over pairs would otherwise leave the networks only its overfitted
    residual (5 points, N = 1000: 0.090 -> 0.003).
    ``pairs=False`` leaves it out.

    Example:
        >>> import torch
        >>> from neural.training import fit
        >>> x = torch.randn(200, 6, dtype=torch.float64)
        >>> y = (x[:, :3] * x[:, 3:]).sum(1, keepdim=True) ** 2       # (v1·v2)², O(3)-invariant
        >>> model = InvariantModel("O(3):2xv", channels=16)
        >>> history = fit(model, (x, y), (x, y), epochs=1, progress=False)
        >>> float((model(x) - y).abs().max().detach()) < 1e-6   # the path found the polynomial
        True
    """

    def __init__(self, features: Any, out_size: int = 1, *, degree_bound: int | None = None,
                 normalize: str | None = "root", channels: int = 384, layers: int = 3, path: str | int | None = "auto",
                 pairs: str | bool = "auto", settle: bool = True, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.settles = bool(settle)
        if path not in ("auto", None) and not (isinstance(path, int) and path >= 1):
            raise InputError(f"path must be 'auto', None or a degree >= 1, got {path!r}")
        if pairs not in ("auto", True, False):
            raise InputError(f"pairs must be 'auto', True or False, got {pairs!r}")
        if not isinstance(features, nn.Module):
            features = invariant_layer(features, degree_bound=degree_bound, normalize=normalize, dtype=dtype)
        self.features = features
        self.pair_sum = _pair_sum(features, pairs, out_size, degree_bound, dtype)
        self.path_mode, self.channels, self.layers, self.out_size = path, channels, layers, out_size
        self.mlp = MLP(features.n_features, out_size, channels=channels, layers=layers).to(dtype)
        self.path = (PolynomialPath(features.n_features, out_size, max_degree=path, dtype=dtype)
                     if isinstance(path, int) else None)
        self.path_features: nn.Module | None = features if isinstance(path, int) else None
        self.register_buffer("y_shift", torch.zeros(out_size, dtype=dtype))
        self.register_buffer("y_scale", torch.ones(out_size, dtype=dtype))
        _add_candidate_slot(self, dtype)
        self.prepared = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x).to(self.y_scale.dtype)
        out = self.mlp(f)
        if self.pair_sum is not None:
            out = out + self.pair_sum(x)
        if self.path is not None:
            g = f if self.path_features is self.features else self.path_features(x).to(f.dtype)
            out = out + self.path(g)
        if self.candidate is not None:
            u = self.pair_sum.pair_invariants(x) if self.candidate_features is None else self.candidate_features(x)
            out = self.blend * out + (1 - self.blend) * self.candidate(u).to(out.dtype)
        return out * self.y_scale + self.y_shift

    @torch.no_grad()
    def prepare(self, x: torch.Tensor, y: torch.Tensor, *, scale_targets: bool = True,
                val: tuple[torch.Tensor, torch.Tensor] | None = None) -> "InvariantModel":
        """Fit the closed-form parts on training data (see the class docstring); `fit` calls this
        once before the first epoch, with its validation data as ``val``.  ``scale_targets=False``
        keeps targets as they are (when a wrapper already standardised them)."""
        y = y.reshape(len(y), -1).to(torch.float64)
        if len(y) < 2:
            raise InputError("prepare needs at least two samples (fitting a polynomial path, standardising)")
        if y.shape[1] != self.out_size:
            raise ShapeError(f"the targets have {y.shape[1]} columns and the model {self.out_size} outputs: build "
                             f"InvariantModel(features, out_size={y.shape[1]})")
        if scale_targets:
            self.y_shift.copy_(y.mean(0))
            self.y_scale.copy_(y.std(0, correction=0).clamp_min(1e-12) if len(y) > 1 else torch.ones_like(y[0]))
        z = (y - self.y_shift.double()) / self.y_scale.double()
        if self.pair_sum is not None:
            self.pair_sum.fit_standardization(x)
        self._candidate = None
        if self.path_mode == "auto":
            self._choose_path(x, z)
            if val is not None and self.path is not None and not self._path_helps(*val):
                self.path_features, self.path = None, None
        else:
            self.features.fit_standardization(x)
            if self.path is not None:
                self.path.fit(self.features(x).double(), z)
        if self.path is not None:
            # the path is a closed-form fit: Adam's first steps on thousands of heavy-tailed monomial
            # weights would undo it, so it stays fixed and the networks learn the residual
            self.path.requires_grad_(False)
        # the networks start at zero, the model at the path or the training mean: early stopping
        # then never keeps a random function worse than that (benchmarks/generalisation.py, 3 seeds:
        # SO(3) on 8 points, a chiral target of degree 7, N = 100: 1.08 -> 1.012 of the variance;
        # O(3) on 5 points, Σ exp(-d²/4) + sin, N = 100: 0.185 -> 0.165; at N >= 1000 0.9-1.5x)
        for last in [self.mlp[-1]] + ([self.pair_sum.mlp[-1]] if self.pair_sum is not None else []):
            last.weight.zero_()
            last.bias.zero_()
        self.prepared = True
        return self

    def _choose_path(self, x: torch.Tensor, z: torch.Tensor) -> None:
        polys, variables = self.features.polynomials, self.features.variables
        dtype = self.y_scale.dtype  # the model's, after any .to(dtype)
        degrees = [_degree(p, variables) for p in polys]
        raw, root = (_standardized(polys, variables, n, dtype, x) for n in (None, "root"))
        # (features, weights, maximal degree): raw generators weighted by their degree in the inputs;
        # root-conditioned generators (each scales like ‖x‖), and those with their pairwise products
        paths = [(raw, degrees, 3 * max(degrees), True), (root, [1] * len(polys), 3, False)]
        if len(polys) * (len(polys) + 3) // 2 <= MAX_PATH_MONOMIALS:
            products = [sympy.expand(a * b) for i, a in enumerate(polys) for b in polys[i:]]
            paths.append((_standardized(polys + products, variables, "root", dtype, x), None, 1, False))
        best = None  # (leave-one-out or held-out MSE, features, path)
        for features, weights, degree, sparse_too in paths:
            weights = weights or [1] * features.n_features
            affordable = affordable_degree(weights, degree, MAX_PATH_MONOMIALS)
            if affordable:
                path = PolynomialPath(features.n_features, self.out_size, max_degree=affordable, weights=weights,
                                      dtype=dtype).fit(features(x), z, max_columns=MAX_PATH_MONOMIALS)
                if best is None or path.loo_mse < best[0]:
                    best = (path.loo_mse, features, path)
            # beyond the dense path's reach: a few monomials out of tens of thousands (raw generators)
            sparse = affordable_sparse_degree(weights, degree) if sparse_too else 0
            if sparse > affordable and len(x) >= SPARSE_MIN_SAMPLES:
                path = SparsePath(features.n_features, self.out_size, max_degree=sparse, weights=weights,
                                  dtype=dtype).fit(features(x), z)
                if best is None or path.holdout_mse < best[0]:
                    best = (path.holdout_mse, features, path)
        # the network alone, on the features where kernel ridge regression (a closed-form stand-in
        # for it) does best; or beside the best path, if that explains most of the target or beats
        # the kernel: a path explaining little adds polynomial tails the network then has to undo
        # generators of degree <= 2 (inner products) have light tails: the network takes them raw,
        # which suits sums of functions of distances; higher degrees by kernel ridge's preference
        candidates = (raw,) if max(degrees) <= 2 else (raw, root)
        alone = min(((KernelRidge.fit(f(x), z), f) for f in candidates), key=lambda c: c[0].loo_mse)
        # the kernel that settle blends with the trained networks
        self._candidate = alone
        networks, pairs = alone[0].loo_mse, float("inf")
        if self.pair_sum is not None:   # beside the MLP, the pair sum: an additive kernel over pairs
            kernel = KernelRidge.fit(self.pair_sum.pair_invariants(x), z)
            pairs = kernel.loo_mse
            if pairs < networks:
                self._candidate = (kernel, None)
            networks = min(networks, pairs)
        # explaining most of the target is not enough when the pair sum alone would explain more
        explains = (best is not None and best[0] <= PATH_EXPLAINS * float(z.var(0, correction=0).mean())
                    and best[0] <= pairs)
        # kernel ridge saw at most KERNEL_SAMPLES samples: the path is compared at that size too
        beats = best is not None and (best[0] if len(x) <= KERNEL_SAMPLES else _refit(
            best[2], best[1](x)[:KERNEL_SAMPLES].double(), z[:KERNEL_SAMPLES]).loo_mse) <= networks
        if best is not None and (beats or explains) and _extrapolates(best[2], best[1], alone[1], x, z):
            self.path_features, self.path = best[1], best[2]
        else:
            self.path_features, self.path = None, None
        # the network takes the features kernel ridge prefers, beside a path or not: a path's best
        # features (e.g. root-conditioned) need not be the network's (O(3) distances: raw).  Its own
        # copy, centred as well as scaled: only a path needs features that keep their degree, and an
        # uncentred squared norm (mean 3 for x ∈ R³ standard normal) shifts every first-layer unit
        # alike (o3_smooth of benchmarks/generalisation.py, 8 points, N = 1000: 0.091 -> 0.072)
        self.features = copy.deepcopy(alone[1]).fit_standardization(x)
        self._resize_mlp(dtype)

    @torch.no_grad()
    def settle(self, val: tuple[torch.Tensor, torch.Tensor]) -> str:
        """After training (`fit` calls this with its validation data), answer with
        w·(trained model) + (1 − w)·(kernel ridge regression), the weight w ∈ [0, 1] minimising the
        validation error (`neural.blend`).  The kernel is the closed-form stand-in `prepare` chose
        (``path="auto"``): Gaussian on the network's features, or additive over pairs of copies
        beside a `PairSum`.  Why: the two err in different places, and their blend errs less than
        either (O(3) on 8 points, Σ exp(−d²/4) + sin(x₁·x₂), 3 seeds: N = 100, 0.160 -> 0.121 of the
        variance; N = 1000, 0.0064 -> 0.0051).  Returns ``"network"`` (w = 1), ``"kernel"`` (w = 0)
        or ``"blend"``; ``settle=False`` keeps the network.

        Example:
            >>> import torch
            >>> from neural.training import fit
            >>> _ = torch.manual_seed(0)
            >>> x = torch.randn(300, 9, dtype=torch.float64)
            >>> p = x.reshape(300, 3, 3)
            >>> y = torch.exp(-(p[:, 0] - p[:, 1]).pow(2).sum(-1, keepdim=True))
            >>> model = InvariantModel("O(3):3xv", channels=16)
            >>> fit(model, (x[:200], y[:200]), (x[200:], y[200:]), epochs=50, progress=False).settled
            'blend'
            >>> 0 < float(model.blend) < 1
            True
        """
        candidate, self._candidate = getattr(self, "_candidate", None), None
        if not self.settles or candidate is None:
            return "network"
        _clear_candidate(self)   # the network is judged alone
        xv, yv = val[0], val[1].reshape(len(val[1]), -1).double()
        kernel, features = candidate
        network = _evaluated(self, xv)
        u = self.pair_sum.pair_invariants(xv) if features is None else features(xv)
        alone = kernel(u).double() * self.y_scale.double() + self.y_shift.double()
        weight = blend_weight(network, alone, yv)
        if weight == 1.0:
            return "network"
        self.candidate_features, self.candidate = features, kernel.to(self.y_scale.dtype)
        self.blend.fill_(weight)
        return "kernel" if weight == 0.0 else "blend"

    @torch.no_grad()
    def _path_helps(self, x: torch.Tensor, y: torch.Tensor) -> bool:
        """Whether the chosen path beats the training mean on held-out data.  Why: leave-one-out
        error, minimised over degrees, ridges and feature sets, is optimistic when samples are few
        (SO(3) on 5 points, a chiral target of degree 7, N = 100: a path with leave-one-out error
        0.30 of the variance scored 3.7 on the test set)."""
        z = (y.reshape(len(y), -1).double() - self.y_shift.double()) / self.y_scale.double()
        g = self.path_features(x.to(self.y_scale.dtype)).to(self.y_scale.dtype)
        return float((self.path(g).double() - z).pow(2).mean()) < float(z.pow(2).mean())

    def _resize_mlp(self, dtype: torch.dtype) -> None:
        if self.features.n_features != self.mlp[0].in_features:
            self.mlp = MLP(self.features.n_features, self.out_size, channels=self.channels,
                           layers=self.layers).to(dtype)

    @torch.no_grad()
    def fit_features(self, x: torch.Tensor) -> "InvariantModel":
        """Standardise the invariant features on training inputs (invariant: feature by feature)."""
        self.features.fit_standardization(x)
        if self.pair_sum is not None:
            self.pair_sum.fit_standardization(x)
        return self


def _pair_sum(features: nn.Module, pairs: str | bool, out_size: int, degree_bound: int | None,
              dtype: torch.dtype) -> PairSum | None:
    """The `PairSum` of a layer on k copies of one representation (k ≥ 3 for ``"auto"``)."""
    ring = getattr(features, "ring", None)
    copies = ring.representation.copies()[1] if ring is not None else 1
    if pairs is False or (pairs == "auto" and copies < 3):
        return None
    if copies < 2:
        raise InputError("pairs=True needs features on several copies of one representation (a layer from "
                         "invariant_layer, e.g. of \"O(3):4xv\"); pass pairs='auto' or False")
    return PairSum(ring.representation, out_size, degree_bound=degree_bound, dtype=dtype)


def _add_candidate_slot(model: nn.Module, dtype: torch.dtype) -> None:
    """A closed-form model that `settle` may blend with the network, and its weight (1: none)."""
    model.register_buffer("blend", torch.ones((), dtype=dtype))
    _clear_candidate(model)


def _clear_candidate(model: nn.Module) -> None:
    model.candidate_features = None
    model.candidate = None
    model.blend.fill_(1.0)


def _evaluated(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The model's outputs in eval mode (float64), its training mode restored."""
    was_training = model.training
    model.eval()
    out = model(x).double()
    model.train(was_training)
    return out


def _extrapolates(path: nn.Module, features: nn.Module, kernel_features: nn.Module, x: torch.Tensor,
                  z: torch.Tensor) -> bool:
    """Whether ``path`` extrapolates about as well as kernel ridge regression (within
    `EXTRAPOLATION_SLACK`): both refitted on the 80% of samples nearest the origin and scored on
    the other 20%.  Test errors are made in the tails; a path that explains a bounded target well
    inside the data can still blow up beyond it (o3_smooth of benchmarks/generalisation.py: 0.63
    against 0.12), while one of a polynomial target extrapolates it (EMLP's O(5) task: 0.0015
    against 0.0010 at N = 300, 0.001 against 0.047 at N = 3000).  Both see the same samples, at
    most kernel ridge's `KERNEL_SAMPLES`: a path fitted on ten times more would win by sample size
    alone (o3_smooth on 8 points, N = 10000: a quadratic path kept, 0.045; dropped, 0.021)."""
    x, z = x[:KERNEL_SAMPLES], z[:KERNEL_SAMPLES]
    norm = x.reshape(len(x), -1).norm(dim=1)
    inner = norm <= norm.quantile(0.8)
    outer = ~inner
    if int(inner.sum()) < SPARSE_MIN_SAMPLES or not bool(outer.any()):
        return True
    f = features(x).double()
    again = _refit(path, f[inner], z[inner])
    with torch.no_grad():
        path_error = float((again(f[outer]) - z[outer]).pow(2).mean())
    g = kernel_features(x).double()
    return path_error <= EXTRAPOLATION_SLACK * kernel_extrapolation_mse(g[inner], z[inner], g[outer], z[outer])


def _refit(path: nn.Module, f: torch.Tensor, z: torch.Tensor) -> nn.Module:
    """A path of the same kind and degree as ``path``, fitted on (f, z) (its score as ``loo_mse``)."""
    if isinstance(path, SparsePath):
        return SparsePath(path.n_features, path.out_size, max_degree=path.max_degree, weights=path.weights).fit(f, z)
    return PolynomialPath(f.shape[1], z.shape[1], max_degree=path.max_degree, weights=path.weights).fit(
        f, z, degrees=[path.degree], max_columns=MAX_PATH_MONOMIALS)


def _standardized(polys: list, variables: Sequence[Any], normalize: str | None, dtype: torch.dtype,
                  x: torch.Tensor) -> nn.Module:
    # divided, not centred: a path's monomials then keep their degree in the inputs
    features = compile_polynomials(polys, variables, normalize=normalize, dtype=dtype)
    features.fit_standardization(x, center=False)
    return features


def _affordable_terms(weights: list[int], map_degrees: list[int], degree: int) -> bool:
    """Whether an equivariant path of ``degree`` has at most MAX_PATH_MONOMIALS terms of exactly that
    degree and twice that many up to it."""
    def terms(d: int) -> int:
        return sum(count_monomials(weights, d - m) for m in map_degrees if d >= m)
    return terms(degree) - terms(degree - 1) <= MAX_PATH_MONOMIALS and terms(degree) <= 2 * MAX_PATH_MONOMIALS


def _degree(poly: Any, variables: Sequence[Any]) -> int:
    return max(1, sympy.Poly(poly, *variables).total_degree())


class EquivariantModel(nn.Module):
    """y = Σ_j MLP(invariants(x))_j · e_j(x): the e_j are exact equivariant maps V → W (a list of
    maps, each a list of dim W polynomials, e.g. the generators of a covariant module), the
    coefficients any invariant functions — universal on compact sets when the e_j generate.
    ``path`` and ``settle`` set the closed-form parts (see `prepare` and `settle`); ``settle=False``
    keeps the trained network whatever the validation data say.

    Example:
        >>> import sympy, torch
        >>> v = sympy.symbols("x0:3")
        >>> generators = [list(v)]                                  # v ↦ v
        >>> model = EquivariantModel({"group": "O(n)", "n": 3, "vectors": 1}, generators, channels=8)
        >>> model(torch.randn(5, 3, dtype=torch.float64)).shape
        torch.Size([5, 3])
    """

    def __init__(self, features: Any, generators: Sequence[Sequence[Any]], variables: Sequence[Any] | None = None, *,
                 degree_bound: int | None = None, normalize: str | None = "root", channels: int = 384,
                 layers: int = 3, path: str | None = "auto", settle: bool = True,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        self.settles = bool(settle)
        if path not in ("auto", "sparse", None):
            raise InputError(f"path must be 'auto', 'sparse' or None, got {path!r}")
        if not isinstance(features, nn.Module):
            features = invariant_layer(features, degree_bound=degree_bound, normalize=normalize, dtype=dtype)
        self.features = features
        if not generators or not all(isinstance(g, (list, tuple)) for g in generators):
            raise InputError("generators must be a non-empty list of equivariant maps V → W, each a list of dim W "
                             "polynomials, e.g. invariants.covariant_module(load_spec('O(3):v'), "
                             f"load_spec('O(3):v')).generators; got {type(generators).__name__} {generators!r:.60}")
        variables = variables or features.variables
        self.generators = compile_polynomials([list(g) for g in generators], variables, dtype=dtype)
        self.map_degrees = [max(_degree(p, variables) if p != 0 else 0 for p in g) for g in generators]
        self.mlp = MLP(features.n_features, len(generators), channels=channels, layers=layers).to(dtype)
        self.register_buffer("y_scale", torch.ones((), dtype=dtype))
        self.register_buffer("map_scale", torch.ones(len(generators), dtype=dtype))
        self.path_mode = path
        self.path_features: nn.Module | None = None
        self.path: EquivariantPath | None = None
        _add_candidate_slot(self, dtype)
        self.prepared = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        coefficients = self.mlp(self.features(x).to(self.y_scale.dtype))   # (..., m)
        values = self.generators(x).to(coefficients.dtype)                 # (..., m, w)
        out = (coefficients.unsqueeze(-1) * (values / self.map_scale[:, None])).sum(-2)
        if self.path is not None:
            out = out + self.path(self.path_features(x).to(out.dtype), values)
        if self.candidate is not None:
            out = self.blend * out + (1 - self.blend) * self.candidate(self.candidate_features(x).to(out.dtype), values)
        return out * self.y_scale

    @torch.no_grad()
    def prepare(self, x: torch.Tensor, y: torch.Tensor, *, scale_targets: bool = True,
                val: tuple[torch.Tensor, torch.Tensor] | None = None) -> "EquivariantModel":
        """Fit the closed-form parts on training data (`neural.training.fit` calls this once):
        standardise the invariant features, scale the targets by their root mean square (one
        number: a scalar multiple commutes with every group element, a shift would not), and with
        ``path="auto"`` fit an `EquivariantPath` Σ W_ja m_a(f) e_j on the raw generators f (degree
        and ridge by leave-one-out), kept when it explains most of the target: a polynomial
        equivariant target is then fitted exactly from few samples, and the network (starting at
        zero) learns what is left.  With validation data ``val`` (`fit` passes it), ``"auto"`` also
        fits a `SparseEquivariantPath` (a few maps times 1 or one invariant, by matching pursuit) as
        a candidate that `settle` weighs against the trained network.  Why after training and not
        before: on the generalisation benchmark's axial target (SO(3), 3 seeds) the sparse path
        takes k = 8 points at N = 100 from 1.000 to 0.36 of the variance where the network learns
        nothing, but a network trained on top of it learns a heavy-tailed residual (a linear
        coefficient where the target saturates) and every other cell gets worse (k = 5, N = 1000:
        0.037 -> 0.20; k = 3, N = 100: 0.041 -> 0.28); only the trained network's own validation
        error says which one to keep.  ``path="sparse"`` installs the sparse path before training
        (kept if it beats zero on ``val``, or without it on held-out training samples)."""
        self.features.fit_standardization(x)
        if scale_targets:
            self.y_scale.copy_(y.double().pow(2).mean().sqrt().clamp_min(1e-12))
        # each map divided by its root mean square (a constant: equivariance kept), and the network
        # starting at zero: the coefficients then learn at one scale (SO(3) on 8 points, an axial
        # target: 0.070 -> 0.044 in the generalisation benchmark's step budget)
        values = self.generators(x[:MAP_SCALE_SAMPLES]).double()
        self.map_scale.copy_(values.pow(2).mean((0, 2)).sqrt().clamp_min(1e-12))
        self.mlp[-1].weight.zero_()
        self.mlp[-1].bias.zero_()
        z = y.double() / self.y_scale.double()
        self._candidate = None
        if self.path_mode is not None:
            # the raw generators, divided by their root mean square: both paths' features (compiled once)
            polys, variables = self.features.polynomials, self.features.variables
            raw = _standardized(polys, variables, None, self.y_scale.dtype, x)
        if self.path_mode == "auto":
            self._fit_path(raw, x, z)
            if val is not None:
                self._candidate = self._sparse_path(raw, x, z, val)
        elif self.path_mode == "sparse":
            chosen = self._sparse_path(raw, x, z, val)
            if chosen is not None:
                self.path_features, self.path = chosen
        self.prepared = True
        return self

    @torch.no_grad()
    def settle(self, val: tuple[torch.Tensor, torch.Tensor]) -> str:
        """After training (`fit` calls this with its validation data), answer with
        w·(trained network) + (1 − w)·(the sparse candidate `prepare` fitted), w ∈ [0, 1] minimising
        the validation error (`neural.blend`); or with zero — the one prediction every group
        element fixes — when that does not beat zero by ``SIGNIFICANT`` standard errors of the
        paired per-sample difference.  Why the test: from 100 samples of a heavy-tailed target (a
        degree-7 pseudo-scalar on 8 points of R³) the network's best epoch was 0.3% below zero on
        500 validation samples, noise, and 21% above it on the test set.  Returns ``"network"``
        (w = 1), ``"sparse"`` (w = 0), ``"blend"`` or ``"zero"``; ``settle=False`` keeps the network.

        Example:
            >>> import sympy, torch
            >>> from neural.training import fit
            >>> v = sympy.symbols("x0:3")
            >>> model = EquivariantModel({"group": "O(n)", "n": 3, "vectors": 1}, [list(v)], channels=8, path=None)
            >>> x = torch.randn(200, 3, dtype=torch.float64)
            >>> fit(model, (x[:100], 2 * x[:100]), (x[100:], 2 * x[100:]), epochs=2, progress=False).settled
            'network'
            >>> noise = torch.randn(200, 3, dtype=torch.float64)
            >>> model = EquivariantModel({"group": "O(n)", "n": 3, "vectors": 1}, [list(v)], channels=8)
            >>> import warnings
            >>> with warnings.catch_warnings(record=True) as caught:      # it says so
            ...     fit(model, (x[:100], noise[:100]), (x[100:], noise[100:]), epochs=20, progress=False).settled
            'zero'
            >>> "answers 0" in str(caught[-1].message)
            True
        """
        candidate, self._candidate = getattr(self, "_candidate", None), None
        if not self.settles:
            return "network"
        _clear_candidate(self)   # the network is judged alone
        xv, yv = val[0], val[1].reshape(len(val[1]), -1).double()
        predicted = _evaluated(self, xv)
        choice, weight = "network", 1.0
        if candidate is not None:
            features, path = candidate
            alone = path(features(xv).double(), self.generators(xv).double()) * self.y_scale.double()
            weight = blend_weight(predicted, alone, yv)
            if weight < 1.0:
                choice = "sparse" if weight == 0.0 else "blend"
                predicted = weight * predicted + (1 - weight) * alone
        good, gain = beats_zero((predicted - yv).pow(2).sum(-1), yv)
        if not good:
            warnings.warn(f"EquivariantModel: the {choice} did not beat the zero prediction on the {len(yv)} "
                          f"validation samples by {SIGNIFICANT:g} standard errors ({gain}): the model answers 0. "
                          "More training or validation data may change that; EquivariantModel(..., settle=False) keeps "
                          "the network", stacklevel=3)
            self.mlp[-1].weight.zero_()
            self.mlp[-1].bias.zero_()
            self.path_features, self.path = None, None
            return "zero"
        if choice != "network":
            self.candidate_features, self.candidate = features, path.to(self.y_scale.dtype)
            self.blend.fill_(weight)
        return choice

    def _sparse_path(self, features: nn.Module, x: torch.Tensor, z: torch.Tensor,
                     val: tuple[torch.Tensor, torch.Tensor] | None) -> tuple[nn.Module, nn.Module] | None:
        """A `SparseEquivariantPath` on the standardised invariants, if it beats zero on held-out data."""
        polys, variables = self.features.polynomials, self.features.variables
        if len(x) < SPARSE_MIN_SAMPLES:
            return None
        # maps times products of up to two invariants (as the dense path), as many as the search affords
        weights = [_degree(p, variables) for p in polys]
        degree = affordable_sparse_degree(weights, 2 * max(weights), SPARSE_COLUMNS // len(self.map_degrees))
        path = SparseEquivariantPath(len(polys), len(self.map_degrees), max_degree=max(degree, 1), weights=weights,
                                     map_degrees=self.map_degrees, dtype=self.y_scale.dtype)
        path.fit(features(x), self.generators(x), z)
        if not path.chosen:
            return None
        if val is not None:   # 500 validation samples judge better than half of 100 training ones
            xv, zv = val[0], val[1].double().reshape(len(val[1]), -1) / self.y_scale.double()
            error = float((path(features(xv).double(), self.generators(xv).double()) - zv).pow(2).mean())
            keep = error < SPARSE_KEEPS * float(zv.pow(2).mean())
        else:
            keep = path.holdout_mse < SPARSE_KEEPS * float(z.pow(2).mean())
        return (features, path.requires_grad_(False)) if keep else None

    def _fit_path(self, features: nn.Module, x: torch.Tensor, z: torch.Tensor) -> None:
        polys, variables = self.features.polynomials, self.features.variables
        weights = [_degree(p, variables) for p in polys]
        degree = max(self.map_degrees) + 2 * max(weights)
        while degree > min(self.map_degrees) and not _affordable_terms(weights, self.map_degrees, degree):
            degree -= 1
        if not _affordable_terms(weights, self.map_degrees, degree):
            return
        path = EquivariantPath(len(polys), weights, self.map_degrees, max_degree=degree, dtype=self.y_scale.dtype)
        path.fit(features(x), self.generators(x), z, max_columns=MAX_PATH_MONOMIALS)
        if path.loo_mse <= PATH_EXPLAINS * float(z.pow(2).mean()):  # fixed; the network (at zero) learns the residual
            self.path_features, self.path = features, path.requires_grad_(False)

    @torch.no_grad()
    def fit_features(self, x: torch.Tensor) -> "EquivariantModel":
        """Standardise the invariant features on training inputs (invariant: feature by feature)."""
        self.features.fit_standardization(x)
        return self
