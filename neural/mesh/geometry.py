"""A triangle mesh's local geometry: tangent frames, logarithmic map and parallel transport.

A gauge-equivariant convolution (de Haan, Weiler, Cohen & Welling, ICLR 2021) reads three things
off a surface: a frame (e₁, e₂) of the tangent plane at every vertex — the *gauge*, arbitrary —,
the position of each neighbour q in the frame of its centre p (the logarithmic map: angle θ_pq
and radius r_pq), and the rotation g_{q→p} that carries q's frame to p's along the edge (the
discrete Levi-Civita transport: the smallest rotation taking q's normal to p's, then read in p's
frame).  A tangent vector at angle α in q's frame arrives at angle α + g_{q→p} in p's.

Rotating the frame at every vertex by γ_p (a change of gauge, `MeshGeometry.rotate_frames`)
changes θ_pq → θ_pq − γ_p and g_{q→p} → g_{q→p} + γ_q − γ_p; the layers in this package map
fields so that their outputs change exactly as declared.

Why our own code rather than potpourri3d or libigl: the convolution needs exactly these three
arrays on the k-ring of every vertex, in float64, with one frame convention shared by the
log map, the transport and the gauge tests; computing them is 100 lines of numpy with no
compiled dependency, whereas the heat-method log map of potpourri3d solves a sparse system per
source vertex for a neighbourhood of a few edges.  trimesh (the optional ``mesh`` extra) reads
files and makes primitives: `MeshGeometry.from_trimesh`.

Example:
    >>> import numpy as np
    >>> from neural.mesh.datasets import icosphere
    >>> mesh = MeshGeometry(*icosphere(1))
    >>> mesh.num_vertices, mesh.edge_index.shape[1]
    (42, 240)
    >>> turned = mesh.rotate_frames(np.full(42, 0.5))
    >>> bool(np.allclose(np.cos(turned.angle - mesh.angle + 0.5), 1))
    True
"""
from __future__ import annotations

import functools
from typing import Any, Sequence

import numpy as np

from invariants.errors import InputError, ShapeError


class MeshGeometry:
    """Frames, log map and transport on the ``rings``-ring neighbourhoods of a triangle mesh.

    ``vertices`` (V, 3) float, ``faces`` (F, 3) int.  ``edge_index`` (2, E) lists (source q,
    target p) pairs as torch_geometric does: messages flow from q to p.  ``angle`` and ``radius``
    (E,) are the log map of q at p (radius in units of the mean edge length), ``transport`` (E,)
    is g_{q→p}; ``frames`` (V, 2, 3) holds e₁, e₂ per vertex, ``normals`` (V, 3).
    ``batch`` (V,) numbers the mesh each vertex belongs to (`MeshGeometry.union`).
    """

    def __init__(self, vertices: Any, faces: Any, rings: int = 1, frames: np.ndarray | None = None):
        vertices = np.asarray(vertices, dtype=np.float64)
        faces = np.asarray(faces)
        if vertices.ndim != 2 or vertices.shape[1] != 3 or faces.ndim != 2 or faces.shape[1] != 3:
            raise ShapeError(f"a triangle mesh is vertices (V, 3) and faces (F, 3), got {vertices.shape} and {faces.shape}")
        if not np.issubdtype(faces.dtype, np.integer) or faces.size and (faces.min() < 0 or faces.max() >= len(vertices)):
            raise InputError("faces must be integer indices into the vertices (0 … V−1)")
        if not np.isfinite(vertices).all():
            raise InputError("the mesh has NaN or infinite vertex coordinates: clean it (trimesh: mesh.remove_infinite_values())")
        if rings < 1:
            raise InputError(f"rings is the neighbourhood size in edges, at least 1, got {rings}")
        self.vertices, self.faces, self.rings = vertices, faces.astype(np.int64), rings
        self.num_vertices = len(vertices)
        self.batch = np.zeros(self.num_vertices, dtype=np.int64)
        self.normals = _vertex_normals(vertices, self.faces)
        self.edge_index = ring_pairs(self.faces, self.num_vertices, rings)
        lonely = np.setdiff1d(np.arange(self.num_vertices), self.edge_index[1])
        if len(lonely):
            raise InputError(f"{len(lonely)} vertices (e.g. {lonely[:5].tolist()}) lie on no face: remove unreferenced "
                             "vertices first (trimesh: mesh.remove_unreferenced_vertices())")
        self.frames = _reference_frames(self.vertices, self.normals, self.edge_index) if frames is None else frames
        src, dst = self.edge_index
        edge = vertices[self.faces[:, [1, 2, 0]]] - vertices[self.faces]
        self.scale = float(np.linalg.norm(edge, axis=-1).mean())
        self.angle, self.radius = _log_map(vertices, self.normals, self.frames, src, dst, self.scale)
        self.transport = _transport(self.normals, self.frames, src, dst)

    @classmethod
    def from_trimesh(cls, mesh: Any, rings: int = 1) -> "MeshGeometry":
        """From a ``trimesh.Trimesh`` (pip install trimesh, or molien[mesh])."""
        return cls(np.asarray(mesh.vertices), np.asarray(mesh.faces), rings)

    def __repr__(self) -> str:
        meshes = int(self.batch.max()) + 1 if self.num_vertices else 0
        return (f"MeshGeometry({self.num_vertices} vertices, {self.edge_index.shape[1]} pairs on {self.rings}-rings"
                + (f", {meshes} meshes" if meshes > 1 else "") + ")")

    def rotate_frames(self, gamma: Any) -> "MeshGeometry":
        """The same mesh with the frame at vertex p turned by ``gamma[p]`` (radians): a change of gauge."""
        gamma = np.asarray(gamma, dtype=np.float64)
        if gamma.shape != (self.num_vertices,):
            raise ShapeError(f"one angle per vertex: expected ({self.num_vertices},), got {gamma.shape}")
        c, s = np.cos(gamma)[:, None], np.sin(gamma)[:, None]
        e1, e2 = self.frames[:, 0], self.frames[:, 1]
        out = self._copy()
        out.frames = np.stack([c * e1 + s * e2, -s * e1 + c * e2], 1)
        src, dst = self.edge_index
        out.angle = self.angle - gamma[dst]
        out.transport = self.transport + gamma[src] - gamma[dst]
        return out

    @staticmethod
    def union(meshes: Sequence["MeshGeometry"]) -> "MeshGeometry":
        """Disjoint union, with ``batch`` numbering the meshes (torch_geometric's batching)."""
        if not meshes:
            raise InputError("union of no meshes")
        out = meshes[0]._copy()
        offsets = np.cumsum([0] + [m.num_vertices for m in meshes])
        out.vertices = np.concatenate([m.vertices for m in meshes])
        out.faces = np.concatenate([m.faces + o for m, o in zip(meshes, offsets)])
        out.normals = np.concatenate([m.normals for m in meshes])
        out.frames = np.concatenate([m.frames for m in meshes])
        out.edge_index = np.concatenate([m.edge_index + o for m, o in zip(meshes, offsets)], 1)
        for name in ("angle", "radius", "transport"):
            setattr(out, name, np.concatenate([getattr(m, name) for m in meshes]))
        out.batch = np.concatenate([np.full(m.num_vertices, i) for i, m in enumerate(meshes)])
        out.num_vertices = int(offsets[-1])
        out.rings = max(m.rings for m in meshes)
        return out

    def to_frame(self, vectors: Any) -> np.ndarray:
        """Tangent vectors (V, 3) in ambient coordinates → (V, 2) in the vertex frames (the normal
        part is dropped)."""
        return np.einsum("vij,vj->vi", self.frames, np.asarray(vectors, dtype=np.float64))

    def from_frame(self, coordinates: Any) -> np.ndarray:
        """(V, 2) frame coordinates → tangent vectors (V, 3) in ambient coordinates."""
        return np.einsum("vij,vi->vj", self.frames, np.asarray(coordinates, dtype=np.float64))

    @functools.cached_property
    def vertex_areas(self) -> np.ndarray:
        """A third of the area of the faces around each vertex."""
        v = self.vertices[self.faces]
        area = 0.5 * np.linalg.norm(np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0]), axis=1)
        return np.bincount(self.faces.ravel(), np.repeat(area / 3, 3), self.num_vertices)

    @functools.cached_property
    def curvatures(self) -> np.ndarray:
        """(V, 2) rotation-invariant scalars: Gaussian curvature (angle defect / vertex area) and
        the normal component of the umbrella Laplacian (a mean-curvature proxy), both × scale²
        so that they do not depend on the mesh's size."""
        v = self.vertices[self.faces]
        angles = np.zeros(self.num_vertices)
        for i in range(3):
            a, b = v[:, (i + 1) % 3] - v[:, i], v[:, (i + 2) % 3] - v[:, i]
            cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
            np.add.at(angles, self.faces[:, i], np.arccos(np.clip(cos, -1, 1)))
        gauss = (2 * np.pi - angles) / self.vertex_areas
        src, dst = self.edge_index
        one_ring = ring_pairs(self.faces, self.num_vertices, 1) if self.rings > 1 else self.edge_index
        degree = np.bincount(one_ring[1], minlength=self.num_vertices)
        mean = np.zeros((self.num_vertices, 3))
        np.add.at(mean, one_ring[1], self.vertices[one_ring[0]])
        lap = mean / degree[:, None] - self.vertices
        normal_part = (lap * self.normals).sum(1) / self.scale ** 2
        return np.stack([gauss * self.scale ** 2, normal_part], 1)

    def _copy(self) -> "MeshGeometry":
        out = object.__new__(MeshGeometry)
        out.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("vertex_areas", "curvatures", "_layer_cache")})
        return out


def _vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    v = vertices[faces]
    face_normals = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])  # length = 2·area: area-weighted sum
    normals = np.zeros_like(vertices)
    for i in range(3):
        np.add.at(normals, faces[:, i], face_normals)
    length = np.linalg.norm(normals, axis=1)
    if (length[np.unique(faces)] < 1e-300).any():
        raise InputError("a vertex has no normal (its faces are degenerate or cancel): remove degenerate faces "
                         "(trimesh: mesh.update_faces(mesh.nondegenerate_faces()))")
    return normals / np.where(length > 0, length, 1)[:, None]


def ring_pairs(faces: np.ndarray, n: int, rings: int) -> np.ndarray:
    """(2, E) ordered pairs (q, p), q ≠ p within ``rings`` edges, sorted by p then q."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = np.concatenate([e, e[:, ::-1]])
    pairs = np.unique(e[:, 1] * n + e[:, 0])
    one = np.stack([pairs % n, pairs // n])
    reach = one
    for _ in range(rings - 1):  # extend every path by one edge: (q, p) and (r, q) give (r, p)
        order = np.argsort(one[1], kind="stable")
        start = np.searchsorted(one[1][order], np.arange(n + 1))
        q, p = reach
        counts = start[q + 1] - start[q]
        first = np.repeat(start[q], counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        r = one[0][order][first]
        keys = np.unique(np.concatenate([reach[1] * n + reach[0], np.repeat(p, counts) * n + r]))
        reach = np.stack([keys % n, keys // n])
        reach = reach[:, reach[0] != reach[1]]
    return reach


def _reference_frames(vertices: np.ndarray, normals: np.ndarray, edge_index: np.ndarray) -> np.ndarray:
    """e₁ towards the lowest-numbered neighbour (projected), e₂ = n × e₁: a gauge fixed by the mesh
    alone, so a rigid motion moves the frames with it."""
    src, dst = edge_index
    first = np.searchsorted(dst, np.arange(len(vertices)))  # pairs are sorted by p, then q
    d = vertices[src[first]] - vertices
    e1 = d - (d * normals).sum(1, keepdims=True) * normals
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    return np.stack([e1, np.cross(normals, e1)], 1)


def _log_map(vertices: np.ndarray, normals: np.ndarray, frames: np.ndarray, src: np.ndarray, dst: np.ndarray,
             scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Angle of q in p's frame (the edge projected on p's tangent plane) and its length / scale."""
    d = vertices[src] - vertices[dst]
    x, y = (np.einsum("ej,ej->e", frames[dst, i], d) for i in range(2))
    return np.arctan2(y, x), np.linalg.norm(d, axis=1) / scale


def _transport(normals: np.ndarray, frames: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """g_{q→p}: q's e₁ turned by the smallest rotation taking n_q to n_p, as an angle in p's frame."""
    nq, np_ = normals[src], normals[dst]
    e1 = frames[src, 0]
    axis = np.cross(nq, np_)
    cos = np.clip((nq * np_).sum(1), -1.0, 1.0)
    # Rodrigues with k = axis/|axis|, sin = |axis|: R v = v cos + (axis × v) + axis (axis·v)/(1 + cos)
    moved = (e1 * cos[:, None] + np.cross(axis, e1)
             + axis * ((axis * e1).sum(1) / np.maximum(1 + cos, 1e-12))[:, None])
    if (cos < -1 + 1e-9).any():
        raise InputError("two neighbouring vertices have opposite normals (a fold or a flipped face): fix the face "
                         "orientation (trimesh: trimesh.repair.fix_normals(mesh))")
    x, y = (np.einsum("ej,ej->e", frames[dst, i], moved) for i in range(2))
    return np.arctan2(y, x)
