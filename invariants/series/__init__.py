"""Hilbert series: exact rational functions with integer power-series coefficients, and how they are computed."""
