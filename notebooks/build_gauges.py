"""Writes notebooks/12_gauges_and_group_actions.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

MESH = [
    nbf.v4.new_markdown_cell("""# Gauges and group actions

Two architectures that need exactly what the engine gives: convolutions on curved surfaces that
respect *local* symmetry (de Haan, Weiler, Cohen & Welling, ICLR 2021), and networks that *are* a
group action (Spanbauer & Sciarappa 2020).

## 1. Fields on a surface have no preferred frame
A tangent vector at a vertex is two numbers only once a frame $(e_1, e_2)$ of the tangent plane is
chosen — the *gauge*. Nothing on a sphere prefers one, so a layer must give the same answer in
every gauge: turning the frame at vertex $p$ by $\\gamma_p$ changes a field of SO(2)-frequency $k$ by
$\\rho_k(-\\gamma_p)$, and the layer's output must change the same way. A convolution reads three
arrays off the mesh: where each neighbour $q$ sits in $p$'s frame (the log map: angle
$\\theta_{pq}$, radius $r_{pq}$) and how $q$'s frame is carried to $p$'s along the edge (parallel
transport $g_{q\\to p}$)."""),
    nbf.v4.new_code_cell("""import math, os, time
import matplotlib.pyplot as plt
import numpy as np
import torch
from neural.conv.gspace import steerable_space
from neural.mesh import (GaugeCNN, GaugeConv, MeshGeometry, change_gauge, deformed_sphere, gradient_task)
from bridge.kernel_bases import harmonic_kernel_arrays
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
torch.manual_seed(0)
mesh = MeshGeometry(*deformed_sphere(2, 0.25, np.random.default_rng(0)))
mesh"""),
    nbf.v4.new_code_cell("""fig = plt.figure(figsize=(6, 6))
ax = fig.add_subplot(projection="3d")
v = mesh.vertices
ax.plot_trisurf(v[:, 0], v[:, 1], v[:, 2], triangles=mesh.faces, color="0.85", alpha=0.5, linewidth=0.2, edgecolor="0.5")
front = v[:, 1] < 0
for axis, colour in ((0, "tab:red"), (1, "tab:blue")):
    e = mesh.frames[front, axis] * 0.12
    ax.quiver(*v[front].T, *e.T, color=colour, linewidth=0.8)
ax.set_title("an arbitrary frame per vertex (red e1, blue e2)")
ax.set_axis_off()"""),
    nbf.v4.new_markdown_cell("""## 2. Kernels the engine solves
The kernel from a field of frequency $m$ to one of frequency $n$ is a sum of angular harmonics
$\\cos k\\theta, \\sin k\\theta$ whose coefficients satisfy $K(g\\theta) = \\rho_{out}(g) K(\\theta)\\rho_{in}(g)^{-1}$ —
the same steerable bases as the grid convolutions, solved exactly (through the Lie algebra for
SO(2)). The count per pair: only $k = |m \\pm n|$ occur, two solutions each (for $m, n > 0$)."""),
    nbf.v4.new_code_cell("""space = steerable_space(None)
G = space.group
print("in\\\\out " + " ".join(f"{n:>4}" for n in range(4)))
for m in range(4):
    row = []
    for n in range(4):
        ks = [k for k, _ in harmonic_kernel_arrays(space.plane, G.frequency(m), G.frequency(n), 6)]
        row.append(len(ks))
    print(f"{m:>6}  " + " ".join(f"{c:>4}" for c in row))"""),
    nbf.v4.new_markdown_cell("""## 3. A random gauge at every vertex
Build a layer from scalars and vectors to scalars, vectors and frequency-2 fields; turn every
frame by its own random angle; the output moves exactly as declared."""),
    nbf.v4.new_code_cell("""f = G.frequency
in_type = space.type(space.trivial) + 2 * space.type(f(1))
out_type = 2 * space.type(space.trivial) + space.type(f(1)) + space.type(f(2))
conv = GaugeConv(in_type, out_type).double()
x = torch.randn(mesh.num_vertices, in_type.size, dtype=torch.float64)
gamma = np.random.default_rng(1).uniform(0, 2 * np.pi, mesh.num_vertices)
g = torch.from_numpy(gamma)
with torch.no_grad():
    y = conv(x, mesh)
    y_turned = conv(change_gauge(x, g, in_type), mesh.rotate_frames(gamma))
print(conv)
print("max |f(gauge · x) − gauge · f(x)| =", float((y_turned - change_gauge(y, g, out_type)).abs().max()))
print("and without transforming the output:", float((y_turned - y).abs().max()))"""),
    nbf.v4.new_markdown_cell("""## 4. Learn a tangent field in any gauge
Input: a random smooth function $f$ on a deformed sphere; target: its surface gradient, a tangent
vector field, in frames turned at random. A gauge CNN from scalars to vectors learns it; a network
whose kernels ignore the gauge would have to learn every frame from data."""),
    nbf.v4.new_code_cell("""train = gradient_task(8 if SMALL else 32, level=2, amplitude=0.25, seed=0)
test = gradient_task(4 if SMALL else 16, level=2, amplitude=0.25, seed=1)
def stack(samples):
    geometry = MeshGeometry.union([s.geometry for s in samples])
    x, y = (torch.tensor(np.concatenate([getattr(s, k) for s in samples]), dtype=torch.float32) for k in "xy")
    return geometry, x, y
batches = [stack(train[i:i + 8]) for i in range(0, len(train), 8)]
tg, tx, ty = stack(test)
torch.set_num_threads(1)
model = GaugeCNN(space.type(space.trivial), space.type(f(1)), channels=8, depth=2)
opt = torch.optim.Adam(model.parameters(), 1e-2)
start, curve = time.time(), []
for epoch in range(15 if SMALL else 60):
    for geometry, x, y in batches:
        opt.zero_grad()
        loss = ((model(x, geometry) - y) ** 2).mean()
        loss.backward()
        opt.step()
    with torch.no_grad():
        curve.append(float(((model(tx, tg) - ty) ** 2).mean() / (ty ** 2).mean()))
print(f"test relative MSE {curve[-1]:.4f} after {time.time() - start:.1f} s")
plt.semilogy(curve); plt.xlabel("epoch"); plt.ylabel("test MSE / mean |target|²");"""),
    nbf.v4.new_code_cell("""sample = test[0]
with torch.no_grad():
    pred = model(torch.tensor(sample.x, dtype=torch.float32), sample.geometry).double().numpy()
geo = sample.geometry
true3, pred3 = geo.from_frame(sample.y), geo.from_frame(pred)
fig = plt.figure(figsize=(6, 6))
ax = fig.add_subplot(projection="3d")
v = geo.vertices
ax.scatter(*v.T, c=sample.x[:, 0], cmap="coolwarm", s=8)
front = v[:, 1] < 0
ax.quiver(*v[front].T, *(0.1 * true3[front]).T, color="k", linewidth=0.8, label="surface gradient")
ax.quiver(*v[front].T, *(0.1 * pred3[front]).T, color="tab:orange", linewidth=0.8, label="gauge CNN")
ax.legend(); ax.set_axis_off()"""),
]

ACTIONS = [
    nbf.v4.new_markdown_cell("""## 5. Networks that are a group action
For a finite group $G$ given to the engine by generators and a representation $\\rho$, the networks
$N_g = \\varphi^{-1}\\circ\\rho(g)\\circ\\varphi$ with $\\varphi$ an invertible network (coupling layers) obey
$N_g \\circ N_h = N_{gh}$ and $N_e = \\mathrm{id}$ for *every* $\\varphi$ — so fitting $\\varphi$ to pairs
$(x, T(x))$ learns a hidden nonlinear symmetry $T$ as a conjugate of a known linear one, and every
other element of $G$ comes with it. Here: the group law for every pair of elements of S3 acting on
$\\mathbb{R}^3$, with a random nonlinear $\\varphi$."""),
    nbf.v4.new_code_cell("""from invariants import cyclic, symmetric
from neural.group_actions import Involution, NeuralGroupAction, ParityNetwork
torch.manual_seed(0)
action = NeuralGroupAction(symmetric(3).natural(), layers=4).double()
with torch.no_grad():
    for p in action.parameters():
        p.add_(0.3 * torch.randn_like(p))
x = torch.randn(256, 3, dtype=torch.float64)
with torch.no_grad():
    law = max(float((action(action(x, h), g) - action(x, action.compose(g, h))).abs().max())
              for g in range(action.order) for h in range(action.order))
    linear = float(min((action(x, g) - x @ action.linear(g).T).abs().max() for g in range(action.order) if g != action.identity))
print(f"|G| = {action.order}; max |N_g N_h x − N_gh x| over all pairs = {law:.1e}; "
      f"N_g is far from linear (min over g ≠ e of max |N_g x − ρ(g)x| = {linear:.2f})")"""),
    nbf.v4.new_markdown_cell("""### Learning a C5 symmetry hidden in a nonlinear embedding
$T = E\\circ\\mathrm{rot}(2\\pi/5)\\circ E^{-1}$ for a nonlinear diffeomorphism $E$ of the plane; 256 pairs
$(x, T(x))$. The structured model fits the generator; an MLP of the same size fits it too, but its
fifth power is not the identity, and the elements nobody trained on ($T^2, T^3, T^4$) are far off."""),
    nbf.v4.new_code_cell("""def embed(y):  # E: a nonlinear diffeomorphism of the plane (a shear then a bend)
    u = y[:, 0] + 0.4 * torch.sin(y[:, 1])
    return torch.stack([u, y[:, 1] + 0.3 * u ** 2 / (1 + u ** 2)], 1)
c, s = math.cos(2 * math.pi / 5), math.sin(2 * math.pi / 5)
turn = torch.tensor([[c, -s], [s, c]], dtype=torch.float64)
y = torch.randn(256, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
x, target = embed(y), embed(y @ turn.T)
model = NeuralGroupAction(cyclic(5).natural(), layers=6).double()
mlp = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.SiLU(), torch.nn.Linear(64, 64), torch.nn.SiLU(),
                          torch.nn.Linear(64, 2)).double()
gen = model.generators[0]
steps = 150 if SMALL else 1000
for net, forward in ((model, lambda z: model(z, gen)), (mlp, mlp)):
    opt = torch.optim.Adam(net.parameters(), 5e-3)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((forward(x) - target) ** 2).mean()
        loss.backward()
        opt.step()
ty = torch.randn(1000, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
tx = embed(ty)
with torch.no_grad():
    for name, step in (("NeuralGroupAction", lambda z: model(z, gen)), ("MLP", mlp)):
        z, errors = tx, []
        for k in range(1, 6):
            z = step(z)
            errors.append(float(((z - embed(ty @ torch.linalg.matrix_power(turn, k).T)) ** 2).mean()))
        print(f"{name:>18}: MSE of T^1..T^4 {['%.1e' % e for e in errors[:4]]}, |N^5 x − x| max "
              f"{float((z - tx).abs().max()):.1e}")"""),
    nbf.v4.new_markdown_cell("""### Involutions and parity
`Involution` is the Z2 case, $N\\circ N = \\mathrm{id}$ exactly (a time reversal); `ParityNetwork` is
invariant up to a sign under an involutory affine map, $f(Ax + b) = p\\,f(x)$ — checked exactly
($A^2 = I$, $Ab + b = 0$) before it is built."""),
    nbf.v4.new_code_cell("""n = Involution(2, negatives=1).double()
with torch.no_grad():
    for p in n.parameters():
        p.add_(0.3 * torch.randn_like(p))
z = torch.randn(100, 2, dtype=torch.float64)
torch.set_grad_enabled(False)
print("involution: max |N(N(x)) − x| =", float((n(n(z)) - z).abs().max()))
f = ParityNetwork([[0, 1], [1, 0]], [1, -1], parity=-1).double()   # T(x) = (x2 + 1, x1 − 1)
print("odd under T: max |f(Tx) + f(x)| =", float((f(f.transform(z)) + f(z)).abs().max()))
try:
    ParityNetwork([[1, 1], [0, 1]])
except Exception as error:
    print(type(error).__name__, "—", error)"""),
]

cells = MESH + ACTIONS
nb = nbf.v4.new_notebook()
nb["cells"] = cells
nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
pathlib.Path(__file__).with_name("12_gauges_and_group_actions.ipynb").write_text(nbf.writes(nb))
