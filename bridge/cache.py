"""The disk cache: exact generator sets the bridge compiled before, and native kernels.

Everything lives under ``$MOLIEN_CACHE_DIR`` (default ``$XDG_CACHE_HOME/molien``, else
``~/.cache/molien``).  Generator sets are JSON files of exact terms, read back through molien's
whitelist number parser (a file cannot run code; no pickle).  Their key is the representation's
spec, the request (degree bound, target representation) and a fingerprint of the engine's
source, so a changed engine never serves an old answer.  A file that does not parse is
recomputed and overwritten; writes are atomic (a temporary file renamed), so two processes
filling the cache at once leave one whole file.

Example:
    >>> import sympy, tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> x = sympy.symbols("x0:2")
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return [x[0] + x[1], x[0] * x[1]]
    >>> key = {"what": "doctest", "spec": "symmetric(2)"}
    >>> first = cached_polynomials(key, list(x), compute, root=root)
    >>> again = cached_polynomials(key, list(x), compute, root=root)
    >>> again == first, len(calls)
    (True, 1)
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

import sympy

from invariants.errors import InputError, MolienError
from invariants.parse import parse_number

FORMAT = "molien.generators/1"
_RATIONAL = re.compile(r"-?[0-9]+(/[0-9]+)?")  # the common case, read without the general parser


def cache_root() -> Path:
    """``$MOLIEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/molien``, else ``~/.cache/molien``."""
    root = os.environ.get("MOLIEN_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "molien"


def cache_enabled() -> bool:
    """False when ``$MOLIEN_CACHE`` is ``0``/``off``: every result is then computed afresh."""
    return os.environ.get("MOLIEN_CACHE", "1").lower() not in ("0", "off", "false", "no")


@functools.lru_cache(maxsize=None)
def engine_fingerprint() -> str:
    """A hash of the exact engine's source (the ``invariants`` package): cached answers are
    answers of this code."""
    package = Path(__file__).resolve().parent.parent / "invariants"
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def cached_polynomials(key: dict, variables: Sequence[sympy.Symbol],
                       compute: Callable[[], list], *, root: Path | None = None) -> list:
    """``compute()`` (a list of polynomials, or of lists of polynomials: map components) through the
    disk cache, under ``key`` (JSON-able; what the list is of).  Without a usable cache folder, or
    with ``$MOLIEN_CACHE=0``, the computation just runs."""
    if not cache_enabled():
        return compute()
    variables = list(variables)
    name = hashlib.sha256(json.dumps([FORMAT, engine_fingerprint(), key, [str(v) for v in variables]],
                                     sort_keys=True, default=str).encode()).hexdigest()[:32]
    folder = (root or cache_root()) / "generators"
    path = folder / f"{name}.json"
    try:
        data = json.loads(path.read_text())
        if data.get("format") == FORMAT and data.get("key") == json.loads(json.dumps(key, default=str)):
            return [[terms_expr(c, variables) for c in p] if isinstance(p, list) else terms_expr(p, variables)
                    for p in data["polynomials"]]
    except (OSError, ValueError, KeyError, TypeError, MolienError):
        pass  # absent, unreadable or damaged: computed again below, and the file replaced
    polys = compute()
    data = {"format": FORMAT, "key": key, "variables": [str(v) for v in variables],
            "polynomials": [[expr_terms(c, variables) for c in p] if isinstance(p, (list, tuple))
                            else expr_terms(p, variables) for p in polys]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as handle:
            json.dump(data, handle, default=str)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home: the result stands, uncached
    return polys


def expr_terms(p: Any, variables: Sequence[sympy.Symbol]) -> dict:
    """A polynomial as plain data: exponent vectors and exact coefficient strings."""
    poly = sympy.Poly(p, *variables)
    return {"terms": [[list(e), sympy.sstr(c)] for e, c in poly.terms()]}


def terms_expr(data: dict, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """Rebuild a polynomial from `expr_terms`; coefficients go through molien's whitelist parser
    (digits, + - * / ** ( ), sqrt, I, …), so a file cannot run code."""
    if not isinstance(data, dict) or "terms" not in data:
        raise InputError("a stored polynomial is {'terms': [[exponents, coefficient], ...]}")
    terms = []
    for expo, coeff in data["terms"]:
        if len(expo) != len(variables) or not all(isinstance(e, int) and e >= 0 for e in expo):
            raise InputError(f"bad exponent vector {expo!r} for {len(variables)} variables")
        text = str(coeff)
        number = sympy.Rational(text) if _RATIONAL.fullmatch(text) else parse_number(text)
        terms.append(number * sympy.Mul(*[v**e for v, e in zip(variables, expo)]))
    return sympy.Add(*terms)

