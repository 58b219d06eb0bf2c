"""The generalisation benchmark runs end to end on a tiny grid, resumes, and tells the models apart."""
import json
import pathlib
import sys

import torch

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import generalisation  # noqa: E402


def test_targets_have_their_symmetry():
    gen = torch.Generator().manual_seed(0)
    p = torch.randn(50, 4, 3, dtype=torch.float64, generator=gen)
    q, _ = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64, generator=gen))
    rotation = q * torch.sign(torch.linalg.det(q))
    for name, family in generalisation.FAMILIES.items():
        for g in (rotation, -rotation):  # a rotation, and a reflection (det −1)
            moved, still = family.target(p @ g.T), family.target(p)
            if family.vector:
                sign = torch.linalg.det(g) if family.e3nn_out == "1e" else 1.0   # an axial vector
                expected = sign * still @ g.T
            else:
                expected = still * (torch.linalg.det(g) if family.e3nn_out == "0o" else 1.0)
            assert torch.allclose(moved, expected, atol=1e-9), (name, float(torch.linalg.det(g)))


def test_tiny_grid_writes_results_and_resumes(tmp_path, one_thread):
    args = ["--families", "so3_chiral", "--models", "molien,mlp+aug", "--points", "3", "--sizes", "100",
            "--seeds", "1", "--test", "200", "--val", "50", "--steps", "20", "--results", str(tmp_path), "--out", "t"]
    runs = generalisation.main(args)
    smse = {r.model: r.test_smse for r in runs}
    assert smse["molien"] < 1e-10          # the chiral target lies in a homogeneous path of the generators
    assert smse["mlp+aug"] > 0.5           # 20 steps of an augmented MLP learn next to nothing
    saved = json.loads((tmp_path / "t.json").read_text())
    assert {(r["model"], r["k"], r["n_train"]) for r in saved} == {("molien", 3, 100), ("mlp+aug", 3, 100)}
    assert "| so3_chiral | 3 | 100 |" in (tmp_path / "t.md").read_text()
    again = generalisation.main(args + ["--resume"])  # nothing left to do: the saved runs come back
    assert sorted((r.model, r.test_smse) for r in again) == sorted((r.model, r.test_smse) for r in runs)
