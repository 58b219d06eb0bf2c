"""Number fields Q(α) with a fixed complex embedding; QQ is the degree-1 case.

An element is its coefficient vector in the power basis 1, α, …, α^(k-1) (a tuple of
`flint.fmpq`).  Matrices over the field are handled through the *regular representation*
(each entry a becomes the k×k rational matrix of multiplication by a), so every exact
matrix computation in molien is a rational one done by flint.  The embedding (a certified
complex ball for α) is used only where a decision needs it — signs in a real field,
identifying eigenvalues that are roots of unity — and every such decision is certified by
ball arithmetic.
"""
from __future__ import annotations

import fractions
import functools
import itertools
import re
import numbers
from typing import Any, Sequence

import sympy
from flint import acb, arb, ctx, fmpq, fmpq_mat, fmpq_poly, fmpz_poly

from invariants.errors import FieldError, FloatEntryError
from invariants.errors import FieldError as MolienFieldError

Coeffs = tuple  # tuple[fmpq, ...] of length field.degree


class NumberField:
    """The number field Q(α) ⊂ C, α a root of the monic irreducible ``minpoly``.

    Use the constructors `QQ`, `quadratic_field`, `cyclotomic_field` or
    `number_field`; fields are compared by name and minimal polynomial.

    Example:
        >>> K = quadratic_field(5)
        >>> K.parse("(1+sqrt(5))/4")
        (1/4, 1/4)
        >>> K.to_sympy(K.parse("(1+sqrt(5))/4"))
        1/4 + sqrt(5)/4
    """

    def __init__(self, name: str, generator: sympy.Expr, minpoly: fmpq_poly, root: acb):
        if minpoly.degree() < 1:
            raise FieldError("a number field needs a minimal polynomial of degree >= 1")
        self.name = name
        self.generator = sympy.sympify(generator)
        self.minpoly = minpoly
        self.degree = minpoly.degree()
        self._root = root
        k = self.degree
        # companion matrix: multiplication by α on the power basis
        comp = fmpq_mat(k, k)
        for i in range(1, k):
            comp[i, i - 1] = 1
        for i in range(k):
            comp[i, k - 1] = -minpoly[i]
        self.companion = comp
        self.is_real = True if k == 1 else self._root_is_real()

    # -- identity ---------------------------------------------------------------
    def __repr__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberField) and self.name == other.name and self.minpoly == other.minpoly

    def __hash__(self) -> int:
        return hash((self.name, str(self.minpoly)))

    def _root_is_real(self) -> bool:
        # α is real iff the minimal polynomial has a real root inside the stored ball
        # that is isolated from its complex conjugate: certified by the root isolation.
        roots = [r for r, _ in fmpz_poly(self._integral_minpoly()).complex_roots()]
        for r in roots:
            if r.overlaps(self._root):
                return bool(r.imag == 0)
        raise FieldError(f"embedding of {self.name} could not be certified")

    def _integral_minpoly(self) -> list[int]:
        den = self.minpoly.denom()
        return [int(c * den) for c in self.minpoly.coeffs()]

    # -- elements ---------------------------------------------------------------
    @property
    def zero(self) -> Coeffs:
        return (fmpq(0),) * self.degree

    @property
    def one(self) -> Coeffs:
        return (fmpq(1),) + (fmpq(0),) * (self.degree - 1)

    def from_rational(self, q: Any) -> Coeffs:
        return (fmpq(q),) + (fmpq(0),) * (self.degree - 1)

    def is_zero(self, a: Coeffs) -> bool:
        return all(c == 0 for c in a)

    def mult_matrix(self, a: Coeffs) -> fmpq_mat:
        """The k×k rational matrix of x ↦ a·x on the power basis."""
        k = self.degree
        out = fmpq_mat(k, k)
        power = fmpq_mat(k, k)
        for i in range(k):
            power[i, i] = 1
        for c in a:
            if c != 0:
                out += power * c
            power = self.companion * power
        return out

    def mul(self, a: Coeffs, b: Coeffs) -> Coeffs:
        if self.degree == 1:
            return (a[0] * b[0],)
        return _poly_to_coeffs((_coeffs_to_poly(a) * _coeffs_to_poly(b)) % self.minpoly, self.degree)

    def add(self, a: Coeffs, b: Coeffs) -> Coeffs:
        if self.degree == 1:
            return (a[0] + b[0],)
        return tuple(x + y for x, y in zip(a, b))

    def neg(self, a: Coeffs) -> Coeffs:
        return tuple(-x for x in a)

    def inv(self, a: Coeffs) -> Coeffs:
        if self.is_zero(a):
            raise ZeroDivisionError("inverse of zero in " + self.name)
        if self.degree == 1:
            return (1 / a[0],)
        g, s, _ = _coeffs_to_poly(a).xgcd(self.minpoly)
        return _poly_to_coeffs((s / g[0]) % self.minpoly, self.degree)

    # -- conversions ------------------------------------------------------------
    def parse(self, value: Any, tolerance: float | None = None) -> Coeffs:
        """Convert a user value (int, Fraction, sympy number, string) to an element.

        Floats are refused unless ``tolerance`` is given, in which case the nearest simple
        element within ``tolerance`` is used.
        """
        if isinstance(value, bool) or value is None:
            raise FieldError(f"{value!r} is not a number")
        if isinstance(value, fmpq):
            return self.from_rational(value)
        if isinstance(value, numbers.Integral):
            return self.from_rational(int(value))
        if isinstance(value, fractions.Fraction):
            return self.from_rational(fmpq(value.numerator, value.denominator))
        if isinstance(value, float) or (isinstance(value, numbers.Real) and not isinstance(value, (numbers.Rational, sympy.Basic))):
            return self._from_float(value, tolerance)
        if isinstance(value, tuple) and len(value) == self.degree and all(isinstance(c, fmpq) for c in value):
            return value
        if isinstance(value, numbers.Complex) and not isinstance(value, sympy.Basic):
            return self._from_float(value, tolerance)
        if isinstance(value, str):
            return self._parse_sympy(safe_sympify(value), tolerance)
        if isinstance(value, sympy.Basic) and value.is_number:
            return self._parse_sympy(value, tolerance)
        raise FieldError(f"cannot read {value!r:.60} as a number: give an int, a Fraction, a sympy number or a string")

    def _parse_sympy(self, expr: sympy.Expr, tolerance: float | None) -> Coeffs:
        if expr.has(sympy.Float):
            if tolerance is None:
                raise FloatEntryError(
                    f"the entry {expr} is a floating-point number; molien computes exactly. "
                    "Give it exactly (e.g. '1/3', 'sqrt(5)/2') or pass tolerance=... to round it "
                    "to a nearby exact value.")
            expr = sympy.nsimplify(expr, [self.generator] if self.degree > 1 else [], tolerance=tolerance, rational=self.degree == 1)
        if expr.is_Rational:
            return self.from_rational(fmpq(int(expr.p), int(expr.q)))
        if self.degree == 1:
            raise FieldError(f"the entry {expr} is not rational; give the field, e.g. field='QQ(sqrt(5))'")
        return _to_field_cached(self, expr)

    def _from_float(self, value: Any, tolerance: float | None) -> Coeffs:
        if tolerance is None:
            raise FloatEntryError(
                f"the entry {value!r} is a floating-point number; molien computes exactly. "
                "Give it exactly (an int, a Fraction, a string such as '(1+sqrt(5))/4') "
                "or pass tolerance=... to round it to a nearby exact value.")
        if isinstance(value, complex):
            expr = sympy.Float(value.real, 30) + sympy.I * sympy.Float(value.imag, 30)
        else:
            expr = sympy.Float(float(value), 30)
        elem = self._parse_sympy(expr, tolerance)
        if abs(complex(self.to_sympy(elem).evalf(30)) - complex(value)) > tolerance:
            raise FieldError(f"no element of {self.name} within tolerance {tolerance} of {value!r}")
        return elem

    def to_sympy(self, a: Coeffs) -> sympy.Expr:
        terms = [sympy.Rational(int(c.p), int(c.q)) * self.generator**i for i, c in enumerate(a) if c != 0]
        return sympy.expand(sympy.Add(*terms)) if terms else sympy.Integer(0)

    def to_sympy_pretty(self, a: Coeffs) -> sympy.Expr:
        """A readable exact form: a combination of square roots and I when one exists (found
        numerically, then verified exactly), else the power-basis form."""
        if self.degree <= 2 or all(c == 0 for c in a[1:]):
            return self.to_sympy(a)
        return _pretty_cached(self, a)

    def to_acb(self, a: Coeffs, prec: int = 128) -> acb:
        """The certified complex ball of the embedded element."""
        old = ctx.prec
        ctx.prec = prec
        try:
            alpha = self.root(prec)
            out = acb(0)
            p = acb(1)
            for c in a:
                if c != 0:
                    out += p * acb(c)
                p = p * alpha
            return out
        finally:
            ctx.prec = old

    def root(self, prec: int = 128) -> acb:
        """α as a ball of about ``prec`` bits, refined by certified root isolation."""
        if prec <= 60 or self.degree == 1:
            return self._root
        return _refined_root(self, prec)

    def sign(self, a: Coeffs) -> int:
        """Sign of a real element under the embedding (certified)."""
        if self.is_zero(a):
            return 0
        if not self.is_real:
            raise FieldError(f"{self.name} is not a real field: elements have no sign")
        prec = 64
        while prec < 1 << 16:
            v = self.to_acb(a, prec).real
            if v > 0:
                return 1
            if v < 0:
                return -1
            prec *= 2
        raise FieldError("could not decide a sign (precision exhausted)")  # pragma: no cover


@functools.lru_cache(maxsize=64)
def _refined_root(field: NumberField, prec: int) -> acb:
    old = ctx.prec
    ctx.prec = prec
    try:
        for r, _ in fmpz_poly(field._integral_minpoly()).complex_roots():
            if r.overlaps(field._root):
                return r
    finally:
        ctx.prec = old
    raise FieldError("embedding refinement failed")  # pragma: no cover


@functools.lru_cache(maxsize=10_000)
def _pretty_cached(field: "NumberField", a: Coeffs) -> sympy.Expr:
    """a as a rational combination of 1, I, square roots and their products, found by exact
    linear algebra over Q (no numerics); the power-basis form when no such combination exists."""
    for basis in _radical_bases(field):
        coeffs = _solve_rational(field, a, [c for _, c in basis])
        if coeffs is not None:
            return sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * e for (e, _), c in zip(basis, coeffs) if c != 0])
    return field.to_sympy(a)


@functools.lru_cache(maxsize=64)
def _radical_bases(field: "NumberField") -> list[list[tuple[sympy.Expr, Coeffs]]]:
    roots = []
    for e in [sympy.I] + [sympy.sqrt(d) for d in (2, 3, 5, 6, 7, 10, 15)] + [sympy.I * sympy.sqrt(d) for d in (3,)]:
        try:
            roots.append((e, field.parse(e)))
        except FieldError:
            continue
    one = (sympy.Integer(1), field.one)
    bases = [[one, r] for r in roots]
    for (e1, c1), (e2, c2) in itertools.combinations(roots, 2):
        bases.append([one, (e1, c1), (e2, c2), (sympy.expand(e1 * e2), field.mul(c1, c2))])
    return bases


def _solve_rational(field: "NumberField", a: Coeffs, vectors: list[Coeffs]) -> list[fmpq] | None:
    k, m = field.degree, len(vectors)
    A = fmpq_mat(k, m + 1)
    for j, v in enumerate(vectors + [a]):
        for i, x in enumerate(v):
            A[i, j] = x
    R, rank = A.rref()
    pivots = []
    row = 0
    for c in range(m + 1):
        if row < rank and R[row, c] != 0:
            pivots.append(c)
            row += 1
    if m in pivots:
        return None  # inconsistent: a is not in the span
    sol = [fmpq(0)] * m
    for r, c in enumerate(pivots):
        sol[c] = R[r, m]
    return sol


_ALLOWED_NAMES = {"sqrt": sympy.sqrt, "exp": sympy.exp, "cos": sympy.cos, "sin": sympy.sin,
                  "I": sympy.I, "pi": sympy.pi, "E": sympy.E}
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^()]))")


@functools.lru_cache(maxsize=100_000)
def safe_sympify(text: str) -> sympy.Expr:
    """Parse a number written with digits, + - * / ** ^ ( ), sqrt, exp, cos, sin, I, pi, E.

    Anything else is refused before sympy sees it (sympify evaluates Python code).

    Example:
        >>> safe_sympify("(1+sqrt(5))/4")
        1/4 + sqrt(5)/4
    """
    pos, text = 0, str(text)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise FieldError(f"cannot parse {text!r} as a number: unexpected {text[pos:pos + 10]!r}; "
                             "use digits, + - * / ** ( ), sqrt, exp, cos, sin, I and pi")
        if m.group(2) and m.group(2) not in _ALLOWED_NAMES:
            raise FieldError(f"cannot parse {text!r} as a number: unknown name {m.group(2)!r}; "
                             f"allowed names are {', '.join(sorted(_ALLOWED_NAMES))}")
        pos = m.end()
    try:
        expr = sympy.sympify(text.replace("^", "**"), locals=dict(_ALLOWED_NAMES), rational=False)
    except (sympy.SympifyError, SyntaxError, TypeError, ZeroDivisionError) as exc:
        raise FieldError(f"cannot parse {text!r} as a number: {exc}") from None
    if not isinstance(expr, sympy.Basic) or not expr.is_number:
        raise FieldError(f"{text!r} is not a number")
    return expr


@functools.lru_cache(maxsize=100_000)
def _to_field_cached(field: NumberField, expr: sympy.Expr) -> Coeffs:
    from sympy.polys.numberfields.subfield import to_number_field

    try:
        anp = to_number_field(expr, field.generator)
    except Exception:  # sympy raises IsomorphismFailed, NotAlgebraic, …
        raise FieldError(f"the entry {expr} does not lie in {field.name}; choose a field that contains it") from None
    coeffs = [sympy.Rational(c) for c in reversed(anp.rep.to_list())]
    # sympy's minimal polynomial may be scaled differently from ours only by a unit; the
    # element is expressed in the same generator, so the power-basis coefficients agree.
    out = [fmpq(int(c.p), int(c.q)) for c in coeffs] + [fmpq(0)] * field.degree
    return tuple(out[: field.degree])


def _coeffs_to_poly(a: Coeffs) -> fmpq_poly:
    return fmpq_poly(list(a))


def _poly_to_coeffs(p: fmpq_poly, k: int) -> Coeffs:
    c = [fmpq(p[i]) for i in range(k)]
    return tuple(c)


# -- constructors -------------------------------------------------------------------

def _ball_near(minpoly: fmpq_poly, approx: complex) -> acb:
    den = minpoly.denom()
    roots = [r for r, _ in fmpz_poly([int(c * den) for c in minpoly.coeffs()]).complex_roots()]
    best = min(roots, key=lambda r: abs(complex(r) - approx))
    return best


@functools.lru_cache(maxsize=None)
def QQ_field() -> NumberField:
    return NumberField("QQ", sympy.Integer(0), fmpq_poly([0, 1]), acb(0))


QQ = QQ_field()


@functools.lru_cache(maxsize=None)
def quadratic_field(d: int) -> NumberField:
    """Q(sqrt(d)) for a squarefree integer d ≠ 0, 1 (sqrt(-1) gives QQ(i)).

    Example:
        >>> quadratic_field(-1)
        QQ(i)
    """
    d = int(d)
    if d in (0, 1) or not sympy.ntheory.factor_.core(abs(d)) == abs(d):
        raise FieldError(f"quadratic_field needs a squarefree d not 0 or 1, got {d}")
    gen = sympy.I if d == -1 else sympy.sqrt(d)
    name = "QQ(i)" if d == -1 else f"QQ(sqrt({d}))"
    mp = fmpq_poly([-d, 0, 1])
    return NumberField(name, gen, mp, _ball_near(mp, complex(sympy.N(gen))))


@functools.lru_cache(maxsize=None)
def cyclotomic_field(n: int) -> NumberField:
    """Q(ζ_n) with ζ_n = exp(2πi/n); Q(ζ_1) = Q(ζ_2) = QQ and Q(ζ_4) = QQ(i).

    Example:
        >>> cyclotomic_field(5).degree
        4
    """
    n = int(n)
    if n < 1:
        raise FieldError("cyclotomic_field needs n >= 1")
    if n in (1, 2):
        return QQ
    if n == 4:
        return quadratic_field(-1)
    if n % 4 == 2:  # Q(ζ_{2m}) = Q(ζ_m) for odd m
        return cyclotomic_field(n // 2)
    mp = fmpq_poly(list(fmpz_poly.cyclotomic(n)))
    gen = sympy.exp(2 * sympy.pi * sympy.I / n)
    import cmath

    return NumberField(f"QQ(zeta_{n})", gen, mp, _ball_near(mp, cmath.exp(2j * cmath.pi / n)))


def number_field(generator: Any) -> NumberField:
    """Q(α) for an algebraic number α given as a sympy expression or string.

    Example:
        >>> number_field("2**(1/3)").degree
        3
    """
    gen = safe_sympify(generator) if isinstance(generator, str) else sympy.sympify(generator)
    if gen.is_Rational:
        return QQ
    if gen.has(sympy.Float):
        raise FieldError(f"the generator {gen} is a floating-point number: give it exactly")
    x = sympy.Symbol("x")
    try:
        mp = sympy.Poly(sympy.minimal_polynomial(gen, x), x)
    except Exception:  # sympy signals a non-algebraic or unsupported generator in several ways
        raise FieldError(f"{gen} is not an algebraic number molien can handle: give a root such as 'sqrt(5)' "
                         "or '2**(1/3)'") from None
    coeffs = [sympy.Rational(c) / mp.LC() for c in reversed(mp.all_coeffs())]
    fmp = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in coeffs])
    return NumberField(f"QQ({gen})", gen, fmp, _ball_near(fmp, complex(sympy.N(gen, 30))))


def parse_field(name: str | NumberField) -> NumberField:
    """Field from its name: ``"QQ"``, ``"QQ(sqrt(5))"``, ``"QQ(i)"``, ``"QQ(zeta_7)"``, ``"QQ(2**(1/3))"``."""
    if isinstance(name, NumberField):
        return name
    s = str(name).replace(" ", "")
    if s in ("QQ", "Q"):
        return QQ
    if s in ("QQ(i)", "QQ(I)"):
        return quadratic_field(-1)
    try:
        if s.startswith("QQ(zeta_") and s.endswith(")"):
            return cyclotomic_field(int(s[len("QQ(zeta_"):-1]))
        if s.startswith("QQ(sqrt(") and s.endswith("))") and s[len("QQ(sqrt("):-2].lstrip("-").isdigit():
            return quadratic_field(int(s[len("QQ(sqrt("):-2]))
    except ValueError:
        raise FieldError(f"unknown field {name!r}; use 'QQ', 'QQ(sqrt(5))', 'QQ(i)' or 'QQ(zeta_7)'") from None
    if s.startswith("QQ(") and s.endswith(")"):
        return number_field(s[3:-1])
    raise FieldError(f"unknown field {name!r}; use 'QQ', 'QQ(sqrt(5))', 'QQ(i)' or 'QQ(zeta_7)'")


def common_field(values: Sequence[Any]) -> NumberField:
    """The smallest catalogued field containing the given sympy values (QQ, Q(sqrt d), Q(zeta_n))."""
    exprs = [sympy.sympify(v) for v in values]
    if all(e.is_Rational for e in exprs):
        return QQ
    raise FieldError("entries are not rational: pass field='QQ(sqrt(5))' (or the field that contains them)")
