"""Group specifications: catalogue names or JSON files, as accepted by the `molien` CLI.

JSON file format (a public contract, documented in the README)::

    {"field": "QQ" | "QQ(sqrt(5))" | "QQ(i)" | "QQ(zeta_7)",
     "generators": [[["0", "-1"], ["1", "0"]], ...],
     "name": "optional display name"}

Entries are strings (or integers) that sympy parses to numbers of the field.
"""
from __future__ import annotations

import json
import os
from typing import Any

from invariants.errors import InputError, MolienError
from invariants.groups.finite.group import MatrixGroup


def load_spec(spec: Any) -> Any:
    """A group from a catalogue name (``"weyl(E8)"``), a JSON file path, or a JSON-like dict;
    or a compact group's representation (``"SO(3):1,1,2"``, ``{"group": "O(3)", ...}``; see
    `invariants.catalogue.compact_spec`).

    Example:
        >>> load_spec({"field": "QQ", "generators": [[["0", "-1"], ["1", "0"]]]}).order()
        4
    """
    from invariants.groups.compact.representation import CompactRepresentation
    from invariants.catalogue.compact_spec import compact_from_dict, compact_from_string, is_compact_spec

    if isinstance(spec, (MatrixGroup, CompactRepresentation)):
        return spec
    if isinstance(spec, dict):
        return compact_from_dict(spec) if is_compact_spec(spec) else _from_dict(spec, "spec")
    text = str(spec).strip()
    if text.endswith(".json") or os.path.isfile(text):
        if not os.path.isfile(text):
            raise InputError(f"no such file {text!r}: give a catalogue name or the path of a JSON spec")
        try:
            with open(text, encoding="utf-8") as fh:
                data = json.load(fh)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{text} is not valid UTF-8 JSON: {exc}") from None
        if is_compact_spec(data):
            return compact_from_dict(data)
        return _from_dict(data, os.path.basename(text))
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"the spec looks like JSON but does not parse: {exc}") from None
        return compact_from_dict(data) if is_compact_spec(data) else _from_dict(data, "spec")
    if is_compact_spec(text):
        return compact_from_string(text)
    from invariants.catalogue import by_name

    try:
        return by_name(text)
    except MolienError:
        raise
    except (TypeError, ValueError, SyntaxError) as exc:
        raise InputError(f"cannot build {text!r} from the catalogue: {exc}; see `molien catalogue`") from None


def _from_dict(data: Any, default_name: str) -> MatrixGroup:
    if not isinstance(data, dict) or "generators" not in data:
        raise InputError('a JSON spec needs {"field": ..., "generators": [matrix, ...]}')
    gens = data["generators"]
    if not isinstance(gens, list) or not gens:
        raise InputError('"generators" must be a non-empty list of matrices (lists of rows of strings)')
    for g in gens:
        if not isinstance(g, list) or not all(isinstance(r, list) for r in g):
            raise InputError("each generator must be a list of rows, each row a list of entries")
        for row in g:
            for x in row:
                if isinstance(x, float):
                    raise InputError(
                        f"the entry {x!r} is a JSON float; write exact values as strings, e.g. \"1/2\" or \"sqrt(5)/4\"")
    name = data.get("name", default_name)
    return MatrixGroup(gens, data.get("field", "QQ"), name=str(name))
