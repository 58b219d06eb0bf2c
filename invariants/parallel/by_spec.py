"""Representations as task arguments: `Shipped` sends a representation to a worker as its spec
(`Representation.spec`, which `load_spec` reads back to an equal representation) and rebuilds it
there once per worker process; in this process it is the object itself, nothing rebuilt.

A representation's group, matrices and memos hold flint objects, which do not pickle; its spec is
a short text or a small JSON-like dict.

Example:
    >>> import pickle
    >>> from invariants.catalogue import symmetric
    >>> V = symmetric(3).natural()
    >>> Shipped(V).rep is V
    True
    >>> pickle.loads(pickle.dumps(Shipped(V))).rep == V
    True
"""
from __future__ import annotations

import functools
import json

from invariants.catalogue.spec import load_spec
from invariants.errors import InputError
from invariants.groups.representation import Representation, as_representation


class Shipped:
    """A representation that pickles as its spec."""

    __slots__ = ("rep",)

    def __init__(self, rep: Representation):
        self.rep = rep

    def __reduce__(self):
        spec = self.rep.spec_or_none
        if spec is None:
            raise InputError(f"{self.rep} was built by an algebra the spec grammar does not write, so a cluster's "
                             "workers cannot rebuild it: compute without the cluster, or build it from a spec")
        return (_rebuilt, (spec if isinstance(spec, str) else json.dumps(spec, sort_keys=True),))


def can_ship(rep: Representation) -> bool:
    """Whether `Shipped(rep)` pickles (the representation has a spec)."""
    return rep.spec_or_none is not None


@functools.lru_cache(maxsize=16)  # a worker receives the same representation with every task
def _rebuilt(spec: str) -> Shipped:
    return Shipped(as_representation(load_spec(spec)))
