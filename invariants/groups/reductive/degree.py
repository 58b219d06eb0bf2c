"""Invariants of one degree of a `LinearlyReductiveAction`, by exact linear algebra over QQ.

A form f of degree d in x is invariant when f(A(z)·x) − f(x) reduces to 0 modulo a Gröbner
basis of I(G) (degrevlex in z; normal forms are linear, so the condition is linear in f's
coefficients).  The images of the monomials x^e are built one variable at a time and reduced
after every product, which keeps their z-degree bounded by the standard monomials of I(G).
The kernel basis read off the reduced echelon form is canonical.
"""
from __future__ import annotations

from math import comb

import sympy
from flint import fmpq_mat, fmpq_mpoly

from invariants.errors import MolienError, TooLargeError, check_int
from invariants.groups.reductive.action import LinearlyReductiveAction
from invariants.linalg import dense
from invariants.polynomials.ring import monomials

MAX_MONOMIALS = 3_000
MAX_MATRIX_ENTRIES = 40_000_000


class DegreeSolver:
    """Invariants of each degree of one action, sharing the reduced images of monomials.

    Example:
        >>> SL2 = LinearlyReductiveAction("a*d - b*c - 1", [["a", "b"], ["c", "d"]], "a b c d")
        >>> V = SL2.product(LinearlyReductiveAction("e*h - f*g - 1", [["e", "f"], ["g", "h"]], "e f g h"))
        >>> DegreeSolver(V).basis(2)      # the two copies are acted on by different groups
        []
    """

    def __init__(self, action: LinearlyReductiveAction, max_monomials: int = MAX_MONOMIALS):
        self.action = action
        self.max_monomials = max_monomials
        self._forms = action.linear_forms()
        self._images: dict[tuple[int, ...], fmpq_mpoly] = {(0,) * action.n: action.ctx.from_dict({(0,) * action.ctx.nvars(): 1})}

    def image(self, e: tuple[int, ...]) -> fmpq_mpoly:
        """x^e(A(z)·x) in normal form modulo I(G)."""
        done = self._images.get(e)
        if done is None:
            i = next(j for j, k in enumerate(e) if k)
            smaller = e[:i] + (e[i] - 1,) + e[i + 1:]
            done = self.action.group_basis.reduce(self.image(smaller) * self._forms[i])
            self._images[e] = done
        return done

    def basis(self, d: int) -> list[fmpq_mpoly]:
        """A basis (canonical: the kernel basis of the reduced echelon form) of the invariants of degree d,
        as polynomials of `LinearlyReductiveAction.x_ctx`."""
        check_int(d, "the degree", 0)
        A = self.action
        count = comb(A.n + d - 1, d) if A.n else int(d == 0)
        if count > self.max_monomials:
            raise TooLargeError(f"degree {d} in {A.n} variables has {count:,} monomials, more than "
                                f"max_monomials = {self.max_monomials:,}; pass max_monomials={count} to allow more",
                                estimate=count, option="max_monomials")
        monos = monomials(A.n, d)
        for k in range(d):  # build the images degree by degree, so the recursion stays shallow
            for e in monomials(A.n, k):
                self.image(e)
        m, n = A.m, A.n
        columns = []
        for e in monos:
            column = self.image(e).to_dict()  # images are kept in normal form already
            key = (0,) * m + e + (0,) * n
            value = column.get(key, 0) - 1
            if value:
                column[key] = value
            else:
                column.pop(key)
            columns.append(column)
        rows = sorted({k for col in columns for k in col})
        if len(rows) * len(columns) > MAX_MATRIX_ENTRIES:
            raise TooLargeError(f"the invariance equations of degree {d} form a {len(rows):,}×{len(columns):,} "
                                f"matrix, more than {MAX_MATRIX_ENTRIES:,} entries; raise "
                                "invariants.groups.reductive.degree.MAX_MATRIX_ENTRIES to try",
                                estimate=len(rows) * len(columns), option="MAX_MATRIX_ENTRIES")
        index = {k: i for i, k in enumerate(rows)}
        M = fmpq_mat(len(rows), len(columns))
        for j, col in enumerate(columns):
            for k, c in col.items():
                M[index[k], j] = c
        K = dense.kernel(M) if rows else fmpq_mat(len(columns), len(columns), [int(i == j) for i in range(len(columns)) for j in range(len(columns))])
        # the kernel's columns are already canonical: each is 1 at its own free column, 0 at the others
        out = [A.x_ctx.from_dict({monos[i]: K[i, j] for i in range(len(monos)) if K[i, j] != 0})
               for j in range(K.ncols())]
        return [p / p.leading_coefficient() for p in out]


def is_invariant_under(action: LinearlyReductiveAction, f) -> bool:
    """Whether f(A(z)·x) − f(x) reduces to 0 modulo the Gröbner basis of I(G) (exact).

    Example:
        >>> T = LinearlyReductiveAction("z*w - 1", [["z", 0], [0, "w"]], "z w")
        >>> is_invariant_under(T, "x0*x1"), is_invariant_under(T, "x0**2*x1")
        (True, False)
    """
    p = f if isinstance(f, fmpq_mpoly) and f.context() is action.x_ctx else action.x_poly(f)
    x = action.ctx.gens()[action.m:action.m + action.n]
    moved = p.compose(*action.linear_forms(), ctx=action.ctx) - p.compose(*x, ctx=action.ctx)
    return action.group_basis.contains(moved)


def reductive_invariants_of_degree(action: LinearlyReductiveAction, d: int,
                                   max_monomials: int = MAX_MONOMIALS) -> list[sympy.Expr]:
    """A basis of the homogeneous invariants of degree d, in the action's variables (canonical,
    exact over QQ), each re-checked by `is_invariant_under`.

    Example:
        >>> from invariants.groups.reductive.examples import sl2_binary_forms
        >>> reductive_invariants_of_degree(sl2_binary_forms(2), 2)
        [-4*x0*x2 + x1**2]
    """
    basis = DegreeSolver(action, max_monomials).basis(d)
    if not all(is_invariant_under(action, p) for p in basis):  # a second, independent route to the same fact
        raise MolienError(f"an invariant of degree {d} failed the direct invariance check: please report this "
                          "with the action")
    return [action.to_sympy(p) for p in basis]
