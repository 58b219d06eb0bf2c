"""bridge: compiled invariant layers are invariant, exact in meaning, differentiable, exportable
and saved as plain data."""
import json
import random
from fractions import Fraction

import pytest
import sympy
import torch

from bridge import InvariantFeatures, compile_polynomials, invariant_layer, load, save
from invariants import FieldError, InputError, ShapeError, invariants_of_degree, load_spec
from invariants.catalogue import coxeter, symmetric, weyl
from invariants.groups.compact import SO3, rational_rotation
from invariants.linalg.matrix import Matrix

torch.manual_seed(0)


def as_tensor(m: Matrix) -> torch.Tensor:
    """A group element over QQ or QQ(sqrt d) as float64 (via its certified complex embedding)."""
    acb = m.to_acb(prec=128)
    return torch.tensor([[float(acb[i, j].real.mid()) for j in range(m.ncols)] for i in range(m.nrows)],
                        dtype=torch.float64)


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-300))


def conditioned_error(layer, x: torch.Tensor, gx: torch.Tensor) -> float:
    """max |f(gx) − f(x)| / (|f|(|x|) + |f|(|gx|)), |f| the polynomial with absolute coefficients:
    the relative error float64 evaluation can promise, whatever the cancellation."""
    absolute = compile_polynomials([sympy.Poly(p, *layer.variables).as_expr().replace(
        lambda e: e.is_Number, lambda e: abs(e)) for p in layer.polynomials], layer.variables)
    scale = absolute(x.abs()) + absolute(gx.abs())
    return float(((layer(gx) - layer(x)).abs() / scale).max())


FINITE = [("S4", lambda: symmetric(4)), ("W(B3)", lambda: weyl("B3")), ("W(F4)", lambda: weyl("F4", "orthogonal")),
          ("H3 over QQ(sqrt 5)", lambda: coxeter("H3"))]


@pytest.mark.parametrize("method", ["auto", "monomials", "horner", "fused"])
@pytest.mark.parametrize("name,make", FINITE, ids=[f[0] for f in FINITE])
def test_finite_group_layers_are_invariant(name, make, method):
    group = make()
    layer = invariant_layer(group, normalize=None, method=method)
    x = torch.randn(64, group.degree, dtype=torch.float64)
    for g in group.sample(5, seed=1):
        gx = x @ as_tensor(g).T
        assert conditioned_error(layer, x, gx) <= 1e-12


def test_so3_bispectrum_layer_is_invariant_under_rotations():
    rep = SO3().irrep(1) + SO3().irrep(2)
    polys = invariants_of_degree(rep, 2) + invariants_of_degree(rep, 3)
    layer = compile_polynomials(polys, list(sympy.symbols("x0:8")))
    x = torch.randn(64, 8, dtype=torch.float64)
    rng = random.Random(2)
    for _ in range(4):
        g = as_tensor(rep(rational_rotation(*[rng.randint(-6, 6) for _ in range(4)])))
        assert relative_error(layer(x @ g.T), layer(x)) <= 1e-12


def test_o5_two_vector_layer_with_degree_normalisation():
    layer = invariant_layer({"group": "O(n)", "n": 5, "vectors": 2}, normalize="degree")
    x = torch.randn(32, 10, dtype=torch.float64)
    q, _ = torch.linalg.qr(torch.randn(5, 5, dtype=torch.float64))
    q[:, 0] *= -1  # include reflections
    gx = torch.cat([x[:, :5] @ q.T, x[:, 5:] @ q.T], dim=1)
    assert layer.n_features == 4
    assert relative_error(layer(gx), layer(x)) <= 1e-12
    # first fundamental theorem for O(n): the inner products |a|², a·b, |b|², each divided by
    # q^(deg/2) for q = |a|² + |b|², then √q as the extra feature
    a, b = x[:, :5], x[:, 5:]
    gram = torch.stack([(a * a).sum(1), (a * b).sum(1), (b * b).sum(1)], 1)
    q = (x * x).sum(1, keepdim=True)
    assert relative_error(layer(x), torch.cat([gram / q, q.sqrt()], 1)) <= 1e-13


def test_agreement_with_exact_evaluation_at_rational_points():
    polys = invariant_layer(weyl("B3"), normalize=None).polynomials
    variables = sympy.symbols("x0:3")
    layer = compile_polynomials(polys, list(variables))
    rng = random.Random(4)
    for _ in range(10):
        point = [Fraction(rng.randint(-30, 30), rng.randint(1, 9)) for _ in range(3)]
        exact = [p.subs(dict(zip(variables, map(sympy.Rational, point)))) for p in polys]
        value = layer(torch.tensor([[float(c) for c in point]], dtype=torch.float64))[0]
        for v, e in zip(value.tolist(), exact):
            assert abs(v - float(e)) <= 1e-12 * max(1.0, abs(float(e)))


@pytest.mark.parametrize("method", ["auto", "monomials"])
def test_gradcheck_and_gradgradcheck(method):
    x0, x1, x2 = sympy.symbols("x0:3")
    layer = compile_polynomials([x0**2 + x1**2 + x2**2, x0 * x1 * x2, x0**4 - x1**3 * x2 / 7], method=method)
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(layer, (x,))
    assert torch.autograd.gradgradcheck(layer, (x,))
    root = compile_polynomials([x0**2 + x1**2 + 1, x0**3 * x1 + 5], [x0, x1, x2], normalize="root", method=method)
    assert torch.autograd.gradcheck(root, (x,))


def test_equivariant_maps_compile_and_stay_equivariant():
    x = sympy.symbols("x0:4")
    maps = [[v**k for v in x] for k in range(3)]  # S_n-equivariant R^4 -> R^4: x -> (x_i^k)_i
    layer = compile_polynomials(maps)
    data = torch.randn(16, 4, dtype=torch.float64)
    out = layer(data)
    assert out.shape == (16, 3, 4)
    assert torch.equal(out, torch.stack([data**k for k in range(3)], 1))
    perm = torch.tensor([2, 0, 3, 1])
    assert relative_error(layer(data[:, perm]), out[..., perm]) <= 1e-15
    a, b = sympy.symbols("a0:3"), sympy.symbols("b0:3")
    cross = [[a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]], list(a)]
    vec = compile_polynomials(cross, list(a) + list(b), normalize="degree")
    q, _ = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64))
    if torch.det(q) < 0:
        q[:, 0] *= -1  # a rotation: the cross product is SO(3)-equivariant
    v = torch.randn(8, 6, dtype=torch.float64)
    gv = torch.cat([v[:, :3] @ q.T, v[:, 3:] @ q.T], dim=1)
    assert relative_error(vec(gv), vec(v) @ q.T) <= 1e-12
    with pytest.raises(InputError):
        compile_polynomials(maps, normalize="root")


@pytest.mark.parametrize("method", ["auto", "monomials", "fused"])
def test_torch_compile_and_export_round_trips(method):
    layer = invariant_layer(symmetric(3), normalize="root", method=method)
    x = torch.randn(10, 3, dtype=torch.float64)
    exported = torch.export.export(layer, (x,))
    assert torch.allclose(exported.module()(x), layer(x), rtol=1e-14, atol=0)
    compiled = torch.compile(layer, backend="aot_eager")
    assert torch.allclose(compiled(x), layer(x), rtol=1e-14, atol=0)


@pytest.mark.parametrize("method", ["auto", "monomials", "fused"])
def test_onnx_export_runs_the_same_polynomials(tmp_path, method):
    """ONNX round trip: exported with a dynamic batch, checked, and run by ONNX's reference
    evaluator on a batch size it never saw — the same numbers as the torch layer."""
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    from onnx.reference import ReferenceEvaluator

    from bridge import export_onnx

    layer = invariant_layer(weyl("B3"), normalize=None, dtype=torch.float32, method=method)
    path = export_onnx(layer, tmp_path / "b3.onnx", 3)
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    x = torch.randn(13, 3)
    out = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x.numpy()})[0]
    assert relative_error(torch.from_numpy(out), layer(x)) < 1e-5  # float32, another summation order


def test_save_and_load_are_identical(tmp_path):
    layer = invariant_layer(coxeter("H3"), normalize="degree")
    layer.fit_standardization(torch.randn(100, 3, dtype=torch.float64))
    path = tmp_path / "layer.json"
    save(layer, path)
    again = load(path)
    assert again.polynomials == layer.polynomials  # exact, sqrt(5) included
    x = torch.randn(20, 3, dtype=torch.float64)
    assert torch.equal(again(x), layer(x))
    data = json.loads(path.read_text())
    assert data["format"] == "molien.bridge/1" and "pickle" not in path.read_text()
    marker = tmp_path / "injected"  # a coefficient is parsed as a number, never run as code
    data["polynomials"][0]["terms"][0][1] = f"__import__('os').system('touch {marker}')"
    path.write_text(json.dumps(data))
    with pytest.raises(FieldError, match="cannot parse .* as a number: unknown name '__import__'"):
        load(path)
    assert not marker.exists()


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch {marker}') + x0",
    "x0 + (lambda: __import__('pathlib').Path('{marker}').touch())()",
    "x0.__class__",
    "getattr(x0, 'real')",
])
def test_polynomials_given_as_text_are_parsed_never_run(text, tmp_path):
    """compile_polynomials reads strings with molien's grammar (numbers, variables, + - * / ** and
    a few functions); anything else is a FieldError and nothing runs."""
    marker = tmp_path / "ran"
    with pytest.raises(FieldError, match="cannot parse"):
        compile_polynomials([text.format(marker=marker)])
    assert not marker.exists()


def test_polynomials_given_as_text_compile_like_sympy_expressions():
    x = sympy.symbols("x0:2")
    from_text = compile_polynomials(["x0**2 + x1/3", "2*x0*x1 - sqrt(5)"], list(x))
    from_sympy = compile_polynomials([x[0] ** 2 + x[1] / 3, 2 * x[0] * x[1] - sympy.sqrt(5)], list(x))
    assert from_text.polynomials == from_sympy.polynomials
    with pytest.raises(FieldError, match="unknown name 'y'"):
        compile_polynomials(["x0 + y"], list(x))  # a name outside the given variables
    with pytest.raises(InputError, match="cannot read input of type object"):
        compile_polynomials([object()], list(x))


def test_state_dict_and_dtype_conversion():
    layer = invariant_layer(symmetric(4))
    layer.fit_standardization(torch.randn(50, 4, dtype=torch.float64))
    state = layer.state_dict()
    assert set(state) == {"mean", "std"}
    fresh = invariant_layer(symmetric(4))
    fresh.load_state_dict(state)
    fresh.standardize = True
    x = torch.randn(7, 4, dtype=torch.float64)
    assert torch.equal(fresh(x), layer(x))
    single = layer.to(torch.float32)
    assert single(x.float()).dtype == torch.float32
    assert relative_error(single(x.float()).double(), fresh(x)) < 1e-5  # the float64 copy's features, in float32


def test_large_batches_are_chunked_with_the_same_result():
    layer = compile_polynomials(invariant_layer(weyl("B3"), normalize=None).polynomials, chunk_size=7, method="monomials")
    x = torch.randn(100, 3, dtype=torch.float64)
    full = compile_polynomials(layer.polynomials, method="monomials")(x)
    # the same arithmetic; only BLAS may block a 7-row product differently from a 100-row one
    assert torch.allclose(layer(x), full, rtol=1e-13, atol=0)


@pytest.mark.parametrize("bad", [[1.5 * sympy.Symbol("x0")], [sympy.sin(sympy.Symbol("x0"))], [],
                                 [[sympy.Symbol("x0")], sympy.Symbol("x0")]])
def test_bad_polynomials_are_refused(bad):
    with pytest.raises(InputError):
        compile_polynomials(bad)


def test_wrong_input_shape_is_refused():
    layer = invariant_layer(symmetric(3))
    with pytest.raises(ShapeError):
        layer(torch.ones(2, 4, dtype=torch.float64))
    with pytest.raises(InputError):
        compile_polynomials([sympy.Symbol("y")], [sympy.Symbol("x")])


def test_layer_from_a_spec_string():
    layer = invariant_layer(load_spec("SO(3):2x1"), normalize=None)
    assert layer.n_features == 3 and isinstance(layer, InvariantFeatures)
    x = sympy.symbols("x0:6")  # first fundamental theorem for SO(3) on two vectors: the Gram matrix
    assert layer.polynomials == [x[0]**2 + x[1]**2 + x[2]**2, x[0]*x[3] + x[1]*x[4] + x[2]*x[5],
                                 x[3]**2 + x[4]**2 + x[5]**2]
    v = torch.randn(10, 6, dtype=torch.float64)
    a, b = v[:, :3], v[:, 3:]
    assert relative_error(layer(v), torch.stack([(a * a).sum(1), (a * b).sum(1), (b * b).sum(1)], 1)) <= 1e-14


def test_equivariant_layer_from_the_covariant_module():
    from bridge import equivariant_layer

    layer = equivariant_layer(symmetric(3), symmetric(3))  # x ↦ generators of the S3-equivariant maps
    x = torch.randn(10, 3, dtype=torch.float64)
    perm = torch.tensor([1, 2, 0])
    assert relative_error(layer(x[:, perm]), layer(x)[..., perm]) <= 1e-14
    rot = equivariant_layer(load_spec("SO(3):2x1"), load_spec("SO(3):1"), degree_bound=2)
    rep = load_spec("SO(3):2x1")
    g = as_tensor(rep(rational_rotation(1, 2, -1, 3)))
    v = torch.randn(10, 6, dtype=torch.float64)  # two vectors: v1, v2 and v1 × v2
    assert relative_error(rot(v @ g.T), rot(v) @ g[:3, :3].T) <= 1e-12


# -- method="auto", the default --------------------------------------------------------------

def power_sums(n: int = 8) -> tuple[list[sympy.Expr], list[sympy.Symbol]]:
    x = list(sympy.symbols(f"x0:{n}"))
    return [sum(v**k for v in x) for k in range(1, n + 1)], x


def test_auto_is_the_default_everywhere():
    import inspect

    from bridge import PolynomialMap, equivariant_layer

    for where in (PolynomialMap, InvariantFeatures):
        assert inspect.signature(where).parameters["method"].default == "auto"
    assert compile_polynomials([sympy.Symbol("x0")]).polys.method == "auto"
    assert invariant_layer(symmetric(3)).polys.method == "auto"
    assert equivariant_layer(symmetric(3), symmetric(3)).polys.method == "auto"
    assert invariant_layer(symmetric(3), normalize="degree").norm.method == "auto"


def test_auto_runs_the_native_kernel_on_cpu_when_a_compiler_works():
    from bridge.kernel import native_unavailable

    reason = native_unavailable()
    if reason is not None:
        pytest.skip(f"no native kernels here: {reason}")
    polys, x = power_sums()
    layer = compile_polynomials(polys, x)
    data = torch.randn(300, 8, dtype=torch.float64)
    for dtype in (torch.float64, torch.float32):
        assert layer.polys.resolved_method("cpu", dtype, rows=1) == "fused"
    assert layer.polys.last_method is None
    reference = compile_polynomials(polys, x, method="monomials")(data)
    assert relative_error(layer(data), reference) <= 1e-12
    assert layer.polys.last_method == "fused"
    assert "auto (fused: native C)" in repr(layer)


@pytest.mark.parametrize("cc,reason", [("/nonexistent", "no C compiler"), ("/bin/false", "C compiler fails")])
def test_auto_falls_back_silently_without_a_working_compiler(cc, reason, monkeypatch, tmp_path, capfd):
    """No compiler, or one that fails: "auto" runs pure torch (the monomial plan below the
    crossover batch, the Horner program from it), prints and warns nothing, and gives the monomial
    plan's values and gradients; an explicit "fused" still raises its BackendError."""
    import warnings

    from invariants import BackendError

    monkeypatch.setenv("CC", cc)
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))  # no kernel compiled before can be reused
    polys, x = power_sums()
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = compile_polynomials(polys, x)
        reference = compile_polynomials(polys, x, method="monomials")
        crossover = layer.polys.horner_from
        assert crossover is not None and 1 < crossover < 1000
        for rows, expected in ((1, "monomials"), (1000, "horner")):
            data = torch.randn(rows, 8, dtype=torch.float64)
            assert layer.polys.resolved_method("cpu", torch.float64, rows=rows) == expected
            assert relative_error(layer(data), reference(data)) <= 1e-12
            assert layer.polys.last_method == expected
        assert f"auto (horner from {crossover} rows, monomials below: {reason})" in repr(layer)
        xs = torch.randn(6, 8, dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(layer, (xs,))
    assert capfd.readouterr() == ("", "")
    with pytest.raises(BackendError, match="compil"):
        compile_polynomials(polys, x, method="fused")(torch.randn(3, 8, dtype=torch.float64))


def test_auto_falls_back_with_a_warning_when_a_kernel_fails_to_build(monkeypatch, tmp_path):
    """A compiler that passed the check but fails on one program: a warning, then pure torch."""
    import bridge.kernel as kernel
    from invariants import BackendError

    if kernel.native_unavailable() is not None:
        pytest.skip("no native kernels here")
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))

    def broken(sources, n_operations):
        raise BackendError("gcc could not compile the fused program: out of memory")

    monkeypatch.setattr(kernel, "_build", broken)
    polys, x = power_sums()
    layer = compile_polynomials(polys, x)
    data = torch.randn(1000, 8, dtype=torch.float64)
    with pytest.warns(RuntimeWarning, match="falls back to torch"):
        out = layer(data)
    assert layer.polys.last_method == "horner" and "C kernel failed" in repr(layer)
    assert relative_error(out, compile_polynomials(polys, x, method="monomials")(data)) <= 1e-12


def test_auto_without_a_c_kernel_is_pure_torch():
    """float16 (no C type) and devices other than the CPU resolve to the pure-torch rule."""
    polys, x = power_sums()
    layer = compile_polynomials(polys, x)
    crossover = layer.polys.horner_from
    for device, dtype in (("cpu", torch.float16), ("cpu", torch.bfloat16), ("cuda", torch.float64),
                          ("meta", torch.float32)):
        assert layer.polys.resolved_method(device, dtype, rows=1) == "monomials"
        assert layer.polys.resolved_method(device, dtype, rows=crossover) == "horner"
    data = (torch.randn(1000, 8, dtype=torch.float64) / 2).half()
    half = compile_polynomials(polys, x, dtype=torch.float16)
    out = half(data)
    assert out.dtype == torch.float16 and half.polys.last_method == "horner"
    assert "no C kernel for float16" in repr(half)
    reference = compile_polynomials(polys, x, method="monomials")(data.double())  # the same rounded inputs
    assert torch.allclose(out.double(), reference, rtol=1e-2, atol=1e-2)
    meta = layer.to("meta")
    assert meta(torch.empty(5, 8, device="meta")).shape == (5, 8)
    assert meta.polys.last_method == "monomials"


def test_auto_survives_save_and_load_and_old_files_keep_their_method(tmp_path):
    layer = invariant_layer(weyl("B3"), normalize="degree")
    path = tmp_path / "layer.json"
    save(layer, path)
    data = json.loads(path.read_text())
    assert data["method"] == "auto"
    again = load(path)
    assert again.polys.method == again.norm.method == "auto"
    x = torch.randn(9, 3, dtype=torch.float64)
    assert torch.equal(again(x), layer(x))
    del data["method"]  # written before methods existed: the monomial plan it ran then
    path.write_text(json.dumps(data))
    assert load(path).polys.method == "monomials"


def test_the_compiler_check_runs_once_per_process_and_prints_nothing(monkeypatch, capfd):
    import shutil

    import bridge.kernel as kernel

    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler")
    monkeypatch.setenv("CC", gcc)  # a $CC value no other test used: a fresh cache entry
    calls = []
    run = kernel.subprocess.run
    monkeypatch.setattr(kernel.subprocess, "run", lambda *a, **k: (calls.append(a[0][0]), run(*a, **k))[1])
    kernel._probe.cache_clear()
    kernel._find_compiler.cache_clear()
    try:
        capfd.readouterr()
        first = kernel.native_unavailable()
        count = len(calls)
        assert kernel.native_unavailable() == first and len(calls) == count >= 1
        assert capfd.readouterr() == ("", "")
    finally:
        kernel._probe.cache_clear()
        kernel._find_compiler.cache_clear()


@pytest.mark.parametrize("method", ["auto", "monomials", "horner", "fused"])
def test_layers_deepcopy_and_pickle_after_running(method):
    """Training code copies models (snapshots, EMA): the exec'd program and loaded C kernels are
    rebuilt, not copied."""
    import copy
    import pickle

    polys, x = power_sums(4)
    layer = compile_polynomials(polys, x, method=method)
    data = torch.randn(20, 4, dtype=torch.float64, requires_grad=True)
    layer(data).sum().backward()
    for again in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert again.polys.method == method
        assert torch.equal(again(data), layer(data))


@pytest.mark.parametrize("field, value, message", [
    ("dtype", "__class__", "dtype is one of float64, float32"),
    ("dtype", "nn", "dtype is one of"),
    ("mean", [0.0], "'mean' is a list of 3 numbers"),
    ("std", [1.0, "2", 3.0], "'std' is a list of 3 numbers"),
    ("mean", None, "'mean' is a list of 3 numbers"),
])
def test_bridge_files_are_validated_before_use(field, value, message, tmp_path):
    """Every field of a bridge file is checked with a message naming the expected form (#26)."""
    layer = invariant_layer(symmetric(3))
    path = tmp_path / "layer.json"
    save(layer, path)
    data = json.loads(path.read_text())
    data[field] = value
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=message):
        load(path)


@pytest.mark.parametrize("method", ["monomials", "horner", "fused", "auto"])
def test_one_overflowing_polynomial_leaves_the_others_finite(method):
    """x1**200 overflows at x1 = 100; x0 + x1 and x0**2 keep their values in every method (the
    monomial plan used to turn the whole row into NaN: inf times a zero coefficient) (#26)."""
    x = sympy.symbols("x0:2")
    layer = compile_polynomials([x[0] + x[1], x[0] ** 2, x[1] ** 200], list(x), method=method)
    out = layer(torch.tensor([[1.0, 100.0], [1.0, 2.0]], dtype=torch.float64))
    assert out[0, :2].tolist() == [101.0, 1.0] and out[0, 2].item() == float("inf")
    assert out[1].tolist() == [3.0, 1.0, 2.0**200]
    f4 = invariant_layer(weyl("F4"), normalize=None, dtype=torch.float32, method=method)
    assert f4(torch.full((1, 4), 3e4))[0, 0].item() == pytest.approx(9e8, rel=1e-6)  # its degree-12 invariant overflows


def test_a_coefficient_beyond_float64_is_refused_when_compiling():
    x = sympy.symbols("x0:2")
    with pytest.raises(InputError, match="does not fit in a float64"):
        compile_polynomials([10**400 * x[0] + x[1]], list(x))
    with pytest.raises(InputError, match="does not fit in a float64"):
        compile_polynomials(["-10**400 * x0"], list(x))
