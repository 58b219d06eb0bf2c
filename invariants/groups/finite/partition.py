"""Classes of 0 … size − 1 joined pair by pair (union–find): the blocks a set of generators links —
coordinates joined by swaps or roots, monomials joined by a generator's image."""
from __future__ import annotations


class Partition:
    """Union–find with path halving.

    Example:
        >>> p = Partition(5)
        >>> p.join(0, 3); p.join(3, 4)
        >>> list(p.classes().values())
        [[0, 3, 4], [1], [2]]
    """

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, a: int) -> int:
        """The representative of a's class."""
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)

    def classes(self) -> dict[int, list[int]]:
        """Representative → members (ascending), in the order of the classes' smallest members."""
        out: dict[int, list[int]] = {}
        for a in range(len(self.parent)):
            out.setdefault(self.find(a), []).append(a)
        return out
