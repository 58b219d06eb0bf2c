"""ONNX export of a compiled layer (through torch.export; needs the optional packages onnx and
onnxscript, which the tests install)."""
from __future__ import annotations

from pathlib import Path

import torch

from invariants.errors import InputError


def export_onnx(layer: torch.nn.Module, path: str | Path, n_inputs: int, *, dtype: torch.dtype | None = None) -> Path:
    """Write ``layer`` (input (batch, n_inputs)) as an ONNX model with a dynamic batch dimension.

    Example (needs ``pip install onnx onnxscript``):
        >>> import sympy, tempfile, os
        >>> from bridge import compile_polynomials
        >>> x = sympy.symbols("x0:2")
        >>> layer = compile_polynomials([x[0]**2 + x[1]**2], list(x), dtype=torch.float32)
        >>> path = export_onnx(layer, os.path.join(tempfile.mkdtemp(), "layer.onnx"), 2)  # doctest: +SKIP
    """
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError:
        raise InputError("ONNX export needs the packages onnx and onnxscript: pip install onnx onnxscript") from None
    if n_inputs < 1:
        raise InputError(f"n_inputs must be positive, got {n_inputs}")
    dtype = dtype or next((b.dtype for b in layer.buffers() if b.is_floating_point()), torch.float32)
    example = torch.zeros(2, n_inputs, dtype=dtype)
    layer.eval()  # the exported graph is the inference one
    program = torch.onnx.export(layer, (example,), dynamo=True, dynamic_shapes=({0: torch.export.Dim("batch")},))
    path = Path(path)
    program.save(str(path))
    return path


__all__ = ["export_onnx"]
