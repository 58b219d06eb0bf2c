"""Compact-group specifications: JSON dictionaries and short strings (a public contract).

JSON::

    {"group": "SO(3)", "irreps": [1, 1, 2]}            {"group": "O(3)", "irreps": ["1o", "1e", "2e"]}
    {"group": "U(1)", "weights": [1, 2, -3]}           {"group": "U(1)^2", "weights": [[1, 0], [0, 1], [-1, -1]]}
    {"group": "SU(2)", "spins": ["1/2", "3/2"]}        {"group": "O(n)", "n": 5, "vectors": 2}
    {"group": "SO+(1,3)", "vectors": 4}                {"group": "SU(3)", "reps": ["3", "3*", "8"]}
    {"product": [spec, spec]}    (G × H on V ⊗ W; a finite spec contributes its natural representation)

Short strings: ``GROUP:ITEM,ITEM,…`` with e3nn-style multiplicities ``kxITEM``, e.g.
``SO(3):1,1,2``, ``O(3):2x1o,1e``, ``U(1):1,2,-3``, ``U(1)^2:(1,0),(0,1),(-1,-1)``,
``SU(2):1/2,3/2``, ``O(5):2xv`` (v = the vector), ``SO+(1,3):4xv``, ``SU(3):3,3*,8``; a product
joins specs with `` x `` (``SO(3):1 x symmetric(3)``).
"""
from __future__ import annotations

import re
from typing import Any

from invariants.errors import InputError
from invariants.groups.compact.catalogue import O, O3, SO, SO3, SU, SU2, U, Lorentz, Torus
from invariants.groups.compact.representation import CompactRepresentation

GROUP_NAMES = ("SO(n)", "O(n)", "SO(3)", "O(3)", "U(1)", "U(1)^k", "SU(2)", "U(n)", "SU(n)", "SO+(1,3)")


def is_compact_spec(spec: Any) -> bool:
    if isinstance(spec, dict):
        return "group" in spec or "product" in spec
    return isinstance(spec, str) and (":" in spec or " x " in spec) and not spec.strip().startswith("{")


def compact_from_dict(data: dict) -> CompactRepresentation:
    """A representation from a JSON-like dictionary (see the module docstring).

    Example:
        >>> compact_from_dict({"group": "O(n)", "n": 5, "vectors": 2}).dim
        10
    """
    if "product" in data:
        parts = data["product"]
        if not isinstance(parts, list) or len(parts) < 2:
            raise InputError('"product" needs a list of at least two specs')
        reps = [_part(p) for p in parts]
        out = reps[0]
        for r in reps[1:]:
            out = out.outer(r)
        return out
    name = str(data.get("group", "")).replace(" ", "")
    group = _group(name, data.get("n"))
    items: list = []
    for key in ("irreps", "weights", "spins", "reps"):
        if key in data:
            if not isinstance(data[key], list) or not data[key]:
                raise InputError(f'"{key}" must be a non-empty list')
            items += [str(x) if key != "weights" else x for x in data[key]]
    if "vectors" in data:
        k = data["vectors"]
        if not isinstance(k, int) or k < 1:
            raise InputError('"vectors" must be a positive integer')
        items += ["v"] * k
    if not items:
        raise InputError(f'say which representation of {name}: "irreps", "weights", "spins", "reps" or "vectors"')
    return _build(group, items)


def compact_from_string(text: str) -> CompactRepresentation:
    """A representation from a short string such as ``"O(3):2x1o,1e"`` or ``"SO(3):1 x symmetric(3)"``.

    Example:
        >>> compact_from_string("SO(3):2x1").dim
        6
    """
    if " x " in text:
        reps = [_part(p.strip()) for p in text.split(" x ")]
        out = reps[0]
        for r in reps[1:]:
            out = out.outer(r)
        return out
    head, _, tail = text.partition(":")
    head = head.replace(" ", "")
    items: list = []
    for item in _split(tail):
        match = re.fullmatch(r"(\d+)x(.+)", item)
        count, label = (int(match.group(1)), match.group(2)) if match else (1, item)
        if label.startswith("("):
            label = [int(x) for x in label.strip("()").split(",")]
        elif re.fullmatch(r"-?\d+", label) and head.startswith(("U(1)",)):
            label = int(label)
        items += [label] * count
    if not items:
        raise InputError(f"no representation after '{head}:'; write e.g. 'SO(3):1,1,2' or 'O(5):2xv'")
    return _build(_group(head, None), items)


def _split(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text.replace(" ", ""):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch in ",+" and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _part(spec: Any) -> Any:
    """A factor of a product: a compact spec, or a finite group's natural representation."""
    from invariants.catalogue.spec import load_spec

    rep = load_spec(spec)
    if isinstance(rep, CompactRepresentation):
        return rep
    from invariants.groups.compact.product import finite_factor

    return finite_factor(rep)


def _group(name: str, n: Any):
    m = re.fullmatch(r"U\(1\)(?:\^(\d+))?", name)
    if m:
        return Torus(int(m.group(1) or 1))
    if name in ("SO+(1,3)", "Lorentz"):
        return Lorentz()
    if name == "SU(2)":
        return SU2()
    if name == "SO(3)":
        return SO3()
    if name == "O(3)":
        return O3()
    m = re.fullmatch(r"(SO|O|SU|U)\((\d+|n)\)", name)
    if m:
        size = n if m.group(2) == "n" else int(m.group(2))
        if not isinstance(size, int) or size < 1:
            raise InputError(f'{name} needs "n": a positive integer')
        return {"SO": SO, "O": O, "U": U, "SU": SU}[m.group(1)](size)
    raise InputError(f"unknown compact group {name!r}; known: {', '.join(GROUP_NAMES)}")


def _build(group, items: list) -> CompactRepresentation:
    reps = [_item(group, x) for x in items]
    out = reps[0]
    for r in reps[1:]:
        out = out + r
    return out


def _item(group, label: Any) -> CompactRepresentation:
    text = str(label)
    if isinstance(group, Torus):
        return group.rep([label])
    if isinstance(group, SU2):
        return group.spin(text)
    if text in ("v", "vector"):
        if isinstance(group, (SO, Lorentz)):
            return group.vector()
        if isinstance(group, U):
            return group.fundamental()
    if isinstance(group, O3):
        return group.irrep(text)
    if isinstance(group, SO3):
        if not text.isdigit():
            raise InputError(f"SO(3) irreps are 0, 1, 2, … (or v), got {label!r}")
        return group.irrep(int(text))
    if isinstance(group, U):
        if text == str(group.n):
            return group.fundamental()
        if text == f"{group.n}*":
            return group.antifundamental()
        if text in ("adj", "adjoint", str(group.n * group.n - (1 if group.special else 0))):
            return group.adjoint()
    raise InputError(f"{group.name} has no representation {label!r} in the spec grammar (see the README)")
