"""Every size guard's advice works where the error appears (issue #25).

A `TooLargeError` names the knob that raises its guard and the value to pass.  These tests trigger
each guard through the public entry a user calls — a Python function or class, or a `molien`
command — read the advice *from the message*, follow it in that same interface, and check that the
computation then gets past the guard.  A message that names a knob the interface lacks, or a value
that does not suffice, fails here.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

import pytest

from invariants import (InputError, InvariantRing, MatrixGroup, TooLargeError, dihedral, invariants_of_degree, load_spec,
                        molien_series, multigraded_molien_series, nullcone, number_field, reductive_invariant_ring,
                        reynolds, tensor_orbits)
from invariants.cli import main as cli
from invariants.rings import primaries
from invariants.rings import reynolds as reynolds_module


def advised_value(message: str, knob: str) -> Any:
    """The value the message tells the user to pass for ``knob`` (Python spelling ``knob=VALUE``)."""
    found = re.findall(rf"\b{knob}=([\d_,]+|'[a-z]+')", message)
    assert found, f"the message names no value for {knob}=: {message}"
    value = found[-1]
    return value.strip("'") if value.startswith("'") else int(value.replace(",", "").replace("_", ""))


def advised_flag(message: str) -> list[str]:
    """The command-line flag (and its value) the message tells the user to add."""
    found = re.findall(r"(--[a-z][a-z-]*) ([\w.]+)", message)
    assert found, f"the message names no flag: {message}"
    return list(found[-1])


def _sl2_quadratic():
    from invariants.groups.reductive.examples import sl2_binary_forms
    return sl2_binary_forms(2)


def _group_table(**knob: Any) -> Any:
    from neural.group_actions.elements import group_table
    return group_table(load_spec("symmetric(4):v"), **knob)


def _universal_network(**knob: Any) -> Any:
    from neural.sets.universal import UniversalInvariantNetwork
    return UniversalInvariantNetwork(load_spec("symmetric(4):v"), order=2, **knob)


def _kernel_basis(**knob: Any) -> Any:
    from invariants.covariants.kernels import kernel_basis, stencil
    D4 = dihedral(4)
    return kernel_basis(D4.natural(), D4.atom("0"), D4.atom("0"), stencil(1), **knob)


PYTHON_CASES: dict[str, tuple[str, Any, Callable[..., Any]]] = {
    # name: (knob, a value small enough to trip the guard, the call with the knob as keyword)
    "invariants_of_degree": ("max_monomials", 1, lambda **k: invariants_of_degree(load_spec("alternating(4)"), 14,
                                                                                  **k)),
    "invariant_ring_relations": ("max_relation_products", 2, lambda **k: InvariantRing(
        load_spec("cyclic(3)"), relations_degree=6, **k).relations),
    "molien_series_elements": ("max_elements", 10, lambda **k: molien_series(load_spec("alternating(6)"), **k)),
    "invariant_ring_elements": ("max_elements", 10, lambda **k: InvariantRing(load_spec("alternating(6)"),
                                                                              **k).molien),
    "molien_weyl_table": ("max_terms", 10, lambda **k: molien_series(load_spec("SU(2):2"), **k)),
    "invariant_ring_molien_weyl": ("max_terms", 10, lambda **k: InvariantRing(load_spec("SU(2):2"), **k).molien),
    "number_field": ("max_degree", 4, lambda **k: number_field("exp(2*pi*I/11)", **k)),
    "matrix_group_orbit": ("max_orbit", 3, lambda **k: MatrixGroup([[["0", "1"], ["1", "0"]],
                                                                      [["1", "0"], ["0", "-1"]]], **k).order()),
    "tensor_orbits": ("max_tuples", 100, lambda **k: tensor_orbits(load_spec("symmetric(5):v"), 3, **k)),
    "universal_network": ("max_tuples", 100, _universal_network),
    "group_table": ("max_order", 5, _group_table),
    "kernel_basis": ("max_group_order", 3, _kernel_basis),
    "multigraded": ("max_elements", 10, lambda **k: multigraded_molien_series(load_spec("alternating(6)"), **k)),
    "reductive_variables": ("max_variables", 3, lambda **k: reductive_invariant_ring(_sl2_quadratic(), **k)),
    "reductive_weight": ("max_weight", 1, lambda **k: reductive_invariant_ring(_sl2_quadratic(), **k)),
}


@pytest.mark.parametrize("knob, small, call", [pytest.param(*case, id=name) for name, case in PYTHON_CASES.items()])
def test_python_advice_is_followable(knob: str, small: Any, call: Callable[..., Any]) -> None:
    with pytest.raises(TooLargeError) as refused:
        call(**{knob: small})
    assert refused.value.option == knob
    value = advised_value(str(refused.value), knob)
    assert value != small
    call(**{knob: value})  # past the guard: the advice sufficed


def test_hsop_advice_is_followable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hsop guard fires only when the quotient proof does not fit either: made to fire on C4 on R^4."""
    monkeypatch.setattr(primaries, "MAX_ENTRIES", 0)
    group = load_spec("cyclic(4, permutation)")
    with pytest.raises(TooLargeError) as refused:
        InvariantRing(group, max_hsop_bezout=1).primaries
    value = advised_value(str(refused.value), "max_hsop_bezout")
    assert InvariantRing(group, max_hsop_bezout=value).hironaka_certified


def test_reynolds_orbit_advice(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """An orbit too long to list: method='orbits' is refused with the method to use; auto uses it."""
    monkeypatch.setattr(reynolds_module, "DEFAULT_MAX_ORBIT", 2)
    group = load_spec("cyclic(4, permutation)")
    with pytest.raises(TooLargeError) as refused:
        reynolds(group, "x0*x1", method="orbits")
    method = advised_value(str(refused.value), "method")
    assert reynolds(group, "x0*x1", method=method) == reynolds(group, "x0*x1")  # auto falls back by itself
    argv = ["reynolds", "cyclic(4, permutation)", "x0*x1", "--method", "orbits"]
    assert cli(argv) == 2
    flag, value = advised_flag(capsys.readouterr().err)
    assert (flag, value) == ("--method", method)
    assert cli(argv[:3] + [flag, value]) == 0


CLI_CASES = {
    "invariants": ["invariants", "alternating(4)", "--degree", "14", "--max-monomials", "1"],
    "ring_relations": ["ring", "cyclic(3)", "--relations", "6", "--max-relation-products", "2"],
    "ring_elements": ["ring", "alternating(6)", "--max-elements", "10"],
    "ring_molien_weyl": ["ring", "SU(2):2", "--max-terms", "10"],
    "series_elements": ["series", "alternating(6)", "--max-elements", "10"],
    "series_molien_weyl": ["series", "SU(2):2", "--max-terms", "10"],
    "multigraded": ["multigraded", "alternating(6)", "--max-elements", "10"],
    "reynolds": ["reynolds", "alternating(4)", "x0**14", "--method", "projection", "--max-monomials", "1"],
}


@pytest.mark.parametrize("argv", CLI_CASES.values(), ids=CLI_CASES.keys())
def test_cli_advice_is_followable(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    assert cli(argv) == 2
    message = capsys.readouterr().err
    assert "Python argument" not in message, message
    flag, value = advised_flag(message)
    assert flag in argv, f"the advice names {flag}, which the case did not set: {message}"
    given = argv[:argv.index(flag)] + [flag, value] + argv[argv.index(flag) + 2:]
    assert cli(given) == 0, capsys.readouterr().err


def test_groebner_limit_advice(capsys: pytest.CaptureFixture) -> None:
    """A Gröbner basis's size is not known before it is computed: the advice (4x) is followed until
    it suffices — in Python and on the command line alike."""
    limit, rounds = 1, 0
    while True:
        try:
            cone = nullcone(load_spec("SO(3):1,1"), groebner_limit=limit)
            break
        except TooLargeError as refused:
            limit, rounds = advised_value(str(refused), "groebner_limit"), rounds + 1
    # SO(3) on two vectors of C^3: x, y on one isotropic line, dimension 2 + 1
    assert cone.dimension == 3 and 1 <= rounds <= 3
    argv, rounds = ["nullcone", "SO(3):1,1", "--groebner-limit", "1"], 0
    while cli(argv) == 2:
        flag, value = advised_flag(capsys.readouterr().err)
        argv, rounds = argv[:2] + [flag, value], rounds + 1
    assert 1 <= rounds <= 3


def test_cli_reductive_advice(tmp_path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "sl2.json"
    path.write_text(json.dumps({"ideal": ["a*d - b*c - 1"], "matrix": [["a**2", "2*a*b", "b**2"],
                                                                        ["a*c", "a*d + b*c", "b*d"],
                                                                        ["c**2", "2*c*d", "d**2"]],
                                "group_variables": "a b c d"}))
    for flag in ("--max-weight", "--max-variables"):
        assert cli(["reductive", str(path), flag, "1"]) == 2
        message = capsys.readouterr().err
        assert "Python argument" not in message, message
        assert "--max-degree 6" in message  # the other way out, a flag of this command too
        advised = re.findall(rf"{flag} (\d+)", message)[-1]
        assert cli(["reductive", str(path), flag, advised]) == 0


def test_json_spec_orbit_guard(tmp_path, capsys: pytest.CaptureFixture) -> None:
    """A group given by generators in a JSON file: the orbit guard's knob is a key of that file."""
    spec = {"field": "QQ", "generators": [[["0", "1"], ["1", "0"]], [["1", "0"], ["0", "-1"]]], "max_orbit": 3}
    path = tmp_path / "g.json"
    path.write_text(json.dumps(spec))
    assert cli(["series", str(path)]) == 2
    message = capsys.readouterr().err
    assert '"max_orbit"' in message, message
    spec["max_orbit"] = advised_value(message.replace('"max_orbit": ', "max_orbit="), "max_orbit")
    path.write_text(json.dumps(spec))
    assert cli(["series", str(path)]) == 0


@pytest.mark.parametrize("spec, hint", [("cyclic(7):permutation", "cyclic(7, permutation)"),
                                        ("weyl(E6):orthogonal", "weyl(E6, orthogonal)")])
def test_a_group_form_after_the_colon_is_explained(spec: str, hint: str) -> None:
    with pytest.raises(InputError, match=re.escape(hint)):
        load_spec(spec)
    load_spec(hint)  # the advice reads


def test_regular_atom_of_a_spec_follows_max_elements(capsys: pytest.CaptureFixture) -> None:
    """The spec's ``regular`` atom is built before the series: ``--max-elements`` reaches it too."""
    argv = ["series", "symmetric(6):regular", "--max-elements", "100", "--summary", "--terms", "3"]
    assert cli(argv) == 2
    flag, value = advised_flag(capsys.readouterr().err)
    assert (flag, value) == ("--max-elements", "720")
    assert cli(argv[:2] + [flag, value] + argv[4:]) == 0
    out = capsys.readouterr().out
    # degree 2, by Burnside on unordered pairs: (720·721/2 + 75 involutions x 360 swapped pairs) / 720 = 398
    assert "of degree 2016 with 2017 non-zero terms" in out and "coefficients: 1, 1, 398" in out


def test_cli_advice_reads_values_as_argparse_does() -> None:
    """``max_monomials=30,000`` becomes ``--max-monomials 30000`` (argparse refuses the comma); the
    keywords of a Python call inside a message stay Python's."""
    import argparse

    from invariants.cli import build_parser, cli_advice
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    said = cli_advice("above max_monomials=20,000, or pass max_monomials=30,000 (CLI: --max-monomials 30,000) to try",
                      commands["invariants"])
    assert said == "above --max-monomials 20000, or pass --max-monomials 30000 to try"
    limits = "pass limits=Limits(max_basis=20000, max_terms=400000, max_bits=2000) from groebner"
    assert cli_advice(limits, commands["reductive"]) == limits


def _harmonics(l: int) -> Any:
    from invariants.groups.compact.harmonics import harmonic_polynomials
    return harmonic_polynomials.__wrapped__(l)   # past the cache: the guard is checked on every call


def _equivariants() -> Any:
    from invariants.covariants.covariants import equivariants_of_degree
    return equivariants_of_degree(load_spec("SO(3):v"), load_spec("SO(3):2"), 3)


def _expanded() -> Any:
    from invariants.fields import QQ
    from invariants.polynomials.ring import PolynomialRing
    return PolynomialRing(QQ, 3).from_sympy("(x0 + x1 + x2)**4")


MODULE_CASES = {
    # name: (module, constant, a value small enough to trip the guard, the call)
    "harmonic_degree": ("invariants.groups.compact.harmonics", "MAX_HARMONIC_DEGREE", 2, lambda: _harmonics(5)),
    "equivariant_unknowns": ("invariants.covariants.covariants", "MAX_EQUIVARIANT_UNKNOWNS", 10, _equivariants),
    "series_terms": ("invariants.series.hilbert", "MAX_SERIES_TERMS", 10,
                     lambda: molien_series(load_spec("cyclic(4)")).coefficients(50)),
    "expanded_terms": ("invariants.polynomials.ring", "MAX_EXPANDED_TERMS", 5, _expanded),
    "lie_kernel_entries": ("invariants.groups.compact.invariants", "MAX_KERNEL_ENTRIES", 10,
                           lambda: invariants_of_degree(load_spec("SO(3):2xv"), 2)),
}


@pytest.mark.parametrize("module, constant, small, call",
                         [pytest.param(*case, id=name) for name, case in MODULE_CASES.items()])
def test_module_limit_advice_is_followable(monkeypatch: pytest.MonkeyPatch, module: str, constant: str, small: int,
                                           call: Callable[[], Any]) -> None:
    """A guard whose knob is a module constant names it in full; raised to the estimate, the call
    gets past it."""
    import importlib
    target = importlib.import_module(module)
    monkeypatch.setattr(target, constant, small)
    with pytest.raises(TooLargeError) as refused:
        call()
    assert refused.value.option == f"{module}.{constant}" and f"{module}.{constant}" in str(refused.value)
    monkeypatch.setattr(target, constant, refused.value.estimate)
    call()
