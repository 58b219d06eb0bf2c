"""benchmarks/cluster.py --quick runs end to end: each computation serially, on local clusters of 1
and 2 workers and under torchrun with 1 and 2 processes, every answer checked equal to the serial
one by the script before a time is reported (its asserts fail the run otherwise)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parent.parent


def test_quick_cluster_benchmark_reports_every_setting(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cluster.py"), "--quick", "--results", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads((tmp_path / "cluster-quick.json").read_text())["rows"]
    settings: dict[str, list[str]] = {}
    for row in rows:
        settings.setdefault(row["work"].split(" (")[0].split(",")[0], []).append(row["setting"])
        assert row["seconds"] > 0
    assert sorted(settings.values()) == sorted([["serial", "local:1", "local:2"]] * 3 + [["torchrun × 1", "torchrun × 2"]])
    assert "| speed-up |" in (tmp_path / "cluster-quick.md").read_text()
