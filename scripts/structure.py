"""The shape of the code, measured: module sizes, the import graph and its cycles, function-local
imports, type switches, and what importing the error module costs.

    python scripts/structure.py            # a Markdown report on stdout
    python scripts/structure.py --json     # the same numbers as JSON

Module-level imports are the edges of the import graph (``if TYPE_CHECKING`` blocks excluded);
imports inside functions are counted separately: they hide cycles rather than remove them.  A
*type switch* is an ``isinstance``/``hasattr``/``is None`` test that asks which kind of group or
representation an algorithm was given.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("invariants", "bridge", "neural")
# asking which *kind* of group an argument is: an isinstance test against a kind's class outside the
# module that defines it, "order is None" as "compact", or hasattr(..., "order")
KINDS = ("CompactRepresentation", "MatrixGroup", "CompactGroup", "FiniteRepresentation")
SWITCH = re.compile(r"isinstance\([^)]*\b(" + "|".join(KINDS) + r")\b|\border is None\b|\border is not None\b"
                    r"|hasattr\([^)]*\"order\"|\.is_finite\b")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def scan() -> dict:
    modules, graph, hidden, local_imports, switches = {}, nx.DiGraph(), nx.DiGraph(), {}, {}
    files = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))
    names = {module_name(p) for p in files}
    for path in files:
        name = module_name(path)
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        modules[name] = len(text.splitlines())
        graph.add_node(name)
        is_package = path.name == "__init__.py"
        top_level, annotations_only = set(), set()
        for node in tree.body:
            if _type_checking(node):
                annotations_only.update(id(sub) for sub in ast.walk(node))
                continue
            for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else []:
                top_level.add(id(sub))
            if isinstance(node, ast.ClassDef):  # class bodies run at import time; their methods do not
                for item in node.body:
                    if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        for sub in ast.walk(item):
                            top_level.add(id(sub))
        local = 0
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in annotations_only:
                targets = []
                if isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                else:
                    base = resolve(name, node, is_package)
                    targets = [base] + [f"{base}.{a.name}" for a in node.names]
                targets = [t for t in targets if t in names]
                if not targets:
                    continue
                for t in targets:
                    if t != name:
                        hidden.add_edge(name, t)
                        if id(node) in top_level:
                            graph.add_edge(name, t)
                if id(node) not in top_level:
                    local += 1
        local_imports[name] = local
        defined = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
        switches[name] = sum(1 for line in text.splitlines()
                             if (m := SWITCH.search(line)) and not line.lstrip().startswith(("#", ">>>"))
                             and (m.group(1) is None or m.group(1) not in defined))
    # (a package's __init__ also runs before its modules; that implicit edge is left out, so a
    # cycle here is one the code writes, e.g. a.x imports a.y and a.y imports a.x)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    # the same with the function-local imports as edges: cycles that a local import only hides
    hidden_cycles = [sorted(c) for c in nx.strongly_connected_components(hidden) if len(c) > 1]
    layers = {pkg: sum(v for k, v in modules.items() if k.split(".")[0] == pkg) for pkg in PACKAGES}
    upward = sorted((a, b) for a, b in graph.edges if PACKAGES.index(a.split(".")[0]) < PACKAGES.index(b.split(".")[0]))
    return {"modules": modules, "lines": layers, "edges": sorted(graph.edges), "cycles": cycles, "hidden_cycles": hidden_cycles,
            "local_imports": local_imports, "type_switches": {k: v for k, v in switches.items() if v},
            "upward_imports": upward, "import_cost": import_cost()}


def import_cost() -> dict:
    """Modules of each package loaded, and seconds, by ``import invariants.errors`` in a fresh process."""
    out = {}
    for target in ("invariants.errors", "bridge", "neural.training"):
        code = (f"import sys, time; t = time.perf_counter(); import {target}; dt = time.perf_counter() - t; "
                "import json; print(json.dumps([dt, sorted(m for m in sys.modules if m.split('.')[0] in "
                f"{PACKAGES!r})]))")
        try:
            got = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
            seconds, loaded = json.loads(got.stdout.strip().splitlines()[-1])
            out[target] = {"seconds": round(seconds, 3), "modules": len(loaded),
                           "engine_modules": sum(1 for m in loaded if m.startswith("invariants"))}
        except Exception as exc:  # a broken import is itself a finding
            out[target] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def report(data: dict) -> str:
    lines = ["# molien: code structure", ""]
    lines.append("| package | lines | modules | function-local imports | type switches |")
    lines.append("|---|---|---|---|---|")
    for pkg in PACKAGES:
        mods = [m for m in data["modules"] if m.split(".")[0] == pkg]
        lines.append(f"| {pkg} | {data['lines'][pkg]} | {len(mods)} | "
                     f"{sum(data['local_imports'][m] for m in mods)} | "
                     f"{sum(data['type_switches'].get(m, 0) for m in mods)} |")
    lines += ["", f"Import cycles ({len(data['cycles'])}):"]
    lines += [f"- {' ↔ '.join(c)}" for c in data["cycles"]] or ["- none"]
    lines += ["", f"Cycles hidden by function-local imports ({len(data['hidden_cycles'])}):"]
    lines += [f"- {' ↔ '.join(c)}" for c in data["hidden_cycles"]] or ["- none"]
    lines += ["", "Imports against the layering invariants ← bridge ← neural:"]
    lines += [f"- {a} → {b}" for a, b in data["upward_imports"]] or ["- none"]
    lines += ["", "Type switches (module: count):"]
    lines += [f"- {m}: {n}" for m, n in sorted(data["type_switches"].items())] or ["- none"]
    lines += ["", "Import cost in a fresh process:"]
    for target, cost in data["import_cost"].items():
        lines.append(f"- `import {target}`: " + (cost["error"] if "error" in cost else
                     f"{cost['seconds']} s, {cost['modules']} molien modules ({cost['engine_modules']} of the engine)"))
    lines += ["", "Largest modules:"]
    for m, n in sorted(data["modules"].items(), key=lambda kv: -kv[1])[:12]:
        lines.append(f"- {m}: {n} lines")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    data = scan()
    print(json.dumps(data, indent=1) if "--json" in argv else report(data))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
