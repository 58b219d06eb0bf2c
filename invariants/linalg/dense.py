"""Dense elimination over a prime field, written once for QQ (`fmpq_mat`) and GF(p) (`nmod_mat`).

Every exact matrix in molien ends up as a matrix over its prime field: a matrix over a number
field through its regular representation (`invariants.linalg.matrix`), a modular image through
`nmod_mat`.  Ranks, reduced echelon forms, pivots, kernels and solutions are computed here and
nowhere else; flint does the elimination, this module reads its answers.

Example:
    >>> from flint import fmpq_mat, nmod_mat
    >>> a = fmpq_mat([[1, 2, 3], [2, 4, 6]])
    >>> rank(a), pivot_columns(a), kernel(a).ncols()
    (1, [0], 2)
    >>> rank(nmod_mat([[1, 2], [3, 6]], 7))
    1
"""
from __future__ import annotations

from typing import Sequence, Union

from flint import fmpq_mat, nmod_mat

FlintMatrix = Union[fmpq_mat, nmod_mat]


def zeros_like(a: FlintMatrix, rows: int, cols: int) -> FlintMatrix:
    """A zero matrix of the same prime field as ``a``."""
    return nmod_mat(rows, cols, a.modulus()) if isinstance(a, nmod_mat) else fmpq_mat(rows, cols)


def from_entries(like: FlintMatrix, rows: int, cols: int, entries: Sequence) -> FlintMatrix:
    """A matrix of the same prime field as ``like`` from its entries, row by row."""
    if isinstance(like, nmod_mat):
        return nmod_mat(rows, cols, [int(x) for x in entries], like.modulus())
    return fmpq_mat(rows, cols, entries)


def rref(a: FlintMatrix) -> tuple[FlintMatrix, list[int]]:
    """The reduced row echelon form and its pivot columns.

    Example:
        >>> r, piv = rref(fmpq_mat([[0, 2, 4], [0, 1, 3]]))
        >>> piv
        [1, 2]
    """
    if a.nrows() == 0 or a.ncols() == 0:
        return a, []
    r, rk = a.rref()
    return r, _pivots(r, rk)


def _pivots(r: FlintMatrix, rk: int) -> list[int]:
    # pivots increase with the row: one scan along them reads at most rk + ncols entries
    # (listing every entry of a wide echelon form cost more than the elimination)
    out, c, width = [], 0, r.ncols()
    for row in range(rk):
        while c < width and r[row, c] == 0:
            c += 1
        out.append(c)
        c += 1
    return out


def pivot_columns(a: FlintMatrix) -> list[int]:
    """Columns of ``a`` that are independent of the columns before them (a greedy choice in order)."""
    return rref(a)[1]


def rank(a: FlintMatrix) -> int:
    if a.nrows() == 0 or a.ncols() == 0:
        return 0
    return a.rank()


def kernel(a: FlintMatrix) -> FlintMatrix:
    """A basis of the right kernel {x : a x = 0}, as the columns of a matrix (free variables set to
    the unit vectors, so the basis is in reduced form).

    Example:
        >>> kernel(fmpq_mat([[1, 1]])).entries()
        [-1, 1]
    """
    ncols = a.ncols()
    r, piv = rref(a)
    free = [c for c in range(ncols) if c not in set(piv)]
    out = zeros_like(a, ncols, len(free))
    for j, c in enumerate(free):
        out[c, j] = 1
        for i, p in enumerate(piv):
            out[p, j] = -r[i, c]
    return out


def solve_in_span(columns: FlintMatrix, target: FlintMatrix) -> list | None:
    """Coefficients x with ``columns · x = target`` (one column), or None when target is not in the span."""
    joined = hstack([columns, target])
    r, piv = rref(joined)
    last = joined.ncols() - 1
    if last in piv:
        return None
    solution = [zeros_like(columns, 1, 1)[0, 0]] * columns.ncols()
    for row, c in enumerate(piv):
        solution[c] = r[row, last]
    return solution


def hstack(blocks: Sequence[FlintMatrix]) -> FlintMatrix:
    """The matrices side by side (same number of rows)."""
    rows = blocks[0].nrows()
    out = zeros_like(blocks[0], rows, sum(b.ncols() for b in blocks))
    start = 0
    for b in blocks:
        width = b.ncols()
        entries = b.entries()
        for i in range(rows):
            for j in range(width):
                v = entries[i * width + j]
                if v != 0:
                    out[i, start + j] = v
        start += width
    return out


def vstack(blocks: Sequence[FlintMatrix]) -> FlintMatrix:
    """The matrices on top of each other (same number of columns)."""
    return hstack([b.transpose() for b in blocks]).transpose()


def columns(a: FlintMatrix, indices: Sequence[int]) -> FlintMatrix:
    """The sub-matrix of the given columns, in that order."""
    out = zeros_like(a, a.nrows(), len(indices))
    width = a.ncols()
    entries = a.entries()
    for j, c in enumerate(indices):
        for i in range(a.nrows()):
            v = entries[i * width + c]
            if v != 0:
                out[i, j] = v
    return out
