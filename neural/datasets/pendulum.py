"""The double spring pendulum (EMLP, Finzi et al. 2021): Hamiltonian trajectories cut into short chunks.

State z = (x1, x2, p1, p2) ∈ R^12 (positions and momenta of two unit masses in R^3) with
H = |p1|²/2 + |p2|²/2 + (|x1| - 1)²/2 + (|x1 - x2| - 1)² + x1_z + x2_z (m = k = l = g = 1; the
second spring has no 1/2, as in the original code).  H is invariant under O(2) about the
vertical (z) axis, and so is the flow.  Trajectories are integrated with a 4th-order symplectic
method (Yoshida's composition of Störmer-Verlet) on a fine sub-grid, far more accurately than
the original's rtol=1e-4 solver.
"""
from __future__ import annotations

import numpy as np
import torch

from invariants.errors import InputError, TooLargeError
from .base import TaskData, check_size

MAX_INTEGRATION_STEPS = 1e9   # systems × steps × substeps (EMLP's 5000 systems over 30 s: 3e7)
GROUP = "O(2)"  # rotations and reflections of the plane about the z axis: O(2) on R^3 = v + 0
_CBRT2 = 2.0 ** (1.0 / 3.0)
# Yoshida (1990) triple jump: three Verlet steps of these fractions of h make a 4th-order method
YOSHIDA4 = (1 / (2 - _CBRT2), -_CBRT2 / (2 - _CBRT2), 1 / (2 - _CBRT2))


def hamiltonian(z: torch.Tensor) -> torch.Tensor:
    """H(z) for states ``z`` of shape ``(..., 12)`` (differentiable; for Hamiltonian models and checks).

    Example:
        >>> float(hamiltonian(torch.tensor([0., 0, -1, 0, 0, -2, 0, 0, 0, 0, 0, 0])))
        -3.0
    """
    x1, x2, p1, p2 = z[..., 0:3], z[..., 3:6], z[..., 6:9], z[..., 9:12]
    kinetic = 0.5 * (p1**2).sum(-1) + 0.5 * (p2**2).sum(-1)
    springs = 0.5 * (x1.norm(dim=-1) - 1) ** 2 + ((x1 - x2).norm(dim=-1) - 1) ** 2
    return kinetic + springs + x1[..., 2] + x2[..., 2]


WINDY = (0.08, 0.05, 0.0)  # the windy variant's term 0.01·(8, 5, 0)·x per mass (symmetry_tasks.md)


def potential_gradient(q: np.ndarray, wind: tuple[float, float, float] | None = None) -> np.ndarray:
    """∂V/∂(x1, x2) for positions ``q`` of shape ``(batch, 6)`` (plus ``wind``·x per mass, if given)."""
    x1, x2 = q[:, :3], q[:, 3:]
    r1 = np.linalg.norm(x1, axis=1, keepdims=True)
    d = x1 - x2
    r12 = np.linalg.norm(d, axis=1, keepdims=True)
    spring2 = 2 * (r12 - 1) * d / r12
    up = np.array([0.0, 0.0, 1.0]) + (np.asarray(wind, dtype=np.float64) if wind is not None else 0.0)
    return np.concatenate([(r1 - 1) * x1 / r1 + spring2 + up, -spring2 + up], axis=1)


def integrate(z0: np.ndarray, steps: int, dt: float = 0.2, substeps: int = 40,
              wind: tuple[float, float, float] | None = None) -> np.ndarray:
    """States at times 0, dt, ..., (steps-1) dt from ``z0`` of shape ``(batch, 12)``: ``(batch, steps, 12)``.

    Each interval dt is split into ``substeps`` steps of Yoshida's 4th-order symplectic scheme.

    Example:
        >>> z0 = np.array([[0., 0, -1, 0, 0, -2, 0, 0, 0, 0, 0, 0]])
        >>> integrate(z0, 3).shape
        (1, 3, 12)
    """
    z0 = np.asarray(z0, dtype=np.float64)
    if z0.ndim != 2 or z0.shape[1] != 12:
        raise InputError(f"integrate expects initial states of shape (batch, 12), got {z0.shape}")
    q, p = z0[:, :6].copy(), z0[:, 6:].copy()
    out = np.empty((z0.shape[0], steps, 12))
    h = dt / substeps
    grad = potential_gradient(q, wind)  # reused: a Verlet step ends with a kick at the q the next one starts from
    for k in range(steps):
        out[:, k, :6], out[:, k, 6:] = q, p
        for _ in range(substeps):
            for w in YOSHIDA4:  # kick-drift-kick Verlet of length w*h (unit masses: dq/dt = p)
                p -= 0.5 * w * h * grad
                q += w * h * p
                grad = potential_gradient(q, wind)
                p -= 0.5 * w * h * grad
    return out


def initial_conditions(n: int, rng: np.random.Generator) -> np.ndarray:
    """x1 = (0, 0, -1.5) + 0.2ε, x2 = (0, 0, -3) + 0.2ε, p = 0.4ε, ε standard normal: ``(n, 12)``."""
    eps = rng.standard_normal((n, 12))
    rest = np.array([0, 0, -1.5, 0, 0, -3.0] + [0.0] * 6)
    return rest + np.where(np.arange(12) < 6, 0.2, 0.4) * eps


def double_spring_pendulum(n: int = 500, seed: int = 0, *, chunk_len: int = 5, dt: float = 0.2, duration: float = 30.0,
                           substeps: int = 40, keep_trajectories: bool = False,
                           wind: tuple[float, float, float] | None = None,
                           dtype: torch.dtype = torch.float64) -> TaskData:
    """``n`` systems, each integrated for ``duration`` (times 0, dt, ... < duration), cut into
    chunks of ``chunk_len`` steps, of which one chunk per system is chosen at random (as EMLP).

    X is the chunk's first state z(t0) (4 vectors of R^3: x1, x2, p1, p2) and Y the whole chunk
    z(t0), z(t0 + dt), ..., flattened: ``(n, 12 * chunk_len)``.  ``meta``: ``times`` (the chunk's
    time offsets), ``initial`` (z at t = 0), ``start`` (index of t0 on the full grid) and, with
    ``keep_trajectories``, ``trajectories`` ``(n, steps, 12)`` for rollout errors.  ``wind``
    (e.g. `WINDY`) adds wind·x per mass to H, breaking O(2) about z (the windy pendulum).  EMLP used 5000
    systems (500 for training) and no normalisation.

    Example:
        >>> d = double_spring_pendulum(2, duration=2.0)
        >>> d.X.shape, d.Y.shape, d.group, d.meta["times"].round(3).tolist()
        (torch.Size([2, 12]), torch.Size([2, 60]), O(2), [0.0, 0.2, 0.4, 0.6, 0.8])
    """
    check_size(n)
    check_size(chunk_len, "chunk_len")
    check_size(substeps, "substeps")
    steps = int(np.floor(duration / dt - 1e-9)) + 1  # the grid arange(0, duration, dt)
    if n * steps * substeps > MAX_INTEGRATION_STEPS:
        raise TooLargeError(f"{n:,} systems × {steps:,} steps × {substeps} substeps = {n * steps * substeps:.3g} "
                            f"integration steps, above MAX_INTEGRATION_STEPS = {MAX_INTEGRATION_STEPS:.0e}; shorten the "
                            "duration, or raise neural.datasets.pendulum.MAX_INTEGRATION_STEPS",
                            estimate=n * steps * substeps, option="neural.datasets.pendulum.MAX_INTEGRATION_STEPS")
    n_chunks = steps // chunk_len
    if n_chunks < 1 or not dt > 0:
        raise InputError(f"duration {duration} with dt {dt} gives {steps} steps, fewer than chunk_len {chunk_len}")
    rng = np.random.default_rng(seed)
    z0 = initial_conditions(n, rng)
    zs = integrate(z0, steps, dt, substeps, wind)
    start = chunk_len * rng.integers(0, n_chunks, size=n)
    chunks = zs[np.arange(n)[:, None], start[:, None] + np.arange(chunk_len)]  # (n, chunk_len, 12)
    meta = {"times": dt * np.arange(chunk_len), "initial": z0, "start": start, "dt": dt, "substeps": substeps}
    if keep_trajectories:
        meta["trajectories"] = zs
    return TaskData("DoubleSpringPendulum" if wind is None else "WindyPendulum", torch.from_numpy(chunks[:, 0]).to(dtype),
                    torch.from_numpy(chunks.reshape(n, -1)).to(dtype), f"{GROUP}:4x(v+0)", f"{GROUP}:{4 * chunk_len}x(v+0)",
                    meta=meta, symmetric=wind is None)


def rollout_error(pred: torch.Tensor | np.ndarray, true: torch.Tensor | np.ndarray) -> float:
    """EMLP's rollout metric: geometric mean over trajectories and times of the relative error
    |a - b| / (|a| + |b|) (root-mean-square norms over the state), each clamped below at 1e-7.

    Example:
        >>> a = np.ones((1, 2, 12))
        >>> round(rollout_error(a, 3 * a), 6)
        0.5
    """
    a, b = np.asarray(pred, dtype=np.float64), np.asarray(true, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 3:
        raise InputError(f"rollout_error expects two (systems, times, state) arrays of one shape, got {a.shape}, {b.shape}")

    def rms(v: np.ndarray) -> np.ndarray:
        return np.sqrt((v**2).mean(axis=-1))

    rel = rms(a - b) / (rms(a) + rms(b))
    return float(np.exp(np.log(np.maximum(rel, 1e-7)).mean()))
