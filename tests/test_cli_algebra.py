"""The command line of issue #22's capabilities: each subcommand prints what its Python function
returns, and bad files get a clear error."""
from __future__ import annotations

import json

import pytest

from invariants.cli import main

SL2_QUADRATICS = {"ideal": ["a*d - b*c - 1"], "group_variables": "a b c d",
                  "matrix": [["a**2", "2*a*b", "b**2"], ["a*c", "a*d + b*c", "b*d"], ["c**2", "2*c*d", "d**2"]]}
S3_TABLE = {"class_sizes": [1, 3, 2], "orders": [1, 2, 3], "power_maps": {"2": [0, 0, 2], "3": [0, 1, 0]},
            "character": [2, 0, -1]}
GL2_F3 = {"field": "GF(3)", "generators": [[[1, 1], [0, 1]], [[0, 1], [1, 0]], [[2, 0], [0, 1]]]}


def _json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_reynolds_and_nullcone(capsys):
    assert _json(capsys, "reynolds", "SO(3):1", "x0**2", "--json") == {"reynolds": "x0**2/3 + x1**2/3 + x2**2/3"}
    out = _json(capsys, "nullcone", "SO(3):1,1", "--json")
    assert out["degrees"] == [2, 2, 2] and out["nullcone_dimension"] == 3 and out["complete"]
    assert _json(capsys, "nullcone", "cyclic(3)", "--json")["nullcone_dimension"] == 0


def test_character_table_file(tmp_path, capsys):
    path = tmp_path / "s3.json"
    path.write_text(json.dumps(S3_TABLE))
    assert _json(capsys, "character", str(path), "--json", "--terms", "7")["coefficients"] == [1, 0, 1, 1, 1, 1, 2]
    path.write_text(json.dumps({"class_sizes": [1, 3, 2]}))
    assert main(["character", str(path)]) == 2
    assert "lacks orders, power_maps, character" in capsys.readouterr().err
    assert main(["character", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_multigraded_and_equivariant(capsys):
    out = _json(capsys, "multigraded", "symmetric(3)", "symmetric(3)", "--json", "--bound", "3")
    assert out["coefficients"]["1,1"] == 2 and out["coefficients"]["2,2"] == 8 and "0,0" in out["coefficients"]
    out = _json(capsys, "equivariant", "U(1):1,-1", "--json")
    assert out["variable_weights"] == [[1], [-1]]
    assert main(["equivariant", "SO(3):1"]) == 2
    assert "not a torus" in capsys.readouterr().err


def test_reductive_action_file(tmp_path, capsys):
    path = tmp_path / "sl2.json"
    path.write_text(json.dumps(SL2_QUADRATICS))
    out = _json(capsys, "reductive", str(path), "--json")
    assert out["generator_degrees"] == [2] and out["complete"]
    path.write_text(json.dumps({"ideal": ["a"]}))
    assert main(["reductive", str(path)]) == 2
    assert "lacks matrix, group_variables" in capsys.readouterr().err


def test_modular_ring_and_prescribed_primaries(tmp_path, capsys):
    path = tmp_path / "gl2f3.json"
    path.write_text(json.dumps(GL2_F3))
    out = _json(capsys, "ring", str(path), "--json")
    assert out["generator_degrees"] == [6, 8] and out["certified"] and out["modular"]
    assert main(["series", str(path)]) == 2
    assert "molien ring SPEC" in capsys.readouterr().err
    assert main(["ring", str(path), "--relations", "8"]) == 2
    assert "drop --relations" in capsys.readouterr().err
    path.write_text(json.dumps({"field": "GF(2)", "generators": [[[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1],
                                                                     [0, 0, 0, 1]]]}))
    out = _json(capsys, "ring", str(path), "--hironaka", "--json")   # Z/2 on two regular representations
    assert out["primary_degrees"] == [1, 1, 2, 2] and out["secondary_degrees"] == [0, 2] and out["cohen_macaulay"]
    out = _json(capsys, "ring", "cyclic(4)", "--primary", "x0**2+x1**2", "--primary", "x0**2*x1**2", "--hironaka",
                "--json")
    assert out["primary_degrees"] == [2, 4] and out["secondary_degrees"] == [0, 4] and out["certified"]
    assert main(["ring", "cyclic(4)", "--primary", "x0**2+x1**2", "--hironaka"]) == 2
    assert "exactly 2 elements" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["reynolds", "symmetric(3)", "x0 + y"], ["reynolds", "SO(2):1", "x0", "--method",
                                                                           "orbits"]])
def test_bad_input_is_an_error_message(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("molien: error:")


def test_ring_takes_the_enumeration_guard(capsys):
    """#25: `molien ring` had no --max-elements; the guard now reaches the Molien series, and a
    series computed under a raised guard serves the ring's later stages."""
    from invariants import alternating, invariant_ring
    assert main(["ring", "alternating(5)", "--max-elements", "10"]) == 2
    assert "--max-elements 60" in capsys.readouterr().err
    assert invariant_ring(alternating(5), max_elements=60).generator_degrees == [1, 2, 3, 4, 5, 10]
