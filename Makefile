# The two commands of the README: `make demo` (main job) and `make test` (test suite).
# scripts/setup.sh installs into python3, or into .venv where python3 is externally managed (PEP 668),
# and writes the interpreter it used to .molien-python: the targets run that one.
PYTHON ?= python3
export PYTHON
RUN = "$$(cat .molien-python)"

.PHONY: setup setup-oracles demo test bench

setup:
	./scripts/setup.sh

setup-oracles:
	./scripts/setup.sh --oracles

demo: setup
	$(RUN) -m neural.cli demo

test: setup-oracles
	$(RUN) -m pytest -q

bench: setup-oracles
	$(RUN) benchmarks/molien.py
