"""Invariants of one degree for a compact group: the common kernel of its Lie algebra, then
the fixed space of its component representatives.

The torus acts diagonally on the weight coordinates w = P x, so an invariant of G° is a
combination of weight-zero monomials in w; the other Lie algebra elements (in w: P X P⁻¹)
then cut out the kernel by exact linear algebra over QQ or QQ(i).  Substituting w = P x and
taking real and imaginary parts gives a rational basis (the action on x is rational, so the
invariants are defined over QQ).  Finally f∘c = f for each component representative c.
"""
from __future__ import annotations

from typing import Any

from flint import fmpq_mat, fmpq_mpoly

from invariants.errors import TooLargeError
from invariants.polynomials.echelon import echelon_basis
from invariants.linalg import dense
from invariants.linalg.matrix import Matrix
from invariants.polynomials.ring import PolynomialRing

MAX_KERNEL_ENTRIES = 50_000_000  # the dense exact matrix of the Lie algebra on one degree (16+ bytes an entry)


def weight_zero_monomials(weights, d: int) -> list[tuple[int, ...]]:
    """Exponent vectors a of degree d with Σ a_j weights_j = 0.

    Example:
        >>> weight_zero_monomials([(1,), (0,), (-1,)], 2)
        [(0, 2, 0), (1, 0, 1)]
    """
    n = len(weights)
    r = len(weights[0]) if n else 0
    # the largest |weight| still available from position j on, per torus coordinate
    reach = [[0] * r for _ in range(n + 1)]
    for j in range(n - 1, -1, -1):
        reach[j] = [max(reach[j + 1][i], abs(weights[j][i])) for i in range(r)]
    out: list[tuple[int, ...]] = []
    prefix = [0] * n

    def rec(j: int, left: int, total: list[int]) -> None:
        if any(abs(total[i]) > left * reach[j][i] for i in range(r)):
            return
        if j == n - 1:
            final = [t + left * w for t, w in zip(total, weights[j])]
            if not any(final):
                prefix[j] = left
                out.append(tuple(prefix))
            return
        for a in range(left, -1, -1):
            prefix[j] = a
            rec(j + 1, left - a, [t + a * w for t, w in zip(total, weights[j])])
        prefix[j] = 0

    if n == 0:
        return [()] if d == 0 else []
    rec(0, d, [0] * r)
    return sorted(out)


def compact_invariants(rep: Any, d: int, ring: PolynomialRing,
                       max_monomials: int) -> list[fmpq_mpoly]:
    """A rational basis (echelon, primitive) of the degree-d invariants, as flint polynomials in x."""
    n = rep.dim
    if d == 0:
        return [ring.ctx.constant(1)]
    mons = weight_zero_monomials(list(rep.weights), d)
    if len(mons) > max_monomials:
        raise TooLargeError(
            f"{len(mons)} weight-zero monomials of degree {d}, above max_monomials={max_monomials}; "
            f"pass max_monomials={len(mons)} to compute anyway", estimate=len(mons), option="max_monomials")
    if not mons:
        return []
    wf = rep.weight_field
    wring = PolynomialRing(wf, n)
    p = rep.weight_basis
    p_inv = p.inverse()
    generators = [p @ x.change_field(wf) @ p_inv for x in rep.lie_algebra]
    kernel = _lie_kernel(positive_root_parts(generators, list(rep.weights)), mons, wf)
    polys = []
    for column in kernel:
        f = wring.from_coefficients({m: c for m, c in zip(mons, column) if not wf.is_zero(c)})
        polys.append(f)
    polys = _realify(polys, wring, p, ring)
    for element in rep.images:
        polys = _fixed_combinations(polys, element, ring)
        if not polys:
            break
    return echelon_basis(ring, polys)


def positive_root_parts(generators: list[Matrix], weights: list[tuple[int, ...]]) -> list[Matrix]:
    """The components of Lie algebra elements (in weight coordinates) on positive root spaces.

    Entry (i, j) of X moves w_j to w_i and has root ν_i − ν_j; grouping entries by root
    splits X into its root-space parts, which lie in the Lie algebra because it is
    torus-stable.  A weight-zero vector killed by every positive root vector is a highest
    weight vector of weight 0, i.e. invariant, so these parts suffice (about half the rows).
    """
    r = len(weights[0]) if weights else 0
    functional = [10 ** (3 * (r - i)) + i for i in range(r)]  # generic: no root is orthogonal to it

    def positive(alpha: tuple[int, ...]) -> bool:
        return sum(a * c for a, c in zip(alpha, functional)) > 0

    out = []
    for x in generators:
        ents = x.entries()
        f = x.field
        parts: dict[tuple[int, ...], list] = {}
        for i, row in enumerate(ents):
            for j, c in enumerate(row):
                if f.is_zero(c):
                    continue
                alpha = tuple(a - b for a, b in zip(weights[i], weights[j]))
                if positive(alpha):
                    parts.setdefault(alpha, [[f.zero] * x.ncols for _ in range(x.nrows)])[i][j] = c
        out += [Matrix.from_coeffs(rows, f) for _, rows in sorted(parts.items())]
    unique = []
    for m in out:  # the same root part often comes from several generators
        if not any(m == u for u in unique):
            unique.append(m)
    return unique


def _lie_kernel(generators: list[Matrix], mons: list[tuple[int, ...]], field) -> list[list[tuple]]:
    """Coefficient vectors (over the field, on ``mons``) of the polynomials every generator
    kills: X acts on w^a by Σ_i a_i (X w)_i w^{a − e_i}."""
    k = field.degree
    if not generators:
        return [[field.one if i == j else field.zero for i in range(len(mons))] for j in range(len(mons))]
    rows: dict[tuple[int, tuple[int, ...]], int] = {}
    entries: dict[tuple[int, int], tuple] = {}
    for g_index, g in enumerate(generators):
        ents = g.entries()
        nz = [[(c, ents[i][c]) for c in range(g.ncols) if not field.is_zero(ents[i][c])] for i in range(g.nrows)]
        for col, a in enumerate(mons):
            for i, ai in enumerate(a):
                if not ai:
                    continue
                for c, value in nz[i]:
                    target = list(a)
                    target[i] -= 1
                    target[c] += 1
                    key = (g_index, tuple(target))
                    row = rows.setdefault(key, len(rows))
                    old = entries.get((row, col), field.zero)
                    entries[(row, col)] = field.add(old, tuple(x * ai for x in value))
    size = len(rows) * k * len(mons) * k
    if size > MAX_KERNEL_ENTRIES:
        raise TooLargeError(
            f"the invariants of degree {sum(mons[0])} in {len(mons[0])} variables are the kernel of a dense exact "
            f"{len(rows) * k:,} × {len(mons) * k:,} matrix ({size:,} entries, about {16 * size / 2**30:.3g} GiB before "
            f"elimination), above MAX_KERNEL_ENTRIES = {MAX_KERNEL_ENTRIES:,}; ask for lower degrees, or raise "
            "invariants.groups.compact.invariants.MAX_KERNEL_ENTRIES to try", estimate=size,
            option="invariants.groups.compact.invariants.MAX_KERNEL_ENTRIES")
    a = fmpq_mat(len(rows) * k, len(mons) * k)
    for (row, col), value in entries.items():
        block = field.mult_matrix(value)
        for u in range(k):
            for v in range(k):
                if block[u, v] != 0:
                    a[row * k + u, col * k + v] = block[u, v]
    ker = dense.kernel(a)
    out = []
    for j in range(ker.ncols()):
        out.append([tuple(ker[i * k + u, j] for u in range(k)) for i in range(len(mons))])
    return out


def _realify(polys: list[fmpq_mpoly], wring: PolynomialRing, p: Matrix, ring: PolynomialRing) -> list[fmpq_mpoly]:
    """Substitute w = P x and keep the rational parts: with QQ(i) coordinates, the real and
    imaginary parts of each polynomial (the invariant space is defined over QQ)."""
    out = []
    for f in polys:
        g = wring.substitute(f, p)
        coeffs = wring.coefficients(g)
        for part in range(wring.field.degree):
            piece = {m: (c[part],) + (0,) * (ring.field.degree - 1) for m, c in coeffs.items() if c[part] != 0}
            if piece:
                out.append(ring.from_coefficients(piece))
    return out


def _fixed_combinations(polys: list[fmpq_mpoly], element: Matrix, ring: PolynomialRing) -> list[fmpq_mpoly]:
    """A basis of the combinations of ``polys`` fixed by f ↦ f∘element."""
    diffs = [ring.substitute(f, element) - f for f in polys]
    mons = sorted({m for g in diffs for m in ring.coefficients(g)})
    if not mons:
        return polys
    index = {m: i for i, m in enumerate(mons)}
    k = ring.field.degree
    a = fmpq_mat(len(mons) * k, len(polys))
    for j, g in enumerate(diffs):
        for m, c in ring.coefficients(g).items():
            for u in range(k):
                a[index[m] * k + u, j] = c[u]
    ker = dense.kernel(a)
    out = []
    for j in range(ker.ncols()):
        f = ring.ctx.from_dict({})
        for i, base in enumerate(polys):
            if ker[i, j] != 0:
                f += base * ker[i, j]
        out.append(f)
    return out

