"""Invariant rings, generically over any group: invariants by degree, primary and secondary invariants, generators, relations."""
