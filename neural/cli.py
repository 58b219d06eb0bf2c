"""The `molien` command: the engine's commands (`invariants.cli`), with `demo` extended by the
learning half (`neural.demo`) — kept here so that `invariants` never imports torch."""
from __future__ import annotations

import sys
from typing import Sequence

from invariants import cli as engine_cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``molien ...``; ``molien demo`` runs the exact engine's demo, then the learning one."""
    argv = list(sys.argv[1:] if argv is None else argv)
    code = engine_cli.main(argv)
    if code == 0 and argv[:1] == ["demo"]:
        try:
            import torch  # noqa: F401  (only the learning half needs it)
        except ImportError:
            print("molien demo: the learning half needs torch, which is not installed. `make demo` installs the CPU "
                  "build; by hand: pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",
                  file=sys.stderr)
            return 1
        from .demo import run  # lazily: only the demo needs torch and the models

        run()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
