"""Catalogue groups from short text names, for the command line and notebooks.

A name is a call such as "cyclic(5, diagonal)" (quotes, spaces and ``key=value`` arguments are
accepted), a bare keyword such as "binary_icosahedral", a Coxeter type such as "E8", "H4" or
"A2xB3" (its Coxeter group in the root basis), or "W(E8)" (the same).
"""
from __future__ import annotations

import difflib
import inspect
import re
from typing import Any, Callable

from invariants.errors import InputError
from invariants.groups.finite.group import MatrixGroup
from invariants.catalogue import classical, quaternionic, rootsystems

#: (pattern, example) pairs for every kind of catalogue name, used by the CLI help.
CATALOGUE_NAMES: list[tuple[str, str]] = [
    ("cyclic(n[, form][, weights=(w1, ...)])  form: rotation|companion|diagonal|permutation", "cyclic(5, diagonal)"),
    ("dihedral(n[, form])  form: rotation|permutation", "dihedral(6)"),
    ("symmetric(n[, form])  form: permutation|standard", "symmetric(4, standard)"),
    ("alternating(n[, form])  form: permutation|standard", "alternating(4)"),
    ("signed_permutations(n)  = W(B_n) on Q^n", "signed_permutations(3)"),
    ("even_signed_permutations(n)  = W(D_n) on Q^n", "even_signed_permutations(4)"),
    ("weyl(type[, basis])  basis: root|orthogonal", "weyl(E8, orthogonal)"),
    ("coxeter(type)  also H3, H4, I2(m)", "coxeter(H4)"),
    ("<type>  A_n B_n C_n D_n E6-8 F4 G2 H3 H4 I2(m), products AxB", "A2xB3"),
    ("W(<type>)", "W(E6)"),
    ("complex_reflection(m, p, n)", "complex_reflection(3, 3, 5)"),
    ("G(m, p, n)", "G(3,3,5)"),
    ("quaternion  (Q8)", "quaternion"),
    ("binary_dihedral(n)  order 4n", "binary_dihedral(3)"),
    ("binary_tetrahedral", "binary_tetrahedral"),
    ("binary_octahedral", "binary_octahedral"),
    ("binary_icosahedral", "binary_icosahedral"),
]

_FUNCTIONS: dict[str, Callable[..., MatrixGroup]] = {
    "cyclic": classical.cyclic,
    "dihedral": classical.dihedral,
    "symmetric": classical.symmetric,
    "alternating": classical.alternating,
    "signed_permutations": classical.signed_permutations,
    "hyperoctahedral": classical.signed_permutations,
    "even_signed_permutations": classical.even_signed_permutations,
    "complex_reflection": classical.complex_reflection,
    "g": classical.complex_reflection,
    "weyl": rootsystems.weyl,
    "coxeter": rootsystems.coxeter,
    "w": rootsystems.coxeter,
    "quaternion": quaternionic.quaternion_group,
    "quaternion_group": quaternionic.quaternion_group,
    "q8": quaternionic.quaternion_group,
    "binary_dihedral": quaternionic.binary_dihedral,
    "dicyclic": quaternionic.binary_dihedral,
    "binary_tetrahedral": quaternionic.binary_tetrahedral,
    "binary_octahedral": quaternionic.binary_octahedral,
    "binary_icosahedral": quaternionic.binary_icosahedral,
}

_TYPE = re.compile(r"^(?:[A-I]_?\d+|I_?2\(\d+\))(?:[x×+*](?:[A-I]_?\d+|I_?2\(\d+\)))*$", re.IGNORECASE | re.ASCII)


def _available() -> str:
    return "available names: " + "; ".join(f"{p.split('  ')[0]} (e.g. {e})" for p, e in CATALOGUE_NAMES)


def _split_args(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p.strip() for p in parts + [cur] if p.strip()]


def _value(text: str) -> Any:
    t = text.strip().strip("'\"").strip()
    if re.fullmatch(r"[+-]?[0-9]+", t):
        return int(t)
    if t[:1] in "([" and t[-1:] in ")]":
        return tuple(_value(x) for x in _split_args(t[1:-1]))
    return t


def by_name(spec: str) -> MatrixGroup:
    """The catalogue group named by ``spec`` (see `CATALOGUE_NAMES` for every pattern).

    Bare Coxeter types ("B3", "E8", "H4", "A2xB3") and "W(type)" give ``coxeter(type)``; calls
    take positional or ``key=value`` arguments, quoted or not; unknown names raise `InputError`
    listing the available ones.

    Example:
        >>> by_name("cyclic(3, 'diagonal')").order(), by_name("G(3,3,5)").order()
        (3, 9720)
        >>> by_name("weyl(E8, orthogonal)").name
        'W(E8)'
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(f"a group name must be a non-empty string; {_available()}")
    s = spec.strip()
    digit = next((ch for ch in s if not ch.isascii() and ch.isnumeric()), None)
    if digit is not None:  # int() would read '٣' as 3: refused, as in every other part of a spec
        raise InputError(f"{spec!r} has the non-ASCII digit {digit!r} (U+{ord(digit):04X}): write numbers with the "
                         "digits 0-9, as everywhere in a spec")
    if _TYPE.match(s.replace(" ", "")):
        return rootsystems.coxeter(s)
    if s.count("(") != s.count(")"):
        raise InputError(f"unbalanced parentheses in {spec!r}: {s.count('(')} '(' against {s.count(')')} ')'; "
                         "write e.g. cyclic(6)")
    m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?", s, re.DOTALL)
    func = _FUNCTIONS.get(m.group(1).lower()) if m else None
    if func is None:
        head = re.match(r"[A-Za-z_][A-Za-z0-9_]*", s)
        close = difflib.get_close_matches(head.group(0).lower(), list(_FUNCTIONS), n=1) if head else []
        if close and close[0] == head.group(0).lower():   # a known name followed by more than one call
            raise InputError(f"unknown group name {spec!r}: a catalogue name is one call such as {close[0]}(4); "
                             f"a product acting on V ⊗ W is written with spaces around x ('{close[0]}(4) x "
                             "symmetric(3)'), a direct sum with G.direct_product(H) in Python")
        if close:
            raise InputError(f"unknown group name {spec!r}: did you mean {close[0]}{s[head.end():]}? "
                             "(`molien catalogue` lists every name)")
        raise InputError(f"unknown group name {spec!r}; {_available()}")
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for part in _split_args(m.group(2) or ""):
        kv = re.fullmatch(r"([A-Za-z_]\w*)\s*=\s*(.+)", part, re.DOTALL)
        if kv:
            kwargs[kv.group(1)] = _value(kv.group(2))
        else:
            args.append(_value(part))
    if func in (rootsystems.weyl, rootsystems.coxeter) and args:
        args[0] = str(args[0])
    try:
        inspect.signature(func).bind(*args, **kwargs)
    except TypeError:
        usage = ", ".join(p.name if p.default is p.empty else f"{p.name}={p.default!r}"
                          for p in inspect.signature(func).parameters.values())
        raise InputError(f"wrong arguments in {spec!r}: use {func.__name__}({usage})") from None
    return func(*args, **kwargs)
