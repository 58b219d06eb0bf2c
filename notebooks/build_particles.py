"""Writes notebooks/11_particles_and_sets.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# Particles and sets

Global invariants stop being the right features once the input is a set or a particle system: the
invariant ring of $n$ points grows combinatorially with $n$. Two routes scale, and molien builds both
from the engine:

* **Invariant networks for any permutation group $G \\le S_n$** (Maron, Fetaya, Segol, Lipman 2019):
  linear layers between tensors $(\\mathbb{R}^n)^{\\otimes k}$ that commute with $G$, whose basis is the set
  of orbits of $G$ on index tuples $[n]^{k+l}$ — computed exactly, for $S_n$, a cyclic group, or a
  graph's automorphism group alike.
* **Equivariant message passing** for particles: messages built from the engine's invariants and
  covariants of $(x_i - x_j, v_i, v_j)$, summed over neighbours."""),
    nbf.v4.new_code_cell("""import os, json, pathlib, random, time
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import torch
from invariants import cyclic, dihedral, symmetric, equivariant_linear_maps
from invariants.catalogue.classical import permutation_matrix
from invariants.groups.finite.group import MatrixGroup
from invariants.groups.finite.tensor_orbits import tensor_orbits
from neural.sets import PermutationLinear, UniversalInvariantNetwork, universal_order
from neural.baselines import DeepSets
from neural.datasets import make
from neural.training import fit, evaluate
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
torch.manual_seed(0)"""),
    nbf.v4.new_markdown_cell("""## Orbits on index tuples: the bases of the layers

The number of $G$-equivariant linear maps $(\\mathbb{R}^n)^{\\otimes k} \\to (\\mathbb{R}^n)^{\\otimes l}$ is the number of
orbits of $G$ on $[n]^{k+l}$. For $S_n$ ($n \\ge k + l$) these are the Bell numbers 1, 2, 5, 15, 52; a
cyclic group, a dihedral group and the automorphism group of the Petersen graph (order 120, on 10
vertices) have their own. Each count is cross-checked against Burnside's lemma over the conjugacy
classes, and — for the smallest — against the engine's general solver of $A\\rho(g) = \\rho(g)A$."""),
    nbf.v4.new_code_cell("""def automorphisms(graph):
    nodes = sorted(graph)
    matcher = nx.algorithms.isomorphism.GraphMatcher(graph, graph)
    perms = [[m[v] for v in nodes] for m in matcher.isomorphisms_iter()]
    return MatrixGroup([permutation_matrix(p) for p in perms if p != nodes], name="Aut(Petersen)")

groups = {"S_6": symmetric(6), "C_6": cyclic(6, form="permutation"), "D_6": dihedral(6, form="permutation"),
          "Aut(Petersen)": automorphisms(nx.petersen_graph())}
print(f"{'group':>14} {'|G|':>6}  " + "  ".join(f"order {k}" for k in range(1, 5)))
for name, G in groups.items():
    counts = [tensor_orbits(G.natural(), k) for k in range(1, 5)]
    assert all(c.certified for c in counts)
    print(f"{name:>14} {G.order():>6}  " + "  ".join(f"{c.count:>7}" for c in counts))
rep = groups["D_6"].natural()
assert tensor_orbits(rep, 2).count == len(equivariant_linear_maps(rep, rep))"""),
    nbf.v4.new_markdown_cell("""A layer's equivariance, checked on random group elements (words in the generators) in float64:"""),
    nbf.v4.new_code_cell("""G = groups["Aut(Petersen)"]
layer = PermutationLinear(G.natural(), 1, 2, 2, 3).double()
x = torch.randn(4, 2, 10, dtype=torch.float64)
gens = [G.to_perm(g) for g in G.generators]
rng = random.Random(0)
errors = []
for _ in range(5):
    perm = list(range(10))
    for _ in range(10):
        g = rng.choice(gens); perm = [g[p] for p in perm]
    inv = torch.argsort(torch.tensor(perm))
    with torch.no_grad():
        y = layer(x)
        errors.append(float((layer(x[..., inv]) - y[..., inv, :][..., inv]).abs().max()))
print("max equivariance error:", max(errors))"""),
    nbf.v4.new_markdown_cell("""## Which tensor order is universal

An order-$d$ network approximates every invariant polynomial of degree $\\le d$, so it is universal once
$d$ reaches the top degree of a generating set of the invariant ring (Maron et al. 2019, with Göbel's
bound $\\max(n, n(n-1)/2)$ for every $G \\le S_n$). The engine computes that degree exactly:"""),
    nbf.v4.new_code_cell("""for name in ["S_6", "C_6", "D_6"]:
    print(f"{name}: invariant ring generated in degree <= {universal_order(groups[name].natural())}")"""),
    nbf.v4.new_markdown_cell("""## A task that is only cyclic

`CyclicSet`: values on the vertices of an 8-gon, $y = \\frac1n\\sum_i x_i x_{i+1}^2 + e^{-(x_i - 2x_{i+1})^2/2}$.
It is invariant under the rotations $C_8$ only, so DeepSets (invariant under all of $S_8$) is wrong by
construction; the order-2 network for $C_8$ sees every pair $(x_i, x_j)$ with the orbit of $(i, j)$ — the
difference $j - i$ mod 8."""),
    nbf.v4.new_code_cell("""n_train, epochs = (200, 15) if SMALL else (1000, 300)
data = make("CyclicSet", 2000 + n_train, seed=0)
test, train = data.split(2000, 0, n_train)[0], data.split(2000, 0, n_train)[2]
scores = {}
for name, model in {"DeepSets (S_8)": DeepSets(8), "order-2 network (C_8)": UniversalInvariantNetwork(data.rep_in, 2)}.items():
    torch.manual_seed(0)
    fit(model, train.to(torch.float32), epochs=epochs, lr=3e-3, progress=False)
    scores[name] = evaluate(model, test.to(torch.float32))
variance = float(test.Y.var())
for name, mse in scores.items():
    print(f"{name:>24}: test MSE {mse:.4f}  ({mse / variance:.1%} of the target variance)")"""),
    nbf.v4.new_markdown_cell("""## Particles: equivariant message passing

The charged N-body task of Satorras, Hoogeboom, Welling (2021), simulated by `neural.datasets.nbody`
(five charged particles; positions after 1000 steps from positions, velocities and charges). Each
layer's edge features are the engine's invariants of $(x_i - x_j, v_i, v_j)$ under O(3) (Gram entries),
and the positions and vectors move by learned combinations of the engine's covariants. The whole
network is equivariant under rotations, reflections, translations and permutations of the particles:"""),
    nbf.v4.new_code_cell("""from bridge.actions import orthogonal
from neural.datasets.nbody import charged_nbody
from neural.graph import EGNN, ParticleNetwork, fully_connected

count, held_out = (150, 100) if SMALL else (3000, 500)
raw = charged_nbody(count + held_out, seed=0)
tensors = {k: torch.tensor(v) for k, v in raw.items()}
net = ParticleNetwork("O(3):v", node_features=1).double()

def predict(net, batch):
    b, n, d = batch["positions"].shape
    x, v, q = (batch[k].reshape(b * n, *batch[k].shape[2:]) for k in ("positions", "velocities", "charges"))
    out = net(x, v[:, None], q[:, None], fully_connected(n, b)) if isinstance(net, ParticleNetwork) else net(x, v, q, fully_connected(n, b))
    return out.reshape(b, n, d)

batch = {k: v[:8] for k, v in tensors.items()}
R = orthogonal(3, 1, generator=torch.Generator().manual_seed(1))[0].double()
t, perm = torch.randn(3, dtype=torch.float64), torch.randperm(5)
moved = {"positions": batch["positions"][:, perm] @ R.T + t, "velocities": batch["velocities"][:, perm] @ R.T,
         "charges": batch["charges"][:, perm]}
with torch.no_grad():
    err = (predict(net, moved) - (predict(net, batch)[:, perm] @ R.T + t)).abs().max()
print(f"det R = {float(torch.det(R)):+.0f}; equivariance error {float(err):.1e}")"""),
    nbf.v4.new_markdown_cell("""Training molien's network and EGNN side by side (a few epochs here; the benchmark
`benchmarks/manybody.py` runs the full protocol):"""),
    nbf.v4.new_code_cell("""def train(net, data, epochs):
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    n = len(data["positions"])
    for _ in range(epochs):
        order = torch.randperm(n)
        for i in range(0, n, 100):
            b = {k: v[order[i:i + 100]] for k, v in data.items()}
            loss = ((predict(net, b) - b["target"]) ** 2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        return float(((predict(net, test_set) - test_set["target"]) ** 2).mean())

train_set = {k: v[:count] for k, v in tensors.items()}
test_set = {k: v[count:] for k, v in tensors.items()}
epochs = 3 if SMALL else 50
for name, model in {"molien O(3)": ParticleNetwork("O(3):v", node_features=1), "EGNN": EGNN()}.items():
    torch.manual_seed(0)
    print(f"{name:>12}: test MSE {train(model.double(), train_set, epochs):.4f} after {epochs} epochs")"""),
    nbf.v4.new_markdown_cell("""## Scaling with the number of particles

With a cutoff radius the number of edges grows linearly with the number of particles, and so do the
time and the memory of a pass (`benchmarks/manybody_scaling.py`; the figure below is its last run
when present, else a small live run):"""),
    nbf.v4.new_code_cell("""path = pathlib.Path("../benchmarks/results/manybody-scaling.json")
if path.exists() and not SMALL:
    records = json.loads(path.read_text())
else:
    from neural.graph import radius_graph
    records = []
    for count in [5, 20, 50]:
        x = torch.rand(count, 3) * (count / 2) ** (1 / 3)
        data = {"x": x, "v": torch.randn(count, 3), "q": torch.ones(count), "edges": radius_graph(x, 1.5)}
        net = ParticleNetwork("O(3):v", node_features=1)
        start = time.perf_counter()
        net(data["x"], data["v"][:, None], data["q"][:, None], data["edges"]).sum().backward()
        records.append({"model": "molien-o3", "particles": count, "edges": data["edges"].shape[1],
                        "seconds": time.perf_counter() - start})
fig, ax = plt.subplots(figsize=(5, 3.5))
for name in dict.fromkeys(r["model"] for r in records):
    rows = [r for r in records if r["model"] == name]
    ax.loglog([r["edges"] for r in rows], [1e3 * r["seconds"] for r in rows], "o-", label=name)
ax.set(xlabel="edges", ylabel="ms per forward + backward"); ax.legend(); ax.grid(True, which="both", alpha=0.3)"""),
]

nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"display_name": "Python 3", "language": "python",
                                                               "name": "python3"}})
nbf.write(nb, pathlib.Path(__file__).with_name("11_particles_and_sets.ipynb"))
