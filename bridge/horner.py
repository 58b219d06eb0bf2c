"""A shared multivariate Horner scheme: the polynomials as one straight-line program.

Each polynomial is split on its first variable, P = P₀ + x_v·P₁ (P₀ free of x_v), recursively,
after taking out its constant term and a rational leading coefficient; every sub-polynomial is
memoised, so equal pieces of different polynomials — or of the same one — are computed once.
For structured invariants the program is much shorter than the monomial expansion: the
elementary symmetric e_1 … e_n become the recurrence e_k(x_v, …) = e_k(x_{v+1}, …) + x_v·e_{k−1}(x_{v+1}, …)
(n² operations instead of 2ⁿ monomials), power sums share their powers.

The program is exact (coefficients are the sympy numbers of the input) and inspectable:
`Program.expressions()` rebuilds the polynomials from it symbolically.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy

Exponent = tuple[int, ...]
Instruction = tuple  # ("var", i) | ("const", c) | ("add", a, b) | ("mul", a, b) | ("scale", a, c) | ("shift", a, c)


@dataclass(frozen=True)
class Program:
    """Instructions in evaluation order (operands are indices of earlier instructions) and the
    index of each output.

    Example:
        >>> import sympy
        >>> x = sympy.symbols("x0:3")
        >>> prog = horner_program([sympy.Poly(x[0]*x[1] + x[0]*x[2] + x[1]*x[2], *x)], 3)
        >>> [sympy.expand(e) for e in prog.expressions(x)]
        [x0*x1 + x0*x2 + x1*x2]
    """

    n_inputs: int
    instructions: tuple[Instruction, ...]
    outputs: tuple[int, ...]

    @property
    def n_operations(self) -> int:
        """Arithmetic operations per evaluation (additions and multiplications, scalars included)."""
        return sum(ins[0] in ("add", "mul", "scale", "shift") for ins in self.instructions)

    def expressions(self, variables: Sequence[Any]) -> list[sympy.Expr]:
        """The outputs as (unexpanded) sympy expressions: the program run symbolically."""
        values: list[Any] = []
        for ins in self.instructions:
            op = ins[0]
            if op == "var":
                values.append(variables[ins[1]])
            elif op == "const":
                values.append(ins[1])
            elif op == "add":
                values.append(values[ins[1]] + values[ins[2]])
            elif op == "mul":
                values.append(values[ins[1]] * values[ins[2]])
            elif op == "scale":
                values.append(values[ins[1]] * ins[2])
            else:
                values.append(values[ins[1]] + ins[2])
        return [values[k] for k in self.outputs]

    def source(self, name: str = "program") -> str:
        """Python source of ``name(x)``: (..., n) tensor → (..., outputs) tensor, one torch
        operation per instruction (the form `torch.compile` fuses into a single loop)."""
        lines = [f"def {name}(x):", "    c = x.unbind(-1)"]
        for k, ins in enumerate(self.instructions):
            op = ins[0]
            if op == "var":
                expr = f"c[{ins[1]}]"
            elif op == "const":
                expr = f"torch.full_like(c[0], {_literal(ins[1])})"
            elif op == "add":
                expr = f"t{ins[1]} + t{ins[2]}"
            elif op == "mul":
                expr = f"t{ins[1]} * t{ins[2]}"
            elif op == "scale":
                expr = f"t{ins[1]} * {_literal(ins[2])}"
            else:
                expr = f"t{ins[1]} + {_literal(ins[2])}"
            lines.append(f"    t{k} = {expr}")
        lines.append(f"    return torch.stack([{', '.join(f't{k}' for k in self.outputs)}], -1)")
        return "\n".join(lines) + "\n"


def _literal(c: Any) -> str:
    """The exact number as the nearest double (from 30 significant digits)."""
    return repr(float(sympy.N(c, 30)))


def horner_program(polys: Sequence[sympy.Poly], n: int) -> Program:
    """The shared Horner program of ``polys`` (sympy Polys in the same ``n`` variables)."""
    builder = _Builder(n)
    outputs = tuple(builder.polynomial({e: sympy.sympify(c) for e, c in p.terms()}) for p in polys)
    return Program(n, tuple(builder.instructions), outputs)


class _Builder:
    def __init__(self, n: int):
        self.n = n
        self.zero: Exponent = (0,) * n
        self.instructions: list[Instruction] = []
        self.position: dict[Instruction, int] = {}   # hash-consing: one copy of each instruction
        self.memo: dict[frozenset, int] = {}
        self.variables = [self.emit(("var", i)) for i in range(n)]

    def emit(self, ins: Instruction) -> int:
        if ins not in self.position:
            self.position[ins] = len(self.instructions)
            self.instructions.append(ins)
        return self.position[ins]

    def polynomial(self, terms: dict[Exponent, sympy.Expr]) -> int:
        terms = {e: c for e, c in terms.items() if c != 0}
        if not terms:
            return self.emit(("const", sympy.Integer(0)))
        key = frozenset(terms.items())
        if key not in self.memo:
            self.memo[key] = self._build(terms)
        return self.memo[key]

    def _build(self, terms: dict[Exponent, sympy.Expr]) -> int:
        constant = terms.get(self.zero, 0)
        if len(terms) == 1 and constant != 0:
            return self.emit(("const", constant))
        if constant != 0:
            rest = {e: c for e, c in terms.items() if e != self.zero}
            return self.emit(("shift", self.polynomial(rest), constant))
        lead = terms[min(terms)]
        if lead != 1 and lead.is_Rational:  # rational multiples share one program
            return self.emit(("scale", self.polynomial({e: c / lead for e, c in terms.items()}), lead))
        v = min(i for e in terms for i, a in enumerate(e) if a)
        free = {e: c for e, c in terms.items() if e[v] == 0}
        divided = {e[:v] + (e[v] - 1,) + e[v + 1:]: c for e, c in terms.items() if e[v]}
        quotient = self.polynomial(divided)
        op = self.instructions[quotient]
        if op[0] == "const":  # x_v · c
            product = self.variables[v] if op[1] == 1 else self.emit(("scale", self.variables[v], op[1]))
        else:
            product = self.emit(("mul", self.variables[v], quotient))
        if not free:
            return product
        return self.emit(("add", self.polynomial(free), product))
