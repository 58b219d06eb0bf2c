"""The shared Horner program: exact (it rebuilds the polynomials symbolically), short for
structured invariants, and its torch evaluations ("horner", "fused") agree with the monomial plan,
stay invariant and differentiate."""
import random
from fractions import Fraction

import pytest
import sympy
import torch

from bridge import compile_polynomials, invariant_layer, load, save
from bridge.horner import horner_program
from invariants import InputError, invariants_of_degree
from invariants.catalogue import coxeter, symmetric, weyl
from invariants.groups.compact import SO3, rational_rotation

pytestmark = pytest.mark.usefixtures("one_thread")


def elementary(n: int) -> tuple[list[sympy.Expr], tuple]:
    x = sympy.symbols(f"x0:{n}")
    t = sympy.Symbol("t")
    coeffs = sympy.Poly(sympy.prod([1 + t * v for v in x]), t).all_coeffs()[::-1]
    return [sympy.expand(c) for c in coeffs[1:]], x


def program_of(polys, variables):
    return horner_program([sympy.Poly(p, *variables) for p in polys], len(variables))


@pytest.mark.parametrize("make", [lambda: symmetric(5), lambda: weyl("B3"), lambda: weyl("E6"), lambda: coxeter("H3")],
                         ids=["S5", "W(B3)", "W(E6)", "H3 over QQ(sqrt 5)"])
def test_program_rebuilds_the_polynomials_exactly(make):
    group = make()
    polys = invariant_layer(group, normalize=None).polynomials
    x = sympy.symbols(f"x0:{group.degree}")
    program = program_of(polys, x)
    for built, poly in zip(program.expressions(x), polys):
        assert sympy.expand(built - poly) == 0


def test_structured_invariants_get_short_programs():
    """e_1 … e_n by the recurrence: at most n² operations against 2ⁿ monomials; power sums share powers."""
    for n in (6, 8, 10):
        polys, x = elementary(n)
        assert program_of(polys, x).n_operations <= n * n
    x = sympy.symbols("x0:8")
    power_sums = [sum(v**k for v in x) for k in range(1, 9)]
    assert program_of(power_sums, x).n_operations == 8 * 7 + 8 * 7  # the powers x_i^2..x_i^8, then the sums


@pytest.mark.parametrize("method", ["horner", "fused"])
def test_methods_agree_with_the_monomial_plan(method):
    polys, x = elementary(8)
    data = torch.randn(1000, 8, dtype=torch.float64)
    reference = compile_polynomials(polys, list(x), method="monomials")(data)
    layer = compile_polynomials(polys, list(x), method=method, chunk_size=300)  # horner: chunks of unequal size
    assert torch.allclose(layer(data[:1]), reference[:1], rtol=1e-12, atol=1e-12)  # fused: compiled on one row
    assert torch.allclose(layer(data), reference, rtol=1e-12, atol=1e-12)
    xr = data.clone().requires_grad_()
    compile_polynomials(polys, list(x), method="monomials")(xr).sum().backward()
    xs = data.clone().requires_grad_()
    layer(xs).sum().backward()
    assert torch.allclose(xs.grad, xr.grad, rtol=1e-12, atol=1e-12)


def test_fused_runs_whole_batches_and_autograd_saves_only_the_input(monkeypatch):
    """On CPU the fused kernel never chunks (it keeps nothing per row) and its backward is the
    generated reverse sweep: the only tensor autograd saves is the input; values and gradients
    equal the monomial plan's."""
    import bridge.compiled as compiled

    polys, x = elementary(6)
    layer = compile_polynomials(polys, list(x), method="fused")
    monkeypatch.setattr(compiled, "TABLE_BUDGET", len(layer.polys.program.instructions) * 128)  # would be chunks of 128 rows
    sizes = []
    program = layer.polys._run_program
    monkeypatch.setattr(layer.polys, "_run_program", lambda part: (sizes.append(part.shape[0]), program(part))[1])
    data = torch.randn(1000, 6, dtype=torch.float64)
    reference = compile_polynomials(polys, list(x), method="monomials")
    with torch.no_grad():
        assert torch.allclose(layer(data), reference(data), rtol=1e-12, atol=1e-12)
    xs, xr = data.clone().requires_grad_(), data.clone().requires_grad_()
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: (saved.append(t.shape), t)[1], lambda t: t):
        out = layer(xs)
    assert sizes == [1000, 1000] and saved == [(1000, 6)]
    g = torch.randn_like(out)
    (out * g).sum().backward()
    (reference(xr) * g).sum().backward()
    assert torch.allclose(xs.grad, xr.grad, rtol=1e-12, atol=1e-12)


def test_horner_layers_are_exact_at_rational_points():
    layer = invariant_layer(weyl("B3"), normalize=None, method="horner")
    variables = sympy.symbols("x0:3")
    rng = random.Random(5)
    for _ in range(5):
        point = [Fraction(rng.randint(-30, 30), rng.randint(1, 9)) for _ in range(3)]
        exact = [p.subs(dict(zip(variables, map(sympy.Rational, point)))) for p in layer.polynomials]
        value = layer(torch.tensor([[float(c) for c in point]], dtype=torch.float64))[0]
        for v, e in zip(value.tolist(), exact):
            assert abs(v - float(e)) <= 1e-12 * max(1.0, abs(float(e)))


def test_horner_bispectrum_is_rotation_invariant():
    rep = SO3().irrep(1) + SO3().irrep(2)
    polys = invariants_of_degree(rep, 2) + invariants_of_degree(rep, 3)
    layer = compile_polynomials(polys, list(sympy.symbols("x0:8")), method="horner")
    x = torch.randn(64, 8, dtype=torch.float64)
    rng = random.Random(6)
    for _ in range(3):
        m = rep(rational_rotation(*[rng.randint(-6, 6) for _ in range(4)])).to_acb(prec=64)
        g = torch.tensor([[float(m[i, j].real.mid()) for j in range(8)] for i in range(8)], dtype=torch.float64)
        assert float((layer(x @ g.T) - layer(x)).abs().max() / layer(x).abs().max()) <= 1e-12


def test_horner_gradcheck_gradgradcheck_equivariant_maps_and_dtypes():
    x0, x1, x2 = sympy.symbols("x0:3")
    layer = compile_polynomials([x0**2 + x1**2 + x2**2, x0 * x1 * x2, x0**4 - x1**3 * x2 / 7, sympy.Integer(3)],
                                [x0, x1, x2], method="horner")
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(layer, (x,))
    assert torch.autograd.gradgradcheck(layer, (x,))
    assert torch.equal(layer(x)[:, 3], torch.full((5,), 3.0, dtype=torch.float64))
    maps = [[v**k for v in (x0, x1, x2)] for k in range(3)]
    vec = compile_polynomials(maps, method="horner")
    data = torch.randn(4, 3, dtype=torch.float64)
    assert torch.equal(vec(data), torch.stack([data**k for k in range(3)], 1))
    reference = layer(x.detach())
    single = layer.to(torch.float32)
    assert single(x.detach().float()).dtype == torch.float32
    assert torch.allclose(single(x.detach().float()).double(), reference, rtol=1e-5, atol=1e-5)


def test_method_survives_save_and_load_and_bad_methods_are_refused(tmp_path):
    layer = invariant_layer(coxeter("H3"), normalize="degree", method="horner")
    path = tmp_path / "layer.json"
    save(layer, path)
    again = load(path)
    assert again.polys.method == "horner" and again.polynomials == layer.polynomials
    x = torch.randn(9, 3, dtype=torch.float64)
    assert torch.equal(again(x), layer(x))
    with pytest.raises(InputError, match="method"):
        compile_polynomials([sympy.Symbol("x0")], method="jit")


def test_horner_layer_exports():
    layer = invariant_layer(symmetric(4), normalize="root", method="horner")
    x = torch.randn(10, 4, dtype=torch.float64)
    exported = torch.export.export(layer, (x,))
    assert torch.allclose(exported.module()(x), layer(x), rtol=1e-14, atol=0)
