"""Writes the symmetry-learning notebooks 06–09 (cells kept here so the notebooks diff cleanly)."""
import pathlib

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
SETUP = """import os
import math
import torch
torch.set_num_threads(1)
SMALL = os.environ.get("MOLIEN_SMALL") == "1\""""

NOTEBOOKS = {
    "06_orbits.ipynb": [
        md("""# Orbits: recognising an object whatever its pose

An orbit classifier sees only invariants, so rotating or relabelling the test data cannot change
its answer. Here: point clouds of 8 points from 4 template shapes, under O(3) × S₈. The features are
exact O(3) invariants (inner products, by the first fundamental theorem) pooled symmetrically over
the points; a plain MLP on the coordinates is the baseline. Both are trained on *unrotated* clouds."""),
        code(SETUP),
        code("""from neural.symmetry.orbits import (OrbitClassifier, PointCloudInvariants, accuracy, fit_classifier,
                                    template_clouds)
n = 200 if SMALL else 1000
x, y = template_clouds(n, rotate=False, permute=False, seed=0)
xv, yv = template_clouds(200, rotate=False, permute=False, seed=1)
xt, yt = template_clouds(n, rotate=False, permute=False, seed=2)
xr, yr = template_clouds(n, rotate=True, permute=True, seed=2)      # the same clouds, moved
results = {}
for name, model in {"invariants → MLP": OrbitClassifier(PointCloudInvariants(8), 4),
                    "MLP on coordinates": OrbitClassifier(torch.nn.Flatten(), 4, in_features=24)}.items():
    fit_classifier(model, x, y, xv, yv, epochs=60 if SMALL else 200, seed=0)
    results[name] = (accuracy(model, xt, yt), accuracy(model, xr, yr))
results"""),
        code("""import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(5, 3))
names = list(results)
ax.bar([0, 1], [results[k][0] for k in names], width=0.35, label="test, unrotated")
ax.bar([0.35, 1.35], [results[k][1] for k in names], width=0.35, label="test, rotated + permuted")
ax.set_xticks([0.18, 1.18], names); ax.set_ylabel("accuracy"); ax.axhline(0.25, ls=":", c="gray"); ax.legend()
plt.show()"""),
        md("""## Do the invariants separate orbits?
For compact groups the invariant *ring* separates orbits, so a generating set does: the engine
proves it (`exact=True`). For other feature sets the check is numerical — the Jacobian rank at random
points against dim V − dim(orbit), and a collision search — and it reports the failures it finds."""),
        code("""import sympy
from invariants import O
from neural.symmetry.orbits import separates_orbits_exact
v = sympy.symbols("x0:9")
gram = [sum(v[3*i + a] * v[3*j + a] for a in range(3)) for i in range(3) for j in range(i, 3)]
report = separates_orbits_exact(O(3).vectors(3), gram)
report.separates, report.exact, report.confidence"""),
        code("""from neural.symmetry.orbits import separates_orbits
# SO(2) on two planar vectors with charges 1 and 2: the power spectrum forgets the relative phase
def power(z):
    return torch.stack([(z[:, :2]**2).sum(1), (z[:, 2:]**2).sum(1)], 1)
def rotate(z, t):
    c, s = torch.cos(t), torch.sin(t)
    z1 = torch.stack([c*z[:, 0] - s*z[:, 1], s*z[:, 0] + c*z[:, 1]], 1)
    c2, s2 = torch.cos(2*t), torch.sin(2*t)
    z2 = torch.stack([c2*z[:, 2] - s2*z[:, 3], s2*z[:, 2] + c2*z[:, 3]], 1)
    return torch.cat([z1, z2], 1)
def orbit_distance(a, b):
    ts = torch.linspace(0, 2*math.pi, 721, dtype=torch.float64)[:-1]
    return torch.stack([(rotate(a, t.expand(len(a))) - b).norm(dim=1) for t in ts]).min(0).values
sample = lambda k, generator=None: torch.randn(k, 4, dtype=torch.float64, generator=generator)
report = separates_orbits(power, sample, orbit_distance, orbit_dim=1, searches=4, pairs=50)
report.separates, report.jacobian_rank, report.expected_rank, len(report.failures)"""),
    ],
    "07_symmetry_coordinates.ipynb": [
        md("""# Symmetry coordinates: pose and canonical form

A frame built from equivariants gives (g, s) with x = g·s: g is the pose, s the canonical form,
equal for every point of the orbit. Gram–Schmidt on the points gives SO(3)/O(3) frames, sorting by
invariant keys the permutation; where the frame is not defined (collinear points, ties) the input is
reported as degenerate rather than mishandled. No continuous canonicalisation exists on all inputs for
these groups (Dym, Lawrence, Siegel 2024); weighted frame averaging restores continuity."""),
        code(SETUP),
        code("""from bridge import orthogonal
from neural.symmetry.canonical import canonicalize_points, canonicalize_rotation
gen = torch.Generator().manual_seed(0)
x = torch.randn(500, 8, 3, dtype=torch.float64, generator=gen)
g = orthogonal(3, 500, special=True, generator=gen)
perm = torch.stack([torch.randperm(8, generator=gen) for _ in range(500)])
moved = torch.gather(torch.einsum("bij,bkj->bki", g, x), 1, perm[..., None].expand(-1, -1, 3))
a, b = canonicalize_points(x), canonicalize_points(moved)
print("max |s(x) - s(g·x)| =", float((a.s - b.s).abs().max()), "  max |x - g s| =",
      float((b.reconstruct() - moved).abs().max()), "  degenerate:", int(b.degenerate.sum()))"""),
        code("""line = torch.randn(1, 1, 3, dtype=torch.float64) * torch.linspace(-1, 1, 8, dtype=torch.float64)[None, :, None]
c = canonicalize_rotation(line)
c.degenerate, float((c.reconstruct() - line).abs().max())   # reported, and still x = g·s"""),
        md("""## Continuity by weighted frames
For SO(2) on k planar vectors the single frame (the angle of the first vector) jumps when that vector
passes through 0; averaging over the frames of all vectors, weighted by |z_i|², does not."""),
        code("""from neural.symmetry.canonical import canonicalize_so2_angle, weighted_frame_average
import matplotlib.pyplot as plt
f = lambda w: w[..., 0, 0] + 0.5 * w[..., 1, 1]          # any non-invariant function of the canonical form
ts = torch.linspace(-1, 1, 201, dtype=torch.float64)
z = torch.stack([torch.stack([ts, 0.3 * ts], 1), torch.tensor([[0.5, 0.8]], dtype=torch.float64).expand(201, 2)], 1)
single = f(canonicalize_so2_angle(z).s)
averaged = weighted_frame_average(f, z)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(ts, single, label="single frame"); ax.plot(ts, averaged, label="weighted frames")
ax.set_xlabel("position of the first vector along a line through 0"); ax.legend(); plt.show()"""),
    ],
    "08_discovering_symmetries.ipynb": [
        md("""# Discovering symmetries

A linear vector field x ↦ Ax is a symmetry of f when ∇f(x)·Ax = 0; of a flow F when J_F(x)Ax = AF(x).
Both are linear in A: the near-null space of the stacked constraints is the symmetry algebra, and the
spectrum says how exact it is. From data, we differentiate a fitted surrogate. The answer names the
closest algebra the exact engine knows — so it goes straight back into `invariant_ring`."""),
        code(SETUP),
        code("""from neural.datasets import make
from neural.symmetry.discovery import discover_lie_algebra
from neural.symmetry.surrogate import fit_surrogate
data = make("O5Synthetic", 300 if SMALL else 1000, seed=0)
model = fit_surrogate(data.X, data.Y, steps=300 if SMALL else 4000)
est = discover_lie_algebra(lambda z: model(z.float()).double()[:, 0], data.X, space="so", dimension=10)
known = est.closest_known()
print(est); print("closest:", known)"""),
        code("""import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 3))
ax.semilogy(est.singular_values[:30], marker=".")
ax.axvline(9.5, ls=":", c="gray"); ax.set_xlabel("index"); ax.set_ylabel("normalised singular value")
ax.set_title("constraint spectrum: 10 near-symmetries, then a gap"); plt.show()"""),
        code("""from invariants import invariant_ring, load_spec
ring = invariant_ring(load_spec(known.spec))   # the discovered symmetry, back in the exact engine
ring.generators"""),
        md("""## Flows and images
The 2-body flow commutes with rotating all four planar vectors together; the rotated-image pairs give
the rotation generator on the pixel grid (exactly for smooth images; for bilinear rotation of i.i.d.
pixels on a 7×7 grid, the transformation itself is recovered but is far from the flow of x∂y − y∂x,
cosine 0.43). That symmetry acts on the *domain*: `domain_flow_from_pairs` reads where each pixel
samples the input (the centroid of its bilinear weights), fits an affine map of the plane and takes
its logarithm — so(2) about the centre, exactly — then lifts it back to pixels: cosine 1."""),
        code("""from neural.symmetry.discovery import generator_from_pairs
from neural.symmetry.tasks import rotated_images, two_body, two_body_generator
x, y = two_body(300 if SMALL else 1000)
flow = fit_surrogate(x, y, residual=True, steps=300 if SMALL else 4000)
est2 = discover_lie_algebra(lambda z: flow(z.float()).double(), x, output="same", space="so", dimension=1)
print("2-body: cosine to the true generator", float(est2.cosine_similarity(two_body_generator())[0]))
for smooth in (True, False):
    xi, yi, true = rotated_images(300, smooth=smooth)
    L = generator_from_pairs(xi, yi, math.pi / 10)
    print("images, smooth" if smooth else "images, bilinear", float((L * true[0]).sum() / (L.norm() * true[0].norm())))
from neural.symmetry.images import domain_flow_from_pairs
domain = domain_flow_from_pairs(xi, yi, 7, 7, angle=math.pi / 10)
print("the plane's generator [[A, b], [0, 0]]:")
print(domain.velocity.round(12) + 0.0)
print("images, bilinear, domain flow lifted to pixels",
      float((domain.pixels[0] * true[0]).sum() / (domain.pixels[0].norm() * true[0].norm())))"""),
        md("""## Finite symmetries
Candidates — coordinate sign flips, swaps, rotations by 2π/m in coordinate planes — are scored by
their violation; the accepted ones generate an exact `MatrixGroup`, every element of which is checked.
The C7 task: y = x₃ / (1 + mod(atan2(x₂, x₁), 2π/7))."""),
        code("""from neural.symmetry.finite import discover_finite_group
from neural.symmetry.tasks import c7_function, c7_task
xs, ys = c7_task(1000)
found = discover_finite_group(xs, f=c7_function)
print(found); found.group"""),
        code("""from invariants import molien_series
molien_series(found.group)      # the invariants of the discovered group, exactly"""),
    ],
    "09_near_symmetries.ipynb": [
        md("""# Near-symmetries

Real systems are often *almost* symmetric. Two tools: a measure of the violation (the relative size of
the non-invariant part, through a Monte-Carlo Reynolds operator), and models made of an exactly
equivariant part plus an unconstrained residual with a prior (Residual Pathway Priors), the penalty
chosen on validation data."""),
        code(SETUP),
        code("""from neural.datasets.pendulum import hamiltonian
from bridge import axial
from bridge import load_spec
from neural.symmetry.near import symmetry_violation
z = torch.randn(2000, 12, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 0.5
wind = torch.tensor([8.0, 5.0, 0.0], dtype=torch.float64)
calm = lambda x: hamiltonian(x)[:, None]
windy = lambda x: calm(x) + 0.01 * (x[:, 0:3] @ wind + x[:, 3:6] @ wind)[:, None]
sample = lambda k: axial(k, generator=torch.Generator().manual_seed(1))
{name: symmetry_violation(h, z, sample, load_spec("O(3):4xv"), load_spec("O(3):0")) for name, h in (("calm", calm), ("windy", windy))}"""),
        md("""## ModifiedInertia: O(3) broken to O(2) about z
Target I + 0.3 (I ẑ) ẑᵀ. The strict O(3) model cannot represent the broken part; the MLP must learn
everything; the residual pathway learns only what breaks the symmetry."""),
        code("""import sympy
from invariants import load_spec
from invariants import O3
from invariants.covariants.covariants import covariant_generators_up_to
from neural.baselines import MLP
from neural.models import EquivariantModel
from neural.symmetry.near import fit_residual_pathway
from neural.symmetry.tasks import modified_inertia
from neural.training import evaluate, fit
spec = {"group": "O(3)", "irreps": ["0e"] * 5 + ["1o"] * 5}
gens = covariant_generators_up_to(load_spec(spec), O3().irrep("1o") * O3().irrep("1o"), 2)
n, epochs = (200, 30) if SMALL else (1000, 300)
train, test = modified_inertia(n, seed=0), modified_inertia(1000, seed=1000)
cut = int(0.8 * n)
tr, va = (train.X[:cut], train.Y[:cut]), (train.X[cut:], train.Y[cut:])
strict = lambda: EquivariantModel(spec, gens, list(sympy.symbols("x0:20")), degree_bound=2, normalize=None).fit_features(tr[0])
results = {}
m = strict(); fit(m, tr, va, epochs=epochs, progress=False); results["strict O(3)"] = evaluate(m, (test.X, test.Y))
m = MLP(20, 9).double(); fit(m, tr, va, epochs=epochs, progress=False); results["MLP"] = evaluate(m, (test.X, test.Y))
rpp, scores, _ = fit_residual_pathway(strict, lambda: MLP(20, 9).double(), tr, va, penalties=(1e-2, 1e-4), epochs=epochs, progress=False)
results["residual pathway"] = evaluate(rpp, (test.X, test.Y))
results, "penalty chosen:", rpp.penalty"""),
    ],
}

for name, cells in NOTEBOOKS.items():
    nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}})
    path = pathlib.Path(__file__).with_name(name)
    nbf.write(nb, path)
    print("wrote", path)
