"""Writes notebooks/10_equivariant_convolutions.ipynb (cells kept here so the notebook diffs cleanly)."""
import pathlib

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# Equivariant convolutions from the engine

A layer of a group CNN is an equivariant linear map followed by an equivariant nonlinearity. For a
convolution $\\mathrm{out}(x) = \\sum_p K(p)\\, \\mathrm{in}(x + p)$ between fields of types $\\rho_{in}$ and
$\\rho_{out}$ over the square grid, equivariance under a point group $G$ is exactly
$K(gp) = \\rho_{out}(g) K(p) \\rho_{in}(g)^{-1}$: $K \\in \\mathrm{Hom}_G(P \\otimes \\rho_{in}, \\rho_{out})$ with
$P$ the permutation representation on the stencil. molien solves this exactly, orbit by orbit
(Frobenius reciprocity: an orbit $G\\cdot p$ contributes $\\mathrm{Hom}_{G_p}(\\rho_{in}, \\rho_{out})$), for any
finite group and any field types — then builds the layers on it."""),
    nbf.v4.new_code_cell("""import os, time
import matplotlib.pyplot as plt
import numpy as np
import torch
from invariants.covariants.kernels import kernel_basis, stencil
from bridge.kernel_bases import kernel_basis_array
from neural.conv import (CovariantNonlinearity, GroupCNN, GroupConv2d, PointwiseNonlinearity, grid_space)
SMALL = os.environ.get("MOLIEN_SMALL") == "1"
torch.manual_seed(0)
space = grid_space("p4m")  # D4 acting on pixels
G = space.group
space"""),
    nbf.v4.new_markdown_cell("""## Exact kernel bases
How many $5\\times5$ kernels each pair of field types allows, and the check of the defining equation
in exact arithmetic. A regular field is a G-CNN's stack of rotated and flipped copies; the
plane's vectors are a steerable field; `det` is the sign of the reflections."""),
    nbf.v4.new_code_cell("""types = {"trivial": G.atom("0"), "det": G.atom("det"), "plane": G.natural(), "regular": G.regular()}
rows = []
for a, ra in types.items():
    counts = []
    for b, rb in types.items():
        basis = kernel_basis(G.natural(), ra, rb, stencil(2))
        assert basis.check()
        counts.append(len(basis))
    rows.append((a, counts))
print("in \\\\ out  " + "  ".join(f"{b:>8}" for b in types))
for a, counts in rows:
    print(f"{a:>9}  " + "  ".join(f"{c:>8}" for c in counts))"""),
    nbf.v4.new_markdown_cell("""The kernels from a scalar image to a vector field are the D4-symmetric gradient stencils, and those
from scalars to scalars are the D4-symmetric filters (one per orbit of pixels):"""),
    nbf.v4.new_code_cell("""grad = kernel_basis_array(G.natural(), G.atom("0"), G.natural(), 2)
scalar = kernel_basis_array(G.natural(), G.atom("0"), G.atom("0"), 2)
fig, axes = plt.subplots(2, max(len(grad), len(scalar)), figsize=(12, 4))
for ax in axes.flat:
    ax.axis("off")
for i, k in enumerate(grad):
    axes[0, i].imshow(np.concatenate([k[0, 0], k[1, 0]], 1), cmap="RdBu", vmin=-0.5, vmax=0.5)
    axes[0, i].set_title(f"scalar → vector {i}", fontsize=8)
for i, k in enumerate(scalar):
    axes[1, i].imshow(k[0, 0], cmap="RdBu", vmin=-0.5, vmax=0.5)
    axes[1, i].set_title(f"scalar → scalar {i}", fontsize=8)
plt.tight_layout()"""),
    nbf.v4.new_markdown_cell("""## A group CNN learns from upright images only
Three patterns drawn in one pose each for training; at test time they appear in all eight poses of
D4. A plain CNN of the same shape has only seen one pose; the p4m network's logits are invariant
by construction."""),
    nbf.v4.new_code_cell("""def pattern(kind, side=9):
    im = torch.zeros(side, side)
    if kind == 0:   # an L
        im[2:7, 3] = 1; im[6, 3:6] = 1
    elif kind == 1:  # a T
        im[2, 2:7] = 1; im[2:7, 4] = 1
    else:            # a step
        im[2:5, 2] = 1; im[4, 2:5] = 1; im[4:7, 4] = 1
    return im

def dataset(n, moved, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.stack([pattern(int(c)) for c in y])[:, None] + 0.1 * torch.randn(n, 1, 9, 9, generator=g)
    if moved:
        elements = torch.randint(0, space.order, (n,), generator=g)
        x = torch.cat([space.transform(x[i:i + 1], int(e), space.type(space.trivial)) for i, e in enumerate(elements)])
    return x, y

xtr, ytr = dataset(120, False, 0)
xte, yte = dataset(300, True, 1)

class PlainCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.f = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
                                     torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU())
        self.head = torch.nn.Linear(32, 3)
    def forward(self, x):
        return self.head(self.f(x).mean((-2, -1)))

def train(net, steps=40 if SMALL else 150):
    opt = torch.optim.Adam(net.parameters(), 1e-2)
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(net(xtr), ytr)
        opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad():
        return float((net(xte).argmax(1) == yte).float().mean())

start = time.perf_counter()
gcnn = GroupCNN(space, 1, 3, channels=(4, 8), kernel_size=3)
print(f"p4m network built in {time.perf_counter() - start:.2f} s")
print("plain CNN, test in all poses:", train(PlainCNN()))
print("p4m group CNN, test in all poses:", train(gcnn))"""),
    nbf.v4.new_markdown_cell("""## Equivariance, measured under every element
The logits of the trained network under each of the 8 elements, in float64:"""),
    nbf.v4.new_code_cell("""net = gcnn.double().eval()
x = torch.randn(4, 1, 9, 9, dtype=torch.float64)
with torch.no_grad():
    base = net(x)
    errors = [float((net(space.transform(x, g, space.type(space.trivial))) - base).abs().max()) for g in range(space.order)]
errors"""),
    nbf.v4.new_markdown_cell("""## The exact nonlinearity
A pointwise ReLU is equivariant only on fields that permute their channels. On a vector field it
breaks the symmetry; the covariant nonlinearity $y = |x| \\sum_j f_j(u(x))\\, c_j(x)/|x|^{\\deg c_j}$ — the
covariants $c_j$ and invariants $u$ of the field's representation from the engine, $f$ learned — is
equivariant exactly, for any field type."""),
    nbf.v4.new_code_cell("""vectors = 2 * space.type(G.natural())
exact = CovariantNonlinearity(vectors, degree=3).double()
x = torch.randn(2, vectors.size, 7, 7, dtype=torch.float64)

def error(f):
    y = f(x)
    return max(float((f(space.transform(x, g, vectors)) - space.transform(y, g, vectors)).abs().max())
               for g in range(space.order))

print("pointwise ReLU on vector fields:", error(torch.relu))
print("covariant nonlinearity:        ", error(exact))"""),
    nbf.v4.new_markdown_cell("""## Rotations that leave the grid: the steerable route
C8 and D8 rotate by 45°, which no pixel permutation does. Their kernels are Gaussian rings times
angular harmonics $\\cos k\\varphi, \\sin k\\varphi$; the coefficient matrices are exact solutions over
$\\mathbb{Q}(\\sqrt 2)$ of $\\Phi\\,(T_k(g) \\otimes \\rho_{in}(g)) = \\rho_{out}(g)\\,\\Phi$, sampled at the pixels.
The network is exactly invariant under the quarter turns and flips, and approximately under the
rest — measured here on a smooth image as a function of the angle."""),
    nbf.v4.new_code_cell("""from neural.conv import steerable_space
import torch.nn.functional as F
steer = steerable_space(8, flips=True)
start = time.perf_counter()
net8 = GroupCNN(steer, 1, 4, channels=(2, 4), kernel_size=5).double().eval()
print(f"D8 network built in {time.perf_counter() - start:.2f} s")
u = torch.linspace(-1, 1, 21, dtype=torch.float64)
blob = torch.exp(-((u[:, None] - 0.3) ** 2 + (u[None, :] + 0.1) ** 2) / 0.1)
x = (blob - blob.mean())[None, None]
angles = np.linspace(0, 90, 19)
errs = []
with torch.no_grad():
    base = net8(x)
    for a in angles:
        t = np.radians(a)
        theta = torch.tensor([[[np.cos(t), -np.sin(t), 0.0], [np.sin(t), np.cos(t), 0.0]]], dtype=torch.float64)
        moved = F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), align_corners=False)
        errs.append(float((net8(moved) - base).norm() / base.norm()))
plt.figure(figsize=(5, 3))
plt.semilogy(angles, np.maximum(errs, 1e-17), "o-")
plt.xlabel("rotation (degrees)"); plt.ylabel("relative change of logits")
plt.title("D8 steerable network: exact at 0° and 90°")"""),
    nbf.v4.new_markdown_cell("""### SO(2): every angle, solved through the Lie algebra
`steerable_space(None)` is SO(2) (O(2) with `flips=True`); its field types are the frequencies
`group.frequency(k)`, and its kernels the engine's rational solutions of
Φ (kX ⊗ 1 + 1 ⊗ X_in) = X_out Φ. Exact at the quarter turns, close at the other angles."""),
    nbf.v4.new_code_cell("""from neural.conv import GatedNonlinearity
so2 = steerable_space(None)
F = so2.group.frequency
fields = so2.type(F(0), F(1), F(2))
gate = GatedNonlinearity(fields)
layer = torch.nn.Sequential(GroupConv2d(so2.type(so2.trivial), gate.in_type, 7), gate).double()
y = layer(x)
quarter = next(e for e in range(so2.order) if so2.moves_pixels(e) and e)
print("quarter turn:", float((layer(so2.transform(x, quarter, so2.type(so2.trivial))) - so2.transform(y, quarter, fields)).abs().max()))"""),
    nbf.v4.new_markdown_cell("""## Harmonic distortion
A Fourier field of SO(2) (frequencies 0…3, the engine's `SO(2):0+1+2+3`) under a ReLU applied to
its values at N angles and projected back — the usual steerable nonlinearity — is equivariant only
under the N sampled rotations. The covariant map is equivariant at every angle."""),
    nbf.v4.new_code_cell("""import math
from invariants import load_spec
from neural.conv import CovariantMap
L = 3
def rotation(alpha):
    out = torch.zeros(len(alpha), 2 * L + 1, 2 * L + 1, dtype=torch.float64); out[:, 0, 0] = 1
    for k in range(1, L + 1):
        c, s = torch.cos(k * alpha), torch.sin(k * alpha); i = 2 * k - 1
        out[:, i, i], out[:, i, i + 1], out[:, i + 1, i], out[:, i + 1, i + 1] = c, -s, s, c
    return out
def sampled_relu(n):
    th = 2 * math.pi * torch.arange(n, dtype=torch.float64) / n
    A = torch.stack([torch.ones_like(th)] + [f(k * th) for k in range(1, L + 1) for f in (torch.cos, torch.sin)], 1)
    back = torch.linalg.pinv(A)
    return lambda c: torch.relu(c @ A.T) @ back.T
def distortion(f):
    g = torch.Generator().manual_seed(0)
    c = torch.randn(500, 2 * L + 1, generator=g, dtype=torch.float64)
    R = rotation(torch.rand(500, generator=g, dtype=torch.float64) * 2 * math.pi)
    with torch.no_grad():
        return float(((f(torch.einsum("bij,bj->bi", R, c)) - torch.einsum("bij,bj->bi", R, f(c))).norm(dim=1) / c.norm(dim=1)).mean())
Ns = [4, 8, 16, 32, 64, 128]
relu_err = [distortion(sampled_relu(n)) for n in Ns]
cov = CovariantMap(load_spec("SO(2):0+1+2+3"), invariant_degree=3).double()
exact_err = distortion(lambda c: cov(c[:, None, :])[:, 0])
plt.figure(figsize=(5, 3))
plt.loglog(Ns, relu_err, "o-", label="ReLU at N angles")
plt.axhline(max(exact_err, 1e-17), color="k", ls="--", label="covariant map")
plt.xlabel("N"); plt.ylabel("equivariance error"); plt.legend()
print("covariant map:", exact_err)"""),
    nbf.v4.new_markdown_cell("""## Spherical CNNs: S² = SO(3)/SO(2)
A signal on the sphere, band-limited to degree L, is a vector in ⊕ V_l, the engine's SO(3)
irreducibles (`SO3().irrep(l)` on rational solid harmonics, normalised in `bridge.sphere`).
Convolutions are per-degree matrices (Schur), the Clebsch–Gordan nonlinearity uses the engine's
exact maps V_{l1} ⊗ V_{l2} → V_l, and the read-out is the power spectrum and bispectrum — which
span the engine's degree-2 and degree-3 invariants of ⊕ V_l."""),
    nbf.v4.new_code_cell("""from invariants import SO3
from invariants.groups.compact import rational_rotation
from invariants.groups.compact.clebsch_gordan import clebsch_gordan
C = clebsch_gordan(1, 2, 2)
D1, D2 = (SO3().irrep(l)(rational_rotation(1, 2, 3, 4)) for l in (1, 2))
print("C (D1 ⊗ D2) == D2 C exactly:", C @ D1.kron(D2) == D2 @ C)
clebsch_gordan(1, 1, 1)   # the cross product, in e3nn's order (y, z, x)"""),
    nbf.v4.new_code_cell("""from bridge.actions import orthogonal
from bridge.sphere import rotation_blocks
from neural.sphere import SphereType, SphericalCNN
torch.manual_seed(0)
L = 4
sphere_net = SphericalCNN(L, 10, channels=(4, 4), resolution=6, nonlinearity="tensor").double().eval()
t = SphereType.signal(1, L)
x = torch.randn(8, t.dim, dtype=torch.float64)
R = orthogonal(3, 8, special=True, generator=torch.Generator().manual_seed(1))
moved = t.rotate(x, rotation_blocks(L, R))
with torch.no_grad():
    print("invariance error under random rotations:",
          float((sphere_net.from_coefficients(moved) - sphere_net.from_coefficients(x)).abs().max()))"""),
    nbf.v4.new_markdown_cell("""The grid nonlinearity (ReLU at the nodes of a quadrature grid, then projected back) is the
usual choice; it is equivariant only up to aliasing, which falls as the grid is refined."""),
    nbf.v4.new_code_cell("""from neural.sphere import GridNonlinearity
def grid_error(resolution):
    t = SphereType.signal(2, L)
    layer = GridNonlinearity(t, resolution=resolution).double()
    x = torch.randn(16, t.dim, dtype=torch.float64)
    blocks = rotation_blocks(L, orthogonal(3, 16, special=True, generator=torch.Generator().manual_seed(2)))
    y = layer(x)
    return float((layer(t.rotate(x, blocks)) - t.rotate(y, blocks)).abs().max() / y.abs().max())
resolutions = [4, 8, 16, 32]
plt.figure(figsize=(5, 3))
plt.loglog(resolutions, [grid_error(r) for r in resolutions], "o-")
plt.xlabel("grid resolution (Gauss–Legendre nodes − 1)"); plt.ylabel("equivariance error")
plt.title(f"ReLU on the sphere, L = {L}")"""),
]

nb = nbf.v4.new_notebook()
nb["cells"] = cells
nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
pathlib.Path(__file__).with_name("10_equivariant_convolutions.ipynb").write_text(nbf.writes(nb))
