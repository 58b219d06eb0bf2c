"""A linearly reductive group given by its action: an affine group G ⊆ K^m (its defining ideal in
coordinates z_1..z_m) and a representation matrix A(z) over K[z]/I(G) acting on K[x_1..x_n].

This is the input of Macaulay2's ``linearlyReductiveAction(I, A, R)``.  The value checks what it
can check cheaply: A is square with entries polynomial in z over QQ; I(G) is a proper ideal;
det A is a unit modulo I(G) (1 ∈ I(G) + (det A)); and A takes the value 1 somewhere on G (a
homomorphism sends the identity to 1).  It cannot check, and assumes, that I(G) is the radical
ideal of a linearly reductive group and that A is multiplicative; results built on it say so.

Internally every polynomial lives in QQ[z, x, y] (flint, degrevlex, z first); the y's are the
second copy of the coordinates Derksen's algorithm needs.
"""
from __future__ import annotations

import re
from functools import cached_property
from typing import Any, Sequence

import sympy
from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx

from invariants.errors import FieldError, FloatEntryError, InputError, NotHomomorphismError, ShapeError
from invariants.groups.reductive.groebner import GroebnerBasis
from invariants.parse import CONSTANTS, FUNCTIONS, as_expression

_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*\Z")


def _symbols(names: Any, what: str) -> tuple[sympy.Symbol, ...]:
    if isinstance(names, str):
        names = [s for s in re.split(r"[\s,]+", names) if s]
    out = []
    for s in names:
        name = s.name if isinstance(s, sympy.Symbol) else s
        if not isinstance(name, str) or not _NAME.match(name) or name in FUNCTIONS or name in CONSTANTS:
            raise InputError(f"{what} must be names such as 'a' or 'z1' (not {s!r}, and none of "
                             f"{', '.join(sorted(list(FUNCTIONS) + list(CONSTANTS)))})")
        out.append(sympy.Symbol(name))
    if len(set(out)) != len(out):
        raise InputError(f"{what} {[str(s) for s in out]} repeat a name: give each variable once")
    return tuple(out)


def _polynomial(value: Any, gens: tuple[sympy.Symbol, ...], where: str) -> sympy.Poly:
    if isinstance(value, float):
        raise FloatEntryError(f"{where} is the float {value!r}: give an exact value such as 1/2 or '1/2'")
    expr = as_expression(value, [g.name for g in gens])
    by_name = {g.name: g for g in gens}  # a Symbol('z', positive=True) is the group variable z
    expr = expr.xreplace({s: by_name[s.name] for s in expr.free_symbols
                          if isinstance(s, sympy.Symbol) and s.name in by_name})
    if expr.atoms(sympy.Float):
        raise FloatEntryError(f"{where} = {expr} contains a float: write it exactly, e.g. 1/2 instead of 0.5")
    extra = expr.free_symbols - set(gens)
    if extra:
        raise InputError(f"{where} = {expr} uses {sorted(map(str, extra))}, which are not group variables "
                         f"{[str(g) for g in gens]}: add them to group_variables or remove them")
    if gens and not expr.is_polynomial(*gens):
        raise InputError(f"{where} = {expr} is not a polynomial in the group variables: write an inverse "
                         "such as 1/z as a new variable w with z*w - 1 in the ideal")
    poly = sympy.Poly(expr, *gens) if gens else sympy.Poly(expr, sympy.Symbol("_unused"))
    if poly.domain not in (sympy.ZZ, sympy.QQ):
        raise FieldError(f"{where} = {expr} has coefficients outside QQ: this algorithm works over the "
                         "rationals; give rational coefficients")
    return poly


def _determinant(rows: list[list[fmpq_mpoly]]) -> fmpq_mpoly:
    """Bareiss' fraction-free elimination in flint (sympy's expansion of det A takes seconds for
    the binary quintic; this takes milliseconds): every division is exact."""
    M = [list(r) for r in rows]
    n, sign = len(M), 1
    previous = None
    for k in range(n):
        pivot = next((i for i in range(k, n) if not M[i][k].is_zero()), None)
        if pivot is None:
            return M[0][0] * 0
        if pivot != k:
            M[k], M[pivot], sign = M[pivot], M[k], -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                value = M[k][k] * M[i][j] - M[i][k] * M[k][j]
                M[i][j] = value if previous is None else value / previous
        previous = M[k][k]
    return M[n - 1][n - 1] * sign


class LinearlyReductiveAction:
    """G ⊆ K^m given by ``ideal`` in ``group_variables`` acting on K[x] by x ↦ A(z)·x, as Macaulay2's
    ``linearlyReductiveAction``: a polynomial f is invariant when f(A(z)·x) ≡ f(x) modulo the ideal.
    Entries are sympy expressions, integers, Fractions or strings (read by the safe parser).
    Macaulay2 reads its matrix the other way round (f invariant when f(Mᵀ·x) = f(x)): the same
    ring there is ``linearlyReductiveAction(I, transpose A, S)``.

    Example:
        >>> SL2 = LinearlyReductiveAction(["a*d - b*c - 1"], [["a", "b"], ["c", "d"]], "a b c d")
        >>> SL2.n, SL2.m, SL2.variables
        (2, 4, (x0, x1))
        >>> LinearlyReductiveAction(["z*w - 1"], [["z", 0], [0, "w**2"]], "z w").matrix
        Matrix([
        [z,    0],
        [0, w**2]])
    """

    def __init__(self, ideal: Any, matrix: Any, group_variables: Any, variables: Any = None):
        self.group_variables = _symbols(group_variables, "group_variables")
        rows = matrix.tolist() if isinstance(matrix, sympy.MatrixBase) else matrix
        if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows or \
                not all(isinstance(r, Sequence) and not isinstance(r, str) for r in rows):
            raise ShapeError("give the matrix as a list of rows, e.g. [['a', 'b'], ['c', 'd']]")
        n = len(rows)
        if any(len(r) != n for r in rows):
            raise ShapeError(f"the matrix has rows of lengths {[len(r) for r in rows]}: it must be square "
                             f"({n}×{n})")
        self.n, self.m = n, len(self.group_variables)
        names = [f"x{i}" for i in range(n)] if variables is None else variables
        self.variables = _symbols(names, "variables")
        if len(self.variables) != n:
            raise ShapeError(f"{len(self.variables)} variables given for a {n}×{n} matrix: give {n}")
        if set(self.variables) & set(self.group_variables):
            raise InputError(f"variables {sorted(map(str, set(self.variables) & set(self.group_variables)))} are "
                             "also group variables: pass variables=[...] with other names")
        gens = self.group_variables
        if isinstance(ideal, (str, sympy.Expr, int)):
            ideal = [ideal]
        self._ideal = [_polynomial(p, gens, f"ideal generator {i}") for i, p in enumerate(ideal)]
        self._matrix = [[_polynomial(e, gens, f"matrix entry ({i}, {j})") for j, e in enumerate(r)]
                        for i, r in enumerate(rows)]
        self.ideal = tuple(p.as_expr() for p in self._ideal)
        self.matrix = sympy.ImmutableMatrix([[p.as_expr() for p in r] for r in self._matrix])
        self._check_group()

    # -- flint images ---------------------------------------------------------------------------
    @cached_property
    def ctx(self) -> fmpq_mpoly_ctx:
        """QQ[z, x, y] in degrevlex with z first (the order Derksen's elimination relies on)."""
        names = [f"z{i}" for i in range(self.m)] + [f"x{i}" for i in range(self.n)] + [f"y{i}" for i in range(self.n)]
        return fmpq_mpoly_ctx.get(tuple(names), "degrevlex")

    @cached_property
    def x_ctx(self) -> fmpq_mpoly_ctx:
        """QQ[x] in degrevlex, where invariants and the Hilbert ideal are returned."""
        return fmpq_mpoly_ctx.get(tuple(f"x{i}" for i in range(self.n)), "degrevlex")

    def _flint(self, poly: sympy.Poly) -> fmpq_mpoly:
        width = self.m + 2 * self.n
        terms = {}
        for mono, c in poly.terms():
            c = sympy.Rational(c)
            terms[tuple(mono[:self.m]) + (0,) * (width - self.m)] = fmpq(int(c.p), int(c.q))
        return self.ctx.from_dict(terms)

    @cached_property
    def ideal_polys(self) -> list[fmpq_mpoly]:
        """The ideal's generators in QQ[z, x, y]."""
        return [self._flint(p) for p in self._ideal]

    @cached_property
    def matrix_polys(self) -> list[list[fmpq_mpoly]]:
        """A(z) entry by entry in QQ[z, x, y]."""
        return [[self._flint(p) for p in r] for r in self._matrix]

    @cached_property
    def group_basis(self) -> GroebnerBasis:
        """A Gröbner basis of I(G), reducing the z-part of polynomials in QQ[z, x, y]."""
        return GroebnerBasis(self.ideal_polys, self.ctx, k=self.m, what="the Gröbner basis of the group's ideal")

    def linear_forms(self) -> list[fmpq_mpoly]:
        """(A(z)·x)_i = Σ_j A_ij(z) x_j: the images of the coordinates."""
        x = self.ctx.gens()[self.m:self.m + self.n]
        zero = self.ctx.from_dict({})
        return [sum((a * xj for a, xj in zip(row, x)), zero) for row in self.matrix_polys]

    def x_poly(self, expr: Any) -> fmpq_mpoly:
        """A polynomial in the action's variables as an element of QQ[x] (`x_ctx`)."""
        poly = _polynomial(expr, self.variables, "the polynomial")
        return self.x_ctx.from_dict({tuple(e): fmpq(int(sympy.Rational(c).p), int(sympy.Rational(c).q))
                                     for e, c in poly.terms()})

    def to_sympy(self, p: fmpq_mpoly) -> sympy.Expr:
        """An element of `x_ctx` written in the action's variables."""
        out = sympy.Integer(0)
        for mono, c in zip(p.monoms(), p.coeffs()):
            out += sympy.Rational(int(c.p), int(c.q)) * sympy.Mul(*(v ** e for v, e in zip(self.variables, mono)))
        return out

    # -- validation -----------------------------------------------------------------------------
    def _check_group(self) -> None:
        if self.group_basis.is_unit:
            raise InputError(f"the ideal {list(self.ideal)} contains 1, so the group is empty: give the ideal "
                             "of a group, e.g. a*d - b*c - 1 for SL2")
        det_poly = _determinant(self.matrix_polys)
        with_det = GroebnerBasis(self.ideal_polys + [det_poly], self.ctx, what="the unit test of det A")
        if not with_det.is_unit:
            raise InputError(f"det A = {str(det_poly).replace('^', '**')} (in z0..z{self.m - 1}) is not a unit modulo the ideal, so A(z) is not "
                             "invertible on the whole group: check the matrix and the ideal (for GL_n add "
                             "a variable u with det·u - 1 in the ideal)")
        one = [self.matrix_polys[i][j] - (1 if i == j else 0) for i in range(self.n) for j in range(self.n)]
        if GroebnerBasis(self.ideal_polys + one, self.ctx, what="the identity test").is_unit:
            raise NotHomomorphismError("A(z) is never the identity matrix on the group, so it is not a "
                                       "homomorphism (which sends the identity to 1): check the matrix")

    # -- values ---------------------------------------------------------------------------------
    def _key(self) -> tuple:
        return (self.ideal, self.matrix, self.group_variables, self.variables)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LinearlyReductiveAction) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"LinearlyReductiveAction({[str(p) for p in self.ideal]}, {[[str(e) for e in r] for r in self.matrix.tolist()]}, "
                f"{[str(s) for s in self.group_variables]}, variables={[str(s) for s in self.variables]})")

    def product(self, other: "LinearlyReductiveAction", tensor: bool = False) -> "LinearlyReductiveAction":
        """G × H acting on V ⊕ W (block diagonal), or on V ⊗ W when ``tensor`` (Kronecker product);
        the two groups must use different variable names.

        Example:
            >>> T = LinearlyReductiveAction("z*w - 1", [["z"]], "z w")
            >>> S = LinearlyReductiveAction("s*t - 1", [["t"]], "s t")
            >>> T.product(S).matrix.tolist(), T.product(S, tensor=True).matrix.tolist()
            ([[z, 0], [0, t]], [[t*z]])
        """
        if set(self.group_variables) & set(other.group_variables):
            raise InputError("the two groups share variable names "
                             f"{sorted(map(str, set(self.group_variables) & set(other.group_variables)))}: rename one")
        A, B = sympy.Matrix(self.matrix), sympy.Matrix(other.matrix)
        M = sympy.kronecker_product(A, B) if tensor else sympy.diag(A, B)
        return LinearlyReductiveAction(list(self.ideal) + list(other.ideal), M.applyfunc(sympy.expand),
                                       self.group_variables + other.group_variables)
