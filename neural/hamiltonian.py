"""Turn a scalar energy H(z) into a model of trajectories: z(t0) -> z(t0), z(t0 + dt), ... by Hamilton's equations.

This is how the pendulum task is learned (Hamiltonian neural networks, Greydanus et al. 2019; EMLP's
``EMLPH``): a network, invariant or not, gives H, and `HamiltonianRollout` integrates
dq/dt = ∂H/∂p, dp/dt = -∂H/∂q with classic Runge-Kutta 4, differentiably, so `fit` can train H
on the MSE of predicted chunks.  An H invariant under a group acting linearly and symplectically
(rotations of all positions and momenta alike) gives an equivariant flow.

`InvariantHamiltonian` is such an H for the double spring pendulum (EMLP's Hamiltonian task,
``benchmarks/pendulum.py``): an MLP of exact invariants of O(2) acting about the vertical axis.
"""
from __future__ import annotations

import sympy
import torch
from torch import nn

from bridge import compile_polynomials
from invariants import invariant_ring, load_spec
from invariants.errors import InputError

from .baselines import MLP


class HamiltonianRollout(nn.Module):
    """``(batch, 2m)`` states z = (q, p) to ``(batch, steps * 2m)``: z at times 0, dt, ..., (steps-1) dt.

    ``hamiltonian`` maps ``(batch, 2m)`` to ``(batch,)`` or ``(batch, 1)``; each interval dt is
    covered by ``substeps`` RK4 steps.  In training mode the graph is kept through the gradients
    of H, so the loss can be differentiated with respect to H's parameters.

    Example:
        >>> class Oscillator(nn.Module):
        ...     def forward(self, z):
        ...         return 0.5 * (z ** 2).sum(1)
        >>> flow = HamiltonianRollout(Oscillator(), steps=2, dt=torch.pi / 2, substeps=50).eval()
        >>> flow(torch.tensor([[1.0, 0.0]], dtype=torch.float64)).round(decimals=6)   # a quarter turn
        tensor([[ 1.,  0.,  0., -1.]], dtype=torch.float64)
    """

    def __init__(self, hamiltonian: nn.Module, *, steps: int = 5, dt: float = 0.2, substeps: int = 1):
        super().__init__()
        if steps < 1 or substeps < 1 or not dt > 0:
            raise InputError(f"HamiltonianRollout needs steps >= 1, substeps >= 1 and dt > 0, got {steps}, {substeps}, {dt}")
        self.hamiltonian, self.steps, self.dt, self.substeps = hamiltonian, steps, dt, substeps

    def vector_field(self, z: torch.Tensor) -> torch.Tensor:
        """(∂H/∂p, -∂H/∂q) at ``z``."""
        with torch.enable_grad():
            if not (self.training and z.requires_grad):
                z = z.detach().requires_grad_(True)
            (grad,) = torch.autograd.grad(self.hamiltonian(z).sum(), z, create_graph=self.training)
        m = z.shape[1] // 2
        return torch.cat([grad[:, m:], -grad[:, :m]], dim=1)

    def forward(self, z0: torch.Tensor) -> torch.Tensor:
        if z0.ndim != 2 or z0.shape[1] % 2:
            raise InputError(f"HamiltonianRollout expects states of shape (batch, 2m), got {tuple(z0.shape)}")
        h, z, states = self.dt / self.substeps, z0, [z0]
        for _ in range(self.steps - 1):
            for _ in range(self.substeps):
                k1 = self.vector_field(z)
                k2 = self.vector_field(z + h / 2 * k1)
                k3 = self.vector_field(z + h / 2 * k2)
                k4 = self.vector_field(z + h * k3)
                z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            states.append(z)
        return torch.cat(states, dim=1)


class InvariantHamiltonian(nn.Module):
    """H(z) = MLP(invariants), exactly invariant under O(2) about the z axis acting on the states
    ``z = (x1, x2, p1, p2)`` of ``(batch, 12)`` (two positions and two momenta in R³).

    The invariants are the engine's minimal generators of O(2) on the four planar projections
    (`invariant_ring(load_spec("O(2):4xv"))`: their ten inner products) and the four vertical
    components, which the group fixes; `features` returns them, ``(batch, 14)``.  The MLP is
    `neural.baselines.MLP` with ``channels`` hidden units, in float64; seed torch before building
    to fix its initial weights.  Rotating all four vectors about z alike is symplectic, so
    `HamiltonianRollout` of this H is an O(2)-equivariant flow.

    Example:
        >>> h = InvariantHamiltonian(channels=8)
        >>> z = torch.randn(3, 12, dtype=torch.float64)
        >>> mirror = torch.diag(torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64))  # y -> -y
        >>> bool(torch.allclose(h((z.reshape(3, 4, 3) @ mirror).reshape(3, 12)), h(z), rtol=1e-12, atol=0))
        True
    """

    def __init__(self, channels: int = 128):
        super().__init__()
        gens = invariant_ring(load_spec("O(2):4xv")).generators
        self.invariants = compile_polynomials(gens, list(sympy.symbols("x0:8")), dtype=torch.float64)
        self.mlp = MLP(len(gens) + 4, 1, channels=channels).double()
        self.register_buffer("planar", torch.tensor([0, 1, 3, 4, 6, 7, 9, 10]))
        self.register_buffer("vertical", torch.tensor([2, 5, 8, 11]))

    def features(self, z: torch.Tensor) -> torch.Tensor:
        """The 14 invariants: the planar inner products (engine order), then the 4 vertical components."""
        if z.ndim != 2 or z.shape[1] != 12:
            raise InputError(f"InvariantHamiltonian expects states of shape (batch, 12), got {tuple(z.shape)}")
        return torch.cat([self.invariants(z[:, self.planar]), z[:, self.vertical]], 1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.mlp(self.features(z))
