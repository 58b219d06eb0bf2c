"""Throughput and memory of compiled invariant layers against sympy.lambdify and naive
evaluation, side by side in one run, plus achieved FLOP/s against a dense matmul.

    python benchmarks/bridge.py              # batches 1, 1e3, 1e5, 1e6
    python benchmarks/bridge.py --quick      # batches 1, 1e3, 1e4
    python benchmarks/bridge.py --torch-rule --threads 1  # the pure-torch rule of method="auto"
                                             # (results/bridge-torch-rule.md; see `torch_rule`)

Methods (float64, CPU, torch threads as set by --threads):
  default       `compile_polynomials(polys)`, no method given: method="auto", which runs "fused"
                on CPU when a C compiler works (the method it ran is reported per case);
  monomials     `compile_polynomials(polys, method="monomials")` (one monomial plan, one contraction, chunked);
  horner        `compile_polynomials(polys, method="horner")` (the shared Horner program, eager);
  fused         `compile_polynomials(polys, method="fused")` (the Horner program as a native C kernel,
                SIMD lanes across rows, with its generated reverse sweep as the backward; its
                one-off compile time is reported separately, not in the throughput);
  horner+compile  `torch.compile` of the horner layer (inductor fuses the program into one loop;
                what "fused" runs on other devices), compile time likewise reported apart;
  lambdify-torch  `sympy.lambdify(x, polys, "torch")` on the columns of a tensor;
  lambdify-numpy  `sympy.lambdify(x, polys, "numpy")` on the columns of an array;
  naive         each polynomial term by term with torch (coefficient × ∏ x_i ** e_i).
A measurement whose predicted time exceeds --budget seconds (from the previous batch size)
is skipped and marked "—".  Peak memory is measured in a fresh process per method at the
largest batch: the resident high-water mark is reset after set-up (Linux /proc/self/clear_refs),
so the figure is what one forward pass adds, output included.  FLOP/s: the monomial plan counts its
multiplications and the contraction's 2·M·m per row, the Horner program its operations per row;
both against torch.mm of the dense problem's (m × M)·(M × rows) shape.

Allocator: glibc maps every block over 32 MB fresh from the kernel and page-faults it on each call,
so at 10^6 rows the default allocator makes a method's time depend on the heap left by the methods
before it (measured: the same fused layer 4e7 or 1.4e8 rows/s).  The run therefore re-executes
itself with tcmalloc preloaded when the system has it (every method gets the same allocator),
unless --default-allocator is given.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import sympy
import torch

ROOT = Path(__file__).resolve().parent.parent
# this file is named like the package it measures: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
OURS = ["default", "monomials", "horner", "fused", "horner+compile"]
COMPILED = ("default", "fused", "horner+compile")  # their first call compiles
# tcmalloc (Debian libtcmalloc-minimal4), as PyTorch's CPU tuning guide recommends: it keeps large
# blocks between calls, where glibc maps them fresh and page-faults them every time, which makes the
# 10^6-row figures depend on which method ran before.  (glibc tunables that forbid mmap instead let
# the fragmented heap grow past 20 GB: killed by the OOM killer.)
TCMALLOC = Path("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4")
METHODS = OURS + ["lambdify-torch", "lambdify-numpy", "naive"]


def polynomials(case: str):
    from invariants import invariant_ring, invariants_of_degree, load_spec
    from invariants.catalogue import symmetric, weyl
    from invariants.groups.compact import SO3

    if case == "S8 power sums":
        return invariant_ring(symmetric(8)).generators, sympy.symbols("x0:8")
    if case == "S8 elementary":
        x = sympy.symbols("x0:8")
        t = sympy.Symbol("t")
        coeffs = sympy.Poly(sympy.prod([1 + t * v for v in x]), t).all_coeffs()[::-1]
        return [sympy.expand(c) for c in coeffs[1:]], x
    if case == "W(E6)":
        return invariant_ring(weyl("E6")).generators, sympy.symbols("x0:6")
    if case == "SO(3) l<=4 bispectrum":
        rep = SO3().irrep(0)
        for l in range(1, 5):
            rep = rep + SO3().irrep(l)
        return invariants_of_degree(rep, 2) + invariants_of_degree(rep, 3), sympy.symbols("x0:25")
    if case == "O(5) on 2 vectors":
        return invariant_ring(load_spec({"group": "O(n)", "n": 5, "vectors": 2})).generators, sympy.symbols("x0:10")
    if case == "S6 elementary":
        x = sympy.symbols("x0:6")
        t = sympy.Symbol("t")
        coeffs = sympy.Poly(sympy.prod([1 + t * v for v in x]), t).all_coeffs()[::-1]
        return [sympy.expand(c) for c in coeffs[1:]], x
    if case == "SO(3) Gram of 3 vectors":  # the 6 inner products and the determinant
        x = sympy.symbols("x0:9")
        v = [x[0:3], x[3:6], x[6:9]]
        dots = [sum(a * b for a, b in zip(v[i], v[j])) for i in range(3) for j in range(i, 3)]
        return dots + [sympy.Matrix(v).det()], x
    if case == "D7 degree 7":  # x² + y² and Re (x + iy)^7
        x = sympy.symbols("x0:2")
        return [x[0]**2 + x[1]**2, _re_power(x, 7)], x
    raise KeyError(case)


def _re_power(x, k: int):
    """Re (x0 + i·x1)^k = Σ_j (−1)^j C(k, 2j) x0^(k−2j) x1^(2j)."""
    return sum((-1)**j * sympy.binomial(k, 2 * j) * x[0]**(k - 2 * j) * x[1]**(2 * j) for j in range(k // 2 + 1))


# The first five are the original cases; the last three (with "S8 power sums", which is p_1..p_8)
# are the sets the default was found slow on (issue #18: no test names them).
CASES = ["S8 power sums", "S8 elementary", "W(E6)", "SO(3) l<=4 bispectrum", "O(5) on 2 vectors",
         "S6 elementary", "SO(3) Gram of 3 vectors", "D7 degree 7"]
QUICK_CASES = ["S8 power sums", "S8 elementary", "S6 elementary", "SO(3) Gram of 3 vectors", "D7 degree 7"]


def make(method: str, polys, x):
    if method in OURS:
        from bridge import compile_polynomials

        options = {} if method == "default" else {"method": method.removesuffix("+compile")}
        layer = compile_polynomials(polys, list(x), **options)
        if method == "horner+compile":
            # every layer adds guards on the same forward code object (and grad mode doubles them):
            # past dynamo's default limit of 8 it would silently run uncompiled
            torch._dynamo.config.recompile_limit = 256
            layer = torch.compile(layer, dynamic=True, options={"cpp.dynamic_threads": True})
        run = lambda data: layer(data)  # noqa: E731
        run.layer = layer  # the default reports which method "auto" ran
        return run
    if method == "lambdify-torch":
        f = sympy.lambdify(x, polys, "torch")
        return lambda data: torch.stack([torch.as_tensor(v, dtype=data.dtype).expand(data.shape[0])
                                         for v in f(*data.unbind(1))], 1)
    if method == "lambdify-numpy":
        f = sympy.lambdify(x, polys, "numpy")
        return lambda data: np.stack([np.broadcast_to(v, data.shape[0]) for v in f(*data.T)], 1)
    if method == "naive":
        terms = [[(float(c), e) for e, c in sympy.Poly(p, *x).terms()] for p in polys]

        def naive(data):
            cols = data.unbind(1)
            outs = []
            for poly in terms:
                acc = torch.zeros(data.shape[0], dtype=data.dtype)
                for c, e in poly:
                    term = torch.full_like(acc, c)
                    for v, k in zip(cols, e):
                        if k:
                            term = term * v**k
                    acc = acc + term
                outs.append(acc)
            return torch.stack(outs, 1)
        return naive
    raise KeyError(method)


def timed(fn, data, backward: bool) -> float:
    if backward:
        x = data.detach().requires_grad_(True)  # a fresh leaf on the same storage: no input copy in the timing
        start = time.perf_counter()
        fn(x).sum().backward()
        return time.perf_counter() - start
    start = time.perf_counter()
    with torch.no_grad():
        fn(data)
    return time.perf_counter() - start


def measure(case: str, batches: list[int], budget: float) -> list[dict]:
    polys, x = polynomials(case)
    n = len(x)
    rows = []
    fns = {m: make(m, polys, x) for m in METHODS}
    last: dict = {}
    for batch in batches:
        gen = torch.Generator().manual_seed(batch)
        data = torch.randn(batch, n, dtype=torch.float64, generator=gen)
        for method in METHODS:
            for backward in (False, True):
                if backward and method == "lambdify-numpy":
                    continue
                key = (method, backward)
                predicted = last.get(key, (0.0, 1))[0] * batch / last.get(key, (0.0, 1))[1]
                if predicted > budget:
                    rows.append(dict(case=case, batch=batch, method=method, backward=backward, seconds=None))
                    continue
                arg = data.numpy() if method == "lambdify-numpy" else data
                fn = fns[method]
                if method == "lambdify-numpy":
                    secs = _best(lambda: _seconds(lambda: fn(arg)), batch)
                else:
                    secs = _best(lambda: timed(fn, arg, backward), batch)
                last[key] = (secs, batch)
                ran = fn.layer.polys.last_method if method == "default" else None
                rows.append(dict(case=case, batch=batch, method=method, backward=backward, seconds=secs, ran=ran))
        print(f"  {case}: batch {batch} done", flush=True)
    return rows


def _best(run, batch: int) -> float:
    repeats = 5 if batch <= 1000 else 3  # a shared virtual machine: one run can be 30 % off
    run()  # warm-up
    return min(run() for _ in range(repeats))


def flops(case: str, batch: int) -> dict:
    """Achieved FLOP/s of the monomial plan and of the fused Horner program at this batch, and
    torch.mm's FLOP/s for the dense problem's (m × M)·(M × rows) shape."""
    from bridge import compile_polynomials

    polys, x = polynomials(case)
    data = torch.randn(batch, len(x), dtype=torch.float64)
    plan = compile_polynomials(polys, list(x), method="monomials").polys
    fused = compile_polynomials(polys, list(x), method="fused").polys
    m, big_m = plan.n_outputs, plan.n_monomials
    per_row = {"monomials": (big_m - len(x) - 1) + 2 * big_m * m, "fused": fused.program.n_operations}
    rates = {}
    for method, layer in (("monomials", plan), ("fused", fused)):
        seconds = _best(lambda: timed(layer, data, False), batch)
        rates[method] = per_row[method] * batch / seconds
    a = torch.randn(m, big_m, dtype=torch.float64)
    b = torch.randn(big_m, min(batch, 1 << 16), dtype=torch.float64)
    a @ b
    start = time.perf_counter()
    for _ in range(max(1, batch // b.shape[1])):
        a @ b
    mm = time.perf_counter() - start
    mm_rate = 2 * m * big_m * b.shape[1] * max(1, batch // b.shape[1]) / mm
    return dict(per_row=per_row, rates=rates, mm=mm_rate)


def copy_bandwidth(megabytes: int = 400, repeats: int = 5) -> float:
    """Bytes per second moved by torch's copy of a large float64 tensor (read + write counted):
    the memory side of the roofline."""
    src = torch.randn(megabytes * (1 << 20) // 8, dtype=torch.float64)
    dst = torch.empty_like(src)
    dst.copy_(src)
    best = min(_seconds(lambda: dst.copy_(src)) for _ in range(repeats))
    return 2 * src.numel() * 8 / best


def first_touch_bandwidth(megabytes: int = 80, repeats: int = 5) -> float:
    """Bytes per second written into freshly allocated memory (torch.empty + fill): with glibc's
    default allocator, tensors this large come from the operating system page by page on every call."""
    numel = megabytes * (1 << 20) // 8
    torch.empty(numel, dtype=torch.float64).fill_(1.0)
    best = min(_seconds(lambda: torch.empty(numel, dtype=torch.float64).fill_(1.0)) for _ in range(repeats))
    return numel * 8 / best


def _seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def input_read_rate(n_inputs: int, batch: int) -> float:
    """Rows/s of reading the (batch, n) float64 input once (torch.sum): the floor under any forward
    pass, whatever it computes."""
    data = torch.randn(batch, n_inputs, dtype=torch.float64)
    return batch / _best(lambda: _seconds(data.sum), batch)


def roofline(case: str, bandwidth: float) -> dict:
    """A memory roofline from the copy bandwidth: a forward pass reads the n inputs and writes the
    m outputs (8 bytes each); forward+backward also re-reads the inputs and writes their n
    gradients.  A copy also pays the read of every written line (write-allocate), which a kernel
    writing fewer bytes than it reads pays less of, so a kernel can pass this bound somewhat
    (measured: up to ~1.2×); `input_read_rate` is the hard floor."""
    polys, x = polynomials(case)
    n, m = len(x), len(polys)
    fwd, both = 8 * (n + m), 8 * (3 * n + m)
    return dict(n=n, m=m, bytes_fwd=fwd, bytes_both=both, rows_fwd=bandwidth / fwd, rows_both=bandwidth / both)


def peak_memory(case: str, method: str, batch: int) -> dict:
    """{"peak_mb", "compile_seconds"} from a fresh process (empty torch.compile and kernel caches)."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:  # the environment (the preloaded allocator included) is inherited
        env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=cache, MOLIEN_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, __file__, "--child", case, method, str(batch)], capture_output=True,
                             text=True, timeout=1800, env=env)
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"peak_mb": None, "compile_seconds": None}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def child(case: str, method: str, batch: int) -> None:
    """Peak resident memory added by one forward pass: the high-water mark is reset after the
    set-up (imports, the layer, the input), so only the evaluation's own allocations count."""
    polys, x = polynomials(case)
    fn = make(method, polys, x)
    data = torch.randn(batch, len(x), dtype=torch.float64)
    arg = data.numpy() if method == "lambdify-numpy" else data
    compile_seconds = None
    if method in COMPILED:  # compile before measuring (a cold cache: see peak_memory), and time it
        start = time.perf_counter()
        with torch.no_grad():
            fn(data[:1000])
        compile_seconds = time.perf_counter() - start
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: reset VmHWM to the current RSS
        before = _status_kb("VmRSS")
        with torch.no_grad():
            out = fn(arg)
        peak = _status_kb("VmHWM")
    except OSError:  # not Linux: fall back to the process-lifetime peak (may hide the growth)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with torch.no_grad():
            out = fn(arg)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del out
    print(json.dumps({"peak_mb": (peak - before) / 1024, "compile_seconds": compile_seconds}))


def write(rows: list[dict], extras: dict, path: Path, batches: list[int], threads: int, allocator: str) -> None:
    lines = ["# bridge: compiled invariant layers", "",
             f"Run {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, torch {torch.__version__}, "
             f"{threads} thread(s), float64. Throughput in rows/s (best of 5 up to 10^3 rows, else of 3; fwd+bwd times "
             "the forward, the backward and the allocation of the input's gradient, not the input); "
             f"allocator: {allocator}; "
             "ratios are rows/s of ours over rows/s of the other, for the best of our methods at that batch "
             "(named), and of the default (`compile_polynomials(polys)`, no method) over lambdify-torch; "
             "— = skipped (predicted over the time budget).", ""]
    for case in dict.fromkeys(r["case"] for r in rows):
        ran = sorted({r["ran"] for r in rows if r["case"] == case and r.get("ran")})
        lines += [f"## {case}", "", f"The default (method=\"auto\") ran: {', '.join(ran) or '—'}.", "",
                  "| batch | pass | " + " | ".join(METHODS) + " | best ours | / lambdify-torch | default / lambdify-torch "
                  "| / naive |", "|---|---|" + "---|" * (len(METHODS) + 4)]
        for batch in batches:
            for backward in (False, True):
                cells, by = [], {}
                for method in METHODS:
                    r = next((r for r in rows if r["case"] == case and r["batch"] == batch and r["method"] == method
                              and r["backward"] == backward), None)
                    secs = r["seconds"] if r else None
                    by[method] = batch / secs if secs else None
                    cells.append(f"{by[method]:.3g}" if by[method] else "—")
                timed_ours = [m for m in OURS if by[m]]
                best = max(timed_ours, key=lambda m: by[m]) if timed_ours else None
                ratio = lambda other, ours=None: (f"{by[ours or best] / by[other]:.1f}x"  # noqa: E731
                                                  if (ours or best) and by[ours or best] and by[other] else "—")
                lines.append(f"| {batch:,} | {'fwd+bwd' if backward else 'fwd'} | " + " | ".join(cells)
                             + f" | {best or '—'} | {ratio('lambdify-torch')} | {ratio('lambdify-torch', 'default')} "
                             f"| {ratio('naive')} |")
        e = extras.get(case, {})
        if e:
            memory = ", ".join(f"{m} {v['peak_mb']:.0f}" if v and v["peak_mb"] is not None else f"{m} —"
                               for m, v in e["memory"].items())
            compile_s = {m: (e["memory"].get(m) or {}).get("compile_seconds") for m in COMPILED}
            f = e["flops"]
            lines += ["", f"Peak memory growth at {e['batch']:,} rows (MB added by one forward pass, output included, "
                      f"fresh process): {memory}.",
                      "One-off compile (cold cache, once per layer and machine; the fused kernel is then cached "
                      "on disk): " + ", ".join(f"{m} " + (f"{v:.1f} s" if v is not None else "—")
                                               for m, v in compile_s.items()) + ".",
                      f"FLOPs per row: monomial plan {f['per_row']['monomials']:,}, Horner program "
                      f"{f['per_row']['fused']:,}. Achieved at {e['flops_batch']:,} rows: monomial plan "
                      f"{f['rates']['monomials'] / 1e9:.2f} GFLOP/s ({100 * f['rates']['monomials'] / f['mm']:.0f} %), "
                      f"fused {f['rates']['fused'] / 1e9:.2f} GFLOP/s ({100 * f['rates']['fused'] / f['mm']:.0f} %), "
                      f"against {f['mm'] / 1e9:.2f} GFLOP/s for torch.mm of the dense (m × M)·(M × rows) shape."]
            lines += _roofline_lines(case, rows, e) + [""]
    path.write_text("\n".join(lines) + "\n")


def _roofline_lines(case: str, rows: list[dict], e: dict) -> list[str]:
    """How far the goals (20× lambdify-torch at the largest batch, 50 % of torch.mm's FLOP rate)
    are reachable at all, from the memory roofline."""
    r, big = e["roofline"], e["batch"]

    def rate(method: str, backward: bool):
        hit = next((x for x in rows if x["case"] == case and x["batch"] == big and x["method"] == method
                    and x["backward"] == backward and x["seconds"]), None)
        return big / hit["seconds"] if hit else None

    parts = []
    for backward, bound, nbytes in ((False, r["rows_fwd"], r["bytes_fwd"]), (True, r["rows_both"], r["bytes_both"])):
        ours = max((rate(m, backward) or 0) for m in OURS)
        lam = rate("lambdify-torch", backward)
        cap = f"at most {bound / lam:.1f}× lambdify-torch" if lam else "lambdify-torch not timed"
        parts.append(f"{'fwd+bwd' if backward else 'fwd'} ≥ {nbytes} B/row → ≤ {bound:.3g} rows/s ({cap}; "
                     f"ours {100 * ours / bound:.0f} % of the bound)")
    ours = max((rate(m, False) or 0) for m in OURS)
    lam = rate("lambdify-torch", False)
    parts.append(f"reading the input alone (torch.sum) runs at {e['read']:.3g} rows/s"
                 + (f", at most {e['read'] / lam:.1f}× lambdify-torch" if lam else "")
                 + f"; our forward is {100 * ours / e['read']:.0f} % of that")
    f = e["flops"]
    intensity = f["per_row"]["fused"] / r["bytes_fwd"]
    flop_cap = min(f["mm"], f["per_row"]["fused"] * r["rows_fwd"])
    return [f"Memory roofline at {big:,} rows (copy bandwidth {e['bandwidth'] / 1e9:.1f} GB/s, n = {r['n']} inputs, "
            f"m = {r['m']} outputs, float64): " + "; ".join(parts) + ". The Horner program does "
            f"{intensity:.2f} FLOP/byte, so it can reach at most {flop_cap / 1e9:.2f} GFLOP/s = "
            f"{100 * flop_cap / f['mm']:.0f} % of torch.mm's rate."]


SAVED_LIMIT = 1 << 28  # floats autograd may keep for one fwd+bwd (2 GB): W(E6)'s 9201 monomials × 10^5 rows would be 7 GB


def torch_rule(cases: list[str], batches: list[int], threads: int) -> Path:
    """The pure-torch rule of method="auto" (what it runs without a C kernel: no compiler,
    float16, GPU) against measurement: "monomials" and "horner" at each batch, forward and
    forward+backward, and the method the rule picks (`PolynomialMap.resolved_method` on the meta
    device, where no C kernel exists) as a fraction of the faster one's rows/s."""
    from bridge import compile_polynomials

    lines = ["# bridge: the pure-torch rule of method=\"auto\"", "",
             f"Run {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, torch {torch.__version__}, "
             f"{threads} thread(s), float64, eager CPU; rows/s, best of 5 up to 10^3 rows, else of 3. "
             "`pick / best`: rows/s of the method the rule picks over the faster of the two. "
             "— = not measured (autograd would keep over 2 GB).", ""]
    fractions: dict[str, list[float]] = {"rule": [], "horner": [], "monomials": []}
    for case in cases:
        polys, x = polynomials(case)
        auto = compile_polynomials(polys, list(x)).polys
        layers = {m: compile_polynomials(polys, list(x), method=m).polys for m in ("monomials", "horner")}
        size = layers["monomials"].n_monomials
        width = max(size, len(auto.program.instructions))
        lines += [f"## {case}", "", f"{len(x)} inputs, {auto.n_outputs} outputs; Horner program "
                  f"{len(auto.program.instructions)} instructions ({auto.program.n_operations} operations); monomial "
                  f"plan {size} monomials; the rule: {_rule_text(auto.horner_from)}.", "",
                  "| batch | pass | monomials | horner | rule picks | pick / best |", "|---|---|---|---|---|---|"]
        for batch in batches:
            data = torch.randn(batch, len(x), dtype=torch.float64, generator=torch.Generator().manual_seed(batch))
            pick = auto.resolved_method(torch.device("meta"), rows=batch)
            for backward in (False, True):
                if backward and width * batch > SAVED_LIMIT:
                    lines.append(f"| {batch:,} | fwd+bwd | — | — | {pick} | — |")
                    continue
                rate = {m: batch / _best(lambda: timed(layer, data, backward), batch) for m, layer in layers.items()}
                best = max(rate.values())
                for name, chosen in (("rule", pick), ("horner", "horner"), ("monomials", "monomials")):
                    fractions[name].append(rate[chosen] / best)
                lines.append(f"| {batch:,} | {'fwd+bwd' if backward else 'fwd'} | {rate['monomials']:.3g} | "
                             f"{rate['horner']:.3g} | {pick} | {rate[pick] / best:.2f} |")
            print(f"  {case}: batch {batch} done", flush=True)
        lines.append("")
    summary = []
    for name, label in (("rule", "the rule's pick"), ("horner", "always horner"), ("monomials", "always monomials")):
        values = sorted(fractions[name])
        summary.append(f"{label}: worst {values[0]:.2f}, median {values[len(values) // 2]:.2f}")
    lines[4:4] = [f"Over all {len(fractions['rule'])} measurements, rows/s as a fraction of the faster method: "
                  + "; ".join(summary) + ".", ""]
    out = ROOT / "benchmarks" / "results" / "bridge-torch-rule.md"
    out.write_text("\n".join(lines) + "\n")
    return out


def _rule_text(horner_from: int | None) -> str:
    if horner_from is None:
        return "monomials at every batch"
    return "horner at every batch" if horner_from == 0 else f"monomials below {horner_from:,} rows, horner from there"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--budget", type=float, default=30.0, help="skip a measurement predicted above this (s)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--default-allocator", action="store_true",
                        help="keep glibc's default: blocks over 32 MB come fresh from the kernel on every call")
    parser.add_argument("--torch-rule", action="store_true",
                        help="measure the pure-torch rule of method='auto' (monomials vs horner) instead")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    steady = not args.default_allocator and TCMALLOC.exists()
    if steady and str(TCMALLOC) not in os.environ.get("LD_PRELOAD", ""):
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], dict(os.environ, LD_PRELOAD=str(TCMALLOC)))
    torch.set_num_threads(args.threads)
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    if args.torch_rule:
        print(f"wrote {torch_rule(CASES, [1, 1000, 100000], args.threads)}")
        return
    batches = [1, 1000, 10000] if args.quick else [1, 1000, 100000, 1000000]
    cases = QUICK_CASES if args.quick else CASES
    rows, extras = [], {}
    bandwidth = copy_bandwidth()
    allocator = (f"tcmalloc ({TCMALLOC.name}, preloaded), which keeps large blocks between calls; "
                 "`--default-allocator` measures glibc's" if steady else
                 "glibc's default: blocks over 32 MB are mapped fresh on every call, and writing fresh pages runs at "
                 f"{first_touch_bandwidth() / 1e9:.1f} GB/s here")
    print(f"copy bandwidth {bandwidth / 1e9:.1f} GB/s; allocator: {allocator}", flush=True)
    for case in cases:
        print(case, flush=True)
        rows += measure(case, batches, args.budget)
        big = batches[-1]
        flops_batch = min(big, 100000)
        timed_at_big = {r["method"] for r in rows if r["case"] == case and r["batch"] == big and r["seconds"]}
        memory = {m: peak_memory(case, m, big) if m in timed_at_big else None for m in METHODS}
        extras[case] = dict(batch=big, memory=memory, flops=flops(case, flops_batch), flops_batch=flops_batch,
                            bandwidth=bandwidth, roofline=roofline(case, bandwidth))
        extras[case]["read"] = input_read_rate(extras[case]["roofline"]["n"], big)
    name = "bridge" + ("-quick" if args.quick else "") + ("-default-allocator" if args.default_allocator else "")
    out = ROOT / "benchmarks" / "results" / f"{name}.md"
    write(rows, extras, out, batches, args.threads, allocator)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
