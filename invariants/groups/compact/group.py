"""Compact groups as the algebra needs them: component classes, tori and root systems.

A compact group G with identity component G° and finite component group C is described by
its *component classes*: the identity component and, for each other class of components, the
share of G it occupies, the rank of its (twisted) maximal torus and the positive roots of
the Weyl integration formula on it.  The Molien–Weyl integral is then a sum over classes of
constant terms (`invariants.groups.compact.molien_weyl`), and invariants are the polynomials the
Lie algebra kills and the component representatives fix (`invariants.groups.compact.invariants`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

Weight = tuple[int, ...]


@dataclass(frozen=True)
class ComponentClass:
    """A class of components of G: its share of G, the rank of its maximal (twisted) torus,
    and the positive roots of the Weyl integration formula restricted to that torus."""

    share: Fraction
    rank: int
    positive_roots: tuple[Weight, ...]
    name: str = "identity component"


class CompactGroup:
    """A compact (or reductive, via its compact form) group, by its component classes.

    Subclasses build representations (``SO3().irrep(2)``, ``U1().rep([1, -1])``, …).
    Two group objects are the same group when their keys agree.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> G = SO3()
        >>> G.rank, G.classes[0].positive_roots
        (1, ((1,),))
    """

    def __init__(self, name: str, classes: Sequence[ComponentClass], key: tuple, lie_dimension: int):
        self.name = name
        self.classes = tuple(classes)
        self.key = key
        self.lie_dimension = lie_dimension

    @property
    def rank(self) -> int:
        return self.classes[0].rank

    @property
    def is_connected(self) -> bool:
        return len(self.classes) == 1

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompactGroup) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return self.name

    def __mul__(self, other: "CompactGroup") -> "CompactGroup":
        return product_group(self, other)


def product_group(*factors: CompactGroup) -> CompactGroup:
    """G_1 × … × G_s: ranks add, roots embed in their own coordinates, classes multiply."""
    if len(factors) == 1:
        return factors[0]
    classes = []
    for combo in itertools.product(*[f.classes for f in factors]):
        share = Fraction(1)
        roots: list[Weight] = []
        offset = sum(c.rank for c in combo)
        start = 0
        for c in combo:
            share *= c.share
            roots += [(0,) * start + r + (0,) * (offset - start - c.rank) for r in c.positive_roots]
            start += c.rank
        name = " × ".join(c.name for c in combo)
        classes.append(ComponentClass(share, offset, tuple(roots), name))
    name = " × ".join(f.name for f in factors)
    return CompactGroup(name, classes, ("product",) + tuple(f.key for f in factors),
                        sum(f.lie_dimension for f in factors))


def roots_type_a(n: int) -> tuple[Weight, ...]:
    """Positive roots e_i − e_j (i < j) of U(n) in the coordinates of its diagonal torus."""
    out = []
    for i, j in itertools.combinations(range(n), 2):
        v = [0] * n
        v[i], v[j] = 1, -1
        out.append(tuple(v))
    return tuple(out)


def roots_type_bcd(m: int, kind: str) -> tuple[Weight, ...]:
    """Positive roots of B_m (SO(2m+1)), C_m and D_m (SO(2m)) in the standard coordinates."""
    out = []
    for i, j in itertools.combinations(range(m), 2):
        for s in (-1, 1):
            v = [0] * m
            v[i], v[j] = 1, s
            out.append(tuple(v))
    for i in range(m):
        v = [0] * m
        if kind == "B":
            v[i] = 1
            out.append(tuple(v))
        elif kind == "C":
            v[i] = 2
            out.append(tuple(v))
    return tuple(out)
