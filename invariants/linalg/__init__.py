"""Exact linear algebra: matrices over a field, elimination, kernels, and modular images."""
