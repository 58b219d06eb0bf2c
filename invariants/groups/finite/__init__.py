"""Finite matrix groups from generators: permutation-group machinery, representations, Molien series by classes."""
