"""Molien series from a row of a character table, without matrices (GAP's ``MolienSeries(chi)``).

For a class of element order m the eigenvalue multiplicities of g under χ are

    mult_j = (1/m) Σ_k χ(g^k) ζ_m^{−jk} = (1/m) Σ_{d | m} Tr_{Q(ζ_{m/d})/Q}(χ(g^d) ζ_{m/d}^{−j}),

grouping k = d·u with u a unit mod m/d: χ(g^{du}) is the Galois conjugate σ_u(χ(g^d)), so only
the classes of the powers g^d (d | m) are needed, and those come from the prime power maps.  The
exponents then go through the same Galois-averaged class sum as a matrix group's series
(`invariants.groups.finite.molien`).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm
from typing import Any, Mapping, Sequence

import numpy as np
import sympy
from flint import fmpq_poly, fmpz_poly
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from invariants.errors import FloatEntryError, InputError
from invariants.groups.finite.eigen import eigen_exponents
from invariants.groups.finite.molien import galois_averaged_numerator
from invariants.series.cyclotomic import Cyclotomic, cyclotomic
from invariants.series.hilbert import HilbertSeries


def _positive_ints(values: Sequence[Any], what: str) -> tuple[int, ...]:
    out = []
    for v in values:
        if isinstance(v, float):
            raise FloatEntryError(f"{what} must be exact integers, got {v!r}")
        if isinstance(v, bool) or int(v) != v or int(v) < 1:
            raise InputError(f"{what} must be positive integers, got {v!r}")
        out.append(int(v))
    return tuple(out)


@dataclass(frozen=True)
class CharacterTable:
    """The head of a character table: class sizes, element orders and prime power maps.

    ``power_maps[q][i]`` is the class of g^q for g in class i, for every prime q dividing |G|
    (GAP: ``ComputedPowerMaps(tbl)[q]``, 0-based here).

    Example:
        >>> S3 = CharacterTable([1, 3, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]})
        >>> molien_series_from_character(S3, [2, 0, -1])
        1/((1 - t^2)(1 - t^3))
    """

    class_sizes: tuple[int, ...]
    orders: tuple[int, ...]
    power_maps: Mapping[int, tuple[int, ...]]
    names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        sizes = _positive_ints(self.class_sizes, "class sizes")
        orders = _positive_ints(self.orders, "element orders")
        k = len(sizes)
        if k == 0 or len(orders) != k:
            raise InputError(f"{len(sizes)} class sizes but {len(orders)} element orders: give one of each per class")
        maps = {int(q): tuple(int(c) for c in pm) for q, pm in dict(self.power_maps).items()}
        object.__setattr__(self, "class_sizes", sizes)
        object.__setattr__(self, "orders", orders)
        object.__setattr__(self, "power_maps", maps)
        if self.names is not None:
            if len(self.names) != k:
                raise InputError(f"{len(self.names)} class names for {k} classes")
            object.__setattr__(self, "names", tuple(str(s) for s in self.names))
        self._check()

    def _check(self) -> None:
        n, k = self.order, len(self.class_sizes)
        if [(s, m) for s, m in zip(self.class_sizes, self.orders) if m == 1] != [(1, 1)]:
            raise InputError("a character table needs exactly one class of element order 1 (the identity), of size 1")
        bad = [i for i, (s, m) in enumerate(zip(self.class_sizes, self.orders)) if n % s or n % m]
        if bad:
            raise InputError(f"class {bad[0]}: its size and element order must divide |G| = {n}; check the table")
        for q in sympy.primefactors(n):
            if q not in self.power_maps:
                raise InputError(f"the {q}-th power map is missing: give power_maps[q] for every prime q dividing |G| = {n}")
        for q, pm in self.power_maps.items():
            if not sympy.isprime(q) or len(pm) != k or any(not 0 <= c < k for c in pm):
                raise InputError(f"power_maps[{q}] must be a prime's list of {k} class indices (0-based), got {pm}")
            moved = [i for i, m in enumerate(self.orders) if m % q and self.class_sizes[pm[i]] != self.class_sizes[i]]
            if moved:  # g ↦ g^q is a bijection on the elements of order prime to q
                raise InputError(f"power_maps[{q}] sends class {moved[0]} to a class of another size, though q is prime "
                                 f"to its element order {self.orders[moved[0]]}; check the table")
            wrong = [i for i, m in enumerate(self.orders) if self.orders[pm[i]] != m // gcd(m, q)]
            if wrong:
                raise InputError(f"power_maps[{q}] sends class {wrong[0]} (order {self.orders[wrong[0]]}) to a class of order "
                                 f"{self.orders[pm[wrong[0]]]}, not {self.orders[wrong[0]] // gcd(self.orders[wrong[0]], q)}")

    @property
    def order(self) -> int:
        return sum(self.class_sizes)

    @property
    def identity(self) -> int:
        return self.orders.index(1)

    def power_class(self, i: int, k: int) -> int:
        """The class of g^k for g in class i (k ≥ 1 with prime factors dividing |G|)."""
        for q, e in sympy.factorint(k).items():
            if q not in self.power_maps:
                raise InputError(f"no {q}-th power map: give power_maps[{q}]")
            for _ in range(e):
                i = self.power_maps[q][i]
        return i

    @classmethod
    def from_group(cls, group: Any) -> "CharacterTable":
        """The table head of a finite matrix group, in the order of ``group.conjugacy_classes()``.

        Example:
            >>> from invariants.catalogue import symmetric
            >>> CharacterTable.from_group(symmetric(3)).class_sizes
            (1, 3, 2)
        """
        classes = group.conjugacy_classes()
        chain = group.chain
        elems = chain.elements(group.order())  # already enumerated once for the classes
        n = len(elems)
        base = np.array(chain.base, dtype=np.int64)
        # conjugation by each generator as an index map; its orbits (graph components) are the classes
        rows, cols = [], []
        for g in group.perm_generators:
            g = np.array(g, dtype=np.int64)
            rows.append(np.arange(n))
            cols.append(chain.index_from_base_images(g[elems[:, np.argsort(g)[base]]]))
        graph = coo_matrix((np.ones(n * len(rows)), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
        labels = connected_components(graph, directed=True, connection="weak")[1]
        perms = [np.array(group.to_perm(c.representative), dtype=np.int64) for c in classes]
        index = {labels[chain.index_of(p[None, :])[0]]: i for i, p in enumerate(perms)}
        maps = {}
        for q in sympy.primefactors(group.order()):
            powers = []
            for p in perms:
                x = np.arange(len(p))
                for _ in range(q):
                    x = p[x]
                powers.append(index[labels[chain.index_of(x[None, :])[0]]])
            maps[q] = tuple(powers)
        return cls(tuple(c.size for c in classes), tuple(c.order for c in classes), maps)


def lcm_of_powers(orders: Sequence[int], n: int) -> fmpz_poly:
    """lcm over m in ``orders`` of (1 − t^m)^n = ∏ Φ_k^n over the divisors k of the m's: the common
    denominator of a class sum.

    Example:
        >>> lcm_of_powers([2, 3], 1)
        x^4 + x^3 + (-1)*x + (-1)
    """
    den = fmpz_poly([1])
    for k in sorted({int(k) for m in orders for k in sympy.divisors(m)}):
        den *= fmpz_poly.cyclotomic(k) ** n
    return den


def natural_character(group: Any) -> list[Cyclotomic]:
    """The character of a finite matrix group's defining representation, on the classes of
    ``group.conjugacy_classes()`` (the order `CharacterTable.from_group` uses).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> natural_character(symmetric(3))
        [3, 1, 0]
    """
    classes = group.conjugacy_classes()
    exponent = lcm(*[c.order for c in classes])  # one Brauer lift for all classes over GF(p)
    return [sum((Cyclotomic.root(c.order, e) for e in eigen_exponents(c.representative, c.order, exponent)),
                Cyclotomic.rational(0)).reduced() for c in classes]


def eigenvalue_exponents(table: CharacterTable, chi: Sequence[Any], i: int) -> list[int]:
    """Exponents e (with multiplicity) such that ζ_m^e are the eigenvalues of g under χ, for g in
    class i of order m; an `InputError` when χ restricted to ⟨g⟩ is not a character.

    Example:
        >>> S3 = CharacterTable([1, 3, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]})
        >>> eigenvalue_exponents(S3, [2, 0, -1], 2)
        [1, 2]
    """
    values = [cyclotomic(v) for v in chi]
    if len(values) != len(table.orders):
        raise InputError(f"the character has {len(values)} values but the table {len(table.orders)} classes")
    m = table.orders[i]
    divisors = [int(d) for d in sympy.divisors(m)]
    powers = {d: values[table.power_class(i, d)] for d in divisors}
    exps: list[int] = []
    for j in range(m):
        mult = sum((int(sympy.totient(m // d)) * (x * Cyclotomic.root(m // d, -j)).trace_average() for d, x in powers.items()),
                   Fraction(0)) / m
        if mult.denominator != 1 or mult < 0:
            raise InputError(f"not a character: on class {i} (order {m}) the eigenvalue exp(2πi·{j}/{m}) would have "
                             f"multiplicity {mult}; check the values and the power maps")
        exps.extend([j] * int(mult))
    for d, x in powers.items():
        if x != sum((Cyclotomic.root(m, e * d) for e in exps), Cyclotomic.rational(0)):
            raise InputError(f"not a character: its value {x} on the {d}-th powers of class {i} is not the trace of a "
                             f"matrix of order {m // d} (it must lie in Q(ζ_{m // d}) and match the other powers)")
    for q, pm in table.power_maps.items():
        # g^q for q prime to m generates ⟨g⟩ again: its value must be the Galois conjugate σ_q(χ(g))
        if m % q and values[pm[i]] != sum((Cyclotomic.root(m, e * q) for e in exps), Cyclotomic.rational(0)):
            raise InputError(f"not a character: its value {values[pm[i]]} on class {pm[i]} (the {q}-th powers of class {i}) "
                             f"is not the Galois conjugate of its value {values[i]} on class {i}")
    return exps


def _check_inner_products(table: CharacterTable, values: Sequence[Cyclotomic], what: str) -> None:
    """⟨χ, 1⟩ and ⟨χ, χ⟩ are non-negative integers for a character: the checks on cyclic
    subgroups cannot see values that break the Galois symmetry of classes the power maps do not link."""
    if len(values) != len(table.class_sizes):
        return  # eigenvalue_exponents reports the length
    for name, row in (("⟨χ, 1⟩", values), ("⟨χ, χ⟩", [x * x.conjugate() for x in values])):
        total = sum((x * size for x, size in zip(row, table.class_sizes)), Cyclotomic.rational(0))
        q = total.as_rational()
        if q is None or q < 0 or (q / table.order).denominator != 1:
            raise InputError(f"not a character: {name} = {total.reduced()}/{table.order} for {what} is not a non-negative "
                             "integer; check the values against the table")


def molien_series_from_character(table: CharacterTable, chi: Sequence[Any], psi: Sequence[Any] | None = None) -> HilbertSeries:
    """Σ_d dim S^d(V)^G t^d for the representation V with character ``chi``, from the table alone;
    with ``psi`` the multiplicity of ψ in each S^d(V) (GAP's ``MolienSeries(tbl, chi, psi)``).

    Values are exact cyclotomics: ints, Fractions, sympy expressions or GAP strings ``"E(7)+E(7)^2"``.

    Example:
        >>> A5 = CharacterTable([1, 15, 20, 12, 12], [1, 2, 3, 5, 5],
        ...                     {2: [0, 0, 2, 4, 3], 3: [0, 1, 0, 4, 3], 5: [0, 1, 2, 0, 0]})
        >>> molien_series_from_character(A5, [3, -1, 0, "-E(5)^2-E(5)^3", "-E(5)-E(5)^4"])
        (1 + t^15)/((1 - t^2)(1 - t^6)(1 - t^10))
    """
    values = [cyclotomic(v) for v in chi]
    twists = None if psi is None else [cyclotomic(v) for v in psi]
    for what, row in (("chi", values), ("psi", twists or values)):
        _check_inner_products(table, row, what)
    numerators: dict[int, fmpq_poly] = {}
    for i, (size, m) in enumerate(zip(table.class_sizes, table.orders)):
        exps = eigenvalue_exponents(table, values, i)
        twist = None if twists is None else [(-f) % m for f in eigenvalue_exponents(table, twists, i)]
        numerators[m] = numerators.get(m, fmpq_poly([])) + galois_averaged_numerator(exps, m, twist) * size
    n = int(values[table.identity].as_rational())
    den = fmpq_poly(lcm_of_powers(list(numerators), n))
    num = sum((p * (den / fmpq_poly([1] + [0] * (m - 1) + [-1]) ** n) for m, p in numerators.items()), fmpq_poly([]))
    try:
        return HilbertSeries(num / table.order, den)
    except InputError as exc:
        raise InputError(f"not a character: the class sum is not a series with integer coefficients ({exc}); "
                         "check the values against the table") from exc
