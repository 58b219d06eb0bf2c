"""The convolution benchmarks run end to end at smoke size (the digits need scikit-learn, a bench extra)."""
import json
import pathlib
import sys

import pytest
import torch

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import distortion  # noqa: E402


def test_distortion_smoke(tmp_path):
    result = distortion.main(["--quick", "--results", str(tmp_path), "--out", "d"])
    errors = [r["sampled_relu"][0] for r in result["rows"]]
    assert errors == sorted(errors, reverse=True) and errors[0] > 0.05  # more angles, less aliasing
    assert result["covariant"]["float64"][1] < 1e-12 and result["covariant"]["float32"][1] < 1e-5
    assert "covariant" in json.loads((tmp_path / "d.json").read_text())


def test_rotation_helpers_move_images_as_d4_says():
    import conv

    x = torch.randn(5, 1, 9, 9)
    gen = torch.Generator().manual_seed(0)
    moved = conv.d4_moves(x, gen)
    assert all(any(torch.equal(m, torch.rot90(im, k, (-2, -1)).flip(-1) if f else torch.rot90(im, k, (-2, -1)))
                   for k in range(4) for f in (False, True)) for m, im in zip(moved, x))


def test_conv_benchmark_smoke(tmp_path):
    pytest.importorskip("sklearn")
    import conv

    records = conv.main(["--quick", "--models", "cnn,molien-p4m", "--epochs", "1", "--results", str(tmp_path),
                         "--out", "c", "--no-init"])
    by_model = {(r["model"], r["test_split"]): r for r in records}
    assert by_model[("molien-p4m", "upright")]["accuracy"] == pytest.approx(by_model[("molien-p4m", "d4")]["accuracy"],
                                                                            abs=0.01)
    assert by_model[("molien-p4m", "upright")]["equivariance_error"] < 1e-5


def test_steerable_error_smoke(tmp_path):
    import steerable_error

    result = steerable_error.main(["--quick", "--results", str(tmp_path), "--out", "s"])
    for row in (r for r in result["rows"] if r["library"] == "molien"):
        errors = dict(zip(result["angles"], row["errors"]))
        assert errors[90] < 1e-10  # a quarter turn permutes pixels: exact
        assert 0 < errors[22.5] < 0.1  # off the group: small, not zero
