"""Orbits of exact vectors under finitely many matrices over a prime field (breadth first), with the
permutation each matrix induces on the orbit: the faithful permutation action of a finite matrix
group, and the orbit sums of invariant theory."""
from __future__ import annotations

from typing import Callable, Sequence

from flint import fmpq, nmod

from invariants.linalg import dense


class OrbitOverflow(Exception):
    """Raised by `overflow` to abandon an orbit that grew past its cap."""


def overflow() -> None:
    raise OrbitOverflow


def vector_key(v: Sequence[fmpq | nmod]) -> tuple[int, ...]:
    """A cheap exact hash key (fmpq is canonical, so numerators and denominators identify it; an
    nmod is its residue)."""
    if v and isinstance(v[0], nmod):
        return tuple([int(x) for x in v])
    return tuple([int(x.p) for x in v] + [int(x.q) for x in v])


class VectorOrbit:
    """The orbit of exact vectors (tuples of rationals or residues mod p) under matrices over that prime field, breadth first,
    with the permutation each matrix induces on it.

    ``on_overflow`` is called (and must raise) when the orbit exceeds ``max_size`` points.
    """

    def __init__(self, mats: Sequence[dense.FlintMatrix], start: Sequence[tuple], max_size: int,
                 on_overflow: Callable[[], None]):
        dim = mats[0].nrows()
        self.points: list[tuple] = []
        self.index: dict[tuple, int] = {}
        self._images: list[dict[int, int]] = [dict() for _ in mats]
        for v in start:
            self._add(tuple(v))
        frontier = list(range(len(self.points)))
        while frontier:
            width = len(frontier)
            cols = dense.from_entries(mats[0], dim, width, [self.points[p][i] for i in range(dim) for p in frontier])
            first_new = len(self.points)
            for gi, gq in enumerate(mats):
                ent = (gq * cols).entries()
                images = self._images[gi]
                for j, p in enumerate(frontier):
                    images[p] = self._add(tuple(ent[j::width]))
            if len(self.points) > max_size:
                on_overflow()
            frontier = list(range(first_new, len(self.points)))

    @classmethod
    def from_permutations(cls, points: list[tuple], images: list[list[int]]) -> "VectorOrbit":
        """An orbit computed elsewhere (monomial matrices act on scaled basis vectors without
        products: `MatrixGroup.monomial`): its points and, per matrix, the image of each point.

        Example:
            >>> from flint import fmpq
            >>> o = VectorOrbit.from_permutations([(fmpq(1), fmpq(0)), (fmpq(0), fmpq(1))], [[1, 0]])
            >>> o.find((fmpq(0), fmpq(1))), o.permutations()
            (1, [(1, 0)])
        """
        orbit = cls.__new__(cls)
        orbit.points = list(points)
        orbit.index = {vector_key(v): i for i, v in enumerate(orbit.points)}
        orbit._images = [dict(enumerate(img)) for img in images]
        return orbit

    def _add(self, vec: tuple) -> int:
        key = vector_key(vec)
        pos = self.index.get(key)
        if pos is None:
            pos = len(self.points)
            self.index[key] = pos
            self.points.append(vec)
        return pos

    def find(self, vec: tuple) -> int | None:
        """Position of an exact vector in the orbit, or None."""
        return self.index.get(vector_key(vec))

    def permutations(self) -> list[tuple[int, ...]]:
        return [tuple(img[p] for p in range(len(self.points))) for img in self._images]
