#!/usr/bin/env bash
# Install molien and what its tests need on a fresh machine (idempotent).
#   scripts/setup.sh            the package and its Python dependencies (CPU torch included)
#   scripts/setup.sh --oracles  also the computer-algebra oracles the tests cross-check against
# The interpreter it installed into is written to .molien-python; `make demo` and `make test` use it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
say() { echo "setup: $*" >&2; }

# A system Python that is "externally managed" (PEP 668: Debian 12, Ubuntu ≥ 23.04) refuses pip
# installs: then work in a virtual environment, .venv, of its own (not seeing the distribution's Python
# packages: Debian's matplotlib, pulled in by the oracles, breaks a newer pip matplotlib's 3-d plots).
if [[ -z "${VIRTUAL_ENV:-}" ]] && "$PY" -c 'import os, sys, sysconfig
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
  if [[ ! -x .venv/bin/python ]]; then
    say "$PY is externally managed (PEP 668): creating the virtual environment .venv"
    "$PY" -m venv .venv || {
      say "could not create .venv: install the venv module (Debian/Ubuntu: apt-get install python3-venv) and rerun"
      exit 1; }
  fi
  PY=$PWD/.venv/bin/python
fi
echo "$PY" > .molien-python

say "installing molien and its test extras into $("$PY" -c 'import sys; print(sys.prefix)')"
"$PY" -m pip install -q --disable-pip-version-check -e ".[test]"
# torch: the CPU build when no NVIDIA GPU is present (PyPI's default wheel is a multi-GB CUDA build)
if ! "$PY" -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
    say "installing torch 2.13.0 (CUDA build: a GPU is present; several GB)"
    "$PY" -m pip install --disable-pip-version-check --progress-bar on "torch==2.13.0"
  else
    say "installing torch 2.13.0, CPU build (about 200 MB)"
    "$PY" -m pip install --disable-pip-version-check --progress-bar on "torch==2.13.0" \
        --index-url https://download.pytorch.org/whl/cpu --retries 1 --timeout 20 \
      || "$PY" -m pip install --disable-pip-version-check --progress-bar on "torch==2.13.0+cpu" \
      || { say "the CPU wheel index is unreachable: falling back to PyPI's torch==2.13.0";
           "$PY" -m pip install --disable-pip-version-check --progress-bar on "torch==2.13.0"; }
  fi
fi

if [[ "${1:-}" == "--oracles" ]]; then
  # the computer-algebra systems the tests cross-check against, and the C compiler (Debian packages),
  # one at a time: a package the distribution lacks costs only its own tests
  missing=()
  command -v gap >/dev/null 2>&1 || missing+=(gap)
  command -v Singular >/dev/null 2>&1 || missing+=(singular)
  command -v M2 >/dev/null 2>&1 || missing+=(macaulay2)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)  # method="fused" compiles C (OpenMP: libgomp comes with gcc)
  if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      say "installing ${missing[*]} with apt-get (GAP, Singular and Macaulay2 are a few hundred MB together)"
      apt-get update -q || say "apt-get update failed; trying the packages anyway"
      for package in "${missing[@]}"; do
        say "apt-get install $package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" \
          || say "apt-get could not install $package; its tests will be skipped"
      done
    else
      say "${missing[*]} missing and this user cannot apt-get install; those tests will be skipped"
    fi
  fi
fi
