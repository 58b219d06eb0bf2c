"""Lazy package exports (PEP 562): a package names what it offers without importing it.

Importing ``invariants.errors`` must not load the engine (bridge and neural import it for their
error types), so package ``__init__`` files list ``name -> module`` and load a module on first
use of one of its names.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, __all__)`` for a package whose names live in submodules.

    ``exports`` maps a public name to the module (relative to ``package``) that defines it.

    Example:
        >>> getattr_, dir_, all_ = lazy_exports("invariants", {"MolienError": "errors"})
        >>> getattr_("MolienError").__name__, all_
        ('MolienError', ['MolienError'])
    """
    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)  # later lookups skip this hook
        return value

    def __dir__() -> list[str]:
        return sorted(set(exports) | set(vars(importlib.import_module(package))))

    return __getattr__, __dir__, list(exports)
