"""Discovering continuous symmetries: the Lie algebra of the linear symmetries of a function,
a trained model, or data (through a fitted surrogate).

A linear vector field x ↦ A x is an infinitesimal symmetry of f exactly when ∇f(x)·A x = 0 for
every x; of a map F: Rⁿ → Rⁿ (same action on input and output) when J_F(x) A x = A F(x).  Both
are linear in A, so stacking them over samples gives a matrix whose (near-)null space is the
(approximate) symmetry algebra: its right singular vectors with small singular values are the
generators, and the spectrum says how exact each one is.  This is the polarisation idea of LieGG
(Moskalev et al. 2022), with per-sample normalisation so no region of the data dominates, and an
optional restriction to so(n) when the data are whitened (then symmetries preserving the data
distribution are orthogonal, and the search space shrinks from n² to n(n−1)/2).

The estimate names the closest algebra the exact engine knows (SO(m) on k vectors, SO⁺(1,3) on k
four-vectors, in the data's coordinates), as a spec `invariants.load_spec` reads — so a
discovered symmetry goes straight back to `invariant_ring` or `invariant_layer`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

from invariants.errors import InputError, TooLargeError
from bridge import load_spec

MAX_GENERATOR_ENTRIES = 50_000_000   # entries of a list of so(m) generators (400 MB of float64)

Function = Callable[[torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class KnownAlgebra:
    """A candidate from the engine: its spec, and how well it matches (1 = same subspace)."""

    spec: str
    dimension: int
    similarity: float


@dataclass(frozen=True)
class LieAlgebraEstimate:
    """Discovered generators (k, n, n), orthonormal for the Frobenius inner product, with the
    whole normalised singular spectrum (ascending; the first ``dimension`` are the generators')."""

    generators: torch.Tensor
    singular_values: torch.Tensor
    space: str
    span: torch.Tensor | None = None  # the data's span when it is a proper subspace

    @property
    def dimension(self) -> int:
        return self.generators.shape[0]

    def cosine_similarity(self, true_generators: torch.Tensor) -> torch.Tensor:
        """For each true generator T: ‖proj_span(T)‖/‖T‖ — LieGAN's cosine tr(XᵀT)/(‖X‖‖T‖) with X
        the best combination of the discovered generators (for one generator, |cos| of the two).
        When the data span a proper subspace U, T is first restricted to it (UUᵀ T UUᵀ): the data
        determine nothing else."""
        t = self._restricted(true_generators).reshape(true_generators.shape[0], -1)
        basis = self.generators.reshape(self.dimension, -1).to(torch.float64)
        return (t @ basis.T).norm(dim=1) / t.norm(dim=1)

    def closest_known(self, candidates: list[str] | None = None) -> KnownAlgebra:
        """The engine's algebra whose generators span the closest subspace (mean squared cosine of
        the principal angles, over the larger dimension), restricted like `cosine_similarity`."""
        n = self.generators.shape[1]
        best = KnownAlgebra("none", 0, 0.0)
        for spec in candidates if candidates is not None else known_algebra_specs(n):
            gens = engine_generators(spec)
            if gens.shape[1] != n:
                continue
            score = subspace_similarity(self.generators, self._restricted(gens))
            if score > best.similarity:
                best = KnownAlgebra(spec, gens.shape[0], score)
        return best

    def _restricted(self, gens: torch.Tensor) -> torch.Tensor:
        gens = gens.to(torch.float64)
        if self.span is None:
            return gens
        proj = self.span @ self.span.T
        return proj @ gens @ proj

    def __repr__(self) -> str:
        head = ", ".join(f"{s:.3g}" for s in self.singular_values[: self.dimension + 2].tolist())
        return f"LieAlgebraEstimate(dimension {self.dimension} in {self.space}({self.generators.shape[1]}); singular values {head}, …)"


def invariance_constraints(f: Function, x: torch.Tensor) -> torch.Tensor:
    """Rows vec(∇f(x_i) x_iᵀ), one per sample (normalised): A is a symmetry iff rows · vec(A) = 0.

    Example:
        >>> x = torch.randn(50, 2, dtype=torch.float64)
        >>> rows = invariance_constraints(lambda z: (z**2).sum(1), x)
        >>> rotation = torch.tensor([[0., -1.], [1., 0.]], dtype=torch.float64).reshape(-1)
        >>> float((rows @ rotation).abs().max()) < 1e-12
        True
    """
    _check(x)
    z = x.detach().clone().requires_grad_(True)
    out = f(z)
    if out.dim() > 1:
        out = out.reshape(len(z), -1)
        if out.shape[1] != 1:
            raise InputError("invariance_constraints wants a scalar function; for vector outputs use "
                             "equivariance_constraints")
    (grad,) = torch.autograd.grad(out.sum(), z)
    rows = (grad[:, :, None] * x[:, None, :]).reshape(len(x), -1)
    return _normalise(rows.detach())


def equivariance_constraints(f: Function, x: torch.Tensor) -> torch.Tensor:
    """Rows of J_f(x) A x − A f(x) = 0 (one block of n rows per sample, each block normalised), for a
    map f: Rⁿ → Rⁿ with the same linear action on input and output.

    Example:
        >>> x = torch.randn(20, 2, dtype=torch.float64)
        >>> rows = equivariance_constraints(lambda z: z * (z**2).sum(1, keepdim=True), x)
        >>> rotation = torch.tensor([[0., -1.], [1., 0.]], dtype=torch.float64).reshape(-1)
        >>> float((rows @ rotation).abs().max()) < 1e-12
        True
    """
    _check(x)
    z = x.detach().clone()
    jac = torch.func.vmap(torch.func.jacrev(lambda v: f(v[None])[0]))(z)
    fx = f(z).detach()
    n = x.shape[1]
    if fx.shape != x.shape:
        raise InputError(f"equivariance_constraints wants f: R^{n} -> R^{n} (the same action on both sides), "
                         f"got outputs of shape {tuple(fx.shape)}")
    eye = torch.eye(n, dtype=x.dtype, device=x.device)
    rows = torch.einsum("bij,bk->bijk", jac, x) - torch.einsum("ij,bk->bijk", eye, fx)
    rows = rows.reshape(len(x), n, n * n)
    scale = rows.flatten(1).norm(dim=1).clamp_min(1e-300)[:, None, None]
    return (rows / scale).reshape(len(x) * n, n * n).detach()


def discover_lie_algebra(f: Function, x: torch.Tensor, *, output: str = "scalar", space: str = "gl",
                         dimension: int | None = None, threshold: float = 0.1) -> LieAlgebraEstimate:
    """The Lie algebra of linear symmetries of ``f`` (a function or a trained model) around the samples ``x``.

    ``output``: "scalar" (invariance ∇f·Ax = 0) or "same" (equivariance J A x = A f(x));
    ``space``: "gl" (all n×n matrices) or "so" (antisymmetric only);
    ``dimension``: the number of generators, or None to read it off the spectrum (the largest gap
    below ``threshold``, relative to the largest singular value).

    When the samples span a proper subspace (e.g. the centre of mass is fixed), only maps of that
    subspace to itself are identifiable from them, so the search is restricted to those.

    Example:
        >>> x = torch.randn(200, 4, dtype=torch.float64)
        >>> f = lambda z: torch.sin((z**2).sum(1))
        >>> est = discover_lie_algebra(f, x)
        >>> est.dimension, est.closest_known().spec
        (6, 'SO(4):1xv')
    """
    if output == "scalar":
        rows = invariance_constraints(f, x)
    elif output == "same":
        rows = equivariance_constraints(f, x)
    else:
        raise InputError(f"output must be 'scalar' or 'same', got {output!r}")
    return algebra_from_constraints(rows, x.shape[1], space=space, dimension=dimension, threshold=threshold,
                                    span=data_span(x))


def data_span(x: torch.Tensor, tol: float = 1e-8) -> torch.Tensor:
    """An orthonormal basis (n, r) of the span of the samples."""
    u, s, _ = torch.linalg.svd(x.to(torch.float64).T, full_matrices=False)
    return u[:, s > tol * s[0]]


def algebra_from_constraints(rows: torch.Tensor, n: int, *, space: str = "gl", dimension: int | None = None,
                             threshold: float = 0.1, span: torch.Tensor | None = None) -> LieAlgebraEstimate:
    """Generators from stacked constraint rows (any source: several models' rows may be concatenated),
    searched among the maps of ``span`` (columns; default Rⁿ) to itself."""
    if space not in ("gl", "so"):
        raise InputError(f"space must be 'gl' or 'so', got {space!r}")
    rows = rows.to(torch.float64)
    span = torch.eye(n, dtype=torch.float64, device=rows.device) if span is None else span.to(rows)
    basis = _search_basis(span, space)
    reduced = rows @ basis.T
    gram = reduced.T @ reduced
    evals, evecs = torch.linalg.eigh(gram)
    sv = evals.clamp_min(0).sqrt()
    sv = sv / sv[-1].clamp_min(1e-300)
    k = _dimension_from_gap(sv, threshold) if dimension is None else dimension
    vecs = evecs[:, :k].T @ basis
    return LieAlgebraEstimate(vecs.reshape(k, n, n), sv, space, span if span.shape[1] < n else None)


def _dimension_from_gap(sv: torch.Tensor, threshold: float) -> int:
    small = int((sv < threshold).sum())
    if small == 0:
        return 0
    if small == len(sv):
        return small
    floor = sv.clamp_min(1e-8)  # exact symmetries give round-off singular values: treat them as equal
    ratios = floor[1: small + 1] / floor[:small]
    return int(torch.argmax(ratios)) + 1


def _search_basis(span: torch.Tensor, space: str) -> torch.Tensor:
    """Orthonormal vec(A) for A = U B Uᵀ, B in gl(r) or so(r) (U = span, n × r)."""
    r = span.shape[1]
    out = []
    for i in range(r):
        for j in range(r) if space == "gl" else range(i + 1, r):
            a = torch.outer(span[:, i], span[:, j])
            out.append((a if space == "gl" else (a - a.T) / 2 ** 0.5).reshape(-1))
    return torch.stack(out)


def _normalise(rows: torch.Tensor) -> torch.Tensor:
    return rows / rows.norm(dim=1, keepdim=True).clamp_min(1e-300)


def _check(x: torch.Tensor) -> None:
    if not isinstance(x, torch.Tensor) or x.dim() != 2 or min(x.shape) < 1:
        raise InputError(f"samples must be a non-empty 2-d tensor (batch, n), got {getattr(x, 'shape', x)!r}")
    if x.is_floating_point() and not bool(torch.isfinite(x).all()):
        raise InputError("the samples contain NaN or infinite entries: symmetries are read off finite data")


def subspace_similarity(a: torch.Tensor, b: torch.Tensor) -> float:
    """Σ cos²(principal angles) / max(dim a, dim b) between the spans of two generator lists."""
    qa = _orthonormal(a)
    qb = _orthonormal(b)
    if qa.shape[0] == 0 or qb.shape[0] == 0:
        return float(qa.shape[0] == qb.shape[0])
    overlap = (qa @ qb.T).pow(2).sum()
    return float(overlap / max(qa.shape[0], qb.shape[0]))


def _orthonormal(gens: torch.Tensor) -> torch.Tensor:
    flat = gens.reshape(gens.shape[0], -1).to(torch.float64)
    if flat.shape[0] == 0:
        return flat
    u, s, vh = torch.linalg.svd(flat, full_matrices=False)
    return vh[: int((s > 1e-9 * s[0]).sum())]


def so_generators(m: int, copies: int = 1) -> torch.Tensor:
    """The basis E_ij − E_ji of so(m) acting the same way on ``copies`` vectors (block diagonal):
    the true algebra of a function of inner products, e.g. O5Synthetic (m = 5, copies = 2).

    Example:
        >>> so_generators(5, 2).shape
        torch.Size([10, 10, 10])
    """
    entries = m * (m - 1) // 2 * (m * copies) ** 2
    if entries > MAX_GENERATOR_ENTRIES:
        raise TooLargeError(f"so({m}) on {copies} copies has {m * (m - 1) // 2:,} generators of size {m * copies}: "
                            f"{entries:,} entries, above MAX_GENERATOR_ENTRIES = {MAX_GENERATOR_ENTRIES:,} (8 bytes each); "
                            "raise neural.symmetry.discovery.MAX_GENERATOR_ENTRIES to build them anyway",
                            estimate=entries, option="neural.symmetry.discovery.MAX_GENERATOR_ENTRIES")
    out = []
    for i in range(m):
        for j in range(i + 1, m):
            a = torch.zeros(m, m, dtype=torch.float64)
            a[i, j], a[j, i] = 1, -1
            out.append(torch.block_diag(*[a] * copies))
    return torch.stack(out)


def known_algebra_specs(n: int) -> list[str]:
    """Specs of the algebras the engine knows on Rⁿ in standard coordinates (`invariants.load_spec`
    reads them): SO(m) on n/m vectors, SO⁺(1,3) on n/4 four-vectors and, for even n = 2d with
    complex coordinates z_k = x_{2k} + i·x_{2k+1}, the maximal torus U(1)^d (each plane on its
    own) and U(m) on d/m vectors of Cᵐ — the unitary specs list V and its dual, so that the
    engine's invariant ring is that of the real representation (in the coordinates z, z̄)."""
    specs = [f"SO({m}):{n // m}xv" for m in range(2, n + 1) if n % m == 0]
    if n % 4 == 0:
        specs.append(f"SO+(1,3):{n // 4}xv")
    if n % 2 == 0:
        d = n // 2
        units = [tuple(int(i == k) for i in range(d)) for k in range(d)]
        weights = units + [tuple(-w for w in u) for u in units]
        specs.append(f"U(1)^{d}:" + ",".join("(" + ",".join(map(str, w)) + ")" for w in weights) if d > 1
                     else "U(1):1,-1")
        specs += [f"U({m}):{d // m}x{m},{d // m}x{m}*" for m in range(2, d + 1) if d % m == 0]
    return specs


def engine_generators(spec: str) -> torch.Tensor:
    """The Lie algebra basis of a spec from the exact engine, as float64 matrices (k, n, n).

    Unitary specs (``U(…)``, V ⊕ V* as in `known_algebra_specs`): the engine's basis spans the
    complexified algebra on V; its compact real form (the anti-Hermitian part of the span) is
    returned realified on R^{2 dim V}, z_k = x_{2k} + i·x_{2k+1}."""
    action = load_spec(spec)
    complex_ = spec.replace(" ", "").startswith("U(")
    kind = torch.complex128 if complex_ else torch.float64
    cast = complex if complex_ else float
    mats = torch.stack([torch.tensor([[cast(action.field.to_sympy(c)) for c in row] for row in m.entries()], dtype=kind)
                        for m in action.lie_algebra])
    if not complex_:
        return mats
    d = mats.shape[1] // 2
    return _realify(_compact_real_form(mats[:, :d, :d]))


def _compact_real_form(mats: torch.Tensor) -> torch.Tensor:
    """A basis of {X in span_C(mats) : X + X^H = 0}, the real coefficients from a null space."""
    k = mats.shape[0]
    basis = torch.cat([mats, 1j * mats])  # X = Σ c_j B_j with c real, B = (M, iM)
    skew = basis + basis.conj().transpose(1, 2)
    constraints = torch.cat([skew.real.reshape(2 * k, -1), skew.imag.reshape(2 * k, -1)], dim=1).T
    _, sv, vh = torch.linalg.svd(constraints, full_matrices=True)
    rank = int((sv > 1e-9 * max(float(sv.max()), 1.0)).sum()) if sv.numel() else 0
    coefficients = vh[rank:].to(torch.complex128)
    forms = torch.einsum("rc,cij->rij", coefficients, basis)
    # the same real form may come out twice (M and iM both span it): keep an independent set
    flat = torch.cat([forms.real.reshape(len(forms), -1), forms.imag.reshape(len(forms), -1)], dim=1)
    u, sv, _ = torch.linalg.svd(flat.T, full_matrices=False)
    keep = int((sv > 1e-9 * float(sv.max())).sum())
    flat = u[:, :keep].T
    half = flat.shape[1] // 2
    return (flat[:, :half] + 1j * flat[:, half:]).reshape(keep, *mats.shape[1:])


def _realify(mats: torch.Tensor) -> torch.Tensor:
    """Complex (k, d, d) → real (k, 2d, 2d) in the coordinates (Re z₀, Im z₀, Re z₁, …)."""
    k, d, _ = mats.shape
    out = torch.zeros(k, 2 * d, 2 * d, dtype=torch.float64)
    out[:, 0::2, 0::2] = mats.real
    out[:, 0::2, 1::2] = -mats.imag
    out[:, 1::2, 0::2] = mats.imag
    out[:, 1::2, 1::2] = mats.real
    return out


__all__ = ["LieAlgebraEstimate", "KnownAlgebra", "so_generators", "invariance_constraints", "equivariance_constraints",
           "discover_lie_algebra", "algebra_from_constraints", "subspace_similarity", "known_algebra_specs",
           "engine_generators"]


def generator_from_pairs(x: torch.Tensor, y: torch.Tensor, angle: float = 1.0) -> torch.Tensor:
    """The generator L with y ≈ exp(angle·L) x, from sample pairs: the least-squares linear map on
    the span of the data, then its matrix logarithm (eigendecomposition) divided by ``angle``.

    Example:
        >>> rot = torch.tensor([[0.8, -0.6], [0.6, 0.8]], dtype=torch.float64)
        >>> x = torch.randn(10, 2, dtype=torch.float64)
        >>> gen = generator_from_pairs(x, x @ rot.T)
        >>> torch.allclose(torch.linalg.matrix_exp(gen), rot)
        True
    """
    _check(x)
    if x.shape != y.shape:
        raise InputError(f"pairs must have equal shapes, got {tuple(x.shape)} and {tuple(y.shape)}")
    x, y = x.to(torch.float64), y.to(torch.float64)
    u, s, _ = torch.linalg.svd(x.T, full_matrices=False)
    u = u[:, s > 1e-9 * s[0]]  # the data's span: the map is only determined there
    cx, cy = x @ u, y @ u
    sub = torch.linalg.lstsq(cx, cy).solution.T
    evals, evecs = torch.linalg.eig(sub)
    log = (evecs @ torch.diag(torch.log(evals)) @ torch.linalg.inv(evecs)).real
    return u @ log @ u.T / angle


__all__ += ["generator_from_pairs", "data_span"]
