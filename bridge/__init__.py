"""molien.bridge: compiles exact invariant and equivariant polynomials into torch modules.

Planned in issue #6 (``compile_polynomials``, ``invariant_layer``); this release ships the
exact engine (`invariants`) only, and this package has no public API yet.
"""
__all__: list[str] = []
