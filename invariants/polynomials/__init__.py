"""Polynomials over a field (flint inside, sympy on the surface), symmetric powers, ideals, values at points."""
