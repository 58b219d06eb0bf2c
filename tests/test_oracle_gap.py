"""molien's Molien series against GAP's ``MolienSeries`` (an independent implementation).

All the GAP work of a run is batched into two GAP processes (absolute and relative series);
each series is compared as a reduced fraction, i.e. exactly.  The tests are marked
``oracle`` and skipped when GAP is not installed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracles import (GapError, GapTimeout, gap_available, gap_molien, gap_molien_batch,  # noqa: E402
                     parse_gap_rational, run_gap, to_gap_matrix, to_gap_scalar)

from invariants.catalogue import by_name, coxeter, cyclic, symmetric  # noqa: E402
from invariants.groups.finite.group import MatrixGroup  # noqa: E402
from invariants.groups.representation import molien_series  # noqa: E402
from invariants.groups.representation import Representation  # noqa: E402
from invariants.series.hilbert import HilbertSeries  # noqa: E402

requires_gap = pytest.mark.skipif(
    not gap_available(),
    reason="GAP is not installed (no `gap` on PATH): the GAP cross-checks need it (CI installs it; "
           "locally `make setup-oracles` or `apt-get install gap`)")
oracle = pytest.mark.oracle

GAP_TIMEOUT = 240

# label -> how to build the group; the labels are also GAP-side identifiers
CATALOGUE_SPECS = {
    "cyclic_5": "cyclic(5)",                  # rotation form over Q(cos 2π/20): nested radicals
    "dihedral_6": "dihedral(6)",
    "symmetric_4": "symmetric(4)",
    "alternating_5": "alternating(5)",        # permutation form
    "signed_permutations_3": "signed_permutations(3)",
    "weyl_D4": "weyl(D4)",
    "weyl_F4": "weyl(F4)",
    "weyl_E6": "weyl(E6)",
    "coxeter_H3": "coxeter(H3)",              # over Q(sqrt 5)
    "binary_tetrahedral": "binary_tetrahedral()",
    "binary_octahedral": "binary_octahedral()",
    "binary_icosahedral": "binary_icosahedral()",
    "quaternion_group": "quaternion_group()",
    "complex_reflection_3_3_5": "complex_reflection(3,3,5)",  # order 9720 over Q(ζ_3)
}


def _extra_groups() -> dict[str, MatrixGroup]:
    """Non-reflection groups and other fields, where the reflection-group shortcut does not apply."""
    return {
        "Z4_nonreflection": MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]], name="Z4"),
        "cyclic_7_weights_124": cyclic(7, "diagonal", weights=(1, 2, 4)),   # over Q(ζ_7)
        "cyclic_7_rotation": cyclic(7),                                       # over Q(cos 2π/28)
        "cyclic_9_companion": cyclic(9, "companion"),                         # over Q(cos 2π/9)
    }


@pytest.fixture(scope="module")
def groups() -> dict[str, MatrixGroup]:
    out = {label: by_name(spec) for label, spec in CATALOGUE_SPECS.items()}
    out.update(_extra_groups())
    return out


@pytest.fixture(scope="module")
def gap_series(groups):
    return gap_molien_batch(groups, timeout=GAP_TIMEOUT)


ALL_LABELS = list(CATALOGUE_SPECS) + ["Z4_nonreflection", "cyclic_7_weights_124", "cyclic_7_rotation",
                                      "cyclic_9_companion"]


@oracle
@requires_gap
@pytest.mark.parametrize("label", ALL_LABELS)
def test_molien_series_equals_gap(label, groups, gap_series):
    theirs = gap_series[label]
    if isinstance(theirs, GapError):
        pytest.fail(f"GAP gave no answer for {label}: {theirs}")
    ours = molien_series(groups[label])
    assert ours == theirs, (f"{label}: molien gives {ours} = {ours.numerator_list()}/{ours.denominator_list()}, "
                            f"GAP gives {theirs} = {theirs.numerator_list()}/{theirs.denominator_list()}")
    if label.startswith(("weyl", "coxeter", "symmetric", "signed", "complex")):
        # the reflection shortcut must agree with the class sum too (it is what GAP does)
        assert molien_series(groups[label], method="classes") == theirs


def _det_rep(G: MatrixGroup) -> Representation:
    dets = [sympy.Matrix(g.to_sympy()).det() for g in G.generators]
    return Representation(G, [[[sympy.nsimplify(d)]] for d in dets])


@pytest.fixture(scope="module")
def relative_cases():
    S4 = symmetric(4)
    H3 = coxeter("H3")
    Z4 = MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]], field="QQ(i)", name="Z4")
    chi_i = Representation(Z4, [[["I"]]])  # a complex character: g ↦ i
    C7 = cyclic(7, "diagonal", weights=(1, 2, 4))  # V is not self-dual: χ and its conjugate differ
    return {
        "S4_sign": (S4, _det_rep(S4)),
        "H3_det": (H3, _det_rep(H3)),
        "Z4_i": (Z4, chi_i),
        "C7_zeta": (C7, Representation(C7, cyclic(7, "diagonal", weights=(1,)).generators)),      # χ(g) = ζ_7
        "C7_zeta_bar": (C7, Representation(C7, cyclic(7, "diagonal", weights=(6,)).generators)),  # χ(g) = ζ_7^-1
    }


@pytest.fixture(scope="module")
def gap_relative(relative_cases):
    return gap_molien_batch(relative_cases, timeout=GAP_TIMEOUT)


@oracle
@requires_gap
@pytest.mark.parametrize("label", ["S4_sign", "H3_det", "Z4_i", "C7_zeta", "C7_zeta_bar"])
def test_relative_molien_series_equals_gap(label, relative_cases, gap_relative):
    G, chi = relative_cases[label]
    theirs = gap_relative[label]
    if isinstance(theirs, GapError):
        pytest.fail(f"GAP gave no answer for {label}: {theirs}")
    ours = molien_series(G, chi)
    assert ours == theirs, f"{label}: molien gives {ours}, GAP gives {theirs}"
    if label == "C7_zeta":  # x1 has weight 1: one copy of χ in degree 1; weight 6 first appears in degree 2
        assert ours.coefficients(3) == [0, 1, 1]
    if label == "C7_zeta_bar":
        assert ours.coefficients(3) == [0, 0, 1]
    if label == "H3_det":  # anti-invariants of a reflection group: t^N/∏(1 - t^d), N = 15 reflections
        assert ours == HilbertSeries.from_degrees([2, 6, 10], [0] * 15 + [1])


@oracle
@requires_gap
def test_gap_molien_single_group():
    # the one-group entry point, on a group with rational and irrational generators mixed
    assert gap_molien(by_name("dihedral(5)")) == HilbertSeries.from_degrees([2, 5])


@oracle
@requires_gap
def test_cyclotomic_translation_is_exact_in_gap():
    """cos, sin and roots of unity in sympy's own forms (often nested radicals) translate to
    the GAP cyclotomics they equal."""
    pi, I = sympy.pi, sympy.I
    lines = []
    for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 16, 20, 24, 30, 40, 60]:
        checks = [f"{to_gap_scalar(sympy.cos(2 * pi / n))} = (E({n})+E({n})^-1)/2",
                  f"{to_gap_scalar(sympy.sin(2 * pi / n))} = (E({n})-E({n})^-1)/(2*E(4))",
                  f"{to_gap_scalar(sympy.exp(2 * pi * I / n) ** 3)} = E({n})^3"]
        sep = ', " ", '
        lines.append(f'Print("@@CHECK {n} ", {sep.join(checks)}, "\\n");')
    lines.append(f'Print("@@CHECK mat ", {to_gap_matrix(sympy.Matrix([[sympy.sqrt(2) / 2, -I], [sympy.Rational(-3, 7), 1 + sympy.sqrt(-3)]]))}'
                 ' = [[ER(2)/2, -E(4)], [-3/7, 1+ER(-3)]], "\\n");')
    out = run_gap("\n".join(lines), timeout=60)
    rows = [line for line in out.splitlines() if line.startswith("@@CHECK")]
    assert len(rows) == 19, out
    assert all("false" not in row for row in rows), [row for row in rows if "false" in row]


def test_non_cyclotomic_entries_are_refused():
    with pytest.raises(ValueError, match=r"2\*\*\(1/3\) is not a cyclotomic number"):
        to_gap_scalar(sympy.Integer(2) ** sympy.Rational(1, 3))


def test_parse_gap_rational_with_line_continuations():
    text = "( 1-z+z^2+z^3 ) / ( (1-z^4)*(1-z^2)*(\\\n1-z) )"
    assert parse_gap_rational(text) == HilbertSeries.from_degrees([2, 2, 4], [1, 0, 0, 2, 1])


@oracle
@requires_gap
def test_gap_timeout_is_an_exception():
    with pytest.raises(GapTimeout):
        run_gap("repeat until false;", timeout=2)
