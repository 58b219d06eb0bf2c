"""Representations of compact groups: exact Lie algebra and component matrices, and weights.

A `CompactRepresentation` on K^n carries

* ``lie_algebra``: a basis of the (complexified) Lie algebra of G° acting on K^n — exact
  matrices in the representation's own coordinates;
* ``elements``: one matrix per generator of the component group (empty when G is connected);
* ``weight_basis`` P (over QQ or QQ(i)) and ``cartan`` H_1 … H_r with P H_k P⁻¹ diagonal:
  the coordinates w = P x are weight coordinates, and the diagonal entries are the weights;
* ``class_weights``: for each component class of the group, the eigenvalues ζ·z^ν of an
  element of its (twisted) maximal torus, as pairs (ν, ζ) with ζ an exponent in Q/Z.

Everything composes as for finite groups: ``V + W``, ``V * W`` (tensor), ``V.sym(d)``,
``V.ext(d)``, ``V.dual()``, ``k * V`` (copies), and ``V.outer(W)`` for a product of groups.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Callable, Sequence

from invariants.groups.action import LinearAction
from invariants.errors import InputError
from invariants.fields import QQ, NumberField
from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import monomials, symmetric_power_matrix
from invariants.groups.finite.representation import exterior_power_matrix
from invariants.groups.compact.group import CompactGroup, Weight, product_group
from invariants.groups.compact.lie import dual_derivation, exterior_power_derivation, symmetric_power_derivation, tensor_derivation

SignedWeight = tuple[Weight, Fraction]


class CompactRepresentation:
    """A finite-dimensional representation of a compact group, exactly.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> V = SO3().irrep(1)
        >>> (V + V).dim, V.sym(2).dim, sorted(w for (w,) in V.weights)
        (6, 6, [-1, 0, 1])
    """

    def __init__(self, group: CompactGroup, lie_algebra: Sequence[Matrix], elements: Sequence[Matrix],
                 weight_basis: Matrix, cartan: Sequence[Matrix], class_weights: Sequence[Sequence[SignedWeight]],
                 name: str, field: NumberField = QQ, element_map: Callable[[Any], Matrix] | None = None):
        self.group = group
        self._element_map = element_map
        self.field = field
        self.lie_algebra = tuple(lie_algebra)
        self.elements = tuple(elements)
        self.weight_basis = weight_basis
        self.cartan = tuple(cartan)
        self.class_weights = tuple(tuple(c) for c in class_weights)
        self.dim = weight_basis.nrows
        self.name = name
        if len(self.class_weights) != len(group.classes):
            raise InputError(f"{len(self.class_weights)} weight lists for {len(group.classes)} component classes")

    def __call__(self, g: Any) -> Matrix:
        """ρ(g), exactly, for an element g of the group given in its defining form: a rational
        orthogonal matrix for SO(n)/O(n)/SO(3)/O(3), a rational Lorentz matrix, a matrix of
        determinant 1 for SU(2) (= SL2) and SU(n), an invertible one for U(n) (the complexified
        groups: invariants are the same), a tuple of non-zero rationals for a torus, a pair
        (g, h) for a product.

        Example:
            >>> from invariants.groups.compact import SO3, rational_rotation
            >>> V = SO3().irrep(1) + SO3().irrep(1)
            >>> V(rational_rotation(1, 1, 0, 0)).nrows
            6
        """
        if self._element_map is None:
            raise InputError(f"{self.name} has no exact group elements; use its Lie algebra")
        return self._element_map(g)

    # -- what the algorithms read -----------------------------------------------------
    @property
    def weights(self) -> tuple[Weight, ...]:
        """Weights of the weight coordinates w = P x under the maximal torus of G°."""
        return tuple(w for w, _ in self.class_weights[0])

    @property
    def weight_field(self) -> NumberField:
        return self.weight_basis.field

    def linear_action(self) -> LinearAction:
        """Component representatives and Lie algebra, for the kernel computations."""
        return LinearAction(self.field, self.dim, self.elements, self.lie_algebra)

    def __repr__(self) -> str:
        return f"{self.name} of {self.group.name}"

    def _repr_latex_(self) -> str:
        return f"${self.name}$ of ${self.group.name}$"

    # -- algebra ------------------------------------------------------------------------
    def _check_same(self, other: "CompactRepresentation") -> None:
        if not isinstance(other, CompactRepresentation) or other.group != self.group:
            raise InputError("representations of different groups cannot be combined; use V.outer(W) for a product")

    def __add__(self, other: "CompactRepresentation") -> "CompactRepresentation":
        self._check_same(other)
        return _combine(self, other, Matrix.block_diag, Matrix.block_diag,
                        lambda a, b: list(a) + list(b), f"{self.name} + {other.name}")

    def __mul__(self, other: "CompactRepresentation") -> "CompactRepresentation":
        self._check_same(other)
        return _combine(self, other, Matrix.kron, tensor_derivation,
                        lambda a, b: [_add_signed(x, y) for x in a for y in b], f"{self.name} ⊗ {other.name}")

    def __rmul__(self, k: int) -> "CompactRepresentation":
        if not isinstance(k, int) or k < 1:
            raise InputError(f"k * V needs a positive integer k, got {k!r}")
        out = self
        for _ in range(k - 1):
            out = out + self
        out.name = f"{k}x{self.name}" if k > 1 else self.name
        return out

    def sym(self, d: int) -> "CompactRepresentation":
        """The d-th symmetric power (basis: monomials of degree d, as for finite groups)."""
        mons = monomials(self.dim, d)
        return _derived(self, lambda g: symmetric_power_matrix(g, d), lambda x: symmetric_power_derivation(x, d),
                        lambda ws: [_sum_signed([ws[i] for i, a in enumerate(m) for _ in range(a)], len(ws[0][0]) if ws else 0)
                                    for m in mons], f"Sym^{d}({self.name})")

    def ext(self, d: int) -> "CompactRepresentation":
        """The d-th exterior power (basis e_I, I increasing)."""
        subsets = list(itertools.combinations(range(self.dim), d))
        return _derived(self, lambda g: exterior_power_matrix(g, d), lambda x: exterior_power_derivation(x, d),
                        lambda ws: [_sum_signed([ws[i] for i in s], len(ws[0][0]) if ws else 0) for s in subsets],
                        f"Λ^{d}({self.name})")

    def dual(self) -> "CompactRepresentation":
        """The contragredient g ↦ g^{-T}."""
        rep = _derived(self, lambda g: g.inverse().transpose(), dual_derivation,
                       lambda ws: [(tuple(-x for x in w), -z % 1) for w, z in ws], f"{self.name}*")
        return rep

    def outer(self, other: "CompactRepresentation") -> "CompactRepresentation":
        """V ⊠ W: the representation V ⊗ W of the product group G × H."""
        group = product_group(self.group, other.group)
        wf = _bigger(self.weight_field, other.weight_field)
        f = _bigger(self.field, other.field)
        a_id = Matrix.identity(self.dim, f)
        b_id = Matrix.identity(other.dim, f)
        lie = [x.change_field(f).kron(b_id) for x in self.lie_algebra] + [a_id.kron(y.change_field(f)) for y in other.lie_algebra]
        elements = [g.change_field(f).kron(b_id) for g in self.elements] + [a_id.kron(h.change_field(f)) for h in other.elements]
        a_wid, b_wid = Matrix.identity(self.dim, wf), Matrix.identity(other.dim, wf)
        cartan = [h.change_field(wf).kron(b_wid) for h in self.cartan] + [a_wid.kron(k.change_field(wf)) for k in other.cartan]
        basis = self.weight_basis.change_field(wf).kron(other.weight_basis.change_field(wf))
        class_weights = [[(u + v, (z + y) % 1) for u, z in a for v, y in b]
                         for a, b in itertools.product(self.class_weights, other.class_weights)]
        element_map = None
        if self._element_map is not None and other._element_map is not None:
            def element_map(pair, ma=self._element_map, mb=other._element_map):
                x, y = ma(pair[0]), mb(pair[1])
                common = _bigger(x.field, y.field)
                return x.change_field(common).kron(y.change_field(common))
        return CompactRepresentation(group, lie, elements, basis, cartan, class_weights,
                                     f"{self.name} ⊠ {other.name}", f, element_map)


def _bigger(a: NumberField, b: NumberField) -> NumberField:
    return a if a.degree >= b.degree else b


def _add_signed(x: SignedWeight, y: SignedWeight) -> SignedWeight:
    return tuple(a + b for a, b in zip(x[0], y[0])), (x[1] + y[1]) % 1


def _sum_signed(ws: Sequence[SignedWeight], rank: int) -> SignedWeight:
    total: SignedWeight = ((0,) * rank, Fraction(0))
    for w in ws:
        total = _add_signed(total, w)
    return total


def _combine(a: CompactRepresentation, b: CompactRepresentation, op: Callable, lie_op: Callable,
             weights_op: Callable, name: str) -> CompactRepresentation:
    f, wf = _bigger(a.field, b.field), _bigger(a.weight_field, b.weight_field)
    lie = [lie_op(x.change_field(f), y.change_field(f)) for x, y in zip(a.lie_algebra, b.lie_algebra)]
    elements = [op(x.change_field(f), y.change_field(f)) for x, y in zip(a.elements, b.elements)]
    cartan = [lie_op(x.change_field(wf), y.change_field(wf)) for x, y in zip(a.cartan, b.cartan)]
    basis = op(a.weight_basis.change_field(wf), b.weight_basis.change_field(wf))
    class_weights = [weights_op(x, y) for x, y in zip(a.class_weights, b.class_weights)]
    element_map = None
    if a._element_map is not None and b._element_map is not None:
        def element_map(g, ma=a._element_map, mb=b._element_map):
            x, y = ma(g), mb(g)
            common = _bigger(x.field, y.field)
            return op(x.change_field(common), y.change_field(common))
    return CompactRepresentation(a.group, lie, elements, basis, cartan, class_weights, name, f, element_map)


def _derived(rep: CompactRepresentation, group_map: Callable, lie_map: Callable, weights_map: Callable,
             name: str) -> CompactRepresentation:
    base = rep._element_map
    return CompactRepresentation(
        rep.group, [lie_map(x) for x in rep.lie_algebra], [group_map(g) for g in rep.elements],
        group_map(rep.weight_basis), [lie_map(h) for h in rep.cartan],
        [weights_map(list(ws)) for ws in rep.class_weights], name, rep.field,
        None if base is None else (lambda g: group_map(base(g))))


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
    n = basis.nrows
    return [tuple(col[i] for col in diagonals) for i in range(n)]
