"""Generated meshes for gauge-equivariant learning: spheres, deformed spheres, primitive shapes.

* `icosphere(level)`: the subdivided icosahedron on the unit sphere (no dependency).
* `deformed_sphere(level, amplitude, rng)`: its radius modulated by a random smooth function.
* `gradient_task(...)`: a random smooth function f on a (deformed) sphere and its surface
  gradient ∇_S f = (I − n nᵀ)∇f, the tangent vector field to regress (input f, target the
  gradient in the vertex frames).
* `shape_task(...)`: shapes of six classes — trimesh's primitives (sphere, box, cylinder,
  capsule, cone, torus), deformed, noisy, randomly rotated and remeshed at a random resolution —
  for classification; needs trimesh (``pip install molien[mesh]``).

Example:
    >>> import numpy as np
    >>> vertices, faces = icosphere(2)
    >>> vertices.shape, faces.shape, bool(np.allclose(np.linalg.norm(vertices, axis=1), 1))
    ((162, 3), (320, 3), True)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from invariants.errors import InputError
from neural.mesh.geometry import MeshGeometry

SHAPES = ("sphere", "box", "cylinder", "capsule", "cone", "torus")


def icosphere(level: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (10·4^level + 2, 3) on the unit sphere and faces (20·4^level, 3), outward."""
    t = (1 + 5 ** 0.5) / 2
    v = [[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t],
         [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]]
    f = [[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6],
         [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10],
         [8, 6, 7], [9, 8, 1]]
    vertices = [np.array(p, dtype=np.float64) / np.linalg.norm(p) for p in v]
    faces = f
    for _ in range(level):
        middle: dict[tuple[int, int], int] = {}

        def mid(a: int, b: int) -> int:
            key = (min(a, b), max(a, b))
            if key not in middle:
                p = vertices[a] + vertices[b]
                vertices.append(p / np.linalg.norm(p))
                middle[key] = len(vertices) - 1
            return middle[key]

        faces = [g for a, b, c in faces for g in ([a, mid(a, b), mid(c, a)], [b, mid(b, c), mid(a, b)],
                                                   [c, mid(c, a), mid(b, c)], [mid(a, b), mid(b, c), mid(c, a)])]
    return np.array(vertices), np.array(faces, dtype=np.int64)


def smooth_function(rng: np.random.Generator, terms: int = 6, width: float = 0.8) -> "GaussianSum":
    """A random smooth function on R³: a sum of ``terms`` Gaussian bumps of random signs."""
    return GaussianSum(rng.normal(size=(terms, 3)) / np.sqrt(3), rng.normal(size=terms), width)


@dataclass(frozen=True)
class GaussianSum:
    """f(x) = Σ_i a_i exp(−|x − c_i|² / 2w²), with its exact gradient."""
    centres: np.ndarray
    weights: np.ndarray
    width: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self._bumps(x) @ self.weights

    def gradient(self, x: np.ndarray) -> np.ndarray:
        d = x[:, None, :] - self.centres[None]
        return -np.einsum("vi,i,vij->vj", self._bumps(x), self.weights, d) / self.width ** 2

    def _bumps(self, x: np.ndarray) -> np.ndarray:
        return np.exp(-((x[:, None, :] - self.centres[None]) ** 2).sum(-1) / (2 * self.width ** 2))


def deformed_sphere(level: int, amplitude: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The icosphere with radius 1 + amplitude · (a random smooth function scaled to [−1, 1])."""
    vertices, faces = icosphere(level)
    f = smooth_function(rng)(vertices)
    f = f / max(np.abs(f).max(), 1e-12)
    return vertices * (1 + amplitude * f)[:, None], faces


@dataclass
class MeshSample:
    """One mesh with its inputs and target: ``x`` (V, C_in) features in the frames of ``geometry``,
    ``y`` the target ((V, 2) tangent vectors in the frames, or a class index)."""
    geometry: MeshGeometry
    x: np.ndarray
    y: Any


def gradient_task(count: int, level: int = 2, amplitude: float = 0.2, seed: int = 0,
                  random_gauge: bool = True) -> list[MeshSample]:
    """``count`` samples: a random smooth f on a deformed sphere (amplitude 0: the icosphere), input
    f at the vertices (V, 1), target its surface gradient in the vertex frames (V, 2), frames
    turned by uniform random angles when ``random_gauge``.

    Example:
        >>> sample = gradient_task(1, level=1)[0]
        >>> sample.x.shape, sample.y.shape
        ((42, 1), (42, 2))
    """
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        vertices, faces = deformed_sphere(level, amplitude, rng) if amplitude else icosphere(level)
        geometry = MeshGeometry(vertices, faces)
        if random_gauge:
            geometry = geometry.rotate_frames(rng.uniform(0, 2 * np.pi, geometry.num_vertices))
        f = smooth_function(rng)
        grad = f.gradient(vertices)
        out.append(MeshSample(geometry, f(vertices)[:, None], geometry.to_frame(grad) * geometry.scale))
    return out


def shape_task(count: int, seed: int = 0, noise: float = 0.01, deformation: float = 0.15,
               resolution: tuple[float, float] = (0.18, 0.3), random_gauge: bool = True) -> list[MeshSample]:
    """``count`` shapes, classes cycling through `SHAPES`: each primitive randomly stretched and
    bent (``deformation``), remeshed to a random edge length in ``resolution`` (subdivision),
    jittered along its normals (``noise`` × its size), turned by a random rotation and its frames
    by random gauges; input the two curvature scalars of `MeshGeometry.curvatures`.

    Example:
        >>> samples = shape_task(6, resolution=(0.4, 0.5))
        >>> [s.y for s in samples], samples[0].x.shape[1]
        ([0, 1, 2, 3, 4, 5], 2)
    """
    try:
        import trimesh
    except ImportError as error:
        raise InputError("shape_task makes its meshes with trimesh: pip install trimesh (or molien[mesh])") from error
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        label = i % len(SHAPES)
        mesh = _primitive(trimesh, SHAPES[label])
        mesh.vertices = mesh.vertices * rng.uniform(1 - deformation, 1 + deformation, 3)
        bend = smooth_function(rng, terms=4, width=1.0)
        mesh.vertices = mesh.vertices + deformation * 0.5 * bend(mesh.vertices)[:, None] * mesh.vertex_normals
        size = float(np.ptp(mesh.vertices, axis=0).max())
        vertices, faces = trimesh.remesh.subdivide_to_size(mesh.vertices, mesh.faces,
                                                           rng.uniform(*resolution) * size, max_iter=6)
        mesh = trimesh.Trimesh(vertices, faces, process=True)
        mesh.vertices = mesh.vertices + noise * size * rng.normal(size=(len(mesh.vertices), 1)) * mesh.vertex_normals
        q, r = np.linalg.qr(rng.normal(size=(3, 3)))
        q = q * np.sign(np.diag(r))  # Haar-uniform in O(3) (Mezzadri 2007), then into SO(3)
        rotation = q * np.sign(np.linalg.det(q))
        geometry = MeshGeometry(mesh.vertices @ rotation.T, mesh.faces)
        if random_gauge:
            geometry = geometry.rotate_frames(rng.uniform(0, 2 * np.pi, geometry.num_vertices))
        out.append(MeshSample(geometry, geometry.curvatures, label))
    return out


def _primitive(trimesh: Any, name: str) -> Any:
    make = {"sphere": lambda: trimesh.creation.icosphere(subdivisions=1),
            "box": lambda: trimesh.creation.box(extents=(1.6, 1.6, 1.6)),
            "cylinder": lambda: trimesh.creation.cylinder(radius=0.8, height=1.8, sections=16),
            "capsule": lambda: trimesh.creation.capsule(radius=0.6, height=1.2, count=(12, 12)),
            "cone": lambda: trimesh.creation.cone(radius=0.9, height=1.8, sections=16),
            "torus": lambda: trimesh.creation.torus(major_radius=0.8, minor_radius=0.3, major_sections=24,
                                                   minor_sections=10)}
    return make[name]()
