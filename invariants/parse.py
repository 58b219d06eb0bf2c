"""Exact numbers from text, by a bounded grammar (no ``eval``, no ``sympify`` of user text).

Matrix entries, field generators and polynomial coefficients arrive as strings from files, the
command line and notebooks.  `parse_number` reads them with a recursive-descent parser over a
small grammar and builds the sympy number itself, so text can never run code, and every size
is bounded before it is computed:

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("**" | "^") unary)?          (right-associative: 2**3**2 = 2**9)
    atom   := NUMBER | NAME | FUNCTION "(" expr ")" | "(" expr ")"

NUMBER is ASCII digits with an optional decimal point or exponent (a decimal is a float, which
exact callers refuse); NAME is ``I``, ``pi`` or ``E``; FUNCTION is ``sqrt``, ``exp``, ``cos`` or
``sin``.  Limits (`Limits`) cap the text length, the nesting depth, the digits of a literal and
the size of an integer power; past them the parser raises `FieldError` naming the limit.

Example:
    >>> parse_number("(1+sqrt(5))/4")
    1/4 + sqrt(5)/4
    >>> parse_number("2**3**2")
    512
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

import sympy

from invariants.errors import FieldError, InputError

FUNCTIONS = {"sqrt": sympy.sqrt, "exp": sympy.exp, "cos": sympy.cos, "sin": sympy.sin}
CONSTANTS = {"I": sympy.I, "pi": sympy.pi, "E": sympy.E}
_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/^()]))")


def _apply(function: Any, arg: sympy.Expr) -> sympy.Expr:
    """``function(arg)``, except that a cos, sin or exp sympy would write in nested radicals stays
    unevaluated: sympy's closed form of cos(pi/60) nests radicals whose degree bound (2^18) is far
    from the true degree 16, and refusing it for that would be wrong."""
    value = function(arg)
    if function is sympy.sqrt or value.is_Rational:
        return value
    nested = any(isinstance(node, sympy.Pow) and not node.exp.is_Integer and not node.base.is_Rational
                 for node in sympy.preorder_traversal(value))
    return function(arg, evaluate=False) if nested else value


@dataclass(frozen=True)
class Limits:
    """Sizes the parser accepts: characters of text, nesting depth, digits of one literal, and the
    estimated digits of an integer power (|base|^e)."""

    length: int = 10_000
    depth: int = 200
    literal_digits: int = 1_000
    power_digits: int = 10_000


DEFAULT_LIMITS = Limits()


def parse_number(text: str, limits: Limits = DEFAULT_LIMITS) -> sympy.Expr:
    """The sympy number written in ``text`` (see the module docstring for the grammar).

    Example:
        >>> parse_number("exp(2*pi*I/5)")
        exp(2*I*pi/5)
        >>> parse_number("__import__('os')")
        Traceback (most recent call last):
        ...
        invariants.errors.FieldError: cannot parse "__import__('os')" as a number: unknown name '__import__'; allowed: E, I, cos, exp, pi, sin, sqrt
    """
    return _parse_cached(str(text), limits, None)


def parse_expression(text: str, names: Sequence[str] | None = None, limits: Limits = DEFAULT_LIMITS) -> sympy.Expr:
    """A polynomial (or any expression of the grammar) written in ``text``, whose NAMEs may also
    be the variables ``names`` (every other identifier when ``names`` is None), read as sympy
    symbols; nothing is evaluated but the grammar's arithmetic.

    Example:
        >>> parse_expression("x0**2 - 3*x0*x1/2", ["x0", "x1"])
        x0**2 - 3*x0*x1/2
        >>> parse_expression("__import__('os').system('true') + x0")
        Traceback (most recent call last):
        ...
        invariants.errors.FieldError: cannot parse "__import__('os').system('true') + x0" as an expression: unexpected "'os').syst"; use digits, + - * / ** ( ), names, sqrt, exp, cos, sin, I, pi and E
    """
    return _parse_cached(str(text), limits, tuple(names) if names is not None else ())


def printable(text: str) -> str:
    """``text`` with control and bidirectional-formatting characters written as escapes, so a name
    read from a file cannot move the cursor, recolour the terminal or reverse what follows.

    Example:
        >>> print(printable("C4\x1b[31m red\u202e"))
        C4\\x1b[31m red\\u202e
    """
    return "".join(ch if ch.isprintable() and unicodedata.category(ch) != "Cf" else
                   (f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}") for ch in text)


def as_expression(value: Any, names: Sequence[str] | None = None) -> sympy.Expr:
    """A sympy expression from user input without evaluating text: strings through
    `parse_expression`, numbers and sympy objects as they are; anything else is refused.

    Example:
        >>> as_expression("x0 + 1/3"), as_expression(sympy.Symbol("y") ** 2), as_expression(7)
        (x0 + 1/3, y**2, 7)
    """
    if isinstance(value, str):
        return parse_expression(value, names)
    try:
        return sympy.sympify(value, strict=True)
    except (sympy.SympifyError, TypeError) as exc:
        raise InputError(f"cannot read input of type {type(value).__name__} as a polynomial: give a sympy expression, "
                         "an integer or a string such as 'x0**2 + x1/3'") from exc


@functools.lru_cache(maxsize=100_000)
def _parse_cached(text: str, limits: Limits, names: tuple[str, ...] | None) -> sympy.Expr:
    what = "a number" if names is None else "an expression"
    if len(text) > limits.length:
        raise FieldError(f"{what} written with {len(text)} characters is longer than the limit "
                         f"{limits.length}; write it more compactly")
    return _Parser(text, limits, names).parse()


class _Parser:
    def __init__(self, text: str, limits: Limits, names: tuple[str, ...] | None = None):
        # names None: numbers only; () any identifier is a variable; else exactly these
        self.text, self.limits, self.names = text, limits, names
        self.tokens = self._tokenize(text)
        self.pos = 0

    def fail(self, why: str) -> FieldError:
        return FieldError(f"cannot parse {self.text!r} as {'a number' if self.names is None else 'an expression'}: {why}")

    def _is_variable(self, name: str) -> bool:
        if self.names is None or name in FUNCTIONS or name in CONSTANTS:
            return False
        return not self.names or name in self.names

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        out, pos = [], 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise self.fail(f"unexpected {text[pos:pos + 10]!r}; use digits, + - * / ** ( ), "
                                + ("names, " if self.names is not None else "") + f"{', '.join(FUNCTIONS)}, I, pi and E")
            kind = m.lastgroup
            value = m.group(kind)
            if kind == "name" and value not in FUNCTIONS and value not in CONSTANTS and not self._is_variable(value):
                allowed = sorted(list(FUNCTIONS) + list(CONSTANTS) + list(self.names or ()))
                raise self.fail(f"unknown name {value!r}; allowed: {', '.join(allowed)}")
            out.append((kind, value))
            pos = m.end()
        if not out:
            raise self.fail("it is empty")
        return out

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise self.fail("it ends too early")
        if value is not None and tok[1] != value:
            raise self.fail(f"expected {value!r}, found {tok[1]!r}")
        self.pos += 1
        return tok

    def parse(self) -> sympy.Expr:
        value = self.expr(0)
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()[1]!r}")
        return value

    def _deeper(self, depth: int) -> int:
        if depth >= self.limits.depth:
            raise self.fail(f"nesting deeper than {self.limits.depth}")
        return depth + 1

    def expr(self, depth: int) -> sympy.Expr:
        depth = self._deeper(depth)
        value = self.term(depth)
        while (tok := self.peek()) is not None and tok[1] in "+-" and tok[0] == "op":
            self.take()
            rhs = self.term(depth)
            value = value + rhs if tok[1] == "+" else value - rhs
        return value

    def term(self, depth: int) -> sympy.Expr:
        value = self.unary(depth)
        while (tok := self.peek()) is not None and tok[1] in ("*", "/"):
            self.take()
            rhs = self.unary(depth)
            if tok[1] == "/":
                if rhs == 0:
                    raise self.fail("division by zero")
                value = value / rhs
            else:
                value = value * rhs
        return value

    def unary(self, depth: int) -> sympy.Expr:
        depth = self._deeper(depth)
        tok = self.peek()
        if tok is not None and tok[1] in ("+", "-"):
            self.take()
            value = self.unary(depth)
            return -value if tok[1] == "-" else value
        return self.power(depth)

    def power(self, depth: int) -> sympy.Expr:
        base = self.atom(depth)
        tok = self.peek()
        if tok is not None and tok[1] in ("**", "^"):
            self.take()
            exponent = self.unary(depth)
            return self._pow(base, exponent)
        return base

    def _pow(self, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        if exponent.is_Integer and base.is_Rational:
            size = max(abs(int(base.p)), abs(int(base.q)), 1)
            digits = abs(int(exponent)) * math.log10(size) if size > 1 else 0
            if digits > self.limits.power_digits:
                raise self.fail(f"{base}**{exponent} has about {digits:.3g} digits, more than the limit "
                                f"{self.limits.power_digits}")
        elif exponent.is_Rational and abs(int(exponent.q)) > self.limits.literal_digits:
            raise self.fail(f"a root of order {exponent.q} is beyond the limit {self.limits.literal_digits}")
        elif exponent.is_Integer and abs(int(exponent)) > self.limits.power_digits:
            raise self.fail(f"the exponent {exponent} is beyond the limit {self.limits.power_digits}")
        if base == 0 and exponent.is_negative:
            raise self.fail("division by zero")
        return sympy.Pow(base, exponent)

    def atom(self, depth: int) -> sympy.Expr:
        kind, value = self.take()
        if kind == "num":
            digits = sum(ch.isdigit() for ch in value)
            if digits > self.limits.literal_digits:
                raise self.fail(f"a literal with {digits} digits is beyond the limit {self.limits.literal_digits}")
            if re.fullmatch(r"[0-9]+", value):
                return sympy.Integer(int(value))
            exp_part = re.search(r"[eE]([-+]?[0-9]+)", value)
            if exp_part and abs(int(exp_part.group(1))) > self.limits.power_digits:
                raise self.fail(f"the exponent of {value!r} is beyond the limit {self.limits.power_digits}")
            return sympy.Float(value, max(15, digits))
        if kind == "name":
            if value in CONSTANTS:
                return CONSTANTS[value]
            if self._is_variable(value):
                return sympy.Symbol(value)
            self.take("(")
            arg = self.expr(depth)
            self.take(")")
            return _apply(FUNCTIONS[value], arg)
        if value == "(":
            inner = self.expr(depth)
            self.take(")")
            return inner
        raise self.fail(f"unexpected {value!r}")
