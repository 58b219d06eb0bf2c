"""The neural-group-action benchmark runs end to end in quick mode: its hidden symmetries are what
it says, its files have their structure, and the structured models keep their group laws."""
import json
import math
import pathlib
import sys

import torch

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import actions  # noqa: E402


def test_hidden_symmetries_are_what_the_benchmark_says():
    x, rx = actions.reversal_data(300, seed=0)
    assert float((actions.embed_a(actions.reversor(actions.chart_a(rx))) - x).abs().max()) < 1e-12   # R∘R = id
    y = actions.chart_a(x)
    # R₀ reverses the standard map: R₀ F R₀ F = id
    assert float((actions.reversor(actions.standard_map(actions.reversor(actions.standard_map(y)))) - y).abs().max()) < 1e-12
    assert float((rx - x).norm(dim=1).mean()) > 0.5
    x, tx = actions.rotation_data(300, seed=0)
    z = x
    for _ in range(actions.N_ROT):
        z = actions.hidden_rotation(z)
    assert float((z - x).abs().max()) < 1e-12                                                         # T⁵ = id
    assert torch.allclose(actions.hidden_rotation(x), tx)


def test_quick_run_writes_results(tmp_path, one_thread):
    result = actions.main(["--quick", "--results", str(tmp_path)])
    saved = json.loads((tmp_path / "actions-quick.json").read_text())
    assert saved["meta"]["commit"] and saved["meta"]["command"].startswith("python benchmarks/actions.py")
    records = saved["records"]
    assert {(r["task"], r["model"]) for r in records} == {(t, m) for t in actions.TASKS for m in ("structured", "mlp")}
    for r in records:
        assert r["n_train"] == 64 and r["params"] > 0 and r["train_s"] > 0
        assert math.isfinite(r["fit_mse"]) and r["fit_mse"] < r["target_var"]    # it learned something
        if r["task"] == "rotation":
            assert math.isfinite(r["other_mse"]) and math.isfinite(r["pair_error"])
        if r["model"] == "structured":
            assert r["law_error"] <= 1e-8
            assert r.get("pair_error", 0.0) <= 1e-8
        else:
            assert r["law_error"] > 1e-3          # an unconstrained MLP does not obey the law
    assert [(row["task"], row["n_train"]) for row in saved["summary"]] == [("reversal", 64), ("rotation", 64)]
    assert all(row["law_ratio"] < 1e-5 for row in saved["summary"])
    assert saved == json.loads(json.dumps(result))
    text = (tmp_path / "actions-quick.md").read_text()
    assert text.startswith("# Learning hidden symmetries")
    assert "molien at" in text and "| 64 | Involution |" in text and "| 64 | NeuralGroupAction C5 |" in text
    assert "| reversal | 64 |" in text and "| rotation | 64 |" in text
