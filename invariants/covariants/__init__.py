"""Equivariant maps (covariants), their modules over the invariant ring, and isotypic decompositions."""
