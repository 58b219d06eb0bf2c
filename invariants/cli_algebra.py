"""The `molien` subcommands for what the peer computer algebra systems also do (issue #22):

    molien reynolds SPEC POLY [--method M] [--max-monomials N] [--json]
    molien nullcone SPEC [--groebner-limit N] [--json]
    molien character TABLE.json [--terms N] [--json]
    molien multigraded SPEC [SPEC ...] [--bound B] [--max-elements N] [--json]
    molien equivariant SPEC [--json]
    molien reductive ACTION.json [--max-degree D] [--max-variables N] [--max-weight W] [--max-monomials N] [--json]

`invariants.cli` registers them (`register`); each prints what the Python function of the same
name returns.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Callable

import sympy

from invariants.catalogue.spec import load_spec
from invariants.errors import InputError
from invariants.groups.finite.permgroup import DEFAULT_MAX_ELEMENTS
from invariants.groups.finite.permutation_reps import MAX_PERMUTATION_DEGREE, permutation_degree_limit
from invariants.groups.reductive.degree import MAX_MONOMIALS as REDUCTIVE_MAX_MONOMIALS
from invariants.groups.reductive.hilbert import MAX_VARIABLES, MAX_WEIGHT
from invariants.rings.nullcone import DEFAULT_GROEBNER_LIMIT, nullcone
from invariants.rings.reynolds import METHODS, reynolds
from invariants.rings.spaces import DEFAULT_MAX_MONOMIALS


def _read_json(path: str, what: str) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise InputError(f"cannot read the {what} file {path!r}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"the {what} file {path!r} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"the {what} file {path!r} must hold a JSON object (see `molien {what} --help`)")
    return data


def _reynolds(args: argparse.Namespace) -> int:
    image = reynolds(load_spec(args.spec), args.polynomial, method=args.method, max_monomials=args.max_monomials)
    print(json.dumps({"reynolds": sympy.sstr(image)}) if args.json else image)
    return 0


def _nullcone(args: argparse.Namespace) -> int:
    cone = nullcone(load_spec(args.spec), groebner_limit=args.groebner_limit)
    ideal = cone.ideal
    return _emit(args, {"hilbert_ideal": [sympy.sstr(g) for g in ideal.generators], "degrees": ideal.degrees,
                        "complete": ideal.complete, "nullcone_dimension": cone.dimension, "reason": cone.reason},
                 f"Hilbert ideal: {len(ideal.polys)} generator(s) of degrees {ideal.degrees}", ideal.generators,
                 f"nullcone: dimension {cone.dimension} ({cone.reason})")


def _emit(args: argparse.Namespace, data: dict, title: str, items: list, footer: str) -> int:
    """``data`` as JSON with --json; else the title, the items indented, the footer."""
    if args.json:
        print(json.dumps(data))
        return 0
    print(title)
    for item in items:
        print("   ", item)
    print(footer)
    return 0


def _character(args: argparse.Namespace) -> int:
    from invariants.series.characters import CharacterTable, molien_series_from_character

    data = _read_json(args.table, "character")
    missing = [k for k in ("class_sizes", "orders", "power_maps", "character") if k not in data]
    if missing:
        raise InputError(f"the character file lacks {', '.join(missing)}; it needs class_sizes, orders, "
                         "power_maps ({\"2\": [...], ...}, 0-based classes) and character (optionally psi)")
    table = CharacterTable(data["class_sizes"], data["orders"], data["power_maps"], data.get("names"))
    series = molien_series_from_character(table, data["character"], data.get("psi"))
    if args.json:
        print(json.dumps(series.to_json(args.terms)))
    else:
        print(f"H(t) = {series}")
        print("coefficients:", ", ".join(map(str, series.coefficients(args.terms))))
    return 0


def _multigraded(args: argparse.Namespace) -> int:
    from invariants.series.multigraded import multigraded_molien_series

    with permutation_degree_limit(args.max_elements):
        summands = [load_spec(s) for s in args.specs]
    series = multigraded_molien_series(*summands, **({} if args.max_elements is None else
                                                     {"max_elements": args.max_elements}))
    coefficients = {",".join(map(str, d)): c for d, c in series.coefficients(args.bound).items() if c}
    if args.json:
        print(json.dumps({"series": sympy.sstr(series.to_sympy()), "coefficients": coefficients}))
        return 0
    print(f"H({', '.join(map(str, series.symbols()))}): a rational function whose diagonal t_b = t is "
          f"{series.diagonal()} (--json prints it)")
    print(f"nonzero dimensions for multidegrees below {args.bound}:")
    for d, c in coefficients.items():
        print(f"    ({d}): {c}")
    return 0


def _equivariant(args: argparse.Namespace) -> int:
    from invariants.series.equivariant import EquivariantHilbertSeries

    series = EquivariantHilbertSeries.from_representation(load_spec(args.spec))
    weights = [list(w) for w in series.variable_weights()]
    if args.json:
        print(json.dumps({"series": sympy.sstr(series.to_sympy()), "variable_weights": weights,
                          "orders": list(series.orders)}))
        return 0
    print(f"equivariant Hilbert series = {series.to_sympy()}")
    print(f"characters of the variables (torus weights, then exponents mod {list(series.orders)}): {weights}")
    return 0


def _reductive(args: argparse.Namespace) -> int:
    from invariants.groups.reductive import LinearlyReductiveAction, reductive_invariant_ring

    data = _read_json(args.action, "reductive")
    missing = [k for k in ("ideal", "matrix", "group_variables") if k not in data]
    if missing:
        raise InputError(f"the action file lacks {', '.join(missing)}; it needs ideal (polynomials in the group "
                         "variables), matrix (rows of polynomials) and group_variables, e.g. "
                         '{"ideal": ["a*d - b*c - 1"], "matrix": [["a", "b"], ["c", "d"]], "group_variables": "a b c d"}')
    action = LinearlyReductiveAction(data["ideal"], data["matrix"], data["group_variables"], data.get("variables"))
    ring = reductive_invariant_ring(action, max_degree=args.max_degree, max_variables=args.max_variables,
                                    max_weight=args.max_weight, max_monomials=args.max_monomials)
    return _emit(args, {"generators": [sympy.sstr(g) for g in ring.generators],
                        "generator_degrees": ring.generator_degrees, "complete": bool(ring.certificate.complete),
                        "certificate": str(ring.certificate)},
                 f"minimal generators (degrees {ring.generator_degrees}):", list(ring.generators),
                 f"certificate: {ring.certificate}")


def _command(sub: Any, name: str, help_text: str, func: Callable, *arguments: tuple[tuple, dict]) -> None:
    p = sub.add_parser(name, help=help_text)
    for names, options in arguments:
        p.add_argument(*names, **options)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=func)


def _max_monomials(count: Callable[..., Callable[[str], int]], default: int) -> tuple[tuple, dict]:
    return (("--max-monomials",), {"type": count(10**9, 1), "default": default, "metavar": "N",
                                   "help": f"largest space of polynomials of one degree solved for (default {default:,})"})


def register(sub: Any, spec_help: str, count: Callable[..., Callable[[str], int]]) -> None:
    """Add the subcommands to the `molien` parser's subparsers."""
    spec = (("spec",), {"help": spec_help})
    _command(sub, "reynolds", "the Reynolds operator: the invariant part of a polynomial", _reynolds, spec,
             (("polynomial",), {"help": "a polynomial in x0, x1, ..., e.g. 'x0**2 + 3*x0*x1'"}),
             (("--method",), {"choices": METHODS, "default": "auto",
                              "help": "orbits (monomial matrices), average (small finite groups), projection (any "
                                      "group); auto picks the cheapest that applies"}),
             _max_monomials(count, DEFAULT_MAX_MONOMIALS))
    _command(sub, "nullcone", "the Hilbert ideal (invariants of positive degree) and the nullcone's dimension",
             _nullcone, spec,
             (("--groebner-limit",), {"type": count(10**6, 1), "default": DEFAULT_GROEBNER_LIMIT, "metavar": "N",
                                      "help": "most elements of the Groebner basis that reads off the nullcone's "
                                              f"dimension (default {DEFAULT_GROEBNER_LIMIT})"}))
    _command(sub, "character", "the Molien series from a character table row (no matrices)", _character,
             (("table",), {"help": 'a JSON file {"class_sizes": [...], "orders": [...], "power_maps": {"2": [...]}, '
                                   '"character": [...], "psi": [...] (optional)}; values may be GAP cyclotomics '
                                   '"E(5)^2"'}),
             (("--terms",), {"type": count(100_000, 1), "default": 20,
                             "help": "number of coefficients to print (default 20)"}))
    _command(sub, "multigraded", "the multigraded Molien series of a finite group on V_1 + ... + V_k", _multigraded,
             (("specs",), {"nargs": "+", "help": "the summands V_b, representations of one finite group (or one sum)"}),
             (("--bound",), {"type": count(50, 1), "default": 3,
                             "help": "list the multidegrees with every entry below this (default 3)"}),
             (("--max-elements",), {"type": count(10**12), "default": None, "metavar": "N",
                                    "help": "largest group enumerated for the sum over its elements (default "
                                            f"{DEFAULT_MAX_ELEMENTS:,}), and largest regular representation in a "
                                            f"SPEC (default {MAX_PERMUTATION_DEGREE:,})"}))
    _command(sub, "equivariant", "the equivariant Hilbert series of a diagonal action (torus x finite abelian)",
             _equivariant, spec)
    _command(sub, "reductive", "invariants of a linearly reductive group given by its ideal and matrix "
                               "(Derksen's algorithm)", _reductive,
             (("action",), {"help": 'a JSON file {"ideal": [...], "matrix": [[...]], "group_variables": "a b c d"}'}),
             (("--max-degree",), {"type": count(1_000, 1), "default": None, "metavar": "D",
                                  "help": "search generators only up to degree D (the certificate then says what "
                                          "is not proven)"}),
             (("--max-variables",), {"type": count(10_000, 1), "default": MAX_VARIABLES, "metavar": "N",
                                     "help": "most variables of Derksen's elimination (group coordinates + twice "
                                             f"the dimension; default {MAX_VARIABLES})"}),
             (("--max-weight",), {"type": count(10**6, 1), "default": MAX_WEIGHT, "metavar": "W",
                                  "help": f"largest elimination weight tried (default {MAX_WEIGHT}; the binary "
                                          "quartic weighs 20, the quintic 30)"}),
             _max_monomials(count, REDUCTIVE_MAX_MONOMIALS))
