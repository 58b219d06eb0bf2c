"""Orbit classification on separating invariants, and checks that invariants separate orbits.

* `PointCloudInvariants`, `PlanarShapeInvariants`: invariant features of point clouds in R³
  (O(3) or SO(3), translations, relabelling) and of planar polygons (SO(2) or O(2), translations,
  cyclic relabelling);
* `OrbitClassifier`, `fit_classifier`, `accuracy`, `template_clouds`: features → MLP → logits,
  trained with cross-entropy, on noisy copies of a few template clouds;
* `separates_orbits_exact`, `separates_orbits` → `SeparationReport`: do invariants separate
  orbits? Exactly when they generate the invariant ring, otherwise by a collision search;
* `orbit_distance_o3`, `orbit_distance_finite`: the distance between two orbits.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import sympy
import torch
from torch import nn

from bridge import compile_polynomials
from invariants import invariant_ring
from invariants.errors import InputError

from ..baselines import MLP
from bridge import orthogonal
from ..standardize import Standardizer
from ..training import fit

Tensor = torch.Tensor


def _points(x: Tensor, k: int, d: int, name: str) -> Tensor:
    if not isinstance(x, Tensor) or x.ndim < 2 or tuple(x.shape[-2:]) != (k, d):
        raise InputError(f"{name} expects a tensor of shape (..., {k}, {d}) (k points in R^{d}), "
                         f"got {tuple(getattr(x, 'shape', ()))}")
    return x


class PointCloudInvariants(nn.Module):
    """Features of k points in R³ invariant under O(3) (SO(3) with ``reflections=False``), under
    relabelling of the points (S_k) and, with ``center=True``, under translations.

    By the first fundamental theorem the Gram matrix G = (<x_i, x_j>) generates the O(3)
    invariants (for SO(3) add the triple products det(x_i, x_j, x_l)), and G up to G ↦ PGPᵀ is a
    complete invariant of O(3) × S_k.  The features pool G symmetrically: the sorted norms |x_i|,
    the sorted distances |x_i − x_j|, the singular values of the (centred) cloud (√ of the
    eigenvalues of G); for SO(3) also the sorted chiralities det(x_i, x_j, x_l)·(n_i − n_j)(n_j −
    n_l)(n_l − n_i) over triples (n = the norms; symmetric in the triple, odd under reflections),
    as sign(s)|s|^{1/6}.  Every feature scales like the cloud.

    What is separated: clouds differing in any of these multisets; generic clouds are determined
    up to congruence and relabelling by their distance multiset alone (Boutin & Kemper 2004).  Not
    proven complete: the distance multiset is not (homometric sets, e.g. {0, 1, 4, 10, 12, 17} and
    {0, 1, 8, 11, 13, 17} on a line), and chirality is lost for triples of equal norms.

    Example:
        >>> f = PointCloudInvariants(4)
        >>> x = torch.randn(2, 4, 3, dtype=torch.float64)
        >>> f(x).shape, torch.allclose(f(x), f(-x.flip(1)))
        (torch.Size([2, 13]), True)
    """

    def __init__(self, k: int, *, reflections: bool = True, center: bool = True):
        super().__init__()
        if not isinstance(k, int) or k < (2 if reflections else 3):
            raise InputError(f"PointCloudInvariants needs k >= 2 points (3 for SO(3)), got {k!r}")
        self.k, self.reflections, self.center = k, reflections, center
        self.register_buffer("pairs", torch.triu_indices(k, k, 1), persistent=False)
        self.register_buffer("triples", torch.tensor(list(itertools.combinations(range(k), 3)),
                                                     dtype=torch.long).reshape(-1, 3), persistent=False)

    @property
    def n_features(self) -> int:
        chiral = 0 if self.reflections else len(self.triples)
        return self.k + self.pairs.shape[1] + 3 + chiral

    def forward(self, x: Tensor) -> Tensor:
        x = _points(x, self.k, 3, "PointCloudInvariants")
        if self.center:
            x = x - x.mean(-2, keepdim=True)
        norms = x.norm(dim=-1)
        i, j = self.pairs
        dists = (x[..., i, :] - x[..., j, :]).norm(dim=-1)
        out = [norms.sort(-1).values, dists.sort(-1).values, torch.linalg.svdvals(x)]
        if not self.reflections:
            a, b, c = self.triples.T
            vol = (torch.linalg.cross(x[..., a, :], x[..., b, :]) * x[..., c, :]).sum(-1)  # det(x_a, x_b, x_c)
            na, nb, nc = norms[..., a], norms[..., b], norms[..., c]
            s = vol * (na - nb) * (nb - nc) * (nc - na)
            out.append((s * (s.abs() + 1e-30) ** (1 / 6 - 1)).sort(-1).values)
        return torch.cat(out, dim=-1)


class PlanarShapeInvariants(nn.Module):
    """Features of a planar polygon (k ≥ 4 points in R²) invariant under translations, cyclic
    relabelling z_j ↦ z_{j+s} and SO(2) (``group="SO(2)"``) or O(2) (``"O(2)"``, alias ``"D"``).

    With ẑ_m the discrete Fourier transform of the centred contour z_j = x_j + i y_j, rotation by
    θ and relabelling by s multiply ẑ_m by e^{iθ} ω^{sm} (ω = e^{2πi/k}).  The features are the
    exact invariants |ẑ_m| (m = 1 … k−1), T_m = ẑ_{m+1} conj(ẑ_m) conj(ẑ_2) ẑ_1 (m = 2 … k−2) and
    W = ẑ_{k−1} ẑ_3 conj(ẑ_1)² (real and imaginary parts, scaled to degree 1).  The phases of the
    T_m and W span the whole lattice of invariant phase combinations, so the features separate
    the orbits of polygons whose ẑ_1 … ẑ_{k−1} are all non-zero (a dense open set); the T_m alone
    are also invariant under every phase ramp ẑ_m ↦ e^{imc} ẑ_m, of which only c ∈ 2πZ/k relabel.
    For O(2) (reflection z ↦ conj z), with F, F' the SO(2) features of z and conj z: F + F' and
    D·(r·D), D = F − F', r fixed — they determine the unordered pair {F, F'} when r·D ≠ 0 (generic).

    Example:
        >>> f = PlanarShapeInvariants(5)
        >>> z = torch.randn(3, 5, 2, dtype=torch.float64)
        >>> torch.allclose(f(z), f(z.roll(2, dims=1) + 1.0)), f(z).shape
        (True, torch.Size([3, 10]))
    """

    def __init__(self, k: int, group: str = "SO(2)"):
        super().__init__()
        if not isinstance(k, int) or k < 4:
            raise InputError(f"PlanarShapeInvariants needs k >= 4 points, got {k!r}")
        if group not in ("SO(2)", "O(2)", "D"):
            raise InputError(f"group must be 'SO(2)' or 'O(2)' (alias 'D'), got {group!r}")
        self.k, self.reflections = k, group != "SO(2)"
        width = 3 * k - 5
        self.register_buffer("r", torch.randn(width, generator=torch.Generator().manual_seed(0),
                                              dtype=torch.float64) / width ** 0.5, persistent=False)

    @property
    def n_features(self) -> int:
        return (3 * self.k - 5) * (2 if self.reflections else 1)

    def _so2(self, x: Tensor) -> Tensor:
        z = torch.complex(x[..., 0], x[..., 1])
        f = torch.fft.fft(z - z.mean(-1, keepdim=True), norm="ortho")
        m = torch.arange(2, self.k - 1, device=x.device)
        t = f[..., m + 1] * f[..., m].conj() * (f[..., 2].conj() * f[..., 1])[..., None]
        w = (f[..., self.k - 1] * f[..., 3] * f[..., 1].conj() ** 2)[..., None]
        phases = torch.cat([t, w], dim=-1)
        phases = phases * (phases.abs() + 1e-30) ** (1 / 4 - 1)  # degree 4 → degree 1, phase kept
        return torch.cat([f[..., 1:].abs(), phases.real, phases.imag], dim=-1)

    def forward(self, x: Tensor) -> Tensor:
        x = _points(x, self.k, 2, "PlanarShapeInvariants")
        f = self._so2(x)
        if not self.reflections:
            return f
        d = f - self._so2(x * torch.tensor([1.0, -1.0], dtype=x.dtype, device=x.device))
        return torch.cat([2 * f - d, d * (d @ self.r.to(d.dtype))[..., None]], dim=-1)


class OrbitClassifier(nn.Module):
    """features(x) → standardisation → MLP → logits.  ``features`` is a module with
    ``n_features`` (e.g. `PointCloudInvariants`), or any module with ``in_features`` given
    (``nn.Flatten()`` makes the raw-coordinate baseline).

    Example:
        >>> model = OrbitClassifier(PointCloudInvariants(5), 3, channels=8)
        >>> model(torch.randn(4, 5, 3, dtype=torch.float64)).shape
        torch.Size([4, 3])
    """

    def __init__(self, features: nn.Module, n_classes: int, *, channels: int = 64, layers: int = 2,
                 in_features: int | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        width = in_features if in_features is not None else getattr(features, "n_features", None)
        if not isinstance(width, int) or width < 1:
            raise InputError("give a features module with n_features (e.g. PointCloudInvariants(k)) "
                             "or pass in_features=, the width of its output")
        if not isinstance(n_classes, int) or n_classes < 2:
            raise InputError(f"n_classes must be an int >= 2, got {n_classes!r}")
        self.features = features
        self.mlp = MLP(width, n_classes, channels=channels, layers=layers).to(dtype)
        self.inputs = Standardizer.identity(width, dtype)

    def forward(self, x: Tensor) -> Tensor:
        return self.mlp(self.inputs(self.features(x).to(self.inputs.scale.dtype)))

    @torch.no_grad()
    def standardize(self, x: Tensor) -> "OrbitClassifier":
        """Fit the per-feature mean and standard deviation on inputs (invariant: feature by feature)."""
        self.inputs = Standardizer.fit(self.features(x).to(self.inputs.scale.dtype))
        return self


@dataclass
class ClassifierFit:
    """What `fit_classifier` did: validation accuracy per epoch (from epoch 1) and the best one
    (whose state is kept; epoch 0 is the untrained state)."""

    val_accuracy: list[float] = field(default_factory=list)
    best_val_accuracy: float = 0.0
    best_epoch: int = 0
    stopped_early: bool = False


def _labels(X: Tensor, y: Tensor, name: str) -> None:
    if not isinstance(X, Tensor) or not isinstance(y, Tensor) or y.ndim != 1 or len(X) != len(y) or len(y) == 0 \
            or y.dtype != torch.long:
        raise InputError(f"{name}: give inputs X and int64 labels y of shape (n,), one per row of X, got "
                         f"{tuple(getattr(X, 'shape', ()))} and {tuple(getattr(y, 'shape', ()))}")


@torch.no_grad()
def accuracy(model: nn.Module, X: Tensor, y: Tensor) -> float:
    """Fraction of the rows of X whose largest logit is the label (eval mode).

    Example:
        >>> accuracy(nn.Identity(), torch.tensor([[0.0, 1.0], [2.0, 1.0]]), torch.tensor([1, 1]))
        0.5
    """
    _labels(X, y, "accuracy")
    was_training = model.training
    model.eval()
    try:
        return float((model(X).argmax(-1) == y).double().mean())
    finally:
        model.train(was_training)


def fit_classifier(model: nn.Module, X: Tensor, y: Tensor, Xval: Tensor, yval: Tensor, *, epochs: int = 200,
                   lr: float = 3e-3, batch_size: int = 128, patience: int | None = 40, seed: int = 0) -> ClassifierFit:
    """Train in place (`neural.training.fit`: Adam on the cross-entropy); keep the state of best
    validation accuracy (ties: lower validation loss; the untrained state is a candidate too);
    stop after ``patience`` epochs without improvement.  An `OrbitClassifier` first standardises
    its features on X.  ``seed`` fixes the shuffling (initialisation is the model's business).

    Example:
        >>> X = torch.randn(40, 4, 3, dtype=torch.float64); y = (X[:, 0, 0] > 0).long()
        >>> model = OrbitClassifier(nn.Flatten(), 2, in_features=12, channels=16)
        >>> fit_classifier(model, X, y, X, y, epochs=30, lr=1e-2, batch_size=40).best_val_accuracy > 0.9
        True
    """
    _labels(X, y, "fit_classifier (training data)")
    _labels(Xval, yval, "fit_classifier (validation data)")
    if not isinstance(epochs, int) or epochs < 1 or batch_size < 1 or not lr > 0:
        raise InputError(f"fit_classifier needs epochs >= 1, batch_size >= 1 and lr > 0, "
                         f"got {epochs}, {batch_size}, {lr}")
    if isinstance(model, OrbitClassifier):
        model.standardize(X)
    history = fit(model, (X, y), (Xval, yval), loss=nn.functional.cross_entropy, score=_accuracy_then_loss,
                  epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, patience=patience, val_every=1,
                  progress=False)
    model.eval()
    return ClassifierFit([-score[0] for score in history.val_score[1:]], -history.best_val_score[0],
                         history.best_epoch, history.stopped_early)


def _accuracy_then_loss(model: nn.Module, val: tuple[Tensor, Tensor]) -> tuple[float, float]:
    """(−accuracy, cross-entropy): lower is better, the loss breaking ties of accuracy."""
    logits = model(val[0])
    return -float((logits.argmax(-1) == val[1]).double().mean()), float(nn.functional.cross_entropy(logits, val[1]))


def template_clouds(n: int, k: int = 8, classes: int = 4, noise: float = 0.02, rotate: bool = True,
                    permute: bool = True, seed: int = 0, template_seed: int = 0) -> tuple[Tensor, Tensor]:
    """n noisy copies of ``classes`` fixed random templates of k points in R³ (standard normal,
    drawn from ``template_seed``): X (n, k, 3) float64 and labels y (n,).  Labels and noise come
    from ``seed`` first, then a random rotation (SO(3)) and relabelling per sample, applied only
    if ``rotate`` / ``permute``: the same seed gives the same samples, rotated or not.

    Example:
        >>> X, y = template_clouds(6, seed=1)
        >>> Xr, _ = template_clouds(6, seed=1, rotate=False, permute=False)
        >>> X.shape, torch.allclose(X.norm(dim=(1, 2)), Xr.norm(dim=(1, 2)))
        (torch.Size([6, 8, 3]), True)
    """
    if min(n, k, classes) < 1 or noise < 0:
        raise InputError(f"template_clouds needs n, k, classes >= 1 and noise >= 0, "
                         f"got {n}, {k}, {classes}, {noise}")
    templates = torch.randn(classes, k, 3, generator=torch.Generator().manual_seed(template_seed),
                            dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    y = torch.randint(0, classes, (n,), generator=gen)
    X = templates[y] + noise * torch.randn(n, k, 3, generator=gen, dtype=torch.float64)
    R = orthogonal(3, n, special=True, generator=gen)
    order = torch.argsort(torch.rand(n, k, generator=gen), dim=1)
    if rotate:
        X = X @ R.transpose(1, 2)
    if permute:
        X = X[torch.arange(n)[:, None], order]
    return X, y


# -- separation -----------------------------------------------------------------------------------
@dataclass
class SeparationReport:
    """Do the invariants separate orbits?  ``exact=True``: proven.  Otherwise numerical evidence:
    ``converged`` of ``searches`` collision searches reached F(y) = F(x) (each then checked for
    y ∈ G·x), ``pairs`` random pairs, and the rank of dF at random points against
    ``expected_rank`` = dim V − dim(generic orbit) (a lower rank cannot separate).  ``failures``:
    up to ``max_failures`` of the ``collisions`` found, pairs (x, y) with equal invariants in
    different orbits.  ``confidence`` says it in words."""

    separates: bool
    exact: bool
    confidence: str
    failures: list[tuple[Tensor, Tensor]] = field(default_factory=list)
    collisions: int = 0
    searches: int = 0
    converged: int = 0
    pairs: int = 0
    jacobian_rank: int | None = None
    expected_rank: int | None = None

    def __str__(self) -> str:
        return f"{'separates' if self.separates else 'does not separate'} orbits ({self.confidence})"


def separates_orbits_exact(rep: Any, polys: Sequence[Any]) -> SeparationReport:
    """Proof of separation by the engine: if ``polys`` generate the invariant ring of ``rep``
    (`invariants.invariant_ring(rep).check_generators`), they separate orbits.

    Theorem: for a compact group G acting linearly on a real vector space V (finite groups
    included), the invariant polynomials separate the orbits: two distinct orbits are disjoint
    compact sets, a polynomial ≈ 0 on one and ≈ 1 on the other (Stone–Weierstrass) averaged over G
    (Haar measure) is an invariant that still separates them (both are G-stable), and it is a
    polynomial in any generating set.  The converse fails (a
    separating set need not generate), so non-generators give ``separates=False, exact=False``,
    i.e. *not proven*: run `separates_orbits` for numerical evidence.

    Example:
        >>> from invariants.groups.compact import O
        >>> separates_orbits_exact(O(3).vectors(2), ["x0**2+x1**2+x2**2", "x0*x3+x1*x4+x2*x5",
        ...                                          "x3**2+x4**2+x5**2"]).exact
        True
    """
    if isinstance(polys, (str, bytes)) or not polys:
        raise InputError("polys must be a non-empty list of invariant polynomials in x0, x1, ...")
    check = invariant_ring(rep).check_generators(list(polys))
    if check.complete:
        return SeparationReport(True, True, f"exact: they generate the invariant ring ({check}); "
                                            "generators separate the orbits of a compact group")
    return SeparationReport(False, False, f"not proven: they do not generate the invariant ring ({check}); "
                                          "a separating set need not generate, use separates_orbits")


def _jacobian_rank(features_fn: Callable[[Tensor], Tensor], x: Tensor) -> int:
    shape = x.shape[1:]

    def flat(v: Tensor) -> Tensor:
        return features_fn(v.reshape(1, *shape)).reshape(-1)

    J = torch.autograd.functional.jacobian(flat, x[0].reshape(-1).detach())
    return int(torch.linalg.matrix_rank(J, rtol=1e-7))


def separates_orbits(features_fn: Callable[[Tensor], Tensor] | None, sample_fn: Callable[..., Tensor],
                     orbit_distance_fn: Callable[[Tensor, Tensor], Tensor], *, orbit_dim: int | None = None,
                     searches: int = 10, steps: int = 200, pairs: int = 200, feature_tol: float = 1e-6,
                     distance_tol: float = 1e-3, rep: Any = None, polys: Sequence[Any] | None = None,
                     seed: int = 0, max_failures: int = 5) -> SeparationReport:
    """Do the features separate orbits?  With ``rep`` and ``polys`` it first tries the exact
    proof (`separates_orbits_exact`).  Otherwise numerically:

    * Jacobian rank: separating features have rank dim V − ``orbit_dim`` at generic points
      (smaller rank ⇒ positive-dimensional fibres); checked at 3 random points if ``orbit_dim``;
    * ``pairs`` random pairs (x, y): equal features but distant orbits is a failure;
    * ``searches`` collision searches: from random y, L-BFGS on ‖F(x) − F(y)‖² (``steps``
      iterations); a converged y (relative residual ≤ ``feature_tol``) with orbit distance
      > ``distance_tol``·(1 + ‖x‖) is a failure.

    ``features_fn(x)`` maps a batch (n, ...) to (n, m) differentiably (None: ``polys`` compiled
    with `bridge.compile_polynomials` in x0 … x_{n−1}), ``sample_fn(n, generator)`` draws a float64
    batch, ``orbit_distance_fn(x, y)`` gives (n,) distances between orbits.
    ``separates`` = no collision, the rank as expected and at least one converged search.

    Example (SO(2) on two planar vectors of charges 1, 2: the power spectrum loses the relative phase):
        >>> import math
        >>> rot = lambda t: [[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]]
        >>> G = torch.tensor([torch.block_diag(torch.tensor(rot(t)), torch.tensor(rot(2 * t))).tolist()
        ...                   for t in torch.arange(360) * 2 * math.pi / 360], dtype=torch.float64)
        >>> power = lambda x: torch.stack([x[:, :2].pow(2).sum(1), x[:, 2:].pow(2).sum(1)], 1)
        >>> sample = lambda n, generator: torch.randn(n, 4, generator=generator, dtype=torch.float64)
        >>> report = separates_orbits(power, sample, lambda x, y: orbit_distance_finite(x, y, G),
        ...                           orbit_dim=1, searches=3, pairs=10)
        >>> report.separates, report.jacobian_rank, report.expected_rank, len(report.failures) > 0
        (False, 2, 3, True)
    """
    tried = rep is not None and polys is not None
    if tried:
        exact = separates_orbits_exact(rep, polys)
        if exact.separates:
            return exact
    if features_fn is None:
        if polys is None or rep is None:
            raise InputError("give features_fn, or rep and polys to compile (polynomials in x0, x1, ...)")
        features_fn = compile_polynomials(list(polys), sympy.symbols(f"x0:{invariant_ring(rep).n}"))
    if min(searches, pairs) < 0 or searches + pairs == 0 or steps < 1:
        raise InputError(f"separates_orbits needs searches, pairs >= 0 (not both 0) and steps >= 1, "
                         f"got {searches}, {pairs}, {steps}")
    gen = torch.Generator().manual_seed(seed)
    failures: list[tuple[Tensor, Tensor]] = []
    collisions = 0

    def record(x: Tensor, y: Tensor, fx: Tensor, fy: Tensor) -> None:
        nonlocal collisions
        close = (fx - fy).flatten(1).norm(dim=1) <= feature_tol * (1 + fx.flatten(1).norm(dim=1))
        with torch.no_grad():
            far = orbit_distance_fn(x, y) > distance_tol * (1 + x.flatten(1).norm(dim=1))
        found = torch.nonzero(close & far).flatten().tolist()
        collisions += len(found)
        failures.extend((x[i].detach(), y[i].detach()) for i in found[:max_failures - len(failures)])

    rank = expected = None
    if orbit_dim is not None:
        x = sample_fn(3, gen)
        rank = max(_jacobian_rank(features_fn, x[i:i + 1]) for i in range(len(x)))
        expected = x[0].numel() - orbit_dim
    if pairs:
        x, y = sample_fn(pairs, gen), sample_fn(pairs, gen)
        with torch.no_grad():
            record(x, y, features_fn(x), features_fn(y))
    converged = 0
    for _ in range(searches):
        x, y = sample_fn(1, gen), sample_fn(1, gen)
        with torch.no_grad():
            fx = features_fn(x)
        scale = 1 + float(fx.norm())
        y = _collide(features_fn, y, fx, scale, steps)
        with torch.no_grad():
            fy = features_fn(y)
        if float((fy - fx).norm()) <= feature_tol * scale:
            converged += 1
            record(x, y, fx, fy)
    rank_ok = rank is None or rank == expected
    separates = not collisions and rank_ok and converged > 0
    words = ["not generators of the invariant ring"] if tried else []
    words += [f"numerical: {collisions} collision(s) found",
             f"{converged} of {searches} searches converged to F(y) = F(x)", f"{pairs} random pairs"]
    if rank is not None:
        words.append(f"Jacobian rank {rank} {'=' if rank_ok else '!='} dim V - dim orbit = {expected}")
    if not converged:
        words.append("no search converged: inconclusive, raise steps or feature_tol")
    return SeparationReport(separates, False, "; ".join(words), failures, collisions, searches, converged, pairs,
                            rank, expected)


class _Point(nn.Module):
    """A point as the one parameter of a module, for `fit` to move."""

    def __init__(self, y: Tensor):
        super().__init__()
        self.y = nn.Parameter(y.detach().clone())


def _collide(features_fn: Callable[[Tensor], Tensor], y: Tensor, fx: Tensor, scale: float, steps: int) -> Tensor:
    """y moved by L-BFGS (``steps`` iterations in one step of `fit`) towards ‖F(y) − F(x)‖² = 0."""
    point = _Point(y)
    fit(point, fx, loss=lambda p, target: ((features_fn(p.y) - target) ** 2).sum() / scale ** 2, epochs=1,
        shuffle=False, progress=False,
        optimizer=lambda params: torch.optim.LBFGS(params, max_iter=steps, tolerance_grad=1e-14,
                                                   tolerance_change=1e-20, line_search_fn="strong_wolfe"))
    return point.y.detach()


# -- orbit distances ------------------------------------------------------------------------------
def orbit_distance_o3(x: Tensor, y: Tensor, reflections: bool = True) -> Tensor:
    """min over g in O(d) (SO(d) if not ``reflections``) of ‖x gᵀ − y‖ for point clouds x, y of
    shape (..., k, d) (no relabelling, no centring): orthogonal Procrustes / Kabsch.  With
    xᵀy = U S Vᵀ the best g is V Uᵀ, for SO(d) V diag(1, …, 1, det(V Uᵀ)) Uᵀ.

    Example:
        >>> x = torch.randn(5, 3, dtype=torch.float64)
        >>> float(orbit_distance_o3(x, -x)) < 1e-12, float(orbit_distance_o3(x, -x, reflections=False)) > 0.1
        (True, True)
    """
    if not isinstance(x, Tensor) or not isinstance(y, Tensor) or x.shape != y.shape or x.ndim < 2:
        raise InputError("orbit_distance_o3 expects two tensors of the same shape (..., k, d), "
                         f"got {tuple(getattr(x, 'shape', ()))} and {tuple(getattr(y, 'shape', ()))}")
    u, _, vh = torch.linalg.svd(x.transpose(-1, -2) @ y)
    if not reflections:
        sign = torch.linalg.det(u @ vh)
        vh = torch.cat([vh[..., :-1, :], vh[..., -1:, :] * sign[..., None, None]], dim=-2)
    return (x @ u @ vh - y).flatten(-2).norm(dim=-1)  # x gᵀ with gᵀ = U Vᵀ


def orbit_distance_finite(x: Tensor, y: Tensor, group_matrices: Tensor) -> Tensor:
    """min over the matrices g of ‖g x − y‖ for x, y of shape (..., d) and ``group_matrices``
    (|G|, d, d): the orbit distance for a finite group (or a fine finite subgroup of a compact one).

    Example:
        >>> G = torch.stack([torch.eye(2), -torch.eye(2)]).double()
        >>> orbit_distance_finite(torch.tensor([[1.0, 2.0]]).double(), torch.tensor([[-1.0, -2.0]]).double(), G)
        tensor([0.], dtype=torch.float64)
    """
    if not isinstance(group_matrices, Tensor) or group_matrices.ndim != 3 or \
            group_matrices.shape[1:] != (x.shape[-1], x.shape[-1]) or x.shape != y.shape:
        raise InputError(f"orbit_distance_finite expects x, y of the same shape (..., d) and group matrices of shape "
                         f"(|G|, d, d), got {tuple(x.shape)}, {tuple(y.shape)}, "
                         f"{tuple(getattr(group_matrices, 'shape', ()))}")
    gx = torch.einsum("gij,...j->...gi", group_matrices.to(x.dtype), x)
    return (gx - y[..., None, :]).norm(dim=-1).min(-1).values
