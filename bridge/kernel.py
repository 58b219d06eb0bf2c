"""Native CPU kernels for ``method="fused"``: the Horner program as C, one SIMD lane per row.

`torch.compile` turns the program into one loop, but its loads are strided (row r, column i), so
inductor leaves that loop scalar.  Here each program temporary is a vector of rows: 64 bytes
(8 float64 rows) for programs that mostly move data, 32 bytes for those that mostly compute (see
`_vector_bytes`); GCC's vector extension lowers it to what the machine has.  The loop runs over
blocks of rows in parallel (OpenMP), and the reverse sweep (the vector-Jacobian product) is
generated too: it recomputes the forward temporaries in registers, so autograd saves nothing but
the input.  Measured in ``benchmarks/bridge.py``.

The shared library is compiled once by the system C compiler (``$CC`` when set, else ``gcc``/``cc``) and
cached under ``$MOLIEN_CACHE_DIR`` (default ``~/.cache/molien/kernels``), keyed by the source,
the compiler and the CPU (it is built with ``-march=native``).

Example:
    >>> import sympy, torch
    >>> from bridge.horner import horner_program
    >>> x = sympy.symbols("x0:2")
    >>> kernel = load_kernel(horner_program([sympy.Poly(x[0]**2 + x[0]*x[1], *x)], 2), torch.float64)
    >>> kernel.forward(torch.tensor([[2.0, 3.0]], dtype=torch.float64))
    tensor([[10.]], dtype=torch.float64)
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

import torch

from invariants.errors import BackendError, InputError
from invariants.progress import progress_bar

from .cache import cache_root, digest_path, private_folder, record_digest, remove_stale, trusted_file
from .horner import Program, _literal

DENSE_WORK = 8  # operations per input and output above which temporaries are 32-byte vectors
C_TYPES = {torch.float64: "double", torch.float32: "float"}
FLAGS = ["-O2", "-march=native", "-ffp-contract=fast", "-fno-math-errno", "-fopenmp", "-shared", "-fPIC"]
PARTS = ("forward", "vjp")
ANNOUNCE_OPERATIONS = 5000  # programs from this size on show a progress line while compiling (~5 s)
# larger programs are not compiled: gcc's time grows faster than the source (16,000 operations: ~6 s
# for the forward pass; a 2 MB source took 480 s); method="auto" then runs a pure-torch method
MAX_OPERATIONS = 20_000
PARALLEL_WORK = 1 << 16  # operations × rows under which one thread beats starting the others


def kernel_source(program: Program, dtype: torch.dtype, part: str = "forward") -> str:
    """C source of one part, on contiguous row-major buffers: ``forward(x, out, rows, threads)``
    (x: rows × n, out: rows × outputs) or ``vjp(x, g, dx, rows, threads)`` (g: rows × outputs,
    dx = gᵀ·∂program/∂x: rows × n)."""
    if part not in PARTS:
        raise InputError(f"part must be one of {PARTS}, got {part!r}")
    ctype = C_TYPES[dtype]
    width = _vector_bytes(program)
    lanes = width // torch.empty(0, dtype=dtype).element_size()
    n, m = program.n_inputs, len(program.outputs)
    head = [f"typedef {ctype} V __attribute__((vector_size({width})));", "#include <stdint.h>",
            "#include <string.h>", f"#define B {lanes}", f"#define N {n}", f"#define M {m}", f"typedef {ctype} T;"]
    forward = _forward_lines(program, lanes)
    if part == "forward":
        body = ["static inline void fwd_block(const T* restrict xb, T* restrict ob) {", *forward,
                *(f"  ob[{r * m + j}] = t{k}[{r}];" for j, k in enumerate(program.outputs) for r in range(lanes)), "}"]
        return "\n".join(head + body) + _FORWARD_DRIVER
    adjoints, grads = _reverse_lines(program, lanes)
    body = ["static inline void vjp_block(const T* restrict xb, const T* restrict gb, T* restrict db) {", *forward,
            *adjoints, *(f"  db[{r * n + i}] = " + (f"a{grads[i]}[{r}];" if i in grads else "0;")
                         for i in range(n) for r in range(lanes)), "}"]
    return "\n".join(head + body) + _VJP_DRIVER


def _vector_bytes(program: Program) -> int:
    """64-byte temporaries (8 float64 rows) for programs that mostly move data: fewer loads and
    stores per row.  32 bytes for programs that mostly compute: half the register pressure.
    Measured on AVX-512 (Zen 4), rows/s at 10^6 rows: the S8 power sums' backward 1.5–1.6e8 (64)
    against 1.0–1.2e8 (32); the bispectrum's forward 6.0e7 (64) against 7.6–8.5e7 (32), its
    backward 1.9–2.1e7 against 2.6–3.1e7."""
    work = program.n_operations / (program.n_inputs + len(program.outputs))
    return 32 if work > DENSE_WORK else 64


def _forward_lines(program: Program, lanes: int) -> list[str]:
    n = program.n_inputs
    lines = []
    for k, ins in enumerate(program.instructions):
        op = ins[0]
        if op == "var":
            expr = "{" + ", ".join(f"xb[{r * n + ins[1]}]" for r in range(lanes)) + "}"
        elif op == "const":
            expr = f"(V){{0}} + (T){_literal(ins[1])}"
        elif op in ("add", "mul"):
            expr = f"t{ins[1]} {'+' if op == 'add' else '*'} t{ins[2]}"
        else:  # scale, shift: the exact constant rounded once, to double, then to the kernel's type
            expr = f"t{ins[1]} {'*' if op == 'scale' else '+'} (T){_literal(ins[2])}"
        lines.append(f"  V t{k} = {expr};")
    return lines


def _reverse_lines(program: Program, lanes: int) -> tuple[list[str], dict[int, int]]:
    """Reverse-mode sweep: adjoint a_k of every temporary reachable from the outputs, seeded with
    the output cotangents; returns the lines and, per input variable, its adjoint's index."""
    lines: list[str] = []
    seen: set[int] = set()

    def accumulate(k: int, expr: str) -> None:
        lines.append(f"  a{k} += {expr};" if k in seen else f"  V a{k} = {expr};")
        seen.add(k)

    m = len(program.outputs)
    for j, k in enumerate(program.outputs):
        accumulate(k, "(V){" + ", ".join(f"gb[{r * m + j}]" for r in range(lanes)) + "}")
    grads: dict[int, int] = {}
    for k in range(len(program.instructions) - 1, -1, -1):
        if k not in seen:
            continue
        ins = program.instructions[k]
        op = ins[0]
        if op == "var":
            grads[ins[1]] = k
        elif op == "add":
            accumulate(ins[1], f"a{k}")
            accumulate(ins[2], f"a{k}")
        elif op == "mul":
            accumulate(ins[1], f"a{k} * t{ins[2]}")
            accumulate(ins[2], f"a{k} * t{ins[1]}")
        elif op == "scale":
            accumulate(ins[1], f"a{k} * (T){_literal(ins[2])}")
        elif op == "shift":
            accumulate(ins[1], f"a{k}")
    return lines, grads


# Whole blocks in parallel; the last partial block through a zero-padded copy.
_FORWARD_DRIVER = """
void forward(const T* x, T* out, int64_t rows, int threads) {
  int64_t blocks = rows / B;
  #pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t b = 0; b < blocks; ++b) fwd_block(x + b * B * N, out + b * B * M);
  int64_t rest = rows - blocks * B;
  if (rest) {
    T xb[B * N], ob[B * M];
    memset(xb, 0, sizeof xb);
    memcpy(xb, x + blocks * B * N, rest * N * sizeof(T));
    fwd_block(xb, ob);
    memcpy(out + blocks * B * M, ob, rest * M * sizeof(T));
  }
}
"""
_VJP_DRIVER = """
void vjp(const T* x, const T* g, T* dx, int64_t rows, int threads) {
  int64_t blocks = rows / B;
  #pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t b = 0; b < blocks; ++b) vjp_block(x + b * B * N, g + b * B * M, dx + b * B * N);
  int64_t rest = rows - blocks * B;
  if (rest) {
    T xb[B * N], gb[B * M], db[B * N];
    memset(xb, 0, sizeof xb);
    memset(gb, 0, sizeof gb);
    memcpy(xb, x + blocks * B * N, rest * N * sizeof(T));
    memcpy(gb, g + blocks * B * M, rest * M * sizeof(T));
    vjp_block(xb, gb, db);
    memcpy(dx + blocks * B * N, db, rest * N * sizeof(T));
  }
}
"""


class Kernel:
    """A native program for one dtype: ``forward(x)`` (rows, n) → (rows, outputs) and
    ``vjp(x, g)`` = gᵀ·∂program/∂x, on CPU tensors of that dtype (made contiguous).  Each part is
    compiled on first use (`prepare` compiles several at once, in parallel)."""

    def __init__(self, program: Program, dtype: torch.dtype):
        if dtype not in C_TYPES:
            raise BackendError(f"native kernels exist for float32 and float64, not {dtype}; use method='horner'")
        if too_large_to_compile(program):
            raise BackendError(f"the fused program has {program.n_operations:,} operations, over MAX_OPERATIONS = "
                               f"{MAX_OPERATIONS:,} (its C would take the compiler minutes): use method='horner' or "
                               "'monomials', or raise bridge.kernel.MAX_OPERATIONS to compile it anyway")
        self.program, self.dtype = program, dtype
        self.n_inputs, self.n_outputs, self.n_operations = program.n_inputs, len(program.outputs), program.n_operations
        self.libraries: dict[str, ctypes.CDLL] = {}

    def prepare(self, *parts: str) -> "Kernel":
        missing = [part for part in parts if part not in self.libraries]
        if missing:
            paths = _build({part: kernel_source(self.program, self.dtype, part) for part in missing}, self.n_operations)
            for part, path in paths.items():
                library = _load_trusted(path, lambda part=part: _build(
                    {part: kernel_source(self.program, self.dtype, part)}, self.n_operations, rebuild=True)[part])
                getattr(library, part).argtypes = [ctypes.c_void_p] * (2 if part == "forward" else 3) + [
                    ctypes.c_int64, ctypes.c_int]
                getattr(library, part).restype = None
                self.libraries[part] = library
        return self

    def _threads(self, rows: int) -> int:
        return 1 if rows * max(self.n_operations, 1) < PARALLEL_WORK else torch.get_num_threads()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.contiguous()
        out = torch.empty(x.shape[0], self.n_outputs, dtype=self.dtype)
        if x.shape[0]:  # ctypes releases the GIL for the call
            self.prepare("forward").libraries["forward"].forward(x.data_ptr(), out.data_ptr(), x.shape[0],
                                                                  self._threads(x.shape[0]))
        return out

    def vjp(self, x: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        x, g = x.contiguous(), g.contiguous()
        dx = torch.empty(x.shape[0], self.n_inputs, dtype=self.dtype)
        if x.shape[0]:
            self.prepare("vjp").libraries["vjp"].vjp(x.data_ptr(), g.data_ptr(), dx.data_ptr(), x.shape[0],
                                                      self._threads(x.shape[0]))
        return dx


def too_large_to_compile(program: Program) -> bool:
    """Whether ``program`` is over `MAX_OPERATIONS` (read when asked: raising it takes effect)."""
    return program.n_operations > MAX_OPERATIONS


def load_kernel(program: Program, dtype: torch.dtype, parts: tuple[str, ...] = ("forward",)) -> Kernel:
    """The kernel of ``program`` for ``dtype`` (float32 or float64) with ``parts`` compiled (from
    the disk cache when the same source was compiled before by the same compiler on the same CPU)."""
    return Kernel(program, dtype).prepare(*parts)


@functools.lru_cache(maxsize=None)
def _load_library(path: str, digest: str) -> ctypes.CDLL:
    return ctypes.CDLL(path)


def _load_trusted(path: Path, rebuild: Callable[[], Path]) -> ctypes.CDLL:
    """Load a library the cache vouches for (`trusted_file`: ours, private, the recorded SHA-256);
    a damaged one (truncated by a full disk, …) is rebuilt once."""
    for attempt in range(2):
        if trusted_file(path):
            try:
                return _load_library(str(path), digest_path(path).read_text().strip())
            except OSError:
                pass
        if attempt == 0:
            path = rebuild()
    raise BackendError(f"the compiled kernel {path} cannot be loaded even after a rebuild: delete the folder "
                       f"{path.parent}, or use method='horner'")


def _cache_dir() -> Path:
    return cache_root() / "kernels"


def _build(sources: dict[str, str], n_operations: int, rebuild: bool = False) -> dict[str, Path]:
    """The shared library of each source, compiling the missing (or untrusted) ones concurrently."""
    compiler, version = _compiler()
    cache = private_folder(_cache_dir())  # a folder others can write could hold a planted library
    paths = {}
    for part, source in sources.items():
        key = hashlib.sha256("\n".join([source, compiler, version, " ".join(FLAGS), _cpu()]).encode()).hexdigest()
        paths[part] = cache / f"{part}_{key[:24]}.so"
    missing = {part: path for part, path in paths.items() if rebuild or not trusted_file(path)}
    if not missing:
        return paths
    remove_stale(cache)
    update = progress_bar(f"compiling the fused kernel ({n_operations:,} operations, {'+'.join(missing)}; cached after)",
                          min_total=ANNOUNCE_OPERATIONS * len(missing))
    with tempfile.TemporaryDirectory(dir=cache) as work:
        jobs = {}
        for part in missing:
            c_file = Path(work) / f"{part}.c"
            c_file.write_text(sources[part])
            jobs[part] = subprocess.Popen([compiler, *FLAGS, str(c_file), "-o", str(Path(work) / f"{part}.so")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        update(0, n_operations * len(missing))
        try:
            for done, (part, job) in enumerate(jobs.items(), 1):
                _, errors = job.communicate()
                if job.returncode:
                    raise BackendError(f"{compiler} could not compile the fused program: "
                                       f"{errors.strip()[-800:] or 'no message'}\n"
                                       "install gcc (with OpenMP), set $CC to a working C compiler, or use "
                                       "method='horner'")
                built = Path(work) / f"{part}.so"
                os.chmod(built, 0o700)
                os.replace(built, missing[part])  # atomic: no process loads a half-written file
                record_digest(missing[part])
                update(n_operations * done, n_operations * len(missing))
        finally:
            for job in jobs.values():
                if job.poll() is None:
                    job.kill()
                    job.wait()
    return paths


def _compiler() -> tuple[str, str]:
    """(path, version line) of ``$CC`` when it is set (only it: a $CC that does not exist is an
    error, not a reason to pick another compiler), else of ``gcc`` or ``cc``."""
    return _find_compiler(os.environ.get("CC") or "")


@functools.lru_cache(maxsize=None)
def _find_compiler(cc: str) -> tuple[str, str]:
    for name in [cc] if cc else ["gcc", "cc"]:
        path = shutil.which(name)
        if path:
            version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
            return path, version
    raise BackendError("method='fused' compiles C on the CPU and found no C compiler "
                       f"({'$CC=' + cc if cc else 'neither gcc nor cc'}): install gcc, set $CC, or use method='horner'")


_PROBE = """
#include <stdint.h>
int64_t probe(int64_t n) {
  int64_t s = 0;
  #pragma omp parallel for reduction(+:s) num_threads(2)
  for (int64_t i = 0; i < n; ++i) s += i;
  return s;
}
"""


def native_unavailable() -> str | None:
    """Why native kernels cannot be built in this process ("no C compiler", "C compiler fails",
    "no writable kernel cache", "kernel cache not private"), or None when they can: the compiler builds, loads and runs a
    small OpenMP library with the kernels' flags, in the kernel cache.  Checked once per process (and per ``$CC``), silently; ``method="auto"``
    falls back to torch on a reason.

    Example:
        >>> native_unavailable() in (None, "no C compiler", "C compiler fails", "no writable kernel cache",
        ...                          "kernel cache not private")
        True
    """
    return _probe(os.environ.get("CC") or "")


@functools.lru_cache(maxsize=None)
def _probe(cc: str) -> str | None:
    try:
        compiler, _ = _find_compiler(cc)
    except (BackendError, OSError):
        return "no C compiler"
    try:  # in the cache, where the kernels are built and loaded from (a temp folder may be noexec)
        cache = private_folder(_cache_dir())
    except BackendError as exc:
        return "no writable kernel cache" if "cannot create" in str(exc) else "kernel cache not private"
    try:
        with tempfile.TemporaryDirectory(dir=cache) as work:
            source, library = Path(work) / "probe.c", Path(work) / "probe.so"
            source.write_text(_PROBE)
            done = subprocess.run([compiler, *FLAGS, str(source), "-o", str(library)], capture_output=True, timeout=120)
            if done.returncode:
                return "C compiler fails"
            probe = ctypes.CDLL(str(library)).probe
            probe.argtypes, probe.restype = [ctypes.c_int64], ctypes.c_int64
            return None if probe(100) == 4950 else "C compiler fails"
    except (OSError, subprocess.SubprocessError):
        return "C compiler fails"


@functools.lru_cache(maxsize=None)
def _cpu() -> str:
    try:  # -march=native: a library built for one CPU may not run on another
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        return "\n".join(sorted({line for line in lines if line.startswith(("model name", "flags"))}))
    except OSError:
        return platform.processor() + platform.machine()


class NativeProgram(torch.autograd.Function):
    """``kernel.forward`` with its generated reverse sweep as the backward; saves only the input.
    A second derivative (``create_graph=True``) differentiates ``program`` (the same polynomials as
    torch operations) instead."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, kernel: Kernel, program: Callable) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x)
        ctx.kernel, ctx.program = kernel, program
        return kernel.forward(x)

    @staticmethod
    def backward(ctx, g: torch.Tensor):  # type: ignore[override]
        (x,) = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph: a differentiable backward
            with torch.enable_grad():
                leaf = x if x.requires_grad else x.detach().requires_grad_()
                (dx,) = torch.autograd.grad(ctx.program(leaf), leaf, g, create_graph=True)
            return dx, None, None
        return ctx.kernel.vjp(x, g), None, None


__all__ = ["Kernel", "NativeProgram", "kernel_source", "load_kernel", "native_unavailable"]
