"""The molien command line and its JSON contract."""
import json
import subprocess
import sys

import pytest
import sympy

from invariants.cli import main
from invariants.groups.representation import molien_series


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_series_json_for_weyl_e8(capsys):
    code, out, _ = run(capsys, "series", "weyl(E8)", "--json", "--terms", "31")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"numerator", "denominator", "coefficients"}
    assert data["numerator"] == [1]
    # W(E8) is a reflection group with basic degrees 2, 8, 12, 14, 18, 20, 24, 30 (Humphreys, Table
    # 3.1): the denominator is ∏(1 − t^d), coefficients from degree 0 up
    t = sympy.Symbol("t")
    product = sympy.Poly(sympy.prod([1 - t**d for d in (2, 8, 12, 14, 18, 20, 24, 30)]), t)
    assert data["denominator"] == [int(c) for c in product.all_coeffs()[::-1]]
    assert data["coefficients"][:9] == [1, 0, 1, 0, 1, 0, 1, 0, 2]
    assert len(data["coefficients"]) == 31


def test_series_from_a_json_spec_file(tmp_path, capsys):
    spec = tmp_path / "c4.json"
    spec.write_text(json.dumps({"field": "QQ", "generators": [[["0", "-1"], ["1", "0"]]]}))
    code, out, _ = run(capsys, "series", str(spec), "--json")
    assert code == 0
    data = json.loads(out)
    # (1 + t^4)/((1 - t^2)(1 - t^4)) reduces to (1 - t^2 + t^4)... compare coefficients
    assert data["coefficients"][:9] == [1, 0, 1, 0, 3, 0, 3, 0, 5]
    assert data["denominator"][0] == 1


def test_series_from_a_number_field_spec(tmp_path, capsys):
    # I2(5), the symmetry group of the pentagon, as a Coxeter group in the basis of simple roots
    spec = tmp_path / "i25.json"
    c2 = "(1+sqrt(5))/2"  # 2 cos(pi/5)
    spec.write_text(json.dumps({"field": "QQ(sqrt(5))",
                                "generators": [[["-1", c2], ["0", "1"]], [["1", "0"], [c2, "-1"]]]}))
    code, out, _ = run(capsys, "series", str(spec), "--json")
    assert code == 0 and json.loads(out)["coefficients"][:8] == [1, 0, 1, 0, 1, 1, 1, 1]


def test_invariants_json_and_latex(capsys):
    code, out, _ = run(capsys, "invariants", "symmetric(3)", "--degree", "2", "--json")
    data = json.loads(out)
    assert code == 0 and data["dimension"] == 2
    assert data["invariants"] == ["x0**2 + x1**2 + x2**2", "x0*x1 + x0*x2 + x1*x2"]
    code, out, _ = run(capsys, "invariants", "symmetric(3)", "--degree", "2", "--latex")
    assert "x_{0}^{2}" in out


def test_errors_exit_2_with_a_message(tmp_path, capsys):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"field": "QQ", "generators": [[["1", "1"], ["0", "1"]]]}))
    code, _, err = run(capsys, "series", str(spec))
    assert code == 2 and "infinite order" in err
    spec.write_text(json.dumps({"field": "QQ", "generators": [[[0.5, 0], [0, 1]]]}))
    code, _, err = run(capsys, "series", str(spec))
    assert code == 2 and "float" in err
    code, _, err = run(capsys, "series", "weyl(Z9)")
    assert code == 2 and "unknown root system type 'Z9'" in err


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "invariants.cli", "series", "dihedral(6)", "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["coefficients"][:7] == [1, 0, 1, 0, 1, 0, 2]


def test_ring_json_contract(capsys):
    code, out, _ = run(capsys, "ring", "alternating(4)", "--json", "--hironaka", "--relations", "12")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"order", "molien", "primary_degrees", "secondary_degrees", "generator_degrees",
                         "generators", "relation_degrees", "relations_degree_bound", "certified"}
    assert data["order"] == 12 and data["certified"] is True
    assert data["generator_degrees"] == [1, 2, 3, 4, 6] and data["relation_degrees"] == [12]
    assert data["primary_degrees"] == [1, 2, 3, 4] and data["secondary_degrees"] == [0, 6]
    assert len(data["generators"]) == 5 and data["generators"][0] == "x0 + x1 + x2 + x3"
    x = sympy.symbols("x0:4")
    gens = [sympy.sympify(g) for g in data["generators"]]
    assert gens[:4] == [sum(v**k for v in x) for k in range(1, 5)]  # the power sums p1 … p4
    f = gens[4]  # the degree-6 one: fixed by the 3-cycles that generate A4, moved by a transposition

    def permuted(p):
        return sympy.expand(f.xreplace(dict(zip(x, [x[i] for i in p]))))
    assert sympy.Poly(f, *x).total_degree() == 6
    assert permuted((1, 2, 0, 3)) == permuted((0, 2, 3, 1)) == sympy.expand(f) != permuted((1, 0, 2, 3))


def test_ring_computes_parts_on_request_and_cheap_ones_by_default(capsys):
    # default: series + generators, and the Hironaka decomposition when its estimate is cheap
    code, out, _ = run(capsys, "ring", "alternating(4)", "--json")
    data = json.loads(out)
    assert code == 0 and "primary_degrees" in data and "relation_degrees" not in data
    assert "--relations D" in data["skipped"]["relations"]
    code, out, _ = run(capsys, "ring", "alternating(4)", "--json", "--generators")
    assert set(json.loads(out)) == {"order", "molien", "generator_degrees", "generators", "certified"}
    code, out, _ = run(capsys, "ring", "alternating(4)", "--json", "--hironaka")
    assert set(json.loads(out)) == {"order", "molien", "primary_degrees", "secondary_degrees", "certified"}
    # the shift on R^9: the hsop proof would work on 59 million matrix entries, so the default
    # says so and leaves it out; asked for, it is refused with the estimate and the flag
    from invariants.rings.ring import invariant_ring
    from invariants.catalogue import cyclic
    estimate = invariant_ring(cyclic(9, form="permutation")).hironaka_estimate
    assert estimate.degrees == (1, 2, 2, 2, 2, 3, 3, 3, 9) and estimate.quotient_entries == 59_071_680
    code, _, err = run(capsys, "ring", "cyclic(9, permutation)", "--hironaka")
    assert code == 2 and "3888" in err and "--max-hsop-bezout 3888" in err
    # relations past the size guard: the estimate and the flag
    code, _, err = run(capsys, "ring", "cyclic(6, permutation)", "--relations", "14")
    assert code == 2 and "--max-relation-products" in err and "products of generators in degree 14" in err


def test_ring_of_a_symmetric_group_uses_the_fundamental_theorem(capsys):
    code, out, _ = run(capsys, "ring", "symmetric(12)", "--json")
    data = json.loads(out)
    assert code == 0 and data["generator_degrees"] == list(range(1, 13)) == data["primary_degrees"]
    assert data["secondary_degrees"] == [0] and data["certified"]


def test_covariants_command_json(capsys):
    import json

    from invariants.cli import main

    assert main(["covariants", "SO(3):2x1", "SO(3):1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["series"]["coefficients"][:4] == [0, 2, 1, 6]
    assert data["equivariants"]["2"] == [["x1*x5 - x2*x4", "-x0*x5 + x2*x3", "x0*x4 - x1*x3"]]
    assert main(["covariants", "SO(3):1", "symmetric(3)"]) == 2


def test_demo_runs_the_whole_pipeline(capsys):
    """`molien demo` (the README's main job): the exact engine, then bridge, a trained model and
    symmetry discovery feeding back into the engine."""
    from neural.cli import main as molien

    assert molien(["demo"]) == 0
    out = capsys.readouterr().out
    assert "(1 + t^30)/((1 - t^12)(1 - t^20))" in out           # Klein's icosahedral invariants
    assert "closest to SO(5):2xv (similarity 1.000000)" in out  # so(5) found and named
    assert "group of order 7" in out                            # C7 found, exactly


def test_ring_of_weyl_e8_is_refused_at_once_with_the_estimate_and_the_flag(capsys):
    # its degree-30 invariant has 10.3 million monomials: refused before any lower degree is computed
    code, _, err = run(capsys, "ring", "weyl(E8)")
    assert code == 2 and "1.03e+07 monomials" in err and "--max-monomials 10295472" in err


def test_readme_usage_block_names_every_command_and_option():
    """The README's command-line block cannot drift from the parser (#25)."""
    import argparse
    import pathlib
    import re
    from invariants.cli import build_parser
    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("## Command line", 1)[1].split("```", 2)[1]
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name, sub in commands.items():
        line = next((row for row in block.splitlines() if re.match(rf"molien {name}\b", row)), None)
        assert line is not None, f"molien {name} is missing from the README's usage block"
        rows = block[block.index(line):].split("\nmolien ", 1)[0]    # the command's line and its continuations
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option not in ("--help", "--relations-degree"):
                    assert option in rows, f"molien {name} {option} is missing from the README's usage block"
            if action.dest != "help":
                assert action.help, f"molien {name} {action.dest} has no help text (molien {name} --help)"
    assert "molien --version" in block


def test_names_say_did_you_mean_and_catalogue_lists_every_kind(capsys):
    from invariants.cli import main as engine
    assert engine(["series", "cylic(6)"]) == 2
    assert "did you mean cyclic(6)?" in capsys.readouterr().err
    assert engine(["series", "cyclic(6"]) == 2
    assert "unbalanced parentheses" in capsys.readouterr().err
    assert engine(["catalogue"]) == 0
    out = capsys.readouterr().out
    assert "e.g. weyl(E8, orthogonal)" in out and "SO(3), O(3)" in out and "reductive, not compact" in out
    assert "('" not in out                      # no raw Python tuples


def test_advice_names_the_flags_of_the_command_it_appears_in():
    import argparse
    from invariants.cli import build_parser, cli_advice
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    ring = cli_advice("too large; pass max_hsop_bezout=1134 to try anyway (R.generators need no hsop)", commands["ring"])
    assert "--max-hsop-bezout 1134" in ring and "molien ring SPEC --generators" in ring and "max_hsop" not in ring
    series = cli_advice("pass max_elements=3628800 (CLI: --max-elements 3628800) if it fits", commands["series"])
    assert series == "pass --max-elements 3628800 if it fits"
    assert cli_advice("pass max_monomials=30000", commands["invariants"]) == "pass --max-monomials 30000"
    assert "has no --max-relation-products" in cli_advice("pass max_relation_products=9", commands["series"])


def test_series_sampling_guards_reach_the_engine_in_the_words_of_the_cli(capsys):
    """--max-classes / --max-samples reach the sampled classes of a group kept from listing
    (--max-elements 0); the refusals name the flags, not the Python keywords."""
    # W(E6) has 25 conjugacy classes (Carter, Compositio Math. 25, 1972): 20 are refused, 25 are enough
    code, _, err = run(capsys, "series", "weyl(E6):ext2(v)", "--max-elements", "0", "--max-classes", "20")
    assert code == 2 and "--max-classes " in err and "--max-elements 51840" in err
    assert "max_classes" not in err and "max_elements" not in err
    code, _, err = run(capsys, "series", "weyl(E6):ext2(v)", "--max-elements", "0", "--max-samples", "1")
    assert code == 2 and "--max-samples " in err and "max_samples" not in err
    code, out, _ = run(capsys, "series", "weyl(E6):ext2(v)", "--max-elements", "0", "--max-classes", "25", "--json")
    assert code == 0
    # cross-check: the classes listed by enumerating all 51840 elements give the same series; by
    # Steinberg, Λ²V is irreducible and real, so one quadratic invariant and no linear one
    from invariants.catalogue.spec import load_spec
    rep = load_spec("weyl(E6):ext2(v)")
    assert len(rep.group.conjugacy_classes(method="enumerate")) == 25
    listed = molien_series(rep).coefficients(12)
    assert json.loads(out)["coefficients"][:12] == listed and listed[:3] == [1, 0, 1]


def test_series_sampling_flags_leave_the_default_path_and_compact_groups_alone(capsys):
    code, out, _ = run(capsys, "series", "weyl(E6):ext2(v)", "--json", "--terms", "12")
    assert code == 0
    from invariants.catalogue.spec import load_spec
    rep = load_spec("weyl(E6):ext2(v)")
    rep.group.conjugacy_classes(method="enumerate")
    assert json.loads(out)["coefficients"] == molien_series(rep).coefficients(12)
    # SO(3) on R^3: the invariants are the polynomials in |x|^2, whatever the finite groups' guards
    code, out, _ = run(capsys, "series", "SO(3):1", "--max-classes", "1", "--max-samples", "1", "--json", "--terms", "5")
    assert code == 0 and json.loads(out)["coefficients"] == [1, 0, 1, 0, 1]


def test_ring_summary_prints_sizes_not_polynomials(capsys):
    from invariants.cli import main as engine
    assert engine(["ring", "weyl(E6)", "--summary"]) == 0
    out = capsys.readouterr().out
    assert "y5 = <degree 12, 1461 terms>" in out and len(out) < 3000  # a power sum (the echelon form had 2758)


def test_covariants_of_two_groups_is_refused_in_the_words_of_the_command(capsys):
    from invariants.cli import main as engine
    assert engine(["covariants", "SO(3):1", "O(3):1o"]) == 2
    err = capsys.readouterr().err
    assert "give W as a representation of the same group, e.g. 'SO(3):<rep>'" in err and "chi" not in err
