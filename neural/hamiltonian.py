"""Turn a scalar energy H(z) into a model of trajectories: z(t0) -> z(t0), z(t0 + dt), ... by Hamilton's equations.

This is how the pendulum task is learned (Hamiltonian neural networks, Greydanus et al. 2019; EMLP's
``EMLPH``): a network, invariant or not, gives H, and `HamiltonianRollout` integrates
dq/dt = ∂H/∂p, dp/dt = -∂H/∂q with classic Runge-Kutta 4, differentiably, so `fit` can train H
on the MSE of predicted chunks.  An H invariant under a group acting linearly and symplectically
(rotations of all positions and momenta alike) gives an equivariant flow.
"""
from __future__ import annotations

import torch
from torch import nn

from invariants.errors import InputError


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
