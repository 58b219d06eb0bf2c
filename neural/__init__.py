"""molien.neural: invariant and equivariant models and symmetry learning on top of `bridge`.

Planned in issues #7 and #8; this package has no public API yet.
"""
__all__: list[str] = []
