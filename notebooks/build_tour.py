"""Writes notebooks/01_invariant_theory_tour.ipynb (cells kept here so the notebook diffs cleanly).

Run: python notebooks/build_tour.py   (then execute it to refresh outputs, or let the tests run it)
"""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# A tour of exact invariant theory with molien

A group $G$ acting linearly on $V = K^n$ acts on polynomials, and the invariant polynomials
form a graded ring $K[V]^G$. Its size in each degree is counted by the **Molien series**

$$H(t) = \\sum_d \\dim K[V]^G_d \\, t^d = \\frac{1}{|G|} \\sum_{g \\in G} \\frac{1}{\\det(1 - t g)},$$

which molien computes exactly — summed over conjugacy classes, or, for reflection groups,
from a certified Coxeter-element computation. Everything below is exact: rationals and
number fields, never floats."""),
    nbf.v4.new_code_cell("""import os
from invariants import molien_series, invariants_of_degree, invariant_space, reflection_degrees
from invariants.catalogue import symmetric, dihedral, cyclic, coxeter, weyl, binary_icosahedral, binary_tetrahedral

SMALL = bool(os.environ.get("MOLIEN_SMALL"))  # the test suite runs this notebook with small sizes
G = symmetric(4)
molien_series(G)"""),
    nbf.v4.new_markdown_cell("""## Molien series of classic groups
Groups from the catalogue: rotations and dihedral groups of the plane, the symmetric group,
Klein's binary polyhedral groups in SU(2), and Weyl/Coxeter groups up to $E_8$
(order 696 729 600 — no enumeration needed)."""),
    nbf.v4.new_code_cell("""groups = [cyclic(5), dihedral(6), symmetric(5), binary_tetrahedral(), binary_icosahedral(),
          coxeter("H3"), coxeter("H4"), weyl("F4")] + ([] if SMALL else [weyl("E8")])
for g in groups:
    H = molien_series(g)
    print(f"{g.name:22s} |G| = {g.order():>10}   H(t) = {H}")"""),
    nbf.v4.new_markdown_cell("""The series is a `HilbertSeries`: reduced integer fraction, coefficients to any order,
a sympy expression and LaTeX. Here is Klein's icosahedral series, whose generators have
degrees 12, 20, 30:"""),
    nbf.v4.new_code_cell("""H = molien_series(binary_icosahedral())
print(H.coefficients(31))
H"""),
    nbf.v4.new_markdown_cell("""## Invariants of small degree
`invariants_of_degree` returns an exact basis (sympy expressions), sized beforehand by the
Molien coefficient. For the icosahedral reflection group $H_3$ over $\\mathbb{Q}(\\sqrt5)$:"""),
    nbf.v4.new_code_cell("""H3 = coxeter("H3")
for d in (2, 4, 6):
    space = invariant_space(H3, d)
    print(f"degree {d}: dimension {len(space)} (method: {space.method})")
invariants_of_degree(H3, 2)"""),
    nbf.v4.new_code_cell("""print(reflection_degrees(H3))"""),
    nbf.v4.new_markdown_cell("""Klein's degree-12 invariant of the binary icosahedral group (the 12 vertices of the
icosahedron, seen on the Riemann sphere):"""),
    nbf.v4.new_code_cell("""invariant_space(binary_icosahedral(), 12)"""),
    nbf.v4.new_markdown_cell("""## How fast do invariant rings grow?
Near $t = 1$ the Molien series behaves like $\\frac{1}{|G|(1-t)^n}$ (only the identity
contributes a pole of order $n$), so the number of invariants of degree $\\le d$ grows like
$\\frac{d^n}{n!\\,|G|}$: a bigger group leaves fewer invariants. A plot says it better than a table:"""),
    nbf.v4.new_code_cell("""import math
import matplotlib.pyplot as plt

D = 40 if SMALL else 80
fig, ax = plt.subplots(figsize=(7, 4))
for g in [symmetric(4), coxeter("H3"), binary_icosahedral(), weyl("F4")]:
    H = molien_series(g)
    n = g.degree
    cum = [sum(H.coefficients(d + 1)) for d in range(D)]
    ax.plot(range(D), cum, label=f"{g.name} (n={n}, |G|={g.order()})")
    ax.plot(range(1, D), [d ** n / (math.factorial(n) * g.order()) for d in range(1, D)], "k:", lw=0.8)
ax.set_yscale("log"); ax.set_ylim(bottom=0.8); ax.set_xlabel("degree d"); ax.set_ylabel("invariants of degree ≤ d")
ax.set_title("Hilbert functions (dotted: d^n/(n!|G|))"); ax.legend(fontsize=8)
plt.show()"""),
    nbf.v4.new_markdown_cell("""## Relative series: covariants of a type
With a character χ (given as a representation), `molien_series(V, chi=W)` counts copies of $W$
in each symmetric power — the equivariant polynomial maps $V \\to W$ of each degree. For
$S_3$ acting on $\\mathbb{Q}^3$, equivariant maps to the same space:"""),
    nbf.v4.new_code_cell("""V = symmetric(3).natural()
molien_series(V, chi=V)"""),
]

nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = pathlib.Path(__file__).with_name("01_invariant_theory_tour.ipynb")
nbf.write(nb, path)
print("wrote", path)
