"""Catalogue groups remember the call that built them, as their spec (``symmetric(3)``), so that
they print as that call and `load_spec` rebuilds them from it."""
from __future__ import annotations

import functools
from typing import Any, Callable


def catalogued(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a catalogue function: the group it returns gets the call's text as its spec.

    Example:
        >>> from invariants.catalogue import cyclic
        >>> cyclic(5, "diagonal")
        cyclic(5, 'diagonal')
    """
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        group = func(*args, **kwargs)
        group._spec = call_text(func.__name__, args, kwargs)
        return group

    return wrapper


def call_text(name: str, args: tuple, kwargs: dict) -> str:
    """``name(a, b, key=value)``: a Python call that is also a catalogue name (`by_name`).

    Example:
        >>> call_text("cyclic", (4,), {"weights": (1, 3)})
        'cyclic(4, weights=(1, 3))'
    """
    parts = [_text(a) for a in args] + [f"{k}={_text(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def _text(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    return repr(value.strip()) if isinstance(value, str) else str(value)
