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
        from .demo import run  # lazily: only the demo needs torch and the models

        run()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
