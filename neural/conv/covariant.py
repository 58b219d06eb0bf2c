"""The exact equivariant nonlinearity: a field's covariants weighted by functions of its invariants.

For a field x of type ρ the engine gives the generators c_j of the covariant module (the
equivariant polynomial maps ρ → ρ, up to a degree) and the generators of the invariant ring;
every equivariant polynomial map is Σ_j q_j(x) c_j(x) with invariant q_j.  The layer computes

    y = |x| · Σ_j f_j(u(x)) · c_j(x) / |x|^{deg c_j},

u(x) the invariants scaled the same way (degree 0) beside |x|, and f a small network per field: a
learned, exactly equivariant function for *every* field type of every finite group, with no
sampling of the group (so no harmonic distortion).  |x| is the field's Euclidean norm, which
needs an orthogonal representation (permutation fields, the plane's vectors, signs): others are
refused with that reason.

Example:
    >>> import torch
    >>> from neural.conv.gspace import grid_space
    >>> space = grid_space("D4")
    >>> layer = CovariantNonlinearity(2 * space.type(space.plane), degree=3)
    >>> layer(torch.randn(1, 4, 5, 5)).shape
    torch.Size([1, 4, 5, 5])
"""
from __future__ import annotations

import math

import torch
from torch import nn

from bridge import equivariant_layer, invariant_layer, matrices, sample
from invariants.errors import InputError
from invariants.groups.representation import Representation
from neural.conv.fields import FieldType


class CovariantMap(nn.Module):
    """The exact nonlinearity on vectors: ``(N, fields, d) → (N, fields, d)`` for ``fields`` copies
    of a representation ``rep`` of any group the engine knows (finite or compact), one network f per
    copy; ``rep`` must be orthogonal (|x| is the Euclidean norm).

    Example:
        >>> import torch
        >>> from invariants import load_spec
        >>> f = CovariantMap(load_spec("SO(2):0+1+2"), fields=3)
        >>> f(torch.randn(10, 3, 5)).shape
        torch.Size([10, 3, 5])
    """

    def __init__(self, rep: Representation, fields: int = 1, degree: int = 2, invariant_degree: int | None = None,
                 hidden: int = 16):
        super().__init__()
        rho = _some_images(rep)
        if not torch.allclose(rho.transpose(1, 2) @ rho, torch.eye(rep.dim, dtype=rho.dtype).expand_as(rho)):
            raise InputError(f"the exact nonlinearity scales by the Euclidean norm, so it needs an orthogonal "
                             f"representation; {rep} is not orthogonal in its basis: change to an orthonormal basis")
        dtype = torch.get_default_dtype()  # like torch's layers; .double() / .to() convert the compiled maps
        self.covariants = equivariant_layer(rep, rep, degree_bound=degree, normalize="degree", dtype=dtype)
        self.invariants = invariant_layer(rep, degree_bound=invariant_degree or max(degree, 2), normalize="degree",
                                          dtype=dtype)
        n_cov, n_inv = self.covariants.polys.output_shape[0], self.invariants.n_features
        self.fields, self.dim = fields, rep.dim
        self.w1 = nn.Parameter(torch.randn(fields, n_inv, hidden) / math.sqrt(n_inv))
        self.b1 = nn.Parameter(torch.zeros(fields, hidden))
        self.w2 = nn.Parameter(torch.randn(fields, hidden, n_cov) / math.sqrt(hidden * n_cov))
        self.b2 = nn.Parameter(torch.zeros(fields, n_cov))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, m, d = x.shape
        dtype = x.dtype
        x = x.to(self.w1.dtype)  # computed in the module's precision (.double() for float64), returned in x's
        flat = x.reshape(n * m, d)
        cov = self.covariants(flat).reshape(n, m, -1, d)  # ĉ_j(x) = c_j(x)/|x|^deg
        inv = self.invariants(flat).reshape(n, m, -1)  # u(x), then |x| last
        h = torch.tanh(torch.einsum("nmi,mih->nmh", inv, self.w1.to(x.dtype)) + self.b1.to(x.dtype))
        coeff = torch.einsum("nmh,mhc->nmc", h, self.w2.to(x.dtype)) + self.b2.to(x.dtype)
        return (torch.einsum("nmc,nmcd->nmd", coeff, cov) * inv[..., -1:]).to(dtype)


class CovariantNonlinearity(nn.Module):
    """y = |x| Σ_j f_j(u(x)) ĉ_j(x) per field (module docstring); covariants up to ``degree``,
    invariants up to ``invariant_degree`` (default: ``degree``, at least 2), f with ``hidden`` units."""

    def __init__(self, field_type: FieldType, degree: int = 2, invariant_degree: int | None = None,
                 hidden: int = 16):
        super().__init__()
        self.in_type = self.out_type = field_type
        self.maps = nn.ModuleList()
        for i, rep in enumerate(field_type.distinct):
            channels = field_type.channels_of(rep)
            self.register_buffer(f"_channels{i}", channels, persistent=False)
            self.maps.append(CovariantMap(rep, len(channels), degree, invariant_degree, hidden))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.in_type.check_input(x, "CovariantNonlinearity's input")
        out = torch.empty_like(x)
        batch, spatial = x.shape[0], x.shape[2:]
        for i, f in enumerate(self.maps):
            channels = getattr(self, f"_channels{i}")
            m, d = channels.shape
            fields = x[:, channels.reshape(-1)].reshape(batch, m, d, -1).permute(0, 3, 1, 2).reshape(-1, m, d)
            y = f(fields).reshape(batch, -1, m, d).permute(0, 2, 3, 1).reshape(batch, m * d, *spatial)
            out[:, channels.reshape(-1)] = y
        return out


def _some_images(rep: Representation) -> torch.Tensor:
    """ρ at a few random elements, float64: exact elements for a finite group, float ones otherwise."""
    try:
        return torch.stack([torch.from_numpy(rep(g).to_numpy(float)) for g in rep.group.random_elements(4, seed=0)])
    except InputError:  # a continuous group has no exact random elements: the bridge samples it
        return matrices(rep, sample(rep.group, 4, generator=torch.Generator().manual_seed(0)))
