"""The gauge benchmark (benchmarks/gauge.py) runs end to end at smoke size, and its exact models are exact."""
import json
import math
import pathlib
import sys

import numpy as np
import pytest
import torch

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))

pytest.importorskip("trimesh")  # the shapes of task (b)


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    import gauge

    folder = tmp_path_factory.mktemp("gauge")
    threads = torch.get_num_threads()
    try:
        result = gauge.main(["--quick", "--results", str(folder), "--out", "g"])
    finally:
        torch.set_num_threads(threads)
    return result, folder


def test_writes_both_files_with_every_model_and_split(quick):
    result, folder = quick
    saved = json.loads((folder / "g.json").read_text())
    assert saved["meta"]["args"]["quick"] and saved["records"] == json.loads(json.dumps(result["records"]))
    text = (folder / "g.md").read_text()
    for heading in ("## (a)", "## (b)", "## Cost and equivariance", "## Reading"):
        assert heading in text
    grad = [r for r in result["records"] if r["task"] == "gradient"]
    shapes = [r for r in result["records"] if r["task"] == "shapes"]
    assert {r["model"] for r in grad} == set(gauge_models("REGRESSION_MODELS"))
    assert {r["model"] for r in shapes} == set(gauge_models("SHAPE_MODELS"))
    assert {r["training"] for r in grad} == {"canonical", "random"}
    assert {r["mesh"] for r in grad} == {"icosphere", "deformed 0.25"}
    for r in grad:
        assert all(math.isfinite(r[f"rel_mse_{s}"]) and r[f"rel_mse_{s}"] >= 0 for s in ("own", "gauge", "rotated"))
    for r in shapes:
        assert all(0 <= r[f"accuracy_{s}"] <= 1 for s in ("test_own", "test_gauge", "train_own", "train_regauged"))
    for r in result["records"]:
        assert r["params"] > 0 and r["train_s"] > 0 and r["infer_ms_per_mesh"] > 0
        assert math.isfinite(r["gauge_error_so2"]) and math.isfinite(r["gauge_error_c8"])
        assert r["model"] in text


def gauge_models(name):
    import gauge

    return getattr(gauge, name).split(",")


def test_exact_models_are_exact_and_the_gauge_fixed_one_is_not(quick):
    result, _ = quick
    for r in result["records"]:
        if r["model"] == "gauge-so2-covariant":  # exact for every angle
            assert r["gauge_error_so2"] <= 1e-10 and r["gauge_error_c8"] <= 1e-10
        if r["model"] == "gauge-c8-regular":  # exact on its gauge group
            assert r["gauge_error_c8"] <= 1e-10
        if r["model"] == "gauge-so2-regular":  # sampled ReLU: approximately
            assert r["gauge_error_so2"] < 0.5 * r["output_max"]
        if r["model"].startswith("gauge-fixed") and not r["model"].endswith("+aug"):
            assert r["gauge_error_so2"] > 1e-3 and r["gauge_error_c8"] > 1e-3
        if r["model"] == "frameless-gnn":  # no frame: invariant scores, but a vector it cannot turn
            assert (r["gauge_error_so2"] == 0) if r["task"] == "shapes" else (r["gauge_error_so2"] > 1e-3)


def test_canonical_frames_ride_with_the_mesh(quick):
    """A rigid rotation moves the canonical frames with the mesh: every model in them sees the same
    inputs, so column (iii) equals column (i)."""
    result, _ = quick
    for r in result["records"]:
        if r["task"] == "gradient" and not r["model"].endswith("-axis"):
            assert r["rel_mse_rotated"] == pytest.approx(r["rel_mse_own"], rel=1e-4, abs=1e-6)


def test_views_turn_the_target_as_change_gauge_says():
    import gauge
    from neural.mesh import change_gauge, gradient_task

    mesh = gauge.frameless(gradient_task(1, level=1, random_gauge=False))[0]
    geometry, x, y = gauge.view(mesh)
    turned, x2, y2 = gauge.view(mesh, gauge=np.random.default_rng(3))
    cos, sin = geometry.to_frame(turned.frames[:, 0]).T  # each new e₁ in the old frame: (cos γ, sin γ)
    gamma = np.arctan2(sin, cos)
    expected = change_gauge(torch.from_numpy(y), torch.from_numpy(gamma), gauge.VECTOR).numpy()
    assert np.array_equal(x, x2) and np.allclose(y2, expected, atol=1e-12)
    rotation = gauge.random_rotation(np.random.default_rng(0))
    assert np.allclose(rotation @ rotation.T, np.eye(3)) and np.isclose(np.linalg.det(rotation), 1)
    moved, _, y3 = gauge.view(mesh, rotation=rotation)
    assert np.allclose(y3, y, atol=1e-12) and np.allclose(np.cos(moved.angle - geometry.angle), 1)
