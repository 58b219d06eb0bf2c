"""Gauge-equivariant convolution on a mesh (de Haan, Weiler, Cohen & Welling, ICLR 2021).

    out_p = K_self x_p + (1/|N(p)|) Σ_{q ∈ N(p)} K(θ_pq, r_pq) ρ_in(g_{q→p}) x_q + bias

Each neighbour's feature is carried into p's frame by the transport g_{q→p}, then mapped by a
kernel that depends on where q sits in p's frame (the log map: angle θ_pq, radius r_pq).  The
kernels are the same steerable bases as the grid convolutions — angular harmonics whose exact
coefficients the engine solves (`bridge.kernel_bases.harmonic_kernel_arrays`: K(gx) =
ρ_out(g) K(x) ρ_in(g)⁻¹) times Gaussian radial rings — and K_self spans Hom_G(ρ_in, ρ_out).  That
constraint is exactly what makes the layer commute with a change of gauge at every vertex:
turning the frame at p by γ_p changes θ_pq by −γ_p and g_{q→p} by γ_q − γ_p, and the output at p
by ρ_out(−γ_p), whatever the mesh.

Example:
    >>> import torch
    >>> from neural.conv.gspace import steerable_space
    >>> from neural.mesh.datasets import icosphere
    >>> from neural.mesh.geometry import MeshGeometry, ring_pairs
    >>> space = steerable_space(None)
    >>> scalar, vector = space.type(space.trivial), space.type(space.group.frequency(1))
    >>> conv = GaugeConv(scalar, 4 * vector)
    >>> mesh = MeshGeometry(*icosphere(1))
    >>> conv(torch.randn(42, 1), mesh).shape
    torch.Size([42, 8])
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from bridge.kernel_bases import bias_basis_array, harmonic_kernel_arrays
from invariants.errors import InputError, ShapeError, TooLargeError, check_int
from neural.conv.fields import FieldType
from neural.mesh.fields import check_gauge_type, gauge_matrices
from neural.mesh.geometry import MeshGeometry, ring_pairs

RING_WIDTH = 0.6  # radial Gaussians one mean edge length apart, as the grid's rings are one pixel apart
DEFAULT_MAX_FREQUENCY = 3  # a vertex has about six neighbours: angular frequencies above 3 alias on its 1-ring
MAX_FREQUENCY = 64         # angular frequencies of a kernel basis built at all (its arrays grow with the frequency)


class GaugeConv(nn.Module):
    """Gauge-equivariant convolution ``in_type → out_type`` over the ``rings``-ring of every vertex
    (the geometry must hold rings at least that wide), angular frequencies up to ``max_frequency``.

    ``forward(x, geometry)``: ``x`` (V, in_type.size) in the frames of ``geometry`` (a
    `MeshGeometry`, one mesh or a union), returns (V, out_type.size).  Weights start as He's
    initialisation spread over each output field's basis (unit-norm basis kernels).
    """

    def __init__(self, in_type: FieldType, out_type: FieldType, *, max_frequency: int = DEFAULT_MAX_FREQUENCY,
                 rings: int = 1, bias: bool = True):
        super().__init__()
        check_gauge_type(in_type, "GaugeConv")
        if in_type.space != out_type.space:
            raise InputError(f"a convolution maps fields over one gauge group: got {in_type} and {out_type}")
        check_int(max_frequency, "GaugeConv: max_frequency", 0)
        check_int(rings, "GaugeConv: rings", 1)
        if max_frequency > MAX_FREQUENCY:
            raise TooLargeError(f"max_frequency {max_frequency:,} is above MAX_FREQUENCY = {MAX_FREQUENCY} (a vertex's "
                                f"ring has a few neighbours: frequencies above {DEFAULT_MAX_FREQUENCY} already alias); raise "
                                "neural.mesh.conv.MAX_FREQUENCY to build it anyway", estimate=max_frequency,
                                option="neural.mesh.conv.MAX_FREQUENCY")
        self.in_type, self.out_type, self.max_frequency, self.rings = in_type, out_type, max_frequency, rings
        plane, width = in_type.space.plane, 2 * max_frequency + 1
        self._pairs: list[tuple[int, int, int, int]] = []  # (m_out, m_in, angular basis size, self basis size)
        for r_out in out_type.distinct:
            for r_in in in_type.distinct:
                angular, self_maps = [], []
                for k, phi in harmonic_kernel_arrays(plane, r_in, r_out, max_frequency):
                    block = np.zeros((width, r_out.dim, r_in.dim))
                    if k == 0:
                        block[0] = phi
                        self_maps.append(phi / np.linalg.norm(phi))
                    else:
                        block[2 * k - 1], block[2 * k] = phi[:, :r_in.dim], phi[:, r_in.dim:]
                    angular.append(block / np.sqrt((block ** 2).sum() / (2 if k else 1)))  # unit norm over a turn
                if not angular:
                    continue
                i = len(self._pairs)
                self.register_buffer(f"_basis{i}", torch.from_numpy(np.stack(angular)), persistent=False)
                self.register_buffer(f"_self{i}", torch.from_numpy(np.stack(self_maps) if self_maps else
                                                                 np.zeros((0, r_out.dim, r_in.dim))), persistent=False)
                self.register_buffer(f"_out{i}", out_type.channels_of(r_out).reshape(-1), persistent=False)
                self.register_buffer(f"_in{i}", in_type.channels_of(r_in).reshape(-1), persistent=False)
                self._pairs.append((len(out_type.channels_of(r_out)), len(in_type.channels_of(r_in)), len(angular),
                                    len(self_maps)))
        if not self._pairs:
            raise InputError(f"no gauge-equivariant kernel maps {in_type} to {out_type} up to frequency {max_frequency}: "
                             "raise max_frequency (a field of frequency m reaches one of frequency n through |m ± n|)")
        dtype = torch.get_default_dtype()
        self.weight = nn.Parameter(torch.empty(sum(mo * mi * n * rings for mo, mi, n, _ in self._pairs), dtype=dtype))
        self.self_weight = nn.Parameter(torch.empty(sum(mo * mi * n for mo, mi, _, n in self._pairs), dtype=dtype))
        biases = [np.pad(b, (s.start, out_type.size - s.stop))
                  for s, rep in zip(out_type.slices, out_type.reps) for b in bias_basis_array(rep)] if bias else []
        self.register_buffer("bias_basis", torch.from_numpy(np.stack(biases) if biases else np.zeros((0, out_type.size))))
        self.bias = nn.Parameter(torch.zeros(len(biases), dtype=dtype)) if biases else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """He initialisation: each output channel's kernel has expected squared norm 2, shared between
        the neighbours' term and the self term and spread over the input fields and basis kernels."""
        fields_in = max(len(self.in_type), 1)
        with torch.no_grad():
            start = start_self = 0
            for i, (m_out, m_in, n, n_self) in enumerate(self._pairs):
                d_out = getattr(self, f"_basis{i}").shape[2]
                count = m_out * m_in * n * self.rings
                self.weight[start:start + count].normal_(0.0, math.sqrt(d_out / (n * self.rings * fields_in)))
                start += count
                if n_self:
                    count = m_out * m_in * n_self
                    self.self_weight[start_self:start_self + count].normal_(0.0, math.sqrt(d_out / (n_self * fields_in)))
                    start_self += count

    def kernels(self, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """The neighbour kernel ``(rings, 2·max_frequency + 1, in, out)`` (radial ring, angular
        harmonic) and the self map ``(in, out)``, assembled from the weights."""
        width = 2 * self.max_frequency + 1
        size_in, size_out = self.in_type.size, self.out_type.size
        kernel = self.weight.new_zeros(self.rings, width, size_in, size_out, dtype=dtype)
        self_map = self.weight.new_zeros(size_in, size_out, dtype=dtype)
        start = start_self = 0
        for i, (m_out, m_in, n, n_self) in enumerate(self._pairs):
            basis, out_idx, in_idx = (getattr(self, f"_{name}{i}") for name in ("basis", "out", "in"))
            w = self.weight[start:start + m_out * m_in * n * self.rings].view(self.rings, m_out, m_in, n).to(dtype)
            start += m_out * m_in * n * self.rings
            block = torch.einsum("roib,bapq->raiqop", w, basis.to(dtype)).reshape(self.rings, width, len(in_idx), len(out_idx))
            kernel[:, :, in_idx[:, None], out_idx[None, :]] = block
            if n_self:
                w = self.self_weight[start_self:start_self + m_out * m_in * n_self].view(m_out, m_in, n_self).to(dtype)
                start_self += m_out * m_in * n_self
                block = torch.einsum("oib,bpq->iqop", w, getattr(self, f"_self{i}").to(dtype))
                self_map[in_idx[:, None], out_idx[None, :]] = block.reshape(len(in_idx), len(out_idx))
        return kernel, self_map

    def extra_repr(self) -> str:
        return f"{self.in_type.describe()} → {self.out_type.describe()}, rings={self.rings}, max_frequency={self.max_frequency}"

    def forward(self, x: torch.Tensor, geometry: MeshGeometry) -> torch.Tensor:
        check_mesh_input("GaugeConv", x, self.in_type.size, geometry, self.rings)
        edges = edge_tensors(geometry, self.rings, self.max_frequency, x.device, x.dtype)
        moved = x[edges.src]
        for channels, transport in _transports(geometry, self.in_type, self.rings, x.device, x.dtype):
            m, d = channels.shape  # each field turned by its own (d × d) block: O(E·size·d), not O(E·size²)
            moved = moved.index_copy(1, channels.reshape(-1), torch.einsum(
                "eij,emj->emi", transport, moved[:, channels.reshape(-1)].reshape(-1, m, d)).reshape(-1, m * d))
        kernel, self_map = self.kernels(x.dtype)
        out = neighbour_mean(moved, edges, kernel, geometry.num_vertices) + x @ self_map
        if self.bias is not None:
            out = out + self.bias.to(x.dtype) @ self.bias_basis.to(x.dtype)
        return out


class EdgeTensors(NamedTuple):
    """Per pair (q, p): ``src`` q, ``dst`` p, ``angular`` (E, 2K+1) harmonics 1, cos kθ, sin kθ of the
    log map's angle, ``radial`` (E, rings) Gaussian rings of its radius; ``degree`` (V,) pairs per p."""
    src: torch.Tensor
    dst: torch.Tensor
    angular: torch.Tensor
    radial: torch.Tensor
    degree: torch.Tensor


def check_mesh_input(layer: str, x: torch.Tensor, size: int, geometry: MeshGeometry, rings: int) -> None:
    if x.dim() != 2 or x.shape != (geometry.num_vertices, size):
        raise ShapeError(f"{layer} expects features (vertices, channels) = ({geometry.num_vertices}, {size}), got "
                         f"{tuple(x.shape)}")
    if geometry.rings < rings:
        raise InputError(f"the layer reads {rings}-rings but the geometry has {geometry.rings}-rings: build "
                         f"MeshGeometry(..., rings={rings})")


def neighbour_mean(features: torch.Tensor, edges: EdgeTensors, kernel: torch.Tensor, vertices: int) -> torch.Tensor:
    """(1/|N(p)|) Σ_q K(θ_pq, r_pq) f_q for per-pair inputs ``features`` (E, C) and a kernel
    ``(rings, 2K+1, C, C_out)`` over radial rings × angular harmonics."""
    expanded = torch.einsum("er,ea,eq->eraq", edges.radial, edges.angular, features).reshape(len(features), -1)
    messages = expanded @ kernel.reshape(-1, kernel.shape[-1])
    out = torch.zeros(vertices, kernel.shape[-1], dtype=features.dtype, device=features.device)
    return out.index_add(0, edges.dst, messages) / edges.degree[:, None]


def edge_tensors(geometry: MeshGeometry, rings: int, max_frequency: int, device: torch.device,
                 dtype: torch.dtype) -> EdgeTensors:
    """The pairs within ``rings`` edges with their harmonics and rings, cached on the geometry."""
    cache = geometry.__dict__.setdefault("_layer_cache", {})
    key = ("edges", rings, max_frequency, str(device), dtype)
    if key not in cache:
        keep = _kept_pairs(geometry, rings)
        src, dst = (torch.from_numpy(a[keep]).to(device) for a in geometry.edge_index)
        theta = torch.from_numpy(geometry.angle[keep])
        k = torch.arange(1, max_frequency + 1, dtype=torch.float64)
        harmonics = torch.stack([torch.cos(theta[:, None] * k), torch.sin(theta[:, None] * k)], -1).reshape(len(theta), -1)
        angular = torch.cat([torch.ones(len(theta), 1, dtype=torch.float64), harmonics], 1)
        r = torch.from_numpy(geometry.radius[keep])
        radial = torch.exp(-(r[:, None] - torch.arange(1, rings + 1, dtype=torch.float64)) ** 2 / (2 * RING_WIDTH ** 2))
        degree = torch.bincount(dst.cpu(), minlength=geometry.num_vertices).clamp(min=1)
        cache[key] = EdgeTensors(src, dst, *(t.to(device=device, dtype=dtype) for t in (angular, radial, degree)))
    return cache[key]


def _transports(geometry: MeshGeometry, field_type: FieldType, rings: int, device: torch.device,
                dtype: torch.dtype) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Per distinct field of ``field_type``: its channels (m, d) and ρ(g_{q→p}) per pair (E, d, d)."""
    cache = geometry.__dict__.setdefault("_layer_cache", {})
    key = ("transport", field_type.space, field_type.distinct, rings, str(device), dtype)
    if key not in cache:
        angles = torch.from_numpy(geometry.transport[_kept_pairs(geometry, rings)])
        cache[key] = [(field_type.channels_of(rep).to(device),
                       gauge_matrices(field_type.space.type(rep), angles).to(device=device, dtype=dtype))
                      for rep in field_type.distinct if rep != field_type.space.trivial]
    return cache[key]


def _kept_pairs(geometry: MeshGeometry, rings: int) -> np.ndarray:
    """Which of the geometry's pairs lie within ``rings`` edges (the geometry may hold wider rings)."""
    if rings >= geometry.rings:
        return np.ones(geometry.edge_index.shape[1], dtype=bool)
    n = geometry.num_vertices
    near = ring_pairs(geometry.faces, n, rings)
    return np.isin(geometry.edge_index[1] * n + geometry.edge_index[0], near[1] * n + near[0])
