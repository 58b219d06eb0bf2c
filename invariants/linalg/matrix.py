"""Exact matrices over a field.

A `Matrix` over K of degree k over its prime field F (QQ or GF(p)) is stored as its regular
representation: the (k·rows)×(k·cols) matrix over F (``fmpq_mat`` or ``nmod_mat``) in which
entry a becomes the k×k matrix of multiplication by a.  This map is a ring homomorphism, so
products, inverses, equality and hashing are single flint operations, and QQ (k = 1) is not a
special case.  Ranks and kernels over K come from those over F (`invariants.linalg.dense`).
"""
from __future__ import annotations

import functools
from typing import Any, Iterable, Sequence

import sympy
from flint import fmpq

from invariants.errors import FieldError, FloatEntryError, ShapeError, SingularMatrixError
from invariants.fields import QQ, parse_field
from invariants.fields.base import Element, Field
from invariants.linalg import dense


class Matrix:
    """An exact matrix over a `Field`.

    Example:
        >>> from invariants.fields import quadratic_field
        >>> K = quadratic_field(5)
        >>> m = Matrix.from_entries([["(1+sqrt(5))/4", 0], [0, 1]], field=K)
        >>> (m @ m)[0, 0]
        (3/8, 1/8)
    """

    __slots__ = ("field", "nrows", "ncols", "q", "_hash")

    def __init__(self, field: Field, nrows: int, ncols: int, q: Any):
        self.field = field
        self.nrows = nrows
        self.ncols = ncols
        self.q = q
        self._hash: int | None = None

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_entries(cls, rows: Any, field: Field | str = QQ, tolerance: float | None = None) -> "Matrix":
        """Build from nested rows of ints, Fractions, sympy numbers or strings."""
        field = parse_field(field) if isinstance(field, str) else field
        if isinstance(rows, Matrix):
            return rows
        if isinstance(rows, sympy.MatrixBase):
            rows = rows.tolist()
        try:
            import numpy as np

            if isinstance(rows, np.ndarray):
                if rows.dtype.kind in "fc" and tolerance is None:
                    raise FloatEntryError(
                        "a floating-point numpy array was given; molien computes exactly. "
                        "Pass integer/Fraction/string entries, or tolerance=... to round.")
                rows = rows.tolist()
        except ImportError:  # pragma: no cover
            pass
        if not isinstance(rows, (list, tuple)) or not rows or not all(isinstance(r, (list, tuple)) for r in rows):
            raise ShapeError(f"a matrix must be a non-empty list of rows, got {rows!r:.80}")
        ncols = len(rows[0])
        if ncols == 0 or any(len(r) != ncols for r in rows):
            raise ShapeError(f"rows of unequal length {[len(r) for r in rows]}: every row needs the same number of entries")
        coeffs = [[field.parse(x, tolerance) for x in r] for r in rows]
        return cls.from_coeffs(coeffs, field)

    @classmethod
    def from_coeffs(cls, coeffs: Sequence[Sequence[Element]], field: Field) -> "Matrix":
        k = field.degree
        r, c = len(coeffs), len(coeffs[0]) if coeffs else 0
        q = field.prime_matrix(k * r, k * c)
        for i, row in enumerate(coeffs):
            for j, a in enumerate(row):
                if not field.is_zero(a):
                    set_entry(q, field, i, j, a)
        return cls(field, r, c, q)

    @classmethod
    def from_columns(cls, vectors: Sequence[Sequence[Any]], field: Field) -> "Matrix":
        """The K-matrix whose columns are the given K-vectors in prime-field coordinates (length k·n)."""
        k = field.degree
        n = len(vectors[0]) // k
        return cls.from_coeffs([[tuple(v[i * k:(i + 1) * k]) for v in vectors] for i in range(n)], field)

    @classmethod
    def identity(cls, n: int, field: Field = QQ) -> "Matrix":
        k = field.degree
        q = field.prime_matrix(k * n, k * n)
        for i in range(k * n):
            q[i, i] = 1
        return cls(field, n, n, q)

    @classmethod
    def zeros(cls, nrows: int, ncols: int, field: Field = QQ) -> "Matrix":
        return cls(field, nrows, ncols, field.prime_matrix(field.degree * nrows, field.degree * ncols))

    # -- access -------------------------------------------------------------------------------
    def __getitem__(self, ij: tuple[int, int]) -> Element:
        i, j = ij
        k = self.field.degree
        return tuple(self.q[i * k + u, j * k] for u in range(k))

    def entries(self) -> list[list[Element]]:
        k, width = self.field.degree, self.field.degree * self.ncols
        flat = self.q.entries()  # one call: indexing a flint matrix entry by entry is slow
        return [[tuple(flat[(i * k + u) * width + j * k] for u in range(k)) for j in range(self.ncols)]
                for i in range(self.nrows)]

    def nonzero_coordinates(self) -> list[tuple[int, int, list[str]]]:
        """(row, column, coordinates) of every non-zero entry: its rational coordinates in the
        field's power basis 1, α, α², … as text (what a file stores; QQ: one coordinate).

        Example:
            >>> Matrix.from_entries([[0, "1/2"], [3, 0]]).nonzero_coordinates()
            [(0, 1, ['1/2']), (1, 0, ['3'])]
        """
        k, width = self.field.degree, self.field.degree * self.ncols
        flat = self.q.entries()
        if k == 1:  # the common case, one pass over the entries
            return [(i // width, i % width, [str(v)]) for i, v in enumerate(flat) if v != 0]
        out = []
        for i in range(self.nrows):
            for j in range(self.ncols):
                coords = [flat[(i * k + u) * width + j * k] for u in range(k)]
                if any(c != 0 for c in coords):
                    out.append((i, j, [str(c) for c in coords]))
        return out

    @property
    def shape(self) -> tuple[int, int]:
        return (self.nrows, self.ncols)

    def to_sympy(self) -> sympy.Matrix:
        """The matrix as a sympy Matrix of exact numbers."""
        return sympy.Matrix([[self.field.to_sympy(a) for a in row] for row in self.entries()])

    def _repr_latex_(self) -> str:
        return "$" + sympy.latex(self.to_sympy()) + "$"

    def __repr__(self) -> str:
        rows = [[str(self.field.to_sympy(a)) for a in row] for row in self.entries()]
        return f"Matrix({rows}, field={self.field.name})"

    def is_rational(self) -> bool:
        return self.field.degree == 1 or all(all(c == 0 for c in a[1:]) for row in self.entries() for a in row)

    # -- arithmetic -------------------------------------------------------------------------
    def _check_same_field(self, other: "Matrix") -> None:
        if self.field != other.field:
            raise ShapeError(f"matrices over different fields {self.field} and {other.field}; convert one first")

    def __matmul__(self, other: "Matrix") -> "Matrix":
        self._check_same_field(other)
        if self.ncols != other.nrows:
            raise ShapeError(f"cannot multiply {self.shape} by {other.shape}")
        return Matrix(self.field, self.nrows, other.ncols, self.q * other.q)

    def __add__(self, other: "Matrix") -> "Matrix":
        self._check_same_field(other)
        if self.shape != other.shape:
            raise ShapeError(f"cannot add {self.shape} and {other.shape}")
        return Matrix(self.field, self.nrows, self.ncols, self.q + other.q)

    def __sub__(self, other: "Matrix") -> "Matrix":
        return self + (-other)

    def __neg__(self) -> "Matrix":
        return Matrix(self.field, self.nrows, self.ncols, -self.q)

    def scale(self, a: Element) -> "Matrix":
        """a·self for a field element a."""
        return Matrix.from_coeffs([[a if i == j else self.field.zero for j in range(self.nrows)]
                                   for i in range(self.nrows)], self.field) @ self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Matrix) and self.field == other.field and self.shape == other.shape and self.q == other.q

    def __reduce__(self):
        """Pickled as plain data — the field's name, a common denominator and the non-zero entries
        of the prime-field matrix as integers — so that a matrix can be a task's argument on a
        cluster (flint matrices do not pickle).  Sparse, because the regular representation of a
        field of degree k holds k×k blocks mostly of zeros, and a group element mostly zero blocks.

        Example:
            >>> import pickle
            >>> from invariants.fields import cyclotomic_field
            >>> m = Matrix.from_entries([["exp(2*pi*I/3)", 0], [0, "1/2"]], field=cyclotomic_field(3))
            >>> pickle.loads(pickle.dumps(m)) == m
            True
        """
        if _field_named(self.field.name) != self.field:  # pragma: no cover - every constructor's name reads back
            raise FieldError(f"the field {self.field.name!r} is not the one its name reads back to; a matrix over "
                             "it cannot be sent to another process")
        if self.field.characteristic:
            numerators, denominator = self.q.entries(), 1
        else:
            integral, denominator = self.q.numer_denom()
            numerators = integral.entries()
        nonzero = tuple((i, int(v)) for i, v in enumerate(numerators) if v != 0)
        return (_unpickle_matrix, (self.field.name, self.nrows, self.ncols, int(denominator), nonzero))

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self.nrows, self.ncols, tuple(self.q.entries())))
        return self._hash

    def is_identity(self) -> bool:
        return self.nrows == self.ncols and self.q == Matrix.identity(self.nrows, self.field).q

    def is_square(self) -> bool:
        return self.nrows == self.ncols

    def permutation(self) -> list[int] | None:
        """The map j ↦ i with entry (i, j) = 1 when this is a permutation matrix (one 1 in every row
        and column, zeros elsewhere), else None (at the first entry that rules it out).

        Example:
            >>> Matrix.from_coeffs([[(0,), (1,)], [(1,), (0,)]], QQ).permutation()
            [1, 0]
        """
        zero, one = self.field.zero, self.field.one
        image = [-1] * self.ncols
        if self.nrows != self.ncols:
            return None
        for i, row in enumerate(self.entries()):
            for j, a in enumerate(row):
                if a == zero:
                    continue
                if a != one or image[j] != -1:
                    return None
                image[j] = i
        return None if -1 in image else image

    def det_is_zero(self) -> bool:
        return self.q.det() == 0

    def inverse(self) -> "Matrix":
        if not self.is_square():
            raise ShapeError(f"a {self.nrows}x{self.ncols} matrix has no inverse: group elements must be square")
        if self.q.det() == 0:
            raise SingularMatrixError("the matrix is singular (determinant 0): a group element must be invertible")
        return Matrix(self.field, self.nrows, self.ncols, self.q.inv())

    def __pow__(self, e: int) -> "Matrix":
        if e < 0:
            return self.inverse() ** (-e)
        result = Matrix.identity(self.nrows, self.field)
        base = self
        while e:
            if e & 1:
                result = result @ base
            base = base @ base
            e >>= 1
        return result

    def transpose(self) -> "Matrix":
        return Matrix.from_coeffs([list(col) for col in zip(*self.entries())], self.field)

    # -- linear algebra over K (through the prime field) --------------------------------------
    def rank(self) -> int:
        """Rank over K (the rank of the regular representation is k times it)."""
        return dense.rank(self.q) // self.field.degree

    def kernel(self) -> "Matrix":
        """A K-basis of {x : self·x = 0}, as the columns of a matrix.

        Example:
            >>> Matrix.from_entries([[1, 1, 0]]).kernel().ncols
            2
        """
        if self.ncols == self.rank():
            return Matrix.zeros(self.ncols, 0, self.field)
        ker = dense.kernel(self.q)
        cols = dense.columns(ker, field_basis_columns(self.field, ker))
        entries = cols.entries()
        return Matrix.from_columns([tuple(entries[i * cols.ncols() + j] for i in range(cols.nrows()))
                                    for j in range(cols.ncols())], self.field)

    def column_space_basis(self) -> list[int]:
        """Indices of columns that are independent of the columns before them (over K)."""
        k = self.field.degree
        pivots = dense.pivot_columns(self.q)
        return sorted({c // k for c in pivots})

    def diagonal_block(self, start: int, size: int) -> "Matrix":
        """The square block of rows and columns start … start + size − 1."""
        ents = self.entries()
        return Matrix.from_coeffs([row[start:start + size] for row in ents[start:start + size]], self.field)

    def block_diag(self, other: "Matrix") -> "Matrix":
        """The direct sum self ⊕ other."""
        self._check_same_field(other)
        a, b = self.q, other.q
        q = self.field.prime_matrix(a.nrows() + b.nrows(), a.ncols() + b.ncols())
        for src, (r0, c0) in ((a, (0, 0)), (b, (a.nrows(), a.ncols()))):
            width = src.ncols()
            entries = src.entries()
            for i in range(src.nrows()):
                for j in range(width):
                    v = entries[i * width + j]
                    if v != 0:
                        q[r0 + i, c0 + j] = v
        return Matrix(self.field, self.nrows + other.nrows, self.ncols + other.ncols, q)

    def kron(self, other: "Matrix") -> "Matrix":
        """The tensor (Kronecker) product over K, rows indexed by (i, k) pairs, i major."""
        self._check_same_field(other)
        f = self.field
        A, B = self.entries(), other.entries()
        p, q = other.nrows, other.ncols
        rows = [[f.zero] * (self.ncols * q) for _ in range(self.nrows * p)]
        right = [(k, l, b) for k, row in enumerate(B) for l, b in enumerate(row) if not f.is_zero(b)]
        for i, row in enumerate(A):  # only non-zero products: permutation and block matrices are sparse
            for j, a in enumerate(row):
                if not f.is_zero(a):
                    for k, l, b in right:
                        rows[i * p + k][j * q + l] = f.mul(a, b)
        return Matrix.from_coeffs(rows, f)

    def change_field(self, field: Field) -> "Matrix":
        """The same matrix over a field that contains its entries (e.g. QQ → QQ(sqrt(5)))."""
        if field == self.field:
            return self
        if self.is_rational():
            return Matrix.from_coeffs([[field.from_rational(a[0]) for a in row] for row in self.entries()], field)
        ents = [[field.parse(self.field.to_sympy(a)) for a in row] for row in self.entries()]
        return Matrix.from_coeffs(ents, field)

    def to_acb(self, prec: int = 128):
        """Certified complex balls of the embedded entries (number fields only)."""
        from flint import acb_mat, ctx

        old = ctx.prec
        ctx.prec = prec
        try:
            return acb_mat([[self.field.to_acb(a, prec) for a in row] for row in self.entries()])
        finally:
            ctx.prec = old

    def to_numpy(self, dtype: Any = None):
        """A floating-point copy (for plotting and numerics only): real for a real field, else complex."""
        import numpy as np

        if self.field.characteristic and self.field.degree > 1:
            raise FieldError(f"entries of {self.field.name} have no numeric value: use entries() for their "
                             "coordinates over the prime field, or to_sympy() for them as polynomials in a")
        if self.field.characteristic:
            return np.array([[int(a[0]) for a in row] for row in self.entries()], dtype=dtype or np.int64)
        if self.field.is_real:
            return np.array([[float(self.field.to_acb(a, 64).real) for a in row] for row in self.entries()],
                            dtype=dtype or float)
        return np.array([[complex(self.field.to_acb(a, 64)) for a in row] for row in self.entries()], dtype=dtype or complex)

    def column_vector(self, j: int) -> tuple:
        """Column j as a hashable exact vector (its prime-field coordinates in K^n)."""
        k = self.field.degree
        return tuple(self.q[i, j * k] for i in range(self.q.nrows()))

    def column_vector_nonzero(self) -> tuple | None:
        """The first non-zero column as an exact vector, or None for the zero matrix."""
        for j in range(self.ncols):
            col = self.column_vector(j)
            if any(x != 0 for x in col):
                return col
        return None


def set_entry(q: Any, field: Field, i: int, j: int, a: Element) -> None:
    """Write the field element ``a`` at (i, j) of a matrix over the prime field ``q`` (k = field
    degree): a for k = 1, else the k×k block of x ↦ a·x at rows i·k…, columns j·k… (only its
    non-zero entries: the block starts out zero).

    Example:
        >>> q = QQ.prime_matrix(2, 2); set_entry(q, QQ, 0, 1, QQ.from_rational(3)); q.entries()
        [0, 3, 0, 0]
    """
    k = field.degree
    if k == 1:
        q[i, j] = a[0]
        return
    block = field.mult_matrix(a)
    for u in range(k):
        for v in range(k):
            if block[u, v] != 0:
                q[i * k + u, j * k + v] = block[u, v]


def field_basis_columns(field: Field, vectors: Any) -> list[int]:
    """Indices of columns of ``vectors`` (prime-field coordinates of K-vectors) that form a K-basis
    of the K-span of all of them.

    Over K = F(α) of degree k each kept column v brings v, αv, …, α^(k−1)v to the F-span: a column
    is kept when it is not yet in the F-span of what the kept ones bring (K-linearly independent
    of them), so the kept columns are a K-basis of the K-span.

    Example:
        >>> from flint import fmpq_mat
        >>> field_basis_columns(QQ, fmpq_mat([[1, 2, 0], [0, 0, 1]]))
        [0, 2]
    """
    k = field.degree
    if k == 1:
        return dense.pivot_columns(vectors)
    rows, cols = vectors.nrows(), vectors.ncols()
    entries = vectors.entries()
    alpha = field.mult_matrix(tuple(field.one[0] * int(i == 1) for i in range(k)))  # x ↦ α·x on one entry
    chosen: list[int] = []
    span: list[tuple] = []
    for j in range(cols):
        v = tuple(entries[i * cols + j] for i in range(rows))
        if dense.rank(field.prime_matrix(rows, len(span) + 1, [w[i] for i in range(rows) for w in span + [v]])) \
                == len(span):
            continue
        chosen.append(j)
        for _ in range(k):
            span.append(v)
            v = _times(alpha, v, k)
    return chosen


def _times(alpha: Any, v: tuple, k: int) -> tuple:
    """α·v for a K-vector v in prime-field coordinates."""
    out = []
    for b in range(len(v) // k):
        block = v[b * k:(b + 1) * k]
        out += [sum((alpha[u, t] * block[t] for t in range(k)), block[0] * 0) for u in range(k)]
    return tuple(out)


def as_matrices(gens: Iterable[Any], field: Field | str = QQ, tolerance: float | None = None) -> list[Matrix]:
    """Parse a list of generator matrices, checking they are square, of one size and invertible."""
    field = parse_field(field) if isinstance(field, str) else field
    mats = [g if isinstance(g, Matrix) else Matrix.from_entries(g, field, tolerance) for g in gens]
    prime = field if field.characteristic else next((m.field for m in mats if m.field.characteristic), None)
    if prime is not None:  # over GF(p) (asked for, or a given matrix's): rational matrices reduce mod p
        mats = [_over_prime_field(m, prime) for m in mats]
    if not mats:
        raise ShapeError("a group needs at least one generator (use the identity matrix for the trivial group)")
    for idx, m in enumerate(mats):
        if not m.is_square():
            raise ShapeError(f"generator {idx} is {m.nrows}x{m.ncols}; group elements must be square matrices")
    sizes = {m.nrows for m in mats}
    if len(sizes) > 1:
        raise ShapeError(f"generators of different sizes {sorted(sizes)}: all must act on the same space")
    fields = {m.field for m in mats}
    if len(fields) > 1:
        target = max(fields, key=lambda f: f.degree)
        mats = [m.change_field(target) for m in mats]
    for idx, m in enumerate(mats):
        if m.det_is_zero():
            raise SingularMatrixError(
                f"generator {idx} is singular (determinant 0) and cannot be in a group; check its entries")
    return mats


def _over_prime_field(m: Matrix, field: Field) -> Matrix:
    if m.field == field:
        return m
    if m.field.characteristic == 0 and m.is_rational():
        return m.change_field(field)  # FieldError when p divides a denominator
    raise FieldError(f"a matrix over {m.field} cannot be read over {field}; give its entries as integers "
                     f"or rationals, or build it over {field}")


# a worker unpickles many matrices over one field: parse its name once (number fields call sympy)
_field_named = functools.lru_cache(maxsize=64)(parse_field)


def _unpickle_matrix(field_name: str, nrows: int, ncols: int, denominator: int,
                     nonzero: tuple[tuple[int, int], ...]) -> Matrix:
    field = _field_named(field_name)
    width = field.degree * ncols
    q = field.prime_matrix(field.degree * nrows, width)
    for i, v in nonzero:
        q[i // width, i % width] = v if denominator == 1 else fmpq(v, denominator)
    return Matrix(field, nrows, ncols, q)
