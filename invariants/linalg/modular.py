"""Modular images: exact linear algebra over GF(p) that proves statements over K.

A reduction K → GF(p) (`invariants.fields.base.Reduction`) is linear, so

* columns independent after reduction are independent over K (a non-zero minor mod p is
  non-zero in K), and
* a modular rank equal to a known dimension proves that the columns span that space.

What an unlucky prime can do is only lose rank; callers that need an exact rank either know the
dimension it must reach, or confirm it with a second reduction.

Example:
    >>> from invariants.fields import QQ
    >>> from flint import fmpq
    >>> one, two = (fmpq(1),), (fmpq(2),)
    >>> independent_columns(QQ, [{"a": one}, {"a": two}, {"b": one}], n_fixed=0)
    ([0, 2], 2)
"""
from __future__ import annotations

from typing import Hashable, Sequence

import numpy as np
from flint import nmod_mat

from invariants.fields.base import Element, Field
from invariants.fields.primes import LARGE, reductions
from invariants.linalg import dense

SparseVector = dict  # coordinate key -> field element


def independent_columns(field: Field, vectors: Sequence[dict[Hashable, Element]], *, n_fixed: int,
                        need: int | None = None, expected_rank: int | None = None,
                        primes: int = 4) -> tuple[list[int], int] | None:
    """Indices (among the vectors after the first ``n_fixed``) of those independent modulo the span
    of everything before them, chosen greedily in order, at most ``need``; and the rank of all.

    One rank profile over GF(p) for a large p.  With ``expected_rank`` (the exact dimension of the
    space spanned by everything) the answer is returned only when the modular rank reaches it; a
    prime that loses rank is replaced, and after ``primes`` of them None tells the caller to
    eliminate exactly.
    """
    if not vectors:
        return [], 0
    rows: dict[Hashable, int] = {}
    for v in vectors:
        for key in v:
            rows.setdefault(key, len(rows))
    width = len(vectors)
    for count, red in enumerate(reductions(field, below=LARGE)):
        if count >= primes:
            break
        try:
            flat = [0] * (len(rows) * width)
            for j, v in enumerate(vectors):
                for key, c in v.items():
                    flat[rows[key] * width + j] = red.element(c)
        except ZeroDivisionError:
            continue
        _, pivots = dense.rref(nmod_mat(len(rows), width, flat, red.p))
        rank = len(pivots)
        if expected_rank is not None and rank != expected_rank:
            continue
        chosen = [j - n_fixed for j in pivots if j >= n_fixed]
        return (chosen[:need] if need is not None else chosen), rank
    return None


def mulmod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """a @ b mod p, exactly, for int64 entries in [0, p), p < 2^31, on float64 BLAS: b is cut
    into limbs of L bits and the inner dimension into blocks of K, with p·2^L·K <= 2^53 so that
    every partial sum is an integer exact in float64 (K = 2^11 and three 11-bit limbs for long
    products; two limbs when the inner dimension is at most 2^6).

    Example:
        >>> a = np.array([[2**30, 3]]); b = np.array([[2**30 + 5], [7]])
        >>> int(mulmod(a, b, 2**31 - 1)[0, 0]) == (2**30 * (2**30 + 5) + 21) % (2**31 - 1)
        True
    """
    out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    inner = b.shape[0]
    if inner == 0:
        return out
    block = min(inner, 1 << 11)
    bits = 53 - (p - 1).bit_length() - (block - 1).bit_length() if block > 1 else 53 - (p - 1).bit_length()
    limbs = -(-(p - 1).bit_length() // bits)
    bits = -(-(p - 1).bit_length() // limbs)  # the same number of limbs, evened out
    mask = (1 << bits) - 1
    af = a.astype(np.float64)
    for lo in range(0, inner, block):
        ab, bb = af[:, lo:lo + block], b[lo:lo + block]
        for t in range(limbs):
            limb = ((bb >> (bits * t)) & mask).astype(np.float64)
            part = (ab @ limb).astype(np.int64) % p
            out = (out + part * ((1 << (bits * t)) % p)) % p
    return out


def random_combinations(rows: np.ndarray, p: int, rng: np.random.Generator) -> np.ndarray:
    """Random combinations mod p of the rows of an int64 array (entries in [0, p)), as many as its
    columns plus a margin: their span is the rows' span but for a probability below 2^-34.

    The coefficients are drawn from S = [0, 2^s) with s such that one float64 product per block of
    2^11 rows is exact (s = 11 for p < 2^31): one BLAS product where `mulmod` needs three.  Why the
    span is kept: while the combinations drawn so far span less than the rows, the next one falls
    in their span with probability <= 1/|S| (a non-zero linear form in its coefficients vanishes,
    Schwartz–Zippel), whatever came before; so count = width + k combinations of rows of rank
    r <= width lose rank only with at least k + 1 such events, probability
    <= C(count, k + 1)·|S|^-(k+1) <= (e·count / ((k + 1)|S|))^(k+1), and k is chosen to make that
    ratio <= 1/4.  A p too small for a useful S takes uniform coefficients and `mulmod`.

    Example:
        >>> rows = np.array([[1, 2, 3], [2, 4, 6], [0, 1, 1], [1, 3, 4]] * 5)
        >>> out = random_combinations(rows, 2**31 - 1, np.random.default_rng(0))
        >>> out.shape[1], dense.rank(as_nmod_columns(out, 2**31 - 1))
        (3, 2)
    """
    count, width = rows.shape
    size = min(1 << max(53 - (p - 1).bit_length() - 11, 0), p)
    if size < 1 << 10:  # a small prime: uniform coefficients (a minor vanishes with probability <= width/p)
        if count <= width + 8:
            return rows
        return mulmod(rng.integers(0, p, size=(width + 8, count), dtype=np.int64), rows, p)
    margin = max(16, -(-12 * width // (size - 12)))   # then e·(width + k)/((k + 1)|S|) <= 1/4 (e < 3)
    if count <= width + margin:
        return rows
    coefficients = rng.integers(0, size, size=(width + margin, count)).astype(np.float64)
    out = np.zeros((width + margin, width), dtype=np.int64)
    for lo in range(0, count, 1 << 11):
        part = coefficients[:, lo:lo + (1 << 11)] @ rows[lo:lo + (1 << 11)].astype(np.float64)
        out = (out + part.astype(np.int64) % p) % p
    return out


def rref_mod(a: np.ndarray, p: int, block: int = 64) -> tuple[np.ndarray, list[int]]:
    """The reduced row echelon form over GF(p) (p < 2^31) of an int64 matrix with entries in
    [0, p): its non-zero rows and its pivot columns (the first columns independent of those
    before them).

    Blocked Gauss–Jordan, so that the work is matrix products on float64 BLAS (`mulmod`): the
    pivots of a panel of ``block`` columns are found by plain elimination on the panel alone,
    their rows are made the identity there, and one product removes those columns from every
    other row.  No conversion to or from flint's matrices (which cost more than the elimination).

    Example:
        >>> r, piv = rref_mod(np.array([[0, 2, 4], [0, 1, 3], [0, 3, 7]]), 7)
        >>> r.tolist(), piv
        ([[0, 1, 0], [0, 0, 1]], [1, 2])
    """
    A = np.array(a, dtype=np.int64) % p
    m, width = A.shape
    if m * width <= _SMALL:  # a few hundred entries: flint's elimination beats the panels' overhead
        return _rref_flint(A, p)
    pivots: list[int] = []
    r = 0
    for c0 in range(0, width, block):
        if r == m:
            break
        c1 = min(c0 + block, width)
        rows, cols = _panel_pivots(A[r:, c0:c1], p)
        if not rows:
            continue
        k = len(rows)
        chosen = r + np.asarray(rows, dtype=np.int64)
        left = np.ones(m, dtype=bool)
        left[:r] = False
        left[chosen] = False
        rest = np.flatnonzero(left)
        A = A[np.concatenate([np.arange(r), chosen, rest])]
        pc = c0 + np.asarray(cols, dtype=np.int64)
        top = A[r:r + k, c0:]
        inverse = _inverse_mod(A[r:r + k][:, pc], p)
        top = mulmod(inverse, top, p)
        A[r:r + k, c0:] = top
        others = np.r_[0:r, r + k:m]
        if len(others):
            factors = A[others][:, pc]
            A[others, c0:] = (A[others, c0:] - mulmod(factors, top, p)) % p
        pivots += [int(c) for c in pc]
        r += k
    return A[:r], pivots


_SMALL = 512  # entries up to which `rref_mod` hands the matrix to flint (5×8: 12× faster there)


def _rref_flint(A: np.ndarray, p: int) -> tuple[np.ndarray, list[int]]:
    m, width = A.shape
    if m == 0 or width == 0:
        return np.zeros((0, width), dtype=np.int64), []
    echelon, rank = nmod_mat(m, width, A.ravel().tolist(), p).rref()
    pivots = dense._pivots(echelon, rank)
    rows = np.array([int(x) for x in echelon.entries()[: rank * width]], dtype=np.int64).reshape(rank, width)
    return rows, pivots


def _panel_pivots(panel: np.ndarray, p: int) -> tuple[list[int], list[int]]:
    """Rows (indices into the panel) and columns of the pivots of a panel, by elimination on a copy:
    the chosen rows' square submatrix on the chosen columns is invertible."""
    P = panel.copy()
    order = np.arange(len(P))
    rows, cols = [], []
    i = 0
    for c in range(P.shape[1]):
        if i == len(P):
            break
        nz = np.flatnonzero(P[i:, c])
        if not len(nz):
            continue
        k = i + int(nz[0])
        if k != i:
            P[[i, k]] = P[[k, i]]
            order[[i, k]] = order[[k, i]]
        P[i, c:] = P[i, c:] * pow(int(P[i, c]), -1, p) % p
        below = P[i + 1:, c].copy()
        live = np.flatnonzero(below)
        if len(live):  # only rows with an entry under the pivot change, only right of it
            rows_below = i + 1 + live
            P[rows_below, c:] = (P[rows_below, c:] - below[live, None] * P[i, c:][None, :]) % p
        rows.append(int(order[i]))
        cols.append(c)
        i += 1
    return rows, cols


def _inverse_mod(t: np.ndarray, p: int) -> np.ndarray:
    k = len(t)
    inv = nmod_mat(k, k, t.ravel().tolist(), p).inv()
    return np.fromiter(map(int, inv.entries()), dtype=np.int64, count=k * k).reshape(k, k)


def as_nmod_columns(vectors: np.ndarray, p: int) -> nmod_mat:
    """The rows of an int64 array (values in [0, p)) as the columns of an ``nmod_mat``."""
    rows, cols = vectors.shape[1], vectors.shape[0]
    return nmod_mat(rows, cols, np.ascontiguousarray(vectors.T).ravel().tolist(), p)


class ModularSpan:
    """Vectors of a fixed width over GF(p) (p < 2^31) added one at a time, kept in reduced echelon
    form: `add` says whether a vector is independent of those kept (and keeps it if so).
    Independence of reductions mod p is independence over K, so what it keeps is independent
    over K too; a dependence it reports may be an unlucky prime's.

    Example:
        >>> span = ModularSpan(3, 7)
        >>> [span.add(np.array(v)) for v in ([1, 2, 0], [2, 4, 0], [0, 1, 1])], len(span)
        ([True, False, True], 2)
    """

    def __init__(self, width: int, p: int):
        self.p = p
        self.rows = np.zeros((0, width), dtype=np.int64)
        self.pivots: list[int] = []

    def __len__(self) -> int:
        return len(self.pivots)

    def add(self, vector: np.ndarray) -> bool:
        p = self.p
        v = np.asarray(vector, dtype=np.int64) % p
        if self.pivots:  # the rows are the identity on their pivots: one product reduces v
            v = (v - mulmod(v[self.pivots][None, :], self.rows, p)[0]) % p
        nonzero = np.flatnonzero(v)
        if not len(nonzero):
            return False
        c = int(nonzero[0])
        v = v * pow(int(v[c]), -1, p) % p
        if self.pivots:  # keep the earlier rows reduced at the new pivot
            self.rows = (self.rows - np.outer(self.rows[:, c], v) % p) % p
        self.rows = np.vstack([self.rows, v[None, :]])
        self.pivots.append(c)
        return True
