"""Number fields Q(α) ⊂ C with a certified embedding; QQ is the degree-1 case.

An element is its coefficient vector in the power basis 1, α, …, α^(k−1) (a tuple of
`flint.fmpq`).  Matrices over the field are handled through the regular representation (each
entry a becomes the k×k rational matrix of multiplication by a), so every exact matrix
computation is a rational one done by flint.

The embedding: α is one root of its minimal polynomial, pinned by a ball of arb arithmetic
that contains exactly one root.  The ball comes from evaluating the generator (√d, exp(2πi/n),
a sympy expression) in ball arithmetic and isolating the roots until exactly one root ball
overlaps it, so no float decides which root α is.  The embedding is used only where a decision
needs it (signs in a real field; eigenvalues as roots of unity), each time certified again.
"""
from __future__ import annotations

import fractions
import functools
import itertools
import math
import numbers
from typing import Any

import sympy
from flint import acb, arb, ctx, fmpq, fmpq_mat, fmpq_poly, fmpz_poly

from invariants.errors import FieldError, FloatEntryError, TooLargeError
from invariants.fields.base import Field, Reduction, companion_matrix, power_basis_matrix
from invariants.fields.finite import finite_field
from invariants.linalg.dense import solve_in_span
from invariants.parse import parse_number

Coeffs = tuple  # tuple[fmpq, ...] of length field.degree
DEFAULT_MAX_FIELD_DEGREE = 256  # [K : Q] accepted by the constructors (each refuses past it, naming the knob)


class NumberField(Field):
    """The number field Q(α) ⊂ C, α a root of the monic irreducible ``minpoly``, pinned by a
    certified ball ``root``.

    Use the constructors `QQ`, `quadratic_field`, `cyclotomic_field` or `number_field`; fields
    are compared by name and minimal polynomial.

    Example:
        >>> K = quadratic_field(5)
        >>> K.parse("(1+sqrt(5))/4")
        (1/4, 1/4)
        >>> K.to_sympy(K.parse("(1+sqrt(5))/4"))
        1/4 + sqrt(5)/4
    """

    characteristic = 0

    def __init__(self, name: str, generator: sympy.Expr, minpoly: fmpq_poly, root: acb):
        if minpoly.degree() < 1:
            raise FieldError("a number field needs a minimal polynomial of degree >= 1")
        self.name = name
        self.generator = sympy.sympify(generator)
        self.minpoly = minpoly
        self.degree = minpoly.degree()
        self._root = root
        k = self.degree
        self.companion = companion_matrix(minpoly.coeffs(), fmpq_mat(k, k))  # multiplication by α on the power basis
        self.is_real = True if k == 1 else bool(self._isolated_root(64).imag == 0)

    # -- identity ---------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberField) and self.name == other.name and self.minpoly == other.minpoly

    def __hash__(self) -> int:
        return hash((self.name, str(self.minpoly)))

    def _integral_minpoly(self) -> fmpz_poly:
        den = self.minpoly.denom()
        return fmpz_poly([int(c * den) for c in self.minpoly.coeffs()])

    def _isolated_root(self, prec: int) -> acb:
        """The root of the minimal polynomial inside the embedding's ball, isolated at ``prec`` bits."""
        old = ctx.prec
        ctx.prec = max(prec, 64)
        try:
            found = [r for r, _ in self._integral_minpoly().complex_roots() if r.overlaps(self._root)]
        finally:
            ctx.prec = old
        if len(found) != 1:
            raise FieldError(f"the embedding of {self.name} is not certified: {len(found)} roots meet its ball")
        return found[0]

    # -- elements -----------------------------------------------------------------------------
    @property
    def zero(self) -> Coeffs:
        return (fmpq(0),) * self.degree

    @property
    def one(self) -> Coeffs:
        return (fmpq(1),) + (fmpq(0),) * (self.degree - 1)

    def from_rational(self, q: Any) -> Coeffs:
        return (fmpq(q),) + (fmpq(0),) * (self.degree - 1)

    def mult_matrix(self, a: Coeffs) -> fmpq_mat:
        """The k×k rational matrix of x ↦ a·x on the power basis."""
        return power_basis_matrix(a, fmpq_mat(self.degree, self.degree), self.companion)

    def prime_matrix(self, rows: int, cols: int, entries=None) -> fmpq_mat:
        return fmpq_mat(rows, cols, list(entries)) if entries is not None else fmpq_mat(rows, cols)

    def mul(self, a: Coeffs, b: Coeffs) -> Coeffs:
        if self.degree == 1:
            return (a[0] * b[0],)
        return _poly_to_coeffs((fmpq_poly(list(a)) * fmpq_poly(list(b))) % self.minpoly, self.degree)

    def add(self, a: Coeffs, b: Coeffs) -> Coeffs:
        if self.degree == 1:
            return (a[0] + b[0],)
        return tuple(x + y for x, y in zip(a, b))

    def inv(self, a: Coeffs) -> Coeffs:
        if self.is_zero(a):
            raise ZeroDivisionError("inverse of zero in " + self.name)
        if self.degree == 1:
            return (1 / a[0],)
        g, s, _ = fmpq_poly(list(a)).xgcd(self.minpoly)
        return _poly_to_coeffs((s / g[0]) % self.minpoly, self.degree)

    def reduction(self, p: int) -> Reduction | None:
        """α ↦ the smallest root of the minimal polynomial mod p (None if it has none there, or
        p divides a denominator of it)."""
        from flint import nmod_poly

        if self.degree == 1:
            return Reduction(self, p, 0)
        coeffs = []
        for c in self.minpoly.coeffs():
            if int(c.q) % p == 0:
                return None
            coeffs.append(int(c.p) * pow(int(c.q), -1, p) % p)
        roots = nmod_poly(coeffs, p).roots()
        return Reduction(self, p, min(int(r) for r, _ in roots)) if roots else None

    # -- conversions ----------------------------------------------------------------------------
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
            return self._parse_sympy(parse_number(value), tolerance)
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
        if abs(complex(self.to_acb(elem, 64)) - complex(value)) > tolerance:
            raise FieldError(f"no element of {self.name} within tolerance {tolerance} of {value!r}")
        return elem

    def to_sympy(self, a: Coeffs) -> sympy.Expr:
        terms = [sympy.Rational(int(c.p), int(c.q)) * self.generator**i for i, c in enumerate(a) if c != 0]
        return sympy.expand(sympy.Add(*terms)) if terms else sympy.Integer(0)

    def to_sympy_pretty(self, a: Coeffs) -> sympy.Expr:
        """A readable exact form: a rational combination of 1, I, square roots and their products
        when one exists (found by exact linear algebra over Q), else the power-basis form."""
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
        """α as a ball of about ``prec`` bits (certified root isolation)."""
        if self.degree == 1:
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
    return field._isolated_root(prec)


@functools.lru_cache(maxsize=10_000)
def _pretty_cached(field: NumberField, a: Coeffs) -> sympy.Expr:
    for basis in _radical_bases(field):
        vectors = fmpq_mat(field.degree, len(basis), [x for i in range(field.degree) for _, c in basis for x in [c[i]]])
        coeffs = solve_in_span(vectors, fmpq_mat(field.degree, 1, list(a)))
        if coeffs is not None:
            return sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * e for (e, _), c in zip(basis, coeffs) if c != 0])
    return field.to_sympy(a)


@functools.lru_cache(maxsize=64)
def _radical_bases(field: NumberField) -> list[list[tuple[sympy.Expr, Coeffs]]]:
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


@functools.lru_cache(maxsize=100_000)
def _to_field_cached(field: NumberField, expr: sympy.Expr) -> Coeffs:
    from sympy.polys.numberfields.subfield import to_number_field

    bound = degree_bound(expr)
    if bound > DEFAULT_MAX_FIELD_DEGREE:
        raise FieldError(f"the entry {expr} may generate a field of degree up to {bound}; molien reads entries "
                         f"in fields of degree <= {DEFAULT_MAX_FIELD_DEGREE}")
    try:
        anp = to_number_field(expr, field.generator)
    except Exception:  # sympy raises IsomorphismFailed, NotAlgebraic, …
        raise FieldError(f"the entry {expr} does not lie in {field.name}; choose a field that contains it") from None
    coeffs = [sympy.Rational(c) for c in reversed(anp.rep.to_list())]
    # sympy's minimal polynomial may be scaled differently from ours only by a unit; the
    # element is expressed in the same generator, so the power-basis coefficients agree.
    out = [fmpq(int(c.p), int(c.q)) for c in coeffs] + [fmpq(0)] * field.degree
    return tuple(out[: field.degree])


def _poly_to_coeffs(p: fmpq_poly, k: int) -> Coeffs:
    return tuple(fmpq(p[i]) for i in range(k))


# -- certified balls of sympy numbers --------------------------------------------------------
def ball(expr: sympy.Expr, prec: int) -> acb:
    """A certified complex ball containing the value of an exact sympy number (rationals, I, pi,
    E, +, *, powers with rational exponents on the principal branch, sqrt, exp, sin, cos).

    Example:
        >>> b = ball(sympy.sqrt(2) + sympy.I, 64)
        >>> b.real.overlaps(arb("1.4142135623730950488016887")) and b.imag.contains(1)
        True
    """
    old = ctx.prec
    ctx.prec = prec
    try:
        return _ball(sympy.sympify(expr))
    finally:
        ctx.prec = old


def _ball(e: sympy.Expr) -> acb:
    if e.is_Rational:
        return acb(fmpq(int(e.p), int(e.q)))
    if e is sympy.I:
        return acb(0, 1)
    if e is sympy.pi:
        return acb(arb.pi())
    if e is sympy.E:
        return acb(1).exp()
    if isinstance(e, sympy.Add):
        return sum((_ball(a) for a in e.args), acb(0))
    if isinstance(e, sympy.Mul):
        out = acb(1)
        for a in e.args:
            out *= _ball(a)
        return out
    if isinstance(e, sympy.Pow):
        base, exp = e.args
        if exp.is_Integer:
            return _ball(base) ** int(exp)
        if exp.is_Rational:  # the principal branch, as sympy means it
            return (_ball(base).log() * acb(fmpq(int(exp.p), int(exp.q)))).exp()
    if isinstance(e, sympy.exp):
        return _ball(e.args[0]).exp()
    if isinstance(e, sympy.cos):
        return _ball(e.args[0]).cos()
    if isinstance(e, sympy.sin):
        return _ball(e.args[0]).sin()
    raise FieldError(f"cannot certify a value of {e}: use radicals, exp, sin, cos, I and pi")


def certified_root(minpoly: fmpq_poly, generator: sympy.Expr, name: str) -> acb:
    """The ball of the unique root of ``minpoly`` equal to ``generator``, certified: the value's
    ball and the isolated root balls are refined until exactly one root meets the value."""
    den = minpoly.denom()
    integral = fmpz_poly([int(c * den) for c in minpoly.coeffs()])
    prec = 64
    while prec <= 1 << 14:
        value = ball(generator, prec)
        old = ctx.prec
        ctx.prec = prec
        try:
            near = [r for r, _ in integral.complex_roots() if r.overlaps(value)]
        finally:
            ctx.prec = old
        if len(near) == 1:
            return near[0]
        if not near:
            raise FieldError(f"{generator} is not a root of the minimal polynomial found for {name}")
        prec *= 2
    raise FieldError(f"could not separate {generator} from the other roots of its minimal polynomial")  # pragma: no cover


def degree_bound(expr: sympy.Expr) -> int:
    """An upper bound on [Q(expr) : Q] read off the expression: a root of order q multiplies it by
    q, exp/cos/sin of a rational multiple of πi by the totient of the denominator.

    Example:
        >>> degree_bound(sympy.sqrt(2) + sympy.root(3, 3))
        6
    """
    bound = 1
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.args[1].is_Rational and not node.args[1].is_Integer:
            bound *= int(node.args[1].q)
        elif isinstance(node, (sympy.exp, sympy.cos, sympy.sin)):
            ratio = node.args[0] / (sympy.pi * (sympy.I if isinstance(node, sympy.exp) else 1))
            if ratio.is_Rational:   # φ(q) <= q: a bound without factoring a huge q
                bound *= int(sympy.totient(ratio.q)) if ratio.q.bit_length() <= 64 else int(ratio.q)
            else:
                bound *= DEFAULT_MAX_FIELD_DEGREE + 1  # not a root of unity: no bound we can vouch for
    return bound


def euler_phi(n: int, cap: int) -> tuple[int, bool]:
    """(φ(n), True) when n < 2^64 or n <= 2·cap², else (⌊√(n/2)⌋, False): a lower bound of φ(n)
    (φ(n) >= √(n/2)) already above ``cap``, found without factoring n — a 50-digit semiprime takes
    sympy hours.

    Example:
        >>> euler_phi(120, 256), euler_phi(10**40 + 1, 256)[1]
        ((32, True), False)
    """
    if n <= 2 * cap * cap or n.bit_length() <= 64:   # a 64-bit n factors in milliseconds
        return int(sympy.totient(n)), True
    return math.isqrt(n // 2), False


def _guard_degree(degree: int, what: str, max_degree: int, exact: bool = True) -> None:
    if degree > max_degree:
        size = f"degree {degree:,}" if exact else f"degree at least {degree:,}"
        raise TooLargeError(f"{what} has {size} over Q, above max_degree={max_degree}; exact arithmetic "
                            f"in it costs about degree² per operation; pass max_degree={degree} to build it anyway",
                            estimate=degree, option="max_degree")


# -- constructors -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _rationals() -> NumberField:
    return NumberField("QQ", sympy.Integer(0), fmpq_poly([0, 1]), acb(0))


QQ = _rationals()


@functools.lru_cache(maxsize=None)
def quadratic_field(d: int) -> NumberField:
    """Q(sqrt(d)) for a squarefree integer d ≠ 0, 1 (sqrt(-1) gives QQ(i)), α = the principal sqrt(d).

    Example:
        >>> quadratic_field(-1)
        QQ(i)
    """
    d = int(d)
    if abs(d).bit_length() > 64:   # squarefree means factoring d: hours for a 50-digit semiprime
        raise FieldError(f"quadratic_field reads square roots of integers below 2^64, got a {len(str(abs(d)))}-digit "
                         "d: give its squarefree part, or the field by a generator of your own (number_field)")
    if d in (0, 1) or not sympy.ntheory.factor_.core(abs(d)) == abs(d):
        raise FieldError(f"quadratic_field needs a squarefree d not 0 or 1, got {d}")
    gen = sympy.I if d == -1 else sympy.sqrt(d)
    name = "QQ(i)" if d == -1 else f"QQ(sqrt({d}))"
    mp = fmpq_poly([-d, 0, 1])
    return NumberField(name, gen, mp, certified_root(mp, gen, name))


@functools.lru_cache(maxsize=None)
def cyclotomic_field(n: int, max_degree: int = DEFAULT_MAX_FIELD_DEGREE) -> NumberField:
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
        return cyclotomic_field(n // 2, max_degree)
    degree, exact = euler_phi(n, max_degree)
    _guard_degree(degree, f"Q(zeta_{n})", max_degree, exact)
    mp = fmpq_poly(list(fmpz_poly.cyclotomic(n)))
    gen = sympy.exp(2 * sympy.pi * sympy.I / n)
    return NumberField(f"QQ(zeta_{n})", gen, mp, certified_root(mp, gen, f"QQ(zeta_{n})"))


@functools.lru_cache(maxsize=None)
def real_cyclotomic_field(m: int, max_degree: int = DEFAULT_MAX_FIELD_DEGREE) -> NumberField:
    """Q(cos 2π/m) = Q(ζ_m) ∩ R, generated by cos 2π/m, its minimal polynomial read off Φ_m.

    Why not `number_field(cos(2*pi/m))`: sympy rewrites cos(π/60) in nested radicals whose
    degree bound (262,144) and minimal polynomial are far from the true degree 16.
    Φ_m(x) = x^d Σ_k a_k (x^k + x^-k) with x^k + x^-k = 2 T_k(cos θ) at x = e^{iθ}.

    Example:
        >>> real_cyclotomic_field(120).degree, real_cyclotomic_field(7).minpoly.degree()
        (16, 3)
    """
    m = int(m)
    if m < 1:
        raise FieldError("real_cyclotomic_field needs m >= 1")
    if m in (1, 2, 3, 4, 6):
        return QQ
    phi, exact = euler_phi(m, 2 * max_degree)
    half = phi // 2
    _guard_degree(half, f"Q(cos 2pi/{m})", max_degree, exact)
    phi = fmpz_poly.cyclotomic(m).coeffs()   # palindromic, degree 2·half
    mp = fmpq_poly([int(phi[half])])
    for k in range(1, half + 1):
        mp += 2 * int(phi[half + k]) * fmpq_poly(fmpz_poly.chebyshev_t(k).coeffs())
    mp = mp / mp.coeffs()[-1]
    gen = sympy.cos(2 * sympy.pi / m, evaluate=False)
    name = f"QQ({gen})"
    return NumberField(name, gen, mp, certified_root(mp, gen, name))


def number_field(generator: Any, max_degree: int = DEFAULT_MAX_FIELD_DEGREE) -> NumberField:
    """Q(α) for an algebraic number α given as a sympy expression or string.

    Example:
        >>> number_field("2**(1/3)").degree
        3
    """
    gen = parse_number(generator) if isinstance(generator, str) else sympy.sympify(generator)
    if gen.is_Rational:
        return QQ
    if gen.has(sympy.Float):
        raise FieldError(f"the generator {gen} is a floating-point number: give it exactly")
    _guard_degree(degree_bound(gen), f"Q({gen}) (bounded from its expression)", max_degree)
    x = sympy.Symbol("x")
    try:
        mp = sympy.Poly(sympy.minimal_polynomial(gen, x), x)
    except Exception:  # sympy signals a non-algebraic or unsupported generator in several ways
        raise FieldError(f"{gen} is not an algebraic number molien can handle: give a root such as 'sqrt(5)' "
                         "or '2**(1/3)'") from None
    coeffs = [sympy.Rational(c) / mp.LC() for c in reversed(mp.all_coeffs())]
    fmp = fmpq_poly([fmpq(int(c.p), int(c.q)) for c in coeffs])
    return NumberField(f"QQ({gen})", gen, fmp, certified_root(fmp, gen, f"QQ({gen})"))


def parse_field(name: str | Field) -> Field:
    """Field from its name: ``"QQ"``, ``"QQ(sqrt(5))"``, ``"QQ(i)"``, ``"QQ(zeta_7)"``, ``"QQ(2**(1/3))"``,
    or a finite field ``"GF(7)"``, ``"GF(9)"`` = ``"GF(3^2)"`` (generator ``a``, `FiniteField`).

    Example:
        >>> parse_field("GF(7)").characteristic
        7
        >>> parse_field("GF(3^2)")
        GF(9)
    """
    if isinstance(name, Field):
        return name
    s = str(name).replace(" ", "")
    if s.startswith("GF(") and s.endswith(")"):
        size = s[3:-1].replace("**", "^").split("^")
        if not (1 <= len(size) <= 2 and all(part.isascii() and part.isdigit() for part in size)):
            raise FieldError(f"unknown field {name!r}: a finite field is written 'GF(q)' or 'GF(p^k)' for a prime "
                             "power q = p^k, e.g. 'GF(7)', 'GF(9)' or 'GF(3^2)'")
        if len(size) == 2 and not sympy.isprime(int(size[0])):
            raise FieldError(f"unknown field {name!r}: in 'GF(p^k)' p must be a prime, e.g. 'GF(3^2)'")
        return finite_field(*map(int, size))
    if s in ("QQ", "Q"):
        return QQ
    if s in ("QQ(i)", "QQ(I)"):
        return quadratic_field(-1)
    try:
        if s.startswith("QQ(zeta_") and s.endswith(")") and s[len("QQ(zeta_"):-1].isascii():
            return cyclotomic_field(int(s[len("QQ(zeta_"):-1]))
        if s.startswith("QQ(sqrt(") and s.endswith("))") and s[len("QQ(sqrt("):-2].lstrip("-").isdigit() \
                and s.isascii():
            return quadratic_field(int(s[len("QQ(sqrt("):-2]))
    except ValueError:
        raise FieldError(f"unknown field {name!r}; use 'QQ', 'QQ(sqrt(5))', 'QQ(i)', 'QQ(zeta_7)', 'GF(7)' or 'GF(9)'") from None
    if s.startswith("QQ(") and s.endswith(")"):
        return number_field(s[3:-1])
    raise FieldError(f"unknown field {name!r}; use 'QQ', 'QQ(sqrt(5))', 'QQ(i)', 'QQ(zeta_7)', 'GF(7)' or 'GF(9)'")
