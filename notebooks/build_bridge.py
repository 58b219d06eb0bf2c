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
    nbf.v4.new_markdown_cell("""## Throughput against batch size
Our compiled layer against `sympy.lambdify(..., "torch")` on the generators of $S_8$ and $W(E_6)$
(forward pass, float64). The full comparison is `benchmarks/bridge.py`."""),
    nbf.v4.new_code_cell("""import os, time, sympy
import matplotlib.pyplot as plt
from bridge import compile_polynomials
from invariants import invariant_ring
from invariants.catalogue import symmetric, weyl
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
batches = [1, 10, 100, 1000] if SMALL else [1, 10, 100, 1000, 10000, 100000]
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, group in [("S8", symmetric(8)), ("W(E6)", weyl("E6"))]:
    polys = invariant_ring(group).generators
    x = sympy.symbols(f"x0:{group.degree}")
    ours = compile_polynomials(polys, list(x))
    lam = sympy.lambdify(x, polys, "torch")
    for label, fn, style in [("molien", ours, "-"), ("lambdify-torch", lambda d: [lam(*d.unbind(1))], "--")]:
        rates = []
        for b in batches:
            data = torch.randn(b, len(x), dtype=torch.float64)
            start = time.perf_counter(); fn(data); rates.append(b / (time.perf_counter() - start))
        ax.loglog(batches, rates, style, marker="o", label=f"{name}, {label}")
ax.set_xlabel("batch size"); ax.set_ylabel("rows / s"); ax.legend(fontsize=8)
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
