"""Isotypic and irreducible decomposition of a rational representation, exactly.

Everything comes from the commutant C = End_G(V) (matrices commuting with the listed group
elements and Lie algebra elements — the same description as `invariants.groups.action`).  C is
semisimple, so an element a ∈ C whose characteristic polynomial has two coprime factors splits
V into the G-stable generalised eigenspaces ker f_i(a)^{e_i}; a non-semisimple element a (min
polynomial f^e, e > 1) gives the nonzero nilpotent n = f(a), and n·c is singular without being
nilpotent for a generic c ∈ C, which splits again.  A piece U is proven irreducible when
End_G(U) is a division algebra we can certify: dimension 1 (absolutely irreducible), or
commutative with an element whose minimal polynomial is irreducible of degree dim End_G(U)
(a field).  Two irreducible pieces are isomorphic exactly when C has a nonzero block between
them; that block is an isomorphism (Schur), and we use it to give every copy of an irreducible
the same matrices, so the change of basis puts V(g) into the form ⊕ I_m ⊗ ρ_i(g).

Over a number field K of degree k the same algorithm runs on the rational regular
representation (K^n as QQ^{nk}) with multiplication by the generator α of K added to the
group: the commutant is then End_{KG}(V), its generalised eigenspaces are K-subspaces, and
pieces are K-irreducible (absolutely irreducible when dim_QQ End = k).  A quaternionic-type piece
(End_G a 4-dimensional division algebra over QQ that is not a field) is certified when its pure
part is definite (then End ⊗ RR = HH); otherwise, and over K ≠ QQ, it is reported with
``certified=False`` when no splitting element turned up.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import sympy
from flint import fmpq, fmpq_mat, fmpq_poly

from invariants.groups.representation import as_representation
from invariants.linalg import dense
from invariants.linalg.matrix import Matrix, field_basis_columns


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

    def __init__(self, components: list[IsotypicComponent], change_of_basis: Matrix):
        self.components = components
        self.dim = change_of_basis.nrows
        self.field = change_of_basis.field
        self._p, self._pinv = change_of_basis, change_of_basis.inverse()
        self.change_of_basis = change_of_basis.to_sympy()

    @property
    def certified(self) -> bool:
        """Every piece is proven irreducible (so the components and multiplicities are exact)."""
        return all(c.certified for c in self.components)

    def blocks(self, g: Any) -> sympy.Matrix:
        """P⁻¹ g P for a matrix g of the representation (exact): block diagonal, copies equal."""
        g = g.change_field(self.field) if isinstance(g, Matrix) else Matrix.from_entries(g, self.field)
        return (self._pinv @ g @ self._p).to_sympy()

    def __repr__(self) -> str:
        return " + ".join(repr(c) for c in self.components) or "0"

    def _repr_latex_(self) -> str:
        parts = [(f"{c.multiplicity}\\cdot" if c.multiplicity > 1 else "") + f"\\rho_{{{c.irreducible_dim}}}"
                 for c in self.components]
        return "$" + " \\oplus ".join(parts) + "$"


def isotypic_decomposition(V: Any, *, seed: int = 0) -> IsotypicDecomposition:
    """Split a representation into irreducibles over QQ, grouped into isotypic components.

    ``V``: a `MatrixGroup`, `Representation` or compact representation (over QQ or a number field).

    Example:
        >>> from invariants.groups.compact import SO3
        >>> d = isotypic_decomposition(SO3().irrep(1) * SO3().irrep(1))
        >>> d, d.certified
        (1x1 + 1x3 + 1x5, True)
    """
    rep = as_representation(V)
    field, k = rep.field, rep.field.degree
    if rep.dim == 0:
        return IsotypicDecomposition([], Matrix.identity(0, field))  # the empty sum
    n = rep.dim * k
    mats = [m.q for m in rep.images + rep.lie_algebra]
    if k > 1:  # commuting with α makes the commutant K-linear
        mats.append(_alpha(field, rep.dim))
    commutant = _commutant(mats, n)
    rng = random.Random(seed)
    pieces = _split(_identity(n), commutant, rng)
    return _group(pieces, commutant, field, list(rep.images))


def _alpha(field, dim: int) -> fmpq_mat:
    """Multiplication by the generator of K on K^dim, as a rational matrix."""
    k = field.degree
    out = fmpq_mat(dim * k, dim * k)
    for b in range(dim):
        for u in range(k):
            for v in range(k):
                out[b * k + u, b * k + v] = field.companion[u, v]
    return out


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
    ker = dense.kernel(eqs)
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
    return [dense.kernel(_poly_at(f ** e, a)) for f, e in factors]


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


def _trace(a: fmpq_mat) -> fmpq:
    return sum((a[i, i] for i in range(a.nrows())), fmpq(0))


def _leading_minor(a: fmpq_mat, m: int):
    sub = fmpq_mat(m, m)
    for i in range(m):
        for j in range(m):
            sub[i, j] = a[i, j]
    return sub.det()


def _group(pieces: list[_Piece], commutant: list[fmpq_mat], field, elements: list[Matrix]) -> IsotypicDecomposition:
    """Group isomorphic pieces (C has a nonzero block between them), align their bases and
    read them back as vectors over K."""
    n = commutant[0].nrows()
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
    for idx in range(len(pieces)):
        for cls in classes:
            iso = _block_map(conjugated, offsets, pieces, cls[0][0], idx)
            if iso is not None:
                cls.append((idx, iso))
                break
        else:
            classes.append([(idx, None)])
    k = field.degree
    alpha = _alpha(field, n // k) if k > 1 else None
    parts = []
    for cls in classes:
        lead = pieces[cls[0][0]]
        lead_k = _field_basis(lead.basis, field)  # coordinates (in the lead piece) of a K-basis
        copies = [pieces[idx].basis * (lead_k if iso is None else iso * lead_k) for idx, iso in cls]
        parts.append((lead, cls, copies))
    parts.sort(key=lambda part: (part[2][0].ncols(), len(part[1])))
    columns = [copy for _, _, copies in parts for copy in copies]
    change = Matrix.from_coeffs([[_coeffs(c, i, j, k) for c in columns for j in range(c.ncols())]
                                 for i in range(n // k)], field)
    pk_inv = change.inverse()
    components, start = [], 0
    for lead, cls, copies in parts:
        size = copies[0].ncols()
        character = tuple(field.to_sympy(_field_trace(pk_inv @ g @ change, start, size, field)) for g in elements)
        start += size * len(copies)
        sub = [Matrix.from_coeffs([[_coeffs(c, i, j, k) for j in range(size)] for i in range(n // k)], field).to_sympy()
               for c in copies]
        components.append(IsotypicComponent(
            irreducible_dim=size, multiplicity=len(cls), endomorphism_dim=len(lead.endomorphisms) // k,
            copies=tuple(sub), certified=all(pieces[i].certified for i, _ in cls), character=character))
    return IsotypicDecomposition(components, change)


def _coeffs(vectors: fmpq_mat, i: int, j: int, k: int) -> tuple:
    """Entry i of column j, read as an element of K (power-basis coefficients)."""
    return tuple(vectors[i * k + u, j] for u in range(k))


def _field_basis(basis: fmpq_mat, field) -> fmpq_mat:
    """Columns of the identity (piece coordinates) whose vectors form a K-basis of span(basis)."""
    chosen = field_basis_columns(field, basis)
    out = fmpq_mat(basis.ncols(), len(chosen))
    for c, j in enumerate(chosen):
        out[j, c] = 1
    return out


def _field_trace(m: Matrix, start: int, size: int, field) -> tuple:
    """The K-valued trace of the diagonal block of m at start (K-coordinates)."""
    out = field.zero
    for i in range(start, start + size):
        out = field.add(out, m[i, i])
    return out


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


__all__ = ["IsotypicComponent", "IsotypicDecomposition", "isotypic_decomposition"]
