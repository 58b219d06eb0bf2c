"""Writes notebooks/03_bridge.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# From a group to a layer

`bridge` compiles the exact generators of an invariant ring into a batched, differentiable
`torch.nn.Module`. The polynomials stay attached, exactly."""),
    nbf.v4.new_markdown_cell("""## Five lines"""),
    nbf.v4.new_code_cell("""import torch
from bridge import invariant_layer
layer = invariant_layer({"group": "O(n)", "n": 5, "vectors": 2}, normalize="degree")
x = torch.randn(4, 10, dtype=torch.float64)
layer(x)"""),
    nbf.v4.new_code_cell("""layer.polynomials"""),
    nbf.v4.new_markdown_cell("""Invariance, numerically, under a random orthogonal matrix (reflections included):"""),
    nbf.v4.new_code_cell("""q, _ = torch.linalg.qr(torch.randn(5, 5, dtype=torch.float64))
gx = torch.cat([x[:, :5] @ q.T, x[:, 5:] @ q.T], dim=1)
(layer(gx) - layer(x)).abs().max()"""),
    nbf.v4.new_markdown_cell("""## A finite group: the icosahedral reflection group $H_3$
Its invariants live over $\\mathbb{Q}(\\sqrt 5)$; the layer evaluates the exact coefficients in
floating point, and `root` conditioning makes every feature scale like $\\|x\\|$."""),
    nbf.v4.new_code_cell("""from invariants.catalogue import coxeter
h3 = invariant_layer(coxeter("H3"), normalize="root")
print(h3)
h3.polynomials[1]"""),
    nbf.v4.new_markdown_cell("""## Three ways to evaluate
`method="monomials"` (the default) builds every monomial from the previous degree and contracts
with the coefficient matrix: few, large torch operations, best at small batches and for Hessians.
`method="horner"` evaluates one shared multivariate Horner program: every polynomial split as
$P = P_0 + x_v P_1$, recursively, with every sub-polynomial computed once. For the elementary
symmetric polynomials this finds the recurrence $e_k(x_v,\\dots) = e_k(x_{v+1},\\dots) + x_v\\,e_{k-1}(x_{v+1},\\dots)$
by itself. `method="fused"` turns that program into one native loop: on CPU, C with one SIMD lane
per row and a generated reverse sweep for the backward (compiled once, cached on disk); on other
devices, `torch.compile`."""),
    nbf.v4.new_code_cell("""import sympy
from bridge import compile_polynomials
x = sympy.symbols("x0:4")
t = sympy.Symbol("t")
e = [sympy.expand(c) for c in sympy.Poly(sympy.prod([1 + t * v for v in x]), t).all_coeffs()[::-1][1:]]
program = compile_polynomials(e, list(x), method="horner").polys.program
print(program.n_operations, "operations;", "the program, run symbolically:")
program.expressions(x)"""),
    nbf.v4.new_markdown_cell("""## Throughput against batch size
The three methods against `sympy.lambdify(..., "torch")` on the elementary symmetric
polynomials of $S_8$ and the basic invariants of $W(E_6)$ (forward pass, float64; the one-off
compile of `fused` is left out of the timing). The full comparison is `benchmarks/bridge.py`."""),
    nbf.v4.new_code_cell("""import os, time
import matplotlib.pyplot as plt
from invariants import invariant_ring
from invariants.catalogue import weyl
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
batches = [1, 10, 100, 1000] if SMALL else [1, 10, 100, 1000, 10000, 100000]
x8 = sympy.symbols("x0:8")
e8 = [sympy.expand(c) for c in sympy.Poly(sympy.prod([1 + t * v for v in x8]), t).all_coeffs()[::-1][1:]]
cases = [("S8 elementary", e8, x8), ("W(E6)", invariant_ring(weyl("E6")).generators, sympy.symbols("x0:6"))]
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
for ax, (name, polys, xs) in zip(axes, cases):
    lam = sympy.lambdify(xs, polys, "torch")
    methods = ["monomials", "horner", "fused"]
    fns = {m: compile_polynomials(polys, list(xs), method=m) for m in methods}
    fns["lambdify-torch"] = lambda d: [lam(*d.unbind(1))]
    for label, fn in fns.items():
        fn(torch.randn(2, len(xs), dtype=torch.float64))  # compiles `fused`
        rates = []
        for b in batches:
            data = torch.randn(b, len(xs), dtype=torch.float64)
            start = time.perf_counter(); fn(data); rates.append(b / (time.perf_counter() - start))
        ax.loglog(batches, rates, "--" if label.startswith("lambdify") else "-", marker="o", label=label)
    ax.set_title(name); ax.set_xlabel("batch size")
axes[0].set_ylabel("rows / s"); axes[0].legend(fontsize=8)
plt.show()"""),
    nbf.v4.new_markdown_cell("""## Saved as plain data
`save` writes JSON: exponent vectors with exact coefficient strings (read back through a
whitelist parser, so a file cannot run code), the options and the fitted statistics."""),
    nbf.v4.new_code_cell("""import json, tempfile
from bridge import save, load
path = tempfile.mktemp(suffix=".json")
save(h3, path)
again = load(path)
z = torch.randn(3, 3, dtype=torch.float64)
print(again.polynomials == h3.polynomials, torch.equal(again(z), h3(z)))
json.loads(open(path).read())["polynomials"][0]"""),
]

nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = pathlib.Path(__file__).with_name("03_bridge.ipynb")
nbf.write(nb, path)
print("wrote", path)
