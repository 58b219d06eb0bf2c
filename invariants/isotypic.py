"""Isotypic and irreducible decomposition of a rational representation, exactly.

Everything comes from the commutant C = End_G(V) (matrices commuting with the listed group
elements and Lie algebra elements — the same description as `invariants.action`).  C is
semisimple, so an element a ∈ C whose characteristic polynomial has two coprime factors splits
V into the G-stable generalised eigenspaces ker f_i(a)^{e_i}; a non-semisimple element a (min
polynomial f^e, e > 1) gives the nonzero nilpotent n = f(a), and n·c is singular without being
nilpotent for a generic c ∈ C, which splits again.  A piece U is proven irreducible when
End_G(U) is a division algebra we can certify: dimension 1 (absolutely irreducible), or
commutative with an element whose minimal polynomial is irreducible of degree dim End_G(U)
(a field).  Two irreducible pieces are isomorphic exactly when C has a nonzero block between
them; that block is an isomorphism (Schur), and we use it to give every copy of an irreducible
the same matrices, so the change of basis puts V(g) into the form ⊕ I_m ⊗ ρ_i(g).

The decomposition is over QQ (the field real representations of the catalogue live in): pieces
are QQ-irreducible.  A quaternionic-type piece (End_G of dimension 4 over QQ, not a field) is
reported with ``certified=False`` when no splitting element turned up.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sympy
from flint import fmpq, fmpq_mat, fmpq_poly

from .action import linear_action
from .errors import InputError
from .linalg import rational_kernel


@dataclass(frozen=True)
class IsotypicComponent:
    """``multiplicity`` copies of one QQ-irreducible representation of dimension ``irreducible_dim``.

    ``copies[k]`` is a basis (columns) of the k-th copy; all copies carry the same matrices.
    ``endomorphism_dim`` is dim End_G of one copy (1: absolutely irreducible; 2: complex type;
    4: quaternionic).  ``character``: the trace of each listed group element (the generators of a
    finite group, the component representatives of a compact one) on one copy.
    """

    irreducible_dim: int
    multiplicity: int
    endomorphism_dim: int
    copies: tuple[sympy.Matrix, ...]
    certified: bool
    character: tuple[sympy.Rational, ...] = ()

    @property
    def dim(self) -> int:
        return self.irreducible_dim * self.multiplicity

    def __repr__(self) -> str:
        return f"{self.multiplicity}x{self.irreducible_dim}"


class IsotypicDecomposition:
    """V = ⊕_i (ρ_i)^{m_i}: components, and the change of basis P with P⁻¹ V(g) P = ⊕ I_{m_i} ⊗ ρ_i(g).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> isotypic_decomposition(symmetric(3))
        1x1 + 1x2
    """

    def __init__(self, components: list[IsotypicComponent], n: int):
        self.components = components
        self.dim = n
        cols = [c for comp in components for copy in comp.copies for c in copy.columnspace()]
        self.change_of_basis = sympy.Matrix.hstack(*cols) if cols else sympy.zeros(n, 0)

    @property
    def certified(self) -> bool:
        """Every piece is proven irreducible (so the components and multiplicities are exact)."""
        return all(c.certified for c in self.components)

    def blocks(self, g: Any) -> sympy.Matrix:
        """P⁻¹ g P for a matrix g of the representation: block diagonal, copies equal."""
        g = sympy.Matrix(g.to_sympy() if hasattr(g, "to_sympy") else g)
        p = self.change_of_basis
        return p.inv() * g * p

    def __repr__(self) -> str:
        return " + ".join(repr(c) for c in self.components)

    def _repr_latex_(self) -> str:
        parts = [(f"{c.multiplicity}\\cdot" if c.multiplicity > 1 else "") + f"\\rho_{{{c.irreducible_dim}}}"
                 for c in self.components]
        return "$" + " \\oplus ".join(parts) + "$"


def isotypic_decomposition(V: Any, *, seed: int = 0) -> IsotypicDecomposition:
    """Split a representation into irreducibles over QQ, grouped into isotypic components.

    ``V``: a `MatrixGroup`, `Representation` or compact representation over QQ.

    Example:
        >>> from invariants.compact import SO3
        >>> d = isotypic_decomposition(SO3().irrep(1) * SO3().irrep(1))
        >>> d, d.certified
        (1x1 + 1x3 + 1x5, True)
    """
    action = linear_action(V)
    if action.field.degree != 1:
        raise InputError(f"isotypic_decomposition works over QQ; this representation is over {action.field.name}. "
                         "Give a rational (real) form of it, e.g. its realification")
    n = action.dim
    mats = [m.q for m in action.elements + action.lie_algebra]
    commutant = _commutant(mats, n)
    rng = random.Random(seed)
    pieces = _split(_identity(n), commutant, rng)
    return _group(pieces, commutant, n, [m.q for m in action.elements])


def _identity(n: int) -> fmpq_mat:
    out = fmpq_mat(n, n)
    for i in range(n):
        out[i, i] = 1
    return out


def _commutant(mats: list[fmpq_mat], n: int) -> list[fmpq_mat]:
    """A basis of {X : M X = X M for every M}, X unknown in row-major order."""
    eqs = fmpq_mat(max(1, len(mats)) * n * n, n * n)
    for t, m in enumerate(mats):
        for i in range(n):
            for j in range(n):
                row = t * n * n + i * n + j
                for k in range(n):
                    if m[i, k] != 0:
                        eqs[row, k * n + j] += m[i, k]
                    if m[k, j] != 0:
                        eqs[row, i * n + k] -= m[k, j]
    ker = rational_kernel(eqs)
    return [_unvec(ker, c, n) for c in range(ker.ncols())]


def _unvec(ker: fmpq_mat, c: int, n: int) -> fmpq_mat:
    out = fmpq_mat(n, n)
    for i in range(n):
        for j in range(n):
            out[i, j] = ker[i * n + j, c]
    return out


def _basis_of_span(ops: list[fmpq_mat]) -> list[fmpq_mat]:
    if not ops:
        return []
    k = ops[0].nrows()
    stacked = fmpq_mat(len(ops), k * k)
    for r, op in enumerate(ops):
        for i in range(k):
            for j in range(k):
                stacked[r, i * k + j] = op[i, j]
    ref, rank = stacked.rref()
    return [_unvec(ref.transpose(), r, k) for r in range(rank)]


def _poly_at(f: fmpq_poly, a: fmpq_mat) -> fmpq_mat:
    """f(a) by Horner's rule."""
    out = fmpq_mat(a.nrows(), a.ncols())
    ident = _identity(a.nrows())
    for c in reversed(f.coeffs()):
        out = out * a + ident * c
    return out


def _is_zero(a: fmpq_mat) -> bool:
    return all(a[i, j] == 0 for i in range(a.nrows()) for j in range(a.ncols()))


def _generalised_eigenspaces(a: fmpq_mat) -> list[fmpq_mat] | None:
    """The splitting W = ⊕ ker f_i(a)^{e_i} over the coprime factors of the characteristic polynomial."""
    factors = a.charpoly().factor()[1]
    if len(factors) < 2:
        return None
    return [rational_kernel(_poly_at(f ** e, a)) for f, e in factors]


def _restrict(ops: list[fmpq_mat], q: fmpq_mat, start: int, size: int) -> list[fmpq_mat]:
    """The (start, start) diagonal block of q⁻¹ op q: End_G of one summand."""
    qi = q.inv()
    out = []
    for op in ops:
        full = qi * op * q
        block = fmpq_mat(size, size)
        for i in range(size):
            for j in range(size):
                block[i, j] = full[start + i, start + j]
        out.append(block)
    return _basis_of_span(out)


@dataclass
class _Piece:
    basis: fmpq_mat           # columns in V's coordinates
    endomorphisms: list[fmpq_mat]
    certified: bool


def _split(basis: fmpq_mat, ops: list[fmpq_mat], rng: random.Random) -> list[_Piece]:
    """Recursively split span(basis) (G-stable; ops = a basis of its commutant, in its coordinates)."""
    k = basis.ncols()
    ops = _basis_of_span(ops)
    if len(ops) <= 1:
        return [_Piece(basis, ops, True)]
    parts = _find_split(ops, rng)
    if parts is None:
        return [_Piece(basis, ops, _is_field(ops, rng) or _is_definite_quaternion(ops))]
    q = fmpq_mat(k, k)
    col = 0
    for part in parts:
        for j in range(part.ncols()):
            for i in range(k):
                q[i, col + j] = part[i, j]
        col += part.ncols()
    out, start = [], 0
    for part in parts:
        size = part.ncols()
        sub = fmpq_mat(k, size)
        for i in range(k):
            for j in range(size):
                sub[i, j] = q[i, start + j]
        out += _split(basis * sub, _restrict(ops, q, start, size), rng)
        start += size
    return out


def _candidates(ops: list[fmpq_mat], rng: random.Random, tries: int = 12):
    yield from ops
    for _ in range(tries):
        yield sum((op * rng.randint(-3, 3) for op in ops[1:]), ops[0] * rng.randint(1, 3))


def _find_split(ops: list[fmpq_mat], rng: random.Random) -> list[fmpq_mat] | None:
    for a in _candidates(ops, rng):
        parts = _generalised_eigenspaces(a)
        if parts is not None:
            return parts
        f = a.minpoly().factor()[1][0][0]
        nilpotent = _poly_at(f, a)
        if not _is_zero(nilpotent):  # a is not semisimple: n·c is singular and, for some c, not nilpotent
            for c in _candidates(ops, rng):
                parts = _generalised_eigenspaces(nilpotent * c)
                if parts is not None:
                    return parts
    return None


def _is_field(ops: list[fmpq_mat], rng: random.Random) -> bool:
    """End_G(U) is a field: commutative, and some element's minimal polynomial is irreducible of full degree."""
    if any(a * b != b * a for a in ops for b in ops):
        return False
    for a in _candidates(ops, rng):
        factors = a.minpoly().factor()[1]
        if len(factors) == 1 and factors[0][1] == 1 and factors[0][0].degree() == len(ops):
            return True
    return False


def _is_definite_quaternion(ops: list[fmpq_mat]) -> bool:
    """End_G(U) is a quaternion algebra whose pure part squares to a negative-definite form, so
    its tensor with RR is Hamilton's quaternions, which has no zero divisors: a division algebra."""
    if len(ops) != 4:
        return False
    k = ops[0].nrows()
    ident = _identity(k)
    pure = _basis_of_span([op - ident * (_trace(op) / k) for op in ops])
    if len(pure) != 3:
        return False
    gram = fmpq_mat(3, 3)
    for i in range(3):
        for j in range(3):
            s = pure[i] * pure[j] + pure[j] * pure[i]
            c = s[0, 0] / 2
            if s != ident * (2 * c):
                return False
            gram[i, j] = -c
    return all(_leading_minor(gram, m) > 0 for m in (1, 2, 3))


def _trace(a: fmpq_mat, start: int = 0, size: int | None = None) -> fmpq:
    """The trace of a (of its diagonal block at start, when size is given)."""
    size = a.nrows() if size is None else size
    return sum((a[start + i, start + i] for i in range(size)), fmpq(0))


def _leading_minor(a: fmpq_mat, m: int):
    sub = fmpq_mat(m, m)
    for i in range(m):
        for j in range(m):
            sub[i, j] = a[i, j]
    return sub.det()


def _group(pieces: list[_Piece], commutant: list[fmpq_mat], n: int, elements: list[fmpq_mat]) -> IsotypicDecomposition:
    """Group isomorphic pieces (C has a nonzero block between them) and align their bases."""
    p = fmpq_mat(n, n)
    offsets, col = [], 0
    for piece in pieces:
        offsets.append(col)
        for j in range(piece.basis.ncols()):
            for i in range(n):
                p[i, col + j] = piece.basis[i, j]
        col += piece.basis.ncols()
    pinv = p.inv()
    conjugated = [pinv * c * p for c in commutant]
    classes: list[list[tuple[int, fmpq_mat | None]]] = []
    for idx, piece in enumerate(pieces):
        for cls in classes:
            lead = cls[0][0]
            iso = _block_map(conjugated, offsets, pieces, lead, idx)
            if iso is not None:
                cls.append((idx, iso))
                break
        else:
            classes.append([(idx, None)])
    components = []
    for cls in classes:
        lead = pieces[cls[0][0]]
        copies = []
        for idx, iso in cls:
            basis = pieces[idx].basis if iso is None else pieces[idx].basis * iso
            copies.append(_to_sympy(basis))
        start, size = offsets[cls[0][0]], lead.basis.ncols()
        character = tuple(_rational(_trace(pinv * g * p, start, size)) for g in elements)
        components.append(IsotypicComponent(
            irreducible_dim=size, multiplicity=len(cls), endomorphism_dim=len(lead.endomorphisms),
            copies=tuple(copies), certified=all(pieces[i].certified for i, _ in cls), character=character))
    components.sort(key=lambda c: (c.irreducible_dim, c.multiplicity))
    return IsotypicDecomposition(components, n)


def _block_map(conjugated, offsets, pieces, src: int, dst: int) -> fmpq_mat | None:
    """A nonzero G-map from piece src to piece dst (coordinates), if there is one."""
    rows, cols = pieces[dst].basis.ncols(), pieces[src].basis.ncols()
    if rows != cols:
        return None
    for c in conjugated:
        block = fmpq_mat(rows, cols)
        for i in range(rows):
            for j in range(cols):
                block[i, j] = c[offsets[dst] + i, offsets[src] + j]
        if not _is_zero(block):
            return block
    return None


def _rational(x: fmpq) -> sympy.Rational:
    return sympy.Rational(int(x.p), int(x.q))


def _to_sympy(m: fmpq_mat) -> sympy.Matrix:
    return sympy.Matrix(m.nrows(), m.ncols(), lambda i, j: _rational(m[i, j]))


__all__ = ["IsotypicComponent", "IsotypicDecomposition", "isotypic_decomposition"]
