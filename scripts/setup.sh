#!/usr/bin/env bash
# Install molien and what its tests need on a fresh machine (idempotent).
#   scripts/setup.sh          the package and its Python dependencies (CPU torch included)
#   scripts/setup.sh --oracles  also the computer-algebra oracles the tests cross-check against
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

"$PY" -m pip install -q --disable-pip-version-check -e ".[test]"
# torch: the CPU wheel (a bare `pip install torch` would fetch a multi-GB CUDA build)
"$PY" -c "import torch" 2>/dev/null || "$PY" -m pip install -q --disable-pip-version-check "torch==2.13.0"

if [[ "${1:-}" == "--oracles" ]]; then
  # the computer-algebra systems the tests cross-check against, and the C compiler (Debian packages)
  missing=()
  command -v gap >/dev/null 2>&1 || missing+=(gap)
  command -v Singular >/dev/null 2>&1 || missing+=(singular)
  command -v M2 >/dev/null 2>&1 || missing+=(macaulay2)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)  # method="fused" compiles C (OpenMP: libgomp comes with gcc)
  if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
        || echo "setup: apt-get could not install ${missing[*]}; those oracle tests will be skipped" >&2
    else
      echo "setup: ${missing[*]} missing and this user cannot apt-get install; those oracle tests will be skipped" >&2
    fi
  fi
fi
