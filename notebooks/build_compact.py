"""Writes notebooks/05_compact_groups.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# Compact groups: Molien–Weyl, invariants, certificates

Rotations, phases, Lorentz boosts: the symmetries of learning problems are mostly continuous.
molien computes their invariant rings exactly — the Hilbert series by the Molien–Weyl integral
(a certified constant term), invariants as the kernel of the Lie algebra, and the same
`invariant_ring` (primaries, secondaries, generators, relations, certificate) as for finite groups."""),
    nbf.v4.new_code_cell("""import os
import random
import sympy
from invariants import invariant_ring, invariants_of_degree, load_spec, molien_series
from invariants import O, SO, SO3, SU2, rational_rotation
from invariants.polynomials.ring import PolynomialRing
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
L = 2 if SMALL else 3"""),
    nbf.v4.new_markdown_cell("""## SO(3) on spherical-harmonic coefficients
A signal on the sphere band-limited to degree $L$ has coefficients $c_{\\ell m}$ in
$V = \\bigoplus_{\\ell \\le L} V_\\ell$. The invariants of degree 2 are the **power spectrum**
(one per $\\ell$), those of degree 3 the **bispectrum** (one per admissible triple
$\\ell_1 \\le \\ell_2 \\le \\ell_3$ with $\\ell_1+\\ell_2+\\ell_3$ even — the others vanish by parity)."""),
    nbf.v4.new_code_cell("""V = SO3().irrep(0)
for l in range(1, L + 1):
    V = V + SO3().irrep(l)
H = molien_series(V)
print("dim V =", V.dim, "   H(t) =", H)
print("dimensions by degree:", H.coefficients(5))"""),
    nbf.v4.new_code_cell("""power = invariants_of_degree(V, 2)
bispectrum = invariants_of_degree(V, 3)
triples = [(a, b, c) for a in range(L + 1) for b in range(a, L + 1) for c in range(b, L + 1)
           if c <= a + b and (a + b + c) % 2 == 0]
print(len(power), "power-spectrum invariants;", len(bispectrum), "bispectrum invariants;",
      len(triples), "admissible triples", triples)
power"""),
    nbf.v4.new_markdown_cell("""Exactness, checked independently of the Lie algebra: each invariant is unchanged under
random rotations with rational entries (from rational quaternions), acting by the exact
Wigner-type matrices $D^\\ell(R)$ on the rational real harmonics."""),
    nbf.v4.new_code_cell("""ring = PolynomialRing(V.field, V.dim)
rng = random.Random(0)
R = rational_rotation(*[rng.randint(-5, 5) for _ in range(4)])
D = V(R)                                  # the exact matrix of R on ⊕ V_l (its defining form is 3 × 3)
print("rotation:", sympy.Matrix(3, 3, [sympy.Rational(str(c[0])) for row in R.entries() for c in row]))
all(ring.substitute(ring.from_sympy(p), D) == ring.from_sympy(p) for p in power + bispectrum)"""),
    nbf.v4.new_markdown_cell("""## The first fundamental theorem for O(n) and SO(n)
O(3) on $k$ vectors: the inner products generate, freely for $k \\le 3$. SO(3) adds the
determinant, with one relation $\\det^2 = \\det(\\mathrm{Gram})$."""),
    nbf.v4.new_code_cell("""RO = invariant_ring(O(3).vectors(3))
RS = invariant_ring(SO(3).vectors(3))
print("O(3): ", RO.molien, " generators", RO.generator_degrees)
print("SO(3):", RS.molien, " generators", RS.generator_degrees, " relations", RS.relation_degrees)
RS.relations[0]"""),
    nbf.v4.new_code_cell("""print(RS.certificate)"""),
    nbf.v4.new_markdown_cell("""The same holds for the Lorentz group on four-vectors (invariants of its complexification
SO(4, C), computed over the compact form):"""),
    nbf.v4.new_code_cell("""molien_series(load_spec("SO+(1,3):4xv"))"""),
    nbf.v4.new_markdown_cell("""## Binary forms
SL(2) on binary forms of degree $d$ (spin $d/2$). The quartic has the classical $I$ and $J$;
the quintic generators of degree 4, 8, 12 and 18 with one relation in degree 36. Its nullcone is
not equidimensional, so the primaries are proven a system of parameters by the *Molien–Weyl
quotient*: $\\dim (K[V]/(p))^G$ is computed exactly in every degree and is finite."""),
    nbf.v4.new_code_cell("""R4 = invariant_ring(SU2().binary_forms(4))
print("quartic:", R4.molien, R4.generators)
R5 = invariant_ring(SU2().binary_forms(5))
print("quintic:", R5.molien, " generator degrees", R5.generator_degrees)
print(R5.certificate.hsop_proof)"""),
    nbf.v4.new_code_cell("""import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 3))
for d in (4, 5, 6):
    ax.plot(molien_series(SU2().binary_forms(d)).coefficients(31), marker=".", label=f"binary forms of degree {d}")
ax.set_xlabel("degree"); ax.set_ylabel("number of invariants"); ax.legend(); ax.set_yscale("symlog")
plt.show()"""),
]

nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = pathlib.Path(__file__).with_name("05_compact_groups.ipynb")
nbf.write(nb, path)
print("wrote", path)
