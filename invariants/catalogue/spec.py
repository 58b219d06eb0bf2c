"""Specs: groups and representations from text and JSON, for the command line, files and notebooks.

Every group and representation prints as a spec (``G.spec``, ``V.spec``) that `load_spec` reads
back to an equal value.  Strings::

    weyl(E8)                      a catalogue group (its natural representation where one is needed)
    SO(3):1,1,2                   a representation: GROUP:EXPRESSION
    O(3):2x1o+1e                  e3nn-style multiplicities
    SO(3):sym2(1)+ext2(v)*1       symmetric and exterior powers, tensor products, dual(...)
    U(1)^2:(1,0),(0,1),(-1,-1)    torus weights
    symmetric(3):v+det            a finite group's natural (v), trivial (0) and determinant (det)
    SO(3):1 x symmetric(3)        a product G × H acting on V ⊗ W (parts joined by " x ")

The expression grammar (spaces ignored inside one part)::

    sum    := term (("," | "+") term)*
    term   := [INT "x"] tensor
    tensor := factor ("*" factor)*
    factor := "sym" INT "(" sum ")" | "ext" INT "(" sum ")" | "dual(" sum ")" | "(" sum ")" | ATOM

ATOM is the group's own label (see each group's ``atoms``).  JSON (also accepted as a dict)::

    {"field": "QQ", "generators": [[["0", "-1"], ["1", "0"]]], "name": "C4"}
    {"group": "SO(3)", "irreps": [1, 1, 2]}        {"group": "O(3)", "irreps": ["1o", "1e"]}
    {"group": "U(1)", "weights": [1, 2, -3]}       {"group": "U(1)^2", "weights": [[1, 0], [0, 1]]}
    {"group": "SU(2)", "spins": ["1/2", "3/2"]}    {"group": "O(n)", "n": 5, "vectors": 2}
    {"group": "SO+(1,3)", "vectors": 4}            {"group": "SU(3)", "reps": ["3", "3*", "8"]}
    {"group": "symmetric(3)", "rep": "v+det"}      {"group": ..., "images": [...], "field": "QQ"}
    {"product": [spec, spec]}
"""
from __future__ import annotations

import copyreg
import functools
import json
import os
import re
from typing import Any

from invariants.catalogue.names import by_name
from invariants.errors import InputError, MolienError, check_int
from invariants.groups.base import Group
from invariants.groups.compact.catalogue import O, SO, SU, SU2, U, Lorentz, Torus
from invariants.groups.finite.group import MatrixGroup
from invariants.groups.representation import Representation, as_representation, check_dimension, direct_sum
from invariants.parse import printable

COMPACT_NAMES = ("SO(n)", "O(n)", "SO(3)", "O(3)", "U(1)", "U(1)^k", "SU(2)", "U(n)", "SU(n)", "SO+(1,3)", "O(1,3)")
MAX_COPIES = 10_000  # "kx..." multiplicities accepted in a spec


def load_spec(spec: Any) -> Group | Representation:
    """A group or a representation from a spec: a string, a JSON file path, or a JSON-like dict
    (see the module docstring).  A group or representation is returned unchanged.

    Example:
        >>> load_spec({"field": "QQ", "generators": [[["0", "-1"], ["1", "0"]]]}).order()
        4
        >>> load_spec("O(3):2x1o+1e").dim
        9
    """
    if isinstance(spec, (Group, Representation)):
        return spec
    if isinstance(spec, dict):
        return _from_dict(spec, "spec")
    if not isinstance(spec, str):
        raise InputError(f"a spec is a string, a dict or a JSON file path, got {type(spec).__name__}")
    text = spec.strip()
    if text.endswith(".json") or (len(text) < 4096 and os.path.isfile(text)):
        return _from_file(text)
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InputError(f"the spec looks like JSON but does not parse: {exc}") from None
        return _from_dict(data, "spec")
    parts = [p.strip() for p in re.split(r"\s+(?:x|×)\s+", text)]
    if len(parts) > 1:
        return _product([_part(p) for p in parts])
    return _from_string(text)


def _from_file(path: str) -> Group | Representation:
    if not os.path.isfile(path):
        raise InputError(f"no such file {path!r}: give a catalogue name or the path of a JSON spec")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(f"{path} is not valid UTF-8 JSON: {exc}") from None
    except ValueError as exc:  # an integer literal past Python's 4300-digit conversion limit
        raise InputError(f"{path}: {exc}; write large numbers as strings (they are read with a digit limit)") from None
    return _from_dict(data, os.path.basename(path))


def _from_string(text: str) -> Group | Representation:
    head, sep, tail = _split_group(text)
    group = _group(head)
    if not sep:
        return group
    return parse_representation(group, tail, head=head)


def _split_group(text: str) -> tuple[str, str, str]:
    """Split "GROUP:EXPRESSION" at the first ':' outside parentheses."""
    depth = 0
    for i, ch in enumerate(text):
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        if ch == ":" and depth == 0:
            return text[:i].strip(), ":", text[i + 1:].strip()
    return text.strip(), "", ""


def _group(name: Any) -> Group:
    """A group from its spec: a compact group's name or a finite catalogue group."""
    if isinstance(name, Group):
        return name
    if isinstance(name, dict):
        got = _from_dict(name, "spec")
        return got if isinstance(got, Group) else got.group
    text = str(name).replace(" ", "")
    compact = _compact_group(text, None)
    if compact is not None:
        return compact
    try:
        return by_name(str(name).strip())
    except MolienError:
        raise
    except (TypeError, ValueError, SyntaxError, OverflowError) as exc:
        raise InputError(f"cannot build {name!r} from the catalogue: {exc}; see `molien catalogue`") from None


def _compact_group(name: str, n: Any) -> Group | None:
    m = re.fullmatch(r"U\(1\)(?:\^([0-9]{1,3}))?", name)
    if m:
        return Torus(int(m.group(1) or 1))
    if name in ("SO+(1,3)", "Lorentz"):
        return Lorentz()
    if name == "O(1,3)":
        return Lorentz(full=True)
    if name == "SU(2)":
        return SU2()
    m = re.fullmatch(r"(SO|O|SU|U)\(([0-9]{1,12}|n)\)", name)
    if m:
        size = n if m.group(2) == "n" else int(m.group(2))
        check_int(size, f'{name}: "n"', 1)
        check_dimension(size, f"{m.group(1)}({size}):v")
        return {"SO": SO, "O": O, "U": U, "SU": SU}[m.group(1)](size)
    return None


def parse_representation(group: Group, text: str, *, head: str | None = None) -> Representation:
    """The representation of ``group`` written ``text`` in the expression grammar.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> parse_representation(SO3(), "2x1 + sym2(1)").dim
        12
    """
    parser = _Expression(group, text.replace(" ", ""), head)
    digit = next((ch for ch in parser.text if not ch.isascii() and ch.isnumeric()), None)
    if digit is not None:  # the same refusal as in group names and numbers (`by_name`, `invariants.parse`)
        raise parser.fail(f"the non-ASCII digit {digit!r} (U+{ord(digit):04X}): write numbers with the digits 0-9")
    return parser.parse()


GROUP_FORMS = {"permutation", "rotation", "companion", "diagonal", "standard", "root", "orthogonal"}  # `molien catalogue`


class _Expression:
    def __init__(self, group: Group, text: str, head: str | None = None):
        self.group, self.text, self.pos, self.head = group, text, 0, head
        self.atom = re.compile(group.atoms.pattern)

    def fail(self, why: str) -> InputError:
        return InputError(f"cannot read the representation {self.text!r} of {self.group.name}: {why}; "
                          f"atoms are {self.group.atoms.examples}, combined with + (or ,), kx, *, sym<d>(...), "
                          "ext<d>(...), dual(...)")

    def parse(self) -> Representation:
        if not self.text:
            raise self.fail("it is empty")
        rep = self.sum(0)
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos:self.pos + 10]!r}")
        return rep

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise self.fail(f"expected {ch!r} at position {self.pos}" + (" (missing a parenthesis?)" if ch == ")" else ""))
        self.pos += 1

    def sum(self, depth: int) -> Representation:
        if depth > 50:
            raise self.fail("nesting deeper than 50")
        terms = [self.term(depth)]
        dim = terms[0].dim
        while self.peek() in (",", "+"):
            self.pos += 1
            if self.peek() in (",", "+", ")", ""):
                raise self.fail(f"an empty item at position {self.pos}")
            terms.append(self.term(depth))
            dim += terms[-1].dim   # checked as the terms are read: each sum rebuilds dim² matrices
            check_dimension(dim, f"a sum of {len(terms)} terms", len(terms[0].images) + len(terms[0].lie_algebra))
        return direct_sum(terms)

    def term(self, depth: int) -> Representation:
        m = re.compile(r"([0-9]+)x").match(self.text, self.pos)
        copies = 1
        if m and not self.atom.fullmatch(self.text[self.pos:m.end() - 1] + "x"):
            copies = int(m.group(1))
            if not 1 <= copies <= MAX_COPIES:
                raise self.fail(f"a multiplicity {copies} outside 1 … {MAX_COPIES}")
            self.pos = m.end()
        rep = self.tensor(depth)
        return copies * rep if copies > 1 else rep

    def tensor(self, depth: int) -> Representation:
        rep = self.factor(depth)
        while self.peek() == "*":
            self.pos += 1
            rep = rep * self.factor(depth)
        return rep

    def factor(self, depth: int) -> Representation:
        m = re.compile(r"(sym|ext)([0-9]{1,3})\(|dual\(").match(self.text, self.pos)
        if m:
            self.pos = m.end()
            inner = self.sum(depth + 1)
            self.expect(")")
            if m.group(0) == "dual(":
                return inner.dual()
            d = int(m.group(2))
            return inner.sym(d) if m.group(1) == "sym" else inner.ext(d)
        m = self.atom.match(self.text, self.pos)
        if m and m.end() > self.pos:
            self.pos = m.end()
            return self.group.atom(m.group(0))
        if self.peek() == "(":
            self.pos += 1
            inner = self.sum(depth + 1)
            self.expect(")")
            return inner
        word = re.match(r"[A-Za-z_]\w*", self.text[self.pos:])
        if word and word.group(0).lower() in GROUP_FORMS and (self.head or "").endswith(")"):
            example = f"{self.head[:-1]}, {word.group(0)})"
            raise InputError(f"{word.group(0)!r} is a form of the group (the matrices it is written with), not a "
                             f"representation: put it inside the group's parentheses, e.g. {example}")
        raise self.fail(f"no representation at {self.text[self.pos:self.pos + 10]!r}")


def _part(spec: Any) -> Representation:
    """A factor of a product: a representation, or a finite group's natural representation."""
    return as_representation(load_spec(spec))


def _product(reps: list[Representation]) -> Representation:
    out = reps[0]
    for r in reps[1:]:
        out = out.outer(r)
    return out


def _from_dict(data: Any, default_name: str) -> Group | Representation:
    if not isinstance(data, dict):
        raise InputError(f"a JSON spec is an object, got {type(data).__name__}")
    if "product" in data:
        parts = data["product"]
        if not isinstance(parts, list) or len(parts) < 2:
            raise InputError('"product" needs a list of at least two specs')
        return _product([_part(p) for p in parts])
    if "generators" in data:
        return _matrix_group(data, default_name)
    if "group" not in data:
        raise InputError('a JSON spec needs "generators" (a finite group), "group" (a representation) or "product"')
    head = data["group"]
    if isinstance(head, str):
        group = _compact_group(head.replace(" ", ""), data.get("n")) or _group(head)
    else:
        group = _group(head)
    if "images" in data:
        return Representation(group, _matrices(data["images"], "images"), field=data.get("field"))
    items: list[str] = []
    if "rep" in data:
        if not isinstance(data["rep"], str):
            raise InputError('"rep" is an expression string, e.g. "v+det"')
        items.append(data["rep"])
    for key in ("irreps", "weights", "spins", "reps"):
        if key in data:
            if not isinstance(data[key], list) or not data[key]:
                raise InputError(f'"{key}" must be a non-empty list')
            for x in data[key]:
                if isinstance(x, (float, bool)) or x is None:
                    raise InputError(f'"{key}" holds exact labels (integers or strings), got {x!r}')
                items.append("(" + ",".join(map(str, x)) + ")" if isinstance(x, list) else str(x))
    if "vectors" in data:
        k = data["vectors"]
        check_int(k, '"vectors"', 1, maximum=MAX_COPIES)
        items.append(f"{k}xv" if k > 1 else "v")
    if not items:
        return group
    return parse_representation(group, "+".join(items))


def _matrices(value: Any, key: str) -> list:
    if not isinstance(value, list) or not value:
        raise InputError(f'"{key}" must be a non-empty list of matrices (lists of rows of strings)')
    for g in value:
        if not isinstance(g, list) or not g or not all(isinstance(r, list) for r in g):
            raise InputError(f"each matrix in {key!r} must be a non-empty list of rows, each row a list of entries")
        for row in g:
            for x in row:
                if isinstance(x, float):
                    raise InputError(f"the entry {x!r} is a JSON float; write exact values as strings, "
                                     'e.g. "1/2" or "sqrt(5)/4"')
    return value


def _matrix_group(data: dict, default_name: str) -> MatrixGroup:
    gens = _matrices(data["generators"], "generators")
    name = data.get("name", default_name)
    options = {}
    if "max_orbit" in data:  # the orbit guard's knob, for a group known to be finite and large
        bound = data["max_orbit"]
        options["max_orbit"] = check_int(bound, '"max_orbit"', 1)
    return MatrixGroup(gens, data.get("field", "QQ"), name=printable(str(name))[:200], **options)


# -- representations pickle as their specs ---------------------------------------------------------
# A representation's group, matrices and memos hold flint values, which do not pickle; its spec
# is a short text that `load_spec` reads back to an equal representation.  Registered here, with
# the reader, so that pickle, copy.deepcopy, torch.save of a model that keeps one and a cluster's
# tasks all send the spec.
@functools.lru_cache(maxsize=16)  # a cluster's worker receives the same representation with every task
def representation_from_spec(text: str) -> Representation:
    """The representation a pickled one stands for: ``load_spec(text)``, once per process.

    Example:
        >>> import pickle
        >>> V = load_spec("symmetric(3):v")
        >>> pickle.loads(pickle.dumps(V)) == V
        True
    """
    return as_representation(load_spec(text))


def _pickled_representation(rep: Representation) -> tuple:
    spec = rep.spec  # an InputError saying why, for a representation the spec grammar cannot write
    return (representation_from_spec, (spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True),))


copyreg.pickle(Representation, _pickled_representation)
