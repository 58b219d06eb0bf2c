"""Helpers to ask GAP (the external oracle) for Molien series of our matrix groups.

Nothing here is a test; `tests/test_oracle_gap.py` and `benchmarks/molien.py` use it.

- `gap_available()`: is a ``gap`` executable on PATH;
- `run_gap(script, timeout)`: run a GAP script in a fresh ``gap -q -b`` process, return stdout;
- `to_gap_scalar(expr)`, `to_gap_matrix(m)`: exact sympy algebraic numbers → GAP cyclotomics,
  by walking the expression tree (rationals, ``sqrt(d)`` → ``ER(d)``, ``I`` → ``E(4)``,
  ``exp(2πik/n)`` → ``E(n)^k``, ``cos``/``sin`` of rational multiples of π, sums, products,
  integer powers);
- `gap_molien(group, chi=None)`: GAP's ``MolienSeries(NaturalCharacter(G)[, chi])`` parsed
  into a `HilbertSeries`; `gap_molien_batch` does several groups in one GAP process.

Nothing is cached on disk: every call starts a fresh GAP process.
"""
from __future__ import annotations

import cmath
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from fractions import Fraction
from typing import Any, Mapping, Sequence

import sympy
from flint import fmpq, fmpq_poly

from invariants.groups.finite.group import MatrixGroup
from invariants.series.hilbert import HilbertSeries

GAP_EXECUTABLE = "gap"
_Z = sympy.Symbol("z")
_MARK = "@@MOLIEN"
_FAIL = "@@FAILED"


class GapError(RuntimeError):
    """GAP failed, or printed something we could not understand."""


class GapTimeout(GapError, TimeoutError):
    """GAP did not finish within the time limit (the process was killed)."""

    def __init__(self, message: str, partial_output: str = ""):
        super().__init__(message)
        self.partial_output = partial_output


# -- running GAP ---------------------------------------------------------------------------

def gap_available() -> bool:
    """True if a ``gap`` executable is on PATH."""
    return shutil.which(GAP_EXECUTABLE) is not None


def gap_version(timeout: float = 60) -> str:
    """GAP's version string, e.g. ``"4.12.1"``."""
    out = run_gap('Print("@@VERSION ", GAPInfo.Version, "\\n");', timeout)
    m = re.search(r"@@VERSION (\S+)", out)
    return m.group(1) if m else "unknown"


def _as_text(data: Any) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else str(data)


def run_gap(script: str, timeout: float = 300) -> str:
    """Run ``script`` in a fresh ``gap -q -b FILE < /dev/null`` process and return its stdout
    with GAP's line continuations (backslash-newline) removed.

    Raises `GapTimeout` (after killing the process) when it runs longer than ``timeout``
    seconds, and `GapError` when GAP exits abnormally or reports an error that aborts the
    script.  Errors caught inside the script (``CALL_WITH_CATCH``) are the script's business.
    """
    if not gap_available():
        raise GapError("GAP is not installed (no `gap` on PATH)")
    with tempfile.TemporaryDirectory(prefix="molien-gap-") as tmp:
        path = os.path.join(tmp, "script.g")
        with open(path, "w") as fh:
            fh.write(script)
            fh.write("\nQUIT;\n")
        proc = subprocess.Popen([GAP_EXECUTABLE, "-q", "-b", path], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:  # the process group holds only the GAP process we started
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, _ = proc.communicate()
            raise GapTimeout(f"GAP did not finish within {timeout} s", _clean(_as_text(out))) from None
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    out_s, err_s = _clean(_as_text(out)), _as_text(err)
    aborted = "has been aborted" in err_s or "has been aborted" in out_s
    if proc.returncode != 0 or aborted:
        raise GapError(f"GAP failed (exit code {proc.returncode}):\n{err_s.strip() or out_s.strip()}")
    return out_s


def _clean(text: str) -> str:
    """Remove GAP's output line continuations (a backslash at the end of a wrapped line)."""
    return text.replace("\\\r\n", "").replace("\\\n", "")


# -- sympy → GAP cyclotomics ----------------------------------------------------------------

def _gap_rational(q: sympy.Rational) -> str:
    q = sympy.Rational(q)
    return f"{q.p}" if q.q == 1 and q.p >= 0 else (f"({q.p})" if q.q == 1 else f"({q.p}/{q.q})")


def _root_of_unity(turns: sympy.Rational) -> str:
    """exp(2πi·turns) as E(n)^k."""
    turns = sympy.Rational(turns)
    n, k = int(turns.q), int(turns.p) % int(turns.q)
    if k == 0:
        return "1"
    return f"E({n})" if k == 1 else f"E({n})^{k}"


def _pi_multiple(arg: sympy.Expr, imaginary: bool) -> sympy.Rational:
    """r with arg = r·π (or r·π·i when ``imaginary``); an error unless r is rational."""
    r = sympy.nsimplify(arg / (sympy.pi * sympy.I if imaginary else sympy.pi))
    r = sympy.simplify(r)
    if not r.is_Rational:
        raise ValueError(f"{arg} is not a rational multiple of {'πi' if imaginary else 'π'}")
    return sympy.Rational(r)


def _sqrt_rational(b: sympy.Rational) -> str:
    """sqrt(b) for a rational b (negative allowed), as a GAP cyclotomic."""
    b = sympy.Rational(b)
    if b == 0:
        return "0"
    root = f"ER({int(b.p) * int(b.q)})"  # sqrt(p/q) = sqrt(p q)/q
    return root if b.q == 1 else f"({root}/{b.q})"


_MAX_CONDUCTOR = 5000


@functools.lru_cache(maxsize=512)
def _identify_leaf(e: sympy.Expr) -> str:
    """A leaf the tree walk does not know (sympy writes cos(π/10) as sqrt(5/8 + sqrt(5)/8)),
    recognised as ζ, cos 2πq or i·cos 2πq for a rational q, and then proved equal: the
    candidate has the same minimal polynomial as ``e`` and agrees with it to 45 digits,
    far closer than two roots of that polynomial can be."""
    x = sympy.Symbol("x")
    try:
        val = complex(sympy.N(e, 30))
    except (TypeError, ValueError):
        raise ValueError(f"cannot translate {e} to a GAP cyclotomic (not a number)") from None
    candidates: list[tuple[sympy.Expr, str]] = []

    def turns(angle: float) -> Fraction:
        return Fraction(angle / (2 * cmath.pi)).limit_denominator(_MAX_CONDUCTOR)

    if abs(abs(val) - 1) < 1e-12:
        q = turns(cmath.phase(val))
        candidates.append((sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(q.numerator, q.denominator)),
                           _root_of_unity(sympy.Rational(q.numerator, q.denominator))))
    for unit, unit_gap in ((1, ""), (sympy.I, "E(4)*")):
        w = val / complex(unit)
        if abs(w.imag) < 1e-12 and abs(w.real) <= 1 + 1e-12:
            q = turns(cmath.acos(max(-1.0, min(1.0, w.real))).real)
            r = sympy.Rational(q.numerator, q.denominator)
            cand = unit * sympy.cos(2 * sympy.pi * r)
            candidates.append((cand, f"({unit_gap}({_root_of_unity(r)}+{_root_of_unity(-r)})/2)"))
    if candidates:
        target = sympy.minimal_polynomial(e, x)
        for cand, text in candidates:
            if abs(complex(sympy.N(cand - e, 60))) < 1e-45 and sympy.minimal_polynomial(cand, x) == target:
                return text
    raise ValueError(f"{e} is not a cyclotomic number molien's GAP bridge can recognise")


def to_gap_scalar(expr: Any) -> str:
    """An exact algebraic number (sympy expression, int, Fraction, string) in GAP syntax.

    Walks the expression tree; cyclotomic leaves are rationals, I, square roots of rationals,
    (-1)^(p/q), exp(iπr), cos(πr), sin(πr) (r rational) and the golden ratio; other radicals
    (sympy's nested forms of cos(π/10) etc.) are recognised as roots of unity or cosines and
    proved equal.  Anything else (e.g. 2^(1/3), which is not cyclotomic) raises ValueError.

    >>> to_gap_scalar(sympy.sqrt(5) / 4 - sympy.Rational(1, 4))
    '((-1/4)+((1/4)*ER(5)))'
    >>> to_gap_scalar(sympy.exp(2 * sympy.pi * sympy.I / 7) ** 3)
    'E(7)^3'
    """
    e = sympy.sympify(expr)
    if e.is_Rational:
        return _gap_rational(e)
    if e is sympy.I:
        return "E(4)"
    if e is sympy.GoldenRatio:
        return "((1+ER(5))/2)"
    if isinstance(e, sympy.Add):
        return "(" + "+".join(to_gap_scalar(a) for a in e.args) + ")"
    if isinstance(e, sympy.Mul):
        return "(" + "*".join(to_gap_scalar(a) for a in e.args) + ")"
    if isinstance(e, sympy.Pow):
        base, ex = e.args
        if ex.is_Integer:
            return f"({to_gap_scalar(base)})^{int(ex)}" if ex != -1 else f"({to_gap_scalar(base)})^-1"
        if ex.is_Rational and base.is_Rational:
            p, q = int(ex.p), int(ex.q)
            if base == -1:  # (-1)^(p/q) = exp(iπ p/q)
                return _root_of_unity(sympy.Rational(p, 2 * q))
            if q == 2:
                s = _sqrt_rational(base)
                return s if p == 1 else f"({s})^{p}"
        return _identify_leaf(e)  # a nested radical such as sqrt(5/8 + sqrt(5)/8) = cos(π/10)
    if isinstance(e, sympy.exp):
        return _root_of_unity(_pi_multiple(e.args[0], imaginary=True) / 2)
    if isinstance(e, (sympy.cos, sympy.sin)):
        turns = _pi_multiple(e.args[0], imaginary=False) / 2
        z, zbar = _root_of_unity(turns), _root_of_unity(-turns)
        if isinstance(e, sympy.cos):
            return f"(({z}+{zbar})/2)"
        return f"(({z}-{zbar})/(2*E(4)))"
    raise ValueError(f"cannot translate {e!r} ({type(e).__name__}) to a GAP cyclotomic")


def to_gap_matrix(m: Any) -> str:
    """A sympy Matrix (or our `Matrix`, or nested lists) in GAP list-of-rows syntax."""
    if hasattr(m, "to_sympy") and not isinstance(m, sympy.MatrixBase):
        m = m.to_sympy()
    rows = m.tolist() if isinstance(m, sympy.MatrixBase) else [list(r) for r in m]
    return "[" + ", ".join("[" + ", ".join(to_gap_scalar(x) for x in row) + "]" for row in rows) + "]"


def gap_generators(group: MatrixGroup | Sequence[Any]) -> str:
    """The generators of a `MatrixGroup` (or a list of matrices) as a GAP list of matrices."""
    gens = group.generators if isinstance(group, MatrixGroup) else list(group)
    return "[" + ",\n  ".join(to_gap_matrix(g) for g in gens) + "]"


def _images(chi: Any) -> list:
    """Generator images of a relative character given as a Representation or a MatrixGroup."""
    if isinstance(chi, MatrixGroup):
        return chi.generators
    if hasattr(chi, "images"):
        return chi.images
    raise TypeError(f"chi must be a Representation or a MatrixGroup, got {type(chi).__name__}")


def molien_call(gens_var: str, chi_gens_var: str | None = None) -> str:
    """A GAP expression computing the Molien series of ``Group(gens_var)`` (relative to the
    character of the representation sending the generators to ``chi_gens_var``)."""
    if chi_gens_var is None:
        return f"MolienSeries(NaturalCharacter(Group({gens_var})))"
    return f"_MolienRelative({gens_var}, {chi_gens_var})"


_PRELUDE = """
BreakOnError := false;;
_MolienRelative := function(gens, hgens)
  local G, H, hom, tbl, chi;
  G := Group(gens);; H := Group(hgens);;
  hom := GroupHomomorphismByImages(G, H, gens, hgens);;
  if hom = fail then Error("the images do not define a homomorphism"); fi;
  tbl := CharacterTable(G);;
  chi := ClassFunction(tbl, List(ConjugacyClasses(tbl),
           c -> TraceMat(ImagesRepresentative(hom, Representative(c)))));;
  return MolienSeries(NaturalCharacter(G), chi);
end;;
_MolienTry := function(label, f)
  local r;
  r := CALL_WITH_CATCH(f, []);
  if r[1] = true and Length(r) = 2 then
    Print("@@MOLIEN ", label, " ", r[2], "\\n");
  else
    Print("@@FAILED ", label, "\\n");
  fi;
end;;
"""


# -- parsing GAP's rational functions ----------------------------------------------------

def parse_gap_rational(text: str) -> HilbertSeries:
    """GAP's printed rational function in z, e.g. ``( 1-z+z^2 ) / ( (1-z^4)*(1-z) )``, as a
    `HilbertSeries` (the fraction is reduced by `HilbertSeries`)."""
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    body = _clean(text).strip()
    if not re.fullmatch(r"[\sz0-9+\-*/^()]+", body):
        raise GapError(f"unexpected characters in GAP's rational function: {body!r}")
    expr = parse_expr(body, local_dict={"z": _Z}, transformations=standard_transformations + (convert_xor,),
                      evaluate=True)
    num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))

    def coeffs(p: sympy.Expr) -> fmpq_poly:
        poly = sympy.Poly(sympy.expand(p), _Z)
        out = [sympy.Rational(c) for c in reversed(poly.all_coeffs())]
        return fmpq_poly([fmpq(int(c.p), int(c.q)) for c in out])

    return HilbertSeries(coeffs(num), coeffs(den))


# -- Molien series from GAP -----------------------------------------------------------------

def gap_molien_batch(items: Mapping[str, MatrixGroup | tuple[MatrixGroup, Any]], timeout: float = 300
                     ) -> dict[str, HilbertSeries | GapError]:
    """Molien series of several groups in one GAP process.

    ``items`` maps a label (letters, digits, ``_``) to a `MatrixGroup` or to a pair
    ``(group, chi)`` for the relative series.  Each result is a `HilbertSeries`, or a
    `GapError` for a group GAP failed on (or did not reach before the timeout).
    """
    lines = [_PRELUDE]
    for i, (label, item) in enumerate(items.items()):
        if not re.fullmatch(r"\w+", label):
            raise ValueError(f"label {label!r} must be letters, digits and underscores")
        group, chi = item if isinstance(item, tuple) else (item, None)
        lines.append(f"_gens{i} := {gap_generators(group)};;")
        if chi is None:
            call = molien_call(f"_gens{i}")
        else:
            lines.append(f"_chi{i} := {gap_generators(_images(chi))};;")
            call = molien_call(f"_gens{i}", f"_chi{i}")
        lines.append(f'_MolienTry("{label}", function() return {call}; end);')
    script = "\n".join(lines) + "\n"
    try:
        out = run_gap(script, timeout)
        partial = None
    except GapTimeout as exc:
        out, partial = exc.partial_output, exc
    found = _parse_marked(out)
    results: dict[str, HilbertSeries | GapError] = {}
    for label in items:
        if label in found:
            results[label] = found[label]
        elif re.search(rf"^{_FAIL} {label}$", out, re.M):
            results[label] = GapError(f"GAP raised an error computing the Molien series of {label}")
        elif partial is not None:
            results[label] = GapTimeout(f"GAP timed out (after {timeout} s) before finishing {label}")
        else:
            results[label] = GapError(f"GAP printed no Molien series for {label}:\n{out[-2000:]}")
    return results


def _parse_marked(out: str) -> dict[str, HilbertSeries]:
    found = {}
    for m in re.finditer(rf"^{_MARK} (\w+) (.*)$", out, re.M):
        found[m.group(1)] = parse_gap_rational(m.group(2))
    return found


def gap_molien(group: MatrixGroup, chi: Any = None, timeout: float = 300) -> HilbertSeries:
    """GAP's ``MolienSeries(NaturalCharacter(G))`` for the group generated by
    ``group.generators`` — or, with ``chi`` (a `Representation` of the group or a
    `MatrixGroup` on corresponding generators), GAP's relative series
    ``MolienSeries(NaturalCharacter(G), chi)`` — as a `HilbertSeries`.

    Raises `GapTimeout` / `GapError` when GAP does not deliver.
    """
    res = gap_molien_batch({"G": group if chi is None else (group, chi)}, timeout)["G"]
    if isinstance(res, GapError):
        raise res
    return res


# -- character tables from GAP's library (for tests/test_character_series.py) ---------------

def gap_character_table(name: str, characters: Sequence[int] = (), relative: Sequence[tuple[int, int]] = (),
                        timeout: float = 600, dimensions: Sequence[int] = (), degree: int = 8) -> dict:
    """GAP's library table ``CharacterTable(name)`` exported as text, with GAP's Molien series.

    Returns ``sizes``, ``orders``, ``power_maps`` ({prime: 0-based class list}), ``names``, and
    for each GAP index k in ``characters`` (1-based, as in ``Irr(tbl)``): ``chars[k]`` (the values
    as GAP strings, ``"E(7)+E(7)^2+E(7)^4"``) and ``molien[k]`` = ``MolienSeries(tbl, Irr(tbl)[k])``;
    for each pair (k, l) in ``relative``: ``relative[(k, l)]`` = ``MolienSeries(tbl, Irr[k], Irr[l])``
    (the multiplicity of Irr[l] in S^d of Irr[k]); for each k in ``dimensions``: ``dimensions[k]`` =
    [dim S^d(V)^G for d = 0..degree] from GAP's ``SymmetricParts`` (cheap where MolienSeries is not).
    """
    if not re.fullmatch(r"[\w().+:-]+", name):
        raise ValueError(f"unexpected character table name {name!r}")
    wanted = sorted(set(characters) | set(dimensions) | {k for pair in relative for k in pair})
    # one string per line: GAP breaks a long string only with a backslash continuation (removed by
    # _clean), whereas it breaks between the arguments of Print wherever it likes
    line = '_Line("{tag}", {expr});'
    lines = ["BreakOnError := false;;", f'tbl := CharacterTable("{name}");;',
             '_Line := function(tag, list) Print(Concatenation(tag, " ", '
             'JoinStringsWithSeparator(List(list, String), " ")), "\\n"); end;;',
             line.format(tag="@@SIZES", expr="SizesConjugacyClasses(tbl)"),
             line.format(tag="@@ORDERS", expr="OrdersClassRepresentatives(tbl)"),
             line.format(tag="@@NAMES", expr="ClassNames(tbl)"),
             'for p in PrimeDivisors(Size(tbl)) do _Line(Concatenation("@@POWER ", String(p)), PowerMap(tbl, p)); od;']
    for k in wanted:
        lines.append(line.format(tag=f"@@CHAR {k}", expr=f"Irr(tbl)[{k}]"))
    for k in characters:
        lines.append(f'_Line("@@SERIES {k}", [MolienSeries(tbl, Irr(tbl)[{k}])]);')
    for k, l in relative:
        lines.append(f'_Line("@@SERIES {k},{l}", [MolienSeries(tbl, Irr(tbl)[{k}], Irr(tbl)[{l}])]);')
    for k in dimensions:
        lines.append(line.format(tag=f"@@DIMS {k}", expr=f"List([1..{degree}], d -> ScalarProduct(tbl, "
                                 f"SymmetricParts(tbl, [Irr(tbl)[{k}]], d)[1], TrivialCharacter(tbl)))"))
    out = _clean(run_gap("\n".join(lines) + "\n", timeout))

    def field(tag: str) -> list[str]:
        m = re.search(rf"^{tag} (.*)$", out, re.M)
        if m is None:
            raise GapError(f"GAP printed no {tag} for {name}:\n{out[-2000:]}")
        return m.group(1).split()

    result = {"sizes": [int(x) for x in field("@@SIZES")], "orders": [int(x) for x in field("@@ORDERS")],
              "names": field("@@NAMES"), "chars": {}, "molien": {}, "relative": {},
              "dimensions": {k: [1] + [int(x) for x in field(f"@@DIMS {k}")] for k in dimensions},
              "power_maps": {int(m.group(1)): [int(x) - 1 for x in m.group(2).split()]
                             for m in re.finditer(r"^@@POWER (\d+) (.*)$", out, re.M)}}
    for k in wanted:
        result["chars"][k] = field(f"@@CHAR {k}")
    for m in re.finditer(r"^@@SERIES (\d+)(?:,(\d+))? (.*)$", out, re.M):
        series = parse_gap_rational(m.group(3).replace("x_1", "z"))  # String() names the indeterminate x_1
        if m.group(2) is None:
            result["molien"][int(m.group(1))] = series
        else:
            result["relative"][(int(m.group(1)), int(m.group(2)))] = series
    return result
