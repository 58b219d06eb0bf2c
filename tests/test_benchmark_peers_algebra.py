"""The peers benchmark (benchmarks/peers_algebra.py) runs its quick mode end to end: one tiny case per
section, ours always, each peer only when installed (else its rows say "not installed")."""
import json
import pathlib
import shutil
import sys

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import peers_algebra  # noqa: E402


def test_quick_mode_runs_and_agrees(tmp_path):
    record = peers_algebra.main(["--quick", "--timeout", "60", "--results", str(tmp_path), "--out", "p"])
    rows = record["rows"]
    assert {r["section"] for r in rows} == {"1 modular rings", "2 Reynolds", "3 character tables", "4 Derksen"}
    for r in rows:
        peer = r["peer_result"]
        if r["section"].startswith("3") and not shutil.which("gap"):
            assert peer["status"] == "not installed"  # no GAP: no library table to read, nothing of ours to time
            continue
        assert r["ours"]["status"] == "ok", r
        assert r["basis_agree"] in ("yes", "— (no basis)"), r
        if not shutil.which(peers_algebra.PEERS[r["peer"]][0]):
            assert peer["status"] == "not installed"
        elif r["peer"] == "M2" and r["section"].startswith("1") and r["task"] != "Q8 over GF(3) (non-modular)":
            assert peer["status"] == "refused"  # Macaulay2 does not do the modular case
        else:
            assert peer["status"] == "ok" and r["agree"].startswith("yes"), r
    by_task = {r["task"]: r for r in rows}
    assert by_task["GL_2(F_3)"]["ours"]["gen"] == [6, 8]  # Dickson
    assert by_task["SL2 on binary quadratics"]["ours"]["gen"] == [2]  # the discriminant
    saved = json.loads((tmp_path / "p.json").read_text())
    assert len(saved["rows"]) == len(rows) and "startup_seconds" in saved["meta"]
    assert "| 1 modular rings | GL_2(F_3) |" in (tmp_path / "p.md").read_text()
