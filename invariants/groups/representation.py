"""`Representation`: the one representation type, for finite and compact groups alike.

A representation of a group G on K^n is a value: the images of G's discrete generators, the
images of a fixed basis of G's Lie algebra, and — for groups with a torus — the weight data the
Molien–Weyl integral reads (`WeightData`).  It composes like e3nn's ``Irreps``: ``V + W``, ``k * V``,
``V * W`` (tensor product), ``V.sym(d)``, ``V.ext(d)``, ``V.dual()``, ``V.outer(W)`` (G × H on
V ⊗ W); and it prints as the spec it was built from, which `load_spec` reads back::

    >>> from invariants.groups.compact import SO3
    >>> V = 2 * SO3().irrep(1) + SO3().irrep(2).sym(2)
    >>> V
    load_spec('SO(3):2x1+sym2(2)')
    >>> V.dim
    21

Two representations are equal when they are the same group acting by the same matrices.
`V(g)` is the exact matrix of a group element given in the group's defining form.
"""
from __future__ import annotations

import math

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import sympy

from invariants.errors import InputError, ShapeError, TooLargeError, check_int
from invariants.fields.base import Field
from invariants.groups.base import Group, SignedWeight, Weight, check_same_group, common_field
from invariants.linalg.matrix import Matrix
from invariants.polynomials.powers import (dual_derivation, exterior_power_derivation, exterior_power_matrix,
                                           symmetric_power_derivation, symmetric_power_matrix, tensor_derivation)
from invariants.polynomials.ring import monomials

ElementMap = Callable[[Any], Matrix]

# precedence of a spec text: an atom or function call binds tightest, then k×, then ⊗, then +
ATOM, COPIES, TENSOR, SUM = 0, 1, 2, 3


MAX_DIMENSION = 1024  # representations are dense exact matrices: past this, building them alone takes minutes
# one matrix per Lie algebra basis element and discrete generator, dense: about 10^6 entries a second
# (SO(60) on 3 vectors: 1,770 matrices of 180 x 180, 5.7·10^7 entries, 18 s; SU(30) on 30 copies 7·10^8)
MAX_MATRIX_ENTRIES = 30_000_000


def check_dimension(dim: int, what: str, matrices: int = 1) -> int:
    """``dim``, or a `TooLargeError` when a representation of that dimension would be built.

    Example:
        >>> check_dimension(3000, "1000x1o")
        Traceback (most recent call last):
        ...
        invariants.errors.TooLargeError: 1000x1o has dimension 3,000, above MAX_DIMENSION = 1,024 (dense exact matrices that large take minutes to build, and every computation on them longer); raise invariants.groups.representation.MAX_DIMENSION to build it anyway
    """
    if dim > MAX_DIMENSION:
        raise TooLargeError(f"{what} has dimension {dim:,}, above MAX_DIMENSION = {MAX_DIMENSION:,} (dense exact "
                            "matrices that large take minutes to build, and every computation on them longer); "
                            "raise invariants.groups.representation.MAX_DIMENSION to build it anyway",
                            estimate=dim, option="invariants.groups.representation.MAX_DIMENSION")
    entries = matrices * dim * dim
    if entries > MAX_MATRIX_ENTRIES:
        raise TooLargeError(f"{what} is {matrices:,} dense {dim} x {dim} matrices (its Lie algebra basis and "
                            f"generators), {entries:,} exact entries, above MAX_MATRIX_ENTRIES = "
                            f"{MAX_MATRIX_ENTRIES:,} (about 10^6 a second); raise "
                            "invariants.groups.representation.MAX_MATRIX_ENTRIES to build it anyway",
                            estimate=entries, option="invariants.groups.representation.MAX_MATRIX_ENTRIES")
    return dim


@dataclass(frozen=True)
class WeightData:
    """Weight data of a representation of a group with a maximal torus: the weight basis P and
    Cartan elements H_k (P H_k P⁻¹ diagonal: the weights), and for each component class of the
    group the eigenvalues ζ·z^ν of an element of its (twisted) torus."""

    weight_basis: Matrix
    cartan: tuple[Matrix, ...]
    class_weights: tuple[tuple[SignedWeight, ...], ...]

    @property
    def weights(self) -> tuple[Weight, ...]:
        return tuple(w for w, _ in self.class_weights[0])


class Representation:
    """A representation of a group on K^n, as a value (see the module docstring).

    Representations come from a group (``SO3().irrep(2)``, ``symmetric(3).natural()``), from a
    spec (``load_spec("O(3):2x1o+1e")``), from the algebra above, or — for a finite group — from
    the images of its generators: ``Representation(G, images)``, checked to be a homomorphism.

    Example:
        >>> from invariants import symmetric
        >>> V = symmetric(3).natural()
        >>> (V + V).dim, V.sym(2).dim, V.ext(2).dim, V.ext(3)
        (6, 6, 3, load_spec('symmetric(3):ext3(v)'))
        >>> Representation(symmetric(3), [[[-1]], [[-1]]]) == V.ext(3)
        True
    """

    def __init__(self, group: Group, images: Sequence[Any], *, field: Field | str | None = None, check: bool = True):
        if not isinstance(group, Group):
            raise InputError(f"Representation(group, images) needs a group, got {type(group).__name__}")
        built = group.representation_from_images(images, field=field, check=check)
        self.__dict__.update(built.__dict__)

    @classmethod
    def make(cls, group: Group, images: Sequence[Matrix], lie_algebra: Sequence[Matrix], *, dim: int, field: Field,
             text: str | None, precedence: int = ATOM, torus: WeightData | None = None,
             element_map: ElementMap | None = None, construction: tuple | None = None) -> "Representation":
        """Assemble a representation from its data (groups and the algebra below use this).

        ``construction`` is how it was built, as plain data: ``("atom", dim, label)``,
        ``("sum" | "tensor" | "outer", dim, a, b)``, ``("sym" | "ext", dim, d, a)``, ``("dual", dim, a)``
        or ``("images", dim)`` — what a numerical backend needs to evaluate it on float group elements."""
        rep = cls.__new__(cls)
        rep.group = group
        rep.images = tuple(images)
        rep.lie_algebra = tuple(lie_algebra)
        rep.dim = dim
        rep.field = field
        rep.torus = torus
        rep._text = text
        rep._precedence = precedence
        rep._element_map = element_map
        rep.construction = construction or (("atom", dim, text) if text is not None else ("images", dim))
        if len(rep.images) != group.discrete_generators or len(rep.lie_algebra) != group.lie_dimension:
            raise ShapeError(f"{group.name} needs {group.discrete_generators} element images and {group.lie_dimension} "
                             f"Lie algebra images, got {len(rep.images)} and {len(rep.lie_algebra)}")
        for m in rep.images + rep.lie_algebra:
            if m.shape != (dim, dim):
                raise ShapeError(f"a representation on K^{dim} needs {dim}x{dim} matrices, got {m.nrows}x{m.ncols}")
        return rep

    # -- value semantics ---------------------------------------------------------------------
    @property
    def spec(self) -> str | dict:
        """What `load_spec` reads back to an equal representation: ``"GROUP:TEXT"``, or for a
        finite group's representation given by images, ``{"group": ..., "images": ...}``."""
        if self._text is not None:
            return self.group.rep_spec(self._text)
        if self.lie_algebra:
            raise InputError(f"this representation of {self.group.name} was built by an algebra the spec grammar "
                             "does not write (sums of products); keep the Python expression that built it")
        return {"group": self.group.spec, "field": self.field.name,
                "images": [[[str(self.field.to_sympy(a)) for a in row] for row in m.entries()] for m in self.images]}

    @property
    def spec_or_none(self) -> str | dict | None:
        """`spec`, or None when the representation has none."""
        try:
            return self.spec
        except InputError:
            return None

    @property
    def label(self) -> str | None:
        """The spec text without the group: ``"2x1+sym2(2)"`` (None when the representation was
        given by explicit images)."""
        return self._text

    def __repr__(self) -> str:
        try:
            spec = self.spec
        except InputError:
            return f"<representation of {self.group.name} of dimension {self.dim}>"
        if isinstance(spec, str):
            return f"load_spec({spec!r})"
        if "images" in spec:
            return f"Representation({self.group!r}, {spec['images']!r})"
        return f"load_spec({spec!r})"

    def __str__(self) -> str:
        try:
            spec = self.spec
        except InputError:
            spec = None
        return spec if isinstance(spec, str) else f"{self.group.name}: a representation of dimension {self.dim}"

    def _repr_latex_(self) -> str:
        return rf"$\text{{{self}}}$"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Representation) or self.group != other.group or self.dim != other.dim:
            return False
        field = common_field(self.field, other.field)
        if self.group.same_generators(other.group):
            mine = [m.change_field(field) for m in self.images + self.lie_algebra]
            theirs = [m.change_field(field) for m in other.images + other.lie_algebra]
            return mine == theirs
        return all(self(g).change_field(field) == other(g).change_field(field) for g in self.group.generator_elements())

    def __hash__(self) -> int:
        return hash((self.group, self.dim))

    # -- what the algorithms read -------------------------------------------------------------
    def __call__(self, g: Any) -> Matrix:
        """ρ(g), exactly, for a group element g in the group's defining form.

        Example:
            >>> from invariants.groups.compact import SO3, rational_rotation
            >>> V = SO3().irrep(1) + SO3().irrep(1)
            >>> V(rational_rotation(1, 1, 0, 0)).nrows
            6
        """
        if self._element_map is None:
            raise InputError(f"{self} has no exact group elements to evaluate; use its Lie algebra")
        return self._element_map(g)

    @property
    def weights(self) -> tuple[Weight, ...]:
        """Weights of the weight coordinates under the maximal torus."""
        return self._torus().weights

    @property
    def weight_basis(self) -> Matrix:
        return self._torus().weight_basis

    @property
    def weight_field(self) -> Field:
        return self._torus().weight_basis.field

    @property
    def cartan(self) -> tuple[Matrix, ...]:
        return self._torus().cartan

    @property
    def class_weights(self) -> tuple[tuple[SignedWeight, ...], ...]:
        return self._torus().class_weights

    def _torus(self) -> WeightData:
        if self.torus is None:
            raise InputError(f"{self.group.name} has no maximal torus: weights are defined for compact groups")
        return self.torus

    def molien_series(self, chi: "Representation | None" = None, **options: Any):
        """Σ_d (multiplicity of χ in S^d V) t^d (the invariants when chi is None), exactly.

        Computed once per representation value, χ and method: the guards (``max_elements``,
        ``max_terms``) and progress change whether and how visibly it is computed, never the value,
        so a series computed under a raised guard serves every later call; a method named
        explicitly is run (cross-checks compare methods)."""
        if chi is not None:
            check_same_group(self, chi)
        key = (chi, options.get("method", "auto"))
        memo = self.__dict__.setdefault("_series", {})
        if key not in memo:
            memo[key] = self.group.hilbert_series(self, chi, **options)
        return memo[key]

    def describe(self) -> str:
        return self.group.describe(self)

    @functools.cached_property
    def image_group(self):
        """ρ(G) as a finite matrix group (finite groups only; a quotient of G when ρ is not faithful)."""
        return self.group.image_group(self)

    # -- algebra -------------------------------------------------------------------------------
    def _combine(self, other: "Representation", op: Callable, lie_op: Callable, weights_op: Callable, text: str,
                 precedence: int, kind: str) -> "Representation":
        if not isinstance(other, Representation):
            return NotImplemented
        check_same_group(self, other)
        check_dimension(self.dim + other.dim if op is Matrix.block_diag else self.dim * other.dim,
                        f"{self._text or 'V'} {'+' if op is Matrix.block_diag else '*'} {other._text or 'W'}",
                        len(self.images) + len(self.lie_algebra))
        f = common_field(self.field, other.field)
        a = [m.change_field(f) for m in self.images]
        b = [m.change_field(f) for m in other.images]
        images = [op(x, y) for x, y in zip(a, b)]
        lie = [lie_op(x.change_field(f), y.change_field(f)) for x, y in zip(self.lie_algebra, other.lie_algebra)]
        torus = None
        if self.torus is not None and other.torus is not None:
            wf = common_field(self.weight_field, other.weight_field)
            torus = WeightData(op(self.weight_basis.change_field(wf), other.weight_basis.change_field(wf)),
                          tuple(lie_op(x.change_field(wf), y.change_field(wf)) for x, y in zip(self.cartan, other.cartan)),
                          tuple(weights_op(x, y) for x, y in zip(self.class_weights, other.class_weights)))
        element_map = None
        if self._element_map is not None and other._element_map is not None:
            def element_map(g, ma=self._element_map, mb=other._element_map):
                x, y = ma(g), mb(g)
                common = common_field(x.field, y.field)
                return op(x.change_field(common), y.change_field(common))
        dim = self.dim + other.dim if op is Matrix.block_diag else self.dim * other.dim
        text_out = None if self._text is None or other._text is None else text
        out = Representation.make(self.group, images, lie, dim=dim, field=f, text=text_out, precedence=precedence,
                                  torus=torus, element_map=element_map,
                                  construction=(kind, dim, self.construction, other.construction))
        if kind == "sum":
            out._operands = (self, other)   # `copies` reads the summands back
        return out

    def __add__(self, other: "Representation") -> "Representation":
        return self._combine(other, Matrix.block_diag, Matrix.block_diag, lambda a, b: tuple(a) + tuple(b),
                             f"{self._wrap(SUM)}+{_wrap(other, SUM - 1)}", SUM, "sum")

    def __mul__(self, other: Any) -> "Representation":
        if isinstance(other, int) and not isinstance(other, bool):
            return self.__rmul__(other)
        return self._combine(other, Matrix.kron, tensor_derivation,
                             lambda a, b: tuple(_add_signed(x, y) for x in a for y in b),
                             f"{self._wrap(TENSOR)}*{_wrap(other, TENSOR - 1)}", TENSOR, "tensor")

    def __rmul__(self, k: int) -> "Representation":
        check_int(k, "k in k * V", 1)
        check_dimension(k * self.dim, f"{k}x{self._text or 'V'}", len(self.images) + len(self.lie_algebra))
        out, power, left = None, self, k  # by doubling: a chain of k sums would copy k growing matrices
        while left:
            if left & 1:
                out = power if out is None else out + power
            left >>= 1
            if left:
                power = power + power
        if k > 1 and out._text is not None:
            out._text, out._precedence = f"{k}x{self._wrap(ATOM)}", COPIES
        return out

    def tensor(self, other: "Representation") -> "Representation":
        return self * other

    def sym(self, d: int) -> "Representation":
        """The d-th symmetric power (basis: the monomials of degree d, descending lex)."""
        d = _degree(d, "sym")
        check_dimension(math.comb(self.dim + d - 1, d) if self.dim else int(d == 0), f"sym{d}({self._text or 'V'})")
        mons = monomials(self.dim, d)
        rank = len(self.weights[0]) if self.torus is not None and self.weights else 0
        return self._derived(lambda g: symmetric_power_matrix(g, d), lambda x: symmetric_power_derivation(x, d),
                             lambda ws: tuple(_sum_signed([ws[i] for i, a in enumerate(m) for _ in range(a)], rank)
                                              for m in mons),
                             f"sym{d}({self._text})", len(mons), ("sym", len(mons), d, self.construction))

    def ext(self, d: int) -> "Representation":
        """The d-th exterior power (basis: e_I for increasing index sets I; the zero space when
        d > dim, whose invariant ring is the constants)."""
        d = _degree(d, "ext")
        subsets = list(itertools.combinations(range(self.dim), d))
        rank = len(self.weights[0]) if self.torus is not None and self.weights else 0
        return self._derived(lambda g: exterior_power_matrix(g, d), lambda x: exterior_power_derivation(x, d),
                             lambda ws: tuple(_sum_signed([ws[i] for i in s], rank) for s in subsets),
                             f"ext{d}({self._text})", len(subsets), ("ext", len(subsets), d, self.construction))

    def dual(self) -> "Representation":
        """The contragredient g ↦ g^{-T}."""
        return self._derived(lambda g: g.inverse().transpose(), dual_derivation,
                             lambda ws: tuple((tuple(-x for x in w), -z % 1) for w, z in ws),
                             f"dual({self._text})", self.dim, ("dual", self.dim, self.construction))

    def _derived(self, group_map: Callable, lie_map: Callable, weights_map: Callable, text: str,
                 dim: int, construction: tuple) -> "Representation":
        torus = None
        if self.torus is not None:
            torus = WeightData(group_map(self.weight_basis), tuple(lie_map(h) for h in self.cartan),
                          tuple(weights_map(list(ws)) for ws in self.class_weights))
        base = self._element_map
        return Representation.make(self.group, [group_map(g) for g in self.images],
                                   [lie_map(x) for x in self.lie_algebra], dim=dim, field=self.field,
                                   text=None if self._text is None else text, torus=torus,
                                   element_map=None if base is None else (lambda g: group_map(base(g))),
                                   construction=construction)

    def outer(self, other: "Representation") -> "Representation":
        """V ⊠ W: the representation V ⊗ W of the product group G × H.

        Example:
            >>> from invariants import symmetric, molien_series
            >>> from invariants.groups.compact import SO3
            >>> molien_series(SO3().irrep(1).outer(symmetric(2).natural()))  # two points of R^3, swapped
            1/((1 - t^2)^2(1 - t^4))
        """
        if not isinstance(other, Representation):
            raise InputError(f"V.outer(W) needs a representation W, got {type(other).__name__}")
        return self.group.product(other.group).outer(self, other)

    def restrict(self, subgroup: Group) -> "Representation":
        """The restriction to a subgroup (finite groups: a group generated by elements of this one)."""
        return self.group.restriction(self, subgroup)

    def summands(self) -> list[tuple[int, int, tuple]]:
        """The top-level summands as (start, stop, construction): the blocks of coordinates the
        representation is the direct sum of, in order.

        Example:
            >>> from invariants.groups.compact import O3
            >>> [(a, b, c[0]) for a, b, c in (2 * O3().irrep("0e") + O3().irrep("1o")).summands()]
            [(0, 1, 'atom'), (1, 2, 'atom'), (2, 5, 'atom')]
        """
        out: list[tuple[int, int, tuple]] = []

        def walk(node: tuple, start: int) -> int:
            if node[0] == "sum":
                return walk(node[3], walk(node[2], start))
            out.append((start, start + node[1], node))
            return start + node[1]

        walk(self.construction, 0)
        return out

    def copies(self) -> tuple["Representation", int]:
        """(V, k) with this representation k copies of V, as built (``k * V``, ``V + V``, a spec such
        as ``"O(3):4xv"``); (self, 1) when its top-level summands are not all equal.

        Example:
            >>> from invariants.groups.compact import O3
            >>> V, k = (3 * O3().irrep("1o")).copies()
            >>> V == O3().irrep("1o"), k
            (True, 3)
        """
        leaves: list[Representation] = []
        stack = [self]
        while stack:
            rep = stack.pop()
            parts = getattr(rep, "_operands", None)
            if parts is None:
                leaves.append(rep)
            else:
                stack.extend(reversed(parts))
        first = leaves[0]
        if len(leaves) > 1 and all(r.construction == first.construction and r == first for r in leaves[1:]):
            return first, len(leaves)
        return self, 1

    def _wrap(self, level: int) -> str:
        return _wrap(self, level)


def direct_sum(terms: Sequence[Representation]) -> Representation:
    """terms[0] + terms[1] + …, the same representation as the chain of sums (text, construction,
    summands), built by halves: a chain of k sums would rebuild ever larger matrices k times.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> V = direct_sum([SO3().irrep(1)] * 5)
        >>> V.dim, V == SO3().irrep(1) + SO3().irrep(1) + SO3().irrep(1) + SO3().irrep(1) + SO3().irrep(1)
        (15, True)
    """
    terms = list(terms)
    if not terms:
        raise InputError("a direct sum needs at least one term")
    if len(terms) == 1:
        return terms[0]
    level = terms
    while len(level) > 1:
        level = [level[i] + level[i + 1] if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    out = level[0]
    construction, dim = terms[0].construction, terms[0].dim
    for term in terms[1:]:
        dim += term.dim
        construction = ("sum", dim, construction, term.construction)
    out.construction, out._operands = construction, tuple(terms)
    if all(t._text is not None for t in terms):
        out._text = "+".join([_wrap(terms[0], SUM)] + [_wrap(t, SUM - 1) for t in terms[1:]])
        out._precedence = SUM
    return out


def _wrap(rep: Representation, level: int) -> str:
    text = rep._text or "?"
    return f"({text})" if rep._precedence > level else text


def _degree(d: Any, what: str) -> int:
    return check_int(d, f"d in {what}(d)", 0)


def _add_signed(x: SignedWeight, y: SignedWeight) -> SignedWeight:
    return tuple(a + b for a, b in zip(x[0], y[0])), (x[1] + y[1]) % 1


def _sum_signed(ws: Sequence[SignedWeight], rank: int) -> SignedWeight:
    total: SignedWeight = ((0,) * rank, Fraction(0))
    for w in ws:
        total = _add_signed(total, w)
    return total


def as_representation(obj: Any) -> Representation:
    """The representation an argument means: a `Representation` itself, a group's default (a finite
    group's natural representation), or a spec.

    Example:
        >>> from invariants import symmetric
        >>> as_representation(symmetric(3)).dim
        3
    """
    if isinstance(obj, Representation):
        return obj
    if isinstance(obj, Group):
        return obj.default_representation()
    raise InputError(f"expected a group or a representation, got {type(obj).__name__}; "
                     "e.g. symmetric(3), SO3().irrep(2) or load_spec('O(3):2x1o')")


def molien_series(group: Any, chi: Any = None, **options: Any):
    """The Molien (Hilbert) series Σ_d dim S^d(V)^G t^d of a group or representation, exactly —
    by classes for a finite group (by Chevalley's theorem for a reflection group), by the
    Molien–Weyl integral for a compact one.

    With ``chi`` (a representation of the same group) it is the relative series Σ_d ⟨S^d V, χ⟩ t^d:
    the multiplicity of χ in each symmetric power (GAP's ``MolienSeries(psi, chi)``), i.e. the
    equivariant maps V → χ.  Options go to the group's method (finite: ``max_elements``,
    ``method``, ``progress``; compact: ``max_terms``).  Inside ``with cluster("local:4"):`` (or a
    scheduler's address, `invariants.parallel.dask_cluster`) a finite group's class terms run as
    Dask tasks; the series is the same.

    Example:
        >>> from invariants.catalogue import symmetric
        >>> molien_series(symmetric(3))
        1/((1 - t)(1 - t^2)(1 - t^3))
    """
    rep = as_representation(group)
    return rep.molien_series(None if chi is None else as_representation(chi), **options)


def weights_from_cartan(basis: Matrix, cartan: Sequence[Matrix]) -> list[Weight]:
    """The diagonal of P H_k P⁻¹ as integer weight vectors; raises if P does not diagonalise."""
    inv = basis.inverse()
    f = basis.field
    diagonals = []
    for h in cartan:
        d = (basis @ h.change_field(f) @ inv).entries()
        n = len(d)
        for i in range(n):
            for j in range(n):
                if i != j and not f.is_zero(d[i][j]):
                    raise AssertionError("the weight basis does not diagonalise the Cartan subalgebra")  # pragma: no cover
        column = []
        for i in range(n):
            value = f.to_sympy(d[i][i])
            if not value.is_integer:
                raise AssertionError(f"non-integral weight {value}")  # pragma: no cover
            column.append(int(value))
        diagonals.append(column)
    return [tuple(col[i] for col in diagonals) for i in range(basis.nrows)]


def sympy_symbols(n: int) -> list[sympy.Symbol]:
    return list(sympy.symbols(f"x0:{n}")) if n else []
