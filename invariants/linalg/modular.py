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
    into 11-bit limbs and the inner dimension into blocks of 2^11, so every partial sum is an
    integer below 2^31 · 2^11 · 2^11 = 2^53 (exact in float64).

    Example:
        >>> a = np.array([[2**30, 3]]); b = np.array([[2**30 + 5], [7]])
        >>> int(mulmod(a, b, 2**31 - 1)[0, 0]) == (2**30 * (2**30 + 5) + 21) % (2**31 - 1)
        True
    """
    out = np.zeros((a.shape[0], b.shape[1]), dtype=np.int64)
    af = a.astype(np.float64)
    for lo in range(0, b.shape[0], 1 << 11):
        ab, bb = af[:, lo:lo + (1 << 11)], b[lo:lo + (1 << 11)]
        for shift in (0, 11, 22):
            limb = ((bb >> shift) & 0x7FF).astype(np.float64)
            part = (ab @ limb).astype(np.int64) % p
            out = (out + part * ((1 << shift) % p)) % p
    return out


def as_nmod_columns(vectors: np.ndarray, p: int) -> nmod_mat:
    """The rows of an int64 array (values in [0, p)) as the columns of an ``nmod_mat``."""
    rows, cols = vectors.shape[1], vectors.shape[0]
    return nmod_mat(rows, cols, np.ascontiguousarray(vectors.T).ravel().tolist(), p)
