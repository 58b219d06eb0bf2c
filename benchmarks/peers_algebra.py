"""Time molien's newest algebra against Singular, Macaulay2 and GAP doing the same computations, in one run.

    python benchmarks/peers_algebra.py            # every case (each call gets --timeout seconds)
    python benchmarks/peers_algebra.py --quick    # one tiny case per section (smoke test)

Sections (one row per task and peer):

1. **modular invariant rings** over GF(p): ours = ``invariant_ring(MatrixGroup(gens, field="GF(p)"))``
   (a ``ModularInvariantRing``: minimal generators with Kemper's or Symonds' certificate; the ordinary
   ``InvariantRing`` for the non-modular Q8 over GF(3)); Singular = finvar.lib's ``invariant_ring``
   (primary invariants P and module generators S over K[P]); Macaulay2 = ``invariants
   finiteAction(gens, ZZ/p[x])`` (King), which refuses the modular case ("refused").  Agreement:
   Singular's degrees of P and of S∖{1} equal our generator degrees (a polynomial ring: S = {1}
   and P our generators); in the non-modular case the series Σ t^deg S / ∏(1 − t^deg P) equals our
   Molien series; Macaulay2's generator degrees equal ours.
2. **Reynolds operator**: ours = ``reynolds(G, f)`` (default method); Macaulay2 =
   ``reynoldsOperator(f, finiteAction(gens, QQ[x]))``.  Agreement: the two polynomials are equal.
3. **Molien series from a character table**: ours = ``molien_series_from_character(CharacterTable(...),
   chi)`` on GAP's library table, exported once before the timings; GAP = ``MolienSeries(tbl,
   Irr(tbl)[k])``.  Agreement: the two rational functions are equal.
4. **Derksen's algorithm**: ours = ``reductive_invariant_ring(LinearlyReductiveAction(...))``;
   Macaulay2 = ``invariants linearlyReductiveAction(I, transpose A, S)``.  Agreement: the sorted
   generator degrees are equal.
5. **a second basis** (the columns "ours, 2nd basis"): the same computation for the group conjugated by a
   random invertible matrix P (over GF(p) in section 1, over QQ elsewhere; the polynomial f(P⁻¹x) in
   section 2).  Agreement: the same generator degrees (sections 1, 4), R'(x) = R(f)(P⁻¹x) (section 2).

Times.  Ours: wall time inside a forked worker of this process (the modules are imported and warmed
up once before), around building the group or action and the computation.  Peers: a fresh process
per call; "peer" is its wall time minus the start-up of an empty script with the same library
loaded (measured once per run, min of a few, stated in the header; never less than "peer inside",
since start-up varies by a few ms between runs), "peer inside" is the peer's own
timer around the computation alone (Singular ``rtimer``, Macaulay2 ``elapsedTiming``, GAP
``NanosecondsSinceEpoch``): it leaves out parsing the input and, for GAP, loading the table.  The
ratio is peer (wall − start-up) / ours; "ratio inside" uses the peer's own timer.  Every call has
a timeout (``--timeout``), recorded as "timeout".
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the peers' parsers live with the oracle tests
sys.path.insert(0, str(ROOT))

import sympy  # noqa: E402

from oracles import parse_gap_rational  # noqa: E402

from invariants import (CharacterTable, LinearlyReductiveAction, MatrixGroup, invariant_ring,  # noqa: E402
                        molien_series_from_character, reductive_invariant_ring)
from invariants.catalogue import coxeter, symmetric, weyl  # noqa: E402
from invariants.groups.reductive.examples import sl2_binary_forms, torus  # noqa: E402
from invariants.rings.reynolds import reynolds  # noqa: E402
from invariants.series.hilbert import HilbertSeries  # noqa: E402

PEERS = {"Singular": ["Singular", "-q"], "M2": ["M2", "--script"], "GAP": ["gap", "-q", "-b"]}
EMPTY = {"Singular": 'LIB "finvar.lib";\nring R = 0, (x(1..2)), dp;\nprint("@@DONE");\nquit;\n',
         "M2": 'needsPackage "InvariantRing";\nprint("@@DONE");\n',
         "GAP": 'Print("@@DONE\\n");\nQUIT;\n'}
SUFFIX = {"Singular": ".sing", "M2": ".m2", "GAP": ".g"}
TIME_UNIT = {"Singular": 1e-6, "M2": 1.0, "GAP": 1e-9}  # the peers' own timers: µs ticks, s, ns
SEED = 2026


# -- the cases ---------------------------------------------------------------------------------------------

def _transvection(n: int, i: int, j: int) -> list[list[int]]:
    return [[int(r == c) + int((r, c) == (i, j)) for c in range(n)] for r in range(n)]


def _gl(n: int, q: int) -> list:
    gens = [_transvection(n, i, j) for i in range(n) for j in range(n) if i != j]
    root = int(sympy.primitive_root(q))
    if root != 1:
        gens.append([[(root if r == 0 else 1) if r == c else 0 for c in range(n)] for r in range(n)])
    return gens


def _swaps(copies: int) -> list:
    g = [[0] * (2 * copies) for _ in range(2 * copies)]
    for i in range(copies):
        g[2 * i][2 * i + 1] = g[2 * i + 1][2 * i] = 1
    return [g]


MODULAR = {  # name -> (generators, p)
    "GL_2(F_3)": (_gl(2, 3), 3),
    "GL_3(F_2)": (_gl(3, 2), 2),
    "SL_2(F_5)": ([_transvection(2, 0, 1), _transvection(2, 1, 0)], 5),
    "U_3(F_3)": ([_transvection(3, 0, 1), _transvection(3, 1, 2)], 3),
    "Z/2 on 2 regular reps, GF(2)": (_swaps(2), 2),
    "Q8 over GF(3) (non-modular)": ([[[0, 1], [-1, 0]], [[1, 1], [1, -1]]], 3),
}

x = sympy.symbols("x0:6")
REYNOLDS = {  # name -> (group factory, polynomial)
    "W(F4) (1152), x0^4*x1 + x2*x3": (lambda: coxeter("F4"), x[0]**4 * x[1] + x[2] * x[3]),
    "W(F4) (1152), x0^3*x1^2*x2*x3^2": (lambda: coxeter("F4"), x[0]**3 * x[1]**2 * x[2] * x[3]**2),
    "W(F4) (1152), deg-6 mixed": (lambda: coxeter("F4"), 3 * x[0]**6 - x[1]**2 * x[2]**3 * x[3] + 2 * x[0] * x[3]**2 + 5),
    "S_6 permuting 6, x0^3*x1^2*x2 + x3*x4": (lambda: symmetric(6), x[0]**3 * x[1]**2 * x[2] + x[3] * x[4]),
    "S_6 permuting 6, x0^2*x1^2*x2^2*x3*x4*x5": (lambda: symmetric(6), x[0]**2 * x[1]**2 * x[2]**2 * x[3] * x[4] * x[5]),
    "D6 = W(G2) conjugated, x0^5*x1 + x1^3": (lambda: _conjugated_q(weyl("G2"), 7), x[0]**5 * x[1] + x[1]**3),
    "D4 conjugated, (x0 + 2*x1)^6": (lambda: _conjugated_q(MatrixGroup([[[0, -1], [1, 0]], [[1, 0], [0, -1]]]), 8),
                                     (x[0] + 2 * x[1])**6),
}

CHARACTERS = {  # name -> (GAP library table, GAP index of the irreducible)
    "A5, Irr[2] (dim 3)": ("A5", 2), "A5, Irr[4] (dim 4)": ("A5", 4),
    "L2(7), Irr[2] (dim 3)": ("L2(7)", 2), "L2(7), Irr[4] (dim 6)": ("L2(7)", 4),
    "M11, Irr[2] (dim 10)": ("M11", 2), "M11, Irr[5] (dim 11)": ("M11", 5),
    "M22, Irr[2] (dim 21)": ("M22", 2),
}

_a, _b, _c, _d = sympy.symbols("a b c d")


def _sl2_two_copies() -> LinearlyReductiveAction:
    g = sympy.Matrix([[_a, _b], [_c, _d]])
    return LinearlyReductiveAction([_a * _d - _b * _c - 1], sympy.diag(g, g), [_a, _b, _c, _d])


DERKSEN = {  # name -> action factory
    "SL2 on binary quadratics": lambda: sl2_binary_forms(2),
    "SL2 on binary cubics": lambda: sl2_binary_forms(3),
    "SL2 on binary quartics": lambda: sl2_binary_forms(4),
    "SL2 on C^2 + C^2": _sl2_two_copies,
    "torus (C*)^2, weights (1,0),(0,1),(-1,-1),(2,-1)": lambda: torus([[1, 0], [0, 1], [-1, -1], [2, -1]]),
}

QUICK = {"modular": ["GL_2(F_3)"], "reynolds": ["D4 conjugated, (x0 + 2*x1)^6"],
         "character": ["A5, Irr[2] (dim 3)"], "derksen": ["SL2 on binary quadratics"]}


# -- second bases --------------------------------------------------------------------------------------------

def _random_matrix_q(n: int, seed: int) -> sympy.Matrix:
    rng = random.Random(seed)
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        if P.det() != 0:
            return P


def _random_matrix_p(n: int, p: int, seed: int) -> sympy.Matrix:
    rng = random.Random(seed)
    while True:
        P = sympy.Matrix(n, n, lambda i, j: rng.randrange(p))
        if P.det() % p:
            return P


def _conjugated_q(G: MatrixGroup, seed: int) -> MatrixGroup:
    P = _random_matrix_q(G.degree, seed)
    return MatrixGroup([(P * g.to_sympy() * P.inv()).tolist() for g in G.generators])


def _conjugated_gens_p(gens: list, p: int, seed: int) -> list:
    P = _random_matrix_p(len(gens[0]), p, seed)
    Pinv = P.inv_mod(p)
    return [((P * sympy.Matrix(g) * Pinv).applyfunc(lambda e: e % p)).tolist() for g in gens]


def _conjugated_action(A: LinearlyReductiveAction, seed: int) -> LinearlyReductiveAction:
    P = _random_matrix_q(A.n, seed)
    M = (P * sympy.Matrix(A.matrix) * P.inv()).applyfunc(sympy.expand)
    return LinearlyReductiveAction(list(A.ideal), M, A.group_variables)


# -- our side: a forked worker per call, with a timeout ------------------------------------------------------

def _child(fn: Callable[[], dict], conn) -> None:
    try:
        out = ("ok", fn())
    except BaseException as exc:  # noqa: BLE001 - reported, not raised
        out = ("error", f"{type(exc).__name__}: {str(exc).splitlines()[0][:240] if str(exc) else ''}")
    conn.send(out)
    conn.close()


def run_ours(fn: Callable[[], dict], timeout: float) -> dict:
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, writer))
    proc.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            proc.kill()
            return {"status": "timeout"}
        status, out = reader.recv()
    except EOFError:
        return {"status": f"error: the worker died (exit code {proc.exitcode})"}
    finally:
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return {"status": "ok", **out} if status == "ok" else {"status": "error", "error": out}


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    value = work()
    return value, time.perf_counter() - t0


def ours_modular(gens: list, p: int) -> dict:
    def work():
        R = invariant_ring(MatrixGroup(gens, field=f"GF({p})"))
        return R, R.generator_degrees, R.certificate
    (R, degrees, cert), t = _timed(work)
    out = {"time": t, "gen": sorted(degrees), "kind": type(R).__name__, "certificate": str(cert).splitlines()[0][:200]}
    if type(R).__name__ == "ModularInvariantRing":
        out["complete"] = bool(cert.complete)
        out["polynomial_ring"] = bool(cert.polynomial_ring)
    else:  # the series, for Singular's Hironaka decomposition (after the timing)
        out["complete"] = bool(cert.certified)
        s = R.molien
        out["series"] = ([int(c) for c in s.numerator.coeffs()], [int(c) for c in s.denominator.coeffs()])
    return out


def ours_reynolds(make: Callable[[], MatrixGroup], f: sympy.Expr) -> dict:
    (G, r), t = _timed(lambda: (lambda G: (G, reynolds(G, f)))(make()))
    return {"time": t, "poly": str(r), "order": G.order()}


def ours_character(data: dict, k: int) -> dict:
    def work():
        table = CharacterTable(data["sizes"], data["orders"], data["power_maps"], data["names"])
        return molien_series_from_character(table, data["chars"][k])
    s, t = _timed(work)
    return {"time": t, "text": str(s),
            "series": ([int(c) for c in s.numerator.coeffs()], [int(c) for c in s.denominator.coeffs()])}


def ours_derksen(make: Callable[[], LinearlyReductiveAction]) -> dict:
    R, t = _timed(lambda: reductive_invariant_ring(make()))
    return {"time": t, "gen": sorted(R.generator_degrees), "complete": bool(R.certificate.complete),
            "generators": [str(g) for g in R.generators][:6]}


def warm_up() -> None:
    """Import and exercise every route once, so the workers (forked from here) time only the work."""
    for gens, p in (([[[1, 1], [0, 1]], [[1, 0], [1, 1]]], 2), ([[[0, 1], [-1, 0]]], 3), (_swaps(1), 2)):
        R = invariant_ring(MatrixGroup(gens, field=f"GF({p})"))
        R.generator_degrees, str(R.certificate)
    for method in ("orbits", "average", "projection"):
        reynolds(symmetric(3), x[0] ** 2 * x[1], method=method)
    S3 = CharacterTable([1, 3, 2], [1, 2, 3], {2: [0, 0, 2], 3: [0, 1, 0]})
    molien_series_from_character(S3, [2, 0, "E(3)+E(3)^2"])
    reductive_invariant_ring(sl2_binary_forms(2))
    reductive_invariant_ring(torus([[1], [-1]]))


# -- the peers' side -----------------------------------------------------------------------------------------

def run_peer(system: str, script: str, timeout: float, startup: float = 0.0) -> dict:
    """Run ``script`` in a fresh process of ``system``: {"status", "time" (wall − start-up), "wall",
    "inside" (its own timer), and the "@@KEY value" lines it printed}."""
    if not shutil.which(PEERS[system][0]):
        return {"status": "not installed"}
    with tempfile.TemporaryDirectory(prefix="molien-peer-") as tmp:
        path = Path(tmp) / ("job" + SUFFIX[system])
        path.write_text(script)
        t0 = time.perf_counter()
        proc = subprocess.Popen(PEERS[system] + [str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True, cwd=tmp)
        try:
            out, err = proc.communicate(timeout=timeout + startup)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the group holds only the process started here
            except ProcessLookupError:
                pass
            proc.communicate()
            return {"status": "timeout"}
        wall = time.perf_counter() - t0
    out = out.replace("\\\n", "")  # GAP's line continuations
    found = {m.group(1): m.group(2).strip() for m in re.finditer(r"^@@(\w+) ?(.*)$", out, re.M)}
    if "DONE" not in found:
        text = (err + out).strip()
        if "Not implemented in the modular case" in text:
            return {"status": "refused", "wall": wall, "message": "Not implemented in the modular case"}
        last = [line for line in text.splitlines() if line.strip()][-1:] or ["no output"]
        return {"status": "error", "error": last[0][:200], "wall": wall}
    res = {"status": "ok", "wall": wall, "time": max(wall - startup, 1e-4), **found}
    if "TIME" in found:
        res["inside"] = float(found["TIME"]) * TIME_UNIT[system]
        res["time"] = max(res["time"], res["inside"])  # the subtraction cannot go below the peer's own timer
    return res


def startup_time(system: str, repeats: int) -> float | None:
    walls = [r["wall"] for r in (run_peer(system, EMPTY[system], 120) for _ in range(repeats)) if r["status"] == "ok"]
    return min(walls) if walls else None


def peer_version(system: str) -> str:
    scripts = {"Singular": 'print("@@V " + string(system("version")));\nprint("@@DONE");\nquit;\n',
               "M2": 'print("@@V " | version#"VERSION");\nprint("@@DONE");\n',
               "GAP": 'Print("@@V ", GAPInfo.Version, "\\n@@DONE\\n");\nQUIT;\n'}
    res = run_peer(system, scripts[system], 60)
    if res["status"] != "ok":
        return res["status"]
    return res.get("V") or "?"


def _m2_matrix(rows) -> str:
    return "matrix{" + ", ".join("{" + ", ".join(str(e).replace("**", "^") for e in row) + "}" for row in rows) + "}"


def singular_modular_script(gens: list, p: int, modular: bool) -> str:
    n = len(gens[0])
    names = [f"A{i}" for i in range(len(gens))]
    lines = ['LIB "finvar.lib";', 'system("--ticks-per-sec", 1000000);', f"ring R = {p}, (x(1..{n})), dp;"]
    lines += [f"matrix {nm}[{n}][{n}] = {','.join(str(e) for row in g for e in row)};" for nm, g in zip(names, gens)]
    lines += ["int t0 = rtimer;", f"matrix P, S{', IS' if not modular else ''} = invariant_ring({', '.join(names)});",
              'print("@@TIME " + string(rtimer - t0));', "int i; string s;"]
    for label in ("P", "S"):
        lines += [f's = "@@{label}";', f"for (i = 1; i <= ncols({label}); i++) {{ s = s + \" \" + string(deg({label}[1,i])); }}",
                  "print(s);"]
    return "\n".join(lines + ['print("@@DONE");', "quit;"]) + "\n"


def m2_finite_script(gens: list, p: int) -> str:
    n = len(gens[0])
    return (f'needsPackage "InvariantRing";\nR = ZZ/{p}[x_1..x_{n}];\n'
            f"G = finiteAction({{{', '.join(_m2_matrix(g) for g in gens)}}}, R);\n"
            "T = elapsedTiming invariants G;\n"
            'print("@@TIME " | toString(T#0));\n'
            'print("@@GEN " | toString sort apply(T#1, f -> first degree f));\nprint("@@DONE");\n')


def m2_reynolds_script(G: MatrixGroup, f: sympy.Expr) -> str:
    n = G.degree
    text = re.sub(r"x(\d+)", r"x_\1", str(sympy.expand(f)).replace("**", "^"))
    return (f'needsPackage "InvariantRing";\nR = QQ[x_0..x_{n - 1}];\n'
            f"G = finiteAction({{{', '.join(_m2_matrix(g.to_sympy().tolist()) for g in G.generators)}}}, R);\n"
            f"T = elapsedTiming reynoldsOperator({text}, G);\n"
            'print("@@TIME " | toString(T#0));\nprint("@@POLY " | toString(T#1));\nprint("@@DONE");\n')


def m2_derksen_script(A: LinearlyReductiveAction) -> str:
    n = A.n
    M = sympy.Matrix(A.matrix).T  # Macaulay2: f invariant when f(Mᵀ·x) = f(x)
    return (f'needsPackage "InvariantRing";\nB = QQ[{", ".join(map(str, A.group_variables))}];\n'
            f"I = ideal({', '.join(str(sympy.expand(p)).replace('**', '^') for p in A.ideal)});\n"
            f"S = QQ[x_0..x_{n - 1}];\nM = {_m2_matrix(M.tolist())};\n"
            "V = linearlyReductiveAction(I, M, S);\n"
            "T = elapsedTiming invariants V;\n"
            'print("@@TIME " | toString(T#0));\n'
            'print("@@GEN " | toString sort apply(T#1, f -> first degree f));\nprint("@@DONE");\n')


def gap_character_script(name: str, k: int) -> str:
    return (f'tbl := CharacterTable("{name}");;\nchi := Irr(tbl)[{k}];;\n'
            "t0 := NanosecondsSinceEpoch();;\ns := MolienSeries(tbl, chi);;\n"
            "t1 := NanosecondsSinceEpoch() - t0;;\n"
            'Print("@@TIME ", t1, "\\n");\nPrint(Concatenation("@@SERIES ", String(s)), "\\n");\n'
            'Print("@@DONE\\n");\nQUIT;\n')


# -- rows ---------------------------------------------------------------------------------------------------

def fmt_time(r: dict | None, key: str = "time") -> str:
    if not r:
        return "—"
    if r.get("status") != "ok":
        return r.get("status", "?")
    return f"{r[key]:.3f} s" if key in r else "—"


def fmt_ratio(peer: dict, ours: dict, key: str = "time") -> str:
    if peer.get("status") == "ok" and ours.get("status") == "ok" and key in peer and ours["time"] > 0:
        return f"{peer[key] / ours['time']:.2f}×"
    return "—"


def _degrees(text: str) -> list[int]:
    return sorted(int(v) for v in re.findall(r"-?\d+", text))


def _series_from(pair) -> HilbertSeries:
    return HilbertSeries(list(pair[0]), list(pair[1]))


def _by_degree(degrees) -> str:
    if not degrees:
        return "none"
    counts: dict[int, int] = {}
    for d in degrees:
        counts[d] = counts.get(d, 0) + 1
    return ", ".join(f"{c}×{d}" if c > 1 else f"{d}" for d, c in sorted(counts.items()))


def _poly(text: str, n: int) -> sympy.Expr:
    names = {f"x{i}": x[i] for i in range(n)}
    return sympy.sympify(re.sub(r"x_(\d+)", r"x\1", text).replace("^", "**"), locals=names)


def agree_modular(peer: str, res: dict, ours: dict) -> str:
    if res.get("status") != "ok" or ours.get("status") != "ok":
        return "—"
    if peer == "M2":
        return "yes" if _degrees(res["GEN"]) == ours["gen"] else f"**no** (M2 {_degrees(res['GEN'])})"
    prim, sec = _degrees(res["P"]), _degrees(res["S"])
    if "series" in ours:  # non-modular: the Hironaka series against our Molien series
        counts = [0] * (max(sec) + 1)
        for s in sec:
            counts[s] += 1
        same = HilbertSeries.from_degrees(prim, counts) == _series_from(ours["series"])
        return ("yes (series)" if same else "**no** (series)") + f"; P {prim}, S {sec}"
    theirs = prim if sec == [0] else sorted(prim + [s for s in sec if s])
    verdict = "yes" if theirs == ours["gen"] else "**no**"
    return f"{verdict}: P {prim}, S {sec}"


def section_modular(names: list[str], args, startup: dict) -> list[dict]:
    rows = []
    for name in names:
        gens, p = MODULAR[name]
        ours = run_ours(lambda: ours_modular(gens, p), args.timeout)
        modular = ours.get("kind") != "InvariantRing"
        cgens = _conjugated_gens_p(gens, p, SEED)
        second = run_ours(lambda: ours_modular(cgens, p), args.timeout)
        basis = _same(ours, second, "gen")
        peers = {"Singular": run_peer("Singular", singular_modular_script(gens, p, modular), args.timeout,
                                      startup.get("Singular") or 0),
                 "M2": run_peer("M2", m2_finite_script(gens, p), args.timeout, startup.get("M2") or 0)}
        answer = (f"{_by_degree(ours['gen'])}" + ("" if ours.get("complete") else " (not proven complete)")
                  if ours.get("status") == "ok" else ours.get("error", ""))
        for peer, res in peers.items():
            rows.append(_row("1 modular rings", name, ours, peer, res, agree_modular(peer, res, ours), second, basis,
                             answer))
    return rows


def _same(ours: dict, second: dict, key: str) -> str:
    if ours.get("status") != "ok" or second.get("status") != "ok":
        return "—"
    return "yes" if ours[key] == second[key] else f"**no** ({second[key]})"


def _row(section, task, ours, peer, res, agree, second, basis, answer) -> dict:
    return {"section": section, "task": task, "ours": ours, "peer": peer, "peer_result": res, "agree": agree,
            "second": second, "basis_agree": basis, "answer": answer}


def section_reynolds(names: list[str], args, startup: dict) -> list[dict]:
    rows = []
    for name in names:
        make, f = REYNOLDS[name]
        G = make()
        n = G.degree
        ours = run_ours(lambda: ours_reynolds(make, f), args.timeout)
        P = _random_matrix_q(n, SEED)
        Pinv = P.inv()
        ring, *gens = sympy.ring(x[:n], sympy.QQ)  # sparse polynomials: substitutions fast enough at degree 9
        back = [(g, ring(sympy.expand(e))) for g, e in zip(gens, Pinv * sympy.Matrix(x[:n]))]
        f2 = ring(sympy.expand(f)).compose(back).as_expr()
        G2 = MatrixGroup([(P * g.to_sympy() * Pinv).tolist() for g in G.generators])
        second = run_ours(lambda: ours_reynolds(lambda: G2, f2), args.timeout)
        basis = "—"
        if ours.get("status") == "ok" and second.get("status") == "ok":
            expected = ring(_poly(ours["poly"], n)).compose(back)
            basis = "yes" if ring(_poly(second["poly"], n)) == expected else "**no**"
        res = run_peer("M2", m2_reynolds_script(G, f), args.timeout, startup.get("M2") or 0)
        agree = "—"
        if res.get("status") == "ok" and ours.get("status") == "ok":
            agree = "yes" if ring(_poly(res["POLY"], n)) == ring(_poly(ours["poly"], n)) else "**no**"
        answer = ""
        if ours.get("status") == "ok":
            terms = len(ring(_poly(ours["poly"], n)).terms())
            answer = f"{terms} terms" if ours["poly"] != "0" else "0"
        elif ours.get("error"):
            answer = ours["error"]
        rows.append(_row("2 Reynolds", name, ours, "M2", res, agree, second, basis, answer))
    return rows


def section_character(names: list[str], args, startup: dict) -> list[dict]:
    rows = []
    if not shutil.which("gap"):
        return [_row("3 character tables", name, {"status": "no GAP: no tables to read"}, "GAP", {"status": "not installed"},
                     "—", None, "—", "") for name in names]
    tables = sorted({CHARACTERS[nm][0] for nm in names})
    wanted = {t: sorted({CHARACTERS[nm][1] for nm in names if CHARACTERS[nm][0] == t}) for t in tables}
    data = export_tables(tables, wanted, args.timeout)
    for name in names:
        table, k = CHARACTERS[name]
        ours = run_ours(lambda: ours_character(data[table], k), args.timeout)
        res = run_peer("GAP", gap_character_script(table, k), args.timeout, startup.get("GAP") or 0)
        agree = "—"
        if res.get("status") == "ok" and ours.get("status") == "ok":
            theirs = parse_gap_rational(res["SERIES"].replace("x_1", "z"))
            agree = "yes" if theirs == _series_from(ours["series"]) else "**no**"
        answer = ours.get("text", ours.get("error", "")) if len(ours.get("text", "")) < 90 else \
            f"numerator degree {len(ours['series'][0]) - 1}, denominator degree {len(ours['series'][1]) - 1}"
        rows.append(_row("3 character tables", name, ours, "GAP", res, agree, None, "— (no basis)", answer))
    return rows


def export_tables(tables: list[str], wanted: dict[str, list[int]], timeout: float) -> dict:
    lines = ['_Line := function(tag, list) Print(Concatenation(tag, " ", '
             'JoinStringsWithSeparator(List(list, String), " ")), "\\n"); end;;']
    for i, name in enumerate(tables):
        lines += [f'tbl := CharacterTable("{name}");;',
                  f'_Line("@@SIZES{i}", SizesConjugacyClasses(tbl));',
                  f'_Line("@@ORDERS{i}", OrdersClassRepresentatives(tbl));',
                  f'_Line("@@NAMES{i}", ClassNames(tbl));',
                  f'for p in PrimeDivisors(Size(tbl)) do _Line(Concatenation("@@POWER{i}_", String(p)), PowerMap(tbl, p)); od;']
        lines += [f'_Line("@@CHAR{i}_{k}", Irr(tbl)[{k}]);' for k in wanted[name]]
    res = run_peer("GAP", "\n".join(lines) + '\nPrint("@@DONE\\n");\nQUIT;\n', timeout)
    if res["status"] != "ok":
        raise RuntimeError(f"GAP could not export the character tables {tables}: {res}")
    out = {}
    for i, name in enumerate(tables):
        out[name] = {"sizes": [int(v) for v in res[f"SIZES{i}"].split()],
                     "orders": [int(v) for v in res[f"ORDERS{i}"].split()],
                     "names": res[f"NAMES{i}"].split(),
                     "power_maps": {int(key.split("_")[1]): [int(v) - 1 for v in value.split()]
                                    for key, value in res.items() if key.startswith(f"POWER{i}_")},
                     "chars": {int(key.split("_")[1]): value.split()
                               for key, value in res.items() if key.startswith(f"CHAR{i}_")}}
    return out


def section_derksen(names: list[str], args, startup: dict) -> list[dict]:
    rows = []
    for name in names:
        make = DERKSEN[name]
        A = make()
        ours = run_ours(lambda: ours_derksen(make), args.timeout)
        A2 = _conjugated_action(A, SEED)
        second = run_ours(lambda: ours_derksen(lambda: A2), args.timeout)
        res = run_peer("M2", m2_derksen_script(A), args.timeout, startup.get("M2") or 0)
        agree = "—"
        if res.get("status") == "ok" and ours.get("status") == "ok":
            theirs = _degrees(res["GEN"])
            agree = "yes" if theirs == ours["gen"] else f"**no** (M2 {theirs})"
        answer = (_by_degree(ours["gen"]) + ("" if ours["complete"] else " (not proven complete)")
                  if ours.get("status") == "ok" else ours.get("error", ""))
        rows.append(_row("4 Derksen", name, ours, "M2", res, agree, second, _same(ours, second, "gen"), answer))
    return rows


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


HEADER = ["section", "task", "ours", "peer", "peer (wall − start-up)", "peer inside", "ratio peer/ours",
          "ratio inside/ours", "agree", "ours, 2nd basis", "2nd basis agrees", "our answer"]


def table_line(r: dict) -> list[str]:
    res, ours = r["peer_result"], r["ours"]
    peer_time = fmt_time(res) if res.get("status") == "ok" else res.get("status", "?")
    ours_cell = fmt_time(ours) if ours.get("status") == "ok" else (ours.get("status", "?") if ours.get("status") != "error"
                                                                     else "error")
    return [r["section"], r["task"], ours_cell, r["peer"], peer_time, fmt_time(res, "inside") if res.get("status") == "ok" else "—",
            fmt_ratio(res, ours), fmt_ratio(res, ours, "inside"), r["agree"],
            fmt_time(r["second"]) if r["second"] else "—", r["basis_agree"], str(r["answer"]).replace("|", "/")]


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one tiny case per section")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per call (ours and each peer's)")
    ap.add_argument("--sections", default="modular,reynolds,character,derksen")
    ap.add_argument("--results", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--out", default=None, help="file stem (default peers-algebra, or peers-algebra-quick)")
    args = ap.parse_args(argv)
    stem = args.out or ("peers-algebra-quick" if args.quick else "peers-algebra")
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    full = {"modular": list(MODULAR), "reynolds": list(REYNOLDS), "character": list(CHARACTERS), "derksen": list(DERKSEN)}
    chosen = QUICK if args.quick else full
    needed = {"modular": ["Singular", "M2"], "reynolds": ["M2"], "character": ["GAP"], "derksen": ["M2"]}
    systems = sorted({s for sec in sections for s in needed[sec]})
    startup = {s: startup_time(s, 2 if args.quick else 3) for s in systems}
    versions = {s: peer_version(s) if shutil.which(PEERS[s][0]) else "not installed" for s in systems}
    print("start-up (empty script, library loaded): " + ", ".join(
        f"{s} {v:.3f} s" if v is not None else f"{s} not available" for s, v in startup.items()), flush=True)
    warm_up()
    runners = {"modular": section_modular, "reynolds": section_reynolds, "character": section_character,
               "derksen": section_derksen}
    rows: list[dict] = []
    for sec in sections:
        for row in runners[sec](chosen[sec], args, startup):
            rows.append(row)
            print(" | ".join(table_line(row)), flush=True)
    import flint
    meta = {"commit": _git("rev-parse", "--short", "HEAD"),
            "uncommitted changes in invariants/": bool(_git("status", "--porcelain", "--", "invariants")),"date": f"{_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}",
            "python": platform.python_version(), "sympy": sympy.__version__, "python-flint": flint.__version__,
            "peers": versions, "startup_seconds": startup, "timeout_seconds": args.timeout, "quick": args.quick,
            "seed": SEED}
    lines = ["# molien's new algebra against Singular, Macaulay2 and GAP" + (" (quick)" if args.quick else ""), "",
             f"- date: {meta['date']}; molien at {meta['commit']}"
             + (" with uncommitted changes in invariants/" if meta["uncommitted changes in invariants/"] else ""), f"- machine: {meta['machine']}; Python {meta['python']}, sympy {meta['sympy']}, "
             f"python-flint {meta['python-flint']}",
             "- peers: " + ", ".join(f"{s} {v}" for s, v in versions.items()),
             "- start-up subtracted (empty script with the library loaded, min of a few): " + ", ".join(
                 f"{s} {v:.3f} s" if v is not None else f"{s} —" for s, v in startup.items()),
             f"- timeout per call: {args.timeout:.0f} s; command: `python benchmarks/peers_algebra.py"
             f"{' --quick' if args.quick else ''}`", "",
             __doc__.split("\n\n", 2)[2].strip(), "",
             "| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(table_line(r)) + " |" for r in rows]
    failures = [r for r in rows if r["ours"].get("status") != "ok" or (r["second"] and r["second"].get("status") != "ok")]
    if failures:
        lines += ["", "## Our failures", ""]
        for r in failures:
            for label, res in (("standard basis", r["ours"]), ("2nd basis", r["second"])):
                if res and res.get("status") != "ok":
                    lines.append(f"- {r['task']} ({label}): {res.get('status')} {res.get('error', '')}".rstrip())
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{stem}.md").write_text("\n".join(lines) + "\n")
    record = {"meta": meta, "rows": [{k: v for k, v in r.items()} for r in rows]}
    (results / f"{stem}.json").write_text(json.dumps(record, indent=1, default=str) + "\n")
    print(f"\nwritten to {results / (stem + '.md')} and .json")
    return record


if __name__ == "__main__":
    main()
    sys.exit(0)
