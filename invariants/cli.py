"""The `molien` command line: Molien series and invariants of a group from the terminal.

    molien series SPEC [--terms N] [--json] [--summary] [--max-elements N] [--max-samples N]
                       [--max-classes N] [--max-terms N] [--cluster ADDRESS|local:N]
    molien invariants SPEC --degree D [--json | --latex] [--max-monomials N]
    molien ring SPEC [--json] [--generators] [--hironaka] [--relations D] [size guards as for series]
                     [--cluster ADDRESS|local:N]
    molien covariants SPEC_V SPEC_W [--degree D] [--terms N] [--json]
    molien reynolds | nullcone | character | multigraded | equivariant | reductive ...  (`invariants.cli_algebra`)
    molien catalogue
    molien demo
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from typing import Callable, Sequence

import sympy

from invariants.catalogue import CATALOGUE_NAMES, binary_icosahedral, coxeter, weyl
from invariants.catalogue.spec import COMPACT_NAMES, load_spec
from invariants.cli_algebra import register as register_algebra
from invariants.covariants.covariants import covariant_series, equivariants_of_degree
from invariants.errors import InputError, MolienError
from invariants.groups.compact import SO, SU2
from invariants.groups.compact.molien_weyl import DEFAULT_MAX_TERMS
from invariants.groups.finite.perm_classes import DEFAULT_MAX_CLASSES, DEFAULT_MAX_SAMPLES
from invariants.groups.finite.permgroup import DEFAULT_MAX_ELEMENTS
from invariants.groups.finite.permutation_reps import MAX_PERMUTATION_DEGREE, permutation_degree_limit
from invariants.groups.representation import as_representation, molien_series
from invariants.parallel.dask_cluster import cluster
from invariants.polynomials.ideals import PROOF_MAX_BITS, PROOF_MAX_TERMS
from invariants.progress import Heartbeat
from invariants.rings.modular import is_modular
from invariants.rings.primaries import DEFAULT_MAX_HSOP_BEZOUT, MAX_HSOP_CANDIDATES
from invariants.rings.relations import MAX_RELATION_MONOMIALS
from invariants.rings.ring import invariant_ring
from invariants.rings.spaces import DEFAULT_MAX_MONOMIALS, invariant_space


# the command line prints what it computes: past these, the output alone is unreadable (use the Python API)
MAX_TERMS = 100_000
MAX_DEGREE = 1_000
MAX_RELATIONS_DEGREE = 100


def _count(maximum: int, minimum: int = 0) -> Callable[[str], int]:
    """An argparse type: an integer minimum … maximum, with a message naming the bound."""
    def parse(text: str) -> int:
        if not text.strip().isascii() or not text.strip().lstrip("+").isdigit() or len(text.strip()) > 30:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}")
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {value}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{value:,} is above the command line's limit {maximum:,}; "
                                             "the Python API takes larger values where the computation allows")
        return value
    return parse


def _describe(group) -> str:
    """One line naming the group and the space it acts on (the group's own description)."""
    return as_representation(group).describe()


def _series(args: argparse.Namespace) -> int:
    group = _load(args)
    with cluster(args.cluster):
        series = molien_series(group, **_series_limits(args))
    if args.json:
        print(json.dumps(series.to_json(args.terms)))
    else:
        print(_describe(group))
        print(f"H(t) = {series.summary() if args.summary else series}")
        print("coefficients:", ", ".join(map(str, series.coefficients(args.terms))))
    return 0


def _invariants(args: argparse.Namespace) -> int:
    group = load_spec(args.spec)
    space = invariant_space(group, args.degree, max_monomials=args.max_monomials)
    polys = space.polynomials
    if args.json:
        print(json.dumps({"degree": args.degree, "dimension": len(polys), "field": space.ring.field.name,
                          "variables": [str(s) for s in space.ring.symbols],
                          "invariants": [sympy.sstr(p) for p in polys], "method": space.method}))
    elif args.latex:
        for p in polys:
            print(sympy.latex(p))
    else:
        print(f"{_describe(group)}: {len(polys)} invariant(s) of degree {args.degree} ({space.method})")
        for p in polys:
            print(" ", p)
    return 0


def _ring(args: argparse.Namespace) -> int:
    group = _load(args)
    with cluster(args.cluster):
        if is_modular(as_representation(group)):
            return _modular_ring(args, group)
        return _characteristic_zero_ring(args, group)


def _characteristic_zero_ring(args: argparse.Namespace, group) -> int:
    ring = invariant_ring(group, relations_degree=args.relations, max_hsop_bezout=args.max_hsop_bezout,
                          max_hsop_candidates=args.max_hsop_candidates, max_proof_terms=args.max_proof_terms,
                          max_proof_bits=args.max_proof_bits,
                          max_relation_products=args.max_relation_products, max_monomials=args.max_monomials,
                          primary=args.primary, **_series_limits(args))
    parts, skipped = _ring_parts(args, ring)
    beat = Heartbeat()  # a stage that runs long says so on stderr every 15 s
    try:
        for part in ("molien",) + parts:
            with beat.stage(RING_STAGES[part]):
                _compute(ring, part)
        if args.json:
            print(json.dumps(dict(ring.to_json(parts), **({"skipped": skipped} if skipped else {}))))
            return 0
        _print_ring(group, ring, parts, skipped, args.summary)
        return 0
    finally:
        beat.stop()


def _modular_ring(args: argparse.Namespace, group) -> int:
    """p divides |G|: no Molien series; minimal generators with what proves them complete (Kemper's
    criterion, Symonds' bound) or up to which degree, and with --hironaka primaries, secondaries
    and the proven Cohen–Macaulay verdict."""
    if args.relations is not None or args.primary:
        raise InputError("in the modular case (p divides |G|) relations and prescribed primaries are not "
                         "supported: drop --relations and --primary")
    ring = invariant_ring(group, max_degree=args.max_degree, max_monomials=args.max_monomials)
    beat = Heartbeat()
    try:
        with beat.stage(RING_STAGES["generators"]):
            gens, cert = ring.generators, ring.certificate
        if args.hironaka:
            with beat.stage(RING_STAGES["hironaka"]):
                hironaka = ring.hironaka
    finally:
        beat.stop()
    data = {"order": ring.order, "characteristic": ring.characteristic, "modular": True,
            "generator_degrees": ring.generator_degrees, "generators": [sympy.sstr(g) for g in gens],
            "certified": cert.certified, "certificate": str(cert)}
    if args.hironaka:
        data.update(primary_degrees=list(hironaka.primaries.degrees), secondary_degrees=list(hironaka.degrees),
                    cohen_macaulay=hironaka.cohen_macaulay, hironaka=str(hironaka))
    if args.json:
        print(json.dumps(data))
        return 0
    print(_describe(group))
    print(f"modular: the characteristic {ring.characteristic} divides |G| = {ring.order} (no Molien series)")
    print(f"minimal generators (degrees {ring.generator_degrees}):")
    for y, g in zip(sympy.symbols(f"y0:{len(gens)}"), gens):
        print(f"    {y} = {_polynomial(g, args.summary)}")
    if args.hironaka:
        for title, polys in (("primary", ring.primary), ("secondary", ring.secondary)):
            print(f"{title} invariants (degrees {data[title + '_degrees']}):")
            for p in polys:
                print("   ", _polynomial(p, args.summary))
    print(f"certificate: {cert}")
    if args.hironaka:
        print(f"Hironaka: {hironaka}")
    return 0


def _ring_parts(args: argparse.Namespace, ring) -> tuple[tuple[str, ...], dict[str, str]]:
    """The parts to compute (those asked for; by default the generators, and the Hironaka
    decomposition when its estimate is cheap) and why the others are not."""
    asked = [part for part, on in (("generators", args.generators), ("hironaka", args.hironaka),
                                   ("relations", args.relations is not None)) if on]
    if "relations" in asked and "generators" not in asked:
        asked.insert(0, "generators")  # relations are among the generators
    if asked:
        return tuple(asked), {}
    parts, skipped = ["generators"], {}
    estimate = ring.hironaka_estimate
    if estimate.cheap(CHEAP_HIRONAKA):
        parts.append("hironaka")
    else:
        skipped["hironaka"] = f"not computed by default ({estimate}); --hironaka computes it"
    skipped["relations"] = "not computed by default; --relations D computes the minimal relations up to degree D"
    return tuple(parts), skipped


def _compute(ring, part: str) -> None:
    {"molien": lambda: ring.molien, "generators": lambda: ring.generation,
     "hironaka": lambda: ring.secondaries, "relations": lambda: ring.relation_ideal}[part]()


def _polynomial(p: sympy.Expr, summary: bool) -> str:
    """A polynomial in full, or (``--summary``) its degree and number of terms."""
    if not summary or sympy.sympify(p).is_number:
        return str(p)
    poly = sympy.Poly(p)
    return f"<degree {poly.total_degree()}, {len(poly.terms())} terms>"


def _print_ring(group, ring, parts: tuple[str, ...], skipped: dict[str, str], summary: bool = False) -> None:
    print(_describe(group))
    print(f"H(t) = {ring.molien}")
    if "generators" in parts:
        print(f"minimal generators (degrees {ring.generator_degrees}):")
        for y, g in zip(ring.generator_symbols, ring.generators):
            print(f"    {y} = {_polynomial(g, summary)}")
    if "hironaka" in parts:
        print(f"primary invariants (degrees {ring.primary_degrees}):")
        for p in ring.primary:
            print("   ", _polynomial(p, summary))
        print(f"secondary invariants (degrees {ring.secondary_degrees}):")
        for s in ring.secondary:
            print("   ", _polynomial(s, summary))
    if "relations" in parts:
        print(f"relations (degrees {ring.relation_degrees}):")
        for r in ring.relations:
            print("   ", _polynomial(r, summary), "= 0")
    print("certificate:")
    if "generators" in parts:
        print(f"   generators: {ring.generators_certificate}")
    if "hironaka" in parts:
        identity = "equals" if ring.hironaka_certified else "DIFFERS FROM"
        print(f"   primary invariants: an hsop by {ring.primaries.proof}")
        print(f"   secondary invariants: sum t^e / prod(1 - t^d) {identity} the Molien series")
    if "relations" in parts:
        print(f"   {ring.relation_ideal}")
    for part, why in skipped.items():
        print(f"{part}: {why}")


CHEAP_HIRONAKA = 1 << 23  # quotient entries of the hsop proof the default computes (seconds)
# what the heartbeat names while a command other than `ring` runs (every 15 s on stderr)
COMMAND_STAGES = {"series": "the Molien series", "invariants": "the invariants of that degree",
                  "covariants": "the covariants", "reynolds": "the Reynolds image",
                  "nullcone": "the Hilbert ideal and the nullcone", "character": "the series of the character",
                  "multigraded": "the multigraded series", "equivariant": "the equivariant series",
                  "reductive": "the invariants by Derksen's algorithm"}
RING_STAGES = {"molien": "the Molien series",  # what the heartbeat names while each part is computed
               "generators": "the minimal generators",
               "hironaka": "the primary invariants (with their hsop proof) and the secondary invariants",
               "relations": "the relations"}


def _covariants(args: argparse.Namespace) -> int:
    V, W = load_spec(args.spec_v), _output_spec(args.spec_v, args.spec_w)
    group_v, group_w = (getattr(x, "group", x) for x in (V, W))
    if group_v != group_w:
        raise InputError(f"SPEC_V {args.spec_v!r} is a representation of {group_v.name} and SPEC_W {args.spec_w!r} of "
                         f"{group_w.name}: give W as a representation of the same group, e.g. "
                         f"'{args.spec_v.split(':')[0]}:<rep>', or 'same' for W = V")
    series = covariant_series(V, W)
    degrees = [args.degree] if args.degree is not None else [d for d in range(args.max_degree + 1) if series[d]]
    maps = {d: equivariants_of_degree(V, W, d) for d in degrees}
    if args.json:
        print(json.dumps({"series": series.to_json(args.terms),
                          "equivariants": {str(d): [[sympy.sstr(c) for c in f] for f in fs] for d, fs in maps.items()}}))
        return 0
    print(f"H(t) = {series}")
    for d, fs in maps.items():
        print(f"degree {d}: {len(fs)} equivariant map(s)")
        for f in fs:
            print("   ", [sympy.sstr(c) for c in f])
    return 0


def _output_spec(spec_v: str, spec_w: str):
    """W as a spec, or a finite group's natural representation when both name the same group."""

    return load_spec(spec_v if spec_w in ("same", "natural") else spec_w)


CONTINUOUS_EXAMPLES = ("SO(3):1,1,2", "O(3):2x1o+1e", "SO(4):v", "SU(2):4", "U(1):1,-1", "U(1)^2:(1,0),(0,1),(-1,-1)",
                       "SO+(1,3):v", '{"group": "O(n)", "n": 5, "vectors": 2}')


def _catalogue(args: argparse.Namespace) -> int:
    width = max(len(pattern) for pattern, _ in CATALOGUE_NAMES)
    print("Finite groups (SPEC = a name, its natural representation; `GROUP:REP` for another one):")
    for pattern, example in CATALOGUE_NAMES:
        print(f"  {pattern:<{width}}  e.g. {example}")
    compact = [n for n in COMPACT_NAMES if "1,3" not in n]
    print("\nContinuous groups (SPEC = GROUP:REP, the representation after the colon):")
    print(f"  compact:                    {', '.join(compact)}")
    print(f"  reductive, not compact:     {', '.join(n for n in COMPACT_NAMES if '1,3' in n)} (the Lorentz groups)")
    print("  e.g. " + "   ".join(CONTINUOUS_EXAMPLES))
    print("\nA JSON file of generators, or of {\"group\": ..., ...}, is a SPEC too (README, 'SPEC').")
    return 0


def _demo(args: argparse.Namespace) -> int:
    """The main job: the pipeline on built-in groups, from generators to certified answers."""

    print("molien demo: exact invariant theory of finite groups\n")
    t0 = time.perf_counter()
    h3 = coxeter("H3")
    print(f"1. {h3.name}: the icosahedral reflection group on R^3 over {h3.field}, order {h3.order()}")
    print(f"   Molien series H(t) = {molien_series(h3)}")
    print(f"   certificate: {h3.reflection_certificate}")
    for d in (2, 6):
        sp = invariant_space(h3, d)
        print(f"   degree {d}: {len(sp)} invariant(s) [{sp.method}]")
        for p in sp.polynomials:
            text = sympy.sstr(p)
            print("     ", text if len(text) < 160 else text[:157] + "...")
    g = binary_icosahedral()
    series = molien_series(g)
    print(f"\n2. {g.name} in SU(2) over {g.field}, order {g.order()}, {len(g.conjugacy_classes())} classes")
    print(f"   H(t) = {series}   (Klein: invariants of degrees 12, 20, 30)")
    sp = invariant_space(g, 12)
    print(f"   degree 12: {sympy.sstr(sp.polynomials[0])}")

    ring = invariant_ring(g)
    print(f"   invariant ring: generators of degrees {ring.generator_degrees}, "
          f"relation {sympy.sstr(ring.relations[0])} = 0 (degree {ring.relation_degrees[0]})")
    print(f"   hsop proof: {ring.certificate.hsop_proof}")
    e8 = weyl("E8")
    t1 = time.perf_counter()
    print(f"\n3. {e8.name}, order {e8.order()}: H(t) = {molien_series(e8)}  ({time.perf_counter() - t1:.2f} s)")

    rot = invariant_ring(SO(3).vectors(3))
    print(f"\n4. SO(3) on three vectors (Molien–Weyl): H(t) = {rot.molien}")
    print(f"   generators of degrees {rot.generator_degrees} (inner products and the determinant), "
          f"relation in degree {rot.relation_degrees[0]}: det^2 = det(Gram)")
    quintic = invariant_ring(SU2().binary_forms(5))
    print(f"5. SL(2) on binary quintics: H(t) = {quintic.molien}, generators of degrees {quintic.generator_degrees}, "
          f"certified: {quintic.certificate.certified} ({quintic.certificate.hsop_proof.method})")
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")
    return 0


SPEC_HELP = ('a catalogue name such as "weyl(E8)" (molien catalogue), a JSON file {"field": ..., "generators": '
             '[...]}, a compact spec such as "SO(3):1,1,2", or its JSON {"group": "O(3)", "irreps": ["1o"]} (see README)')


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("molien")
    except PackageNotFoundError:   # run from a source tree that was never installed
        return "(not installed)"


def _cluster_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cluster", default=None, metavar="ADDRESS",
                   help="run the independent pieces (conjugacy-class terms, invariants of several degrees) as Dask "
                        "tasks, with the same answers: local:N for N worker processes on this machine, or a "
                        "scheduler address such as tcp://10.0.0.5:8786 (needs pip install molien[cluster])")


def _series_options(p: argparse.ArgumentParser) -> None:
    """The Molien series' size guards (`Group.hilbert_series`), for the commands that compute one."""
    p.add_argument("--max-elements", type=_count(10**12), default=None, metavar="N",
                   help=f"largest group enumerated for conjugacy classes (default {DEFAULT_MAX_ELEMENTS:,}), and "
                        f"largest regular representation in SPEC (default {MAX_PERMUTATION_DEGREE:,})")
    p.add_argument("--max-samples", type=_count(10**9, 1), default=DEFAULT_MAX_SAMPLES, metavar="N",
                   help="random elements drawn to find the conjugacy classes of a group too large to enumerate "
                        f"(default {DEFAULT_MAX_SAMPLES:,})")
    p.add_argument("--max-classes", type=_count(10**6, 1), default=DEFAULT_MAX_CLASSES, metavar="N",
                   help="most conjugacy classes sampled (a centraliser each) for a group too large to enumerate "
                        f"(default {DEFAULT_MAX_CLASSES})")
    p.add_argument("--max-terms", type=_count(10**12, 1), default=None, metavar="N",
                   help=f"largest table of a compact group's Molien-Weyl count (default {DEFAULT_MAX_TERMS:,})")


def _load(args: argparse.Namespace):
    """The spec, its ``regular`` atom allowed up to ``--max-elements`` (`permutation_degree_limit`)."""
    with permutation_degree_limit(args.max_elements):
        return load_spec(args.spec)


def _series_limits(args: argparse.Namespace) -> dict:
    return {"max_elements": args.max_elements, "max_samples": args.max_samples, "max_classes": args.max_classes,
            "max_terms": args.max_terms}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="molien", description="Exact invariant theory for learning with symmetry.")
    parser.add_argument("--version", action="version", version=f"molien {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("series", help="Molien series of a group")
    p.add_argument("spec", help=SPEC_HELP)
    p.add_argument("--terms", type=_count(MAX_TERMS, 1), default=20, help="number of coefficients to print (default 20)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--summary", action="store_true",
                   help="a long numerator as its degree, its number of terms and its first coefficients")
    _series_options(p)
    _cluster_option(p)
    p.set_defaults(func=_series)
    p = sub.add_parser("invariants", help="a basis of the invariants of one degree")
    p.add_argument("spec", help=SPEC_HELP)
    p.add_argument("--degree", "-d", type=_count(MAX_DEGREE), required=True, help="the degree D of the invariants")
    p.add_argument("--max-monomials", type=_count(10**9, 1), default=DEFAULT_MAX_MONOMIALS, metavar="N",
                   help=f"largest space of invariants of one degree solved for (default {DEFAULT_MAX_MONOMIALS:,})")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    fmt.add_argument("--latex", action="store_true", help="the invariants as LaTeX")
    p.set_defaults(func=_invariants)
    p = sub.add_parser("ring", help="the invariant ring: minimal generators, Hironaka decomposition, relations, "
                                    "each with its certificate")
    p.add_argument("spec", help=SPEC_HELP)
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.add_argument("--summary", action="store_true",
                   help="degrees and sizes of the polynomials instead of the polynomials (large rings)")
    p.add_argument("--generators", action="store_true", help="minimal generators (computed by default)")
    p.add_argument("--hironaka", action="store_true",
                   help="primary and secondary invariants (by default only when estimated cheap)")
    p.add_argument("--relations", "--relations-degree", type=_count(MAX_RELATIONS_DEGREE), default=None,
                   metavar="D", help="minimal relations among the generators up to degree D (not by default)")
    p.add_argument("--max-hsop-bezout", type=_count(10**9, 1), default=DEFAULT_MAX_HSOP_BEZOUT, metavar="N",
                   help=f"largest Bezout number of an hsop proven by a Groebner basis (default {DEFAULT_MAX_HSOP_BEZOUT})")
    p.add_argument("--max-hsop-candidates", type=_count(10**6, 1), default=MAX_HSOP_CANDIDATES, metavar="N",
                   help=f"candidate systems of parameters tried before giving up (default {MAX_HSOP_CANDIDATES})")
    p.add_argument("--max-proof-terms", type=_count(10**8, 1), default=PROOF_MAX_TERMS, metavar="N",
                   help=f"terms of a Groebner basis element at which an hsop proof gives up (default {PROOF_MAX_TERMS:,})")
    p.add_argument("--max-proof-bits", type=_count(10**8, 1), default=PROOF_MAX_BITS, metavar="N",
                   help=f"coefficient bits at which an hsop proof gives up (default {PROOF_MAX_BITS:,})")
    p.add_argument("--max-monomials", type=_count(10**9, 1), default=DEFAULT_MAX_MONOMIALS, metavar="N",
                   help=f"largest space of invariants of one degree solved for (default {DEFAULT_MAX_MONOMIALS:,})")
    p.add_argument("--max-relation-products", type=_count(10**7, 1), default=MAX_RELATION_MONOMIALS, metavar="N",
                   help=f"most products of generators in one degree of --relations (default {MAX_RELATION_MONOMIALS})")
    _series_options(p)
    p.add_argument("--primary", action="append", default=None, metavar="P",
                   help="a primary invariant to use (repeat, one per Krull dimension); checked to be an hsop")
    p.add_argument("--max-degree", type=_count(MAX_DEGREE, 1), default=None, metavar="D",
                   help="modular groups over GF(p), p dividing |G|: search generators only up to degree D "
                        "(default Symonds' bound)")
    _cluster_option(p)
    p.set_defaults(func=_ring)
    p = sub.add_parser("covariants", help="equivariant polynomial maps V -> W: series and bases by degree")
    p.add_argument("spec_v", help="the group acting on V (as for `series`)")
    p.add_argument("spec_w", help="W: a spec of the same group, or 'same' for W = V")
    p.add_argument("--degree", "-d", type=_count(MAX_DEGREE), default=None, help="only this degree")
    p.add_argument("--max-degree", type=_count(MAX_DEGREE), default=2, help="list degrees up to this (default 2)")
    p.add_argument("--terms", type=_count(MAX_TERMS, 1), default=12, help="series coefficients in --json (default 12)")
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.set_defaults(func=_covariants)
    register_algebra(sub, SPEC_HELP, _count)
    p = sub.add_parser("catalogue", help="list the built-in groups")
    p.set_defaults(func=_catalogue)
    p = sub.add_parser("demo", help="run the pipeline on built-in groups")
    p.set_defaults(func=_demo)
    return parser


# the engine's knobs as its messages name them: ``max_monomials=20000`` (with the CLI spelling in
# parentheses that Python users see), ``reynolds(..., method='projection')``
# (not the keywords of a call such as ``Limits(max_basis=…, …)``, which only Python has)
ENGINE_KNOB = re.compile(r"(?<!\()(?<!, )\b(max_[a-z_]+|groebner_limit)=(\d(?:[\d_,]*\d)?)(?: \(CLI: --[a-z-]+ [\d_,]+\))?")
ENGINE_METHOD = re.compile(r"\b[a-z_]+\(\.\.\., method='([a-z_]+)'\)")
SPEC_FILE_KNOBS = {"max_orbit"}  # read from a JSON spec file of generators (`load_spec`)


def cli_advice(message: str, command: argparse.ArgumentParser) -> str:
    """The engine's advice in the words of this command: ``pass max_monomials=N`` becomes
    ``--max-monomials N`` where the command has that flag, a knob of a JSON spec file is said to be
    one, and a knob only Python has is said to be Python's (tests/test_error_advice.py follows each)."""
    flags = {option for action in command._actions for option in action.option_strings}

    def knob(match: re.Match) -> str:
        name, value = match.group(1), match.group(2).replace(",", "").replace("_", "")  # as argparse reads it
        flag = "--" + name.replace("_", "-")
        if flag in flags:
            return f"{flag} {value}"
        if name in SPEC_FILE_KNOBS:
            return f'"{name}": {value} (a key of the JSON spec file of generators)'
        return f"{name}={value} (a Python argument: `{command.prog}` has no {flag})"

    def method(match: re.Match) -> str:
        return f"--method {match.group(1)}" if "--method" in flags else match.group(0)

    message = ENGINE_METHOD.sub(method, ENGINE_KNOB.sub(knob, message))
    return message.replace("R.generators", "molien ring SPEC --generators")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    stage = COMMAND_STAGES.get(args.command)
    beat = Heartbeat() if stage else None   # `ring` keeps its own, one stage per part
    try:
        if beat is None:
            return args.func(args)
        with beat.stage(stage):
            return args.func(args)
    except MolienError as exc:
        command = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[args.command]
        print(f"molien: error: {cli_advice(str(exc), command)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `molien ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports it
    finally:
        if beat is not None:
            beat.stop()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
