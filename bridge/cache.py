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
import shutil
import stat
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

import sympy

from invariants.errors import BackendError, InputError, MolienError
from invariants.parse import parse_number

FORMAT = "molien.generators/1"
RATIONAL = re.compile(r"-?[0-9]+(/[0-9]+)?")  # the common case, read without the general parser


def cache_root() -> Path:
    """``$MOLIEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/molien``, else ``~/.cache/molien``."""
    root = os.environ.get("MOLIEN_CACHE_DIR")
    if root:
        return Path(root)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "molien"


def private_folder(path: Path) -> Path:
    """``path``, created with mode 0700 when missing, after checking that it and the cache root
    above it are real folders owned by this user that no one else can write: a folder others can
    write would let them plant a kernel (code that runs in this process) or a wrong answer.
    Raises `BackendError` naming the fix.

    Example:
        >>> import tempfile
        >>> folder = private_folder(Path(tempfile.mkdtemp()) / "kernels")
        >>> oct(folder.stat().st_mode & 0o777)
        '0o700'
    """
    path, root = Path(path), cache_root()
    for folder in ([root] if path.parent == root else []) + [path]:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.lstat()
        except OSError as exc:
            raise BackendError(f"cannot create the cache folder {folder} ({exc}): set $MOLIEN_CACHE_DIR to a "
                               "writable private folder") from exc
        problem = ("is a symbolic link" if stat.S_ISLNK(info.st_mode) else
                   "is not a folder" if not stat.S_ISDIR(info.st_mode) else
                   "belongs to another user" if hasattr(os, "getuid") and info.st_uid != os.getuid() else
                   "can be written by other users" if info.st_mode & 0o022 else None)
        if problem:
            raise BackendError(f"the cache folder {folder} {problem}, so files in it could have been planted: "
                               f"run `chmod 700 {folder}` if it is yours, or set $MOLIEN_CACHE_DIR to a private folder")
    return path


def trusted_file(path: Path) -> bool:
    """Whether ``path`` is a regular file of this user that no one else can write, and whose
    content matches the SHA-256 recorded beside it when it was written (`record_digest`): a
    truncated or replaced file is not trusted."""
    try:
        info = path.lstat()
        recorded = digest_path(path).read_text().strip()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == recorded


def record_digest(path: Path) -> None:
    """Write the SHA-256 of ``path`` beside it (atomically), for `trusted_file`."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(digest)
    os.replace(handle.name, digest_path(path))


def digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def remove_stale(folder: Path, older_than: float = 3600.0) -> None:
    """Delete temporary files and folders a killed process left in ``folder`` (older than an hour)."""
    limit = time.time() - older_than
    for entry in folder.glob("tmp*"):
        try:
            if entry.lstat().st_mtime < limit:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        except OSError:
            pass  # another process is cleaning it, or it is not ours


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
    variables = list(variables)

    def encode(polys: list) -> dict:
        return {"variables": [str(v) for v in variables],
                "polynomials": [[expr_terms(c, variables) for c in p] if isinstance(p, (list, tuple))
                                else expr_terms(p, variables) for p in polys]}

    def decode(data: dict) -> list:
        return [[terms_expr(c, variables) for c in p] if isinstance(p, list) else terms_expr(p, variables)
                for p in data["polynomials"]]

    return cached_value("generators", FORMAT, [key, [str(v) for v in variables]], compute, encode, decode,
                        root=root)


def cached_value(kind: str, format: str, key: Any, compute: Callable[[], Any], encode: Callable[[Any], dict],
                 decode: Callable[[dict], Any], *, root: Path | None = None) -> Any:
    """``compute()`` through the disk folder ``kind``: stored as the JSON ``encode(value)`` under a
    hash of (format, engine fingerprint, key), read back by ``decode`` (which must parse, never
    evaluate, and raise on damage: a damaged file is recomputed and replaced)."""
    if not cache_enabled():
        return compute()
    name = hashlib.sha256(json.dumps([format, engine_fingerprint(), key], sort_keys=True,
                                     default=str).encode()).hexdigest()[:32]
    try:
        folder = private_folder((root or cache_root()) / kind)
    except BackendError as exc:  # an unsafe folder is not read: the answer is computed
        warnings.warn(f"{exc}; computing without the cache", stacklevel=3)
        return compute()
    path = folder / f"{name}.json"
    plain_key = json.loads(json.dumps(key, default=str))
    try:
        data = json.loads(path.read_text())
        if data.get("format") == format and data.get("key") == plain_key:
            return decode(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError, MolienError):
        pass  # absent, unreadable or damaged: computed again below, and the file replaced
    value = compute()
    data = {"format": format, "key": plain_key, **encode(value)}
    try:
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as handle:
            json.dump(data, handle, default=str)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home: the result stands, uncached
    return value


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
        number = sympy.Rational(text) if RATIONAL.fullmatch(text) else parse_number(text)
        terms.append(number * sympy.Mul(*[v**e for v, e in zip(variables, expo)]))
    return sympy.Add(*terms)

