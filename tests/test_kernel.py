"""Native kernels (``method="fused"`` on CPU): exact in meaning at rational points, equal to the
monomial plan on every batch size (partial SIMD blocks included), differentiable once by the
generated reverse sweep and twice through torch, cached on disk, and clear when no compiler works."""
import random
from fractions import Fraction

import pytest
import sympy
import torch

import bridge.kernel as kernel
from bridge import compile_polynomials, invariant_layer
from bridge.horner import horner_program
from invariants import BackendError
from invariants.catalogue import coxeter, weyl

pytestmark = pytest.mark.usefixtures("one_thread")


def _has_compiler() -> bool:
    try:
        kernel._compiler()
        return True
    except BackendError:
        return False


# the README promises that a missing system skips its tests: these build kernels
needs_compiler = pytest.mark.skipif(not _has_compiler(), reason="no C compiler (gcc, cc or $CC): install gcc to test "
                                                                "method='fused'")


@needs_compiler
@pytest.mark.parametrize("make", [lambda: weyl("E6"), lambda: coxeter("H3")], ids=["W(E6)", "H3 over QQ(sqrt 5)"])
def test_fused_values_are_exact_at_rational_points(make):
    """Degree-12 invariants of W(E6) and irrational coefficients of H3, against sympy's exact values."""
    group = make()
    layer = invariant_layer(group, normalize=None, method="fused")
    variables = sympy.symbols(f"x0:{group.degree}")
    rng = random.Random(7)
    points = [[Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in variables] for _ in range(3)]
    values = layer(torch.tensor([[float(c) for c in p] for p in points], dtype=torch.float64))
    absolute = compile_polynomials([p.replace(lambda e: e.is_Number, abs) for p in layer.polynomials], list(variables))
    bounds = absolute(torch.tensor([[abs(float(c)) for c in p] for p in points], dtype=torch.float64))
    for point, value, bound in zip(points, values, bounds):
        exact = [sympy.N(p.subs(dict(zip(variables, map(sympy.Rational, point)))), 30) for p in layer.polynomials]
        for v, e, b in zip(value.tolist(), exact, bound.tolist()):
            assert abs(v - float(e)) <= 1e-13 * max(1.0, b)  # rounding, relative to |f|(|x|)


@needs_compiler
@pytest.mark.parametrize("rows", [0, 1, 7, 8, 9, 16, 17, 1000])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("width", [32, 64])
def test_every_batch_size_dtype_and_vector_width_matches_the_monomial_plan(rows, dtype, width, monkeypatch):
    """Blocks of 4 to 16 rows: full blocks, a padded last block, none at all."""
    monkeypatch.setattr(kernel, "_vector_bytes", lambda program: width)
    x = sympy.symbols("x0:5")
    polys = [sum(x), sum(v**3 for v in x) / 3, x[0] * x[1] * x[2] - 2 * x[3] * x[4]**4 + 5, sympy.Integer(-2)]
    fused = compile_polynomials(polys, list(x), method="fused", dtype=dtype)
    reference = compile_polynomials(polys, list(x), dtype=torch.float64, method="monomials")
    data = torch.randn(rows, 5, dtype=torch.float64)
    out = fused(data.to(dtype))
    assert out.dtype == dtype and out.shape == (rows, 4)
    tolerance = 1e-12 if dtype == torch.float64 else 1e-5
    assert torch.allclose(out.double(), reference(data), rtol=tolerance, atol=tolerance)


@needs_compiler
def test_gradients_hessians_strided_inputs_and_equivariant_maps():
    x0, x1, x2, x3 = sympy.symbols("x0:4")  # x3 unused: its gradient is an exact zero
    polys = [x0**2 + x1**2 + x2**2, x0 * x1 * x2, x0**4 - x1**3 * x2 / 7, sympy.Integer(3)]
    layer = compile_polynomials(polys, [x0, x1, x2, x3], method="fused")
    x = torch.randn(11, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(layer, (x,))
    assert torch.autograd.gradgradcheck(layer, (x,))
    layer(x).sum().backward()
    assert torch.equal(x.grad[:, 3], torch.zeros(11, dtype=torch.float64))
    wide = torch.randn(4, 6, 8, dtype=torch.float64)[..., ::2]  # leading dims, non-contiguous rows
    reference = compile_polynomials(polys, [x0, x1, x2, x3], method="monomials")
    assert torch.allclose(layer(wide), reference(wide), rtol=1e-13, atol=1e-13)
    maps = [[v**k for v in (x0, x1, x2)] for k in range(1, 4)]
    vec = compile_polynomials(maps, method="fused")
    data = torch.randn(9, 3, dtype=torch.float64)
    assert torch.allclose(vec(data), torch.stack([data**k for k in range(1, 4)], 1), rtol=1e-15, atol=0)


@needs_compiler
def test_kernels_are_cached_on_disk(tmp_path, monkeypatch):
    """A second process (here: a cleared in-memory cache) loads the library without compiling."""
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    x = sympy.symbols("x0:3")
    program = horner_program([sympy.Poly(x[0] * x[1] + x[2]**3, *x)], 3)
    first = kernel.load_kernel(program, torch.float64, ("forward", "vjp"))
    assert sorted(p.name.split("_")[0] for p in tmp_path.glob("kernels/*.so")) == ["forward", "vjp"]
    kernel._load_library.cache_clear()
    monkeypatch.setattr(kernel.subprocess, "run", lambda *a, **k: pytest.fail("compiled again"))
    monkeypatch.setattr(kernel.subprocess, "Popen", lambda *a, **k: pytest.fail("compiled again"))
    again = kernel.load_kernel(program, torch.float64, ("forward", "vjp"))
    data = torch.tensor([[2.0, 3.0, -1.0]], dtype=torch.float64)
    assert first.forward(data).item() == again.forward(data).item() == 5.0
    assert again.vjp(data, torch.ones(1, 1, dtype=torch.float64)).tolist() == [[3.0, 2.0, 3.0]]


def test_missing_or_broken_compiler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    x = sympy.symbols("x0:2")
    program = horner_program([sympy.Poly(x[0] * x[1] - 7, *x)], 2)
    with monkeypatch.context() as broken:
        broken.setattr(kernel, "_compiler", lambda: ("/bin/false", "broken"))
        with pytest.raises(BackendError, match="(?s)could not compile.*method='horner'"):
            kernel.load_kernel(program, torch.float64)
    kernel._find_compiler.cache_clear()
    try:
        with monkeypatch.context() as missing:
            missing.setattr(kernel.shutil, "which", lambda name: None)
            with pytest.raises(BackendError, match="no C compiler"):
                kernel.load_kernel(program, torch.float64)
    finally:
        kernel._find_compiler.cache_clear()
    with pytest.raises(BackendError, match="float32 and float64"):
        kernel.load_kernel(program, torch.float16)


def _program():
    x = sympy.symbols("x0:3")
    return horner_program([sympy.Poly(x[0] * x[1] + x[2]**3, *x)], 3)


@needs_compiler
def test_a_planted_or_damaged_library_is_never_loaded(tmp_path, monkeypatch):
    """A file at the predictable key that the cache did not write (no digest), a truncated one, and
    one others could have rewritten are compiled again, not loaded (#26)."""
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    data = torch.tensor([[2.0, 3.0, -1.0]], dtype=torch.float64)
    kernel.load_kernel(_program(), torch.float64)
    (library,) = tmp_path.glob("kernels/forward_*.so")
    good = library.read_bytes()

    def replace(content):  # a new file (the loaded library stays mapped: rewriting it in place would crash)
        other = library.with_suffix(".new")
        other.write_bytes(content)
        other.rename(library)

    damage = [lambda: (replace(good[:100]), kernel.digest_path(library).unlink()),   # planted, no digest
              lambda: replace(good[:100]),                                          # truncated
              lambda: library.chmod(0o766)]                                         # writable by others
    for spoil in damage:
        kernel._load_library.cache_clear()
        spoil()
        assert kernel.load_kernel(_program(), torch.float64).forward(data).item() == 5.0
        assert library.read_bytes() == good and kernel.trusted_file(library)


@needs_compiler
def test_a_cache_others_can_write_is_refused_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    (tmp_path / "kernels").mkdir(mode=0o700)
    (tmp_path / "kernels").chmod(0o777)
    with pytest.raises(BackendError, match="can be written by other users.*chmod 700"):
        kernel.load_kernel(_program(), torch.float64)
    kernel._probe.cache_clear()
    try:
        assert kernel.native_unavailable() == "kernel cache not private"
        x = sympy.symbols("x0:3")
        layer = compile_polynomials([x[0] * x[1] + x[2]**3], list(x))  # the default falls back to torch
        assert layer(torch.tensor([[2.0, 3.0, -1.0]], dtype=torch.float64)).item() == 5.0
        assert layer.polys.last_method in ("monomials", "horner")
    finally:
        kernel._probe.cache_clear()


@needs_compiler
def test_a_killed_compile_leaves_nothing_behind_for_long(tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    stale = tmp_path / "kernels" / "tmpleftover"
    stale.mkdir(parents=True)
    (tmp_path / "kernels").chmod(0o700)
    (stale / "forward.c").write_text("/* a compile killed midway */")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = tmp_path / "kernels" / "tmprunning"
    fresh.mkdir()  # another process compiling right now: kept
    kernel.load_kernel(_program(), torch.float64)
    assert not stale.exists() and fresh.exists()


@needs_compiler
def test_programs_too_large_to_compile_are_refused_or_run_in_torch(monkeypatch):
    """A program over MAX_OPERATIONS is not handed to the compiler (#26): method="fused" says so
    with the knob, method="auto" runs a pure-torch method and says why."""
    monkeypatch.setattr(kernel, "MAX_OPERATIONS", 3)
    x = sympy.symbols("x0:3")
    polys = [x[0] * x[1] + x[2] ** 3, x[0] ** 2 - x[1]]
    with pytest.raises(BackendError, match="over MAX_OPERATIONS = 3.*bridge.kernel.MAX_OPERATIONS"):
        compile_polynomials(polys, list(x), method="fused")(torch.ones(1, 3, dtype=torch.float64))
    auto = compile_polynomials(polys, list(x))
    assert auto(torch.tensor([[2.0, 3.0, -1.0]], dtype=torch.float64)).tolist() == [[5.0, 1.0]]
    assert auto.polys.last_method in ("monomials", "horner") and "too many to compile" in repr(auto)
