"""Every notebook in notebooks/ runs top to bottom (with small sizes), so none of them rot."""
import json
import os
import pathlib
import sys

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted(pathlib.Path(__file__).resolve().parent.parent.joinpath("notebooks").glob("*.ipynb"))


@pytest.fixture
def this_interpreter_kernel(tmp_path_factory, monkeypatch):
    """A kernel spec that runs this interpreter: the machine's "python3" kernel may belong to another
    Python (in a .venv made by the set-up it does), which cannot import molien."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "molien-tests"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f",
                                                           "{connection_file}"],
                                                  "display_name": "molien tests", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(root))
    return "molien-tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, monkeypatch, this_interpreter_kernel):
    monkeypatch.setenv("MOLIEN_SMALL", "1")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name=this_interpreter_kernel,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_there_is_a_notebook():
    assert any(p.name == "01_invariant_theory_tour.ipynb" for p in NOTEBOOKS)
