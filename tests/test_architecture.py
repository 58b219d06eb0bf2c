"""The architecture, enforced: no import cycles (written or hidden in functions), one-way layers
invariants ← bridge ← neural, a dependency-free error module, and no algorithm that asks which
kind of group it was given (`scripts/structure.py` measures all of this for the README)."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def structure():
    spec = importlib.util.spec_from_file_location("structure", ROOT / "scripts" / "structure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.scan()


def test_no_import_cycles(structure):
    assert structure["cycles"] == []
    assert structure["hidden_cycles"] == [], "a function-local import hides a cycle"


def test_layers_import_one_way(structure):
    assert structure["upward_imports"] == []
    for path in (ROOT / "neural").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import flint" not in text and "from flint" not in text, f"{path} uses flint: neural knows nothing of it"
    for path in (ROOT / "invariants").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import torch" not in text, f"{path} imports torch: the engine knows nothing of it"


def test_no_algorithm_switches_on_the_kind_of_group(structure):
    assert structure["type_switches"] == {}


def test_importing_the_errors_loads_nothing_else():
    code = ("import sys, invariants.errors; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('invariants', 'bridge', 'neural', 'flint', 'sympy')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert eval(out) == ["invariants", "invariants._lazy", "invariants.errors"]
