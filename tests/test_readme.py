"""Every Python snippet of the README runs as pasted, in a fresh interpreter (#25: snippets that
failed when pasted, or ran for minutes, had drifted from the program)."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SNIPPETS = [(README[:m.start()].count("\n") + 1, m.group(1)) for m in re.finditer(r"```python\n(.*?)```", README, re.S)]


@pytest.mark.parametrize("line, code", SNIPPETS, ids=[f"README.md:{line}" for line, _ in SNIPPETS])
def test_readme_snippet_runs(line, code, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"README.md:{line} failed:\n{done.stderr[-2000:]}"


def test_there_are_snippets():
    assert len(SNIPPETS) >= 10


CONSOLE = [(README[:m.start()].count("\n") + 1, m.group(1)) for m in re.finditer(r"```console\n(.*?)```", README, re.S)]


@pytest.mark.parametrize("line, block", CONSOLE, ids=[f"README.md:{line}" for line, _ in CONSOLE])
def test_readme_console_examples_are_the_program_output(line, block, capsys):
    """``$ molien ...`` then its output, with ``...`` where the README elides: every shown piece
    appears, in order, in what the program prints (whitespace between JSON items aside)."""
    import shlex
    from invariants.cli import main as molien
    command, *shown = block.strip().split("\n")
    assert command.startswith("$ molien ")
    assert molien(shlex.split(command[len("$ molien "):])) == 0
    out = " ".join(capsys.readouterr().out.split())
    position = 0
    for piece in " ".join(" ".join(shown).split()).split("..."):
        piece = piece.strip().rstrip(",").strip()
        if piece:
            found = out.find(piece, position)
            assert found >= 0, f"README.md:{line}: {piece!r} is not in the output of {command!r}:\n{out[:1500]}"
            position = found + len(piece)


def test_readme_result_paths_exist():
    for path in sorted(set(re.findall(r"benchmarks/results/[\w.-]+\.(?:md|json|png)", README))):
        assert (ROOT / path).exists(), f"the README cites {path}, which does not exist"
