# The two commands of the README: `make demo` (main job) and `make test` (test suite).
PYTHON ?= python3

.PHONY: setup setup-oracles demo test bench

setup:
	./scripts/setup.sh

setup-oracles:
	./scripts/setup.sh --oracles

demo: setup
	molien demo

test: setup-oracles
	$(PYTHON) -m pytest -q

bench: setup-oracles
	$(PYTHON) benchmarks/molien.py
