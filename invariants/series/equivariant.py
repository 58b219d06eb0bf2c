"""Equivariant (character-valued) Hilbert series of a diagonal action of a torus × finite abelian
group, as Macaulay2's ``equivariantHilbertSeries`` (package InvariantRing):

    Σ_d Σ_χ dim K[V]_{d,χ} z^χ t^d = ∏_i 1/(1 − z^{w_i} t),

w_i = (torus weight of x_i, its characters of Z/d_1, …, Z/d_s reduced mod d_k).  The coefficient of
the trivial character is the Hilbert series of K[V]^G; for a finite abelian group it is computed
exactly from the group's character table (`invariants.series.characters`).
"""
from __future__ import annotations

from math import gcd, lcm
from typing import Any, Sequence

import sympy

from invariants.errors import FloatEntryError, InputError
from invariants.groups.finite.eigen import eigen_exponents, matrix_order
from invariants.groups.representation import as_representation
from invariants.series.characters import CharacterTable, molien_series_from_character
from invariants.series.cyclotomic import Cyclotomic
from invariants.series.hilbert import HilbertSeries


def _int_rows(rows: Sequence[Sequence[Any]], n: int, what: str) -> tuple[tuple[int, ...], ...]:
    if any(isinstance(x, float) for row in rows for x in row):
        raise FloatEntryError(f"{what} must be exact integers, not floats")
    out = tuple(tuple(int(x) for x in row) for row in rows)
    if any(int(x) != x for row in rows for x in row) or any(len(r) != n for r in out):
        raise InputError(f"{what} must be rows of {n} integers, one column per variable")
    return out


class EquivariantHilbertSeries:
    """The equivariant Hilbert series of K[x_1..x_n] under a diagonal action (M2's
    ``diagonalAction(W1, W2, d, R)``): ``torus_weights`` is W1 (r rows, one column per variable),
    ``finite_weights`` W2 (one row per cyclic factor Z/d_k), ``orders`` the d_k.

    Example:
        >>> H = EquivariantHilbertSeries([[1, 0, -1], [0, 1, -1]])
        >>> H.to_sympy()
        1/((-t*z0 + 1)*(-t*z1 + 1)*(-t/(z0*z1) + 1))
        >>> H.invariant_coefficients(7)
        [1, 0, 0, 1, 0, 0, 1]
    """

    def __init__(self, torus_weights: Sequence[Sequence[int]] = (), finite_weights: Sequence[Sequence[int]] = (),
                 orders: Sequence[int] = ()):
        W1, W2 = list(torus_weights), list(finite_weights)
        n = len((W1 or W2 or [[]])[0])
        self.torus_weights = _int_rows(W1, n, "torus weights")
        self.orders = tuple(int(d) for d in orders)
        if len(W2) != len(self.orders) or any(d < 1 for d in self.orders):
            raise InputError(f"{len(W2)} rows of finite weights but orders {list(orders)}: give one positive order per row")
        self.finite_weights = tuple(tuple(x % d for x in row) for row, d in zip(_int_rows(W2, n, "finite weights"), self.orders))
        self.nvars = n

    @classmethod
    def from_representation(cls, rep: Any) -> "EquivariantHilbertSeries":
        """From a representation acting diagonally: a torus (its weights), a finite group generated
        by diagonal matrices of roots of unity (one cyclic factor per generator), or a product.

        Example:
            >>> from invariants import cyclic
            >>> EquivariantHilbertSeries.from_representation(cyclic(3, form="diagonal", weights=(1, 2))).finite_weights
            ((1, 2),)
        """
        rep = as_representation(rep)
        n = rep.dim
        torus: list[list[int]] = []
        if rep.torus is not None and rep.weights and len(rep.weights[0]):
            if rep.group.lie_dimension != len(rep.weights[0]):
                raise InputError(f"{rep.group.name} is not a torus: its equivariant series over the maximal torus "
                                 "does not give its invariants; give the torus weights explicitly if that is meant")
            if not _is_diagonal(rep.weight_basis, identity=True) or not all(_is_diagonal(h) for h in rep.cartan):
                raise InputError("the torus does not act diagonally in these coordinates: change to its weight basis first")
            torus = [[w[k] for w in rep.weights] for k in range(len(rep.weights[0]))]
        finite, orders = [], []
        for g in rep.images:
            if not _is_diagonal(g):
                raise InputError("a generator does not act diagonally: the equivariant series needs a diagonal action")
            m = matrix_order(g)
            finite.append([eigen_exponents(g.diagonal_block(i, 1), m)[0] for i in range(n)])
            orders.append(m)
        if not torus and not finite:
            finite, orders = [[0] * n], [1]  # the trivial group: one trivial cyclic factor keeps n visible
        return cls(torus, finite, orders)

    @property
    def rank(self) -> int:
        return len(self.torus_weights)

    def variable_weights(self) -> list[tuple[int, ...]]:
        """The character (torus weight, then finite exponents mod d_k) of each variable."""
        rows = self.torus_weights + self.finite_weights
        return [tuple(row[i] for row in rows) for i in range(self.nvars)]

    def symbols(self) -> tuple[sympy.Symbol, list[sympy.Symbol]]:
        return sympy.Symbol("t"), list(sympy.symbols(f"z0:{self.rank + len(self.orders)}"))

    def to_sympy(self) -> sympy.Expr:
        """∏_i 1/(1 − z^{w_i} t) in t and z0, z1, … (torus coordinates first, as M2's z_0, z_1, …)."""
        t, zs = self.symbols()
        return 1 / sympy.Mul(*[1 - t * sympy.Mul(*[z**e for z, e in zip(zs, w)]) for w in self.variable_weights()])

    def graded_characters(self, bound: int) -> list[dict[tuple[int, ...], int]]:
        """For each degree d < bound, the character of K[V]_d: {weight: multiplicity}."""
        out = [{(0,) * (self.rank + len(self.orders)): 1}] + [{} for _ in range(bound - 1)]
        for w in self.variable_weights():
            # multiply by 1/(1 − z^w t): each degree picks up the previous one shifted by w
            for d in range(1, bound):
                for chi, c in out[d - 1].items():
                    key = self._reduce(tuple(a + b for a, b in zip(chi, w)))
                    out[d][key] = out[d].get(key, 0) + c
        return out[:bound]

    def _reduce(self, chi: tuple[int, ...]) -> tuple[int, ...]:
        r = self.rank
        return chi[:r] + tuple(x % d for x, d in zip(chi[r:], self.orders))

    def invariant_coefficients(self, bound: int) -> list[int]:
        """dim K[V]^G_d for d < bound: the coefficients of the trivial character."""
        zero = (0,) * (self.rank + len(self.orders))
        return [c.get(zero, 0) for c in self.graded_characters(bound)]

    def invariant_series(self) -> HilbertSeries:
        """The coefficient of the trivial character as an exact series (finite abelian actions;
        for a torus use `invariants.molien_series` of the representation, or `invariant_coefficients`).

        Example:
            >>> EquivariantHilbertSeries((), [[1, 1]], [2]).invariant_series()
            (1 + t^2)/(1 - t^2)^2
        """
        if self.rank:
            raise InputError("the exact invariant series of a torus action is a Molien–Weyl integral: use "
                             "invariants.molien_series on the representation, or invariant_coefficients(bound)")
        table, chi = self._abelian_table()
        return molien_series_from_character(table, chi)

    def _abelian_table(self) -> tuple[CharacterTable, list[Cyclotomic]]:
        """Z/d_1 × … × Z/d_s: every element its own class, powers computed coordinatewise."""
        ds = self.orders or (1,)
        elements = [()]
        for d in ds:
            elements = [a + (x,) for a in elements for x in range(d)]
        index = {a: i for i, a in enumerate(elements)}
        orders = [lcm(*[d // gcd(x, d) for x, d in zip(a, ds)]) for a in elements]
        maps = {int(q): [index[tuple(q * x % d for x, d in zip(a, ds))] for a in elements]
                for q in sympy.primefactors(len(elements))}
        big = lcm(*ds)
        rows = self.finite_weights or ((0,) * self.nvars,)
        chi = [sum((Cyclotomic.root(big, sum(x * row[i] * (big // d) for x, row, d in zip(a, rows, ds)))
                    for i in range(self.nvars)), Cyclotomic.rational(0)) for a in elements]
        return CharacterTable([1] * len(elements), orders, maps), chi

    def __repr__(self) -> str:
        return str(self.to_sympy())


def _is_diagonal(m: Any, identity: bool = False) -> bool:
    if identity:
        return m.is_identity()
    return all(i == j or all(x == 0 for x in v) for i, row in enumerate(m.entries()) for j, v in enumerate(row))
