"""Modular invariant rings over GF(q), q = p^k with k > 1 (#22 item 2): primary invariants (a
quotient proof over GF(q), or Dade's construction over GF(q) or an extension of it), secondary
invariants, the Cohen–Macaulay verdict and minimal generators — against theorems (Dickson; Mui;
Ellingsrud–Skjelbred for Z/p; base change from GF(p)), Singular's ``invariant_ring`` over
(p, a) with the same minimal polynomial, and Macaulay2's ``invariants(G, d)`` over GF(q) (its
primary and secondary invariants refuse the modular case).

Every primary and secondary invariant produced is checked exactly invariant.
"""
from __future__ import annotations

import re
import sys
from math import prod
from pathlib import Path

import pytest
import sympy

from invariants import MatrixGroup, invariant_ring, invariants_of_degree, is_invariant
from invariants.errors import ModularError, MolienError
from invariants.rings import linear_forms
from invariants.rings.linear_forms import FormField, dade_forms
from invariants.rings.modular_hironaka import (ModularPrimaries, dade_primaries, extension_quotient_vanishes,
                                               modular_secondaries)
from invariants.rings.spaces import invariant_space
from invariants.series.hilbert import HilbertSeries

sys.path.insert(0, str(Path(__file__).parent))
from m2_oracle import m2_available, run_m2  # noqa: E402
from singular_oracle import _run, singular_available  # noqa: E402

needs_singular = pytest.mark.skipif(not singular_available(), reason="Singular is not installed")
needs_m2 = pytest.mark.skipif(not m2_available(), reason="Macaulay2 is not installed")


# -- groups ----------------------------------------------------------------------------------------
def _block_diagonal(*blocks) -> list[list]:
    n = sum(len(b) for b in blocks)
    out = [[0] * n for _ in range(n)]
    start = 0
    for b in blocks:
        for i, row in enumerate(b):
            out[start + i][start:start + len(row)] = row
        start += len(b)
    return out


def _copies(gens: list, r: int) -> list:
    """The diagonal action on r copies of V."""
    return [_block_diagonal(*([g] * r)) for g in gens]


def _shears(values: list) -> list:
    """[[1, 0], [c, 1]] for the given c: they generate {[[1, 0], [c, 1]] : c in their additive span}."""
    return [[[1, 0], [c, 1]] for c in values]


SWAP = [[0, 1], [1, 0]]
GROUPS = {  # name: (field, generators)
    "Z/2 on 2V_2, GF(4)": ("GF(4)", _copies([SWAP], 2)),
    "Z/2 on 3V_2, GF(4)": ("GF(4)", _copies([SWAP], 3)),
    "U_2(F_4) on 2 copies": ("GF(4)", _copies(_shears([1, "a"]), 2)),
    "Z/4 on a Jordan block, GF(4)": ("GF(4)", [[[1, 0, 0], [1, 1, 0], [0, "a", 1]]]),
    "GL_2(F_2) on 2 copies, GF(4)": ("GF(4)", _copies([[[1, 1], [0, 1]], SWAP], 2)),
    "Klein four on 2 copies, GF(8)": ("GF(8)", _copies(_shears([1, "a"]), 2)),
    "Z/3 on J_2 + J_2, GF(9)": ("GF(9)", [_block_diagonal(*_shears([1, "a"]))]),
    "Z/3 on 3 J_2, GF(9)": ("GF(9)", [_block_diagonal(*_shears([1, "a", "a+1"]))]),
}


def _group(name: str) -> MatrixGroup:
    field, gens = GROUPS[name]
    return MatrixGroup(gens, field=field, name=name)


def _free_series(primary, secondary, terms: int) -> list[int]:
    """Coefficients of Σ t^deg(s_j) / ∏ (1 − t^deg(p_i))."""
    numerator = [0] * (max(secondary) + 1)
    for d in secondary:
        numerator[d] += 1
    return HilbertSeries.from_degrees(list(primary), numerator).coefficients(terms)


def _check(R, G):
    """Every primary and secondary is exactly invariant; the rank is ∏ d_i / |G|; the secondaries
    generate (their free module is at least as large as R in every degree) and, exactly when R is
    Cohen–Macaulay, equal R's dimensions."""
    h = R.hironaka
    assert all(is_invariant(R.ring, f, G) for f in h.primaries.polys + h.polys)
    assert prod(R.primary_degrees) == h.rank * G.order()
    terms = sum(d - 1 for d in R.primary_degrees) + 2
    dims = [R.dimension(d) for d in range(terms)]
    free = _free_series(R.primary_degrees, R.secondary_degrees, terms)
    assert all(a >= b for a, b in zip(free, dims))
    assert (free == dims) == (len(R.secondary_degrees) == h.rank) == R.cohen_macaulay
    return dims


# -- known answers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [4, 8, 9])
def test_mui_invariants_of_u2(q):
    """U_2(F_q) = {[[1, c], [0, 1]]} fixes x1 and has the orbit product of x0 (degree q): Mui's
    invariants, a polynomial ring with primaries of degrees 1 and q and the one secondary 1."""
    gens = [[[1, c], [0, 1]] for c in [1, "a", "a^2"][:{4: 2, 8: 3, 9: 2}[q]]]
    G = MatrixGroup(gens, field=f"GF({q})")
    R = invariant_ring(G)
    assert G.order() == q and R.generator_degrees == [1, q] and R.certificate.polynomial_ring
    assert (R.primary_degrees, R.secondary_degrees, R.cohen_macaulay) == ([1, q], [0], True)
    _check(R, G)


def test_dickson_invariants_of_gl2_f4_as_primaries():
    """GL_2(F_4): Dickson invariants of degrees q² − q = 12 and q² − 1 = 15, the primaries."""
    G = MatrixGroup([[["a", 0], [0, 1]], [[1, 1], [0, 1]], SWAP], field="GF(4)")
    R = invariant_ring(G)
    assert G.order() == 180 and (R.primary_degrees, R.secondary_degrees) == ([12, 15], [0])
    assert all(is_invariant(R.ring, f, G) for f in R.hironaka.primaries.polys)


@pytest.mark.parametrize("name, cohen_macaulay", [
    ("Z/2 on 2V_2, GF(4)", True), ("Z/2 on 3V_2, GF(4)", False),
    ("Z/3 on J_2 + J_2, GF(9)", True), ("Z/3 on 3 J_2, GF(9)", False),
])
def test_ellingsrud_skjelbred_over_extension_fields(name, cohen_macaulay):
    """Z/p on Jordan blocks of size <= 2: Cohen–Macaulay iff dim V^G >= dim V − 2
    (Ellingsrud–Skjelbred), whatever the field; the refusal is replaced by the proven verdict."""
    G = _group(name)
    R = invariant_ring(G)
    _check(R, G)
    assert R.cohen_macaulay is cohen_macaulay
    if not cohen_macaulay:
        assert "NOT Cohen–Macaulay" in R.cohen_macaulay_reason and len(R.secondary_degrees) > R.hironaka.rank


@pytest.mark.parametrize("name", ["Z/2 on 2V_2, GF(4)", "Z/2 on 3V_2, GF(4)", "GL_2(F_2) on 2 copies, GF(4)"])
def test_base_change_from_the_prime_field(name):
    """The same matrices over GF(2) and GF(4): K[V]^G ⊗ GF(4) = GF(4)[V]^G, so the Hilbert series,
    the verdict and the minimal generator degrees (through degree 6) agree, computed independently
    over each field."""
    field, gens = GROUPS[name]
    over_q, over_p = invariant_ring(MatrixGroup(gens, field=field)), invariant_ring(MatrixGroup(gens, field="GF(2)"))
    terms = 12
    assert [over_q.dimension(d) for d in range(terms)] == [over_p.dimension(d) for d in range(terms)]
    assert over_q.cohen_macaulay == over_p.cohen_macaulay
    degrees = [[sympy.Poly(g, *R.ring.symbols).total_degree() for g in R.generators_up_to(6)] for R in (over_q, over_p)]
    assert degrees[0] == degrees[1]
    if sorted(over_q.primary_degrees) == sorted(over_p.primary_degrees):
        assert over_q.secondary_degrees == over_p.secondary_degrees


# -- primaries over GF(q): the quotient check and Dade ------------------------------------------------
def test_quotient_check_over_gf4_decides_both_ways():
    """K[x]/(p) over GF(4), after removing the linear forms: finite exactly for an hsop."""
    from invariants.fields import parse_field
    from invariants.polynomials.ring import PolynomialRing

    R = PolynomialRing(parse_field("GF(4)"), 3)
    x, y, z = R.gens
    w = R.element(R.field.parse("a"))
    assert extension_quotient_vanishes(R, [x + w * y, y ** 2 + z ** 2, z ** 3]) is True
    assert extension_quotient_vanishes(R, [x + w * y, w * x + (w + 1) * y, z ** 3]) is False  # w² = w + 1: dependent
    assert extension_quotient_vanishes(R, [x, y * z, y ** 2 + w * z ** 2]) is True
    assert extension_quotient_vanishes(R, [x, y * z, z ** 2 + w * y * z]) is False  # z = 0 leaves the line x = z = 0


@pytest.mark.parametrize("gens, field, base_only, degrees", [
    ([[[1, 1], [0, 1]], [[1, "a"], [0, 1]]], "GF(4)", True, (1, 4)),       # U_2(F_4): GF(4) suffices
    ([[[1, 1], [0, 1]], SWAP], "GF(2)", False, (3, 6)),                     # GL_2(F_2): needs GF(4)
    ([[["a", 0], [0, "a^2"]], [[1, 1], [0, 1]], SWAP], "GF(4)", False, (15, 60)),  # SL_2(F_4): needs GF(16)
])
def test_dade_primaries_over_the_field_or_an_extension(gens, field, base_only, degrees):
    """Dade's orbit products are exactly invariant, have their coefficients in the group's field
    (orbits under G and the Frobenius), are an hsop (checked again by the quotient), and give the
    ring's verdict: these rings are polynomial, so Cohen–Macaulay with ∏ d_i / |G| secondaries."""
    G = MatrixGroup(gens, field=field)
    R = invariant_ring(G)
    if not base_only:
        with pytest.raises(ModularError, match="too small for Dade.*field extension") as info:
            dade_forms(G.natural())
        assert isinstance(info.value, MolienError)
    prim = dade_primaries(R.graded)
    assert prim.degrees == degrees and prim.method == "Dade"
    assert ("extension" in prim.proof) is not base_only
    assert all(is_invariant(R.ring, f, G) for f in prim.polys)
    assert extension_quotient_vanishes(R.ring, list(prim.polys)) is True
    h = modular_secondaries(R.graded, prim, G.order())
    assert h.cohen_macaulay and len(h.degrees) == h.rank == prod(degrees) // G.order()
    assert all(is_invariant(R.ring, f, G) for f in h.polys)
    # R = K[f_1, f_2] (the generators): the secondaries are the monomials f^e with deg below the primaries'
    polynomial = R.generator_degrees
    terms = sum(degrees)
    assert _free_series(degrees, h.degrees, terms) == HilbertSeries.from_degrees(polynomial).coefficients(terms)


def test_dade_says_when_no_extension_is_tried(monkeypatch):
    monkeypatch.setattr(linear_forms, "MAX_EXTENSION", 1)
    G = MatrixGroup([[[1, 1], [0, 1]], SWAP], field="GF(2)")
    with pytest.raises(ModularError, match="no primary invariants.*extensions of degree <= 1.*invariants_of_degree"):
        dade_primaries(invariant_ring(G).graded)


def test_form_field_arithmetic_matches_the_field():
    """Zech-logarithm arithmetic on GF(16) ⊇ GF(4) against the field's own, and the Frobenius
    fixing exactly the image of GF(4)."""
    L = FormField(MatrixGroup([[[1, "a"], [0, 1]]], field="GF(4)").field, 2)
    F = L.field
    for x in range(L.size):
        for y in range(L.size):
            assert L.element(L.mul(x, y)) == F.mul(L.element(x), L.element(y))
            assert L.element(L.add(x, y)) == F.add(L.element(x), L.element(y))
    fixed = {x for x in range(L.size) if L.frobenius(x) == x}
    assert len(fixed) == 4 and all(L.embed(L.descend(x)) == x for x in fixed)


# -- Singular and Macaulay2 ---------------------------------------------------------------------------
def _minpoly_text(field) -> str:
    return "+".join(f"{int(c)}*a^{i}" for i, c in enumerate(field.minpoly.coeffs()) if int(c))


def _entries(g) -> list[str]:
    return [str(sympy.expand(x)).replace("**", "^") for x in g.to_sympy()]


def singular_ring_over_gfq(G) -> dict[str, list[sympy.Expr]]:
    """finvar's ``invariant_ring`` over (p, a) with a's minimal polynomial ours (the Conway
    polynomial): the primaries P and the module generators S (``secondary_not_cohen_macaulay``; a
    free basis when there are ∏ deg P / |G| of them, not always minimal otherwise), as sympy
    polynomials in x0 … x{n-1} and a."""
    n = G.degree
    lines = ['LIB "finvar.lib";', f"ring R = ({G.field.characteristic},a), (x(1..{n})), dp;",
             f"minpoly = {_minpoly_text(G.field)};", "short = 0;"]
    names = []
    for i, g in enumerate(G.generators):
        lines.append(f"matrix A{i}[{n}][{n}] = {', '.join(f'({e})' for e in _entries(g))};")
        names.append(f"A{i}")
    lines += [f"matrix P, S = invariant_ring({', '.join(names)});", "int i;"]
    lines += [f'for (i = 1; i <= ncols({m}); i++) {{ print("{m} " + string({m}[1,i])); }}' for m in "PS"]
    out = _run(lines, 300)
    found: dict[str, list[sympy.Expr]] = {"P": [], "S": []}
    for line in out.splitlines():
        if line[:2] in ("P ", "S "):
            text = re.sub(r"x\((\d+)\)", lambda m: f"x{int(m.group(1)) - 1}", line[2:]).replace("^", "**")
            found[line[0]].append(sympy.sympify(text))
    if not found["P"] or not found["S"]:
        raise RuntimeError(f"unexpected Singular output:\n{out[-2000:]}")
    return found


def _degree(ring, f) -> int:
    return sympy.Poly(f, *ring.symbols).total_degree()


def m2_invariant_dimensions(G, top: int) -> list[int]:
    """dim R_d for d = 0 … top from Macaulay2's ``invariants(G, d)`` over GF(q) = GF(ZZ/p[a]/(our
    minimal polynomial))."""
    n, p = G.degree, G.field.characteristic
    mats = ", ".join("matrix{" + ", ".join("{" + ", ".join(f"({e})*1_K" for e in _entries(g)[r * n:(r + 1) * n]) + "}"
                                           for r in range(n)) + "}" for g in G.generators)
    out = run_m2(f"K = GF(ZZ/{p}[a]/ideal({_minpoly_text(G.field)}));\nR = K[x_1..x_{n}];\n"
                 f"G = finiteAction({{{mats}}}, R);\n"
                 f"print(\"DIMS \" | toString apply(toList(0..{top}), d -> #(invariants(G, d))));\n")
    return [int(x) for x in re.findall(r"\d+", re.search(r"^DIMS (.*)$", out, re.M).group(1))]


@needs_singular
@pytest.mark.parametrize("name", list(GROUPS))
def test_hironaka_against_singular_over_gfq(name):
    """finvar over (p, a): its primaries are invariant and an hsop by our check; when its module
    generators number ∏ d_i / |G| they are a free basis and Σ t^sec / ∏ (1 − t^prim) is the
    Hilbert series, which ours must equal whatever primaries were chosen; when ours are not free,
    neither are Singular's; and over Singular's own primaries our minimal generators are at most
    as many as Singular's in every degree (graded Nakayama), with the same verdict."""
    G = _group(name)
    R = invariant_ring(G)
    dims = _check(R, G)
    found = singular_ring_over_gfq(G)
    primaries = [R.ring.from_sympy(f) for f in found["P"]]
    prim, sec = [_degree(R.ring, f) for f in found["P"]], sorted(_degree(R.ring, f) for f in found["S"])
    assert all(is_invariant(R.ring, f, G) for f in primaries)
    assert extension_quotient_vanishes(R.ring, primaries) is True
    if len(sec) * G.order() == prod(prim):
        assert R.cohen_macaulay
        assert _free_series(prim, sec, len(dims)) == dims
    if not R.cohen_macaulay:
        assert len(sec) * G.order() > prod(prim)
    theirs = modular_secondaries(R.graded, ModularPrimaries(tuple(primaries), tuple(prim), "Singular", ""), G.order())
    assert theirs.cohen_macaulay == R.cohen_macaulay
    assert all(theirs.degrees.count(d) <= sec.count(d) for d in set(theirs.degrees))


@needs_m2
@pytest.mark.parametrize("name", ["U_2(F_4) on 2 copies", "GL_2(F_2) on 2 copies, GF(4)", "Klein four on 2 copies, GF(8)",
                                  "Z/3 on J_2 + J_2, GF(9)", "Z/4 on a Jordan block, GF(4)"])
def test_dimensions_against_macaulay2_over_gfq(name):
    """Macaulay2's invariants of each degree over GF(q) against our bases and, in the
    Cohen–Macaulay case, against the Hironaka decomposition's series."""
    G = _group(name)
    R = invariant_ring(G)
    top = 10
    theirs = m2_invariant_dimensions(G, top)
    assert theirs == [R.dimension(d) for d in range(top + 1)] == [len(invariants_of_degree(G, d)) if d else 1
                                                                    for d in range(top + 1)]
    if R.cohen_macaulay:
        assert _free_series(R.primary_degrees, R.secondary_degrees, top + 1) == theirs


@needs_m2
def test_fixed_spaces_of_u2_f8_on_two_copies_against_macaulay2():
    """U_2(F_8) on two copies: no generator links monomials of different bidegrees, so the fixed
    space of each degree is found one bidegree at a time; the dimensions are Macaulay2's
    ``invariants(G, d)`` through degree 10 and every basis polynomial is exactly invariant."""
    G = MatrixGroup(_copies(_shears([1, "a", "a^2"]), 2), field="GF(8)")
    spaces = [invariant_space(G, d, method="fixed_space") for d in range(11)]
    assert [len(space) for space in spaces] == m2_invariant_dimensions(G, 10)
    assert all(is_invariant(space.ring, f, G) for space in spaces for f in space.flint)


def test_cli_prints_the_hironaka_decomposition_over_gf4(tmp_path, capsys):
    import json

    from invariants.cli import main

    spec = tmp_path / "g.json"
    field, gens = GROUPS["Z/2 on 3V_2, GF(4)"]
    spec.write_text(json.dumps({"field": field, "generators": gens}))
    assert main(["ring", str(spec), "--hironaka", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    over_p = invariant_ring(MatrixGroup(gens, field="GF(2)"))  # the same ring tensored down: same answer
    assert data["cohen_macaulay"] is False and "NOT Cohen–Macaulay" in data["hironaka"]
    assert (data["primary_degrees"], data["secondary_degrees"]) == (over_p.primary_degrees, over_p.secondary_degrees)
