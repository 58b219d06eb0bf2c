"""Charged particles: the N-body task of Satorras, Hoogeboom, Welling (EGNN, ICML 2021), simulated here
from the protocol's description (Kipf et al.'s charged-particle system, in 3D).

Five particles with charges ±1 (each with probability 1/2), positions N(0, 1) per coordinate,
velocities of norm 0.5 in uniformly random directions, in free space (the published data were
generated with the box walls of Kipf et al.'s system switched off); the force on i is
Σ_j q_i q_j (x_i − x_j)/|x_i − x_j|³ (like charges repel), clipped to ±100 per coordinate;
semi-implicit Euler steps of 0.001, frame k after 100 (k + 1) steps.  The task: from the positions,
velocities and charges at frame 30, predict the positions at frame 40 (1000 steps later).
Everything is float64 numpy, vectorised over trajectories, deterministic in ``seed``.

The symmetry: E(3) acting on positions (rotations, reflections, translations), O(3) on velocities,
charges invariant; and S_5 permuting the particles.

Example:
    >>> data = charged_nbody(4, seed=0)
    >>> data["positions"].shape, data["velocities"].shape, data["charges"].shape, data["target"].shape
    ((4, 5, 3), (4, 5, 3), (4, 5), (4, 5, 3))
"""
from __future__ import annotations

import numpy as np

from invariants.errors import InputError, TooLargeError

STEP = 1e-3
FRAME = 100
MAX_FORCE = 0.1 / STEP
MAX_SIMULATION_WORK = 1e11             # pair differences over all steps (the benchmark's 7000 samples: 2.9e9)
MAX_SIMULATION_BYTES = 4 * 2**30


def simulate_charged(count: int, seed: int, particles: int = 5, frames: int = 41, dim: int = 3) -> dict[str, np.ndarray]:
    """``count`` trajectories: positions and velocities at every frame ``(count, frames, particles, dim)``
    and charges ``(count, particles)``."""
    if min(count, particles, frames, dim) < 1:
        raise InputError(f"the simulation needs positive sizes, got count={count}, particles={particles}, "
                         f"frames={frames}, dim={dim}")
    work = count * frames * FRAME * particles * particles * dim   # every step forms all pairwise differences
    memory = count * particles * particles * dim * 8 + 2 * count * frames * particles * dim * 8
    if work > MAX_SIMULATION_WORK or memory > MAX_SIMULATION_BYTES:
        raise TooLargeError(f"simulating {count:,} trajectories of {particles:,} particles for {frames * FRAME:,} steps "
                            f"costs about {work:.2g} operations and {memory / 2**30:.3g} GiB, above MAX_SIMULATION_WORK = "
                            f"{MAX_SIMULATION_WORK:.0e} or MAX_SIMULATION_BYTES = {MAX_SIMULATION_BYTES / 2**30:.0f} GiB; "
                            "simulate in smaller batches, or raise neural.datasets.nbody.MAX_SIMULATION_WORK",
                            estimate=work, option="neural.datasets.nbody.MAX_SIMULATION_WORK")
    rng = np.random.default_rng(seed)
    charges = rng.choice([-1.0, 1.0], size=(count, particles))
    x = rng.standard_normal((count, particles, dim))
    v = rng.standard_normal((count, particles, dim))
    v *= 0.5 / np.linalg.norm(v, axis=-1, keepdims=True)
    coupling = charges[:, :, None] * charges[:, None, :]
    eye = np.eye(particles, dtype=bool)
    positions = np.empty((count, frames, particles, dim))
    velocities = np.empty_like(positions)
    for step in range(1, frames * FRAME + 1):
        diff = x[:, :, None, :] - x[:, None, :, :]
        dist3 = np.linalg.norm(diff, axis=-1) ** 3
        dist3[:, eye] = np.inf
        force = ((coupling / dist3)[..., None] * diff).sum(2)
        v = v + STEP * np.clip(force, -MAX_FORCE, MAX_FORCE)
        x = x + STEP * v
        if step % FRAME == 0:
            positions[:, step // FRAME - 1], velocities[:, step // FRAME - 1] = x, v
    return {"positions": positions, "velocities": velocities, "charges": charges}


def charged_nbody(count: int, seed: int, particles: int = 5, start: int = 30, horizon: int = 10) -> dict[str, np.ndarray]:
    """``count`` samples: positions, velocities, charges at frame ``start``; target: positions at ``start + horizon``."""
    if min(start, horizon - 1) < 0:
        raise InputError(f"the input frame is >= 0 and the horizon >= 1 frame, got start={start}, horizon={horizon}")
    run = simulate_charged(count, seed, particles, frames=start + horizon + 1)
    return {"positions": run["positions"][:, start], "velocities": run["velocities"][:, start],
            "charges": run["charges"], "target": run["positions"][:, start + horizon]}
