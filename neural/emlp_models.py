"""molien's models for the EMLP tasks (``benchmarks/emlp_table.py`` registers them in its table).

Each builder takes the training `TaskData` and returns an ``nn.Module`` from ``(batch, rep_in.dim)``
to ``(batch, rep_out.dim)``, on features the engine computed exactly and the bridge compiled:

* `invariant_model` (``O5Synthetic``, ``ParticleInteraction``): an MLP beside a closed-form
  polynomial path on the invariants of `INVARIANT_SPECS`, the feature set chosen by leave-one-out;
* `inertia_model` (``Inertia``): Σ_j MLP_j(invariants) · e_j over the O(3)-equivariant generators
  of `inertia_generators` (`INERTIA_SPEC` → 3×3 tensors);
* `set_generator_mlp` (``SymmetricSet``, ``CyclicSet``): an MLP on the minimal generators of the permutation
  group's invariant ring.

The builders are deterministic given the torch seed (set it before calling, as the table does);
the fitted parts (`InvariantModel.prepare`, `fit_features`) see EMLP's normalisation of the training set
(`TaskData.emlp_stats`) where the table wraps the model in it.
"""
from __future__ import annotations

import functools

import sympy

from torch import nn

from invariants import load_spec
from invariants.covariants.covariants import covariant_generators_up_to
from invariants.groups.compact import O3

from .datasets import TaskData
from .models import EquivariantModel, InvariantModel

# task -> (the engine's spec of its input representation, a degree bound on the generators or None)
INVARIANT_SPECS = {
    "O5Synthetic": ({"group": "O(n)", "n": 5, "vectors": 2}, None),
    "ParticleInteraction": ({"group": "SO+(1,3)", "vectors": 4}, 2),  # the inner products (O(1,3)-invariant)
}

INERTIA_SPEC = {"group": "O(3)", "irreps": ["0e"] * 5 + ["1o"] * 5}


def invariant_model(train: TaskData) -> nn.Module:
    """`InvariantModel` on the invariants of ``INVARIANT_SPECS[train.name]`` with its default
    automatic path (the feature set, conditioning, degree and ridge chosen by leave-one-out), fitted
    on the training set in EMLP's normalisation (``train.emlp_stats()``, which the table wraps the
    model in; the targets are therefore not scaled again)."""
    spec, bound = INVARIANT_SPECS[train.name]
    stats = train.emlp_stats()
    model = InvariantModel(spec, train.rep_out.dim, degree_bound=bound, dtype=train.X.dtype)
    return model.prepare(stats.x(train.X), stats.y(train.Y), scale_targets=False)


@functools.lru_cache(maxsize=1)
def inertia_generators() -> tuple:
    """Minimal generators of degree <= 2 of the O(3)-equivariant maps (5 scalars + 5 vectors) →
    3×3 tensors, computed by the engine: I, and 25 quadratic maps (|r_i|² I − r_i r_iᵀ-type,
    symmetric and antisymmetric products); each a tuple of 9 sympy polynomials (row-major)."""
    tensor = O3().irrep("1o") * O3().irrep("1o")
    return tuple(tuple(g) for g in covariant_generators_up_to(load_spec(INERTIA_SPEC), tensor, 2))


def inertia_model(train: TaskData) -> nn.Module:
    """Σ_j MLP_j(O(3) invariants of degree <= 2) · e_j over `inertia_generators`, its invariant
    features standardised on ``train.X``."""
    x = sympy.symbols("x0:20")
    model = EquivariantModel(INERTIA_SPEC, [list(g) for g in inertia_generators()], list(x), degree_bound=2,
                             normalize=None, dtype=train.X.dtype)
    return model.fit_features(train.X)


def set_generator_mlp(train: TaskData) -> nn.Module:
    """MLP on the minimal generators of the invariant ring of the task's permutation group (for S(n) the
    power sums of degrees 1 … n), each as sign(f)|f|^(1/deg) for conditioning — no linear path: the set
    targets (with their Gaussian kernels) are not polynomials."""
    model = InvariantModel(train.rep_in, 1, normalize="root", path=None, dtype=train.X.dtype)
    stats = train.emlp_stats()
    return model.fit_features(stats.x(train.X))
