"""Writes notebooks/02_invariant_rings.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# Invariant rings, certified

For a finite group the invariant ring $R = K[V]^G$ is Cohen–Macaulay: there are *primary*
invariants $p_1,\\dots,p_n$ (a homogeneous system of parameters) and *secondary* invariants
$s_j$ with $R = \\bigoplus_j s_j\\,K[p_1,\\dots,p_n]$ (a Hironaka decomposition). molien
computes both, a minimal generating set and the relations, and a certificate you can read."""),
    nbf.v4.new_code_cell("""import sympy
from invariants import MatrixGroup, invariant_ring, molien_series
from invariants.catalogue import alternating, binary_icosahedral, symmetric"""),
    nbf.v4.new_markdown_cell("""## A Hironaka decomposition of a non-reflection group
Sturmfels' example (Algorithms in Invariant Theory, Ex. 2.3.7): $\\mathbb{Z}_4$ acting on
$\\mathbb{C}^3$ by $(x, y, z) \\mapsto (y, -x, -z)$. It contains no reflections, so the ring is
not polynomial; the decomposition has four secondaries."""),
    nbf.v4.new_code_cell("""Z4 = MatrixGroup([[[0, 1, 0], [-1, 0, 0], [0, 0, -1]]], name="Z4")
R = invariant_ring(Z4)
print("primaries  ", R.primary)
print("secondaries", R.secondary)
print(R.certificate)"""),
    nbf.v4.new_markdown_cell("""Any invariant can be rewritten in the Hironaka form $\\sum_j q_j(p)\\, s_j$, uniquely:"""),
    nbf.v4.new_code_cell("""x, y, z = sympy.symbols("x0:3")
f = (x**2 + y**2)**2 * z**2 + (x**2 - y**2)*z * x*y*z
R.express_hironaka(f)"""),
    nbf.v4.new_markdown_cell("""## Generators and relations of a permutation group
$A_4$ permuting four coordinates: the symmetric polynomials plus one invariant of degree 6
(the Vandermonde-like $\\prod_{i<j}(x_i - x_j)$ is only alternating for $S_4$, but invariant
for $A_4$), and one relation in degree 12 — its square is a symmetric polynomial."""),
    nbf.v4.new_code_cell("""A4 = alternating(4)
RA = invariant_ring(A4)
print("generator degrees", RA.generator_degrees, " relation degrees", RA.relation_degrees)
RA.generators[-1]"""),
    nbf.v4.new_markdown_cell("""## Klein's icosahedral invariants
The binary icosahedral group (order 120) in SU(2): invariants of degrees 12, 20 and 30
(the vertices, faces and edges of the icosahedron) and Klein's relation in degree 60."""),
    nbf.v4.new_code_cell("""RI = invariant_ring(binary_icosahedral())
print("H(t) =", RI.molien)
print("generator degrees", RI.generator_degrees)
RI.relations[0]"""),
    nbf.v4.new_code_cell("""RI.generators[0]"""),
    nbf.v4.new_markdown_cell("""The certificate refuses an incomplete generating set and says where it fails:"""),
    nbf.v4.new_code_cell("""print(RI.check_generators(RI.generators[:2]))
print(RI.check_generators(RI.generators))"""),
]

nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = pathlib.Path(__file__).with_name("02_invariant_rings.ipynb")
nbf.write(nb, path)
print("wrote", path)
